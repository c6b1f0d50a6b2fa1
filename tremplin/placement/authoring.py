"""Writing the item bank: a question created or changed on the authoring pages, its status
moved along draft → pilot → live → retired, a file of questions (CSV or JSON) checked and then
imported (all or nothing, each problem naming its row), and the bank exported in both formats
so that the file imports back unchanged.

Writes are atomic and audited; the checks of ``bank.items_import`` are reused, with those of
the authoring pages on top (who may publish, what a live question needs, known pictures).
Reads are scoped to the acting user: a question of another organisation is not found (404).
The file formats are described for users in docs/item-bank.md.

A question may also have the organisation's own picture and recordings (one per language),
uploaded on the authoring page: checked by their content (never by their name), stored under
MEDIA_ROOT with a random name, and served by ``placement:item-file``. They do not travel in
the CSV and JSON files: the export leaves them out and an import never removes them."""

from __future__ import annotations

import copy
import csv
import io
import json
import math
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

from tremplin.core.audit import audit_record
from tremplin.core.models import User
from tremplin.network.models import Organisation
from tremplin.placement import bank
from tremplin.placement.models import Item, ItemKind, ItemRecording, ItemStatus
from tremplin.placement.plans import RowCounts
from tremplin.placement.selectors import (
    AUTHOR_ROLES,
    BANK_READ_ROLES,
    MANAGE_ROLES,
    may_in,
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


# --- The organisation's own picture and recordings -----------------------------------------

PICTURE_MAX_BYTES = 2 * 1024 * 1024
PICTURE_MAX_SIDE = 4000  # pixels, for the width and for the height
RECORDING_MAX_BYTES = 5 * 1024 * 1024
PICTURE_PART = "picture"  # in placement:item-file, next to the languages of the recordings
# Pillow's name of each picture format accepted → the extension the file is stored with.
PICTURE_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
# The extension a file was stored with (chosen from its content) → the type it is served as.
CONTENT_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "webp": "image/webp",
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "m4a": "audio/mp4",
    "aac": "audio/aac",
    "wav": "audio/wav",
}


@dataclass(frozen=True)
class CheckedFile:
    """An uploaded file whose content was checked, with the extension it is stored with."""

    content: bytes
    extension: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.extension]


def recording_field(language: str) -> str:
    """The name of the form field (and of the audited change) of a recording."""
    return f"recording_{language}"


def _read_at_most(upload: File[bytes], limit: int) -> bytes | None:
    """The upload's bytes; None when it is bigger than ``limit``."""
    size = getattr(upload, "size", None)
    if isinstance(size, int) and size > limit:
        return None
    upload.seek(0)
    content = upload.read(limit + 1)
    upload.seek(0)
    return content if len(content) <= limit else None


def _picture_format(content: bytes) -> tuple[str, int, int] | None:
    """Pillow's format and the size of a PNG, JPEG or WebP picture that decodes entirely;
    None for anything else (SVG, text, a damaged or truncated file)."""
    formats = list(PICTURE_FORMATS)
    try:
        with Image.open(io.BytesIO(content), formats=formats) as image:
            found, (width, height) = str(image.format), image.size
            if width > PICTURE_MAX_SIDE or height > PICTURE_MAX_SIDE:
                return found, width, height  # not decoded: too big to be shown anyway
            image.verify()
        with Image.open(io.BytesIO(content), formats=formats) as image:
            image.load()  # verify() does not see a truncated JPEG
    except Image.DecompressionBombError:
        return "", PICTURE_MAX_SIDE + 1, PICTURE_MAX_SIDE + 1
    except Exception:  # Pillow raises many kinds of errors for a file it cannot read
        return None
    return found, width, height


