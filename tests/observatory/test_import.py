"""import_sirene: the hand-checked fixture counts exactly the active ESS establishments; bad files change nothing."""

import gzip
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from maille.observatory.models import CommuneTotal, Establishment, Snapshot
from maille.observatory.rules import DEFAULT_RULE

from .sirene_fixture import EXPECTED_ESS, EXPECTED_REGION_ACTIVE, write_stock

pytestmark = pytest.mark.django_db


def run(units, places, *extra, date="2026-11-30"):
    call_command(
        "import_sirene",
        "--unites-legales",
        str(units),
        "--etablissements",
        str(places),
        "--region",
        "52",
        "--date",
        date,
        *extra,
        verbosity=0,
    )


@pytest.mark.parametrize("fmt", ["csv", "csv.gz", "zip", "parquet"])
def test_import_counts_exactly_the_active_ess_establishments_of_the_region(tmp_path, fmt):
    run(*write_stock(tmp_path, fmt))
    snapshot = Snapshot.objects.get()
    assert set(snapshot.establishments.values_list("siret", flat=True)) == EXPECTED_ESS
    assert snapshot.ess_establishments == len(EXPECTED_ESS)
    assert snapshot.region_establishments == EXPECTED_REGION_ACTIVE
    assert snapshot.masked_units == 1
    assert snapshot.rule_version == DEFAULT_RULE.version
    assert len(snapshot.legal_units_checksum) == 64
    assert sum(CommuneTotal.objects.values_list("establishments", flat=True)) == EXPECTED_REGION_ACTIVE


def test_imported_establishments_carry_the_listed_fields(tmp_path):
    run(*write_stock(tmp_path))
    laval = Establishment.objects.get(siret="10000000100011")
    assert (laval.siren, laval.family, laval.legal_form) == ("100000001", "association", "9220")
    assert (laval.naf, laval.section, laval.commune_code, laval.departement_code) == (
        "88.99B",
        "Q",
        "53130",
        "53",
    )
    assert laval.epci_code and laval.size_band == "12" and laval.employees_estimate == 34.5
    assert laval.is_employer is True and str(laval.creation_date) == "2010-03-01"
    assert 47.9 < laval.latitude < 48.2 and -0.9 < laval.longitude < -0.6  # Lambert-93 → WGS 84
    assert Establishment.objects.get(siret="10000000100029").name == "Jardins d'Angers"  # the sign first
    masked = Establishment.objects.get(siret="10000000700013")
    assert masked.name == "" and masked.latitude is None and masked.family == "fondation"
    assert Establishment.objects.get(siret="10000000300015").commune_code == "49126"  # former commune
    assert Establishment.objects.get(siret="10000000600016").family == "societe_commerciale"
    assert Establishment.objects.get(siret="10000001100011").family == "cooperative"
    assert Establishment.objects.get(siret="10000001200018").family == "mutuelle"
    assert not Establishment.objects.filter(name__contains="[ND]").exists()


def test_the_same_files_twice_make_no_new_snapshot(tmp_path, capsys):
    files = write_stock(tmp_path)
    run(*files)
    call_command(
        "import_sirene",
        "--unites-legales",
        str(files[0]),
        "--etablissements",
        str(files[1]),
        "--date",
        "2026-11-30",
    )
    assert Snapshot.objects.count() == 1
    assert "déjà importés" in capsys.readouterr().out


def test_dry_run_writes_nothing(tmp_path):
    run(*write_stock(tmp_path), "--dry-run")
    assert not Snapshot.objects.exists() and not Establishment.objects.exists()


def _assert_nothing_written():
    assert not Snapshot.objects.exists()
    assert not Establishment.objects.exists()
    assert not CommuneTotal.objects.exists()


def _bad(tmp_path, which: str, transform) -> tuple[Path, Path, Path]:
    units, places = write_stock(tmp_path)
    target = units if which == "units" else places
    transform(target)
    return units, places, target


def _drop_column(path: Path):
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    index = header.index("etatAdministratifEtablissement")
    rows = [",".join(c for i, c in enumerate(line.split(",")) if i != index) for line in lines]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def _truncate(path: Path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 40])


def _latin1(path: Path):
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("latin-1"))


def _semicolons(path: Path):
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")


def _empty(path: Path):
    path.write_bytes(b"")


@pytest.mark.parametrize(
    ("which", "transform", "problem"),
    [
        ("places", _drop_column, "colonnes manquantes : etatAdministratifEtablissement"),
        ("units", _empty, "vide"),
        ("places", _truncate, "tronqué"),
        ("units", _latin1, "UTF-8"),
        ("places", _semicolons, "séparateur"),
    ],
)
def test_bad_files_are_refused_naming_the_file_and_the_problem(tmp_path, which, transform, problem):
    units, places, target = _bad(tmp_path, which, transform)
    with pytest.raises(CommandError) as error:
        run(units, places)
    assert str(target) in str(error.value) and problem in str(error.value)
    _assert_nothing_written()


def test_a_truncated_gzip_file_is_refused(tmp_path):
    units, places = write_stock(tmp_path, "csv.gz")
    data = places.read_bytes()
    places.write_bytes(data[: len(data) // 2])
    with pytest.raises(CommandError, match="tronqué"):
        run(units, places)
    _assert_nothing_written()
    assert gzip  # the module builds the fixture


def test_a_truncated_parquet_file_is_refused(tmp_path):
    units, places = write_stock(tmp_path, "parquet")
    units.write_bytes(units.read_bytes()[:-100])
    with pytest.raises(CommandError, match="Parquet"):
        run(units, places)
    _assert_nothing_written()


def test_a_directory_is_refused(tmp_path):
    units, _places = write_stock(tmp_path)
    with pytest.raises(CommandError, match="dossier"):
        run(units, tmp_path)
    _assert_nothing_written()


def test_a_bad_date_is_refused(tmp_path):
    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        run(*write_stock(tmp_path), date="30/11/2026")


def test_the_command_line_prints_a_french_message_and_no_traceback(tmp_path):
    units, _places = write_stock(tmp_path)
    completed = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "import_sirene",
            "--unites-legales",
            str(units),
            "--etablissements",
            str(tmp_path),
            "--date",
            "2026-11-30",
            "--settings=config.settings.test",
        ],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode != 0
    assert "dossier" in completed.stderr and "Traceback" not in completed.stderr
