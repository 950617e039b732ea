"""Directory pages: search with a typed commune, offer and organisation pages, competences map, offer editing."""

import pytest
from django.core.management import call_command

from maille.accounts.enums import MemberRole
from maille.directory.models import Offer, Organisation
from tests.factories import MembershipFactory, OfferFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_search_by_commune_name_and_stage_lists_the_mayenne_dla_first(client):
    html = client.get("/annuaire/", {"commune": "Laval", "stage": "consolidation"}).content.decode()
    assert "Accompagnement DLA de la Mayenne" in html
    assert "DLA de Loire-Atlantique" not in html


def test_an_ambiguous_postal_code_asks_to_pick_the_commune(client):
    html = client.get("/annuaire/", {"commune": "49800"}).content.decode()
    assert "Plusieurs communes correspondent" in html
    assert "commune=49353" in html  # Trélazé is offered as a choice


def test_an_unknown_commune_is_a_clear_french_error(client):
    html = client.get("/annuaire/", {"commune": "Atlantide"}).content.decode()
    assert "Aucune commune ne correspond à « Atlantide »" in html


def test_bad_filter_values_show_errors_not_a_500(client):
    response = client.get("/annuaire/", {"stage": "nimporte", "page": "abc"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_search_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get("/annuaire/", {"commune": "53130", "stage": "consolidation"})


def test_offer_page_shows_what_demo_fields_are_and_cites_its_source(client):
    html = client.get("/annuaire/offres/dla-53-accompagnement/").content.decode()
    assert "<h1>Accompagnement DLA de la Mayenne</h1>" in html
    assert "démo, à confirmer" in html
    assert "Mayenne" in html and "https://" in html


def test_a_draft_offer_is_hidden_from_the_public_but_not_from_its_organisation(client):
    offer = OfferFactory(status="draft")
    assert client.get(f"/annuaire/offres/{offer.slug}/").status_code == 404
    member = MembershipFactory(organisation=offer.organisation).user
    client.force_login(member)
    assert client.get(f"/annuaire/offres/{offer.slug}/").status_code == 200


def test_organisation_page_lists_its_offers_and_schemes(client):
    html = client.get("/annuaire/organisations/drajes-pdl/").content.decode()
    assert "FDVA" in html


def test_competences_map_hides_advisor_names_from_the_public(client):
    call_command("load_demo", verbosity=0)
    public = client.get("/annuaire/competences/", {"need": "modele_economique"}).content.decode()
    assert "Accompagnateur</th>" not in public
    assert "competence-counts" in public
    client.force_login(MembershipFactory().user)
    member = client.get("/annuaire/competences/", {"need": "modele_economique"}).content.decode()
    assert "Accompagnateur</th>" in member


def offer_form_data(**changes):
    data = {
        "name": "Permanence juridique",
        "description": "Des réponses aux questions de statuts.",
        "stages": ["emergence", "creation"],
        "needs": ["juridique"],
        "mobilisation": "maille",
        "status": "published",
        "zones": "departement 49\nepci 244900015",
        "is_free": "on",
        "on_site": "on",
    }
    data.update(changes)
    return data


def test_a_member_creates_an_offer_for_their_organisation(client):
    membership = MembershipFactory(role=MemberRole.ADVISOR)
    client.force_login(membership.user)
    response = client.post(
        f"/annuaire/organisations/{membership.organisation.slug}/nouvelle-offre/", offer_form_data()
    )
    offer = Offer.objects.get(name="Permanence juridique")
    assert response.status_code == 302
    assert offer.organisation == membership.organisation
    assert set(offer.zones.values_list("zone_level", "zone_code")) == {
        ("departement", "49"),
        ("epci", "244900015"),
    }
    assert "permanence juridique" in offer.search_text


def test_an_outsider_cannot_edit_an_offer_and_anonymous_must_log_in(client):
    offer = Offer.objects.get(slug="dla-53-accompagnement")
    assert client.get(f"/annuaire/offres/{offer.slug}/modifier/").status_code == 302
    client.force_login(UserFactory())
    assert client.get(f"/annuaire/offres/{offer.slug}/modifier/").status_code == 403
    response = client.post(f"/annuaire/offres/{offer.slug}/modifier/", offer_form_data(name="Piratée"))
    assert response.status_code == 403
    assert Offer.objects.get(pk=offer.pk).name == "Accompagnement DLA de la Mayenne"


def test_an_invalid_offer_form_changes_nothing_and_says_why_in_french(client):
    dla = Organisation.objects.get(slug="dla-53")
    client.force_login(MembershipFactory(organisation=dla).user)
    offer = Offer.objects.get(slug="dla-53-accompagnement")
    before = (offer.name, list(offer.zones.values_list("zone_level", "zone_code")))
    response = client.post(
        f"/annuaire/offres/{offer.slug}/modifier/",
        offer_form_data(name="Nouveau nom", zones="departement 99", employees_min="10", employees_max="2"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Corrigez les champs signalés" in html
    offer.refresh_from_db()
    assert (offer.name, list(offer.zones.values_list("zone_level", "zone_code"))) == before


def test_an_unknown_zone_is_a_form_error_not_a_500(client):
    client.force_login(UserFactory(is_staff=True))
    response = client.post(
        "/annuaire/offres/dla-53-accompagnement/modifier/",
        offer_form_data(name="Autre nom", zones="departement 99"),
    )
    assert response.status_code == 200
    assert "Aucun territoire de niveau « departement » n&#x27;a le code « 99 »" in response.content.decode()
    assert Offer.objects.get(slug="dla-53-accompagnement").name == "Accompagnement DLA de la Mayenne"


def test_staff_edit_any_offer(client):
    client.force_login(UserFactory(is_staff=True))
    offer = Offer.objects.get(slug="dla-53-accompagnement")
    response = client.post(
        f"/annuaire/offres/{offer.slug}/modifier/",
        offer_form_data(name="DLA 53 (modifiée)", zones="departement 53"),
    )
    assert response.status_code == 302
    assert Offer.objects.get(pk=offer.pk).name == "DLA 53 (modifiée)"


def test_search_results_download_as_csv_and_xlsx_with_the_import_columns_and_labels(client):
    import io

    from openpyxl import load_workbook

    from maille.directory.io import COLUMNS

    response = client.get("/annuaire/", {"commune": "53130", "stage": "consolidation", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert "dla-53-accompagnement" in "\n".join(lines)
    xlsx = client.get("/annuaire/", {"commune": "53130", "stage": "consolidation", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == len(lines)
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    row = dict(zip(COLUMNS, [c.value for c in sheet[2]], strict=True))
    assert row["statut"] == "Publiée"  # labels, not codes, in a download meant for reading
    assert "Consolidation (fragilité, relance)" in row["stades"]
    assert "(département)" in row["zones"] or "(région)" in row["zones"] or "(EPCI)" in row["zones"]
    assert ":" not in row["zones"]
    assert client.get("/annuaire/", {"commune": "53130", "format": "pdf"}).status_code == 400


def test_the_export_command_keeps_codes_so_that_the_file_imports_again(tmp_path):
    from maille.core.exports import tabular_response
    from maille.directory.io import export_offers, import_offers

    headers, rows = export_offers(Offer.objects.filter(slug="dla-53-accompagnement"))
    row = dict(zip(headers, rows[0], strict=True))
    assert row["statut"] == "published" and row["zones"] == "departement:53"
    path = tmp_path / "offres.csv"
    path.write_bytes(tabular_response("csv", "offres", headers, rows).content)
    assert not import_offers(path, dry_run=True).errors


def test_offer_zones_show_names_and_levels_not_codes(client, django_assert_max_num_queries):
    from maille.directory.selectors import with_zone_labels

    offers = [
        OfferFactory(zones=[("epci", "244900015"), ("departement", "53")]),
        OfferFactory(zones=[("commune", "49353"), ("region", "52"), ("france", "")]),
    ]
    with django_assert_max_num_queries(3):  # the offers, their zones, then every name at once
        labelled = with_zone_labels(
            Offer.objects.filter(pk__in=[o.pk for o in offers]).prefetch_related("zones")
        )
    by_id = {offer.pk: offer.zone_labels for offer in labelled}
    assert by_id[offers[0].pk] == [
        {"name": "CU Angers Loire Métropole", "level": "EPCI"},
        {"name": "Mayenne", "level": "département"},
    ]
    assert [z["name"] for z in by_id[offers[1].pk]] == ["Trélazé", "Pays de la Loire", "France entière"]
    html = client.get(f"/annuaire/offres/{offers[0].slug}/").content.decode()
    assert 'CU Angers Loire Métropole <span class="muted">(EPCI)</span>' in html
    assert "244900015" not in html


def test_an_empty_search_says_what_to_try_with_links_that_remove_a_filter(client):
    html = client.get(
        "/annuaire/", {"commune": "Laval", "stage": "consolidation", "q": "zzzintrouvable"}
    ).content.decode()
    assert 'id="empty-state"' in html and "Essayez" in html
    assert "retirer le filtre mots-clés « zzzintrouvable »" in html
    assert 'href="?commune=Laval&amp;stage=consolidation"' in html  # the same search without the keywords
    assert "chercher hors de Laval" in html


def test_a_bad_import_code_lists_the_codes_with_their_labels(tmp_path):
    from maille.directory.io import COLUMNS, import_offers

    values = {c: "" for c in COLUMNS}
    values.update(slug="x", nom="X", organisation="dla-53", stades="nimporte", zones="departement:53")
    path = tmp_path / "offres.csv"
    path.write_text(",".join(COLUMNS) + "\n" + ",".join(values[c] for c in COLUMNS) + "\n", encoding="utf-8")
    messages = " ".join(str(e) for e in import_offers(path, dry_run=True).errors)
    assert "« emergence » (Émergence (idée, faisabilité))" in messages


def test_staff_import_page_refuses_a_bad_file_whole_and_names_each_row(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from maille.core.exports import tabular_response
    from maille.directory.io import export_offers

    headers, rows = export_offers(Offer.objects.filter(slug="dla-53-accompagnement"))
    rows = [list(rows[0]), list(rows[0])]
    rows[0][headers.index("nom")] = "Nom modifié"
    rows[1][headers.index("slug")] = "nouvelle-offre"
    rows[1][headers.index("stades")] = "idee"
    content = tabular_response("csv", "x", headers, rows).content
    upload = SimpleUploadedFile("offres.csv", content, content_type="text/csv")
    client.force_login(UserFactory())
    assert client.post("/annuaire/import/", {"kind": "offers", "file": upload}).status_code == 403
    client.force_login(UserFactory(is_staff=True))
    upload.seek(0)
    response = client.post("/annuaire/import/", {"kind": "offers", "file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Import refusé" in html and "Ligne 3" in html
    assert Offer.objects.get(slug="dla-53-accompagnement").name == "Accompagnement DLA de la Mayenne"
    assert not Offer.objects.filter(slug="nouvelle-offre").exists()


def test_funding_results_download_with_labels_and_the_deadline(client):
    import csv
    import io

    from maille.funding.io import COLUMNS

    response = client.get("/financements/", {"commune": "Laval", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]) == [*COLUMNS, "echeance"]
    assert {row["statut"] for row in rows} == {"Publiée"}
    assert {row["echeance"] for row in rows} <= {"Ouvert", "Clôture proche", "Clos"}
    assert not {row["type"] for row in rows} & {"subvention", "pret", "garantie"}  # labels, not codes


def test_every_published_record_of_the_data_files_has_a_page_with_its_source(client):
    """The regional data as loaded: each offer, organisation and scheme page renders and cites its source."""
    from maille.funding.models import FundingScheme

    pages = [
        *((f"/annuaire/offres/{o.slug}/", o.source_url) for o in Offer.objects.filter(status="published")),
        *((f"/annuaire/organisations/{o.slug}/", o.source_url) for o in Organisation.objects.all()),
        *(
            (f"/financements/dispositifs/{s.slug}/", s.source_url)
            for s in FundingScheme.objects.filter(status="published")
        ),
    ]
    assert len(pages) >= 250
    for url, source in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        if source:
            assert source.replace("&", "&amp;") in response.content.decode(), url
