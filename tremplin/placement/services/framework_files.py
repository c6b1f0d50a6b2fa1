"""Reading a framework file: JSON in the format of the shipped frameworks
(``data/frameworks/*.json``) or CSV (one row per competence with its area; the form of the
framework pages has the same columns). Each problem names its row; what the rows would do to
a framework is framework_plans.py. No database. The file formats are described for users in
docs/frameworks-and-settings.md."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from tremplin.core import json_files, spreadsheets
from tremplin.placement import bank

FILE_FORMAT = "tremplin-framework/1"
MAX_FILE_BYTES = 1024 * 1024
TEXT_LANGUAGES = bank.LANGUAGES  # fr, en, ar

CSV_REQUIRED = (
    "area_code",
    "area_name_fr",
    "area_name_en",
    "competence_code",
    "competence_name_fr",
    "competence_name_en",
)
CSV_OPTIONAL = (
    "maps_to",
    "area_name_ar",
    "competence_name_ar",
    "competence_description_fr",
    "competence_description_en",
    "competence_description_ar",
)
CSV_COLUMNS = CSV_REQUIRED + CSV_OPTIONAL
_SEPARATORS = re.compile(r"[|,;\s]+")


class FrameworkFileError(Exception):
    """The file cannot be read at all (not CSV or JSON, missing column, too big)."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = list(messages)


@dataclass(frozen=True)
class FrameworkRow:
    """One competence with its area, as read from a CSV row, a JSON entry or a form row.

    Texts hold the languages given (an empty text removes that language). With ``partial``
    (CSV and form), a language or part not given keeps what the framework has; a JSON file
    gives the whole framework. ``maps_to`` None: the links to DigComp are kept as they are."""

    number: int
    where: str  # "Row 3", or "Competence 5 (1.2)" for a JSON file
    area_code: str
    area_name: dict[str, str]
    competence_code: str
    competence_name: dict[str, str]
    description: dict[str, str] | None = None
    maps_to: tuple[str, ...] | None = None
    notes: dict[str, dict[str, str]] = field(default_factory=dict)  # JSON: note per target
    partial: bool = True
    problems: tuple[str, ...] = ()  # found while reading the file


@dataclass(frozen=True)
class FrameworkHeader:
    code: str
    name: dict[str, str]
    partial: bool  # the name (and publisher, url, levels) given in part (CSV, form)
    publisher: dict[str, str] | None = None
    url: str | None = None
    levels: list[Any] | None = None
    crosswalk_to: str | None = None  # JSON: the shipped framework it maps to ("" for none)
    maps_to_digcomp: bool = False  # CSV, form: the box "maps to DigComp 2.2"
    problems: tuple[str, ...] = ()


def _clean(value: Any) -> str:
    return str(value if value is not None else "").strip()


def _texts_given(cells: Mapping[str, Any], prefix: str) -> dict[str, str]:
    """The languages a CSV row or a form row has a column for (``{prefix}_fr`` …)."""
    return {
        language: _clean(cells[f"{prefix}_{language}"])
        for language in TEXT_LANGUAGES
        if f"{prefix}_{language}" in cells
    }


def _codes(value: Any) -> tuple[str, ...]:
    """Competence codes separated by | (or commas, semicolons, spaces), each once."""
    seen: list[str] = []
    for code in _SEPARATORS.split(_clean(value)):
        if code and code not in seen:
            seen.append(code)
    return tuple(seen)


def rows_from_cells(
    rows: Sequence[Mapping[str, Any]], *, first_number: int = 1
) -> list[FrameworkRow]:
    """Rows in the CSV columns (from a CSV file or the form); empty rows are left out."""
    result = []
    for number, cells in enumerate(rows, start=first_number):
        if not any(_clean(value) for value in cells.values()):
            continue
        result.append(
            FrameworkRow(
                number=number,
                where=_("Row %(n)s") % {"n": number},
                area_code=_clean(cells.get("area_code")),
                area_name=_texts_given(cells, "area_name"),
                competence_code=_clean(cells.get("competence_code")),
                competence_name=_texts_given(cells, "competence_name"),
                description=_texts_given(cells, "competence_description")
                if any(f"competence_description_{lang}" in cells for lang in TEXT_LANGUAGES)
                else None,
                maps_to=_codes(cells["maps_to"]) if "maps_to" in cells else None,
                partial=True,
            )
        )
    return result


