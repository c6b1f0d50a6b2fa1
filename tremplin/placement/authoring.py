"""Writing the item bank: a question created or changed on the authoring pages, its status
moved along draft → pilot → live → retired, a file of questions (CSV or JSON) checked and then
imported (all or nothing, each problem naming its row), and the bank exported in both formats
so that the file imports back unchanged.

Writes are atomic and audited; the checks of ``bank.items_import`` are reused, with those of
the authoring pages on top (who may publish, what a live question needs, known pictures).
Reads are scoped to the acting user: a question of another organisation is not found (404).
The file formats are described for users in docs/item-bank.md."""

from __future__ import annotations

import copy
import csv
import io
import json
import math
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.core.audit import audit_record
from tremplin.core.models import User
from tremplin.network.models import Organisation
from tremplin.placement import bank
from tremplin.placement.models import Answer, Item, ItemKind, ItemStatus
from tremplin.placement.selectors import (
    AUTHOR_ROLES,
    BANK_READ_ROLES,
    MANAGE_ROLES,
    may_in,
    organisation_ids_for,
)

LANGUAGES: tuple[str, ...] = bank.LANGUAGES  # fr, en, ar: the languages a question is written in
LANGUAGE_NAMES = {
    "fr": gettext_lazy("French"),
    "en": gettext_lazy("English"),
    "ar": gettext_lazy("Arabic"),
}
MAX_CHOICES = 6
ZONE_KEYS = ("x", "y", "w", "h")  # a place on the picture, in % of its width and height
TEXT_FIELDS = ("stem", "image_alt", "accessibility", "audio")
ENTRY_KEYS = frozenset(
    {"code", "competence", "level", "kind", "status", "answer", "image", "choices", "a", "b"}
    | set(TEXT_FIELDS)
)
CODE_MAX_LENGTH = Item._meta.get_field("code").max_length or 32
FILE_FORMAT = "tremplin-items/1"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ENTRIES = 5000
PICTURES_DIR = Path(__file__).resolve().parent / "static" / "placement" / "items"
PICTURE_SUFFIXES = frozenset({".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif"})
# Moving a question into or out of these is publishing it: site managers only.
PUBLISHED = frozenset({ItemStatus.LIVE.value, ItemStatus.RETIRED.value})
# A spreadsheet reads a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

CSV_COLUMNS: tuple[str, ...] = (
    "code",
    "competence",
    "level",
    "kind",
    "status",
    "answer",
    "image",
    *(f"stem_{lang}" for lang in LANGUAGES),
    *(f"choice{n}_{key}" for n in range(1, MAX_CHOICES + 1) for key in (*LANGUAGES, *ZONE_KEYS)),
    *(f"image_alt_{lang}" for lang in LANGUAGES),
    *(f"accessibility_{lang}" for lang in LANGUAGES),
    *(f"audio_{lang}" for lang in LANGUAGES),
    "a",
    "b",
)
_CHOICE_COLUMN = re.compile(r"^choice(\d+)_(\w+)$")


def pictures() -> list[str]:
    """The pictures a question may show: files under static/placement/items/, as the static
    paths stored on items (``placement/items/…``)."""
    if not PICTURES_DIR.is_dir():
        return []
    return sorted(
        f"placement/items/{path.relative_to(PICTURES_DIR).as_posix()}"
        for path in PICTURES_DIR.rglob("*")
        if path.is_file() and path.suffix.lower() in PICTURE_SUFFIXES
    )


# --- Reads, scoped to the acting user -------------------------------------------------------


def items_visible(*, user: User, roles: frozenset[str] = BANK_READ_ROLES) -> QuerySet[Item]:
    """The questions of the organisations where the user holds one of ``roles``."""
    ids = organisation_ids_for(user, roles)
    items = Item.objects.select_related("competence__area", "organisation")
    return items if ids is None else items.filter(organisation_id__in=ids)


def item_get(*, user: User, item_id: int, roles: frozenset[str] = BANK_READ_ROLES) -> Item:
    item = items_visible(user=user, roles=roles).filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


