"""Files of questions: a CSV or JSON file checked and then imported (all or nothing, each
problem naming its row), and the bank exported in both formats so that the file imports back
unchanged. The file formats are described for users in docs/item-bank.md.

Reading the file (CSV or JSON, its size and columns) is kept together here, apart from what
the rows would do to the bank."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.core import json_files, spreadsheets
from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.network.models import Organisation
from tremplin.placement import bank
from tremplin.placement.item_entries import (
    ENTRY_KEYS,
    LANGUAGES,
    MAX_CHOICES,
    TEXT_FIELDS,
    ZONE_KEYS,
    comparable,
    entry_normalised,
    for_bank,
    item_entry,
    item_where,
    number_normalised,
    pictures,
)
from tremplin.placement.models import Item, ItemStatus
from tremplin.placement.plans import RowCounts
from tremplin.placement.selectors.access import AUTHOR_ROLES, may_in
from tremplin.placement.services.items import entry_problems

FILE_FORMAT = "tremplin-items/1"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ENTRIES = 5000

CHOICE_KEYS = (*LANGUAGES, *ZONE_KEYS)  # a choice's columns: choice<n>_<key>
CSV_COLUMNS: tuple[str, ...] = (
    "code",
    "competence",
    "level",
    "kind",
    "status",
    "answer",
    "image",
    *(f"stem_{lang}" for lang in LANGUAGES),
    *(f"choice{n}_{key}" for n in range(1, MAX_CHOICES + 1) for key in CHOICE_KEYS),
    *(f"image_alt_{lang}" for lang in LANGUAGES),
    *(f"accessibility_{lang}" for lang in LANGUAGES),
    *(f"audio_{lang}" for lang in LANGUAGES),
    "a",
    "b",
)
_CHOICE_COLUMN = re.compile(r"^choice([0-9]{1,3})_(\w+)$", re.ASCII)


# --- Files: reading ---------------------------------------------------------------------------


class ItemFileError(Exception):
    """The file cannot be read at all (not CSV or JSON, unknown column, too big)."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = list(messages)


@dataclass(frozen=True)
class _Raw:
    number: int  # the spreadsheet row (the header is row 1), or the JSON entry (from 1)
    csv: Mapping[str, str] | None
    json: Mapping[str, Any] | None

    @property
    def code(self) -> str:
        source: Mapping[str, Any] = self.csv if self.csv is not None else (self.json or {})
        return str(source.get("code") or "").strip()


def _read_csv(content: bytes) -> list[_Raw]:
    try:
        sheet = spreadsheets.csv_read(content)
    except spreadsheets.SpreadsheetFileError as error:
        raise ItemFileError([error.message]) from error
    if sheet.header is None:
        raise ItemFileError([_("The file is empty.")])
    header = [cell.strip().lower() for cell in sheet.header]
    problems: list[str] = []
    known = set(CSV_COLUMNS)
    for column in header:
        if column and column not in known:
            problems.append(
                _("Column “%(column)s” is not one of the columns of an items file.")
                % {"column": column}
            )
    seen: set[str] = set()
    for column in header:
        if column in seen:
            problems.append(_("Column “%(column)s” is there twice.") % {"column": column})
        seen.add(column)
    if "code" not in seen:
        problems.append(_("The file has no “code” column."))
    if problems:
        raise ItemFileError(problems)
    raws: list[_Raw] = []
    for number, row in sheet.rows:
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
            raise ItemFileError([_("Row %(n)s: more cells than columns.") % {"n": number}])
        cells = {
            column: spreadsheets.cell_unsafe(row[index] if index < len(row) else "")
            for index, column in enumerate(header)
            if column
        }
        raws.append(_Raw(number=number, csv=cells, json=None))
    return raws


def _read_json(content: bytes) -> list[_Raw]:
    try:
        data = json_files.json_read(content)
    except json_files.JsonFileError as error:
        raise ItemFileError([error.message]) from error
    if isinstance(data, Mapping):
        if data.get("format", FILE_FORMAT) != FILE_FORMAT:
            raise ItemFileError(
                [_("The file's format is not “%(format)s”.") % {"format": FILE_FORMAT}]
            )
        data = data.get("items")
    if not isinstance(data, list):
        raise ItemFileError([_("The file has no list of items.")])
    raws: list[_Raw] = []
    for number, entry in enumerate(data, start=1):
        if not isinstance(entry, Mapping):
            raise ItemFileError(
                [_("Entry %(n)s: an item (with code, stem, choices…) is expected.") % {"n": number}]
            )
        raws.append(_Raw(number=number, csv=None, json=entry))
    return raws


def _read(file_name: str, content: bytes) -> list[_Raw]:
    if len(content) > MAX_FILE_BYTES:
        raise ItemFileError([_("The file is bigger than 5 MB.")])
    name = file_name.lower()
    if name.endswith(".json") or (
        not name.endswith(".csv") and json_files.json_looks_like(content)
    ):
        raws = _read_json(content)
    else:
        raws = _read_csv(content)
    if len(raws) > MAX_ENTRIES:
        raise ItemFileError(
            [_("The file has more than %(n)s questions: split it.") % {"n": MAX_ENTRIES}]
        )
    return raws


