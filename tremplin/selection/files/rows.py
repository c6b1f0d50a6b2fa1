"""What both imports share: the columns a file may have and their names, each row's cells
and problems, the report, the readers of a yes/no, date, phone or e-mail cell, and the
batches the rows are written in.

An import reads the whole file, checks every row and reports every problem with its row
number (the header is row 1), the column as named in the file and a plain reason.
See docs/decisions/0007-bulk-import.md."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import PhoneNumber
from phonenumbers import NumberParseException, is_valid_number

from tremplin.core.text import fold
from tremplin.selection.files.cells import cell_text
from tremplin.selection.files.reading import Sheet, UnreadableFileError, sheet_read

# Inserts go in batches of this many rows (SQLite lowers it to its 999-parameter limit).
BATCH_SIZE = 1000


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    """What an import found, and wrote or would write (a dry run writes nothing)."""

    dry_run: bool
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    already_imported: int = 0
    linked_to_existing: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return not self.dry_run and not self.problems


@dataclass(frozen=True)
class Column:
    """A column an import understands: its canonical name, the other names it goes by
    (compared without case, accents, spaces or punctuation), and what it holds."""

    key: str
    aliases: tuple[str, ...]
    required: bool
    description: str | Promise

    def names(self) -> set[str]:
        return {header_key(self.key), *(header_key(a) for a in self.aliases)}


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def header_key(name: str) -> str:
    """'Date de naissance' and 'date_naissance' are the same column."""
    return _NOT_ALNUM.sub("", fold(name).replace("'", ""))


def sheet_columns(
    report: ImportReport, *, file_name: str, content: bytes, columns: Sequence[Column]
) -> tuple[Sheet, dict[str, tuple[int, str]]] | None:
    """Read the file and map its header onto ``columns``, as both imports begin: problems go
    into ``report`` (with the rows read); None when the file cannot be read at all."""
    try:
        sheet = sheet_read(file_name, content)
    except UnreadableFileError as exc:
        report.problems.append(RowProblem(1, "", str(exc)))
        return None
    found, report.problems = header_map(sheet.header, columns)
    report.rows_read = len(sheet.rows)
    return sheet, found


def header_map(
    header: Sequence[str], columns: Sequence[Column]
) -> tuple[dict[str, tuple[int, str]], list[RowProblem]]:
    """Which known column each header cell is: {key: (index, name as in the file)}."""
    known = {name: column for column in columns for name in column.names()}
    found: dict[str, tuple[int, str]] = {}
    problems: list[RowProblem] = []
    for index, name in enumerate(header):
        if not name:
            continue
        column = known.get(header_key(name))
        if column is None:
            problems.append(
                RowProblem(
                    1,
                    name,
                    _("Unknown column. Rename it to one of the columns listed, or remove it."),
                )
            )
        elif column.key in found:
            problems.append(
                RowProblem(
                    1,
                    name,
                    _("This column repeats the column “%(other)s”: keep one of them.")
                    % {"other": found[column.key][1]},
                )
            )
        else:
            found[column.key] = (index, name)
    for column in columns:
        if column.required and column.key not in found:
            problems.append(RowProblem(1, column.key, _("This column is missing.")))
    return found, problems


class Row:
    """One data row: its cells by column key, and the problems found in it."""

    def __init__(
        self,
        number: int,
        values: list[Any],
        columns: dict[str, tuple[int, str]],
        problems: list[RowProblem],
    ) -> None:
        self.number = number
        self.values = values
        self.columns = columns
        self.problems = problems
        self.ok = True

    def raw(self, key: str) -> Any:
        where = self.columns.get(key)
        if where is None or where[0] >= len(self.values):
            return None
        return self.values[where[0]]

    def text(self, key: str) -> str:
        return cell_text(self.raw(key))

    def column(self, key: str) -> str:
        where = self.columns.get(key)
        return where[1] if where else key

    def problem(self, key: str, message: str) -> None:
        self.problems.append(RowProblem(self.number, self.column(key), message))
        self.ok = False


YES = frozenset({"yes", "y", "oui", "o", "1", "true", "vrai", "x", "nam"})
NO = frozenset({"no", "n", "non", "0", "false", "faux", "la", ""})


def folded(text: str) -> str:
    """`fold`, with a shortcut for the short plain words most cells hold."""
    return text.lower() if text.isascii() and " " not in text else fold(text)


def cell_yes_no(row: Row, key: str) -> bool:
    value = row.raw(key)
    if isinstance(value, bool):
        return value
    text = folded(row.text(key))
    if text in YES:
        return True
    if text not in NO:
        row.problem(key, _("Write yes or no."))
    return False


def cell_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            # Only the date is kept: the time zone does not matter.
            return dt.datetime.strptime(text, pattern).replace(tzinfo=dt.UTC).date()
        except ValueError:
            continue
    return None


class _CheckedPhoneNumber(PhoneNumber):  # type: ignore[misc]
    """A number the import has checked once. The model field and `Person.refresh_derived`
    ask again whether it is valid and format it several times a row: it answers from what it
    knows (on 10,000 rows, that is seconds)."""

    def is_valid(self) -> bool:
        return True

    def __str__(self) -> str:
        text: str | None = self.__dict__.get("_text")
        if text is None:
            text = self.__dict__["_text"] = super().__str__()
        return text


def cell_phone(row: Row, key: str, country: str) -> PhoneNumber | None:
    text = row.text(key)
    if not text:
        return None
    try:
        number: PhoneNumber | None = _CheckedPhoneNumber.from_string(text, region=country)
    except NumberParseException:
        number = None
    if number is None or not is_valid_number(number):
        row.problem(
            key,
            _(
                "This is not a phone number of %(country)s. Write another country's number "
                "with its code, for example +33 6 12 34 56 78."
            )
            % {"country": country},
        )
        return None
    return number


def cell_email(row: Row, key: str) -> str:
    text = row.text(key).lower()
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        row.problem(key, _("This is not an e-mail address."))
        return ""
    return text