def _read_csv(content: bytes) -> list[FrameworkRow]:
    try:
        sheet = spreadsheets.csv_read(content)
    except spreadsheets.SpreadsheetFileError as error:
        raise FrameworkFileError([error.message]) from error
    if sheet.header is None:
        raise FrameworkFileError([_("The file is empty.")])
    header = [cell.strip().lower() for cell in sheet.header]
    problems: list[str] = []
    for column in header:
        if column and column not in CSV_COLUMNS:
            problems.append(
                _("Column “%(column)s” is not one of the columns of a framework file.")
                % {"column": column}
            )
    seen: set[str] = set()
    for column in header:
        if column and column in seen:
            problems.append(_("Column “%(column)s” is there twice.") % {"column": column})
        seen.add(column)
    for column in CSV_REQUIRED:
        if column not in seen:
            problems.append(_("The file has no “%(column)s” column.") % {"column": column})
    if problems:
        raise FrameworkFileError(problems)
    cells_by_row: list[dict[str, str]] = []
    numbers: list[int] = []
    for number, row in sheet.rows:
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
            raise FrameworkFileError([_("Row %(n)s: more cells than columns.") % {"n": number}])
        cells_by_row.append(
            {
                column: row[index] if index < len(row) else ""
                for index, column in enumerate(header)
                if column
            }
        )
        numbers.append(number)
    result = []
    for number, cells in zip(numbers, cells_by_row, strict=True):
        result.extend(rows_from_cells([cells], first_number=number))
    return result


def _json_texts(value: Any, where: str, problems: list[str]) -> dict[str, str]:
    if value in (None, ""):
        return {}
    if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
        problems.append(_("%(where)s: texts by language are expected.") % {"where": where})
        return {}
    return {str(k): v.strip() for k, v in value.items() if v.strip()}


# A JSON file's crosswalk: for each competence code, the codes it maps to with a note each.
_Links = dict[str, list[tuple[str, dict[str, str]]]]


def _read_json(content: bytes) -> tuple[FrameworkHeader, list[FrameworkRow]]:
    try:
        data = json_files.json_read(content)
    except json_files.JsonFileError as error:
        raise FrameworkFileError([error.message]) from error
    if not isinstance(data, Mapping):
        raise FrameworkFileError([_("The file does not hold a framework (code, name, areas).")])
    if data.get("format", FILE_FORMAT) != FILE_FORMAT:
        raise FrameworkFileError(
            [_("The file's format is not “%(format)s”.") % {"format": FILE_FORMAT}]
        )
    problems: list[str] = []
    name = _json_texts(data.get("name"), _("Framework name"), problems)
    publisher = _json_texts(data.get("publisher"), _("Publisher"), problems)
    levels = _json_levels(data.get("levels") or [], problems)
    url = _clean(data.get("url"))
    if url:
        try:
            URLValidator()(url)
        except ValidationError:
            problems.append(_("Reference: “%(url)s” is not a web address.") % {"url": url})
    crosswalk_to, links = _json_crosswalk(data.get("crosswalk") or {}, problems)
    areas = data.get("areas")
    if not isinstance(areas, list):
        problems.append(_("The file has no list of areas."))
        areas = []
    rows = _json_rows(areas, links, problems)
    for source in links:
        problems.append(
            _("Crosswalk: “%(code)s” is not a competence of this framework.") % {"code": source}
        )
    header = FrameworkHeader(
        code=_clean(data.get("code")),
        name=name,
        partial=False,
        publisher=publisher,
        url=url,
        levels=list(levels),
        crosswalk_to=crosswalk_to,
        problems=tuple(problems),
    )
    return header, rows


def _json_levels(levels: Any, problems: list[str]) -> list[Any]:
    """The framework's levels, each numbered 1 to 8; none when they are not."""
    if not isinstance(levels, list) or not all(
        isinstance(level, Mapping)
        and isinstance(level.get("number"), int)
        and 1 <= level["number"] <= 8
        for level in levels
    ):
        problems.append(_("Levels: a list of levels numbered 1 to 8 is expected."))
        return []
    return levels


