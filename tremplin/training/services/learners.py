"""What happens to a learner in a cohort: moved to another level group (with a reason), leaves
early (with a reason code), transfers to another cohort, comes back, graduates. Each is one
transaction with its audit row; whenever a learner leaves (graduated, left early,
transferred), ``training.signals.learner_left_training`` is sent with the enrolment."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.training.models import Cohort, Enrolment, ExitReason
from tremplin.training.selectors.access import can_manage_cohort, teaches
from tremplin.training.services.enrolments import cohort_full_message
from tremplin.training.signals import learner_left_training

Status = Enrolment.Status


def _locked(enrolment: Enrolment) -> Enrolment:
    return (
        Enrolment.objects.select_for_update()
        .select_related("cohort", "cohort__run", "cohort__run__programme", "person")
        .get(pk=enrolment.pk)
    )


def _require_active(enrolment: Enrolment) -> None:
    if enrolment.status != Status.ACTIVE:
        raise ValidationError(
            _("%(name)s is not in training (%(status)s).")
            % {"name": enrolment.person.display_name, "status": enrolment.get_status_display()}
        )


def _check_exit_date(enrolment: Enrolment, on: dt.date) -> None:
    if on < enrolment.joined_on:
        raise ValidationError(
            {
                "left_on": _("%(name)s joined on %(date)s: the date cannot be earlier.")
                % {
                    "name": enrolment.person.display_name,
                    "date": date_format(enrolment.joined_on, "SHORT_DATE_FORMAT"),
                }
            }
        )
    if on > timezone.localdate() + dt.timedelta(days=1):
        raise ValidationError({"left_on": _("The date cannot be in the future.")})


def _state(enrolment: Enrolment) -> dict[str, object]:
    return {
        "status": enrolment.status,
        "left_on": enrolment.left_on.isoformat() if enrolment.left_on else None,
        "exit_reason": enrolment.exit_reason,
        "transferred_to": enrolment.transferred_to_id,
    }


def _exit_changes(before: dict[str, object], enrolment: Enrolment) -> dict[str, dict[str, object]]:
    after = _state(enrolment)
    return {k: {"from": before[k], "to": v} for k, v in after.items() if before[k] != v}


def enrolment_level_change(
    *, actor: User, enrolment: Enrolment, level: str, reason: str
) -> Enrolment:
    """Move a learner to another level group of the programme; a trainer of the cohort may."""
    if not teaches(actor, enrolment.cohort):
        raise PermissionDenied
    levels = [str(name) for name in enrolment.cohort.run.programme.levels or []]
    errors: dict[str, str] = {}
    if level not in levels:
        errors["level"] = _("Choose one of the programme's level groups.")
    if not reason.strip():
        errors["reason"] = _("Say why the learner changes level group.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(enrolment)
        _require_active(locked)
        if locked.level == level:
            raise ValidationError({"level": _("The learner is already in this level group.")})
        before = locked.level
        locked.level = level
        locked.save(update_fields=["level", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.ENROLMENT_LEVEL_CHANGED,
            subject=locked,
            changes={"level": {"from": before, "to": level}},
            note=reason.strip(),
        )
    return locked


def enrolment_leave(
    *, actor: User, enrolment: Enrolment, reason: str, left_on: dt.date, note: str = ""
) -> Enrolment:
    """The learner leaves before the end, with a reason code, a date and a note."""
    if not can_manage_cohort(actor, enrolment.cohort):
        raise PermissionDenied
    if reason not in ExitReason.values:
        raise ValidationError({"reason": _("Choose why the learner left.")})
    if reason == ExitReason.OTHER and not note.strip():
        raise ValidationError({"note": _("Say in a few words why the learner left.")})
    with transaction.atomic():
        locked = _locked(enrolment)
        _require_active(locked)
        _check_exit_date(locked, left_on)
        before = _state(locked)
        locked.status = Status.LEFT_EARLY
        locked.left_on = left_on
        locked.exit_reason = reason
        locked.exit_note = note.strip()
        locked.save()
        audit_record(
            actor=actor,
            action=AuditAction.ENROLMENT_LEFT,
            subject=locked,
            changes=_exit_changes(before, locked),
            note=locked.exit_note,
        )
        learner_left_training.send(sender=Enrolment, enrolment=locked)
    return locked


def _check_can_take(target: Cohort) -> None:
    if target.ends_on < timezone.localdate():
        raise ValidationError(
            {"cohort": _("%(cohort)s has ended: nobody can join it.") % {"cohort": target.title}}
        )
    free = target.seats - target.enrolments.filter(status=Status.ACTIVE).count()
    if free < 1:
        raise ValidationError({"cohort": cohort_full_message(target, free=0, joining=1)})


def enrolment_transfer(
    *, actor: User, enrolment: Enrolment, target: Cohort, on: dt.date
) -> Enrolment:
    """End the enrolment as "transferred" and start one in ``target`` (same organisation and
    programme, not ended, with a free place). Returns the new enrolment."""
    if not (can_manage_cohort(actor, enrolment.cohort) and can_manage_cohort(actor, target)):
        raise PermissionDenied
    with transaction.atomic():
        locked = _locked(enrolment)
        target = (
            Cohort.objects.select_for_update().select_related("run", "run__site").get(pk=target.pk)
        )
        _require_active(locked)
        source = locked.cohort
        if target.pk == source.pk:
            raise ValidationError({"cohort": _("Choose another cohort.")})
        if (
            target.run.programme_id != source.run.programme_id
            or target.run.site.organisation_id != source.run.site.organisation_id
        ):
            raise ValidationError(
                {"cohort": _("A learner moves only to a cohort of the same programme.")}
            )
        _check_exit_date(locked, on)
        _check_can_take(target)
        if target.enrolments.filter(person_id=locked.person_id).exists():
            raise ValidationError(
                {
                    "cohort": _("%(name)s was already in %(cohort)s: re-enter them there.")
                    % {"name": locked.person.display_name, "cohort": target.title}
                }
            )
        joined_on = max(on, target.starts_on)
        moved = Enrolment.objects.create(
            cohort=target,
            person=locked.person,
            application=locked.application,
            level=target.level or locked.level,
            joined_on=joined_on,
        )
        before = _state(locked)
        locked.status = Status.TRANSFERRED
        locked.left_on = on
        locked.transferred_to = moved
        locked.save()
        audit_record(
            actor=actor,
            action=AuditAction.ENROLMENT_TRANSFERRED,
            subject=locked,
            changes=_exit_changes(before, locked),
            note=target.title,
        )
        audit_record(
            actor=actor,
            action=AuditAction.ENROLMENT_CREATED,
            subject=moved,
            changes={
                "cohort": {"from": source.pk, "to": target.pk},
                "joined_on": {"from": None, "to": joined_on.isoformat()},
            },
            note=source.title,
        )
        learner_left_training.send(sender=Enrolment, enrolment=locked)
    return moved


def enrolment_reenter(*, actor: User, enrolment: Enrolment) -> Enrolment:
    """A learner who left comes back: the same enrolment is active again."""
    if not can_manage_cohort(actor, enrolment.cohort):
        raise PermissionDenied
    with transaction.atomic():
        locked = _locked(enrolment)
        if locked.status == Status.ACTIVE:
            raise ValidationError(
                _("%(name)s is in training already.") % {"name": locked.person.display_name}
            )
        cohort = Cohort.objects.select_for_update().get(pk=locked.cohort_id)
        elsewhere = (
            Enrolment.objects.filter(person_id=locked.person_id, status=Status.ACTIVE)
            .exclude(pk=locked.pk)
            .select_related("cohort")
            .first()
        )
        if elsewhere is not None:
            raise ValidationError(
                _("%(name)s is in training in %(cohort)s: they leave it first.")
                % {"name": locked.person.display_name, "cohort": elsewhere.cohort.title}
            )
        try:
            _check_can_take(cohort)
        except ValidationError as error:
            raise ValidationError(error.message_dict["cohort"]) from error
        before = _state(locked)
        locked.status = Status.ACTIVE
        locked.left_on = None
        locked.exit_reason = ""
        locked.exit_note = ""
        locked.transferred_to = None
        locked.save()
        audit_record(
            actor=actor,
            action=AuditAction.ENROLMENT_REENTERED,
            subject=locked,
            changes=_exit_changes(before, locked),
        )
    return locked


def _graduate(actor: User, enrolment: Enrolment, on: dt.date) -> None:
    _check_exit_date(enrolment, on)
    before = _state(enrolment)
    enrolment.status = Status.GRADUATED
    enrolment.left_on = on
    enrolment.save()
    audit_record(
        actor=actor,
        action=AuditAction.ENROLMENT_GRADUATED,
        subject=enrolment,
        changes=_exit_changes(before, enrolment),
    )
    learner_left_training.send(sender=Enrolment, enrolment=enrolment)


def enrolment_graduate(*, actor: User, enrolment: Enrolment, on: dt.date) -> Enrolment:
    if not can_manage_cohort(actor, enrolment.cohort):
        raise PermissionDenied
    with transaction.atomic():
        locked = _locked(enrolment)
        _require_active(locked)
        _graduate(actor, locked, on)
    return locked


def cohort_graduate(*, actor: User, cohort: Cohort, on: dt.date) -> int:
    """Every learner still in training graduates on ``on`` (the cohort's end, usually).
    All or nothing; returns how many graduated."""
    if not can_manage_cohort(actor, cohort):
        raise PermissionDenied
    with transaction.atomic():
        Cohort.objects.select_for_update().get(pk=cohort.pk)
        learners = list(
            Enrolment.objects.select_for_update()
            .filter(cohort=cohort, status=Status.ACTIVE)
            .select_related("cohort", "cohort__run", "person")
            .order_by("pk")
        )
        if not learners:
            raise ValidationError(_("Nobody is in training in this cohort."))
        for enrolment in learners:
            _graduate(actor, enrolment, on)
    return len(learners)
