"""The data·inclusion export: every record of the real regional directory validates with the national schema package,
demo facts stay out, drafts and archived offers are not exported, the endpoints answer in constant queries."""

import json
from datetime import date, timedelta

import pytest
from data_inclusion.schema.v1 import Service, Structure
from django.urls import reverse
from freezegun import freeze_time

from maille.directory.datainclusion import (
    NEED_THEMATIQUES,
    STAGE_THEMATIQUES,
    service_record,
    services_export,
    structure_record,
    structures_export,
)
from maille.directory.enums import Mobilisation, PublicationStatus
from maille.directory.models import Branch, Offer, Organisation
from maille.territories.models import Commune
from tests.conftest import data_records
from tests.factories import OfferFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

STRICT = {"ignore_warnings": False}
STRUCTURES_URL = "/api/v1/exports/data-inclusion/structures.json"
SERVICES_URL = "/api/v1/exports/data-inclusion/services.json"


def validate_structure(record: dict) -> Structure:
    json.dumps(record)  # plain JSON, dates as ISO strings
    return Structure.model_validate(record, context=STRICT)


def validate_service(record: dict) -> Service:
    json.dumps(record)
    return Service.model_validate(record, context=STRICT)


def by_id(records: list[dict]) -> dict[str, dict]:
    return {record["id"]: record for record in records}


# --- the real regional directory ------------------------------------------------------------------------------------


def test_every_structure_of_the_regional_directory_validates():
    records = structures_export()
    expected = (
        Organisation.objects.filter(offers__status=PublicationStatus.PUBLISHED, is_demo=False)
        .distinct()
        .count()
    )
    assert len(records) == expected >= 30
    for record in records:
        validate_structure(record)
    assert len(by_id(records)) == len(records)


def test_every_service_of_the_regional_directory_validates():
    records = services_export()
    assert (
        len(records)
        == Offer.objects.filter(status=PublicationStatus.PUBLISHED).count()
        == data_records("offers", published=True)
    )
    for record in records:
        service = validate_service(record)
        assert service.source == "maille"
        assert service.thematiques is None or service.thematiques
    assert len(by_id(records)) == len(records)


def test_every_service_belongs_to_an_exported_structure():
    structure_ids = {record["id"] for record in structures_export()}
    assert {record["structure_id"] for record in services_export()} <= structure_ids


def test_the_mappings_only_use_thematiques_of_the_schema():
    for thematiques in [*STAGE_THEMATIQUES.values(), *NEED_THEMATIQUES.values()]:
        for thematique in thematiques:
            Service.model_validate(
                {**_minimal_service(), "thematiques": [thematique.value]},
                context=STRICT,
            )


def _minimal_service() -> dict:
    return {
        "source": "maille",
        "id": "maille--x",
        "structure_id": "maille--y",
        "nom": "Nom",
        "description": "Description",
        "date_maj": date.today().isoformat(),
    }


def test_a_regional_offer_maps_stages_zones_and_leaves_demo_fields_out():
    record = by_id(services_export())["maille--cress-appui-ptce"]
    assert record["structure_id"] == "maille--cress-pdl"
    assert record["nom"] == "Accompagnement des pôles territoriaux de coopération économique (PTCE)"
    assert record["thematiques"] == [
        "creer-une-entreprise--definir-son-projet-de-creation-dentreprise",
        "creer-une-entreprise--developper-son-entreprise",
        "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise",
    ]
    # A regional zone is listed as the région's départements, as the schema asks.
    assert record["zone_eligibilite"] == ["44", "49", "53", "72", "85"]
    # `is_free` and `remote` are demo completions for this offer: no `frais`, no remote reception.
    assert "frais" not in record
    assert record["modes_accueil"] == ["en-presentiel"]
    assert record["mobilisation_precisions"] == "Mise en relation par Maille."
    assert "modes_mobilisation" not in record
    assert record["lien_source"].startswith("https://")
    assert record["publics"] == ["tous-publics"]


def test_offers_with_unconfirmed_name_or_description_say_so():
    record = by_id(services_export())["maille--bge-accompagnement"]
    assert record["description"].endswith(
        "Informations à confirmer auprès de BGE (réseau, Pays de la Loire)."
    )
    # Everything else of this home-page-only record is demo: no thématiques, zones, fees or reception modes.
    assert not {"thematiques", "zone_eligibilite", "frais", "modes_accueil"} & set(record)


