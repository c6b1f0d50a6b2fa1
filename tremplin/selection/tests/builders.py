"""Small builders for selection tests: an open call, submitted applications."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from conftest import World
from tremplin.people.models import Person
from tremplin.people.tests.factories import PersonFactory
from tremplin.selection.models import Application, Call, Decision, ReasonCode, StageResult
from tremplin.selection.services.calls import call_create


def open_call(
    world: World, *, process: str = "passerelles", slug: str = "alpha-2027", **values: Any
) -> Call:
    today = timezone.localdate()
    call = call_create(
        actor=world.users["officer_a1"],
        run=world.run_north,
        slug=slug,
        title="Digital basics 2027",
        opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=30),
        process=process,
        required_documents=["Identity document"],
        administrative_checks=["Right to train"],
        contact_email="team@example.org",
    )
    Call.objects.filter(pk=call.pk).update(published=True, **values)
    call.refresh_from_db()
    return call


def applicant(
    call: Call, person: Person | None = None, *, through: int = 0, **values: Any
) -> Application:
    """A submitted application, its person created if not given, that went through the first
    `through` stages."""
    person = person or PersonFactory(site=call.site)
    application = Application.objects.create(
        call=call,
        person=person,
        status=Application.Status.SUBMITTED,
        source=Application.Source.STAFF,
        submitted_at=timezone.now(),
        site=call.site,
        gender=person.gender,
        stages_passed=through,
        **values,
    )
    for stage in call.stages.filter(position__lte=through):
        StageResult.objects.create(
            application=application,
            stage=stage,
            score=stage.max_score,
            decision=Decision.ADVANCE,
            reason=ReasonCode.PASSED,
        )
    return application


def stages_by_kind(call: Any) -> dict[str, Any]:
    """The call's stages by their kind."""
    return {s.kind: s for s in call.stages.all()}