def picture_checked(upload: File[bytes]) -> CheckedFile:
    """A PNG, JPEG or WebP picture of at most 2 MB and 4000 × 4000 pixels, checked by its
    content with Pillow. Anything else is refused, an SVG too (it could run a script)."""
    content = _read_at_most(upload, PICTURE_MAX_BYTES)
    if content is None:
        raise ValidationError(
            _("The picture is bigger than 2 MB: make it smaller and choose it again."),
            code="too_big",
        )
    found = _picture_format(content)
    if found is None or (found[0] and found[0] not in PICTURE_FORMATS):
        raise ValidationError(
            _(
                "The picture must be a PNG, JPEG or WebP image; this file is not one "
                "(an SVG or a renamed file is refused)."
            ),
            code="format",
        )
    image_format, width, height = found
    if width > PICTURE_MAX_SIDE or height > PICTURE_MAX_SIDE:
        raise ValidationError(
            _("The picture is bigger than %(n)s × %(n)s pixels: make it smaller.")
            % {"n": PICTURE_MAX_SIDE},
            code="too_big",
        )
    return CheckedFile(content=content, extension=PICTURE_FORMATS[image_format])


def _sound_extension(head: bytes) -> str | None:
    """The kind of sound file, from its first bytes (its "magic bytes")."""
    if head.startswith(b"ID3"):
        return "mp3"  # MP3 with its tags first
    if head.startswith(b"OggS"):
        return "ogg"  # Ogg: Opus or Vorbis
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[4:8] == b"ftyp":
        return "m4a"  # MPEG-4 audio (AAC in an M4A file)
    if len(head) >= 2 and head[0] == 0xFF:
        if head[1] & 0xF6 == 0xF0:
            return "aac"  # AAC in ADTS frames: sync word, layer 0
        if head[1] & 0xE0 == 0xE0 and head[1] & 0x06:
            return "mp3"  # an MPEG audio frame: sync word, layer 1 to 3
    return None


def recording_checked(upload: File[bytes], *, language: str) -> CheckedFile:
    """An MP3, OGG (Opus or Vorbis), M4A/AAC or WAV file of at most 5 MB, recognised by its
    first bytes."""
    name = LANGUAGE_NAMES.get(language, language)
    content = _read_at_most(upload, RECORDING_MAX_BYTES)
    if content is None:
        raise ValidationError(
            _("The recording in %(language)s is bigger than 5 MB: make it shorter or smaller.")
            % {"language": name},
            code="too_big",
        )
    extension = _sound_extension(content[:16]) if len(content) >= 16 else None
    if extension is None:
        raise ValidationError(
            _(
                "The recording in %(language)s must be an MP3, OGG, M4A, AAC or WAV sound file; "
                "this file is not one."
            )
            % {"language": name},
            code="format",
        )
    return CheckedFile(content=content, extension=extension)


@dataclass(frozen=True)
class FileChanges:
    """Files to put on a question (replacing the one it has) and files to take off it.
    ``recordings`` and ``recordings_remove`` are by language (fr, en, ar)."""

    picture: File[bytes] | None = None
    picture_remove: bool = False
    recordings: Mapping[str, File[bytes]] = field(default_factory=dict)
    recordings_remove: Collection[str] = ()


@dataclass(frozen=True)
class _CheckedChanges:
    picture: CheckedFile | None
    picture_remove: bool
    recordings: dict[str, CheckedFile]
    recordings_remove: frozenset[str]


def _files_checked(changes: FileChanges) -> tuple[_CheckedChanges, dict[str, list[str]]]:
    """The files checked, and the problems by form field (``picture``, ``recording_ar``…)."""
    errors: dict[str, list[str]] = {}
    picture: CheckedFile | None = None
    if changes.picture is not None:
        try:
            picture = picture_checked(changes.picture)
        except ValidationError as error:
            errors["picture"] = error.messages
    recordings: dict[str, CheckedFile] = {}
    for language, upload in changes.recordings.items():
        if language not in LANGUAGES:
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                _("“%(keys)s” is not one of the languages fr, en, ar.") % {"keys": language}
            )
            continue
        try:
            recordings[language] = recording_checked(upload, language=language)
        except ValidationError as error:
            errors[recording_field(language)] = error.messages
    checked = _CheckedChanges(
        picture=picture,
        picture_remove=changes.picture_remove,
        recordings=recordings,
        recordings_remove=frozenset(changes.recordings_remove) & frozenset(LANGUAGES),
    )
    return checked, errors


def _files_delete(names: Iterable[str]) -> None:
    for name in names:
        default_storage.delete(name)


