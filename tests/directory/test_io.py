"""Offers as CSV or xlsx: export → import round trips, all-or-nothing imports with French row errors, commands."""

import csv
import io
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from maille.core.exports import tabular_response
from maille.core.tabular import TabularError, read_table
from maille.directory.io import COLUMNS, export_offers, import_offers
from maille.directory.models import Offer
from tests.conftest import data_records

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx"]


def write_table(path, headers, rows, delimiter=",", bom=True):
    """Write a table as an export would (xlsx), or as CSV with a chosen separator and optional BOM."""
    if path.suffix == ".xlsx":
        path.write_bytes(tabular_response("xlsx", "feuille", headers, rows).content)
    else:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter).writerows([headers, *rows])
        path.write_text(("\ufeff" if bom else "") + buffer.getvalue(), encoding="utf-8")
    return path


def set_cell(headers, rows, slug, column, value) -> int:
    """Change one cell of the row of `slug`; return its spreadsheet row number (the header is row 1)."""
    index = next(i for i, row in enumerate(rows) if row[0] == slug)
    rows[index][headers.index(column)] = value
    return index + 2


def exported():
    headers, rows = export_offers()
    return list(headers), [list(row) for row in rows]


def test_export_has_every_offer_in_the_import_columns():
    headers, rows = exported()
    assert headers == COLUMNS
    assert len(rows) == Offer.objects.count() == data_records("offers")
    row = dict(zip(headers, rows[[r[0] for r in rows].index("cress-appui-ptce")], strict=True))
    assert row["organisation"] == "cress-pdl"
    assert row["antenne"] == ""
    assert row["stades"] == "emergence|creation|consolidation"
    assert row["zones"] == "region:52"
    assert (row["gratuit"], row["a_distance"], row["statut"]) == ("oui", "oui", "published")
    solilab = dict(zip(headers, rows[[r[0] for r in rows].index("solilab-bureaux")], strict=True))
    assert solilab["antenne"] == "Solilab (exploité par la SCIC Lieux Communs)"
    assert solilab["zones"] == "epci:244400404"


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_changes_nothing(tmp_path, fmt):
    headers, rows = exported()
    report = import_offers(write_table(tmp_path / f"offres.{fmt}", headers, rows))
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, data_records("offers"))
    assert exported() == (headers, rows)


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_changed_cell_updates_one_offer(tmp_path, fmt):
    headers, rows = exported()
    set_cell(headers, rows, "iresa-locomotive", "stades", "emergence|creation")
    report = import_offers(write_table(tmp_path / f"offres.{fmt}", headers, rows))
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 1, data_records("offers") - 1)
    assert Offer.objects.get(slug="iresa-locomotive").stages == ["emergence", "creation"]
    assert exported() == (headers, rows)


def test_zones_and_new_offer(tmp_path):
    headers, rows = exported()
    set_cell(headers, rows, "iresa-locomotive", "zones", "departement:53|epci:244900015|france:")
    new = list(rows[0])
    new[:4] = [
        "nouvelle-offre",
        "Nouvelle offre",
        "ecossolies",
        "Solilab (exploité par la SCIC Lieux Communs)",
    ]
    new[headers.index("salaries_min")] = "2"
    new[headers.index("statut")] = "draft"
    report = import_offers(write_table(tmp_path / "offres.csv", headers, [*rows, new]))
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (1, 1, data_records("offers") - 1)
    zones = set(Offer.objects.get(slug="iresa-locomotive").zones.values_list("zone_level", "zone_code"))
    assert zones == {("departement", "53"), ("epci", "244900015"), ("france", "")}
    offer = Offer.objects.get(slug="nouvelle-offre")
    assert (offer.organisation.slug, offer.branch.name, offer.employees_min, offer.status) == (
        "ecossolies",
        "Solilab (exploité par la SCIC Lieux Communs)",
        2,
        "draft",
    )
    assert offer.search_text  # saved through save_offer