def test_mobilisation_by_link_email_or_phone():
    records = by_id(services_export())
    link = records["maille--urscop-creation"]
    assert link["modes_mobilisation"] == ["utiliser-lien-mobilisation"]
    assert link["lien_mobilisation"] == "https://www.les-scop-ouest.coop/"
    phone = records["maille--solilab-bureaux"]
    assert phone["modes_mobilisation"] == ["telephoner"]
    assert phone["telephone"] == "+33240893369"
    email = records["maille--lma-crva-44"]
    assert email["modes_mobilisation"] == ["envoyer-un-courriel"]
    assert email["courriel"] == "centreressources@laligue44.org"


def test_a_structure_keeps_its_confirmed_commune_but_not_a_demo_address():
    record = by_id(structures_export())["maille--cress-pdl"]
    assert record["nom"] == "CRESS Pays de la Loire"
    assert record["code_insee"] == "44109"
    assert record["commune"] == "Nantes"
    assert "adresse" not in record  # a demo completion
    assert "code_postal" not in record  # Nantes has several postal codes: which one is not known
    assert "siret" not in record  # no SIRET was read in a source
    assert record["site_web"] == "https://www.cress-pdl.org/"


def test_networks_of_national_networks_are_given():
    records = by_id(structures_export())
    assert records["maille--france-active-pdl"]["reseaux_porteurs"] == ["france-active"]
    assert records["maille--cci-pdl"]["reseaux_porteurs"] == ["chambres-consulaires"]
    assert "reseaux_porteurs" not in records["maille--cress-pdl"]


# --- organisations and offers made with the factories ---------------------------------------------------------------


def test_factory_records_with_every_field_validate():
    commune = Commune.objects.get(code="49353")  # Trélazé: one postal code, 49800
    org = OrganisationFactory(
        name="Coopérative de test",
        siret="73282932000074",
        address="3 rue de l'Essai",
        commune=commune,
        website="https://exemple.fr/",
        email="contact@exemple.fr",
        phone="02 41 00 00 00",
        description="Une coopérative créée pour les tests de l'export.",
        source_url="https://exemple.fr/source",
    )
    offer = OfferFactory(
        organisation=org,
        stages=["emergence", "consolidation"],
        needs=["formation", "test_activite", "juridique"],
        legal_forms=["association", "scic"],
        employees_min=1,
        employees_max=10,
        years_min=2,
        is_free=False,
        on_site=True,
        remote=True,
        mobilisation=Mobilisation.EMAIL,
        contact="offre@exemple.fr",
        added_value="Plus rapide que le parcours classique.",
        source_url="https://exemple.fr/offre",
        zones=[("commune", "49353"), ("epci", "244900015"), ("departement", "53"), ("region", "52")],
    )
    structure = validate_structure(structure_record(org))
    assert structure.id == f"maille--{org.slug}"
    assert structure.siret == "73282932000074"
    assert structure.code_postal == "49800"
    assert structure.telephone == "+33241000000"
    assert str(structure.courriel) == "contact@exemple.fr"

    record = service_record(offer)
    service = validate_service(record)
    assert service.frais == "payant"
    assert record["modes_accueil"] == ["a-distance", "en-presentiel"]
    assert record["zone_eligibilite"] == ["244900015", "44", "49", "49353", "53", "72", "85"]
    assert record["thematiques"] == [
        "creer-une-entreprise--definir-son-projet-de-creation-dentreprise",
        "creer-une-entreprise--developper-son-entreprise",
        "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise",
        "se-former--trouver-sa-formation",
    ]
    assert record["courriel"] == "offre@exemple.fr"
    assert record["description"] == "Accompagnement de test.\n\nPlus rapide que le parcours classique."
    assert record["publics_precisions"] == (
        "Projets et structures aux stades : Émergence (idée, faisabilité), Consolidation (fragilité, relance). "
        "Formes juridiques éligibles : Association, SCIC."
    )
    assert record["conditions_acces"] == (
        "Effectif de la structure : de 1 à 10 salariés. Ancienneté de la structure : au moins 2 ans."
    )
    assert record["date_maj"] == date.today().isoformat()


def test_minimal_factory_records_validate():
    offer = OfferFactory(zones=[("france", "")])
    validate_structure(structure_record(offer.organisation))
    record = service_record(offer)
    validate_service(record)
    assert record["zone_eligibilite"] == ["france"]
    assert record["frais"] == "gratuit"


