"""Authorization matrix rows for selection pages (columns as in test_authorization_matrix):
anonymous, nobody, superuser, admin_a, manager_a1, officer_a1, trainer_a1, coach_a1,
funder_a, manager_b1, interviewer_a1, investigator_a1."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from conftest import World

Kwargs = Callable[[World], dict[str, Any]]
Row = tuple[str, str, Kwargs, dict[str, str] | None, str]


def none(w: World) -> dict[str, Any]:
    return {}


def _call(w: World, where: str) -> Any:
    from tremplin.selection import services
    from tremplin.selection.models import Call

    existing = Call.objects.filter(slug=f"call-{where}").first()
    if existing is not None:
        return existing
    run = w.run_north if where == "north" else w.run_beta
    actor = w.users["officer_a1"] if where == "north" else w.users["manager_b1"]
    today = timezone.localdate()
    call = services.call_create(
        actor=actor,
        run=run,
        slug=f"call-{where}",
        title="Call",
        process="passerelles",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=9),
    )
    Call.objects.filter(pk=call.pk).update(published=True)
    return call


def _application(w: World, where: str) -> Any:
    from tremplin.people.tests.factories import PersonFactory
    from tremplin.selection.models import Application

    call = _call(w, where)
    return Application.objects.create(
        call=call,
        person=PersonFactory(site=call.site),
        status="submitted",
        source="staff",
        submitted_at=timezone.now(),
    )


def call_at(where: str) -> Kwargs:
    return lambda w: {"call_id": _call(w, where).pk}


def stage_at(where: str, kind: str = "written_exam") -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        call = _call(w, where)
        return {"call_id": call.pk, "stage_id": call.stages.get(kind=kind).pk}

    return make


def application_at(where: str) -> Kwargs:
    return lambda w: {"application_id": _application(w, where).pk}


def application_stage_at(where: str) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        application = _application(w, where)
        return {"application_id": application.pk, "stage_id": application.call.stages.first().pk}

    return make


def decision_at(where: str) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        from tremplin.selection.models import FinalDecision

        decision = FinalDecision.objects.create(
            application=_application(w, where),
            outcome="selected",
            reason="passed",
            proposed_at=timezone.now(),
        )
        return {"decision_id": decision.pk}

    return make


def assignment_of(persona: str) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        from tremplin.selection.models import InterviewAssignment

        application = _application(w, "north")
        assignment = InterviewAssignment.objects.create(
            application=application,
            stage=application.call.stages.get(kind="interview"),
            rater=w.users[persona],
        )
        return {"assignment_id": assignment.pk}

    return make


def investigation_of(persona: str) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        from tremplin.selection.models import SocialInvestigation

        application = _application(w, "north")
        investigation = SocialInvestigation.objects.create(
            application=application,
            stage=application.call.stages.get(kind="social_investigation"),
            investigator=w.users[persona],
        )
        return {"investigation_id": investigation.pk}

    return make


def call_application_at(where: str) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        application = _application(w, where)
        return {"call_id": application.call_id, "application_id": application.pk}

    return make


def cohort_round_at(where: str) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        from tremplin.selection.models import CohortRound

        call = _call(w, where)
        round_ = CohortRound.objects.filter(call=call).first() or CohortRound.objects.create(
            call=call,
            snapshot={"seats": 2, "rules": [], "choices": [], "checks": []},
            objective=0.0,
            bound=0.0,
            proposed_at=timezone.now(),
        )
        return {"call_id": call.pk, "round_id": round_.pk}

    return make


def public_call(w: World) -> dict[str, Any]:
    return {"slug": _call(w, "north").slug}


def public_step(w: World) -> dict[str, Any]:
    return {"slug": _call(w, "north").slug, "step": 1}


def public_resume(w: World) -> dict[str, Any]:
    from tremplin.selection import services

    call = _call(w, "north")
    return {"slug": call.slug, "token": services.application_start(call=call, language="fr").token}


RUN = "302 403 200 200 200 200 403 403 403 200 403 403"
NORTH = "302 403 200 200 200 200 403 403 403 404 403 403"
BETA = "302 403 200 404 404 404 403 403 403 200 403 403"
NORTH_POST = "302 403 302 302 302 302 403 403 403 404 403 403"
BETA_POST = "302 403 302 404 404 404 403 403 403 302 403 403"
DECIDE_POST = "302 403 302 302 302 403 403 403 403 404 403 403"
PUBLIC = "200 200 200 200 200 200 200 200 200 200 200 200"
PUBLIC_REDIRECT = "302 302 302 302 302 302 302 302 302 302 302 302"

# fmt: off
SELECTION_ROWS: list[Row] = [
    ("selection:call-list", "GET", none, None, RUN),
    ("selection:call-create", "GET", none, None, RUN),
    ("selection:call-detail", "GET", call_at("north"), None, NORTH),
    ("selection:call-detail", "GET", call_at("beta"), None, BETA),
    ("selection:call-edit", "GET", call_at("north"), None, NORTH),
    ("selection:call-edit", "GET", call_at("beta"), None, BETA),
    ("selection:call-seats", "POST", call_at("north"), {}, NORTH_POST),
    ("selection:stage-add", "POST", call_at("north"), {}, NORTH_POST),
    ("selection:stage-add", "POST", call_at("beta"), {}, BETA_POST),
    ("selection:stage-detail", "GET", stage_at("north"), None, NORTH),
    ("selection:stage-detail", "GET", stage_at("beta"), None, BETA),
    ("selection:stage-edit", "GET", stage_at("north", "interview"), None, NORTH),
    ("selection:stage-edit", "GET", stage_at("north", "social_investigation"), None, NORTH),
    ("selection:stage-move", "POST", stage_at("north"), {"direction": "up"}, NORTH_POST),
    ("selection:stage-remove", "POST", stage_at("north"), {}, NORTH_POST),
    ("selection:stage-remove", "POST", stage_at("beta"), {}, BETA_POST),
    ("selection:stage-scores", "POST", stage_at("north"), {}, NORTH_POST),
    ("selection:stage-pass-mark", "POST", stage_at("north"), {}, NORTH_POST),
    ("selection:stage-assign", "POST", stage_at("north", "interview"), {}, NORTH_POST),
    ("selection:application-list", "GET", call_at("north"), None, NORTH),
    ("selection:application-list", "GET", call_at("beta"), None, BETA),
    ("selection:application-detail", "GET", application_at("north"), None, NORTH),
    ("selection:application-detail", "GET", application_at("beta"), None, BETA),
    ("selection:application-result", "POST", application_stage_at("north"), {}, NORTH_POST),
    ("selection:application-check", "POST", application_stage_at("north"), {}, NORTH_POST),
    ("selection:application-propose", "POST", application_at("north"), {}, NORTH_POST),
    ("selection:application-propose", "POST", application_at("beta"), {}, BETA_POST),
    ("selection:committee", "GET", call_at("north"), None, NORTH),
    ("selection:committee", "GET", call_at("beta"), None, BETA),
    ("selection:committee-validate", "POST", call_at("north"), {}, DECIDE_POST),
    ("selection:committee-resend", "POST", call_at("north"), {}, DECIDE_POST),
    ("selection:decision-reverse", "POST", decision_at("north"), {}, DECIDE_POST),
    ("selection:cohort", "GET", call_at("north"), None, NORTH),
    ("selection:cohort", "GET", call_at("beta"), None, BETA),
    ("selection:cohort-settings", "POST", call_at("north"), {}, NORTH_POST),
    ("selection:cohort-settings", "POST", call_at("beta"), {}, BETA_POST),
    ("selection:cohort-what-if", "POST", call_at("north"), {}, NORTH),
    ("selection:cohort-what-if", "POST", call_at("beta"), {}, BETA),
    ("selection:cohort-relax", "POST", call_at("north"), {}, NORTH_POST),
    ("selection:cohort-relax", "POST", call_at("beta"), {}, BETA_POST),
    ("selection:cohort-propose", "POST", call_at("north"), {}, NORTH_POST),
    ("selection:cohort-pin", "POST", call_application_at("north"), {}, DECIDE_POST),
    ("selection:cohort-pin", "POST", call_application_at("beta"), {}, "302 403 302 404 404 404 403 403 403 302 403 403"),
    ("selection:cohort-withdraw", "POST", call_application_at("north"), {}, DECIDE_POST),
    ("selection:cohort-validate", "POST", cohort_round_at("north"), {}, DECIDE_POST),
    ("selection:cohort-minutes", "GET", cohort_round_at("north"), None, NORTH),
    ("selection:cohort-minutes", "GET", cohort_round_at("beta"), None, BETA),
    ("selection:decision-reverse", "POST", decision_at("beta"), {}, "302 403 302 404 404 404 403 403 403 302 403 403"),
    ("selection:my-work", "GET", none, None, "302 403 200 200 200 200 403 403 403 200 200 200"),
    ("selection:interview-mark", "GET", assignment_of("interviewer_a1"), None, "302 403 404 404 404 404 403 403 403 404 200 404"),
    ("selection:investigation-fill", "GET", investigation_of("investigator_a1"), None, "302 403 404 404 404 404 403 403 403 404 404 200"),
    ("selection:apply-start", "GET", public_call, None, PUBLIC),
    ("selection:apply-step", "GET", public_step, None, PUBLIC_REDIRECT),
    ("selection:apply-resume", "GET", public_resume, None, PUBLIC_REDIRECT),
    ("selection:apply-help", "POST", public_call, {}, PUBLIC_REDIRECT),
    ("selection:apply-done", "GET", public_call, None, PUBLIC_REDIRECT),
]
# fmt: on
