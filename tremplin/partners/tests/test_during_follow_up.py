"""The follow-up of an internship: check-ins planned and recorded (and those due), incidents,
the end (early only with a reason) and whether a job was offered, the learner's
self-assessment from their own link; another site's internship is not found."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tremplin.core.audit import audit_events_for
from tremplin.core.audit_actions import AuditAction
from tremplin.partners.models import CheckIn, Incident, InternshipStatus, SelfAssessment
from tremplin.partners.selectors.follow_up import internship_job_offers
from tremplin.partners.services.check_ins import check_ins_plan_default
from tremplin.partners.services.internship_end import internship_end
from tremplin.partners.tests.during_setup import check_in_planned, internship_at, learner_token


def _url(name: str, internship: Any) -> str:
    return reverse(f"partners:{name}", kwargs={"internship_id": internship.pk})


def test_the_usual_check_ins_are_planned_once(world: World) -> None:
    internship = internship_at(world)
    made = check_ins_plan_default(actor=world.users["coach_a1"], internship=internship)
    assert [(c.kind, c.planned_on) for c in made] == [
        ("call", dt.date(2026, 10, 26)),
        ("visit", dt.date(2027, 1, 2)),
        ("call", dt.date(2027, 3, 12)),
    ]
    assert check_ins_plan_default(actor=world.users["coach_a1"], internship=internship) == []
    assert CheckIn.objects.count() == 3


def test_a_draft_internship_gets_no_check_ins(world: World) -> None:
    internship = internship_at(world, signed=False, status="draft", signed_at=None)
    with pytest.raises(ValidationError):
        check_ins_plan_default(actor=world.users["coach_a1"], internship=internship)


def test_the_job_coach_plans_a_check_in_with_a_french_date_and_records_its_notes(
    world: World,
) -> None:
    internship = internship_at(world)
    coach = world.client_for("coach_a1")
    coach.cookies["django_language"] = "fr"
    response = coach.post(
        _url("check-in-plan", internship),
        {"plan-kind": "visit", "plan-planned_on": "15/11/2026"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 302
    check_in = CheckIn.objects.get()
    assert check_in.planned_on == dt.date(2026, 11, 15)
    record = reverse("partners:check-in-record", kwargs={"check_in_id": check_in.pk})
    prefix = "held"
    empty = coach.post(record, {f"{prefix}-held_on": "2026-11-16", f"{prefix}-notes": ""})
    assert empty.status_code == 400
    assert CheckIn.objects.get().held_on is None
    done = coach.post(
        record, {f"{prefix}-held_on": "2026-11-16", f"{prefix}-notes": "All good on site."}
    )
    assert done.status_code == 302
    assert CheckIn.objects.get().notes == "All good on site."
    page = coach.get(_url("internship-follow-up", internship)).content.decode()
    assert "All good on site." in page


def test_check_ins_due_lists_the_planned_ones_not_held(world: World) -> None:
    internship = internship_at(world)
    check_in_planned(internship, on=timezone.localdate() - dt.timedelta(days=2))
    check_in_planned(internship, on=timezone.localdate() + dt.timedelta(days=9))
    page = world.client_for("coach_a1").get(reverse("partners:check-ins-due"))
    assert page.content.decode().count("Amina Diallo") == 1
    beta = world.client_for("manager_b1").get(reverse("partners:check-ins-due"))
    assert "Amina" not in beta.content.decode()


def test_an_incident_is_recorded_with_its_kind_and_date(world: World) -> None:
    internship = internship_at(world)
    response = world.client_for("coach_a1").post(
        _url("incident-record", internship),
        {
            "incident-kind": "absence",
            "incident-happened_on": "2026-11-02",
            "incident-description": "Absent two days without notice.",
            "incident-action": "Called the learner.",
        },
    )
    assert response.status_code == 302
    assert Incident.objects.get().kind == "absence"
    assert AuditAction.INCIDENT_RECORDED in {e.action for e in audit_events_for(internship)}


def test_an_incident_in_the_future_is_refused_naming_the_date(world: World) -> None:
    internship = internship_at(world)
    response = world.client_for("coach_a1").post(
        _url("incident-record", internship),
        {
            "incident-kind": "absence",
            "incident-happened_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            "incident-description": "Will be absent.",
        },
    )
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()
    assert not Incident.objects.exists()


def test_an_early_end_without_a_reason_is_refused(world: World) -> None:
    internship = internship_at(world)
    response = world.client_for("coach_a1").post(
        _url("internship-end", internship),
        {"end-ended_on": "2026-11-20", "end-how": "early", "end-end_reason": ""},
    )
    assert response.status_code == 400
    assert "needs a reason" in response.content.decode()
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.UNDER_WAY
    with pytest.raises(ValidationError) as error:
        internship_end(
            actor=world.users["coach_a1"],
            internship=internship,
            ended_on=dt.date(2026, 11, 20),
            early=True,
        )
    assert "end_reason" in error.value.message_dict


def test_an_internship_ends_with_a_job_offer_that_feeds_the_outcomes(world: World) -> None:
    internship = internship_at(world)
    response = world.client_for("coach_a1").post(
        _url("internship-end", internship),
        {
            "end-ended_on": "2026-11-30",
            "end-how": "ended",
            "end-job_offered": "yes",
            "end-job_offer_note": "Permanent contract from January.",
        },
    )
    assert response.status_code == 302
    internship.refresh_from_db()
    assert (internship.status, internship.job_offered) == (InternshipStatus.ENDED, True)
    [offer] = internship_job_offers(enrolment=internship.enrolment)
    assert offer.job_offered is True
    assert offer.note == "Permanent contract from January."
    later = world.client_for("coach_a1").post(
        _url("internship-job-offer", internship), {"job-job_offered": "no"}
    )
    assert later.status_code == 302
    internship.refresh_from_db()
    assert internship.job_offered is False


def test_an_early_end_keeps_its_reason(world: World) -> None:
    internship = internship_at(world)
    internship_end(
        actor=world.users["manager_a1"],
        internship=internship,
        ended_on=dt.date(2026, 11, 20),
        early=True,
        reason="company_ended",
    )
    internship.refresh_from_db()
    assert (internship.status, internship.end_reason) == ("ended_early", "company_ended")


def test_the_learner_writes_a_self_assessment_from_their_link(world: World) -> None:
    internship = internship_at(world)
    token = learner_token(internship)
    home = world.client_for("anonymous").get(
        reverse("training:learner-home", kwargs={"token": token})
    )
    url = reverse("partners:learner-internship", kwargs={"token": token})
    assert url in home.content.decode()
    client = world.client_for("anonymous")
    missing = client.post(url, {"went_well": "", "satisfaction": "9"})
    assert missing.status_code == 400
    assert not SelfAssessment.objects.exists()
    response = client.post(
        url, {"went_well": "I learned splicing.", "to_improve": "Speed", "satisfaction": "4"}
    )
    assert response.status_code == 200
    assert SelfAssessment.objects.get().satisfaction == 4
    page = world.client_for("coach_a1").get(_url("internship-follow-up", internship))
    assert "I learned splicing." in page.content.decode()


def test_a_learner_without_an_internship_has_no_link_on_their_home(world: World) -> None:
    internship = internship_at(world, signed=False, status="draft", signed_at=None)
    token = learner_token(internship)
    home = world.client_for("anonymous").get(
        reverse("training:learner-home", kwargs={"token": token})
    )
    assert "/internship/" not in home.content.decode()


def test_another_sites_internship_is_not_found(world: World) -> None:
    internship = internship_at(world)
    url = _url("internship-follow-up", internship)
    assert world.client_for("manager_b1").get(url).status_code == 404
    assert world.client_for("trainer_a1").get(url).status_code == 403
    south = internship_at(world, site="south")
    assert world.client_for("coach_a1").get(_url("internship-follow-up", south)).status_code == 404
    assert world.client_for("admin_a").get(_url("internship-follow-up", south)).status_code == 200


def test_the_follow_up_page_takes_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    internship = internship_at(world)
    client = world.client_for("coach_a1")
    client.get(_url("internship-follow-up", internship))
    for _i in range(4):
        check_in_planned(internship)
    with django_assert_max_num_queries(30):
        assert client.get(_url("internship-follow-up", internship)).status_code == 200
