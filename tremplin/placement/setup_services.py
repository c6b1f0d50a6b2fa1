"""Competency frameworks, the competences a programme aims at, and each programme's placement
test settings. Reads take the acting user and keep to their organisations (a record of another
organisation is not found); writes are atomic and audited.

- An organisation's own framework is written on a form (rows of area and competence, the same
  columns as the CSV file) or imported from a file: JSON in the format of the shipped
  frameworks (``data/frameworks/*.json``) or CSV. Every row is checked first and each problem
  names its row; nothing is saved when any row is wrong; the same code again updates the
  framework. Shipped frameworks (no organisation) are read-only.
- A programme's targets: a competence (DigComp 2.2 or one of the organisation's frameworks)
  and the level aimed at, for the whole programme or one of its modules.
- A programme's settings: when the test stops, when a result is borderline, and the level
  groups with the score where each starts. Staff see and give the cut-offs on the 0–100 score
  of the result pages (``Attempt.score`` = Φ(θ) × 100); they are kept on the θ scale that
  ``services.rules_of`` reads.

The file formats are described for users in docs/frameworks-and-settings.md."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from statistics import NormalDist
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.models import User
from tremplin.network.models import Organisation, Programme
from tremplin.placement import adaptive, bank
from tremplin.placement.models import (
    Competence,
    CrosswalkLink,
    Framework,
    PlacementSetup,
    ProgrammeTarget,
    translated,
)
from tremplin.placement.plans import RowCounts
from tremplin.placement.selectors import (
    MANAGE_ROLES,
    may_in,
)
from tremplin.placement.services import rules_of, setup_of

FILE_FORMAT = "tremplin-framework/1"
MAX_FILE_BYTES = 1024 * 1024
MAX_ROWS = 2000
CODE_MAX_LENGTH = Framework._meta.get_field("code").max_length or 64
AREA_CODE_MAX_LENGTH = 16
COMPETENCE_CODE_MAX_LENGTH = 16
TEXT_MAX_LENGTH = 500
MODULE_MAX_LENGTH = ProgrammeTarget._meta.get_field("module").max_length or 120
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
_CODE = re.compile(r"^[-a-zA-Z0-9_.]+$")
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
_SEPARATORS = re.compile(r"[|,;\s]+")

# Settings of the test, in the units staff use.
SE_MIN, SE_MAX = Decimal("0.10"), Decimal("1.00")
MAX_ITEMS_MIN, MAX_ITEMS_MAX = 5, 60
BORDERLINE_MIN, BORDERLINE_MAX = Decimal("0.50"), Decimal("0.99")
CUT_OFF_MIN, CUT_OFF_MAX = 1.0, 99.0  # on the 0–100 score
MIN_GROUPS, MAX_GROUPS = 2, 6
GROUP_NAME_MAX_LENGTH = 32  # Attempt.band
_NORMAL = NormalDist()


def target_frameworks(programme: Programme) -> QuerySet[Framework]:
    """The frameworks a programme's targets are chosen in: DigComp 2.2 and the organisation's
    own frameworks."""
    return Framework.objects.filter(
        Q(organisation__isnull=True, code=bank.DIGCOMP)
        | Q(organisation_id=programme.organisation_id)
    ).order_by(F("organisation_id").asc(nulls_first=True), "code")


def targets_of(programme: Programme) -> QuerySet[ProgrammeTarget]:
    return (
        ProgrammeTarget.objects.filter(programme=programme)
        .select_related("competence__framework", "competence__area")
        .order_by("module", "competence__framework__code", "competence__position")
    )


# --- The 0–100 score and the θ scale ------------------------------------------------------------


def score_of(theta: float) -> float:
    """θ as the 0–100 score of the result pages (``Attempt.score``)."""
    return round(50 * (1 + math.erf(theta / math.sqrt(2))), 1)


def theta_of(score: float) -> float:
    """The θ whose score is ``score`` (strictly between 0 and 100)."""
    return round(_NORMAL.inv_cdf(score / 100), 4)


@dataclass(frozen=True)
class LevelGroup:
    name: str  # as stored and written on results ("beginner" for the default ones)
    cut_off: float | None  # the score (0–100) where the group starts; None: the first group
    theta: float | None


def groups_of(setup: PlacementSetup) -> list[LevelGroup]:
    """The programme's level groups (the defaults when none are set), lowest first."""
    groups = []
    for number, band in enumerate(rules_of(setup).bands):
        if number == 0 or not math.isfinite(band.lower) or band.lower <= -1e8:
            groups.append(LevelGroup(band.name, None, None))
        else:
            groups.append(LevelGroup(band.name, score_of(band.lower), band.lower))
    return groups


