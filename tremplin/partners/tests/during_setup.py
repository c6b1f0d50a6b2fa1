"""Records for the tests of what happens during an internship (and the matrix rows): a
signed internship of a learner of Alpha North with a company tutor, a tutor's link in each
state, a learner's private link."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets

from django.utils import timezone

from conftest import World
from tremplin.core.tokens import token_hash
from tremplin.partners.models import CheckIn, CheckInKind, Internship, TutorEvaluation
from tremplin.partners.tests.factories import (
    InternshipFactory,
    PartnerContactFactory,
    PartnerFactory,
)
from tremplin.training.models import Cohort, Enrolment

_numbers = itertools.count(1)


def internship_at(
    w: World, *, site: str = "north", tutor_email: str = "tutor@fibre.example", **extra: object
) -> Internship:
    """A signed internship (under way) of a new learner of the site's run, with a tutor who
    speaks English."""
    run = {"north": w.run_north, "south": w.run_south, "beta": w.run_beta}[site]
    cohort = Cohort.objects.create(
        run=run,
        title=f"Internship cohort {next(_numbers)}",
        starts_on=run.starts_on,
        ends_on=run.ends_on,
        seats=12,
    )
    person = {"north": w.amina, "south": w.bilal, "beta": w.chen}[site]
    enrolment = Enrolment.objects.create(cohort=cohort, person=person, joined_on=run.starts_on)
    partner = PartnerFactory(organisation=run.site.organisation, name=f"Fibre Co {next(_numbers)}")
    tutor = PartnerContactFactory(
        partner=partner, name="Tom Tutor", email=tutor_email, phone="+33600000001", language="en"
    )
    fields: dict[str, object] = {
        "enrolment": enrolment,
        "partner": partner,
        "tutor": tutor,
        "signed": True,
        "status": "under_way",
        # after the training (runs end on 15 October 2026), into the next year
        "starts_on": dt.date(2026, 10, 19),
        "ends_on": dt.date(2027, 3, 19),
    }
    fields.update(extra)
    return InternshipFactory(**fields)  # type: ignore[no-any-return]


def tutor_link(internship: Internship, *, state: str = "open") -> str:
    """A tutor's evaluation link of the internship: open, submitted, revoked or expired."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    TutorEvaluation.objects.create(
        internship=internship,
        tutor=internship.tutor,
        token_hash=token_hash(token),
        language="en",
        expires_at=now + dt.timedelta(days=-1 if state == "expired" else 30),
        submitted_at=now if state == "submitted" else None,
        revoked_at=now if state == "revoked" else None,
        answers={"criteria": {"s-teamwork": 3}, "labels": {"s-teamwork": "Teamwork"}}
        if state == "submitted"
        else {},
        evaluator_name="Tom Tutor" if state == "submitted" else "",
    )
    return token


def learner_token(internship: Internship) -> str:
    token = secrets.token_urlsafe(32)
    Enrolment.objects.filter(pk=internship.enrolment_id).update(token_hash=token_hash(token))
    return token


def check_in_planned(internship: Internship, *, on: dt.date | None = None) -> CheckIn:
    return CheckIn.objects.create(
        internship=internship,
        kind=CheckInKind.CALL,
        planned_on=on or internship.starts_on + dt.timedelta(days=7),
    )
