"""How an internship ended: normally or early (with a reason, required), and whether the
company offered a job, which the outcomes follow-up reads
(``selectors.follow_up.internship_job_offers``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.partners.models import EarlyEndReason, Internship, InternshipStatus
from tremplin.partners.selectors.follow_up import ENDED, RUNNING


@transaction.atomic
def internship_end(
    *,
    actor: User,
    internship: Internship,
    ended_on: dt.date,
    early: bool,
    reason: EarlyEndReason | str = "",
    note: str = "",
    job_offered: bool | None = None,
    job_offer_note: str = "",
) -> Internship:
    internship = Internship.objects.select_for_update().get(pk=internship.pk)
    errors: dict[str, str] = {}
    if internship.status not in RUNNING:
        errors["__all__"] = _("Only an internship under way (agreement signed) can end.")
    if ended_on < internship.starts_on:
        errors["ended_on"] = _("The end is before the internship started.")
    if early and reason not in EarlyEndReason.values:
        errors["end_reason"] = _("An internship that ends early needs a reason.")
    if errors:
        raise ValidationError(errors)
    before = internship.status
    internship.status = InternshipStatus.ENDED_EARLY if early else InternshipStatus.ENDED
    internship.ended_on = ended_on
    internship.end_reason = str(reason) if early else ""
    internship.end_note = note.strip()
    internship.job_offered = job_offered
    internship.job_offer_note = job_offer_note.strip()
    internship.save(
        update_fields=[
            "status",
            "ended_on",
            "end_reason",
            "end_note",
            "job_offered",
            "job_offer_note",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action=AuditAction.INTERNSHIP_ENDED,
        subject=internship,
        changes={
            "status": {"from": before, "to": internship.status},
            "ended_on": ended_on.isoformat(),
            "reason": internship.end_reason,
            "job_offered": job_offered,
        },
    )
    return internship


@transaction.atomic
def internship_job_offer_record(
    *, actor: User, internship: Internship, job_offered: bool | None, note: str = ""
) -> Internship:
    """The company's answer often comes after the end: recorded (or corrected) then."""
    internship = Internship.objects.select_for_update().get(pk=internship.pk)
    if internship.status not in ENDED:
        raise ValidationError(_("Whether a job was offered is recorded once the internship ended."))
    before = internship.job_offered
    internship.job_offered = job_offered
    internship.job_offer_note = note.strip()
    internship.save(update_fields=["job_offered", "job_offer_note", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.INTERNSHIP_UPDATED,
        subject=internship,
        changes={"job_offered": {"from": before, "to": job_offered}},
    )
    return internship
