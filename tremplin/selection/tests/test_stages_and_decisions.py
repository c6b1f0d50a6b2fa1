"""Stages, raters, home visits, administrative checks and the committee's decisions."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from conftest import World, make_user
from tests.mail import Inbox
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.network.models import Role
from tremplin.network.services import role_grant
from tremplin.selection.models import (
    Application,
    Decision,
    FinalDecision,
    ReasonCode,
    SocialInvestigation,
    StageResult,
)
from tremplin.selection.services import administrative_checks as check_services
from tremplin.selection.services import decisions as decision_services
from tremplin.selection.services import interviews as interview_services
from tremplin.selection.services import investigations as investigation_services
from tremplin.selection.services import stage_results as result_services
from tremplin.selection.tests.builders import applicant, open_call
from tremplin.selection.tests.builders import stages_by_kind as _stages


def test_a_call_starts_with_the_stages_of_its_reference_process(world: World) -> None:
    call = open_call(world)
    assert [s.kind for s in call.stages.all()] == [
        "information_session",
        "written_exam",
        "interview",
        "social_investigation",
    ]
    interview = _stages(call)["interview"]
    assert interview.criteria.count() == 4
    assert all(len(c.anchors) == 5 for c in interview.criteria.all())
    assert call.call_sites.get().seats == world.run_north.seats
    simplon = open_call(world, process="simplon", slug="simplon-day")
    assert [s.kind for s in simplon.stages.all()] == ["administrative_check", "interview"]


def test_results_go_stage_by_stage_and_the_funnel_counter_follows(world: World) -> None:
    call = open_call(world)
    stages = _stages(call)
    officer = world.users["officer_a1"]
    application = applicant(call)
    with pytest.raises(ValidationError):
        result_services.stage_result_record(
            actor=officer,
            application=application,
            stage=stages["written_exam"],
            decision=Decision.ADVANCE,
            reason=ReasonCode.PASSED,
            score=Decimal(70),
        )
    result_services.stage_result_record(
        actor=officer,
        application=application,
        stage=stages["information_session"],
        decision=Decision.ADVANCE,
        reason=ReasonCode.PASSED,
    )
    with pytest.raises(ValidationError) as caught:
        result_services.stage_result_record(
            actor=officer,
            application=application,
            stage=stages["written_exam"],
            decision=Decision.ADVANCE,
            reason=ReasonCode.PASSED,
            score=Decimal(170),
        )
    assert "score" in caught.value.message_dict
    result_services.stage_result_record(
        actor=officer,
        application=application,
        stage=stages["written_exam"],
        decision=Decision.ADVANCE,
        reason=ReasonCode.PASSED,
        score=Decimal(70),
    )
    application.refresh_from_db()
    assert application.stages_passed == 2
    # Correcting an earlier stage to a rejection pulls the counter back.
    result_services.stage_result_record(
        actor=officer,
        application=application,
        stage=stages["information_session"],
        decision=Decision.REJECT,
        reason=ReasonCode.NO_SHOW,
    )
    application.refresh_from_db()
    assert application.stages_passed == 0
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.STAGE_RESULT_RECORDED, subject_id=application.pk
        ).count()
        == 4 - 1
    )


def test_the_pass_mark_decides_pending_scores(world: World, client: Any) -> None:
    call = open_call(world)
    stages = _stages(call)
    officer = world.users["officer_a1"]
    above, below = applicant(call, through=1), applicant(call, through=1)
    web = world.client_for("officer_a1")
    url = reverse(
        "selection:stage-scores", kwargs={"call_id": call.pk, "stage_id": stages["written_exam"].pk}
    )
    web.post(url, {f"score_{above.pk}": "72,5", f"score_{below.pk}": "31"})
    assert StageResult.objects.filter(decision=Decision.PENDING).count() == 2
    assert result_services.pass_mark_apply(actor=officer, stage=stages["written_exam"]) == 2
    above.refresh_from_db()
    below.refresh_from_db()
    assert above.stages_passed == 2
    assert below.stages_passed == 1
    assert (
        StageResult.objects.get(application=below, stage=stages["written_exam"]).reason
        == "below_pass_mark"
    )


def test_raters_mark_blind_and_the_stage_score_is_their_weighted_mean(world: World) -> None:
    call = open_call(world)
    interview = _stages(call)["interview"]
    officer = world.users["officer_a1"]
    rater_a = world.users["interviewer_a1"]
    rater_b, _secret = make_user("second.rater@example.org")
    role_grant(
        user=rater_b, role=Role.INTERVIEWER, organisation_id=world.alpha.pk, site=world.north
    )
    application = applicant(call, through=2)
    interview_services.interview_assign(
        actor=officer, application=application, stage=interview, raters=[rater_a, rater_b]
    )
    criteria = list(interview.criteria.all())  # weights 3, 2, 1, 1
    mine = world.client_for("interviewer_a1")
    assignment_a = application.interview_assignments.get(rater=rater_a)
    assignment_b = application.interview_assignments.get(rater=rater_b)
    # Missing a mark: named, nothing saved.
    response = mine.post(
        reverse("selection:interview-mark", kwargs={"assignment_id": assignment_a.pk}),
        {f"criterion_{criteria[0].pk}": "5"},
    )
    assert "Give a mark from 1 to 5" in response.content.decode()
    assert not assignment_a.ratings.exists()
    interview_services.interview_submit(
        actor=rater_b, assignment=assignment_b, marks={c.pk: 2 for c in criteria}, comment="Shy"
    )
    # Rater A has not sent theirs: B's marks are not on the page.
    page = mine.get(
        reverse("selection:interview-mark", kwargs={"assignment_id": assignment_a.pk})
    ).content.decode()
    assert rater_b.display_name not in page
    assert "Shy" not in page
    mine.post(
        reverse("selection:interview-mark", kwargs={"assignment_id": assignment_a.pk}),
        {f"criterion_{c.pk}": "5" if i == 0 else "3" for i, c in enumerate(criteria)},
    )
    page = mine.get(
        reverse("selection:interview-mark", kwargs={"assignment_id": assignment_a.pk})
    ).content.decode()
    assert rater_b.display_name in page  # raters are shown by name
    # A: (5×3 + 3×2 + 3 + 3) / 7 = 3.857; B: 2 → mean 2.93
    result = StageResult.objects.get(application=application, stage=interview)
    assert result.score == Decimal("2.93")
    assert result.decision == Decision.PENDING
    with pytest.raises(ValidationError):
        interview_services.interview_submit(
            actor=rater_a, assignment=assignment_a, marks={c.pk: 1 for c in criteria}
        )
    # Nobody else opens A's scorecard; an interviewer sees only their own interviews.
    other = world.client_for("officer_a1")
    assert (
        other.get(
            reverse("selection:interview-mark", kwargs={"assignment_id": assignment_a.pk})
        ).status_code
        == 404
    )
    assert (
        mine.get(
            reverse("selection:application-detail", kwargs={"application_id": application.pk})
        ).status_code
        == 403
    )


def test_a_home_visit_is_encrypted_and_gives_a_need_index(world: World) -> None:
    call = open_call(world)
    stage = _stages(call)["social_investigation"]
    investigator = world.users["investigator_a1"]
    application = applicant(call, through=3)
    investigation = investigation_services.investigation_assign(
        actor=world.users["officer_a1"],
        application=application,
        stage=stage,
        investigator=investigator,
    )
    web = world.client_for("investigator_a1")
    url = reverse("selection:investigation-fill", kwargs={"investigation_id": investigation.pk})
    response = web.post(url, {"visited_on": "2026-11-20", "household_size": "6"})
    assert "Please answer this question." in response.content.decode()
    web.post(
        url,
        {
            "visited_on": "2026-11-20",
            "household_size": "6",
            "income": "50_100",
            "housing": "rented",
            "parents": "one_works",
            "debts": "yes",
            "comments": "Roof leaks",
        },
    )
    investigation.refresh_from_db()
    assert investigation.need_index == Decimal("64.4")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT answers FROM selection_socialinvestigation WHERE id = %s", [investigation.pk]
        )
        stored = cursor.fetchone()[0]
    assert "Roof leaks" not in stored
    assert "Roof leaks" in json.loads(SocialInvestigation.objects.get().answers)["comments"]
    event = AuditEvent.objects.get(action=AuditAction.INVESTIGATION_SUBMITTED)
    assert "Roof" not in json.dumps(event.changes)
    # The officer sees the answers; the trainer has no selection page at all.
    page = (
        world.client_for("officer_a1")
        .get(reverse("selection:application-detail", kwargs={"application_id": application.pk}))
        .content.decode()
    )
    assert "Roof leaks" in page
    assert "64.4" in page
    assert (
        world.client_for("trainer_a1")
        .get(reverse("selection:application-detail", kwargs={"application_id": application.pk}))
        .status_code
        == 403
    )


def test_the_administrative_check_keeps_its_findings_encrypted(world: World) -> None:
    call = open_call(world, slug="simplon-day", process="simplon")
    stage = _stages(call)["administrative_check"]
    application = applicant(call)
    web = world.client_for("officer_a1")
    web.post(
        reverse(
            "selection:application-check",
            kwargs={"application_id": application.pk, "stage_id": stage.pk},
        ),
        {
            "documents": ["Identity document"],
            "checks": ["Right to train"],
            "findings": "Asylum claim pending",
        },
    )
    check = application.administrative_checks.get()
    assert check.documents_received == ["Identity document"]
    assert check.findings == "Asylum claim pending"
    with pytest.raises(ValidationError):
        check_services.administrative_check_record(
            actor=world.users["officer_a1"],
            application=application,
            stage=stage,
            documents_received=["Passport of the moon"],
            checks_passed=[],
            findings="",
        )


def test_officers_propose_the_committee_validates_and_applicants_are_told(
    world: World, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    call = open_call(world)
    officer, manager = world.users["officer_a1"], world.users["manager_a1"]
    chosen = applicant(call, language="fr")
    chosen.person.email = "chosen@example.org"
    chosen.person.save()
    turned_down = applicant(call, language="en")
    turned_down.person.email = "later@example.org"
    turned_down.person.save()
    first = decision_services.decision_propose(
        actor=officer, application=chosen, outcome="selected", reason=ReasonCode.PASSED
    )
    second = decision_services.decision_propose(
        actor=officer, application=turned_down, outcome="rejected", reason=ReasonCode.SEATS
    )
    with pytest.raises(PermissionDenied):
        decision_services.decisions_validate(actor=officer, call=call, decision_ids=[first.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            decision_services.decisions_validate(
                actor=manager, call=call, decision_ids=[first.pk, second.pk]
            )
            == 2
        )
    chosen.refresh_from_db()
    assert chosen.outcome == Application.Outcome.SELECTED
    recipients = {m["To"]: m for m in smtp_inbox.messages}
    assert set(recipients) == {"chosen@example.org", "later@example.org"}
    assert "not selected" in smtp_inbox.body(
        next(i for i, m in enumerate(smtp_inbox.messages) if m["To"] == "later@example.org")
    )
    assert FinalDecision.objects.filter(mailed_at__isnull=False).count() == 2
    # Once validated, an officer cannot change it; only a manager reverses, with a reason.
    with pytest.raises(ValidationError):
        decision_services.decision_propose(
            actor=officer, application=chosen, outcome="rejected", reason=ReasonCode.OTHER
        )
    with pytest.raises(PermissionDenied):
        decision_services.decision_reverse(actor=officer, decision=first, reason="Mistake")
    with pytest.raises(ValidationError):
        decision_services.decision_reverse(actor=manager, decision=first, reason="  ")
    decision_services.decision_reverse(actor=manager, decision=first, reason="Scores were swapped")
    chosen.refresh_from_db()
    assert chosen.outcome == Application.Outcome.IN_PROGRESS
    event = AuditEvent.objects.get(action=AuditAction.DECISION_REVERSED)
    assert event.note == "Scores were swapped"
    assert event.actor == manager
    # The database keeps one standing decision per application.
    with pytest.raises(IntegrityError), transaction.atomic():
        FinalDecision.objects.create(
            application=turned_down,
            outcome="selected",
            reason="passed",
            proposed_at=second.proposed_at,
        )


def test_another_sites_manager_never_sees_the_call(world: World) -> None:
    call = open_call(world)
    application = applicant(call)
    outsider = world.client_for("manager_b1")
    for url in (
        reverse("selection:call-detail", kwargs={"call_id": call.pk}),
        reverse("selection:application-detail", kwargs={"application_id": application.pk}),
        reverse("selection:committee", kwargs={"call_id": call.pk}),
    ):
        assert outsider.get(url).status_code == 404
    assert (
        "Digital basics 2027" not in outsider.get(reverse("selection:call-list")).content.decode()
    )


def test_staff_pages_render_and_keep_their_query_count(
    world: World, django_assert_max_num_queries: Any
) -> None:
    call = open_call(world)
    for _n in range(3):
        applicant(call, through=1)
    web = world.client_for("officer_a1")
    urls = [
        reverse("selection:call-list"),
        reverse("selection:call-detail", kwargs={"call_id": call.pk}),
        reverse("selection:application-list", kwargs={"call_id": call.pk}),
        reverse("selection:committee", kwargs={"call_id": call.pk}),
    ] + [
        reverse("selection:stage-detail", kwargs={"call_id": call.pk, "stage_id": s.pk})
        for s in call.stages.all()
    ]
    counts = {}
    for url in urls:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert web.get(url).status_code == 200, url
        counts[url] = len(captured)
    for _n in range(30):
        applicant(call, through=1)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert web.get(url).status_code == 200, url


def test_the_pass_mark_decides_many_scores_in_the_same_number_of_queries(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call = open_call(world)
    exam = _stages(call)["written_exam"]
    officer = world.users["officer_a1"]

    def decide(count: int) -> int:
        for number in range(count):
            application = applicant(call, through=1)
            StageResult.objects.create(
                application=application,
                stage=exam,
                score=Decimal(30 if number % 2 else 80),
                decision=Decision.PENDING,
                reason=ReasonCode.OTHER,
            )
        with CaptureQueriesContext(connection) as captured:
            assert result_services.pass_mark_apply(actor=officer, stage=exam) == count
        return len(captured)

    assert decide(3) == decide(30)
    assert Application.objects.filter(call=call, stages_passed=2).count() == 2 + 15