def _entry_from_cells(cells: Mapping[str, str], base: Mapping[str, Any]) -> dict[str, Any]:
    """An entry from a CSV row, over ``base`` (the question as it is, or a new one): a column
    the file does not have leaves that part as it is; an empty cell empties it."""
    entry = copy.deepcopy(dict(base))
    for key in ("code", "competence", "kind", "image", "level"):
        if key in cells:
            entry[key] = cells[key].strip()
    if cells.get("status", "").strip():  # empty: as it is (draft for a new question)
        entry["status"] = cells["status"].strip()
    if "answer" in cells:
        number = number_normalised(cells["answer"])
        entry["answer"] = number - 1 if isinstance(number, int) else -1
    for name in TEXT_FIELDS:
        if any(f"{name}_{language}" in cells for language in LANGUAGES):
            texts = entry.get(name)
            entry[name] = _cells_over(
                dict(texts) if isinstance(texts, Mapping) else {},
                cells,
                prefix=name,
                keys=LANGUAGES,
            )
    numbers = sorted({int(m.group(1)) for c in cells if (m := _CHOICE_COLUMN.match(c))})
    if numbers:
        choices = [dict(c) if isinstance(c, Mapping) else {} for c in entry.get("choices") or []]
        choices += [{} for _n in range(len(choices), numbers[-1])]
        for number in range(1, numbers[-1] + 1):
            _cells_over(choices[number - 1], cells, prefix=f"choice{number}", keys=CHOICE_KEYS)
        while choices and not choices[-1]:
            choices.pop()
        entry["choices"] = choices
    for key in ("a", "b"):
        if key in cells:
            entry[key] = cells[key].strip() or None
    return entry


def _cells_over(
    values: dict[str, Any], cells: Mapping[str, str], *, prefix: str, keys: Sequence[str]
) -> dict[str, Any]:
    """``values`` (texts by language, or a choice's texts and place) changed by the columns
    ``{prefix}_{key}`` the row has: a filled cell sets its key (a place as a number), an empty
    one removes it. Changed in place, and returned."""
    for key in keys:
        column = f"{prefix}_{key}"
        if column not in cells:
            continue
        if cells[column].strip():
            values[key] = number_normalised(cells[column]) if key in ZONE_KEYS else cells[column]
        else:
            values.pop(key, None)
    return values


# --- Files: import --------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRow:
    number: int  # row of the spreadsheet (header = 1) or entry of the JSON file (first = 1)
    code: str
    action: str  # "create", "update", "unchanged", or "" when the row is wrong
    problems: list[str]


@dataclass
class ImportPlan(RowCounts[ImportRow]):
    """What a file would do (or did, when ``written``): each row, and problems of the file."""

    file_name: str
    rows: list[ImportRow] = field(default_factory=list)
    file_problems: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def has_problems(self) -> bool:
        return bool(self.file_problems) or any(row.problems for row in self.rows)


@dataclass(frozen=True)
class _Planned:
    row: ImportRow
    entry: dict[str, Any]
    calibration_changed: bool
    has_picture: bool  # the question has an uploaded picture (kept: files do not travel)


def _plan(
    raws: Sequence[_Raw], *, actor: User, organisation: Organisation, lock: bool
) -> list[_Planned]:
    codes = [raw.code for raw in raws if raw.code]
    existing_items = Item.objects.filter(organisation=organisation, code__in=codes).select_related(
        "competence"
    )
    if lock:
        existing_items = existing_items.select_for_update()
    listed = list(existing_items)
    existing = {item.code: item_entry(item) for item in listed}
    with_picture = {item.code for item in listed if item.picture}
    known_pictures = frozenset(pictures())
    planned: list[tuple[_Raw, dict[str, Any], dict[str, Any] | None, list[str]]] = []
    for raw in raws:
        problems: list[str] = []
        before = existing.get(raw.code)
        base: dict[str, Any] = (
            before
            if before is not None
            else {"status": ItemStatus.DRAFT.value, "a": None, "b": None}
        )
        if raw.csv is not None:
            entry = _entry_from_cells(raw.csv, base)
        else:
            given = raw.json or {}
            unknown = sorted(str(k) for k in given if k not in ENTRY_KEYS)
            if unknown:
                problems.append(
                    _("%(where)s: unknown key “%(keys)s”.")
                    % {"where": item_where(raw.code), "keys": ", ".join(unknown)}
                )
            entry = {**copy.deepcopy(base), **given}
        entry = entry_normalised(entry)
        if not entry["code"]:
            problems.append(_("The code is missing."))
        else:
            problems += entry_problems(
                entry,
                actor=actor,
                organisation_id=organisation.pk,
                before=before,
                known_pictures=known_pictures,
            )
        planned.append((raw, entry, before, problems))
    # The bank's own checks, on the entries that have a code (in the file's order).
    with_code = [p for p in planned if p[1]["code"]]
    bank_entries = [for_bank(p[1], has_picture=p[1]["code"] in with_picture) for p in with_code]
    for (_raw, _entry, _before, problems), found in zip(
        with_code, bank.items_check(entries=bank_entries), strict=True
    ):
        problems.extend(p for p in found if p not in problems)
    result: list[_Planned] = []
    for raw, entry, before, problems in planned:
        if problems:
            action = ""
        elif before is None:
            action = "create"
        elif comparable(entry_normalised(before)) == comparable(entry):
            action = "unchanged"
        else:
            action = "update"
        old = (before.get("a"), before.get("b")) if before else (None, None)
        result.append(
            _Planned(
                row=ImportRow(raw.number, entry["code"], action, problems),
                entry=entry,
                calibration_changed=(entry.get("a"), entry.get("b")) != old,
                has_picture=entry["code"] in with_picture,
            )
        )
    return result


