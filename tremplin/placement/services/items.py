"""Writing the item bank from the authoring pages: a question created or changed (with its own
picture and recordings), and its status moved along draft → pilot → live → retired.

Writes are atomic and audited; the checks of ``bank.items_import`` are reused, with those of
the authoring pages on top (who may publish, what a live question needs, known pictures).
The import and export of files of questions are in item_files.py."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.network.models import Organisation
from tremplin.placement import bank
from tremplin.placement.item_entries import (
    ENTRY_KEYS,
    LANGUAGES,
    TEXT_FIELDS,
    ZONE_KEYS,
    entry_normalised,
    for_bank,
    item_entry,
    item_where,
    live_language_problems,
    live_problems,
    pictures,
)
from tremplin.placement.models import Item, ItemKind, ItemStatus
from tremplin.placement.selectors.access import AUTHOR_ROLES, MANAGE_ROLES, may_in
from tremplin.placement.services.item_media import (
    FileChanges,
    files_apply,
    files_checked,
    files_written,
    will_have_picture,
)

CODE_MAX_LENGTH = Item._meta.get_field("code").max_length or 32
# Moving a question into or out of these is publishing it: site managers only.
PUBLISHED = frozenset({ItemStatus.LIVE.value, ItemStatus.RETIRED.value})


def status_change_allowed(*, user: User, organisation_id: int, current: str, target: str) -> bool:
    """Authors move questions between draft and pilot; putting a question live, retiring it,
    or taking it back from live or retired is a site manager's decision."""
    if {current, target} & PUBLISHED and current != target:
        return may_in(user, organisation_id, MANAGE_ROLES)
    return may_in(user, organisation_id, AUTHOR_ROLES)


def entry_problems(
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
    where = item_where(code)
    problems: list[str] = []
    if len(code) > CODE_MAX_LENGTH:
        problems.append(
            _("%(where)s: the code is longer than %(n)s characters.")
            % {"where": where, "n": CODE_MAX_LENGTH}
        )
    problems += _text_problems(entry, where)
    problems += _choice_problems(entry, where)
    image = str(entry.get("image") or "")
    if image and image not in (pictures() if known_pictures is None else known_pictures):
        problems.append(
            _("%(where)s: the picture “%(image)s” is not among the pictures of the bank.")
            % {"where": where, "image": image}
        )
    problems += _audio_problems(entry, where)
    for key in ("a", "b"):
        value = entry.get(key)
        if value is not None and not isinstance(value, float):
            problems.append(
                _("%(where)s: %(key)s must be a number.") % {"where": where, "key": key}
            )
    problems += _manager_problems(
        entry, actor=actor, organisation_id=organisation_id, before=before, where=where
    )
    # (The answer and the choices of a live question: bank.items_check.)
    if str(entry.get("status") or "") == ItemStatus.LIVE:
        problems.extend(live_language_problems(entry))
    return problems


def _text_problems(entry: Mapping[str, Any], where: str) -> list[str]:
    """Each text (stem, alternative text…) by language, in the languages of the bank."""
    problems: list[str] = []
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
    return problems


def _choice_problems(entry: Mapping[str, Any], where: str) -> list[str]:
    """Each choice's keys (languages and its place), and on a picture a place with a size."""
    problems: list[str] = []
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
    return problems


def _audio_problems(entry: Mapping[str, Any], where: str) -> list[str]:
    audio = entry.get("audio")
    if not isinstance(audio, Mapping):
        return []
    return [
        _(
            "%(where)s: the recording in “%(language)s” must be a link on this site "
            "(starting with /)."
        )
        % {"where": where, "language": language}
        for language, link in audio.items()
        if not isinstance(link, str) or not link.startswith("/") or link.startswith("//")
    ]


def _manager_problems(
    entry: Mapping[str, Any],
    *,
    actor: User,
    organisation_id: int,
    before: Mapping[str, Any] | None,
    where: str,
) -> list[str]:
    """What only a site manager may change: some moves of the status, and a and b."""
    problems: list[str] = []
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
    return problems


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
    checked = for_bank(entry, has_picture=has_picture)
    problems = [p for found in bank.items_check(entries=[checked]) for p in found]
    problems += entry_problems(entry, actor=actor, organisation_id=organisation_id, before=before)
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
    checked, file_errors = files_checked(files or FileChanges())
    has_picture = will_have_picture(None, checked)
    with files_written() as written, transaction.atomic():
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
            organisation=organisation, entries=[for_bank(new, has_picture=has_picture)]
        )
        if imported.created != 1:  # written by someone else meanwhile: undone
            raise ValidationError({"code": _("Another question of the bank has this code.")})
        item = Item.objects.select_related("competence__area").get(
            organisation=organisation, code=new["code"]
        )
        changes = files_apply(item, checked, written=written)
        audit_record(
            actor=actor, action=AuditAction.ITEM_CREATED, subject=item, changes=changes or None
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
    checked, file_errors = files_checked(files or FileChanges())
    with files_written() as written, transaction.atomic():
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
        has_picture = will_have_picture(locked, checked)
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
            organisation=locked.organisation, entries=[for_bank(new, has_picture=has_picture)]
        )
        updated = Item.objects.select_related("competence__area", "organisation").get(pk=locked.pk)
        after = item_entry(updated)
        changes = {
            key: {"from": before[key], "to": after[key]}
            for key in sorted(ENTRY_KEYS)
            if before[key] != after[key]
        }
        changes.update(files_apply(updated, checked, written=written))
        if changes:
            audit_record(
                actor=actor, action=AuditAction.ITEM_UPDATED, subject=updated, changes=changes
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
            action=AuditAction.ITEM_STATUS_CHANGED,
            subject=locked,
            changes={"status": {"from": previous, "to": status}},
        )
    return locked
