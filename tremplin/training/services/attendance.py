"""Roll call: applying the taps a trainer's phone sends, and the learner photos it shows.

A tap is an operation the device names with a UUID and the time it was made. Operations are
applied idempotently (an operation already received is acknowledged, not applied again) and
for one learner the latest tap wins: an older tap that arrives late never overwrites a newer
mark. Every change of an existing mark writes an audit row in the same transaction
(docs/decisions/0028-offline-roll-call.md). A save takes the same few queries whatever the
number of learners or taps."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.encryption import encrypted_file_save
from tremplin.core.models import AuditEvent, User
from tremplin.people.models import Consent, ConsentPurpose, Person
from tremplin.training.models import (
    Enrolment,
    LearnerPhoto,
    Mark,
    MarkOperation,
    MarkStatus,
    Session,
)
from tremplin.training.selectors.access import teaches
from tremplin.training.selectors.attendance import session_enrolment_ids
from tremplin.training.signals import marks_saved

# A device whose clock runs ahead cannot date a tap later than this past the server's time
# (it would otherwise win over every correction made after it).
CLOCK_AHEAD_TOLERANCE = dt.timedelta(minutes=2)

Outcome = Literal["applied", "superseded", "duplicate", "refused"]


@dataclass(frozen=True)
class MarkTap:
    """One tap as the device sent it."""

    op_id: uuid.UUID
    enrolment_id: int
    status: MarkStatus
    tapped_at: dt.datetime


@dataclass(frozen=True)
class TapOutcome:
    op_id: uuid.UUID
    outcome: Outcome
    reason: str = ""


@dataclass
class MarksSaved:
    """What became of each tap, and every learner's mark after the save."""

    outcomes: list[TapOutcome] = field(default_factory=list)
    marks: dict[int, str] = field(default_factory=dict)
    changed: list[int] = field(default_factory=list)


@dataclass
class _Current:
    mark: Mark
    created: bool = False
    dirty: bool = False


def marks_apply(*, actor: User, session: Session, taps: Sequence[MarkTap]) -> MarksSaved:
    """Apply a batch of taps to the session's marks, all in one transaction."""
    if not teaches(actor, session.cohort):
        raise PermissionDenied
    result = MarksSaved()
    now = timezone.now()
    with transaction.atomic():
        # One save at a time per session: two phones' batches never interleave.
        Session.objects.select_for_update().filter(pk=session.pk).order_by().values_list("pk")[
            :1
        ].get()
        known = set(
            MarkOperation.objects.filter(op_id__in=[t.op_id for t in taps])
            .order_by()
            .values_list("op_id", flat=True)
        )
        learners = session_enrolment_ids(session)
        current = {
            m.enrolment_id: _Current(m)
            for m in Mark.objects.filter(session=session, enrolment_id__in=learners).order_by()
        }
        operations: list[MarkOperation] = []
        audits: list[tuple[_Current, str, str, dt.datetime]] = []
        seen: set[uuid.UUID] = set()
        for tap in sorted(taps, key=lambda t: min(t.tapped_at, now + CLOCK_AHEAD_TOLERANCE)):
            if tap.op_id in known or tap.op_id in seen:
                result.outcomes.append(TapOutcome(tap.op_id, "duplicate"))
                continue
            if tap.enrolment_id not in learners:
                result.outcomes.append(
                    TapOutcome(
                        tap.op_id,
                        "refused",
                        _("This learner is not in this session: the mark was not recorded."),
                    )
                )
                continue
            seen.add(tap.op_id)
            tapped_at = min(tap.tapped_at, now + CLOCK_AHEAD_TOLERANCE)
            applied = _tap_apply(
                actor=actor,
                session=session,
                current=current,
                tap=tap,
                tapped_at=tapped_at,
                audits=audits,
            )
            operations.append(
                MarkOperation(
                    op_id=tap.op_id,
                    session=session,
                    enrolment_id=tap.enrolment_id,
                    status=tap.status,
                    tapped_at=tapped_at,
                    applied=applied,
                    recorded_by=actor,
                )
            )
            result.outcomes.append(TapOutcome(tap.op_id, "applied" if applied else "superseded"))
        _marks_write(actor=actor, session=session, current=current, audits=audits)
        MarkOperation.objects.bulk_create(operations)
        result.changed = sorted(e for e, c in current.items() if c.dirty)
        result.marks = {e: c.mark.status for e, c in current.items()}
        if result.changed:
            marks_saved.send(sender=Mark, session=session, enrolment_ids=result.changed)
    return result


