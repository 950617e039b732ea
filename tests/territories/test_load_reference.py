"""`load_reference`: idempotent, all-or-nothing, and faithful to the committed files."""

import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from maille.territories.models import Commune, CommuneAlias, Epci, PostalCode
from maille.territories.services import TERRITORIES_DIR, ReferenceDataError, load_reference_data

pytestmark = pytest.mark.django_db


def test_the_whole_of_france_is_loaded():
    assert Commune.objects.count() == 34969
    assert Epci.objects.count() == 1255
    assert PostalCode.objects.filter(code="49800", commune_id="49353").exists()
    assert CommuneAlias.objects.filter(kind="arrondissement-municipal", commune_id="75056").count() == 20


def test_loading_twice_changes_nothing_the_second_time():
    summary = load_reference_data()
    assert summary.changed == 0


def test_the_command_prints_a_summary(capsys):
    call_command("load_reference", "--no-progress")
    out = capsys.readouterr().out
    assert "communes : 0 créés, 0 mis à jour, 0 supprimés" in out
    assert "Aucun changement" in out


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "territories"
    shutil.copytree(TERRITORIES_DIR, target)
    return target


def test_a_renamed_commune_in_the_file_is_updated(data_copy):
    path = data_copy / "communes.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    for row in rows:
        if row["code"] == "49353":
            row["nom"] = "Trélazé-Nouveau"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    summary = load_reference_data(territories_dir=data_copy)
    assert summary.updated["communes"] == 1
    assert Commune.objects.get(code="49353").search_name == "trelaze nouveau"


def test_a_malformed_file_changes_nothing(data_copy):
    rows = json.loads((data_copy / "communes.json").read_text(encoding="utf-8"))
    rows[0]["nom"] = "Nom changé"
    (data_copy / "communes.json").write_text(json.dumps(rows), encoding="utf-8")
    # The communes are written before the aliases: a bad alias must undo them.
    aliases = json.loads((data_copy / "aliases.json").read_text(encoding="utf-8"))
    del aliases[-1]["type"]
    (data_copy / "aliases.json").write_text(json.dumps(aliases), encoding="utf-8")
    before = Commune.objects.get(code=rows[0]["code"]).name
    with pytest.raises(ReferenceDataError):
        load_reference_data(territories_dir=data_copy)
    assert Commune.objects.get(code=rows[0]["code"]).name == before
    assert Commune.objects.count() == 34969


def test_a_missing_file_is_a_clear_command_error(tmp_path, settings):
    (tmp_path / "territories").mkdir()
    with pytest.raises(ReferenceDataError, match="Fichier de référence absent"):
        load_reference_data(territories_dir=tmp_path / "territories")


def test_the_command_turns_a_data_error_into_a_command_error(monkeypatch):
    def broken(**kwargs):
        raise ReferenceDataError("Fichier de référence illisible")

    monkeypatch.setattr("maille.territories.services.load_reference_data", broken)
    with pytest.raises(CommandError, match="illisible"):
        call_command("load_reference", "--no-progress")