def test_names_and_descriptions_are_fitted_to_the_schema_without_inventing():
    org = OrganisationFactory(name="AB.", description="Ok")
    offer = OfferFactory(organisation=org, name="X" * 199 + ".", description="Aide")
    structure = structure_record(org)
    validate_structure(structure)
    assert structure["nom"] == "AB – Réseau ou structure d'accompagnement de l'ESS"
    assert "description" not in structure  # under the schema's minimum: left out
    service = service_record(offer)
    validate_service(service)
    assert len(service["nom"]) == 150
    assert service["description"] == "Aide – AB. – Création ou reprise"


def test_a_branch_offer_is_located_in_its_branch_commune():
    org = OrganisationFactory()
    branch = Branch.objects.create(organisation=org, name="Antenne", commune_id="49353")
    offer = OfferFactory(organisation=org, branch=branch)
    record = service_record(offer)
    validate_service(record)
    assert (record["code_insee"], record["commune"], record["code_postal"]) == ("49353", "Trélazé", "49800")


def test_demo_organisation_validates_but_is_not_exported():
    org = OrganisationFactory(is_demo=True, description="Organisation fictive créée pour la démonstration.")
    offer = OfferFactory(organisation=org, mobilisation=Mobilisation.PHONE, contact="02 41 00 00 00")
    validate_structure(structure_record(org))
    record = service_record(offer)
    validate_service(record)
    assert "telephone" not in record  # nothing of a demo record is presented as a fact
    assert record["description"].endswith(f"Informations à confirmer auprès de {org.name}.")
    assert structure_record(org)["id"] not in by_id(structures_export())
    assert record["id"] not in by_id(services_export())


@pytest.mark.parametrize("status", [PublicationStatus.DRAFT, PublicationStatus.ARCHIVED])
def test_draft_and_archived_offers_are_not_exported(status):
    offer = OfferFactory(status=status)
    assert f"maille--{offer.slug}" not in by_id(services_export())
    assert f"maille--{offer.organisation.slug}" not in by_id(structures_export())
    published = OfferFactory(organisation=offer.organisation)
    assert f"maille--{published.slug}" in by_id(services_export())
    assert f"maille--{offer.slug}" not in by_id(services_export())
    assert f"maille--{offer.organisation.slug}" in by_id(structures_export())


# --- the endpoints --------------------------------------------------------------------------------------------------


def test_the_export_urls_are_mounted_under_api_v1():
    assert reverse("api-di-structures") == STRUCTURES_URL
    assert reverse("api-di-services") == SERVICES_URL


def test_structures_endpoint_returns_a_json_array_of_valid_records(client):
    response = client.get(STRUCTURES_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body, list)
    assert body == json.loads(json.dumps(structures_export()))
    for record in body:
        validate_structure(record)


def test_services_endpoint_returns_a_json_array_of_valid_records(client):
    response = client.get(SERVICES_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body, list) and len(body) == data_records("offers", published=True)
    for record in body:
        validate_service(record)


def test_the_endpoints_need_no_authentication(client):
    client.logout()
    assert client.get(SERVICES_URL).status_code == 200
    assert client.get(STRUCTURES_URL).status_code == 200


def test_the_endpoints_run_a_constant_number_of_queries(client, django_assert_max_num_queries):
    # Structures: organisations with their commune, postal codes. Services: offers with organisation and branch,
    # zones, postal codes of branch communes, départements of the regional zones.
    with django_assert_max_num_queries(2):
        assert len(client.get(STRUCTURES_URL).json()) >= 30
    with django_assert_max_num_queries(4):
        assert len(client.get(SERVICES_URL).json()) == data_records("offers", published=True)
    for _ in range(15):
        org = OrganisationFactory(commune_id="49353")
        branch = Branch.objects.create(organisation=org, name="Antenne", commune_id="49353")
        OfferFactory(organisation=org, branch=branch, zones=[("region", "52"), ("commune", "49353")])
        OfferFactory(organisation=org, zones=[("departement", "53")])
    with django_assert_max_num_queries(2):
        assert len(client.get(STRUCTURES_URL).json()) >= 45
    with django_assert_max_num_queries(4):
        assert len(client.get(SERVICES_URL).json()) == data_records("offers", published=True) + 30


def test_date_maj_is_never_in_the_future():
    offer = OfferFactory()
    with freeze_time(date.today() - timedelta(days=1)):
        record = service_record(offer)
        assert record["date_maj"] == date.today().isoformat()
        validate_service(record)