def _tap_apply(
    *,
    actor: User,
    session: Session,
    current: dict[int, _Current],
    tap: MarkTap,
    tapped_at: dt.datetime,
    audits: list[tuple[_Current, str, str, dt.datetime]],
) -> bool:
    """Apply one tap to the learner's mark in memory; False when a later one is recorded."""
    entry = current.get(tap.enrolment_id)
    if entry is None:
        mark = Mark(
            session=session,
            enrolment_id=tap.enrolment_id,
            status=tap.status,
            recorded_by=actor,
            recorded_at=tapped_at,
        )
        current[tap.enrolment_id] = _Current(mark, created=True, dirty=True)
        return True
    if tapped_at <= entry.mark.recorded_at:
        return False
    before = entry.mark.status
    entry.mark.recorded_at = tapped_at
    entry.mark.recorded_by = actor
    entry.mark.status = tap.status
    entry.dirty = True
    # A mark set earlier in the same batch and changed again is a change too.
    if before != tap.status:
        audits.append((entry, before, tap.status, tapped_at))
    return True


def _marks_write(
    *,
    actor: User,
    session: Session,
    current: dict[int, _Current],
    audits: list[tuple[_Current, str, str, dt.datetime]],
) -> None:
    Mark.objects.bulk_create([c.mark for c in current.values() if c.created])
    Mark.objects.bulk_update(
        [c.mark for c in current.values() if c.dirty and not c.created],
        ["status", "recorded_by", "recorded_at"],
    )
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor,
                action=AuditAction.MARK_CHANGED,
                subject_type=Mark._meta.label_lower,
                subject_id=entry.mark.pk,
                changes={"status": {"from": before, "to": after}},
                note=_("Session %(session)d, tapped at %(time)s")
                % {"session": session.pk, "time": tapped_at.isoformat()},
            )
            for entry, before, after, tapped_at in audits
        ]
    )


# --- learner photos -------------------------------------------------------------------

PHOTO_MAX_BYTES = 3 * 1024 * 1024


def learner_photo_save(
    *, actor: User, enrolment: Enrolment, content: bytes, extension: str
) -> LearnerPhoto:
    """Keep a learner's photo for the attendance list, with their consent (recorded now as a
    people consent, purpose "rollcall_photo", unless one is already active)."""
    if not teaches(actor, enrolment.cohort):
        raise PermissionDenied
    if len(content) > PHOTO_MAX_BYTES:
        raise ValidationError({"photo": _("The photo is larger than 3 MB.")})
    person: Person = enrolment.person
    with transaction.atomic():
        consent = person.consents.filter(
            purpose=ConsentPurpose.ROLLCALL_PHOTO, withdrawn_at__isnull=True
        ).first()
        if consent is None:
            consent = Consent.objects.create(
                person=person,
                purpose=ConsentPurpose.ROLLCALL_PHOTO,
                given_at=timezone.now(),
                recorded_by=actor,
            )
            audit_record(
                actor=actor,
                action=AuditAction.PERSON_CONSENT_GIVEN,
                subject=person,
                changes={
                    "consent": {
                        "from": "",
                        "to": f"{ConsentPurpose.ROLLCALL_PHOTO} ({consent.notice_version})",
                    }
                },
            )
        photo = LearnerPhoto.objects.filter(person=person).first() or LearnerPhoto(person=person)
        if photo.file:
            old, storage = photo.file.name, photo.file.storage
            transaction.on_commit(lambda: storage.delete(old))
        photo.extension = extension
        photo.consent = consent
        photo.taken_by = actor
        encrypted_file_save(photo.file, "photo", content)
        photo.save()
    return photo
