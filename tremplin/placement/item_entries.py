"""A question as an entry of an items file: what the authoring form, the import, the export and
the list of questions share. The entry written one way (texts trimmed, whole numbers as ints),
what it lacks in a language, and what keeps it from going live; the pictures shipped with the
bank. No query of its own: the checks that need the database (who may publish, codes taken)
are in services/items.py."""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.placement import bank
from tremplin.placement.models import Item, ItemKind

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
PICTURES_DIR = Path(__file__).resolve().parent / "static" / "placement" / "items"
PICTURE_SUFFIXES = frozenset({".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif"})


def text_direction(language: str) -> str:
    return "rtl" if language == "ar" else "ltr"


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


def number_normalised(value: Any) -> Any:
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
                normalised[key] = number_normalised(value)
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
    out["level"] = number_normalised(entry.get("level"))
    out["answer"] = number_normalised(entry.get("answer"))
    out["image"] = str(entry.get("image") or "").strip()
    for name in TEXT_FIELDS:
        out[name] = _texts_normalised(entry.get(name) or {})
    choices = entry.get("choices")
    if isinstance(choices, list):
        out["choices"] = [_choice_normalised(c, kind) for c in choices]
    out["a"] = _parameter(entry.get("a"))
    out["b"] = _parameter(entry.get("b"))
    return out


def item_where(code: str) -> str:
    return _("Item %(code)s") % {"code": code}


def missing_parts(entry: Mapping[str, Any], language: str) -> list[str]:
    """The parts of a question not written in ``language`` (plain words, for the author).
    The picture description counts when there is a picture (shipped, or uploaded: ``picture``);
    the accessibility note and the recording when another language has one (a link, or an
    uploaded recording: ``recordings``, the languages that have one)."""
    missing: list[str] = []
    stem = entry.get("stem") or {}
    if not (isinstance(stem, Mapping) and str(stem.get(language) or "").strip()):
        missing.append(_("question"))
    for number, choice in enumerate(entry.get("choices") or [], start=1):
        if not (isinstance(choice, Mapping) and str(choice.get(language) or "").strip()):
            missing.append(_("choice %(n)s") % {"n": number})
    recorded = {str(code) for code in entry.get("recordings") or ()}
    for name, label, needed in (
        ("image_alt", _("picture description"), bool(entry.get("image") or entry.get("picture"))),
        ("accessibility", _("accessibility note"), False),
        ("audio", _("recording"), False),
    ):
        texts = entry.get(name) or {}
        if not isinstance(texts, Mapping):
            continue
        given = {str(k) for k, v in texts.items() if str(v).strip()}
        if name == "audio":
            given |= recorded
        if (needed or given) and language not in given:
            missing.append(str(label))
    return missing


def live_language_problems(entry: Mapping[str, Any]) -> list[str]:
    where = item_where(str(entry.get("code") or ""))
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
    where = item_where(str(entry.get("code") or ""))
    problems = live_language_problems(entry)
    choices = entry.get("choices") or []
    answer = entry.get("answer")
    if not isinstance(answer, int) or isinstance(answer, bool) or not 0 <= answer < len(choices):
        problems.append(_("%(where)s: to go live, mark the right answer.") % {"where": where})
    if len(choices) < 2:
        problems.append(_("%(where)s: to go live, give 2 to 6 choices.") % {"where": where})
    return problems


def comparable(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {key: entry.get(key) for key in sorted(ENTRY_KEYS)}


def for_bank(entry: Mapping[str, Any], *, has_picture: bool) -> dict[str, Any]:
    """The entry as the bank's checks and import see it: a task on a picture may have only an
    uploaded picture."""
    return {**entry, "has_uploaded_picture": has_picture}