def test_bad_rows_import_nothing_and_are_all_reported(tmp_path):
    headers, rows = exported()
    before = exported()
    set_cell(headers, rows, "cress-appui-ptce", "nom", "Un nom corrigé")  # good, yet not saved
    bad = {
        set_cell(headers, rows, "iresa-locomotive", "stades", "creation|eclosion"): "stades",
        set_cell(headers, rows, "solilab-bureaux", "organisation", "inconnue"): "organisation",
        set_cell(headers, rows, "dla-44-collectif", "zones", "departement:99"): "zones",
        set_cell(headers, rows, "dla-49-collectif", "salaries_max", "0"): "salaries_min",
        set_cell(headers, rows, "dla-53-collectif", "gratuit", "peut-être"): "gratuit",
        set_cell(headers, rows, "dla-72-collectif", "annees_min", "deux"): "annees_min",
        set_cell(headers, rows, "dla-85-collectif", "antenne", "Antenne fantôme"): "antenne",
        set_cell(headers, rows, "urscop-suivi", "zones", "departement-53"): "zones",
    }
    duplicate = list(rows[0])
    rows.append(duplicate)
    bad[len(rows) + 1] = "slug"

    report = import_offers(write_table(tmp_path / "offres.csv", headers, rows))

    assert {(e.row, e.column) for e in report.errors} == set(bad.items())
    messages = {e.column: e.message for e in report.errors}
    assert "« eclosion »" in messages["stades"] and "emergence" in messages["stades"]
    assert messages["organisation"] == "Aucune organisation n'a l'identifiant « inconnue »."
    assert "Aucun territoire de niveau « departement » n'a le code « 99 »" in str(report)
    assert messages["salaries_min"] == "La valeur 1 dépasse celle de « salaries_max » (0)."
    assert "« oui » ou « non »" in messages["gratuit"]
    assert "n'est pas un nombre entier" in messages["annees_min"]
    assert "n'a pas d'antenne « Antenne fantôme »" in messages["antenne"]
    assert "Identifiant déjà utilisé ligne 2" in messages["slug"]
    assert "import refusé, rien n'a été enregistré" in report.summary()
    line = next(line for line in report.error_lines() if "stades" in line)
    assert line.startswith(f"Ligne {[r for r, c in bad.items() if c == 'stades'][0]}, colonne « stades » : ")
    assert exported() == before
    assert Offer.objects.get(slug="cress-appui-ptce").name != "Un nom corrigé"


def test_a_failing_save_rolls_every_row_back(tmp_path, monkeypatch):
    from maille.directory import io as offers_io

    real_save = offers_io.save_offer

    def save_offer(offer, zones):
        if offer.slug == "iresa-locomotive":
            raise ValidationError({"description": "Refusé par la base."})
        return real_save(offer, zones)

    monkeypatch.setattr(offers_io, "save_offer", save_offer)
    headers, rows = exported()
    set_cell(headers, rows, "cress-appui-ptce", "nom", "Un nom corrigé")
    number = set_cell(headers, rows, "iresa-locomotive", "nom", "Autre nom")
    report = import_offers(write_table(tmp_path / "offres.csv", headers, rows))
    assert [tuple(e) for e in report.errors] == [(number, "description", "Refusé par la base.")]
    assert not Offer.objects.filter(name__in=["Un nom corrigé", "Autre nom"]).exists()


def test_dry_run_counts_without_writing(tmp_path):
    headers, rows = exported()
    set_cell(headers, rows, "cress-appui-ptce", "nom", "Un nom corrigé")
    report = import_offers(write_table(tmp_path / "offres.xlsx", headers, rows), dry_run=True)
    assert (report.created, report.updated, report.unchanged) == (0, 1, data_records("offers") - 1)
    assert "Simulation" in report.summary()
    assert Offer.objects.get(slug="cress-appui-ptce").name != "Un nom corrigé"


def test_semicolon_csv_with_bom_as_excel_writes_it(tmp_path):
    headers, rows = exported()
    set_cell(headers, rows, "cress-appui-ptce", "description", "Ligne un ; deux, trois.\nLigne deux.")
    path = write_table(tmp_path / "offres.csv", headers, rows, delimiter=";", bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfslug;nom;")
    report = import_offers(path)
    assert (report.created, report.updated, report.unchanged) == (0, 1, data_records("offers") - 1)
    assert Offer.objects.get(slug="cress-appui-ptce").description == "Ligne un ; deux, trois.\nLigne deux."


def test_unknown_columns_are_ignored_and_reported(tmp_path):
    headers, rows = exported()
    report = import_offers(
        write_table(
            tmp_path / "offres.csv", [*headers, "Remarque"], [[*row, "note"] for row in rows], bom=False
        )
    )
    assert report.unchanged == data_records("offers")
    assert report.ignored_columns == ["remarque"]
    assert "Colonnes inconnues ignorées : « remarque »." in report.summary()


def test_missing_columns_are_named(tmp_path):
    headers, rows = exported()
    keep = [i for i, name in enumerate(headers) if name not in {"stades", "zones"}]
    path = write_table(
        tmp_path / "offres.csv", [headers[i] for i in keep], [[r[i] for i in keep] for r in rows]
    )
    with pytest.raises(TabularError, match="Colonnes obligatoires absentes : « stades », « zones »"):
        import_offers(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("offres.xls", b"x", "Format de fichier non pris en charge"),
        ("offres.csv", b"", "Le fichier est vide"),
        ("offres.csv", b"\n\n", "Le fichier est vide"),
        ("offres.csv", "slug,nom\nété,x\n".encode("cp1252"), "n'est pas encodé en UTF-8"),
        ("offres.xlsx", b"pas un classeur", "Fichier xlsx illisible"),
        ("offres.csv", b"slug,nom,Slug\n", "Colonnes en double : « slug »"),
    ],
)
def test_unreadable_files_give_a_french_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(TabularError, match=message):
        read_table(path, ["slug", "nom"])


