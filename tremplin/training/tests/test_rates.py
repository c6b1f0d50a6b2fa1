"""Attendance rates (present and late over everything marked) per learner, cohort, module
and site, counted by the database; the dashboard scoped to the user's sites."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tremplin.training.models import Cohort, Enrolment, Mark, MarkStatus, Session, SessionTally
from tremplin.training.selectors.rates import (
    Filters,
    cohort_rates,
    dashboard_rates,
    learner_profile,
)
from tremplin.training.tests.factories import CohortFactory, EnrolmentFactory, ModuleFactory
from tremplin.training.tests.signing import cohort_north, session_at

P, L, A, E = MarkStatus.PRESENT, MarkStatus.LATE, MarkStatus.ABSENT, MarkStatus.EXCUSED


def take(session: Session, statuses: dict[Enrolment, str]) -> None:
    Mark.objects.bulk_create(
        Mark(session=session, enrolment=e, status=s, recorded_at=timezone.now())
        for e, s in statuses.items()
    )


def two_weeks(world: World) -> tuple[Cohort, list[Enrolment]]:
    """Amina and Moussa over four sessions of two modules: Amina comes to 3 of 4 (one of
    them late), Moussa to 1 of 4 (one excused absence)."""
    cohort = cohort_north(world, learners=2)
    amina, moussa = cohort.enrolments.order_by("pk")
    html = ModuleFactory(programme=world.programme_alpha, title="HTML", position=1)
    french = ModuleFactory(programme=world.programme_alpha, title="French", position=2)
    today = timezone.localdate()
    for offset, module, marks in (
        (14, html, {amina: P, moussa: P}),
        (13, html, {amina: L, moussa: A}),
        (7, french, {amina: P, moussa: E}),
        (6, french, {amina: A, moussa: A}),
    ):
        session = session_at(cohort, day=today - dt.timedelta(days=offset))
        session.module = module
        session.save()
        take(session, marks)
    return cohort, [amina, moussa]


def test_a_cohorts_rates_per_learner_module_and_month(world: World) -> None:
    cohort, (amina, moussa) = two_weeks(world)
    rates = cohort_rates(cohort=cohort)
    by_learner = {line.enrolment: line for line in rates.learners}
    assert by_learner[amina].rate.rate == 75.0
    assert by_learner[amina].hours == 9.0  # three 3-hour sessions, late included
    assert by_learner[moussa].rate.rate == 25.0
    assert by_learner[moussa].rate.excused == 1
    assert rates.total.rate == 50.0
    assert [(m.label, m.rate.rate) for m in rates.modules] == [("HTML", 75.0), ("French", 25.0)]
    assert sum(rate.marked for _, rate in rates.months) == 8


def test_the_dashboard_counts_per_site_cohort_and_module_in_the_users_scope(
    world: World,
) -> None:
    cohort, _ = two_weeks(world)
    beta = CohortFactory(run=world.run_beta, title="Fibre")
    chen = EnrolmentFactory(cohort=beta, person=world.chen)
    take(session_at(beta), {chen: A})
    manager = dashboard_rates(user=world.users["manager_a1"], filters=Filters())
    assert [(s.label, s.rate.rate) for s in manager.sites] == [("Alpha North", 50.0)]
    assert [c.key for c in manager.cohorts] == [cohort.pk]
    assert {m.label: m.rate.rate for m in manager.modules} == {"HTML": 75.0, "French": 25.0}
    beta_view = dashboard_rates(user=world.users["manager_b1"], filters=Filters())
    assert beta_view.total.rate == 0.0
    assert [c.key for c in beta_view.cohorts] == [beta.pk]
    root = dashboard_rates(user=world.users["superuser"], filters=Filters())
    assert root.total.marked == 9
    # the last 10 days only: the two French sessions
    recent = dashboard_rates(
        user=world.users["manager_a1"],
        filters=Filters(since=timezone.localdate() - dt.timedelta(days=10)),
    )
    assert recent.total.marked == 4
    assert recent.total.rate == 25.0


def test_a_trainer_sees_only_the_rates_of_their_own_cohorts(world: World) -> None:
    two_weeks(world)
    other = CohortFactory(run=world.run_north, title="Not theirs")
    take(session_at(other), {EnrolmentFactory(cohort=other): P})
    trainer = dashboard_rates(user=world.users["trainer_a1"], filters=Filters())
    assert [c.label for c in trainer.cohorts] == ["Web developers"]
    coach = dashboard_rates(user=world.users["coach_a1"], filters=Filters())
    assert sorted(c.label for c in coach.cohorts) == ["Not theirs", "Web developers"]


def test_the_dashboard_takes_the_same_queries_whatever_the_number_of_marks(
    world: World,
) -> None:
    two_weeks(world)
    user = world.users["admin_a"]
    dashboard_rates(user=user, filters=Filters())  # the user's roles, read once
    with CaptureQueriesContext(connection) as small:
        dashboard_rates(user=user, filters=Filters())
    cohort = CohortFactory(run=world.run_south, title="South")
    learners = [EnrolmentFactory(cohort=cohort) for _ in range(12)]
    for offset in range(10):
        session = session_at(cohort, day=timezone.localdate() - dt.timedelta(days=offset))
        take(session, {e: P for e in learners})
    with CaptureQueriesContext(connection) as big:
        result = dashboard_rates(user=user, filters=Filters())
    assert len(result.sites) == 2
    assert len(small) == len(big) <= 5


def test_a_learners_profile_in_four_queries(world: World) -> None:
    _, (amina, _) = two_weeks(world)
    with CaptureQueriesContext(connection) as captured:
        profile = learner_profile(enrolment=amina)
    assert len(captured) == 4
    assert profile.total.rate == 75.0
    assert profile.hours == 9.0
    assert [m.label for m in profile.modules] == ["HTML", "French"]
    assert [m.status for m in profile.recent_absences] == [A]


def test_the_dashboard_page_filters_and_names_a_bad_filter(world: World) -> None:
    two_weeks(world)
    client = world.client_for("manager_a1")
    url = reverse("training:attendance-dashboard")
    page = client.get(url)
    assert page.status_code == 200
    assert "Web developers" in page.content.decode()
    bad = client.get(url, {"period": "dates", "since": "2026-05-01", "until": "2026-04-01"})
    assert bad.status_code == 400
    assert "The end date is before the start date." in bad.content.decode()
    assert client.get(url, {"site": "abc", "period": "zzz"}).status_code == 400
    other = client.get(url, {"site": world.beta_site.pk})
    assert other.status_code == 400  # not a site of theirs: refused as a choice
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    arabic = client.get(url)
    assert arabic.status_code == 200
    assert 'dir="rtl"' in arabic.content.decode()
    assert world.client_for("officer_a1").get(url).status_code == 403


def test_the_cohort_include_shows_the_rates(world: World) -> None:
    from django.template.loader import render_to_string

    cohort, _ = two_weeks(world)
    html = render_to_string("training/_rates.html", {"rates": cohort_rates(cohort=cohort)})
    assert "75 %" in html
    assert "25 %" in html
    assert reverse("training:sheet-cohort", args=[cohort.pk]) in html


def test_the_database_keeps_each_sessions_tally_whoever_writes_the_marks(world: World) -> None:
    cohort = cohort_north(world, learners=3)
    session = session_at(cohort)
    first, second, third = cohort.enrolments.order_by("pk")
    take(session, {first: P, second: A})
    tally = SessionTally.objects.get(session=session)
    assert (tally.present, tally.late, tally.absent, tally.excused) == (1, 0, 1, 0)
    Mark.objects.filter(enrolment=second).update(status=L)  # a bulk update, no signal
    Mark.objects.create(session=session, enrolment=third, status=E, recorded_at=timezone.now())
    tally.refresh_from_db()
    assert (tally.present, tally.late, tally.absent, tally.excused) == (1, 1, 0, 1)
    Mark.objects.filter(session=session).delete()
    assert not SessionTally.objects.filter(session=session).exists()
    take(session, {first: P})
    session.delete()  # the tally goes with the session
    assert not SessionTally.objects.exists()


def test_the_dashboards_cohorts_come_a_page_at_a_time(world: World) -> None:
    for n in range(27):
        cohort = CohortFactory(run=world.run_north, title=f"Group {n:02d}")
        take(session_at(cohort), {EnrolmentFactory(cohort=cohort): P})
    client = world.client_for("manager_a1")
    url = reverse("training:attendance-dashboard")
    first = client.get(url)
    assert len(first.context["cohorts"].page) == 25
    second = client.get(url, {"page": "2"})
    assert [line.label for line in second.context["cohorts"].page] == ["Group 25", "Group 26"]
    assert len(client.get(url, {"page": "zz"}).context["cohorts"].page) == 25