@dataclass(frozen=True)
class Usage:
    asked: int
    right: int

    @property
    def share_right(self) -> int | None:
        """Per cent of the answers that were right (None when never asked)."""
        return round(100 * self.right / self.asked) if self.asked else None


def item_usage(*, item: Item) -> Usage:
    """How often the question was asked in a placement test, and how often answered right."""
    counts = Answer.objects.filter(item=item).aggregate(
        asked=Count("pk"), right=Count("pk", filter=Q(right=True))
    )
    return Usage(asked=counts["asked"] or 0, right=counts["right"] or 0)


# --- A question as an entry of a file -------------------------------------------------------


def item_entry(item: Item) -> dict[str, Any]:
    """The question as an entry of an items file (``competence`` loaded): what the export
    writes and the import reads back."""
    return {
        "code": item.code,
        "competence": item.competence.code,
        "level": item.level,
        "kind": item.kind,
        "status": item.status,
        "stem": dict(item.stem or {}),
        "choices": copy.deepcopy(list(item.choices or [])),
        "answer": item.answer,
        "image": item.image,
        "image_alt": dict(item.image_alt or {}),
        "audio": dict(item.audio or {}),
        "accessibility": dict(item.accessibility or {}),
        "a": item.a,
        "b": item.b,
    }


def _number(value: Any) -> Any:
    """A number as an int when it is whole (so that 12 and "12" and 12.0 compare equal);
    anything else is returned as it is, for the checks to name it."""
    if isinstance(value, bool):
        return value
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        return value
    if not math.isfinite(number):
        return value
    return int(number) if number.is_integer() else number


def _texts_normalised(value: Any) -> Any:
    if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
        return value
    return {str(k): v.strip() for k, v in value.items() if v.strip()}


def _choice_normalised(choice: Any, kind: str) -> Any:
    if not isinstance(choice, Mapping):
        return choice
    normalised: dict[str, Any] = {}
    for key, value in choice.items():
        if key in ZONE_KEYS:
            if kind == ItemKind.HOTSPOT and value not in (None, ""):
                normalised[key] = _number(value)
        elif isinstance(value, str):
            if value.strip():
                normalised[key] = value.strip()
        elif value is not None:
            normalised[key] = value
    return normalised


