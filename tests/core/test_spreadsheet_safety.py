"""Exports never carry a live formula, and the round trip gives back the typed text; truncated CSV files and loose
dates are refused."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from maille.core.exports import tabular_response
from maille.core.tabular import Cells as Row
from maille.core.tabular import TabularError, read_table

TYPED = ['=HYPERLINK("http://evil.example","clic")', "+33 2 40 00 00 00", "-note", "@SUM(A1)", "-12", "texte"]


def test_xlsx_downloads_keep_formula_like_text_as_text():
    response = tabular_response("xlsx", "essai", ["a", "b", "c", "d", "e", "f"], [TYPED])
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = list(sheet.iter_rows(min_row=2, values_only=False))[0]
    assert [cell.data_type for cell in cells[:4]] == ["s", "s", "s", "s"]
    assert [cell.value for cell in cells] == TYPED


def test_csv_downloads_neutralise_formulas_and_the_import_gives_back_the_typed_text(tmp_path):
    response = tabular_response("csv", "essai", ["a", "b", "c", "d", "e", "f"], [TYPED])
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+33" in text and "'@SUM" in text and ",-12," in text
    path = tmp_path / "essai.csv"
    path.write_bytes(response.content)
    table = read_table(path, ["a", "b", "c", "d", "e", "f"])
    [(_number, values)] = list(table.rows)
    assert [values[c] for c in "abcdef"] == TYPED


def test_a_row_shorter_than_the_header_is_refused(tmp_path):
    path = tmp_path / "tronque.csv"
    path.write_text("code,titre,debut\nA-1,Action,2026-01-01\nA-2,Act", encoding="utf-8")
    with pytest.raises(TabularError, match="Ligne 3 : 2 cellules au lieu de 3"):
        list(read_table(path, ["code", "titre", "debut"]).rows)


@pytest.mark.parametrize("raw", ["2028-12-3", "2028-1-03", "28-12-03", "3/12/2028", "2028-02-30"])
def test_dates_have_a_strict_shape(raw):
    row = Row(2, {"debut": raw})
    assert row.date("debut") is None
    assert row.errors and "n'est pas une date valide" in row.errors[0].message


@pytest.mark.parametrize(("raw", "day"), [("2028-12-03", 3), ("03/12/2028", 3)])
def test_iso_and_two_digit_day_first_dates_are_read(raw, day):
    assert Row(2, {"debut": raw}).date("debut").day == day


def test_import_actions_on_a_truncated_file_exits_non_zero_and_changes_nothing(tmp_path, db):
    from maille.strategy.models import Action

    before = list(Action.objects.values_list("code", "title"))
    path = tmp_path / "actions.csv"
    call_command("export_actions", str(path))
    content = path.read_text(encoding="utf-8-sig")
    path.write_text(content[: len(content) * 2 // 3], encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_actions", str(path))
    assert list(Action.objects.values_list("code", "title")) == before
