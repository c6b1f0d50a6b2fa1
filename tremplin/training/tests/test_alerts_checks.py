"""Early warning in the background: the roll call's saved marks queue a check, rules fire
once, the job coach and the site's managers are told by e-mail, the nightly command checks
everyone."""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.core.management import call_command

from conftest import World
from tests.mail import Inbox
from tremplin.core.audit import audit_events_for
from tremplin.core.audit_actions import AuditAction
from tremplin.training.models import Alert, AlertKind, AlertRule, Enrolment
from tremplin.training.services.alert_checks import alerts_check
from tremplin.training.services.alerts import RuleValues, alert_rules_save
from tremplin.training.signals import marks_saved
from tremplin.training.tests.alerting import attend, enrol, north_cohort

# Twelve sessions attended before what a test looks at: the attendance rate stays at 80 %
# or above with three absences, so only the rule under test fires.
GOOD_START = ("present",) * 12


def test_three_absences_raise_one_alert_however_often_checked(world: World) -> None:
    enrolment = enrol(north_cohort(world), world.amina)
    attend(enrolment, *GOOD_START, "absent", "absent", "absent")
    raised = alerts_check(enrolment_ids=[enrolment.pk])
    assert [a.rule.kind for a in raised] == [AlertKind.ABSENCES_IN_A_ROW]
    assert alerts_check(enrolment_ids=[enrolment.pk]) == []
    alert = Alert.objects.get()
    assert alert.state == "open"
    assert alert.fired.startswith("Absent 3 times in a row")
    assert [e.action for e in audit_events_for(alert)] == [AuditAction.ALERT_RAISED]


def test_two_absences_raise_nothing_and_an_excused_absence_is_not_counted(world: World) -> None:
    enrolment = enrol(north_cohort(world), world.amina)
    attend(enrolment, *GOOD_START, "absent", "excused", "absent")
    assert alerts_check() == []


def test_a_programme_without_rules_gets_the_shipped_defaults(world: World) -> None:
    enrolment = enrol(north_cohort(world), world.amina)
    attend(enrolment, "present")
    alerts_check()
    rules = {r.kind: r for r in AlertRule.objects.filter(programme=world.programme_alpha)}
    assert (rules["absences_in_a_row"].count, rules["absences_in_a_row"].active) == (3, True)
    assert (rules["rate_below"].percent, rules["rate_below"].weeks) == (80, 4)
    assert rules["late_times"].active is False


def test_a_rule_switched_off_does_not_fire_and_a_new_one_does(world: World) -> None:
    enrolment = enrol(north_cohort(world), world.amina)
    attend(enrolment, "late", "late", "present", "late", "present")
    alert_rules_save(
        actor=world.users["manager_a1"],
        programme=world.programme_alpha,
        rules=[
            RuleValues("absences_in_a_row", 3, None, None, False),
            RuleValues("rate_below", None, 80, 4, False),
            RuleValues("late_times", 3, None, 2, True),
        ],
    )
    raised = alerts_check()
    assert [a.rule.kind for a in raised] == ["late_times"]
    assert raised[0].fired == "Late 3 times in the last 2 weeks"


def test_a_low_rate_fires_with_what_it_saw(world: World) -> None:
    enrolment = enrol(north_cohort(world), world.amina)
    attend(enrolment, "present", "absent", "present", "absent", "late")
    (alert,) = alerts_check()
    assert alert.rule.kind == "rate_below"
    assert alert.fired == "Came to 3 of 5 sessions (60 %) in the last 4 weeks"


def test_a_learner_who_left_is_not_checked(world: World) -> None:
    enrolment = enrol(north_cohort(world), world.amina)
    attend(enrolment, "absent", "absent", "absent")
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status="left_early", left_on=enrolment.joined_on, exit_reason="moved"
    )
    assert alerts_check() == []


def test_a_closed_alert_comes_back_only_with_new_absences(world: World) -> None:
    enrolment = enrol(north_cohort(world), world.amina)
    attend(enrolment, *GOOD_START, "absent", "absent", "absent")
    (alert,) = alerts_check()
    Alert.objects.filter(pk=alert.pk).update(
        state="closed", closed_at=alert.raised_at, outcome="back_on_track"
    )
    assert alerts_check() == []


def test_saved_marks_queue_a_check_that_tells_the_coach_and_the_managers(
    world: World, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    cohort = north_cohort(world)
    enrolment = enrol(cohort, world.amina)
    marks = attend(enrolment, *GOOD_START, "absent", "absent", "absent")
    coach = world.users["coach_a1"]
    coach.preferred_language = "en"
    coach.save()
    world.north.default_language = "fr"
    world.north.save()
    with django_capture_on_commit_callbacks(execute=True):
        marks_saved.send(sender=None, session=marks[-1].session, enrolment_ids=[enrolment.pk])
        assert not Alert.objects.exists()  # queued for after the roll call's commit
    alert = Alert.objects.get()
    mails = {m["To"]: i for i, m in enumerate(smtp_inbox.messages)}
    assert sorted(mails) == ["coach_a1@example.org", "manager_a1@example.org"]
    # Each in their language: the coach's own, the manager's site's.
    to_coach = smtp_inbox.body(mails["coach_a1@example.org"])
    assert "Amina Diallo" in to_coach
    assert "Absent 3 times in a row" in to_coach
    assert f"/training/alerts/{alert.pk}/" in to_coach
    assert "Web North" in smtp_inbox.messages[mails["coach_a1@example.org"]]["Subject"]
    to_manager = smtp_inbox.body(mails["manager_a1@example.org"])
    assert "3 fois d\u2019affilée" in to_manager


def test_without_a_coach_only_the_managers_of_the_site_are_told(
    world: World, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    cohort = north_cohort(world)
    cohort.coach = None
    cohort.save()
    enrolment = enrol(cohort, world.amina)
    attend(enrolment, *GOOD_START, "absent", "absent", "absent")
    with django_capture_on_commit_callbacks(execute=True):
        alerts_check()
    assert [m["To"] for m in smtp_inbox.messages] == ["manager_a1@example.org"]


def test_the_nightly_command_checks_every_learner(world: World) -> None:
    cohort = north_cohort(world)
    attend(enrol(cohort, world.amina), *GOOD_START, "absent", "absent", "absent")
    attend(enrol(cohort, world.bilal), *GOOD_START, "present", "present", "present")
    out = StringIO()
    call_command("check_alerts", stdout=out)
    assert out.getvalue().strip() == "1 alert(s) raised."
    assert Alert.objects.get().enrolment.person == world.amina


def test_checking_many_learners_takes_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    from tremplin.people.tests.factories import PersonFactory

    cohort = north_cohort(world)
    attend(enrol(cohort, world.amina), "present")
    alerts_check()  # the shipped rules are saved once
    for _ in range(12):
        attend(enrol(cohort, PersonFactory(site=world.north)), "present", "present", "late")
    with django_assert_max_num_queries(6):
        assert alerts_check() == []
