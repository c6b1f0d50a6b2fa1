"""Issue 12 (tester): applicants a stage stopped ("Stops here") stayed "In progress" and were
never told. The committee page lists them and proposes "Not selected" for all at once; once
validated, each is told by e-mail or SMS; the applications list says where they stopped."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from conftest import World
from tests.mail import Inbox
from tests.sms import Gateway
from tremplin.core.models import AuditEvent
from tremplin.people.tests.factories import PersonFactory
from tremplin.selection import selectors
from tremplin.selection.models import (
    Application,
    Call,
    Decision,
    FinalDecision,
    ReasonCode,
    StageResult,
)
from tremplin.selection.services import decisions as decision_services
from tremplin.selection.tests.builders import applicant, open_call


def _stopped(call: Call, *, through: int = 1, **person: Any) -> Application:
    """A submitted application that passed `through` stages and stopped at the next one."""
    application = applicant(call, PersonFactory(site=call.site, **person), through=through)
    StageResult.objects.create(
        application=application,
        stage=call.stages.get(position=through + 1),
        decision=Decision.REJECT,
        reason=ReasonCode.BELOW_PASS_MARK,
        note="12/40 in the written test",
    )
    return application


def test_the_selector_lists_those_stopped_and_not_yet_told(world: World) -> None:
    call = open_call(world)
    stopped = _stopped(call, legal_family_name="Stopped")
    applicant(call, through=2)  # still running
    proposed = _stopped(call)
    decision_services.decision_propose(
        actor=world.users["officer_a1"],
        application=proposed,
        outcome=Application.Outcome.REJECTED,
        reason=ReasonCode.BELOW_PASS_MARK,
    )
    [result] = selectors.applications_stopped(user=world.users["officer_a1"], call=call)
    assert result.application == stopped
    assert result.stage.position == 2
    assert result.reason == ReasonCode.BELOW_PASS_MARK


def test_a_reversed_decision_lists_the_applicant_again(world: World) -> None:
    call = open_call(world)
    application = _stopped(call)
    decision = decision_services.decision_propose(
        actor=world.users["officer_a1"],
        application=application,
        outcome=Application.Outcome.REJECTED,
        reason=ReasonCode.BELOW_PASS_MARK,
    )
    manager = world.users["manager_a1"]
    decision_services.decisions_validate(actor=manager, call=call, decision_ids=[decision.pk])
    assert selectors.applications_stopped(user=manager, call=call) == []
    decision_services.decision_reverse(actor=manager, decision=decision, reason="Marked wrong")
    assert [r.application for r in selectors.applications_stopped(user=manager, call=call)] == [
        application
    ]


def test_the_committee_page_lists_them_and_proposes_not_selected_once(world: World) -> None:
    call = open_call(world)
    first = _stopped(call, legal_given_names="Rania", legal_family_name="Stopped")
    second = _stopped(call, through=0)
    client = world.client_for("officer_a1")
    page = client.get(reverse("selection:committee", args=[call.pk])).content.decode()
    assert "Stopped at a stage, not yet told: 2" in page
    assert "Rania Stopped" in page
    assert call.stages.get(position=2).name in page
    assert "Below the pass mark" in page
    assert reverse("selection:committee-propose-stopped", args=[call.pk]) in page

    url = reverse("selection:committee-propose-stopped", args=[call.pk])
    response = client.post(url)
    assert response.status_code == 302
    decisions = FinalDecision.objects.filter(application__call=call)
    assert sorted(d.application_id for d in decisions) == sorted([first.pk, second.pk])
    assert {(d.outcome, d.state, d.reason) for d in decisions} == {
        (Application.Outcome.REJECTED, FinalDecision.State.PROPOSED, ReasonCode.BELOW_PASS_MARK)
    }
    events = AuditEvent.objects.filter(action="decision.proposed", subject_id=first.pk)
    assert [e.note for e in events] == [call.stages.get(position=2).name]

    client.post(url)  # a second press proposes nothing more
    assert FinalDecision.objects.filter(application__call=call).count() == 2
    assert AuditEvent.objects.filter(action="decision.proposed").count() == 2
    page = client.get(reverse("selection:committee", args=[call.pk])).content.decode()
    assert "Stopped at a stage, not yet told: 0" in page
    assert "Rania Stopped" in page  # now among the proposals to validate


def test_once_validated_each_is_told_by_sms_or_e_mail(
    world: World,
    sms_gateway: Gateway,
    smtp_inbox: Inbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    call = open_call(world)
    by_sms = _stopped(call, phone="+33611223344", email="")
    by_mail = _stopped(call, phone="", email="stopped@example.org")
    decision_services.decisions_propose_stopped(actor=world.users["officer_a1"], call=call)
    ids = list(FinalDecision.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        decision_services.decisions_validate(
            actor=world.users["manager_a1"], call=call, decision_ids=ids
        )
    assert [s["to"] for s in sms_gateway.received] == ["+33611223344"]
    assert [m["To"] for m in smtp_inbox.messages] == ["stopped@example.org"]
    for application in (by_sms, by_mail):
        application.refresh_from_db()
        assert application.outcome == Application.Outcome.REJECTED
    assert not FinalDecision.objects.filter(mailed_at__isnull=True).exists()


def test_the_applications_list_says_where_they_stopped(world: World) -> None:
    call = open_call(world)
    _stopped(call, legal_family_name="Stopped")
    applicant(call, PersonFactory(site=call.site, legal_family_name="Running"), through=1)
    client = world.client_for("officer_a1")
    url = reverse("selection:application-list", args=[call.pk])
    stage = call.stages.get(position=2).name
    page = client.get(url).content.decode()
    assert f"Stopped at {stage}" in page
    stopped = client.get(url, {"outcome": "stopped"}).content.decode()
    assert "Stopped" in stopped
    assert "Running" not in stopped
    running = client.get(url, {"outcome": "in_progress"}).content.decode()
    assert "Running" in running
    assert f"Stopped at {stage}" not in running
    # "Not selected" counts the committee's validated decisions only, as the funnel does.
    assert "1 application" in client.get(url, {"outcome": "stopped"}).content.decode()
    assert "0 applications" in client.get(url, {"outcome": "rejected"}).content.decode()
