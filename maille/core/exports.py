"""Downloads of any list as CSV (UTF-8 with BOM, for spreadsheet software) or xlsx: one function for every app."""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

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
            sheet.append(list(row))
        sheet.freeze_panes = "A2"
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows(rows)
        content = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
