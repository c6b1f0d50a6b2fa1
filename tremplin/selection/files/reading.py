"""Reading a CSV or XLSX file into a header and rows: the encodings (UTF-8 with or without
BOM, Windows-1252), the delimiter, and the size guards (rows, bytes, unzipped bytes)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from tremplin.selection.files.cells import cell_text

# A file with more data rows than this is refused before any check.
MAX_ROWS = 50_000
# The upload form refuses files larger than this.
MAX_FILE_BYTES = 20 * 1024 * 1024
# An XLSX file is a zip: what it holds, unzipped, may not exceed this (a "zip bomb").
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024


class UnreadableFileError(Exception):
    """The file is not a CSV or XLSX file the import can read."""


@dataclass(frozen=True)
class Sheet:
    header: list[str]
    rows: list[tuple[int, list[Any]]]  # (spreadsheet row number, cells), blank rows left out


def _blank(values: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _xlsx_rows(content: bytes) -> Generator[Sequence[Any]]:
    import openpyxl

    damaged = _("This spreadsheet cannot be opened: save it again as .xlsx.")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unzipped = sum(item.file_size for item in archive.infolist())
        if unzipped > MAX_UNZIPPED_BYTES:
            raise UnreadableFileError(
                _("This spreadsheet is too large: split it into smaller files.")
            )
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except UnreadableFileError:
        raise
    except Exception as exc:  # zipfile and openpyxl raise many kinds of errors
        raise UnreadableFileError(damaged) from exc
    try:
        if workbook.worksheets:
            yield from workbook.worksheets[0].iter_rows(values_only=True)
    except Exception as exc:
        raise UnreadableFileError(damaged) from exc
    finally:
        workbook.close()


def _csv_rows(content: bytes) -> Generator[Sequence[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's "CSV" (not "CSV UTF-8") on Windows.
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(
                _('This file is not text in UTF-8: save it as "CSV UTF-8".')
            ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def sheet_read(file_name: str, content: bytes) -> Sheet:
    """The header and the non-blank rows of the first sheet of an XLSX file, or of a CSV
    file (UTF-8, with or without BOM; `,` `;` or tab between cells)."""
    if content.startswith(b"PK\x03\x04"):
        source = _xlsx_rows(content)
    elif content.startswith(b"\xd0\xcf\x11\xe0") or file_name.lower().endswith(".xls"):
        raise UnreadableFileError(
            _("Old Excel files (.xls) cannot be read: save it as .xlsx or .csv.")
        )
    else:
        source = _csv_rows(content)
    header: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    try:
        for number, values in enumerate(source, start=1):
            if header is None:
                header = [cell_text(v) for v in values]
                continue
            if _blank(values):
                continue
            rows.append((number, list(values)))
            if len(rows) > MAX_ROWS:
                raise UnreadableFileError(
                    _("This file has more than %(max)d rows: split it into smaller files.")
                    % {"max": MAX_ROWS}
                )
    except csv.Error as exc:
        raise UnreadableFileError(
            _("This CSV file cannot be read: %(error)s") % {"error": exc}
        ) from exc
    finally:
        source.close()
    if header is None or not any(header):
        raise UnreadableFileError(_("Row 1 must hold the column names, and the file has none."))
    while header and not header[-1]:
        header.pop()
    return Sheet(header=header, rows=rows)
