"""Learners join a cohort: the call's accepted applicants in one step for the whole cohort
(all or nothing, one audit row per learner), or one person directly for an open-entry cohort."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.people.models import Person
from tremplin.people.services import PersonDetails, person_create
from tremplin.selection.models import Application
from tremplin.training.models import Cohort, Enrolment
from tremplin.training.selectors.access import can_manage_cohort
from tremplin.training.selectors.enrolment_plan import EnrolmentPlan, enrolment_plan


def joining_date(cohort: Cohort, *, today: dt.date | None = None) -> dt.date:
    """A learner joins on the cohort's first day, or today once it has started."""
    return max(cohort.starts_on, today or timezone.localdate())


def cohort_full_message(cohort: Cohort, *, free: int, joining: int) -> str:
    return ngettext(
        "%(cohort)s has %(free)s place left and %(joining)s learners would join: nobody was "
        "enrolled. Add places to the cohort or enrol fewer learners.",
        "%(cohort)s has %(free)s places left and %(joining)s learners would join: nobody was "
        "enrolled. Add places to the cohort or enrol fewer learners.",
        free,
    ) % {"cohort": cohort.title, "free": free, "joining": joining}


def _check_open(cohort: Cohort) -> None:
    if cohort.ends_on < timezone.localdate():
        raise ValidationError(
            _("%(cohort)s has ended: nobody can join it.") % {"cohort": cohort.title}
        )


def _enrol(
    *,
    actor: User,
    cohort: Cohort,
    person: Person,
    application: Application | None,
    level: str,
    joined_on: dt.date,
    note: str = "",
) -> Enrolment:
    enrolment = Enrolment.objects.create(
        cohort=cohort, person=person, application=application, level=level, joined_on=joined_on
    )
    audit_record(
        actor=actor,
        action=AuditAction.ENROLMENT_CREATED,
        subject=enrolment,
        changes={
            "cohort": {"from": None, "to": cohort.pk},
            "person": {"from": None, "to": person.pk},
            "application": {"from": None, "to": application.pk if application else None},
            "level": {"from": "", "to": level},
            "joined_on": {"from": None, "to": joined_on.isoformat()},
        },
        note=note,
    )
    return enrolment


def cohort_enrol_selected(
    *, actor: User, cohort: Cohort, expected: Collection[int] | None = None
) -> EnrolmentPlan:
    """Enrol the call's accepted applicants who are not in a cohort of the run yet, each in
    the cohort of their level group where the programme has them. ``expected``: the
    applications the preview showed; when the list has changed since, nothing is written and
    the preview must be read again. Refused, with nothing written, when a cohort would hold
    more learners than its places."""
    if not can_manage_cohort(actor, cohort):
        raise PermissionDenied
    if cohort.call_id is None:
        raise ValidationError(_("This cohort has no call for applications to enrol from."))
    with transaction.atomic():
        # The run's cohorts are locked: two people confirming at once cannot overfill them.
        list(Cohort.objects.select_for_update().filter(run_id=cohort.run_id).order_by("pk"))
        _check_open(cohort)
        plan = enrolment_plan(cohort=cohort)
        if expected is not None and sorted(set(expected)) != plan.application_ids:
            raise ValidationError(
                _("The list of accepted applicants changed since you read it: check it again.")
            )
        if plan.crowded:
            raise ValidationError(
                [
                    cohort_full_message(c.cohort, free=c.free, joining=c.joining)
                    for c in plan.crowded
                ]
            )
        if not plan.joining:
            raise ValidationError(_("Nobody to enrol: every accepted applicant is placed."))
        for joining in plan.joining:
            _enrol(
                actor=actor,
                cohort=joining.cohort,
                person=joining.person,
                application=joining.application,
                level=joining.level,
                joined_on=joining_date(joining.cohort),
            )
    return plan


def cohort_enrol_person(
    *, actor: User, cohort: Cohort, person: Person, level: str = ""
) -> Enrolment:
    """Enrol one person directly in an open-entry cohort."""
    if not can_manage_cohort(actor, cohort):
        raise PermissionDenied
    if not cohort.open_entry:
        raise ValidationError(
            _("%(cohort)s is not open entry: learners join from its call for applications.")
            % {"cohort": cohort.title}
        )
    if person.site.organisation_id != cohort.run.site.organisation_id or person.merged_into_id:
        raise PermissionDenied
    with transaction.atomic():
        locked = Cohort.objects.select_for_update().select_related("run").get(pk=cohort.pk)
        _check_open(locked)
        other = (
            Enrolment.objects.filter(cohort__run=locked.run, person=person)
            .select_related("cohort")
            .first()
        )
        if other is not None:
            raise ValidationError(
                _("%(name)s is already in %(cohort)s, a cohort of this run.")
                % {"name": person.display_name, "cohort": other.cohort.title}
            )
        free = locked.seats - locked.enrolments.filter(status=Enrolment.Status.ACTIVE).count()
        if free < 1:
            raise ValidationError(cohort_full_message(locked, free=0, joining=1))
        return _enrol(
            actor=actor,
            cohort=locked,
            person=person,
            application=None,
            level=level or locked.level,
            joined_on=joining_date(locked),
        )


def cohort_enrol_new_person(
    *, actor: User, cohort: Cohort, details: PersonDetails, consents: Collection[str] = ()
) -> Enrolment:
    """Enter a new person at the cohort's site (people's own service: the caller has checked
    for duplicates) and enrol them, both or neither."""
    if not can_manage_cohort(actor, cohort):
        raise PermissionDenied
    with transaction.atomic():
        person = person_create(
            actor=actor, site=cohort.run.site, details=details, consents=list(consents)
        )
        return cohort_enrol_person(actor=actor, cohort=cohort, person=person)
