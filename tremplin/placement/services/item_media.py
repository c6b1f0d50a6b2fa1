"""A question's own picture and recordings (one per language), uploaded on the authoring page:
checked by their content (never by their name), stored under MEDIA_ROOT with a random name,
and served by ``placement:item-file`` (selectors/items.py says who may have them). They do not
travel in the CSV and JSON files: the export leaves them out and an import never removes them.
The item services put them on a question in the question's own transaction."""

from __future__ import annotations

import io
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from PIL import Image

from tremplin.core.sounds import RECORDING_MAX_BYTES, sound_extension
from tremplin.placement.item_entries import LANGUAGE_NAMES, LANGUAGES
from tremplin.placement.models import CONTENT_TYPES, PICTURE_PART, Item, ItemRecording

PICTURE_MAX_BYTES = 2 * 1024 * 1024
PICTURE_MAX_SIDE = 4000  # pixels, for the width and for the height
# Pillow's name of each picture format accepted → the extension the file is stored with.
PICTURE_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


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
    extension = sound_extension(content[:16]) if len(content) >= 16 else None
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
class CheckedChanges:
    picture: CheckedFile | None
    picture_remove: bool
    recordings: dict[str, CheckedFile]
    recordings_remove: frozenset[str]


def files_checked(changes: FileChanges) -> tuple[CheckedChanges, dict[str, list[str]]]:
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
    checked = CheckedChanges(
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
def files_written() -> Iterator[list[str]]:
    """Collects the names of files written in the block, and deletes them when the block
    fails (its transaction is rolled back: nothing points at them)."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        _files_delete(written)
        raise


def files_apply(
    item: Item, checked: CheckedChanges, *, written: list[str]
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


def will_have_picture(item: Item | None, checked: CheckedChanges) -> bool:
    if checked.picture is not None:
        return True
    return item is not None and bool(item.picture) and not checked.picture_remove


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
