"""Actions and measurements as CSV/xlsx: the same columns both ways (a round trip changes nothing), all-or-nothing
imports naming every bad row, dry runs, and the import/export commands."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from maille.core.exports import tabular_response
from maille.strategy import demo
from maille.strategy.enums import ActionStatus, ProgressSource
from maille.strategy.io import (
    ACTION_COLUMNS,
    MEASUREMENT_COLUMNS,
    export_actions,
    export_measurements,
    import_actions,
    import_measurements,
)
from maille.strategy.models import Action, Measurement
from maille.strategy.selectors import current_strategy

pytestmark = pytest.mark.django_db

CONSOLIDATION = "Structures de l'ESS accompagnées en consolidation (démo)"


def write(path, headers, rows):
    fmt = path.suffix.lstrip(".")
    path.write_bytes(tabular_response(fmt, "feuille", headers, rows).content)
    return path


def csv_file(tmp_path, headers, rows, name="f.csv"):
    return write(tmp_path / name, headers, rows)


def action_row(**cells) -> list[str]:
    values = {
        "code": "A-1",
        "titre": "Une action",
        "description": "",
        "objectifs": "O1",
        "statut": "started",
        "avancement_force": "",
        "source_avancement": "",
        "poids": "1",
        "justification_avancement": "",
        "debut": "",
        "fin": "",
        "pilotes": "cress-pdl",
        "contacts": "",
        "partenaires": "",
        "niveau": "",
        "territoire": "",
        "budget_prevu": "",
        "budget_consomme": "",
        "offres": "",
        "dispositifs": "",
        "demo": "",
    }
    values.update(cells)
    return [values[c] for c in ACTION_COLUMNS]


@pytest.fixture
def demo_data():
    demo.load()
    return current_strategy()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_actions_round_trip_unchanged(fmt, tmp_path, demo_data):
    headers, rows = export_actions()
    assert headers == ACTION_COLUMNS
    assert len(rows) == 7
    by_code = {row[0]: dict(zip(headers, row, strict=True)) for row in rows}
    assert by_code["DEMO-4"]["objectifs"] == "O6:1.5|O7:1.5"
    assert by_code["DEMO-4"]["poids"] == ""  # the weights are in `objectifs`
    assert by_code["DEMO-6"]["niveau"] == "departement" and by_code["DEMO-6"]["territoire"] == "49"
    assert by_code["DEMO-6"]["avancement_force"] == 10
    assert by_code["DEMO-1"]["demo"] == "oui"

    path = write(tmp_path / f"actions.{fmt}", headers, rows)
    report = import_actions(path)
    assert report.ok, report.error_lines()
    assert (report.created, report.updated, report.unchanged) == (0, 0, 7)
    assert export_actions() == (headers, rows)


def test_actions_import_creates_and_updates(tmp_path, demo_data):
    rows = [
        action_row(
            code="A-1",
            objectifs="O1|O10:3",
            poids="2,5",
            debut="2024-01-01",
            fin="31/12/2026",
            partenaires="region-pdl|banque-des-territoires",
            niveau="departement",
            territoire="53",
            source_avancement="indicators",
        ),
        action_row(code="DEMO-2", titre="Titre changé (fictive)", statut="done", demo="oui", objectifs="O2"),
    ]
    report = import_actions(csv_file(tmp_path, ACTION_COLUMNS, rows))
    assert report.ok, report.error_lines()
    assert (report.created, report.updated) == (1, 1)
    action = Action.objects.get(strategy=demo_data, code="A-1")
    assert sorted(o.code for o in action.objectives.all()) == ["O1", "O10"]
    weights = {link.objective.code: link.weight for link in action.objective_links.all()}
    assert weights == {"O1": Decimal("2.5"), "O10": Decimal("3")}
    assert (action.start_date, action.end_date) == (date(2024, 1, 1), date(2026, 12, 31))
    assert {o.slug for o in action.partners.all()} == {"region-pdl", "banque-des-territoires"}
    assert (action.zone_level, action.zone_code) == ("departement", "53")
    assert action.progress_source == ProgressSource.INDICATORS
    assert action.is_demo is False
    updated = Action.objects.get(strategy=demo_data, code="DEMO-2")
    assert updated.title == "Titre changé (fictive)" and updated.status == ActionStatus.DONE
    assert (updated.zone_level, updated.zone_code) == ("region", "52")  # empty zone: the strategy's region


def test_one_bad_action_row_imports_nothing_and_every_bad_row_is_named(tmp_path):
    rows = [
        action_row(code="A-1"),
        action_row(code="A-2", objectifs="O99", statut="finie"),
        action_row(code="A-3"),
        action_row(code="A-1"),  # repeated code
        action_row(code="A-5", poids="beaucoup", debut="2026-01-01", fin="2025-01-01", pilotes="inconnue"),
        action_row(code="A-6", objectifs="", niveau="departement", territoire="99", avancement_force="150"),
        action_row(code="", titre=""),
    ]
    report = import_actions(csv_file(tmp_path, ACTION_COLUMNS, rows))
    assert not report.ok
    assert Action.objects.count() == 0
    assert {e.row for e in report.errors} == {3, 5, 6, 7, 8}
    lines = "\n".join(report.error_lines())
    assert "Ligne 3, colonne « objectifs » : Objectif inconnu : « O99 »" in lines
    assert "Ligne 3, colonne « statut » : Code inconnu : « finie »" in lines
    assert "Ligne 5, colonne « code » : Cette ligne reprend la ligne 2" in lines
    assert "Ligne 6, colonne « poids »" in lines and "n'est pas un nombre" in lines
    assert "Ligne 6, colonne « debut »" in lines
    assert "Ligne 6, colonne « pilotes » : Aucune organisation n'a l'identifiant « inconnue »" in lines
    assert "Ligne 7, colonne « objectifs » : Indiquez au moins un objectif" in lines
    assert "Ligne 7, colonne « territoire »" in lines
    assert "Ligne 7, colonne « avancement_force »" in lines
    assert "Ligne 8, colonne « code » : Indiquez le code de l'action." in lines
    assert "rien n'a été enregistré" in report.summary()


def test_actions_dry_run_writes_nothing(tmp_path):
    report = import_actions(csv_file(tmp_path, ACTION_COLUMNS, [action_row(code="A-1")]), dry_run=True)
    assert report.ok and report.created == 1
    assert not Action.objects.exists()
    assert "Simulation" in report.summary()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_measurements_round_trip_unchanged(fmt, tmp_path, demo_data):
    headers, rows = export_measurements()
    assert headers == MEASUREMENT_COLUMNS == ["indicateur", "date", "valeur", "niveau", "territoire", "note"]
    assert len(rows) == Measurement.objects.count() == 11
    assert [CONSOLIDATION, "2025-12-31", "30", "departement", "44", demo.DEMO_NOTE] in rows
    path = write(tmp_path / f"mesures.{fmt}", headers, rows)
    report = import_measurements(path)
    assert report.ok, report.error_lines()
    assert (report.created, report.updated, report.unchanged) == (0, 0, 11)
    assert export_measurements() == (headers, rows)


def test_measurements_import_creates_and_updates(tmp_path, demo_data):
    rows = [
        [CONSOLIDATION, "2026-06-30", "95,5", "", "", "Tableau de bord CRESS"],
        [CONSOLIDATION, "2025-12-31", "31", "departement", "44", "Corrigé"],
        [CONSOLIDATION, "2026-06-30", "12", "epci", "200083392", ""],
    ]
    report = import_measurements(csv_file(tmp_path, MEASUREMENT_COLUMNS, rows))
    assert report.ok, report.error_lines()
    assert (report.created, report.updated, report.unchanged) == (2, 1, 0)
    total = Measurement.objects.get(indicator__name=CONSOLIDATION, date=date(2026, 6, 30), zone_level="")
    assert total.value == Decimal("95.5") and total.source_note == "Tableau de bord CRESS"
    fixed = Measurement.objects.get(indicator__name=CONSOLIDATION, date=date(2025, 12, 31), zone_code="44")
    assert fixed.value == 31 and fixed.source_note == "Corrigé"


def test_one_bad_measurement_row_imports_nothing_and_every_bad_row_is_named(tmp_path, demo_data):
    before = Measurement.objects.count()
    rows = [
        [CONSOLIDATION, "2026-06-30", "95", "", "", ""],
        ["Indicateur inconnu", "2026-06-30", "1", "", "", ""],
        [CONSOLIDATION, "30 juin", "", "", "", ""],
        [CONSOLIDATION, "2026-06-30", "96", "", "", ""],  # same key as row 2
        [CONSOLIDATION, "2026-06-30", "3", "departement", "99", ""],
        [CONSOLIDATION, "2026-06-30", "3", "", "53", ""],
        [CONSOLIDATION, "", "1e999999", "", "", ""],
    ]
    report = import_measurements(csv_file(tmp_path, MEASUREMENT_COLUMNS, rows))
    assert not report.ok
    assert Measurement.objects.count() == before
    assert {e.row for e in report.errors} == {3, 4, 5, 6, 7, 8}
    lines = "\n".join(report.error_lines())
    assert "Ligne 3, colonne « indicateur » : Aucun indicateur de la stratégie ne s'appelle" in lines
    assert (
        "Ligne 4, colonne « date »" in lines and "Ligne 4, colonne « valeur » : Indiquez la valeur" in lines
    )
    assert "Ligne 5 : Cette ligne reprend la ligne 2" in lines
    assert "Ligne 6, colonne « territoire »" in lines
    assert "Ligne 7, colonne « niveau »" in lines
    assert "Ligne 8, colonne « date » : Indiquez la date" in lines


def test_measurements_dry_run_writes_nothing(tmp_path, demo_data):
    before = Measurement.objects.count()
    path = csv_file(tmp_path, MEASUREMENT_COLUMNS, [[CONSOLIDATION, "2026-06-30", "95", "", "", ""]])
    report = import_measurements(path, dry_run=True)
    assert report.ok and report.created == 1
    assert Measurement.objects.count() == before


def test_missing_columns_refuse_the_file(tmp_path):
    path = csv_file(tmp_path, ["code", "titre"], [["A-1", "Une action"]])
    with pytest.raises(CommandError, match="Colonnes obligatoires absentes"):
        call_command("import_actions", str(path))


def test_commands_round_trip(tmp_path, demo_data):
    out = StringIO()
    call_command("export_actions", str(tmp_path / "actions.xlsx"), stdout=out)
    call_command("export_measurements", str(tmp_path / "mesures.csv"), stdout=out)
    assert "7 lignes écrites" in out.getvalue()
    out = StringIO()
    call_command("import_actions", str(tmp_path / "actions.xlsx"), "--dry-run", verbosity=0, stdout=out)
    call_command("import_measurements", str(tmp_path / "mesures.csv"), verbosity=0, stdout=out)
    assert "sans changement : 7" in out.getvalue() and "sans changement : 11" in out.getvalue()
    assert "Simulation" in out.getvalue()


def test_import_command_lists_every_error(tmp_path, demo_data):
    path = csv_file(tmp_path, MEASUREMENT_COLUMNS, [["Inconnu", "2026-06-30", "1", "", "", ""]])
    err = StringIO()
    with pytest.raises(CommandError, match="import refusé"):
        call_command("import_measurements", str(path), verbosity=0, stderr=err)
    assert "Ligne 2, colonne « indicateur »" in err.getvalue()
