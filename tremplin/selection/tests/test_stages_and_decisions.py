"""Stages, raters, home visits, administrative checks and the committee's decisions."""

from __future__ import annotations

import json
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from conftest import World, make_user
from tests.mail import Inbox
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.network.models import Role, RoleAssignment
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


def _stages(call: Any) -> dict[str, Any]:
    return {s.kind: s for s in call.stages.all()}


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


class _TableShape(HTMLParser):
    """The cells a browser lays out: every `<th>` start tag in the head (a `<th>` inside
    another is a column of its own), and the `<td>`s of each body row."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[int] = []
        self.rows: list[int] = []
        self.section = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("thead", "tbody"):
            self.section = tag
            if tag == "thead":
                self.headers.append(0)
        elif tag == "tr" and self.section == "tbody":
            self.rows.append(0)
        elif tag == "th" and self.section == "thead":
            self.headers[-1] += 1
        elif tag == "td" and self.section == "tbody":
            self.rows[-1] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("thead", "tbody"):
            self.section = ""


def table_shape(html: str) -> tuple[int, list[int]]:
    """The first table's header count and each of its body rows' cell count."""
    parser = _TableShape()
    parser.feed(html.split("</table>")[0])
    return parser.headers[0], parser.rows


@pytest.mark.parametrize("kind", ["written_exam", "interview", "social_investigation"])
def test_the_stage_table_has_a_header_over_every_cell(world: World, kind: str) -> None:
    call = open_call(world)
    stage = _stages(call)[kind]
    for _n in range(2):
        applicant(call, through=stage.position - 1)
    for persona in ("officer_a1", "interviewer_a1"):
        page = world.client_for(persona).get(
            reverse("selection:stage-detail", kwargs={"call_id": call.pk, "stage_id": stage.pk})
        )
        if page.status_code != 200:
            continue
        headers, rows = table_shape(page.content.decode())
        assert rows == [headers, headers], (persona, kind)


def test_the_applications_list_has_a_header_over_every_cell(world: World) -> None:
    call = open_call(world)
    applicant(call)
    page = world.client_for("officer_a1").get(
        reverse("selection:application-list", kwargs={"call_id": call.pk})
    )
    headers, rows = table_shape(page.content.decode())
    assert rows == [headers]


def test_bulk_decisions_record_a_reason_per_row_or_one_for_all_and_the_note(
    world: World,
) -> None:
    call = open_call(world, process="simplon")
    check = _stages(call)["administrative_check"]
    first, second, third, fourth = (applicant(call) for _n in range(4))
    web = world.client_for("officer_a1")
    url = reverse("selection:stage-scores", kwargs={"call_id": call.pk, "stage_id": check.pk})
    # A rejection with no reason and no note is refused, and names the applicant.
    response = web.post(
        url,
        {
            f"score_{first.pk}": "",
            f"decision_{first.pk}": Decision.REJECT,
            f"reason_{first.pk}": ReasonCode.MISSING_DOCUMENTS,
            f"score_{second.pk}": "",
            f"decision_{second.pk}": Decision.REJECT,
            f"score_{third.pk}": "",
            f"decision_{third.pk}": Decision.ADVANCE,
            "reason": "",
            "note": "",
        },
        follow=True,
    )
    text = response.content.decode()
    assert f"{second.person}: Say why this applicant stops here" in text
    results = {r.application_id: r for r in StageResult.objects.filter(stage=check)}
    assert results[first.pk].reason == ReasonCode.MISSING_DOCUMENTS
    assert results[third.pk].reason == ReasonCode.PASSED
    assert second.pk not in results
    # One reason and a note for every row that has none of its own.
    web.post(
        url,
        {
            f"score_{second.pk}": "",
            f"decision_{second.pk}": Decision.REJECT,
            f"score_{fourth.pk}": "",
            f"decision_{fourth.pk}": Decision.REJECT,
            f"reason_{fourth.pk}": ReasonCode.NO_SHOW,
            "reason": ReasonCode.ADMINISTRATIVE,
            "note": "Residence permit expired",
        },
    )
    second_result = StageResult.objects.get(stage=check, application=second)
    assert (second_result.reason, second_result.note) == (
        ReasonCode.ADMINISTRATIVE,
        "Residence permit expired",
    )
    assert StageResult.objects.get(stage=check, application=fourth).reason == ReasonCode.NO_SHOW
    assert not StageResult.objects.filter(
        decision=Decision.REJECT, reason=ReasonCode.OTHER, note=""
    ).exists()
    # A reason that is not on the list is named, not a 500.
    response = web.post(url, {"reason": "made_up", "note": ""}, follow=True)
    assert response.status_code == 200
    assert "Reason for the decisions without their own" in response.content.decode()


SETTINGS_OF_KIND = {
    "information_session": set(),
    "administrative_check": set(),
    "written_exam": {"max_score", "pass_mark"},
    "interview": {"pass_mark", "raters_per_application", "standardise_raters"},
    "social_investigation": {"pass_mark"},
}


def test_each_stage_kind_shows_only_the_settings_that_apply_to_it(world: World) -> None:
    passerelles = open_call(world)
    simplon = open_call(world, process="simplon", slug="simplon-day")
    web = world.client_for("officer_a1")
    every = {"max_score", "pass_mark", "raters_per_application", "standardise_raters"}
    for stage in [*passerelles.stages.all(), *simplon.stages.all()]:
        url = reverse(
            "selection:stage-edit", kwargs={"call_id": stage.call_id, "stage_id": stage.pk}
        )
        page = web.get(url).content.decode()
        shown = {name for name in every if f'name="{name}"' in page}
        assert shown == SETTINGS_OF_KIND[stage.kind], stage.kind
    interview = _stages(passerelles)["interview"]
    url = reverse(
        "selection:stage-edit", kwargs={"call_id": passerelles.pk, "stage_id": interview.pk}
    )
    response = web.post(url, {"name": interview.name, "pass_mark": "60"})
    assert "Give a pass mark from 1 to 5." in response.content.decode()
    response = web.post(url, {"name": interview.name, "pass_mark": "3.5"})
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.pass_mark == Decimal("3.5")


def test_raters_are_listed_by_name_and_a_site_without_investigators_says_how_to_invite(
    world: World,
) -> None:
    call = open_call(world)
    stages = _stages(call)
    rater = world.users["interviewer_a1"]
    rater.first_name, rater.last_name = "Awa", "Diallo"
    rater.save()
    application = applicant(call, through=stages["interview"].position - 1)
    interview_services.interview_assign(
        actor=world.users["officer_a1"],
        application=application,
        stage=stages["interview"],
        raters=[rater],
    )
    manager = world.client_for("manager_a1")
    page = manager.get(
        reverse(
            "selection:stage-detail",
            kwargs={"call_id": call.pk, "stage_id": stages["interview"].pk},
        )
    ).content.decode()
    assert page.count("Awa Diallo") >= 2  # on the applicant's row and in the list to assign
    assert rater.email not in page
    # Nobody at the site can make home visits: the page says who can, and how to invite them.
    RoleAssignment.objects.filter(
        site=call.site, role__in=[Role.FIELD_INVESTIGATOR, Role.SELECTION_OFFICER]
    ).delete()
    page = manager.get(
        reverse(
            "selection:stage-detail",
            kwargs={"call_id": call.pk, "stage_id": stages["social_investigation"].pk},
        )
    ).content.decode()
    assert "Nobody at this call's sites can make home visits yet" in page
    assert reverse("network:staff-invite") in page


def test_crafted_numbers_are_field_errors_not_500(world: World) -> None:
    """``1e30`` as a highest score, ``²`` in the funnel's ``?call=`` and in a table's score."""
    from tests.authorization.records import stage_at

    client = world.client_for("officer_a1")
    kwargs = stage_at("north")(world)
    response = client.post(
        reverse("selection:stage-edit", kwargs=kwargs),
        {"name": "Exam", "max_score": "1e30", "pass_mark": "NaN"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"max_score", "pass_mark"}
    assert client.get(reverse("selection:funnel"), {"call": ["²", "9" * 5000]}).status_code == 200
    response = client.post(
        reverse("selection:call-seats", kwargs={"call_id": kwargs["call_id"]}),
        {"site": "²", "seats": "1e30"},
        follow=True,
    )
    assert "Choose a site and a number of seats" in response.content.decode()


def test_rows_refused_by_the_bulk_save_come_back_as_typed_with_the_common_reason(
    world: World,
) -> None:
    """Issue 12 (tester): a rejection with no reason and no note was refused, and the row came
    back "pending" with its score gone and the common reason reset. What was typed stays."""
    import re

    call = open_call(world)
    exam = _stages(call)["written_exam"]
    first, second, third = (applicant(call, through=exam.position - 1) for _n in range(3))
    web = world.client_for("officer_a1")
    url = reverse("selection:stage-scores", kwargs={"call_id": call.pk, "stage_id": exam.pk})
    response = web.post(
        url,
        {
            f"score_{first.pk}": "42",
            f"decision_{first.pk}": Decision.REJECT,
            f"score_{second.pk}": "4x",
            f"score_{third.pk}": "77",
            f"decision_{third.pk}": Decision.ADVANCE,
            "reason": ReasonCode.OTHER,
            "note": "",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "Say why this applicant stops here" in text
    assert "1 result saved." in text
    assert re.search(rf'name="score_{first.pk}"[^>]*value="42"', text)
    assert re.search(rf'name="score_{second.pk}"[^>]*value="4x"', text)
    chosen = re.search(rf'name="decision_{first.pk}".*?</select>', text, re.S)
    assert chosen
    assert f'value="{Decision.REJECT}" selected' in chosen.group(0)
    bulk = re.search(r'id="bulk-reason".*?</select>', text, re.S)
    assert bulk
    assert f'value="{ReasonCode.OTHER}" selected' in bulk.group(0)
    # Only once: the next visit shows what is stored.
    again = web.get(reverse("selection:stage-detail", args=[call.pk, exam.pk])).content.decode()
    assert not re.search(rf'name="score_{first.pk}"[^>]*value="42"', again)


def test_counts_in_messages_agree_with_their_number_in_french(world: World) -> None:
    """Issue 12 (tester): "1 résultats enregistrés"."""
    call = open_call(world)
    exam = _stages(call)["written_exam"]
    first = applicant(call, through=exam.position - 1)
    web = world.client_for("officer_a1")
    web.cookies["tremplin_language"] = "fr"
    url = reverse("selection:stage-scores", kwargs={"call_id": call.pk, "stage_id": exam.pk})
    page = web.post(
        url, {f"score_{first.pk}": "55", "reason": "", "note": ""}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    text = web.get(page["Location"], HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "1 résultat enregistré." in text
    stage_url = reverse("selection:stage-pass-mark", args=[call.pk, exam.pk])
    type(exam).objects.filter(pk=exam.pk).update(pass_mark=50)
    page = web.post(stage_url, HTTP_ACCEPT_LANGUAGE="fr")
    text = web.get(page["Location"], HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "1 résultat décidé selon la note minimale." in text


def test_a_written_exam_cannot_lose_its_highest_score(world: World) -> None:
    """Issue 12 (tester): a written exam's highest score could be saved empty, and its scores
    were then read on no known scale."""
    from django.db import IntegrityError as Refused

    call = open_call(world)
    exam = _stages(call)["written_exam"]
    web = world.client_for("officer_a1")
    url = reverse("selection:stage-edit", args=[call.pk, exam.pk])
    for empty in ("", "0"):
        response = web.post(url, {"name": exam.name, "max_score": empty, "pass_mark": ""})
        assert response.status_code == 200
        assert response.context["form"].errors["max_score"]
    exam.refresh_from_db()
    assert exam.max_score == 100
    with pytest.raises(Refused), transaction.atomic():
        type(exam).objects.filter(pk=exam.pk).update(max_score=None)
