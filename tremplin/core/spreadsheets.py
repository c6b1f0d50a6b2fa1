"""Spreadsheets read and written safely, the same way by every import and export.

Reading: a CSV file (one encoding rule, one delimiter rule) or the first sheet of an XLSX file
(openpyxl in read-only mode, what it holds unzipped capped against zip bombs) becomes a
``Sheet``: row 1 as the header, then the rows that are not blank with their spreadsheet row
number. Every problem is a ``SpreadsheetFileError`` whose message says what to do, in the
user's language. What the columns mean stays with each import.

Writing: ``cell_safe`` makes a cell a spreadsheet shows as text and never runs as a formula
(CSV injection); ``cell_unsafe`` reads it back, so that an export imports back unchanged.

See docs/decisions/0013-one-spreadsheet-module.md.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from django.utils.translation import gettext as _

# The characters that may separate cells, in the order that breaks a tie.
DELIMITERS = (",", ";", "\t", "|")
# The delimiter is counted on the header line, within its first characters only.
HEADER_SCAN_CHARACTERS = 64 * 1024
# Characters that make a spreadsheet read a cell as a formula (OWASP, "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# An XLSX file is a zip: what it holds, unzipped, may not exceed this (a "zip bomb").
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
# The sheet of an XLSX file may not be wider than this, nor hold more cells (its last row
# number × its last column number): a few kilobytes of zip can hold a row of a million cells,
# which takes minutes and gigabytes to read. Both are checked by a quick pass over the sheet's
# XML that stops at the first cell beyond a limit, before the sheet is read.
MAX_COLUMNS = 1_000
MAX_CELLS = 2_000_000
# Reading the sheet's XML in pieces of this many bytes.
_SCAN_CHUNK_BYTES = 64 * 1024

_XLSX_MAGIC = b"PK\x03\x04"
_OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"


class SpreadsheetFileError(Exception):
    """The file cannot be read as a spreadsheet; ``message`` says why, in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Sheet:
    """What a file holds, before any column is understood."""

    # Row 1 as read (cells as strings for CSV, typed values for XLSX); None when the file
    # holds no row at all.
    header: list[Any] | None
    # (spreadsheet row number, the header being row 1; cells), blank rows left out.
    rows: list[tuple[int, list[Any]]]
    # The delimiter found in a CSV file; "" for XLSX.
    delimiter: str


# --- Text ------------------------------------------------------------------------------------


def text_decode(content: bytes | str) -> str:
    """The text of a file, whichever way a spreadsheet or an editor saved it: a byte order
    mark decides (UTF-8, UTF-16 little or big endian); without one, a NUL byte beside the
    first character means UTF-16; then UTF-8, and Windows-1252 (Excel's plain "CSV") when the
    bytes are not UTF-8. A text already decoded (``str``) only loses its BOM."""
    if isinstance(content, str):
        return content.removeprefix("\ufeff")
    if content.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"  # the BOM says which end first, and is taken away
    elif content[:1] != b"\0" and content[1:2] == b"\0":
        encoding = "utf-16-le"
    elif content[:1] == b"\0" and content[1:2] not in (b"", b"\0"):
        encoding = "utf-16-be"
    else:
        encoding = "utf-8"
    try:
        return content.decode(encoding)
    except UnicodeDecodeError:
        if encoding != "utf-8":
            raise SpreadsheetFileError(_not_text()) from None
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise SpreadsheetFileError(_not_text()) from exc


def _not_text() -> str:
    return _('This file is not text in UTF-8: save it as "CSV UTF-8".')


