"""What rows of a framework (from a file or the form) would do to an organisation's framework:
each row checked, each problem naming its row, and, when nothing is wrong, the data
``bank.framework_load`` writes. Shipped frameworks (no organisation) are never changed; the
same code again updates the organisation's framework."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.translation import gettext as _

from tremplin.network.models import Organisation
from tremplin.placement import bank
from tremplin.placement.models import (
    Competence,
    CrosswalkLink,
    Framework,
    ProgrammeTarget,
    translated,
)
from tremplin.placement.plans import RowCounts
from tremplin.placement.services.framework_files import FrameworkHeader, FrameworkRow

MAX_ROWS = 2000
CODE_MAX_LENGTH = Framework._meta.get_field("code").max_length or 64
AREA_CODE_MAX_LENGTH = 16
COMPETENCE_CODE_MAX_LENGTH = 16
TEXT_MAX_LENGTH = 500
_CODE = re.compile(r"^[-a-zA-Z0-9_.]+$")
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


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
class CheckedFramework:
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
    header: FrameworkHeader,
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


def framework_checked(
    *,
    organisation: Organisation,
    header: FrameworkHeader,
    rows: Sequence[FrameworkRow],
    lock: bool,
    must_be_new: bool = False,
    must_exist: Framework | None = None,
) -> CheckedFramework:
    """What ``header`` and ``rows`` would do to the organisation's framework of that code,
    each problem naming its row; and, when nothing is wrong, the data to load."""
    plan = FrameworkPlan(code=header.code)
    plan.file_problems.extend(header.problems)
    _check_code(header.code, plan.code_problems)
    existing = _existing(
        organisation=organisation,
        header=header,
        lock=lock,
        must_be_new=must_be_new,
        must_exist=must_exist,
        plan=plan,
    )
    plan.existing = existing is not None
    name = _merged(existing.name if existing else {}, header.name, partial=header.partial)
    if _needs_text(name):
        plan.name_problems.append(_("Framework name: a French or English name is needed."))
    plan.name = translated(name) or header.code
    before = _before(existing)
    mapped = _mapped_to(header, rows, existing, before, plan.file_problems)
    plan.maps_to = str(mapped) if mapped is not None else ""
    if not rows:
        plan.file_problems.append(_("There are no competences."))
    if len(rows) > MAX_ROWS:
        plan.file_problems.append(
            _("There are more than %(n)s competences: split the file.") % {"n": MAX_ROWS}
        )
    checking = _RowsChecked(
        before=before,
        mapped=mapped,
        known=set(mapped.competences.values_list("code", flat=True)) if mapped else set(),
    )
    areas: dict[str, _Area] = {}
    for row in rows:
        plan_row, competence = checking.row(row)
        plan.rows.append(plan_row)
        if row.area_code:
            areas.setdefault(row.area_code, _Area()).competences.append(competence)
    _areas_named(areas, named_by=checking.named_by, before=before, plan=plan)
    plan.rows = [replace(r, action="") if r.problems and r.action else r for r in plan.rows]
    _removed(plan, before=before, kept=checking.first_row_of)
    if plan.has_problems:
        return CheckedFramework(plan, None, existing)
    return CheckedFramework(plan, _load_data(header, name, existing, areas, mapped), existing)


def _existing(
    *,
    organisation: Organisation,
    header: FrameworkHeader,
    lock: bool,
    must_be_new: bool,
    must_exist: Framework | None,
    plan: FrameworkPlan,
) -> Framework | None:
    """The organisation's framework of the header's code (``must_exist`` when given), locked
    with ``lock``; with ``must_be_new``, one that exists is a problem of the code."""
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
    return existing


@dataclass
class _RowsChecked:
    """The rows checked one after the other, against what the framework holds (``before``)
    and the framework it maps to, with what earlier rows said."""

    before: _Before
    mapped: Framework | None
    known: set[str]  # the competence codes of ``mapped``
    first_row_of: dict[str, FrameworkRow] = field(default_factory=dict)  # competence → row
    named_by: dict[str, FrameworkRow] = field(default_factory=dict)  # area → first naming row

    def row(self, row: FrameworkRow) -> tuple[PlanRow, dict[str, Any]]:
        """What the row would do, with its problems; and its competence as loaded."""
        where, code = row.where, row.competence_code
        problems = [*row.problems, *_code_problems(row, self.first_row_of)]
        previous = self.before.competences.get(code)
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
        problems += self._area_name_problems(row)
        # Links to the framework it maps to (DigComp 2.2).
        old_links = self.before.links.get(code, {})
        maps_to = row.maps_to if row.maps_to is not None else tuple(old_links)
        problems += self._link_problems(where, maps_to)
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
        competence = {
            "code": code,
            "name": competence_name,
            "description": description,
            "links": list(notes.items()),
        }
        name = translated(competence_name)
        return PlanRow(row.number, where, row.area_code, code, name, action, problems), competence

    def _area_name_problems(self, row: FrameworkRow) -> list[str]:
        """The area's name: on one row of the area at least, the same wherever it is given."""
        given_name = {k: v for k, v in row.area_name.items() if v}
        if not (row.area_code and given_name):
            return []
        other = self.named_by.setdefault(row.area_code, row)
        if other is not row and {k: v for k, v in other.area_name.items() if v} != given_name:
            return [
                _("%(where)s: area “%(code)s” has another name on %(other)s.")
                % {"where": row.where, "code": row.area_code, "other": other.where}
            ]
        return []

    def _link_problems(self, where: str, maps_to: Sequence[str]) -> list[str]:
        problems: list[str] = []
        mapped = self.mapped
        if maps_to and mapped is None:
            problems.append(
                _("%(where)s: it gives competences it maps to, but the framework maps to none.")
                % {"where": where}
            )
        unknown = [t for t in maps_to if mapped is not None and t not in self.known]
        if unknown:
            problems.append(
                _("%(where)s: “%(codes)s” is not a competence of %(framework)s.")
                % {
                    "where": where,
                    "codes": "|".join(unknown),
                    "framework": mapped.code if mapped is not None else "",
                }
            )
        return problems


def _areas_named(
    areas: dict[str, _Area],
    *,
    named_by: Mapping[str, FrameworkRow],
    before: _Before,
    plan: FrameworkPlan,
) -> None:
    """Each area's name; a changed name changes the area's rows."""
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


def _removed(plan: FrameworkPlan, *, before: _Before, kept: Mapping[str, FrameworkRow]) -> None:
    """The competences leaving the framework; one a programme aims at is a problem."""
    plan.removed = sorted(set(before.competences) - set(kept))
    for code in plan.removed:
        if code in before.targeted:
            plan.file_problems.append(
                _(
                    "Competence “%(code)s” is no longer there, but %(programmes)s aims at it: "
                    "keep it, or remove that target first."
                )
                % {"code": code, "programmes": ", ".join(sorted(set(before.targeted[code])))}
            )


def _load_data(
    header: FrameworkHeader,
    name: dict[str, str],
    existing: Framework | None,
    areas: Mapping[str, _Area],
    mapped: Framework | None,
) -> dict[str, Any]:
    """The framework as ``bank.framework_load`` reads it; what the header does not give is
    kept from the framework as it is."""
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
    return data