def _json_crosswalk(crosswalk: Any, problems: list[str]) -> tuple[str, _Links]:
    """The shipped framework the crosswalk maps to ("" for none), and its links by source."""
    links: _Links = {}
    if not isinstance(crosswalk, Mapping):
        problems.append(_("Crosswalk: “to” and “links” are expected."))
        return "", links
    if not crosswalk:
        return "", links
    given = crosswalk.get("links") or []
    if not isinstance(given, list):
        problems.append(_("Crosswalk: a list of links is expected."))
        given = []
    for number, link in enumerate(given, start=1):
        where = _("Crosswalk link %(n)s") % {"n": number}
        if not isinstance(link, Mapping) or not isinstance(link.get("to") or [], list):
            problems.append(_("%(where)s: “from” and “to” are expected.") % {"where": where})
            continue
        note = _json_texts(link.get("note"), where, problems)
        source = _clean(link.get("from"))
        for target in link.get("to") or []:
            links.setdefault(source, []).append((_clean(target), note))
    return _clean(crosswalk.get("to")), links


def _json_rows(areas: list[Any], links: _Links, problems: list[str]) -> list[FrameworkRow]:
    """One row per competence of each area, numbered across areas; the links of each
    competence are taken out of ``links`` (those left name no competence)."""
    rows: list[FrameworkRow] = []
    for area_number, area in enumerate(areas, start=1):
        if not isinstance(area, Mapping):
            problems.append(
                _("Area %(n)s: code, name and competences are expected.") % {"n": area_number}
            )
            continue
        area_code = _clean(area.get("code"))
        area_where = _("Area %(n)s (%(code)s)") % {"n": area_number, "code": area_code or "—"}
        area_name = _json_texts(area.get("name"), area_where, problems)
        competences = area.get("competences") or []
        if not isinstance(competences, list) or not competences:
            problems.append(_("%(where)s: it has no competences.") % {"where": area_where})
            continue
        for competence in competences:
            number = len(rows) + 1
            if not isinstance(competence, Mapping):
                problems.append(_("Competence %(n)s: code and name are expected.") % {"n": number})
                continue
            rows.append(
                _json_row(
                    competence,
                    number=number,
                    area_code=area_code,
                    area_name=area_name,
                    links=links,
                )
            )
    return rows


def _json_row(
    competence: Mapping[str, Any],
    *,
    number: int,
    area_code: str,
    area_name: dict[str, str],
    links: _Links,
) -> FrameworkRow:
    code = _clean(competence.get("code"))
    where = _("Competence %(n)s (%(code)s)") % {"n": number, "code": code or "—"}
    row_problems: list[str] = []
    competence_name = _json_texts(competence.get("name"), where, row_problems)
    description = _json_texts(competence.get("description"), where, row_problems)
    targets = links.pop(code, []) if code else []
    return FrameworkRow(
        number=number,
        where=where,
        area_code=area_code,
        area_name=area_name,
        competence_code=code,
        competence_name=competence_name,
        description=description,
        maps_to=tuple(dict.fromkeys(t for t, _note in targets)),
        notes={t: note for t, note in targets if note},
        partial=False,
        problems=tuple(row_problems),
    )


def _is_json(file_name: str, content: bytes) -> bool:
    name = file_name.lower()
    return name.endswith(".json") or (
        not name.endswith(".csv") and json_files.json_looks_like(content)
    )


def framework_file_read(
    file_name: str,
    content: bytes,
    *,
    code: str = "",
    name: Mapping[str, str] | None = None,
    maps_to_digcomp: bool = False,
) -> tuple[FrameworkHeader, list[FrameworkRow]]:
    """The framework a file holds: a JSON file gives its own code and name; a CSV file its
    rows, with ``code``, ``name`` and ``maps_to_digcomp`` given beside it. Raises
    ``FrameworkFileError`` when the file cannot be read at all."""
    if len(content) > MAX_FILE_BYTES:
        raise FrameworkFileError([_("The file is bigger than 1 MB.")])
    if _is_json(file_name, content):
        return _read_json(content)
    rows = _read_csv(content)
    header = FrameworkHeader(
        code=code.strip(),
        name={k: v.strip() for k, v in (name or {}).items()},
        partial=True,
        maps_to_digcomp=maps_to_digcomp,
    )
    return header, rows