# --- Frameworks: rows, checks, plans -----------------------------------------------------------


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
class _Header:
    code: str
    name: dict[str, str]
    partial: bool  # the name (and publisher, url, levels) given in part (CSV, form)
    publisher: dict[str, str] | None = None
    url: str | None = None
    levels: list[Any] | None = None
    crosswalk_to: str | None = None  # JSON: the shipped framework it maps to ("" for none)
    maps_to_digcomp: bool = False  # CSV, form: the box "maps to DigComp 2.2"
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanRow:
    number: int
    where: str
    area_code: str
    competence_code: str
    name: str  # the competence's name in the user's language
    action: str  # "create", "update", "unchanged", or "" when the row is wrong
    problems: list[str]


@dataclass
class FrameworkPlan(RowCounts[PlanRow]):
    """What a file (or a form) would do to a framework, or did when ``written``."""

    file_name: str = ""
    code: str = ""
    name: str = ""
    existing: bool = False
    maps_to: str = ""  # the name of the framework it maps to, if any
    rows: list[PlanRow] = field(default_factory=list)
    code_problems: list[str] = field(default_factory=list)
    name_problems: list[str] = field(default_factory=list)
    file_problems: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # competences leaving the framework
    written: bool = False
    framework: Framework | None = None

    @property
    def has_problems(self) -> bool:
        return bool(
            self.code_problems
            or self.name_problems
            or self.file_problems
            or any(row.problems for row in self.rows)
        )

    @property
    def problems(self) -> list[str]:
        return [
            *self.code_problems,
            *self.name_problems,
            *self.file_problems,
            *(p for row in self.rows for p in row.problems),
        ]

    @property
    def head_problems(self) -> list[str]:
        return [*self.code_problems, *self.name_problems, *self.file_problems]


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
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FrameworkFileError(
            [_("The file is not in UTF-8: save it again as “CSV UTF-8”.")]
        ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        raise FrameworkFileError([_("The file is empty.")])
    header = [cell.strip().lower() for cell in rows[0]]
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
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
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


def _read_json(content: bytes) -> tuple[_Header, list[FrameworkRow]]:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise FrameworkFileError([_("The file is not valid JSON.")]) from error
    if not isinstance(data, Mapping):
        raise FrameworkFileError([_("The file does not hold a framework (code, name, areas).")])
    if data.get("format", FILE_FORMAT) != FILE_FORMAT:
        raise FrameworkFileError(
            [_("The file's format is not “%(format)s”.") % {"format": FILE_FORMAT}]
        )
    problems: list[str] = []
    name = _json_texts(data.get("name"), _("Framework name"), problems)
    publisher = _json_texts(data.get("publisher"), _("Publisher"), problems)
    levels = data.get("levels") or []
    if not isinstance(levels, list) or not all(
        isinstance(level, Mapping)
        and isinstance(level.get("number"), int)
        and 1 <= level["number"] <= 8
        for level in levels
    ):
        problems.append(_("Levels: a list of levels numbered 1 to 8 is expected."))
        levels = []
    url = _clean(data.get("url"))
    if url:
        try:
            URLValidator()(url)
        except ValidationError:
            problems.append(_("Reference: “%(url)s” is not a web address.") % {"url": url})
    crosswalk = data.get("crosswalk") or {}
    links: dict[str, list[tuple[str, dict[str, str]]]] = {}
    crosswalk_to = ""
    if not isinstance(crosswalk, Mapping):
        problems.append(_("Crosswalk: “to” and “links” are expected."))
    elif crosswalk:
        crosswalk_to = _clean(crosswalk.get("to"))
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
    areas = data.get("areas")
    if not isinstance(areas, list):
        problems.append(_("The file has no list of areas."))
        areas = []
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
            code = _clean(competence.get("code"))
            where = _("Competence %(n)s (%(code)s)") % {"n": number, "code": code or "—"}
            row_problems: list[str] = []
            competence_name = _json_texts(competence.get("name"), where, row_problems)
            description = _json_texts(competence.get("description"), where, row_problems)
            targets = links.pop(code, []) if code else []
            rows.append(
                FrameworkRow(
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
            )
    for source in links:
        problems.append(
            _("Crosswalk: “%(code)s” is not a competence of this framework.") % {"code": source}
        )
    header = _Header(
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


def _is_json(file_name: str, content: bytes) -> bool:
    name = file_name.lower()
    return name.endswith(".json") or (
        not name.endswith(".csv") and content.lstrip(b"\xef\xbb\xbf \r\n\t")[:1] in (b"{", b"[")
    )


def _merged(
    before: Mapping[str, str], given: Mapping[str, str], *, partial: bool
) -> dict[str, str]:
    texts = dict(before) if partial else {}
    for language, text in given.items():
        if text:
            texts[language] = text
        else:
            texts.pop(language, None)
    return {k: v for k, v in texts.items() if v}


def _needs_text(texts: Mapping[str, str]) -> bool:
    return not (texts.get("fr") or texts.get("en"))


@dataclass
class _Checked:
    plan: FrameworkPlan
    data: dict[str, Any] | None  # for bank.framework_load, when nothing is wrong
    existing: Framework | None


def _check_code(code: str, problems: list[str]) -> None:
    if not code:
        problems.append(_("Framework code: the code is missing."))
    elif Framework.objects.filter(organisation__isnull=True, code=code).exists():
        problems.append(
            _(
                "Framework code: “%(code)s” is the code of a framework shipped with Tremplin; "
                "choose another."
            )
            % {"code": code}
        )
    elif len(code) > CODE_MAX_LENGTH or not _SLUG.match(code):
        problems.append(
            _(
                "Framework code: use at most %(max)s letters, digits, hyphens and underscores, "
                "without spaces."
            )
            % {"max": CODE_MAX_LENGTH}
        )


@dataclass
class _Before:
    """What a framework holds now (nothing for a new one), one query each."""

    competences: dict[str, Competence] = field(default_factory=dict)
    links: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # → target → note
    area_names: dict[str, dict[str, str]] = field(default_factory=dict)
    targeted: dict[str, list[str]] = field(default_factory=dict)  # → programmes aiming at it


def _before(existing: Framework | None) -> _Before:
    before = _Before()
    if existing is None:
        return before
    for area in existing.areas.all():
        before.area_names[area.code] = dict(area.name or {})
    for competence in existing.competences.select_related("area"):
        before.competences[competence.code] = competence
    for source, target, note in CrosswalkLink.objects.filter(
        source__framework=existing
    ).values_list("source__code", "target__code", "note"):
        before.links.setdefault(source, {})[target] = dict(note or {})
    for code, title in ProgrammeTarget.objects.filter(competence__framework=existing).values_list(
        "competence__code", "programme__title"
    ):
        before.targeted.setdefault(code, []).append(title)
    return before


def _mapped_to(
    header: _Header,
    rows: Sequence[FrameworkRow],
    existing: Framework | None,
    before: _Before,
    problems: list[str],
) -> Framework | None:
    """The shipped framework this one maps to: a JSON file's ``crosswalk.to``; for a CSV file
    or the form, DigComp 2.2 (or the one it maps to already) when the box is ticked or a row
    gives links."""
    if not header.partial:
        if not header.crosswalk_to:
            return None
        mapped = Framework.objects.filter(
            organisation__isnull=True, code=header.crosswalk_to
        ).first()
        if mapped is None:
            problems.append(
                _("Crosswalk: no shipped framework “%(code)s”.") % {"code": header.crosswalk_to}
            )
        return mapped
    linked = any(
        row.maps_to if row.maps_to is not None else before.links.get(row.competence_code)
        for row in rows
    )
    if not (header.maps_to_digcomp or linked):
        return None
    if existing is not None and existing.maps_to is not None:
        return existing.maps_to
    return bank.digcomp()


def _code_problems(row: FrameworkRow, first_row_of: dict[str, FrameworkRow]) -> list[str]:
    problems: list[str] = []
    where = row.where
    if not row.area_code:
        problems.append(_("%(where)s: the area code is missing.") % {"where": where})
    elif len(row.area_code) > AREA_CODE_MAX_LENGTH or not _CODE.match(row.area_code):
        problems.append(
            _(
                "%(where)s: the area code “%(code)s” must be at most %(max)s letters, digits, "
                "dots, hyphens or underscores."
            )
            % {"where": where, "code": row.area_code, "max": AREA_CODE_MAX_LENGTH}
        )
    code = row.competence_code
    if not code:
        problems.append(_("%(where)s: the competence code is missing.") % {"where": where})
    elif len(code) > COMPETENCE_CODE_MAX_LENGTH or not _CODE.match(code):
        problems.append(
            _(
                "%(where)s: the competence code “%(code)s” must be at most %(max)s letters, "
                "digits, dots, hyphens or underscores."
            )
            % {"where": where, "code": code, "max": COMPETENCE_CODE_MAX_LENGTH}
        )
    elif code in first_row_of:
        problems.append(
            _("%(where)s: competence “%(code)s” is already on %(other)s.")
            % {"where": where, "code": code, "other": first_row_of[code].where}
        )
    else:
        first_row_of[code] = row
    for texts in (row.area_name, row.competence_name, row.description or {}):
        if any(len(text) > TEXT_MAX_LENGTH for text in texts.values()):
            problems.append(
                _("%(where)s: a text is longer than %(max)s characters.")
                % {"where": where, "max": TEXT_MAX_LENGTH}
            )
            break
    return problems


@dataclass
class _Area:
    name: dict[str, str] = field(default_factory=dict)
    competences: list[dict[str, Any]] = field(default_factory=list)


def _check(
    *,
    organisation: Organisation,
    header: _Header,
    rows: Sequence[FrameworkRow],
    lock: bool,
    must_be_new: bool = False,
    must_exist: Framework | None = None,
) -> _Checked:
    """What ``header`` and ``rows`` would do to the organisation's framework of that code,
    each problem naming its row; and, when nothing is wrong, the data to load."""
    plan = FrameworkPlan(code=header.code)
    plan.file_problems.extend(header.problems)
    _check_code(header.code, plan.code_problems)
    query = Framework.objects.filter(organisation=organisation, code=header.code)
    if lock:
        query = query.select_for_update(of=("self",))  # maps_to is an outer join
    existing = must_exist or (query.select_related("maps_to").first() if header.code else None)
    if must_be_new and existing is not None:
        plan.code_problems.append(
            _(
                "Framework code: your organisation already has a framework “%(code)s”; open it "
                "to change it, or choose another code."
            )
            % {"code": header.code}
        )
    plan.existing = existing is not None
    name = _merged(existing.name if existing else {}, header.name, partial=header.partial)
    if _needs_text(name):
        plan.name_problems.append(_("Framework name: a French or English name is needed."))
    plan.name = translated(name) or header.code
    before = _before(existing)
    mapped = _mapped_to(header, rows, existing, before, plan.file_problems)
    plan.maps_to = str(mapped) if mapped is not None else ""
    known = set(mapped.competences.values_list("code", flat=True)) if mapped else set()
    if not rows:
        plan.file_problems.append(_("There are no competences."))
    if len(rows) > MAX_ROWS:
        plan.file_problems.append(
            _("There are more than %(n)s competences: split the file.") % {"n": MAX_ROWS}
        )

    first_row_of: dict[str, FrameworkRow] = {}
    named_by: dict[str, FrameworkRow] = {}
    areas: dict[str, _Area] = {}
    for row in rows:
        where, code = row.where, row.competence_code
        problems = [*row.problems, *_code_problems(row, first_row_of)]
        previous = before.competences.get(code)
        competence_name = _merged(
            previous.name if previous else {}, row.competence_name, partial=row.partial
        )
        if _needs_text(competence_name):
            problems.append(
                _("%(where)s: the competence needs a name in French or English.") % {"where": where}
            )
        description = dict(previous.description or {}) if previous and row.partial else {}
        if row.description is not None:
            description = _merged(description, row.description, partial=row.partial)
        # The area's name: on one row of the area at least, the same wherever it is given.
        given_name = {k: v for k, v in row.area_name.items() if v}
        if row.area_code and given_name:
            other = named_by.setdefault(row.area_code, row)
            if other is not row and {k: v for k, v in other.area_name.items() if v} != given_name:
                problems.append(
                    _("%(where)s: area “%(code)s” has another name on %(other)s.")
                    % {"where": where, "code": row.area_code, "other": other.where}
                )
        # Links to the framework it maps to (DigComp 2.2).
        old_links = before.links.get(code, {})
        maps_to = row.maps_to if row.maps_to is not None else tuple(old_links)
        if maps_to and mapped is None:
            problems.append(
                _("%(where)s: it gives competences it maps to, but the framework maps to none.")
                % {"where": where}
            )
        unknown = [t for t in maps_to if mapped is not None and t not in known]
        if unknown:
            problems.append(
                _("%(where)s: “%(codes)s” is not a competence of %(framework)s.")
                % {
                    "where": where,
                    "codes": "|".join(unknown),
                    "framework": mapped.code if mapped is not None else "",
                }
            )
        notes = {
            t: row.notes.get(t) or (old_links.get(t, {}) if row.partial else {}) for t in maps_to
        }
        if problems:
            action = ""
        elif previous is None:
            action = "create"
        elif (
            previous.area.code == row.area_code
            and dict(previous.name or {}) == competence_name
            and dict(previous.description or {}) == description
            and old_links == notes
        ):
            action = "unchanged"
        else:
            action = "update"
        plan.rows.append(
            PlanRow(
                number=row.number,
                where=where,
                area_code=row.area_code,
                competence_code=code,
                name=translated(competence_name),
                action=action,
                problems=problems,
            )
        )
        if row.area_code:
            areas.setdefault(row.area_code, _Area()).competences.append(
                {
                    "code": code,
                    "name": competence_name,
                    "description": description,
                    "links": list(notes.items()),
                }
            )

    # Each area's name; a changed name changes the area's rows.
    for area_code, area in areas.items():
        naming = named_by.get(area_code)
        area.name = _merged(
            before.area_names.get(area_code, {}),
            naming.area_name if naming is not None else {},
            partial=naming.partial if naming is not None else True,
        )
        area_rows = [n for n, r in enumerate(plan.rows) if r.area_code == area_code]
        if _needs_text(area.name):
            first = plan.rows[area_rows[0]]
            first.problems.append(
                _("%(where)s: area “%(code)s” needs a name in French or English.")
                % {"where": first.where, "code": area_code}
            )
        elif area_code in before.area_names and area.name != before.area_names[area_code]:
            for n in area_rows:
                if plan.rows[n].action == "unchanged":
                    plan.rows[n] = replace(plan.rows[n], action="update")
    plan.rows = [replace(r, action="") if r.problems and r.action else r for r in plan.rows]

    plan.removed = sorted(set(before.competences) - set(first_row_of))
    for code in plan.removed:
        if code in before.targeted:
            plan.file_problems.append(
                _(
                    "Competence “%(code)s” is no longer there, but %(programmes)s aims at it: "
                    "keep it, or remove that target first."
                )
                % {"code": code, "programmes": ", ".join(sorted(set(before.targeted[code])))}
            )
    if plan.has_problems:
        return _Checked(plan, None, existing)
    data: dict[str, Any] = {
        "code": header.code,
        "name": name,
        "publisher": header.publisher
        if header.publisher is not None
        else (dict(existing.publisher or {}) if existing else {}),
        "url": header.url if header.url is not None else (existing.url if existing else ""),
        "levels": header.levels
        if header.levels is not None
        else (list(existing.levels or []) if existing else []),
        "areas": [
            {
                "code": area_code,
                "name": area.name,
                "competences": [
                    {"code": c["code"], "name": c["name"], "description": c["description"]}
                    for c in area.competences
                ],
            }
            for area_code, area in areas.items()
        ],
    }
    if mapped is not None:
        data["crosswalk"] = {
            "to": mapped.code,
            "links": [
                {"from": c["code"], "to": [t], "note": note}
                for area in areas.values()
                for c in area.competences
                for t, note in c["links"]
            ],
        }
    return _Checked(plan, data, existing)


def _load(
    *, actor: User, organisation: Organisation, checked: _Checked, action: str, note: str = ""
) -> Framework:
    """Write a checked framework (inside the caller's transaction) and record it."""
    assert checked.data is not None
    plan = checked.plan
    try:
        framework = bank.framework_load(checked.data, organisation=organisation)
    except ValidationError as error:  # checked above already; kept as a last guard
        raise ValidationError(error.messages) from error
    audit_record(
        actor=actor,
        action=action,
        subject=framework,
        changes={
            "competences created": {"from": None, "to": plan.created},
            "competences changed": {"from": None, "to": plan.updated},
            "competences removed": {"from": None, "to": len(plan.removed)},
        },
        note=note[:200],
    )
    plan.written = True
    plan.framework = framework
    return framework


def _manages(actor: User, organisation_id: int) -> None:
    if not may_in(actor, organisation_id, MANAGE_ROLES):
        raise PermissionDenied


def framework_import(
    *,
    actor: User,
    organisation: Organisation,
    file_name: str,
    content: bytes,
    code: str = "",
    name: Mapping[str, str] | None = None,
    maps_to_digcomp: bool = False,
    apply: bool,
) -> FrameworkPlan:
    """Check a framework file (JSON, or CSV with ``code`` and ``name`` given beside it); with
    ``apply``, and only when nothing is wrong, create the framework or update the one with the
    same code. Nothing is saved when any row is wrong."""
    _manages(actor, organisation.pk)
    try:
        if len(content) > MAX_FILE_BYTES:
            raise FrameworkFileError([_("The file is bigger than 1 MB.")])
        if _is_json(file_name, content):
            header, rows = _read_json(content)
        else:
            rows = _read_csv(content)
            header = _Header(
                code=code.strip(),
                name={k: v.strip() for k, v in (name or {}).items()},
                partial=True,
                maps_to_digcomp=maps_to_digcomp,
            )
    except FrameworkFileError as error:
        return FrameworkPlan(file_name=file_name, code=code, file_problems=error.messages)
    if not apply:
        plan = _check(organisation=organisation, header=header, rows=rows, lock=False).plan
        plan.file_name = file_name
        return plan
    with transaction.atomic():
        checked = _check(organisation=organisation, header=header, rows=rows, lock=True)
        checked.plan.file_name = file_name
        if checked.plan.has_problems:
            return checked.plan
        _load(
            actor=actor,
            organisation=organisation,
            checked=checked,
            action="placement.framework_imported",
            note=file_name,
        )
    return checked.plan


def _raise(plan: FrameworkPlan) -> None:
    errors: dict[str, list[str]] = {}
    if plan.code_problems:
        errors["code"] = plan.code_problems
    if plan.name_problems:
        errors["name_fr"] = plan.name_problems
    others = [*plan.file_problems, *(p for row in plan.rows for p in row.problems)]
    if others:
        errors[NON_FIELD_ERRORS] = others
    raise ValidationError(errors)


def framework_create(
    *,
    actor: User,
    organisation: Organisation,
    code: str,
    name: Mapping[str, str],
    maps_to_digcomp: bool,
    rows: Sequence[Mapping[str, Any]],
) -> Framework:
    """An organisation's own framework from the form: ``rows`` in the CSV columns (empty rows
    are left out). Raises ValidationError naming the field or the row."""
    _manages(actor, organisation.pk)
    header = _Header(
        code=code.strip(),
        name={k: v.strip() for k, v in name.items()},
        partial=True,
        maps_to_digcomp=maps_to_digcomp,
    )
    with transaction.atomic():
        checked = _check(
            organisation=organisation,
            header=header,
            rows=rows_from_cells(rows),
            lock=True,
            must_be_new=True,
        )
        if checked.plan.has_problems:
            _raise(checked.plan)
        return _load(
            actor=actor,
            organisation=organisation,
            checked=checked,
            action="placement.framework_created",
        )


def framework_update(
    *,
    actor: User,
    framework: Framework,
    name: Mapping[str, str],
    maps_to_digcomp: bool,
    rows: Sequence[Mapping[str, Any]],
) -> Framework:
    """Change an organisation's own framework from the form (its code stays); a competence
    left out is removed, unless a programme aims at it. Shipped frameworks are read-only."""
    if framework.organisation is None or framework.organisation_id is None:
        raise PermissionDenied(_("A framework shipped with Tremplin cannot be changed."))
    _manages(actor, framework.organisation_id)
    header = _Header(
        code=framework.code,
        name={k: v.strip() for k, v in name.items()},
        partial=True,
        maps_to_digcomp=maps_to_digcomp,
    )
    with transaction.atomic():
        checked = _check(
            organisation=framework.organisation,
            header=header,
            rows=rows_from_cells(rows),
            lock=True,
            must_exist=framework,
        )
        if checked.plan.has_problems:
            _raise(checked.plan)
        return _load(
            actor=actor,
            organisation=framework.organisation,
            checked=checked,
            action="placement.framework_changed",
        )


def framework_rows(framework: Framework) -> list[dict[str, str]]:
    """A framework's competences in the CSV columns (for the form and the export)."""
    links: dict[int, list[str]] = {}
    for source_id, target_code in CrosswalkLink.objects.filter(
        source__framework=framework
    ).values_list("source_id", "target__code"):
        links.setdefault(source_id, []).append(target_code)
    rows = []
    for competence in framework.competences.select_related("area").order_by(
        "area__position", "position"
    ):
        area_name = competence.area.name or {}
        name = competence.name or {}
        description = competence.description or {}
        rows.append(
            {
                "area_code": competence.area.code,
                "area_name_fr": area_name.get("fr", ""),
                "area_name_en": area_name.get("en", ""),
                "area_name_ar": area_name.get("ar", ""),
                "competence_code": competence.code,
                "competence_name_fr": name.get("fr", ""),
                "competence_name_en": name.get("en", ""),
                "competence_name_ar": name.get("ar", ""),
                "competence_description_fr": description.get("fr", ""),
                "competence_description_en": description.get("en", ""),
                "competence_description_ar": description.get("ar", ""),
                "maps_to": "|".join(sorted(links.get(competence.pk, []))),
            }
        )
    return rows


# --- Targets ----------------------------------------------------------------------------------


def _target_words(target: ProgrammeTarget) -> str:
    module = f" ({target.module})" if target.module else ""
    return f"{target.competence.framework.code} {target.competence.code} ≥ {target.level}{module}"


def target_set(
    *, actor: User, programme: Programme, competence: Competence, level: int, module: str = ""
) -> ProgrammeTarget:
    """The programme (or one of its modules) aims at ``competence`` at ``level``; set again,
    the level changes."""
    _manages(actor, programme.organisation_id)
    framework = competence.framework
    if not (
        (framework.organisation_id is None and framework.code == bank.DIGCOMP)
        or framework.organisation_id == programme.organisation_id
    ):
        raise ValidationError(
            {
                "competence": _(
                    "Choose a competence of DigComp 2.2 or of your organisation's frameworks."
                )
            }
        )
    module = module.strip()
    if len(module) > MODULE_MAX_LENGTH:
        raise ValidationError(
            {"module": _("Module: at most %(max)s characters.") % {"max": MODULE_MAX_LENGTH}}
        )
    numbers = {
        int(lv["number"])
        for lv in framework.levels or []
        if isinstance(lv, Mapping) and isinstance(lv.get("number"), int)
    }
    if not 1 <= level <= 8 or (numbers and level not in numbers):
        raise ValidationError({"level": _("Level: choose a level from 1 to 8.")})
    with transaction.atomic():
        existing = (
            ProgrammeTarget.objects.select_for_update()
            .filter(programme=programme, module=module, competence=competence)
            .first()
        )
        before = existing.level if existing is not None else None
        if existing is None:
            target = ProgrammeTarget.objects.create(
                programme=programme, module=module, competence=competence, level=level
            )
        else:
            target = existing
            if target.level == level:
                return target
            target.level = level
            target.save(update_fields=["level"])
        audit_record(
            actor=actor,
            action="placement.target_set",
            subject=programme,
            changes={"level": {"from": before, "to": level}},
            note=_target_words(target),
        )
    return target


def target_remove(*, actor: User, target: ProgrammeTarget) -> None:
    _manages(actor, target.programme.organisation_id)
    with transaction.atomic():
        words = _target_words(target)
        deleted, _rows = ProgrammeTarget.objects.filter(pk=target.pk).delete()
        if deleted:
            audit_record(
                actor=actor,
                action="placement.target_removed",
                subject=target.programme,
                changes={"level": {"from": target.level, "to": None}},
                note=words,
            )


# --- Settings ---------------------------------------------------------------------------------


def _bands_from(
    groups: Sequence[tuple[str, float | None]],
    before: Sequence[adaptive.Band],
    errors: dict[str, list[str]],
) -> list[dict[str, Any]]:
    """The stored form of level groups given as (name, score where it starts); a score that
    is the one shown for a cut-off already set keeps that cut-off exactly."""
    kept = {score_of(b.lower): b.lower for b in before[1:] if math.isfinite(b.lower)}
    if not MIN_GROUPS <= len(groups) <= MAX_GROUPS:
        errors.setdefault("groups", []).append(
            _("Level groups: give %(min)s to %(max)s groups.")
            % {"min": MIN_GROUPS, "max": MAX_GROUPS}
        )
    bands: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    previous: float | None = None
    for number, (raw_name, cut_off) in enumerate(groups, start=1):
        name = raw_name.strip()
        key = f"group_{number}"
        if not name:
            errors.setdefault(f"{key}_name", []).append(
                _("Level group %(n)s: give its name.") % {"n": number}
            )
        elif len(name) > GROUP_NAME_MAX_LENGTH:
            errors.setdefault(f"{key}_name", []).append(
                _("Level group %(n)s: the name must be at most %(max)s characters.")
                % {"n": number, "max": GROUP_NAME_MAX_LENGTH}
            )
        elif name.casefold() in seen:
            errors.setdefault(f"{key}_name", []).append(
                _("Level group %(n)s: level group %(other)s has the same name.")
                % {"n": number, "other": seen[name.casefold()]}
            )
        else:
            seen[name.casefold()] = number
        if number == 1:
            bands.append({"name": name, "lower": None})
            continue
        if cut_off is None:
            errors.setdefault(f"{key}_cut_off", []).append(
                _("Level group %(n)s: give the score where it starts.") % {"n": number}
            )
            continue
        score = round(float(cut_off), 1)
        if not math.isfinite(score) or not CUT_OFF_MIN <= score <= CUT_OFF_MAX:
            errors.setdefault(f"{key}_cut_off", []).append(
                _(
                    "Level group %(n)s: the score where it starts must be between %(min)s and "
                    "%(max)s."
                )
                % {"n": number, "min": int(CUT_OFF_MIN), "max": int(CUT_OFF_MAX)}
            )
            continue
        if previous is not None and score <= previous:
            errors.setdefault(f"{key}_cut_off", []).append(
                _(
                    "Level group %(n)s: the score where it starts must be higher than that of "
                    "level group %(before)s (%(score)s); put the groups in increasing order."
                )
                % {"n": number, "before": number - 1, "score": previous}
            )
        previous = score
        bands.append({"name": name, "lower": kept.get(score, theta_of(score))})
    return bands


def _hundredths(value: Decimal | float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def setup_update(
    *,
    actor: User,
    programme: Programme,
    se_target: Decimal,
    max_items: int,
    borderline_below: Decimal,
    groups: Sequence[tuple[str, float | None]],
) -> PlacementSetup:
    """Change how the programme runs its placement test. ``groups``: the level groups, lowest
    first, each with the 0–100 score where it starts (None for the first). Raises
    ValidationError keyed by field: se_target, max_items, borderline_below, groups,
    group_<n>_name, group_<n>_cut_off."""
    _manages(actor, programme.organisation_id)
    errors: dict[str, list[str]] = {}
    if not SE_MIN <= se_target <= SE_MAX:
        errors["se_target"] = [
            _("Stop when the standard error is below: give a number from 0.1 to 1.")
        ]
    if not MAX_ITEMS_MIN <= max_items <= MAX_ITEMS_MAX:
        errors["max_items"] = [
            _("At most this many questions: give a number from %(min)s to %(max)s.")
            % {"min": MAX_ITEMS_MIN, "max": MAX_ITEMS_MAX}
        ]
    if not BORDERLINE_MIN <= borderline_below <= BORDERLINE_MAX:
        errors["borderline_below"] = [
            _("Borderline when the level group is less sure than: give 50 to 99 %.")
        ]
    with transaction.atomic():
        setup = PlacementSetup.objects.select_for_update().filter(programme=programme).first()
        current = setup if setup is not None else setup_of(programme)
        bands = _bands_from(groups, rules_of(current).bands, errors)
        if errors:
            raise ValidationError(errors)
        defaults = [
            {"name": b.name, "lower": None if n == 0 else b.lower}
            for n, b in enumerate(adaptive.DEFAULT_BANDS)
        ]
        stored = [] if bands == defaults else bands
        before = {
            "se_target": str(_hundredths(current.se_target)),
            "max_items": current.max_items,
            "borderline_below": str(_hundredths(current.borderline_below)),
            "bands": list(current.bands or []),
        }
        if setup is None:
            setup = PlacementSetup(programme=programme)
        setup.se_target = _hundredths(se_target)
        setup.max_items = max_items
        setup.borderline_below = _hundredths(borderline_below)
        setup.bands = stored
        setup.full_clean(exclude=["programme"])
        setup.save()
        after = {
            "se_target": str(setup.se_target),
            "max_items": setup.max_items,
            "borderline_below": str(setup.borderline_below),
            "bands": stored,
        }
        changes = {
            key: {"from": before[key], "to": after[key]}
            for key in before
            if before[key] != after[key]
        }
        if changes:
            audit_record(
                actor=actor, action="placement.setup_changed", subject=setup, changes=changes
            )
    return setup
