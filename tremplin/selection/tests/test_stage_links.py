"""Stages that follow what happened elsewhere: the check-in at an information session passes
the call's information-session stage, before or after the person applies."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.outreach.models import InformationSession, Registration
from tremplin.outreach.services import (
    information_session_create,
    registration_create,
    registrations_check_in,
)
from tremplin.people.tests.factories import PersonFactory
from tremplin.selection.models import Application, Decision, ReasonCode, StageKind, StageResult
from tremplin.selection.tests.builders import applicant, open_call
from tremplin.selection.tests.test_application_form import (
    ABOUT,
    CONTACT,
    LANGUAGES,
    PROJECT,
    SEND,
    fill,
)


def _session(world: World) -> InformationSession:
    start = timezone.now() + dt.timedelta(days=1)
    return information_session_create(
        actor=world.users["officer_a1"],
        site=world.north,
        title="Discover",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=10,
    )


def _register(
    session: InformationSession, *, walk_in: bool = False, **contact: str
) -> Registration:
    return registration_create(
        session=session,
        given_names="Sokha",
        family_name="Chan",
        channel="school",
        walk_in=walk_in,
        **contact,  # type: ignore[arg-type]
    ).registration


def _information_result(application: Application) -> StageResult:
    return StageResult.objects.get(
        application=application, stage__kind=StageKind.INFORMATION_SESSION
    )


def _stage_audits(application: Application) -> int:
    return AuditEvent.objects.filter(
        action=AuditAction.STAGE_RESULT_RECORDED,
        subject_type="selection.application",
        subject_id=application.pk,
    ).count()


def test_a_check_in_after_applying_passes_the_information_session_stage(world: World) -> None:
    call = open_call(world)
    person = PersonFactory(site=world.north, email="sokha@example.org")
    application = applicant(call, person)
    session = _session(world)
    registration = _register(session, email="Sokha@example.org")
    officer = world.users["officer_a1"]

    registrations_check_in(actor=officer, session=session, registration_ids=[registration.pk])

    application.refresh_from_db()
    result = _information_result(application)
    assert (result.decision, result.reason) == (Decision.ADVANCE, ReasonCode.PASSED)
    assert result.recorded_by == officer
    assert application.attended_information_session
    assert application.stages_passed == 1
    assert _stage_audits(application) == 1


def test_checking_in_twice_changes_nothing_the_second_time(world: World) -> None:
    call = open_call(world)
    application = applicant(call, PersonFactory(site=world.north, phone="+33611223344"))
    session = _session(world)
    registration = _register(session, phone="+33611223344")
    officer = world.users["officer_a1"]
    registrations_check_in(actor=officer, session=session, registration_ids=[registration.pk])
    Registration.objects.filter(pk=registration.pk).update(checked_in_at=None)

    registrations_check_in(actor=officer, session=session, registration_ids=[registration.pk])

    assert StageResult.objects.filter(application=application).count() == 1
    assert _stage_audits(application) == 1


def test_a_walk_in_after_applying_passes_the_stage(world: World) -> None:
    call = open_call(world)
    application = applicant(call, PersonFactory(site=world.north, phone="+33611223344"))

    _register(_session(world), walk_in=True, phone="+33611223344")

    assert _information_result(application).decision == Decision.ADVANCE


def test_a_check_in_before_applying_passes_the_stage_on_submission_with_an_audit(
    world: World,
) -> None:
    call = open_call(world)
    session = _session(world)
    registration = _register(session, email="sokha@example.org")
    registrations_check_in(
        actor=world.users["officer_a1"], session=session, registration_ids=[registration.pk]
    )

    fill(Client(), call, ABOUT, CONTACT, LANGUAGES, PROJECT, SEND)

    application = Application.objects.get(call=call)
    assert _information_result(application).decision == Decision.ADVANCE
    assert application.stages_passed == 1
    assert _stage_audits(application) == 1


def test_a_no_show_becomes_passed_but_a_staff_decision_stands(world: World) -> None:
    call = open_call(world)
    stage = call.stages.get(kind=StageKind.INFORMATION_SESSION)
    late = applicant(call, PersonFactory(site=world.north, phone="+33611223344"))
    refused = applicant(call, PersonFactory(site=world.north, phone="+33611223355"))
    StageResult.objects.create(
        application=late, stage=stage, decision=Decision.REJECT, reason=ReasonCode.NO_SHOW
    )
    StageResult.objects.create(
        application=refused, stage=stage, decision=Decision.REJECT, reason=ReasonCode.NOT_ELIGIBLE
    )
    session = _session(world)
    ids = [_register(session, phone=p).pk for p in ("+33611223344", "+33611223355")]

    registrations_check_in(actor=world.users["officer_a1"], session=session, registration_ids=ids)

    assert _information_result(late).decision == Decision.ADVANCE
    assert _information_result(refused).reason == ReasonCode.NOT_ELIGIBLE


def test_a_session_at_another_site_passes_nothing(world: World) -> None:
    call = open_call(world)
    application = applicant(call, PersonFactory(site=world.north, phone="+33611223344"))
    admin = world.users["admin_a"]
    start = timezone.now() + dt.timedelta(days=1)
    session = information_session_create(
        actor=admin,
        site=world.south,
        title="Discover",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=10,
    )
    registration = _register(session, phone="+33611223344")

    registrations_check_in(actor=admin, session=session, registration_ids=[registration.pk])

    assert not StageResult.objects.filter(application=application).exists()