@contextmanager
def _files_written() -> Iterator[list[str]]:
    """Collects the names of files written in the block, and deletes them when the block
    fails (its transaction is rolled back: nothing points at them)."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        _files_delete(written)
        raise


def _files_apply(
    item: Item, checked: _CheckedChanges, *, written: list[str]
) -> dict[str, dict[str, Any]]:
    """Put the checked files on the question (in the caller's transaction); the files they
    replace or take off are deleted once the transaction is committed. Returns the changes,
    for the audit trail."""
    changes: dict[str, dict[str, Any]] = {}
    dropped: list[str] = []
    old_picture = item.picture.name or None
    if checked.picture is not None:
        item.picture.save(
            f"picture.{checked.picture.extension}", ContentFile(checked.picture.content), save=False
        )
        written.append(item.picture.name)
    elif checked.picture_remove and old_picture:
        item.picture = ""
    if (item.picture.name or None) != old_picture:
        item.save(update_fields=["picture", "updated_at"])
        changes["picture"] = {"from": old_picture, "to": item.picture.name or None}
        if old_picture:
            dropped.append(old_picture)
    current = {r.language: r for r in ItemRecording.objects.filter(item=item)}
    for language in LANGUAGES:
        recording = current.get(language)
        old = recording.file.name if recording is not None else None
        new = checked.recordings.get(language)
        if new is not None:
            if recording is None:
                recording = ItemRecording(item=item, language=language)
            recording.file.save(f"recording.{new.extension}", ContentFile(new.content), save=False)
            written.append(recording.file.name)
            recording.save()
            to: str | None = recording.file.name
        elif language in checked.recordings_remove and recording is not None:
            recording.delete()
            to = None
        else:
            continue
        changes[recording_field(language)] = {"from": old, "to": to}
        if old:
            dropped.append(old)
    if dropped:
        transaction.on_commit(lambda: _files_delete(dropped))
    return changes


def _will_have_picture(item: Item | None, checked: _CheckedChanges) -> bool:
    if checked.picture is not None:
        return True
    return item is not None and bool(item.picture) and not checked.picture_remove


def _for_bank(entry: Mapping[str, Any], *, has_picture: bool) -> dict[str, Any]:
    """The entry as the bank's checks and import see it: a task on a picture may have only an
    uploaded picture."""
    return {**entry, "has_uploaded_picture": has_picture}


def item_file_url(item: Item, part: str, name: str) -> str:
    """The address of one of the question's files; it changes when the file changes (the
    random name of the file is in it), so that it can be kept in a browser's cache."""
    address = reverse("placement:item-file", kwargs={"item_id": item.pk, "part": part})
    return f"{address}?v={PurePosixPath(name).stem}"


def picture_url(item: Item) -> str:
    """Where the question's picture is shown from: its own (uploaded) picture when it has
    one, else the shipped picture; "" when it has none."""
    if item.pk and item.picture:
        return item_file_url(item, PICTURE_PART, item.picture.name)
    return static(item.image) if item.image else ""


def recording_urls(item: Item) -> dict[str, str]:
    """The addresses of the question's uploaded recordings, by language (uses a prefetched
    ``recordings`` when there is one)."""
    if not item.pk:
        return {}
    return {r.language: item_file_url(item, r.language, r.file.name) for r in item.recordings.all()}


def recording_url(item: Item, language: str) -> str:
    """What "Read aloud" plays in ``language``: the uploaded recording, else the link of
    ``Item.audio``; "" when there is neither (the browser reads the text)."""
    recording = ItemRecording.objects.filter(item=item, language=language).first()
    if recording is not None:
        return item_file_url(item, language, recording.file.name)
    return str((item.audio or {}).get(language) or "")


