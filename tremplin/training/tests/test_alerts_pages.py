"""Early warning's pages: the learners at risk, an alert where the coach records what they
did and closes it, a programme's rules; bad input refused with its reason, nothing saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from conftest import World
from tremplin.core.audit import audit_events_for
from tremplin.core.audit_actions import AuditAction
from tremplin.people.tests.factories import PersonFactory
from tremplin.training.models import Alert, AlertAction, AlertRule
from tremplin.training.services.alert_checks import alerts_check
from tremplin.training.tests.alerting import attend, enrol, north_cohort

GOOD_START = ("present",) * 12


def _alert(world: World) -> Alert:
    enrolment = enrol(north_cohort(world), world.amina)
    attend(enrolment, *GOOD_START, "absent", "absent", "absent")
    (alert,) = alerts_check()
    return alert


def test_the_coach_sees_the_learner_at_risk_with_what_fired(world: World) -> None:
    alert = _alert(world)
    page = world.client_for("coach_a1").get(reverse("training:at-risk")).content.decode()
    assert "Amina Diallo" in page
    assert "Absent 3 times in a row" in page
    assert "Nothing done yet" in page
    assert reverse("training:alert-detail", kwargs={"alert_id": alert.pk}) in page


def test_the_list_filters_by_rule_and_state_and_ignores_what_it_cannot_read(world: World) -> None:
    _alert(world)
    client = world.client_for("manager_a1")
    url = reverse("training:at-risk")
    assert "Amina Diallo" not in client.get(url, {"kind": "rate_below"}).content.decode()
    assert "Amina Diallo" not in client.get(url, {"state": "closed"}).content.decode()
    assert "Amina Diallo" in client.get(url, {"kind": "absences_in_a_row"}).content.decode()
    response = client.get(url, {"site": "x", "cohort": "99999999", "state": "?", "page": "z"})
    assert response.status_code == 200
    assert "A filter could not be read" in response.content.decode()


def test_the_coach_records_a_call_then_closes_the_alert(world: World) -> None:
    alert = _alert(world)
    client = world.client_for("coach_a1")
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("training:alert-action", kwargs={"alert_id": alert.pk}),
        {"kind": "call", "done_on": today, "outcome": "reached", "note": "Her bus pass ran out."},
    )
    assert response.status_code == 302
    action = AlertAction.objects.get()
    assert (action.kind, action.outcome, action.done_by) == (
        "call",
        "reached",
        world.users["coach_a1"],
    )
    page = client.get(reverse("training:alert-detail", kwargs={"alert_id": alert.pk}))
    assert "Phone call" in page.content.decode()
    assert "Her bus pass ran out." in page.content.decode()
    listing = client.get(reverse("training:at-risk")).content.decode()
    assert "Phone call" in listing
    assert "Nothing done yet" not in listing

    response = client.post(
        reverse("training:alert-close", kwargs={"alert_id": alert.pk}),
        {"outcome": "support", "note": "Travel help from the town hall."},
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert (alert.state, alert.outcome, alert.closed_by) == (
        "closed",
        "support",
        world.users["coach_a1"],
    )
    assert sorted(e.action for e in audit_events_for(alert)) == sorted(
        [
            AuditAction.ALERT_RAISED,
            AuditAction.ALERT_ACTION_RECORDED,
            AuditAction.ALERT_CLOSED,
        ]
    )
    # Closed: nothing more is recorded on it.
    response = client.post(
        reverse("training:alert-action", kwargs={"alert_id": alert.pk}),
        {"kind": "call", "done_on": today, "outcome": "reached"},
    )
    assert response.status_code == 400
    assert "This alert is closed" in response.content.decode()
    assert AlertAction.objects.count() == 1


def test_an_action_in_the_future_or_without_its_kind_is_refused_and_nothing_saved(
    world: World,
) -> None:
    alert = _alert(world)
    client = world.client_for("manager_a1")
    url = reverse("training:alert-action", kwargs={"alert_id": alert.pk})
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(url, {"kind": "call", "done_on": tomorrow, "outcome": "reached"})
    assert response.status_code == 400
    assert "The date cannot be in the future." in response.content.decode()
    response = client.post(url, {"kind": "fax", "done_on": "31/02/2026", "outcome": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert "Enter a valid date" in page
    assert not AlertAction.objects.exists()


def test_closing_needs_an_outcome(world: World) -> None:
    alert = _alert(world)
    response = world.client_for("coach_a1").post(
        reverse("training:alert-close", kwargs={"alert_id": alert.pk}), {"outcome": ""}
    )
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    alert.refresh_from_db()
    assert alert.state == "open"


def test_a_trainer_reads_the_alert_of_their_cohort_without_the_forms(world: World) -> None:
    alert = _alert(world)
    response = world.client_for("trainer_a1").get(
        reverse("training:alert-detail", kwargs={"alert_id": alert.pk})
    )
    page = response.content.decode()
    assert "Absent 3 times in a row" in page
    assert "Record what you did" not in page
    assert "you can read it" in page


def test_the_managers_set_the_rules_all_or_nothing(world: World) -> None:
    client = world.client_for("manager_a1")
    url = reverse("training:alert-rules", kwargs={"programme_id": world.programme_alpha.pk})
    page = client.get(url).content.decode()
    assert "uses the shipped rules" in page
    bad = {
        "absences_active": "on",
        "absences_count": "0",
        "rate_active": "on",
        "rate_percent": "180",
        "rate_weeks": "4",
        "late_count": "4",
        "late_weeks": "",
    }
    response = client.post(url, bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "greater than or equal to 1" in page
    assert "less than or equal to 100" in page
    assert not AlertRule.objects.exists()
    good = bad | {"absences_count": "2", "rate_percent": "75", "late_weeks": "3"}
    assert client.post(url, good).status_code == 302
    rules = {r.kind: r for r in AlertRule.objects.all()}
    assert (rules["absences_in_a_row"].count, rules["rate_below"].percent) == (2, 75)
    assert rules["late_times"].active is False
    assert audit_events_for(rules["rate_below"]).get().action == AuditAction.ALERT_RULE_SAVED
    assert "uses the shipped rules" not in client.get(url).content.decode()


def test_the_dashboard_shows_the_learners_at_risk(world: World) -> None:
    _alert(world)
    page = world.client_for("coach_a1").get(reverse("core:dashboard")).content.decode()
    assert "Learners at risk" in page
    assert "Amina Diallo" in page
    funder = world.client_for("funder_a").get(reverse("core:dashboard")).content.decode()
    assert "Learners at risk" not in funder


def test_the_list_takes_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    cohort = north_cohort(world)
    for _ in range(8):
        attend(
            enrol(cohort, PersonFactory(site=world.north)),
            *GOOD_START,
            "absent",
            "absent",
            "absent",
        )
    assert len(alerts_check()) == 8
    client = world.client_for("coach_a1")
    client.get(reverse("training:at-risk"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("training:at-risk"))
    assert response.content.decode().count("Absent 3 times in a row") == 8


def test_the_pages_work_in_arabic(world: World) -> None:
    alert = _alert(world)
    client = world.client_for("coach_a1")
    for url in (
        reverse("training:at-risk"),
        reverse("training:alert-detail", kwargs={"alert_id": alert.pk}),
    ):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ar")
        assert response.status_code == 200
        assert 'dir="rtl"' in response.content.decode()