def items_import_file(
    *, actor: User, organisation: Organisation, file_name: str, content: bytes, apply: bool
) -> ImportPlan:
    """Check a CSV or JSON file of questions; with ``apply``, and only when no row has a
    problem, create and update them all at once. Nothing is saved when any row is wrong."""
    if not may_in(actor, organisation.pk, AUTHOR_ROLES):
        raise PermissionDenied
    plan = ImportPlan(file_name=file_name)
    try:
        raws = _read(file_name, content)
    except ItemFileError as error:
        plan.file_problems = error.messages
        return plan
    if not raws:
        plan.file_problems = [_("The file has no questions.")]
        return plan
    if not apply:
        plan.rows = [p.row for p in _plan(raws, actor=actor, organisation=organisation, lock=False)]
        return plan
    with transaction.atomic():
        planned = _plan(raws, actor=actor, organisation=organisation, lock=True)
        plan.rows = [p.row for p in planned]
        if plan.has_problems:
            return plan
        changed = [p for p in planned if p.row.action in ("create", "update")]
        if changed:
            bank.items_import(
                organisation=organisation,
                entries=[for_bank(p.entry, has_picture=p.has_picture) for p in changed],
            )
        recalibrated = [p.entry["code"] for p in changed if p.calibration_changed]
        if recalibrated:
            # a and b from a file: the estimation's errors, fit and flags no longer apply.
            Item.objects.filter(organisation=organisation, code__in=recalibrated).update(
                se_a=None, se_b=None, fit_p=None, flags=[], calibrated_at=None
            )
        audit_record(
            actor=actor,
            action=AuditAction.ITEM_BANK_IMPORTED,
            subject=organisation,
            changes={
                "created": {"from": None, "to": plan.created},
                "updated": {"from": None, "to": plan.updated},
                "unchanged": {"from": None, "to": plan.unchanged},
            },
            note=file_name[:200],
        )
        plan.written = True
    return plan


# --- Files: export --------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return spreadsheets.cell_safe(value)


def item_row(entry: Mapping[str, Any]) -> list[str]:
    """One CSV row (in the order of ``CSV_COLUMNS``) for an entry."""
    values: dict[str, Any] = {
        "code": entry["code"],
        "competence": entry["competence"],
        "level": entry["level"],
        "kind": entry["kind"],
        "status": entry["status"],
        "answer": entry["answer"] + 1,
        "image": entry["image"],
        "a": entry.get("a"),
        "b": entry.get("b"),
    }
    for name in TEXT_FIELDS:
        for language in LANGUAGES:
            values[f"{name}_{language}"] = (entry.get(name) or {}).get(language)
    for number, choice in enumerate(entry.get("choices") or [], start=1):
        for key in CHOICE_KEYS:
            values[f"choice{number}_{key}"] = choice.get(key)
    return [_cell(values.get(column)) for column in CSV_COLUMNS]


def _audit_export(actor: User, items: Sequence[Item], file_format: str) -> None:
    counts: dict[int, int] = {}
    for item in items:
        counts[item.organisation_id] = counts.get(item.organisation_id, 0) + 1
    for organisation in Organisation.objects.filter(pk__in=list(counts)):
        audit_record(
            actor=actor,
            action=AuditAction.ITEM_BANK_EXPORTED,
            subject=organisation,
            changes={"items": {"from": None, "to": counts[organisation.pk]}},
            note=file_format,
        )


def items_export_csv(*, actor: User, items: Iterable[Item]) -> str:
    """The questions as CSV (``competence`` loaded), one row per question; see CSV_COLUMNS."""
    listed = list(items)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(item_row(entry_normalised(item_entry(item))) for item in listed)
    with transaction.atomic():
        _audit_export(actor, listed, "csv")
    return out.getvalue()


def items_export_json(*, actor: User, items: Iterable[Item]) -> str:
    """The questions as JSON, in the format of the shipped bank (data/items/*.json)."""
    listed = list(items)
    document = {
        "format": FILE_FORMAT,
        "items": [entry_normalised(item_entry(item)) for item in listed],
    }
    with transaction.atomic():
        _audit_export(actor, listed, "json")
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
