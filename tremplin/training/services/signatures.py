"""Writes for signed attendance: a learner's signature for a half-day (on the trainer's
phone, or on their own with the room code), and the room code itself.

A signature also marks the learner present when the trainer has not marked them yet; a
learner marked absent or excused cannot sign until the trainer corrects the mark (the
sheet would otherwise hold a signature beside "absent")."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.encryption import decrypt_bytes, encrypt_bytes
from tremplin.core.models import User
from tremplin.training.models import (
    Enrolment,
    Mark,
    MarkStatus,
    RoomCode,
    Session,
    Signature,
    SignatureMethod,
)
from tremplin.training.selectors import signatures as signing
from tremplin.training.signals import marks_saved

# applicant-facing: start (docs/languages.md)
NOT_IN_SESSION = gettext_lazy("This learner is not in this session.")
MARKED_AWAY = gettext_lazy(
    "You are marked %(status)s for this session: ask the trainer to correct it first."
)
ALREADY_SIGNED = gettext_lazy("Already signed for this half-day.")
TRAINING_ENDED = gettext_lazy("Your training has ended: there is nothing to sign.")
BAD_CODE = gettext_lazy("This code is wrong or no longer valid. Check it with your trainer.")
# applicant-facing: end
NOT_STARTED = gettext_lazy(
    "This session has not started yet: learners sign when they are in the room."
)


def signature_image(signature: Signature) -> bytes:
    """The PNG of a signature (kept encrypted)."""
    return decrypt_bytes(bytes(signature.image))


def _check_learner(*, session: Session, enrolment: Enrolment, half_day: str) -> None:
    if not signing.session_learners(session).filter(pk=enrolment.pk).exists():
        raise ValidationError(NOT_IN_SESSION, code="not_in_session")
    if half_day not in signing.half_days_of(session):
        raise ValidationError(
            {"half_day": _("This session does not take place in that half-day.")},
            code="half_day",
        )


def _record(
    *,
    actor: User | None,
    session: Session,
    enrolment: Enrolment,
    half_day: str,
    png: bytes,
    method: str,
) -> Signature:
    """Inside the caller's transaction: the mark first (locked), then the signature."""
    now = timezone.now()
    mark = Mark.objects.select_for_update().filter(session=session, enrolment=enrolment).first()
    if mark is not None and mark.status in signing.NOT_SIGNABLE:
        raise ValidationError(
            MARKED_AWAY, code="marked_away", params={"status": mark.get_status_display().lower()}
        )
    marked = False
    if mark is None:
        Mark.objects.create(
            session=session,
            enrolment=enrolment,
            status=MarkStatus.PRESENT,
            recorded_by=actor if actor is not None and actor.pk else None,
            recorded_at=now,
        )
        marked = True
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                session=session,
                enrolment=enrolment,
                half_day=half_day,
                method=method,
                image=encrypt_bytes(png),
                signed_at=now,
                collected_by=actor if method == SignatureMethod.TRAINER_DEVICE else None,
            )
    except IntegrityError as exc:
        raise ValidationError(ALREADY_SIGNED, code="signed") from exc
    audit_record(
        actor=actor,
        action=AuditAction.ATTENDANCE_SIGNED,
        subject=enrolment,
        changes={
            "session": session.pk,
            "half_day": half_day,
            "method": method,
            "marked_present": marked,
        },
    )
    if marked:
        marks_saved.send(sender=Signature, session=session, enrolment_ids=[enrolment.pk])
    return signature


def signature_collect(
    *, actor: User, session: Session, enrolment: Enrolment, half_day: str, png: bytes
) -> Signature:
    """A learner signs on the trainer's phone (``png`` checked by the form)."""
    if not signing.may_collect(actor, session):
        raise PermissionDenied
    if timezone.now() < signing.code_window(session)[0]:
        raise ValidationError(NOT_STARTED, code="not_started")
    _check_learner(session=session, enrolment=enrolment, half_day=half_day)
    with transaction.atomic():
        return _record(
            actor=actor,
            session=session,
            enrolment=enrolment,
            half_day=half_day,
            png=png,
            method=SignatureMethod.TRAINER_DEVICE,
        )


def signature_give(*, enrolment: Enrolment, code: str, png: bytes) -> Signature:
    """A learner signs on their own phone with the code shown in the room. A wrong or
    expired code raises ValidationError on ``code``."""
    if enrolment.status != Enrolment.Status.ACTIVE:
        raise ValidationError(TRAINING_ENDED, code="ended")
    session = signing.session_for_code(enrolment=enrolment, code=code)
    if session is None:
        raise ValidationError(
            {"code": BAD_CODE},
            code="bad_code",
        )
    half_day = signing.half_day_now(session)
    _check_learner(session=session, enrolment=enrolment, half_day=half_day)
    with transaction.atomic():
        return _record(
            actor=None,
            session=session,
            enrolment=enrolment,
            half_day=half_day,
            png=png,
            method=SignatureMethod.OWN_DEVICE,
        )


def room_code_issue(*, actor: User, session: Session, renew: bool = False) -> RoomCode:
    """The session's room code: the one shown already, or a new one when ``renew`` (the old
    one then stops working). Refused once the session's signing window is over."""
    if not signing.may_collect(actor, session):
        raise PermissionDenied
    now = timezone.now()
    valid_from, valid_until = signing.code_window(session)
    if now >= valid_until:
        raise ValidationError(
            _("This session is over: its learners can no longer sign with a code.")
        )
    with transaction.atomic():
        existing = RoomCode.objects.select_for_update().filter(session=session).first()
        if existing is not None and not renew:
            return existing
        code = f"{secrets.randbelow(10**6):06d}"
        if existing is not None:
            while code == existing.code:
                code = f"{secrets.randbelow(10**6):06d}"
            existing.code = code
            existing.valid_from = valid_from
            existing.valid_until = valid_until
            existing.created_by = actor
            existing.created_at = now
            existing.save()
            return existing
        return RoomCode.objects.create(
            session=session,
            code=code,
            valid_from=valid_from,
            valid_until=valid_until,
            created_by=actor,
            created_at=now,
        )