def _parameter(value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        return value
    return number if math.isfinite(number) else value


def entry_normalised(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The same entry written one way: texts trimmed and empty ones left out, whole numbers
    as ints, places on the picture only for a task on a picture, a and b as floats."""
    out = dict(entry)
    out["code"] = str(entry.get("code") or "").strip()
    out["competence"] = str(entry.get("competence") or "").strip()
    kind = str(entry.get("kind") or ItemKind.CHOICE).strip()
    out["kind"] = kind
    if "status" in entry:
        out["status"] = str(entry.get("status") or "").strip()
    out["level"] = _number(entry.get("level"))
    out["answer"] = _number(entry.get("answer"))
    out["image"] = str(entry.get("image") or "").strip()
    for name in TEXT_FIELDS:
        out[name] = _texts_normalised(entry.get(name) or {})
    choices = entry.get("choices")
    if isinstance(choices, list):
        out["choices"] = [_choice_normalised(c, kind) for c in choices]
    out["a"] = _parameter(entry.get("a"))
    out["b"] = _parameter(entry.get("b"))
    return out


def _where(code: str) -> str:
    return _("Item %(code)s") % {"code": code}


def missing_parts(entry: Mapping[str, Any], language: str) -> list[str]:
    """The parts of a question not written in ``language`` (plain words, for the author).
    The picture description counts when there is a picture; the accessibility note and the
    recording when another language has one."""
    missing: list[str] = []
    stem = entry.get("stem") or {}
    if not (isinstance(stem, Mapping) and str(stem.get(language) or "").strip()):
        missing.append(_("question"))
    for number, choice in enumerate(entry.get("choices") or [], start=1):
        if not (isinstance(choice, Mapping) and str(choice.get(language) or "").strip()):
            missing.append(_("choice %(n)s") % {"n": number})
    for name, label, needed in (
        ("image_alt", _("picture description"), bool(entry.get("image"))),
        ("accessibility", _("accessibility note"), False),
        ("audio", _("recording"), False),
    ):
        texts = entry.get(name) or {}
        if not isinstance(texts, Mapping):
            continue
        wanted = needed or any(str(v).strip() for v in texts.values())
        if wanted and not str(texts.get(language) or "").strip():
            missing.append(str(label))
    return missing


def _live_language_problems(entry: Mapping[str, Any]) -> list[str]:
    where = _where(str(entry.get("code") or ""))
    problems: list[str] = []
    for language in ("fr", "en"):
        parts = missing_parts(
            {"stem": entry.get("stem"), "choices": entry.get("choices")}, language
        )
        if parts:
            problems.append(
                _("%(where)s: to go live, write in %(language)s: %(parts)s.")
                % {"where": where, "language": LANGUAGE_NAMES[language], "parts": ", ".join(parts)}
            )
    return problems


def live_problems(entry: Mapping[str, Any]) -> list[str]:
    """What keeps a question from going live: the question and every choice in French and
    English, and a right answer among 2 to 6 choices."""
    where = _where(str(entry.get("code") or ""))
    problems = _live_language_problems(entry)
    choices = entry.get("choices") or []
    answer = entry.get("answer")
    if not isinstance(answer, int) or isinstance(answer, bool) or not 0 <= answer < len(choices):
        problems.append(_("%(where)s: to go live, mark the right answer.") % {"where": where})
    if len(choices) < 2:
        problems.append(_("%(where)s: to go live, give 2 to 6 choices.") % {"where": where})
    return problems


def status_change_allowed(*, user: User, organisation_id: int, current: str, target: str) -> bool:
    """Authors move questions between draft and pilot; putting a question live, retiring it,
    or taking it back from live or retired is a site manager's decision."""
    if {current, target} & PUBLISHED and current != target:
        return may_in(user, organisation_id, MANAGE_ROLES)
    return may_in(user, organisation_id, AUTHOR_ROLES)


def _entry_problems(
    entry: Mapping[str, Any],
    *,
    actor: User,
    organisation_id: int,
    before: Mapping[str, Any] | None,
    known_pictures: Collection[str] | None = None,
) -> list[str]:
    """The authoring pages' rules, on top of bank.items_check, for one normalised entry
    (``before``: the question as it is now, None for a new one)."""
    code = str(entry.get("code") or "")
    where = _where(code)
    problems: list[str] = []
    if len(code) > CODE_MAX_LENGTH:
        problems.append(
            _("%(where)s: the code is longer than %(n)s characters.")
            % {"where": where, "n": CODE_MAX_LENGTH}
        )
    for name in TEXT_FIELDS:
        texts = entry.get(name)
        if isinstance(texts, Mapping):
            unknown = sorted(str(k) for k in texts if k not in LANGUAGES)
            if unknown:
                problems.append(
                    _("%(where)s: “%(keys)s” is not one of the languages fr, en, ar.")
                    % {"where": where, "keys": ", ".join(unknown)}
                )
        elif texts:
            problems.append(_("%(where)s: texts by language are expected.") % {"where": where})
    for number, choice in enumerate(entry.get("choices") or [], start=1):
        if not isinstance(choice, Mapping):
            continue
        unknown = sorted(str(k) for k in choice if k not in LANGUAGES and k not in ZONE_KEYS)
        if unknown:
            problems.append(
                _(
                    "%(where)s, choice %(n)s: “%(keys)s” is not a language (fr, en, ar) "
                    "or x, y, w, h."
                )
                % {"where": where, "n": number, "keys": ", ".join(unknown)}
            )
        if entry.get("kind") == ItemKind.HOTSPOT and all(k in choice for k in ZONE_KEYS):
            box = [choice[k] for k in ZONE_KEYS]
            if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in box) or (
                box[2] <= 0 or box[3] <= 0
            ):
                problems.append(
                    _("%(where)s, choice %(n)s: the place needs numbers, a width and a height.")
                    % {"where": where, "n": number}
                )
    image = str(entry.get("image") or "")
    if image and image not in (pictures() if known_pictures is None else known_pictures):
        problems.append(
            _("%(where)s: the picture “%(image)s” is not among the pictures of the bank.")
            % {"where": where, "image": image}
        )
    audio = entry.get("audio")
    if isinstance(audio, Mapping):
        for language, link in audio.items():
            if not isinstance(link, str) or not link.startswith("/") or link.startswith("//"):
                problems.append(
                    _(
                        "%(where)s: the recording in “%(language)s” must be a link on this site "
                        "(starting with /)."
                    )
                    % {"where": where, "language": language}
                )
    for key in ("a", "b"):
        value = entry.get(key)
        if value is not None and not isinstance(value, float):
            problems.append(
                _("%(where)s: %(key)s must be a number.") % {"where": where, "key": key}
            )
    status = str(entry.get("status") or "")
    current = str(before["status"]) if before else ItemStatus.DRAFT.value
    if status in ItemStatus.values and not status_change_allowed(
        user=actor, organisation_id=organisation_id, current=current, target=status
    ):
        problems.append(
            _("%(where)s: only a site manager may change the status from “%(from)s” to “%(to)s”.")
            % {"where": where, "from": current, "to": status}
        )
    old_parameters = (before.get("a"), before.get("b")) if before else (None, None)
    if (entry.get("a"), entry.get("b")) != old_parameters and not may_in(
        actor, organisation_id, MANAGE_ROLES
    ):
        problems.append(
            _("%(where)s: only a site manager may change the calibration (a and b).")
            % {"where": where}
        )
    if status == ItemStatus.LIVE:  # (the answer and the choices: bank.items_check)
        problems.extend(_live_language_problems(entry))
    return problems


def _comparable(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {key: entry.get(key) for key in sorted(ENTRY_KEYS)}


# --- Writes ---------------------------------------------------------------------------------


def _code_taken(organisation_id: int, code: str, *, other_than: int | None = None) -> bool:
    taken = Item.objects.filter(organisation_id=organisation_id, code=code)
    if other_than is not None:
        taken = taken.exclude(pk=other_than)
    return taken.exists()


def _check(
    entry: dict[str, Any], *, actor: User, organisation_id: int, before: Mapping[str, Any] | None
) -> None:
    problems = [p for found in bank.items_check(entries=[entry]) for p in found]
    problems += _entry_problems(entry, actor=actor, organisation_id=organisation_id, before=before)
    if problems:
        raise ValidationError(problems)


def item_create(*, actor: User, organisation: Organisation, entry: Mapping[str, Any]) -> Item:
    """A new question, as a draft (its status and calibration are not taken from ``entry``)."""
    if not may_in(actor, organisation.pk, AUTHOR_ROLES):
        raise PermissionDenied
    new = entry_normalised({**entry, "status": ItemStatus.DRAFT, "a": None, "b": None})
    with transaction.atomic():
        if _code_taken(organisation.pk, new["code"]):
            raise ValidationError({"code": _("Another question of the bank has this code.")})
        _check(new, actor=actor, organisation_id=organisation.pk, before=None)
        imported = bank.items_import(organisation=organisation, entries=[new])
        if imported.created != 1:  # written by someone else meanwhile: undone
            raise ValidationError({"code": _("Another question of the bank has this code.")})
        item = Item.objects.select_related("competence__area").get(
            organisation=organisation, code=new["code"]
        )
        audit_record(actor=actor, action="placement.item_created", subject=item)
    return item


def item_update(*, actor: User, item: Item, entry: Mapping[str, Any]) -> Item:
    """Change a question's content (its status and calibration stay as they are; a live
    question must still have what a live question needs)."""
    if not may_in(actor, item.organisation_id, AUTHOR_ROLES):
        raise PermissionDenied
    with transaction.atomic():
        locked = (
            Item.objects.select_for_update()
            .select_related("competence", "organisation")
            .get(pk=item.pk)
        )
        before = item_entry(locked)
        new = entry_normalised(
            {**before, **entry, "status": locked.status, "a": locked.a, "b": locked.b}
        )
        if new["code"] != locked.code and _code_taken(
            locked.organisation_id, new["code"], other_than=locked.pk
        ):
            raise ValidationError({"code": _("Another question of the bank has this code.")})
        _check(new, actor=actor, organisation_id=locked.organisation_id, before=before)
        if new["code"] != locked.code:
            locked.code = new["code"]
            locked.save(update_fields=["code", "updated_at"])
        bank.items_import(organisation=locked.organisation, entries=[new])
        updated = Item.objects.select_related("competence__area", "organisation").get(pk=locked.pk)
        after = item_entry(updated)
        changes = {
            key: {"from": before[key], "to": after[key]}
            for key in sorted(ENTRY_KEYS)
            if before[key] != after[key]
        }
        if changes:
            audit_record(
                actor=actor, action="placement.item_changed", subject=updated, changes=changes
            )
    return updated


def item_status_set(*, actor: User, item: Item, status: str) -> Item:
    """Move a question to draft, pilot, live or retired (see ``status_change_allowed``);
    it goes live only with what a live question needs."""
    if status not in ItemStatus.values:
        raise ValidationError({"status": _("Choose one of the statuses offered.")})
    with transaction.atomic():
        locked = Item.objects.select_for_update().select_related("competence").get(pk=item.pk)
        if not status_change_allowed(
            user=actor, organisation_id=locked.organisation_id, current=locked.status, target=status
        ):
            raise PermissionDenied(
                _("Only a site manager may put a question live, retire it or take it back.")
            )
        if status == locked.status:
            return locked
        if status == ItemStatus.LIVE:
            problems = live_problems(entry_normalised(item_entry(locked)))
            if problems:
                raise ValidationError(problems)
        previous = locked.status
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="placement.item_status_changed",
            subject=locked,
            changes={"status": {"from": previous, "to": status}},
        )
    return locked


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


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula: a leading single quote
    before = + - @ (the import takes it away again)."""
    return f"'{text}" if text.lstrip("'").startswith(FORMULA_PREFIXES) else text


def _spreadsheet_read(text: str) -> str:
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def _read_csv(content: bytes) -> list[_Raw]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ItemFileError(
            [_("The file is not in UTF-8: save it again as “CSV UTF-8”.")]
        ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        raise ItemFileError([_("The file is empty.")])
    header = [cell.strip().lower() for cell in rows[0]]
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
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
            raise ItemFileError([_("Row %(n)s: more cells than columns.") % {"n": number}])
        cells = {
            column: _spreadsheet_read(row[index] if index < len(row) else "")
            for index, column in enumerate(header)
            if column
        }
        raws.append(_Raw(number=number, csv=cells, json=None))
    return raws


def _read_json(content: bytes) -> list[_Raw]:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ItemFileError([_("The file is not valid JSON.")]) from error
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
        not name.endswith(".csv") and content.lstrip(b"\xef\xbb\xbf \r\n\t")[:1] in (b"{", b"[")
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
        number = _number(cells["answer"])
        entry["answer"] = number - 1 if isinstance(number, int) else -1
    for name in TEXT_FIELDS:
        texts = dict(entry.get(name) or {}) if isinstance(entry.get(name), Mapping) else {}
        present = False
        for language in LANGUAGES:
            column = f"{name}_{language}"
            if column in cells:
                present = True
                if cells[column].strip():
                    texts[language] = cells[column]
                else:
                    texts.pop(language, None)
        if present:
            entry[name] = texts
    numbers = sorted({int(m.group(1)) for c in cells if (m := _CHOICE_COLUMN.match(c))})
    if numbers:
        choices = [dict(c) if isinstance(c, Mapping) else {} for c in entry.get("choices") or []]
        for number in range(1, numbers[-1] + 1):
            while len(choices) < number:
                choices.append({})
            for key in (*LANGUAGES, *ZONE_KEYS):
                column = f"choice{number}_{key}"
                if column not in cells:
                    continue
                if cells[column].strip():
                    choices[number - 1][key] = (
                        _number(cells[column]) if key in ZONE_KEYS else cells[column]
                    )
                else:
                    choices[number - 1].pop(key, None)
        while choices and not choices[-1]:
            choices.pop()
        entry["choices"] = choices
    for key in ("a", "b"):
        if key in cells:
            entry[key] = cells[key].strip() or None
    return entry


# --- Files: import --------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRow:
    number: int  # row of the spreadsheet (header = 1) or entry of the JSON file (first = 1)
    code: str
    action: str  # "create", "update", "unchanged", or "" when the row is wrong
    problems: list[str]


@dataclass
class ImportPlan:
    """What a file would do (or did, when ``written``): each row, and problems of the file."""

    file_name: str
    rows: list[ImportRow] = field(default_factory=list)
    file_problems: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def has_problems(self) -> bool:
        return bool(self.file_problems) or any(row.problems for row in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action and not row.problems)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def rows_with_problems(self) -> list[ImportRow]:
        return [row for row in self.rows if row.problems]


@dataclass(frozen=True)
class _Planned:
    row: ImportRow
    entry: dict[str, Any]
    calibration_changed: bool


def _plan(
    raws: Sequence[_Raw], *, actor: User, organisation: Organisation, lock: bool
) -> list[_Planned]:
    codes = [raw.code for raw in raws if raw.code]
    existing_items = Item.objects.filter(organisation=organisation, code__in=codes).select_related(
        "competence"
    )
    if lock:
        existing_items = existing_items.select_for_update()
    existing = {item.code: item_entry(item) for item in existing_items}
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
                    % {"where": _where(raw.code), "keys": ", ".join(unknown)}
                )
            entry = {**copy.deepcopy(base), **given}
        entry = entry_normalised(entry)
        if not entry["code"]:
            problems.append(_("The code is missing."))
        else:
            problems += _entry_problems(
                entry,
                actor=actor,
                organisation_id=organisation.pk,
                before=before,
                known_pictures=known_pictures,
            )
        planned.append((raw, entry, before, problems))
    # The bank's own checks, on the entries that have a code (in the file's order).
    with_code = [p for p in planned if p[1]["code"]]
    for (_raw, _entry, _before, problems), found in zip(
        with_code, bank.items_check(entries=[p[1] for p in with_code]), strict=True
    ):
        problems.extend(p for p in found if p not in problems)
    result: list[_Planned] = []
    for raw, entry, before, problems in planned:
        if problems:
            action = ""
        elif before is None:
            action = "create"
        elif _comparable(entry_normalised(before)) == _comparable(entry):
            action = "unchanged"
        else:
            action = "update"
        old = (before.get("a"), before.get("b")) if before else (None, None)
        result.append(
            _Planned(
                row=ImportRow(raw.number, entry["code"], action, problems),
                entry=entry,
                calibration_changed=(entry.get("a"), entry.get("b")) != old,
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
            bank.items_import(organisation=organisation, entries=[p.entry for p in changed])
        recalibrated = [p.entry["code"] for p in changed if p.calibration_changed]
        if recalibrated:
            # a and b from a file: the estimation's errors, fit and flags no longer apply.
            Item.objects.filter(organisation=organisation, code__in=recalibrated).update(
                se_a=None, se_b=None, fit_p=None, flags=[], calibrated_at=None
            )
        audit_record(
            actor=actor,
            action="placement.items_imported",
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
    return spreadsheet_safe(str(value))


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
        for key in (*LANGUAGES, *ZONE_KEYS):
            values[f"choice{number}_{key}"] = choice.get(key)
    return [_cell(values.get(column)) for column in CSV_COLUMNS]


def _audit_export(actor: User, items: Sequence[Item], file_format: str) -> None:
    counts: dict[int, int] = {}
    for item in items:
        counts[item.organisation_id] = counts.get(item.organisation_id, 0) + 1
    for organisation in Organisation.objects.filter(pk__in=list(counts)):
        audit_record(
            actor=actor,
            action="placement.items_exported",
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
