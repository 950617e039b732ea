"""`sync_data_inclusion` on recorded responses of the data·inclusion API (our own, validated by the schema package):
the region's structures and their business-creation services are imported « à relire », organisations and offers
already in the directory are not duplicated, a person's edit is kept, a bad file is refused with nothing written."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from maille.directory.enums import Origin, PublicationStatus
from maille.directory.models import Offer, Organisation

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
STRUCTURES = str(FIXTURES / "data_inclusion_structures.json")
SERVICES = str(FIXTURES / "data_inclusion_services.json")


def sync(*files, dry_run=False, verbosity=1):
    out = StringIO()
    args = [arg for path in files for arg in ("--file", path)]
    call_command(
        "sync_data_inclusion",
        *args,
        *(["--dry-run"] if dry_run else []),
        stdout=out,
        stderr=StringIO(),
        verbosity=verbosity,
    )
    return out.getvalue()


def imported_offers():
    return Offer.objects.filter(origin=Origin.DATA_INCLUSION)


def test_the_regions_structures_and_creation_services_are_imported_to_review():
    organisations = Organisation.objects.count()
    output = sync(STRUCTURES, SERVICES)
    assert "3 nouvelles fiches" in output
    coop = Organisation.objects.get(origin=Origin.DATA_INCLUSION)
    assert coop.external_id == "dora--exemple-coop-laval" and coop.commune_id == "53130"
    assert Organisation.objects.count() == organisations + 1
    offer = imported_offers().get(external_id="dora--exemple-coop-laval--tester")
    assert offer.status == PublicationStatus.TO_REVIEW
    assert offer.organisation == coop
    assert offer.stages == ["emergence", "creation"]
    assert offer.needs == ["modele_economique"] and "needs" in offer.demo_fields
    assert offer.is_free and offer.on_site and offer.remote
    assert offer.mobilisation == "link" and offer.contact == "https://coop-exemple.example.org/candidater"
    assert list(offer.zones.values_list("zone_level", "zone_code")) == [("departement", "53")]


def test_a_structure_already_in_the_directory_is_not_duplicated_and_gets_the_new_service():
    sync(STRUCTURES, SERVICES)
    adie = Organisation.objects.get(slug="adie-pdl")
    assert Organisation.objects.filter(name="Adie Pays de la Loire").count() == 1
    new = imported_offers().get(external_id="dora--adie-nantes--numerique")
    assert new.organisation == adie and new.needs == ["numerique"]
    assert set(new.zones.values_list("zone_level", "zone_code")) == {
        ("departement", "44"),
        ("departement", "85"),
    }
    assert new.mobilisation == "email"


def test_a_hand_entered_offer_is_never_duplicated():
    sync(STRUCTURES, SERVICES)
    assert Offer.objects.filter(name="Accompagnement des micro-entrepreneurs (Adie)").count() == 1


def test_the_summary_gives_each_reason_for_skipping():
    output = sync(STRUCTURES, SERVICES)
    for reason in (
        "structure hors de la région",
        "fiche exportée par Maille",
        "non conforme au schéma data·inclusion (nom)",
        "thématiques sans rapport avec la création d'entreprise",
        "offre déjà saisie à la main",
        "structure absente ou hors de la région",
        "organisation déjà dans l'annuaire (adie-pdl)",
    ):
        assert reason in output


def test_running_again_changes_nothing_and_keeps_a_persons_edit():
    sync(STRUCTURES, SERVICES)
    offer = imported_offers().get(external_id="dora--exemple-coop-laval--tester")
    offer.description = "Description relue par l'équipe."
    offer.mark_edited(["description"])
    offer.save()
    output = sync(STRUCTURES, SERVICES)
    assert "0 nouvelles fiches, 0 mises à jour" in output
    offer.refresh_from_db()
    assert offer.description == "Description relue par l'équipe."


def test_dry_run_writes_nothing():
    organisations, offers = Organisation.objects.count(), Offer.objects.count()
    output = sync(STRUCTURES, SERVICES, dry_run=True)
    assert "3 nouvelles fiches" in output and "rien n'a été enregistré" in output
    assert (Organisation.objects.count(), Offer.objects.count()) == (organisations, offers)


def test_a_bad_file_is_refused_in_french_with_nothing_written(tmp_path):
    bad = tmp_path / "services.json"
    bad.write_text('{"items": [{"structure_id": "x"}]}', encoding="utf-8")
    offers = Offer.objects.count()
    with pytest.raises(CommandError, match="n'a pas de source, d'id ou de nom"):
        sync(STRUCTURES, str(bad))
    assert Offer.objects.count() == offers
    assert not Organisation.objects.filter(origin=Origin.DATA_INCLUSION).exists()
