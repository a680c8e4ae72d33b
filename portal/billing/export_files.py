"""An export's rows as a download: CSV streamed row by row, XLSX through openpyxl's write-only workbook.

CSV goes out as it is written (StreamingHttpResponse), so a year of rows never sits in memory. An XLSX file is a
zip, whose directory is written last: openpyxl's write-only mode writes rows to a temporary file as they come,
and the finished workbook is sent from disk. Both open in a spreadsheet program (tests read them back).
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from portal.billing.exports import Export, ExportRange

__all__ = ["FORMATS", "csv_lines", "csv_response", "file_name", "xlsx_response"]

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Line:
    """csv.writer's file: hands back the line it was given instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def _text(value: object) -> object:
    return "" if value is None else value.isoformat() if isinstance(value, dt.date) else value


def csv_lines(columns: Iterable[str], rows: Iterable[tuple]) -> Iterator[str]:
    """The header and each row as a CSV line (dates ISO 8601, decimals as written, None as empty)."""
    writer = csv.writer(_Line())
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow([_text(value) for value in row])


def file_name(export: Export, period: ExportRange, extension: str) -> str:
    per = f"-by-{period.per}" if export.name == "payroll-hours" else ""
    return f"{export.name}{per}-{period.first.isoformat()}-to-{period.last.isoformat()}.{extension}"


def csv_response(export: Export, period: ExportRange) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(export.columns, export.rows(period)), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{file_name(export, period, "csv")}"'
    return response


def _cell(sheet, value: object, formats: dict[type, str]) -> object:
    """Numbers and dates as such, so a spreadsheet sums and sorts them; hours and money to the hundredth."""
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=float(value) if isinstance(value, Decimal) else value)
    for kind, number_format in formats.items():
        if isinstance(value, kind):
            cell.number_format = number_format
            break
    return cell


def xlsx_response(export: Export, period: ExportRange) -> FileResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=export.name[:31])
    formats = {dt.datetime: "yyyy-mm-dd hh:mm", dt.date: "yyyy-mm-dd", Decimal: "0.00"}
    sheet.append(list(export.columns))
    for row in export.rows(period):
        sheet.append([_cell(sheet, value, formats) for value in row])
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
    book.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=file_name(export, period, "xlsx"), content_type=XLSX_TYPE)