def item_file(*, user: User | None, item_id: int, part: str) -> tuple[str, str, bool]:
    """The stored name and content type of a question's picture (``part`` "picture") or
    recording (``part`` a language), and whether the question is live. Anyone may have the
    files of a live question (test-takers are anonymous on their private link); otherwise
    those who may read the organisation's bank only. Not found (404) for everyone else, and
    when there is no such file."""
    item = Item.objects.filter(pk=item_id).only("pk", "organisation", "status", "picture")
    found = item.first()
    if found is None:
        raise Http404
    live = found.status == ItemStatus.LIVE
    if not live and not (user is not None and may_in(user, found.organisation_id, BANK_READ_ROLES)):
        raise Http404
    if part == PICTURE_PART:
        name = found.picture.name or ""
    elif part in LANGUAGES:
        recording = ItemRecording.objects.filter(item_id=found.pk, language=part).first()
        name = recording.file.name if recording is not None else ""
    else:
        name = ""
    content_type = CONTENT_TYPES.get(PurePosixPath(name).suffix.lstrip("."), "")
    if not name or not content_type:
        raise Http404
    return name, content_type, live


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
    entry: dict[str, Any],
    *,
    actor: User,
    organisation_id: int,
    before: Mapping[str, Any] | None,
    has_picture: bool = False,
    file_errors: Mapping[str, list[str]] | None = None,
) -> None:
    """Raise every problem at once: those of the question (a list), and those of its files
    by form field (then a dict, the question's problems under NON_FIELD_ERRORS)."""
    checked = _for_bank(entry, has_picture=has_picture)
    problems = [p for found in bank.items_check(entries=[checked]) for p in found]
    problems += _entry_problems(entry, actor=actor, organisation_id=organisation_id, before=before)
    if file_errors:
        raise ValidationError(
            {**({NON_FIELD_ERRORS: problems} if problems else {}), **dict(file_errors)}
        )
    if problems:
        raise ValidationError(problems)


def item_create(
    *,
    actor: User,
    organisation: Organisation,
    entry: Mapping[str, Any],
    files: FileChanges | None = None,
) -> Item:
    """A new question, as a draft (its status and calibration are not taken from ``entry``),
    with its own picture and recordings when ``files`` has them."""
    if not may_in(actor, organisation.pk, AUTHOR_ROLES):
        raise PermissionDenied
    new = entry_normalised({**entry, "status": ItemStatus.DRAFT, "a": None, "b": None})
    checked, file_errors = _files_checked(files or FileChanges())
    has_picture = _will_have_picture(None, checked)
    with _files_written() as written, transaction.atomic():
        if _code_taken(organisation.pk, new["code"]):
            raise ValidationError({"code": _("Another question of the bank has this code.")})
        _check(
            new,
            actor=actor,
            organisation_id=organisation.pk,
            before=None,
            has_picture=has_picture,
            file_errors=file_errors,
        )
        imported = bank.items_import(
            organisation=organisation, entries=[_for_bank(new, has_picture=has_picture)]
        )
        if imported.created != 1:  # written by someone else meanwhile: undone
            raise ValidationError({"code": _("Another question of the bank has this code.")})
        item = Item.objects.select_related("competence__area").get(
            organisation=organisation, code=new["code"]
        )
        changes = _files_apply(item, checked, written=written)
        audit_record(
            actor=actor, action="placement.item_created", subject=item, changes=changes or None
        )
    return item


def item_update(
    *, actor: User, item: Item, entry: Mapping[str, Any], files: FileChanges | None = None
) -> Item:
    """Change a question's content (its status and calibration stay as they are; a live
    question must still have what a live question needs), and its own picture and
    recordings as ``files`` says (a file replaced or removed is deleted once saved)."""
    if not may_in(actor, item.organisation_id, AUTHOR_ROLES):
        raise PermissionDenied
    checked, file_errors = _files_checked(files or FileChanges())
    with _files_written() as written, transaction.atomic():
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
        has_picture = _will_have_picture(locked, checked)
        _check(
            new,
            actor=actor,
            organisation_id=locked.organisation_id,
            before=before,
            has_picture=has_picture,
            file_errors=file_errors,
        )
        if new["code"] != locked.code:
            locked.code = new["code"]
            locked.save(update_fields=["code", "updated_at"])
        bank.items_import(
            organisation=locked.organisation, entries=[_for_bank(new, has_picture=has_picture)]
        )
        updated = Item.objects.select_related("competence__area", "organisation").get(pk=locked.pk)
        after = item_entry(updated)
        changes = {
            key: {"from": before[key], "to": after[key]}
            for key in sorted(ENTRY_KEYS)
            if before[key] != after[key]
        }
        changes.update(_files_apply(updated, checked, written=written))
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
    bank_entries = [_for_bank(p[1], has_picture=p[1]["code"] in with_picture) for p in with_code]
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
                entries=[_for_bank(p.entry, has_picture=p.has_picture) for p in changed],
            )
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