def csv_delimiter(text: str) -> str:
    """The delimiter of a CSV text: of ``DELIMITERS``, the one found most often on the header
    line outside quoted cells; a tie goes to the first in ``DELIMITERS`` order (so a header
    without any gives a comma)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in text[:HEADER_SCAN_CHARACTERS]:
        if char == '"':
            quoted = not quoted  # a doubled quote inside a cell toggles twice
        elif quoted:
            continue
        elif char in "\r\n":
            break
        elif char in counts:
            counts[char] += 1
    return max(DELIMITERS, key=counts.__getitem__)


# --- Rows --------------------------------------------------------------------------------------


def csv_rows(content: bytes | str, *, delimiter: str | None = None) -> Generator[list[str]]:
    """Every record of a CSV file as ``csv.reader`` gives it (blank ones included), decoded by
    ``text_decode``, cut by ``csv_delimiter`` unless a delimiter is given. Raises
    ``SpreadsheetFileError`` at once when the bytes are not text, and while reading when the
    CSV is malformed."""
    text = text_decode(content)
    return _csv_records(text, delimiter or csv_delimiter(text))


def _csv_records(text: str, delimiter: str) -> Generator[list[str]]:
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise SpreadsheetFileError(
            _("This CSV file cannot be read: %(error)s") % {"error": exc}
        ) from exc


def xlsx_rows(
    content: bytes,
    *,
    max_unzipped_bytes: int = MAX_UNZIPPED_BYTES,
    max_columns: int = MAX_COLUMNS,
    max_cells: int = MAX_CELLS,
) -> Generator[tuple[Any, ...]]:
    """The rows of the first sheet of an XLSX file, values as stored (numbers, dates, text,
    None for an empty cell). Raises ``SpreadsheetFileError`` at once when the file is not a
    workbook, holds more than ``max_unzipped_bytes`` unzipped, or its first sheet is wider than
    ``max_columns`` or larger than ``max_cells`` (rows × columns); and while reading when it is
    damaged. Close the iterator when leaving early: that closes the workbook."""
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unzipped = sum(item.file_size for item in archive.infolist())
            if unzipped > max_unzipped_bytes:
                raise SpreadsheetFileError(
                    _("This spreadsheet is too large: split it into smaller files.")
                )
            # Before openpyxl, which reads each sheet through once when it opens the workbook.
            for item in archive.infolist():
                if item.filename.lower().endswith(".xml"):
                    with archive.open(item) as source:
                        _xlsx_size_check(source, max_columns=max_columns, max_cells=max_cells)
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except SpreadsheetFileError:
        raise
    except Exception as exc:  # zipfile and openpyxl raise many kinds of errors
        raise SpreadsheetFileError(_damaged()) from exc
    return _xlsx_records(workbook)


# The namespaces of a sheet's rows and cells (transitional and strict Office Open XML).
_SHEET_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
_CELL_REFERENCE = re.compile(r"([A-Za-z]{1,3})?([0-9]{1,7})?")


class _TooLargeError(Exception):
    """Stops the scan of a sheet at the first cell beyond a limit."""


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _xlsx_size_check(source: Any, *, max_columns: int, max_cells: int) -> None:
    """Raise ``SpreadsheetFileError`` naming the limit as soon as a part of the workbook (a
    binary file object; every XML part is looked at, wherever the workbook says its sheets are)
    has a sheet cell beyond ``max_columns``, or its last row × last column exceeds
    ``max_cells``. Only the tags are looked at; nothing is kept."""
    state = {"row": 0, "column": 0, "widest": 0}

    def start(name: str, attributes: dict[str, str]) -> None:
        namespace, _space, local = name.rpartition(" ")
        if namespace not in _SHEET_NAMESPACES:
            return
        if local == "row":
            found = _CELL_REFERENCE.fullmatch(attributes.get("r", ""))
            number = found.group(2) if found else None
            state["row"] = int(number) if number else state["row"] + 1
            state["column"] = 0
        elif local == "c":
            found = _CELL_REFERENCE.fullmatch(attributes.get("r", ""))
            letters = found.group(1) if found else None
            state["column"] = _column_number(letters) if letters else state["column"] + 1
            state["widest"] = max(state["widest"], state["column"])
            if state["widest"] > max_columns or max(state["row"], 1) * state["widest"] > max_cells:
                raise _TooLargeError

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    try:
        while chunk := source.read(_SCAN_CHUNK_BYTES):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _TooLargeError:
        raise SpreadsheetFileError(
            _too_large(max_columns=max_columns, max_cells=max_cells)
        ) from None
    except expat.ExpatError as exc:
        raise SpreadsheetFileError(_damaged()) from exc


def _too_large(*, max_columns: int, max_cells: int) -> str:
    return _(
        "This spreadsheet is too large: at most %(columns)s columns and %(cells)s cells (rows "
        "× columns) can be read. Delete the empty columns and rows, or split it into smaller "
        "files."
    ) % {"columns": f"{max_columns:,}", "cells": f"{max_cells:,}"}


def _damaged() -> str:
    return _("This spreadsheet cannot be opened: save it again as .xlsx.")


def _xlsx_records(workbook: Any) -> Generator[tuple[Any, ...]]:
    try:
        if workbook.worksheets:
            yield from workbook.worksheets[0].iter_rows(values_only=True)
    except Exception as exc:
        raise SpreadsheetFileError(_damaged()) from exc
    finally:
        workbook.close()


def is_xlsx(content: bytes) -> bool:
    """Whether the bytes are a zip, as an XLSX file is (its extension is not trusted)."""
    return content.startswith(_XLSX_MAGIC)


# --- Sheets ------------------------------------------------------------------------------------


def row_blank(values: Sequence[Any]) -> bool:
    """Whether every cell of a row is empty or only spaces."""
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _sheet(source: Generator[Sequence[Any]], *, delimiter: str, max_rows: int | None) -> Sheet:
    header: list[Any] | None = None
    rows: list[tuple[int, list[Any]]] = []
    try:
        for number, values in enumerate(source, start=1):
            if header is None:
                header = list(values)
                continue
            if row_blank(values):
                continue
            rows.append((number, list(values)))
            if max_rows is not None and len(rows) > max_rows:
                raise SpreadsheetFileError(
                    _("This file has more than %(max)d rows: split it into smaller files.")
                    % {"max": max_rows}
                )
    finally:
        source.close()
    return Sheet(header=header, rows=rows, delimiter=delimiter)


def csv_read(content: bytes | str, *, max_rows: int | None = None) -> Sheet:
    """A CSV file as a ``Sheet`` (see ``csv_rows``). More than ``max_rows`` rows that are not
    blank (the header aside) is a ``SpreadsheetFileError``; reading stops there."""
    text = text_decode(content)
    delimiter = csv_delimiter(text)
    return _sheet(_csv_records(text, delimiter), delimiter=delimiter, max_rows=max_rows)


def sheet_read(
    file_name: str,
    content: bytes,
    *,
    max_rows: int | None = None,
    max_unzipped_bytes: int = MAX_UNZIPPED_BYTES,
) -> Sheet:
    """An XLSX file (known by its content, whatever its name) or a CSV file as a ``Sheet``.
    An old Excel file (.xls) is refused with a message saying how to save it."""
    if is_xlsx(content):
        source = xlsx_rows(content, max_unzipped_bytes=max_unzipped_bytes)
        return _sheet(source, delimiter="", max_rows=max_rows)
    if content.startswith(_OLD_EXCEL_MAGIC) or file_name.lower().endswith(".xls"):
        raise SpreadsheetFileError(
            _("Old Excel files (.xls) cannot be read: save it as .xlsx or .csv.")
        )
    return csv_read(content, max_rows=max_rows)


# --- Cells -------------------------------------------------------------------------------------


def cell_safe(value: object) -> str:
    """A cell a spreadsheet shows as text and never runs as a formula: when the text, once
    any leading single quotes are set aside, starts with = + - @, a tab or a carriage
    return, one more single quote goes in front (``=1+1`` → ``'=1+1``, ``'=1+1`` →
    ``''=1+1``). None is an empty cell. ``cell_unsafe`` takes the quote away again."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.lstrip("'").startswith(FORMULA_PREFIXES) else text


def cell_unsafe(text: str) -> str:
    """A cell as it was before ``cell_safe``: the one single quote it added is taken away
    (``''=1+1`` → ``'=1+1``); any other text is left as it is."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_PREFIXES):
        return text[1:]
    return text
