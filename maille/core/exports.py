"""Downloads of any list as CSV (UTF-8 with BOM, for spreadsheet software) or xlsx: one function for every app.

Text typed by people is never a live formula in a spreadsheet (CSV/formula injection): in xlsx every text cell is
written as text (openpyxl would turn "=…" into a formula); in CSV a text starting with =, +, -, @, a tab or a carriage
return gets a leading apostrophe, which `core.tabular` removes again on import (the round trip gives back the typed
text). Plain numbers such as "-12" are left alone.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence

from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+([.,]\d+)?")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value)


def csv_safe(value):
    """The CSV cell of a value: a formula-like text is prefixed with an apostrophe."""
    return "'" + value if is_formula_like(value) else value


def append_text_safe(sheet, row) -> None:
    """Append a row to an openpyxl sheet with every text kept as text, never a formula."""
    sheet.append(list(row))
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def tabular_response(
    fmt: str, filename: str, headers: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    """A download of `rows` under `headers` as `csv` or `xlsx`; any other format is a 400 with a French message."""
    if fmt not in FORMATS:
        return HttpResponseBadRequest(_("Format inconnu : choisissez csv ou xlsx."))
    if fmt == "xlsx":
        workbook = Workbook(write_only=False)
        sheet = workbook.active
        sheet.title = filename[:31]
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            append_text_safe(sheet, row)
        sheet.freeze_panes = "A2"
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows([csv_safe(value) for value in row] for row in rows)
        content = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
