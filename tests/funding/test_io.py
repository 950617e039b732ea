"""Funding schemes as CSV or xlsx: round trips, all-or-nothing imports with French row errors, commands."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from maille.core.tabular import TabularError
from maille.funding.io import COLUMNS, export_schemes, import_schemes
from maille.funding.models import FundingScheme
from tests.conftest import data_records
from tests.directory.test_io import set_cell, write_table

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx"]


def exported():
    headers, rows = export_schemes()
    return list(headers), [list(row) for row in rows]


def test_export_has_every_scheme_in_the_import_columns():
    headers, rows = exported()
    assert headers == COLUMNS
    assert len(rows) == FundingScheme.objects.count() == data_records("funding")
    row = dict(zip(headers, rows[[r[0] for r in rows].index("fdva1-formation-benevoles-2027")], strict=True))
    assert (row["financeurs"], row["type"], row["recurrence"]) == ("drajes-pdl", "subvention", "recurrent")
    assert (row["ouverture"], row["date_limite"]) == ("", "")  # no invented campaign dates (issue 11)
    assert (row["stades"], row["formes_juridiques"], row["zones"]) == (
        "developpement|consolidation",
        "association",
        "region:52",
    )
    assert (row["montant_min"], row["taux"]) == (None, "")


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_changes_nothing(tmp_path, fmt):
    headers, rows = exported()
    report = import_schemes(write_table(tmp_path / f"dispositifs.{fmt}", headers, rows))
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, data_records("funding"))
    assert exported() == (headers, rows)


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_changed_cell_updates_one_scheme(tmp_path, fmt):
    headers, rows = exported()
    set_cell(headers, rows, "fdva1-formation-benevoles-2027", "date_limite", "2027-03-01")
    report = import_schemes(write_table(tmp_path / f"dispositifs.{fmt}", headers, rows))
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 1, data_records("funding") - 1)
    assert FundingScheme.objects.get(slug="fdva1-formation-benevoles-2027").closes_on == date(2027, 3, 1)


def test_funders_dates_as_excel_resaves_them_and_a_new_scheme(tmp_path):
    headers, rows = exported()
    set_cell(headers, rows, "fdva1-formation-benevoles-2027", "financeurs", "drajes-pdl|cress-pdl")
    set_cell(headers, rows, "fdva1-formation-benevoles-2027", "ouverture", "15/12/2026")
    new = list(rows[0])
    new[:4] = ["nouveau-dispositif", "Nouveau dispositif", "france-active-pdl", "pret"]
    new[headers.index("montant_min")], new[headers.index("montant_max")] = "1 000", "5000"
    new[headers.index("statut")] = "published"
    report = import_schemes(write_table(tmp_path / "dispositifs.csv", headers, [*rows, new], delimiter=";"))
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (1, 1, data_records("funding") - 1)
    scheme = FundingScheme.objects.get(slug="fdva1-formation-benevoles-2027")
    assert set(scheme.funders.values_list("slug", flat=True)) == {"drajes-pdl", "cress-pdl"}
    assert scheme.opens_on == date(2026, 12, 15)
    created = FundingScheme.objects.get(slug="nouveau-dispositif")
    assert (created.kind, created.amount_min, created.amount_max) == ("pret", 1000, 5000)
    assert created.published_at is not None  # saved through save_scheme


def test_bad_rows_import_nothing_and_are_all_reported(tmp_path):
    headers, rows = exported()
    before = exported()
    slugs = [row[0] for row in rows]
    set_cell(headers, rows, slugs[0], "nom", "Un nom corrigé")  # good, yet not saved
    bad = {
        set_cell(headers, rows, slugs[1], "financeurs", "drajes-pdl|inconnu"): "financeurs",
        set_cell(headers, rows, slugs[2], "ouverture", "31/02/2027"): "ouverture",
        set_cell(headers, rows, slugs[3], "type", "don"): "type",
        set_cell(headers, rows, slugs[5], "zones", "canton:1"): "zones",
        set_cell(headers, rows, slugs[6], "financeurs", ""): "financeurs",
        set_cell(headers, rows, slugs[7], "stades", "creation|eclosion"): "stades",
    }
    number = set_cell(headers, rows, slugs[4], "montant_min", "9000")
    set_cell(headers, rows, slugs[4], "montant_max", "500")
    bad[number] = "montant_min"
    number = set_cell(headers, rows, slugs[8], "ouverture", "2027-06-01")
    set_cell(headers, rows, slugs[8], "date_limite", "2027-01-31")
    bad[number] = "ouverture"

    report = import_schemes(write_table(tmp_path / "dispositifs.xlsx", headers, rows))

    assert {(e.row, e.column) for e in report.errors} == set(bad.items())
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert messages[(3, "financeurs")] == "Aucune organisation n'a l'identifiant « inconnu »."
    assert messages[(4, "ouverture")].startswith("« 31/02/2027 » n'est pas une date valide")
    assert "Code inconnu : « don »" in messages[(5, "type")]
    assert messages[(6, "montant_min")] == "La valeur 9000 dépasse celle de « montant_max » (500)."
    assert "canton:1 — Niveau inconnu" in messages[(7, "zones")]
    assert messages[(8, "financeurs")] == "Indiquez au moins un financeur (identifiant d'organisation)."
    assert "« eclosion »" in messages[(9, "stades")]
    assert (
        messages[(10, "ouverture")] == "La valeur 2027-06-01 dépasse celle de « date_limite » (2027-01-31)."
    )
    assert exported() == before
    assert not FundingScheme.objects.filter(name="Un nom corrigé").exists()


def test_missing_column_is_named(tmp_path):
    headers, rows = exported()
    path = write_table(tmp_path / "dispositifs.csv", headers[:-1], [row[:-1] for row in rows])
    with pytest.raises(TabularError, match="Colonnes obligatoires absentes : « source »"):
        import_schemes(path)


@pytest.mark.parametrize("fmt", FORMATS)
def test_commands_export_then_dry_run_import(tmp_path, fmt):
    path = tmp_path / f"dispositifs.{fmt}"
    call_command("export_funding", str(path), stdout=io.StringIO())
    headers, rows = exported()
    set_cell(headers, rows, "fdva1-formation-benevoles-2027", "taux", "80 %")
    write_table(path, headers, rows)
    out = io.StringIO()
    call_command("import_funding", str(path), "--dry-run", stdout=out, stderr=io.StringIO())
    assert f"mises à jour : 1 ; sans changement : {data_records('funding') - 1}" in out.getvalue()
    assert FundingScheme.objects.get(slug="fdva1-formation-benevoles-2027").rate == ""
    call_command("import_funding", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert FundingScheme.objects.get(slug="fdva1-formation-benevoles-2027").rate == "80 %"


def test_import_command_with_errors_changes_nothing(tmp_path):
    headers, rows = exported()
    set_cell(headers, rows, "fdva1-formation-benevoles-2027", "taux", "80 %")
    number = set_cell(headers, rows, rows[-1][0], "date_limite", "bientôt")
    path = write_table(tmp_path / "dispositifs.csv", headers, rows)
    err = io.StringIO()
    with pytest.raises(CommandError, match="import refusé"):
        call_command("import_funding", str(path), "--dry-run", stdout=io.StringIO(), stderr=err)
    assert (
        f"Ligne {number}, colonne « date_limite » : « bientôt » n'est pas une date valide" in err.getvalue()
    )
    assert FundingScheme.objects.get(slug="fdva1-formation-benevoles-2027").rate == ""
