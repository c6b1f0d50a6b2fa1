"""Reading a CSV or XLSX file into a header and rows, through ``core.spreadsheets`` (its
encodings, delimiter and XLSX guards), with the limits of selection's imports: rows, bytes,
unzipped bytes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from tremplin.core import spreadsheets
from tremplin.selection.files.cells import cell_text

# A file with more data rows than this is refused before any check.
MAX_ROWS = 50_000
# The upload form refuses files larger than this.
MAX_FILE_BYTES = 20 * 1024 * 1024
# What an XLSX file may hold unzipped (core's guard against zip bombs), read at each import.
MAX_UNZIPPED_BYTES = spreadsheets.MAX_UNZIPPED_BYTES


class UnreadableFileError(Exception):
    """The file is not a CSV or XLSX file the import can read."""


@dataclass(frozen=True)
class Sheet:
    header: list[str]
    rows: list[tuple[int, list[Any]]]  # (spreadsheet row number, cells), blank rows left out


def sheet_read(file_name: str, content: bytes) -> Sheet:
    """The header (as text, empty cells at its end left out) and the non-blank rows of the
    first sheet of an XLSX file, or of a CSV file (see ``core.spreadsheets``)."""
    try:
        read = spreadsheets.sheet_read(
            file_name, content, max_rows=MAX_ROWS, max_unzipped_bytes=MAX_UNZIPPED_BYTES
        )
    except spreadsheets.SpreadsheetFileError as exc:
        raise UnreadableFileError(exc.message) from exc
    header = [cell_text(v) for v in read.header or []]
    if not any(header):
        raise UnreadableFileError(_("Row 1 must hold the column names, and the file has none."))
    while header and not header[-1]:
        header.pop()
    return Sheet(header=header, rows=read.rows)