def test_missing_file_gives_a_french_error(tmp_path):
    with pytest.raises(TabularError, match="Fichier introuvable : .*absent.csv »"):
        read_table(tmp_path / "absent.csv", ["slug"])
    (tmp_path / "dossier.csv").mkdir()
    with pytest.raises(TabularError, match="Impossible de lire le fichier"):
        read_table(tmp_path / "dossier.csv", ["slug"])


def test_row_numbers_are_spreadsheet_rows(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('\nSlug ;Nom\na;"deux\nlignes"\n\n;\nb;B\n', encoding="utf-8")
    table = read_table(path, ["slug", "nom"])
    assert table.headers == ["slug", "nom"]
    assert list(table.rows) == [(3, {"slug": "a", "nom": "deux\nlignes"}), (6, {"slug": "b", "nom": "B"})]


def test_xlsx_cells_typed_by_a_spreadsheet_read_as_export_text(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["slug", "nombre", "booleen", "date", "vide"])
    sheet.append([])
    sheet.append(["a", 3.0, True, datetime(2027, 2, 12), None])
    workbook.save(tmp_path / "t.xlsx")
    table = read_table(tmp_path / "t.xlsx", ["slug", "nombre", "booleen", "date", "vide"])
    assert list(table.rows) == [
        (3, {"slug": "a", "nombre": "3", "booleen": "oui", "date": "2027-02-12", "vide": ""})
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_commands_export_then_dry_run_import(tmp_path, fmt):
    path = tmp_path / f"offres.{fmt}"
    out = io.StringIO()
    call_command("export_offers", str(path), stdout=out)
    assert f"{data_records('offers')} lignes écrites" in out.getvalue()
    headers, rows = exported()
    assert read_table(path, COLUMNS).headers == headers
    set_cell(headers, rows, "cress-appui-ptce", "nom", "Un nom corrigé")
    write_table(path, headers, rows)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_offers", str(path), "--dry-run", stdout=out, stderr=err)
    assert f"mises à jour : 1 ; sans changement : {data_records('offers') - 1}" in out.getvalue()
    assert "Simulation : rien n'a été enregistré." in out.getvalue()
    assert "Vérification" in err.getvalue()  # the progress bar
    assert Offer.objects.get(slug="cress-appui-ptce").name != "Un nom corrigé"
    call_command("import_offers", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Offer.objects.get(slug="cress-appui-ptce").name == "Un nom corrigé"


def test_import_command_prints_every_error_and_fails(tmp_path):
    headers, rows = exported()
    first = set_cell(headers, rows, "iresa-locomotive", "stades", "eclosion")
    second = set_cell(headers, rows, "solilab-bureaux", "organisation", "inconnue")
    set_cell(headers, rows, "cress-appui-ptce", "nom", "Un nom corrigé")
    path = write_table(tmp_path / "offres.csv", headers, rows)
    err = io.StringIO()
    with pytest.raises(CommandError, match="import refusé"):
        call_command("import_offers", str(path), stdout=io.StringIO(), stderr=err)
    assert f"Ligne {first}, colonne « stades » : Code inconnu : « eclosion »." in err.getvalue()
    assert f"Ligne {second}, colonne « organisation » : Aucune organisation" in err.getvalue()
    assert Offer.objects.get(slug="cress-appui-ptce").name != "Un nom corrigé"


def test_commands_reject_unknown_extensions_and_missing_columns(tmp_path):
    with pytest.raises(CommandError, match="choisissez .csv ou .xlsx"):
        call_command("export_offers", str(tmp_path / "offres.ods"))
    path = tmp_path / "offres.csv"
    path.write_text("slug,nom\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Colonnes obligatoires absentes : « organisation »"):
        call_command("import_offers", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def test_the_import_page_refuses_a_file_over_5_mb_and_caps_rows(client, tmp_path, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from maille.core import tabular
    from maille.directory.models import Offer
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True))
    before = Offer.objects.count()
    big = SimpleUploadedFile(
        "offres.csv", b"slug,nom\n" + b"x" * (5 * 1024 * 1024 + 1), content_type="text/csv"
    )
    response = client.post("/annuaire/import/", {"kind": "offers", "file": big, "dry_run": "on"})
    assert response.status_code == 400
    assert "5 Mo au plus" in response.content.decode()
    monkeypatch.setattr(tabular, "MAX_ROWS", 3)
    path = tmp_path / "offres.csv"
    path.write_text("a,b\n1,2\n3,4\n5,6\n7,8\n", encoding="utf-8")
    with pytest.raises(tabular.TabularError, match="plus de 3 lignes"):
        list(tabular.read_table(path, ["a", "b"]).rows)
    assert Offer.objects.count() == before
