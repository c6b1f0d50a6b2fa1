"""The selection funnel: counts and rates at each step, broken down by who the applicants
are, gauges against the programme's targets, a constant number of queries, and who sees it
(funders with small cells hidden)."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import World
from tremplin.network.models import Region
from tremplin.outreach.models import InformationSession, Registration
from tremplin.people.models import Person
from tremplin.people.tests.factories import PersonFactory
from tremplin.selection.funnel.build import Funnel, funnel_build
from tremplin.selection.models import Application, Call
from tremplin.selection.selectors import funnel_calls
from tremplin.selection.services.calls import call_create

OPENS = dt.date(2026, 3, 1)
CLOSES = dt.date(2026, 4, 30)


def make_call(w: World, slug: str, *, process: str = "passerelles", run: str = "run_north") -> Call:
    actor = w.users["superuser"] if run != "run_north" else w.users["officer_a1"]
    return call_create(
        actor=actor,
        run=getattr(w, run),
        slug=slug,
        title=f"Call {slug}",
        opens_on=OPENS,
        closes_on=CLOSES,
        process=process,
    )


@dataclass(frozen=True)
class Applicant:
    """What the funnel reads of one application."""

    stages_passed: int = 0
    outcome: str = "in_progress"
    gender: str = "female"
    region: Region | None = None
    priority: bool = False
    age_band: str = "18_25"
    channel: str = "social_media"
    status: str = "submitted"


def apply(call: Call, applicants: list[Applicant]) -> list[Application]:
    people = [
        PersonFactory.build(site=call.site, gender=a.gender or "not_said") for a in applicants
    ]
    Person.objects.bulk_create(people)
    return Application.objects.bulk_create(
        Application(
            call=call,
            person=person,
            source=Application.Source.FORM,
            status=a.status,
            outcome=a.outcome,
            stages_passed=a.stages_passed,
            gender=a.gender,
            region=a.region,
            priority_neighbourhood=a.priority,
            age_band=a.age_band,
            channel=a.channel,
            attended_information_session=a.stages_passed >= 1,
        )
        for person, a in zip(people, applicants, strict=True)
    )


@pytest.fixture
def regions(db: None) -> dict[str, Region]:
    return {
        code: Region.objects.create(country="FR", code=f"FR-{code}", name=name)
        for code, name in (("59", "Nord"), ("62", "Pas-de-Calais"))
    }


def small_call(w: World, regions: dict[str, Region]) -> Call:
    """20 applicants: 16 came to the information session, 10 passed the written exams, 6
    the interview, 4 the home visit; 3 selected (2 women, 1 man), 1 on the waiting list."""
    call = make_call(w, "small")
    nord, pas = regions["59"], regions["62"]
    rows = (
        [Applicant(0, "rejected", "male", nord, channel="poster")] * 2
        + [Applicant(0, "in_progress", "", None, age_band="unknown", channel="")] * 2
        + [Applicant(1, "rejected", "female", nord, True)] * 3
        + [Applicant(1, "rejected", "male", pas, age_band="26_30")] * 3
        + [Applicant(2, "rejected", "female", pas, channel="partner")] * 4
        + [Applicant(3, "rejected", "male", nord, True)] * 1
        + [Applicant(3, "in_progress", "female", nord)] * 1
        + [Applicant(4, "selected", "female", nord)] * 2
        + [Applicant(4, "selected", "male", pas)] * 1
        + [Applicant(4, "waitlisted", "male", pas, True)] * 1
    )
    apply(call, rows)
    # Not counted: a draft.
    Application.objects.create(call=call, source=Application.Source.FORM)
    return call


def by_key(funnel: Funnel) -> dict[str, tuple[int, float | None, float | None]]:
    return {
        s.key: (s.total.count, s.total.from_previous, s.total.from_applied) for s in funnel.steps
    }


# --- Counts and rates ---------------------------------------------------------------------


def test_counts_and_conversion_at_each_step_of_a_small_call(
    world: World, regions: dict[str, Region]
) -> None:
    call = small_call(world, regions)
    funnel = funnel_build(user=world.users["officer_a1"], calls=[call], dimension=None)

    assert [s.label for s in funnel.steps] == [
        "Applied",
        "Passed: Information session",
        "Passed: Written exams",
        "Passed: Motivation interview",
        "Passed: Social investigation (home visit)",
        "Selected",
    ]
    steps = by_key(funnel)
    assert steps["applied"] == (20, None, 100.0)
    assert steps["stage-1"] == (16, 80.0, 80.0)
    assert steps["stage-2"] == (10, 62.5, 50.0)
    assert steps["stage-3"] == (6, 60.0, 30.0)
    assert steps["stage-4"] == (4, pytest.approx(66.67, abs=0.01), 20.0)
    assert steps["selected"] == (3, 75.0, 15.0)
    assert not funnel.suppressed
    assert funnel.breakdown == []
    # The chart's longest bar is the widest step; the others in proportion.
    assert funnel.steps[0].total.bar == "100.00"
    assert funnel.steps[-1].total.bar == "15.00"


def test_withdrawn_applications_count_as_applied_and_stop_where_they_were(
    world: World, regions: dict[str, Region]
) -> None:
    call = make_call(world, "withdrawals")
    apply(call, [Applicant(2, status="withdrawn"), Applicant(1), Applicant(0, status="draft")])
    steps = by_key(funnel_build(user=world.users["officer_a1"], calls=[call], dimension=None))
    assert steps["applied"][0] == 2
    assert steps["stage-1"][0] == 2
    assert steps["stage-2"][0] == 1
    assert steps["selected"][0] == 0


@pytest.mark.parametrize(
    ("dimension", "expected"),
    [
        (
            "gender",
            {
                "Female": [10, 10, 7, 3, 2, 2],
                "Male": [8, 6, 3, 3, 2, 1],
                "Not known": [2, 0, 0, 0, 0, 0],
            },
        ),
        (
            "region",
            {
                "Nord": [9, 7, 4, 4, 2, 2],
                "Pas-de-Calais": [9, 9, 6, 2, 2, 1],
                "Not known": [2, 0, 0, 0, 0, 0],
            },
        ),
        (
            "priority_neighbourhood",
            {
                "From a priority neighbourhood": [5, 5, 2, 2, 1, 0],
                "Not from a priority neighbourhood": [15, 11, 8, 4, 3, 3],
            },
        ),
        (
            "age_band",
            {
                "18 to 25": [15, 13, 10, 6, 4, 3],
                "26 to 30": [3, 3, 0, 0, 0, 0],
                "Not known": [2, 0, 0, 0, 0, 0],
            },
        ),
        (
            "channel",
            {
                "Social media": [12, 12, 6, 6, 4, 3],
                "A partner organisation or social worker": [4, 4, 4, 0, 0, 0],
                "A poster or flyer": [2, 0, 0, 0, 0, 0],
                "Not known": [2, 0, 0, 0, 0, 0],
            },
        ),
    ],
)
def test_the_breakdown_by_each_dimension_adds_up_with_the_words_users_read(
    world: World, regions: dict[str, Region], dimension: str, expected: dict[str, list[int]]
) -> None:
    call = small_call(world, regions)
    funnel = funnel_build(user=world.users["officer_a1"], calls=[call], dimension=dimension)
    rows = {row.value.label: [c.count for c in row.cells] for row in funnel.breakdown}
    assert rows == expected
    assert list(rows)[-1] == list(expected)[-1]  # "Not known" comes last
    # Every column adds up to the step's total.
    for index, step in enumerate(funnel.application_steps):
        assert sum(row.cells[index].count for row in funnel.breakdown) == step.total.count
        assert all(row.cells[index].label == step.label for row in funnel.breakdown)
    # Shares of the step, rates within the group, and the group's selection rate.
    first = funnel.breakdown[0]
    applied, passed_1, passed_2 = (c.count for c in first.cells[:3])
    assert first.cells[0].share_of_step == pytest.approx(100 * applied / 20)
    assert first.cells[0].from_applied == 100.0
    assert first.cells[2].from_previous == pytest.approx(100 * passed_2 / passed_1)
    assert first.cells[2].from_applied == pytest.approx(100 * passed_2 / applied)
    assert first.selected_rate == pytest.approx(100 * first.cells[-1].count / applied)


def test_an_unknown_dimension_is_refused(world: World) -> None:
    call = make_call(world, "refused")
    with pytest.raises(ValueError, match="dimension"):
        funnel_build(user=world.users["officer_a1"], calls=[call], dimension="religion")


# --- Gauges ---------------------------------------------------------------------------------


def test_gauges_compare_the_selected_and_those_still_running_with_the_targets(
    world: World, regions: dict[str, Region]
) -> None:
    programme = world.programme_alpha
    programme.target_women_share = Decimal("0.5")
    programme.target_priority_share = Decimal("0.465")
    programme.save()
    call = small_call(world, regions)
    gauges = {
        g.label: g
        for g in funnel_build(user=world.users["officer_a1"], calls=[call], dimension=None).gauges
    }
    women = gauges["Women among the selected"]
    assert (women.count, women.total, women.on_target) == (2, 3, True)
    assert women.share == pytest.approx(66.67, abs=0.01)
    assert women.verdict == "On target: 66.7 % for a target of 50 %."
    assert women.target_at == "50.00"
    # Still in the running at the last stage: reached the home visit, not turned down.
    running = gauges["Women among those still in the running at the last stage"]
    assert (running.count, running.total) == (3, 5)
    assert running.on_target is True
    priority = gauges["From priority neighbourhoods among the selected"]
    assert (priority.count, priority.total, priority.on_target) == (0, 3, False)
    assert priority.verdict == "Below target by 46.5 points: 0 % for a target of 46.5 %."
    still = gauges[
        "From priority neighbourhoods among those still in the running at the last stage"
    ]
    assert (still.count, still.total) == (1, 5)
    assert still.verdict == "Below target by 26.5 points: 20 % for a target of 46.5 %."


def test_no_gauge_without_a_target_and_a_plain_word_when_nobody_is_selected(
    world: World,
) -> None:
    programme = world.programme_alpha
    programme.target_women_share = Decimal("0.5")
    programme.save()
    call = make_call(world, "early")
    apply(call, [Applicant(1), Applicant(0, gender="male")])
    gauges = funnel_build(user=world.users["officer_a1"], calls=[call], dimension=None).gauges
    assert [g.label for g in gauges] == [
        "Women among the selected",
        "Women among those still in the running at the last stage",
    ]
    assert gauges[0].verdict == "Nobody yet."
    assert gauges[0].share is None


def test_targets_of_several_programmes_are_weighted_by_their_calls_sizes(
    world: World,
) -> None:
    world.programme_alpha.target_women_share = Decimal("0.6")
    world.programme_alpha.save()
    from tremplin.network.tests.factories import ProgrammeFactory, ProgrammeRunFactory

    other = ProgrammeFactory(organisation=world.alpha, target_women_share=Decimal("0.3"))
    run = ProgrammeRunFactory(programme=other, site=world.north)
    first = make_call(world, "weighted-a")
    second = call_create(
        actor=world.users["officer_a1"],
        run=run,
        slug="weighted-b",
        title="Weighted B",
        opens_on=OPENS,
        closes_on=CLOSES,
        process="passerelles",
    )
    apply(first, [Applicant(4, "selected", "female")] * 3)
    apply(second, [Applicant(4, "selected", "male")])
    gauge = funnel_build(
        user=world.users["officer_a1"], calls=[first, second], dimension=None
    ).gauges[0]
    assert gauge.target == pytest.approx(52.5)  # (3 × 60 + 1 × 30) / 4
    assert (gauge.count, gauge.total, gauge.on_target) == (3, 4, True)


# --- Information sessions -----------------------------------------------------------------


def session(
    w: World, *, day: dt.date, site: str = "north", cancelled: bool = False
) -> InformationSession:
    start = dt.datetime.combine(day, dt.time(14), tzinfo=dt.UTC)
    return InformationSession.objects.create(
        site=getattr(w, site),
        title="Discover",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=30,
        public_key=secrets.token_urlsafe(8),
        status="cancelled" if cancelled else "scheduled",
    )


def register(
    s: InformationSession, count: int, *, present: int = 0, status: str = "registered"
) -> None:
    Registration.objects.bulk_create(
        Registration(
            session=s,
            given_names="Rania",
            family_name=f"Haddad {index}",
            phone=f"+3361111{s.pk % 100:02d}{index:02d}",
            channel="social_media",
            status=status,
            checked_in_at=s.starts_at if index < present else None,
        )
        for index in range(count)
    )


def test_information_sessions_of_the_calls_sites_during_the_call_come_first(
    world: World,
) -> None:
    call = make_call(world, "sessions")
    apply(call, [Applicant(1)] * 3)
    register(session(world, day=OPENS + dt.timedelta(days=5)), 10, present=6)
    register(session(world, day=CLOSES), 2, present=2)
    register(session(world, day=CLOSES), 3, status="cancelled")
    # Not counted: before the call, at another site, a cancelled session.
    register(session(world, day=OPENS - dt.timedelta(days=1)), 4, present=4)
    register(session(world, day=OPENS + dt.timedelta(days=5), site="south"), 4, present=4)
    register(session(world, day=OPENS + dt.timedelta(days=6), cancelled=True), 4)

    funnel = funnel_build(user=world.users["officer_a1"], calls=[call], dimension="gender")
    steps = by_key(funnel)
    assert list(steps)[:3] == ["registered", "attended", "applied"]
    assert steps["registered"] == (12, None, None)
    assert steps["attended"] == (8, pytest.approx(66.67, abs=0.01), None)
    assert steps["applied"][0] == 3
    # Sessions are not broken down: the breakdown starts at the applicants.
    assert funnel.application_steps[0].key == "applied"
    assert len(funnel.breakdown[0].cells) == len(funnel.application_steps)


def test_no_information_session_step_when_there_is_none(world: World) -> None:
    call = make_call(world, "no-sessions")
    apply(call, [Applicant(1)])
    funnel = funnel_build(user=world.users["officer_a1"], calls=[call], dimension=None)
    assert funnel.steps[0].key == "applied"


# --- Several calls --------------------------------------------------------------------------


def test_several_calls_add_up_by_stage_position_and_say_when_their_stages_differ(
    world: World,
) -> None:
    pn = make_call(world, "pn-style")
    simplon = make_call(world, "simplon-style", process="simplon")
    Call.objects.filter(pk=simplon.pk).update(opens_on=OPENS - dt.timedelta(days=365))
    apply(pn, [Applicant(4, "selected"), Applicant(2)])
    apply(simplon, [Applicant(2, "selected"), Applicant(0)])

    funnel = funnel_build(user=world.users["officer_a1"], calls=Call.objects.all(), dimension=None)
    assert funnel.stages_differ is True
    assert funnel.stage_names_from == pn  # the most recent call names the steps
    steps = by_key(funnel)
    assert steps["applied"][0] == 4
    assert steps["stage-1"][0] == 3
    assert steps["stage-2"][0] == 3
    assert steps["stage-3"][0] == 1
    assert steps["selected"][0] == 2
    assert [s.call for s in funnel.summaries] == [pn, simplon]
    assert [(s.applied, s.selected) for s in funnel.summaries] == [("2", "1"), ("2", "1")]

    same = funnel_build(
        user=world.users["officer_a1"], calls=[pn, make_call(world, "pn-again")], dimension=None
    )
    assert same.stages_differ is False


# --- Queries --------------------------------------------------------------------------------


@pytest.mark.parametrize("dimension", [None, "region", "gender"])
def test_the_number_of_queries_does_not_grow_with_the_applications(
    world: World, regions: dict[str, Region], dimension: str | None
) -> None:
    world.programme_alpha.target_women_share = Decimal("0.5")
    world.programme_alpha.save()
    call = make_call(world, "queries")
    register(session(world, day=OPENS), 3, present=1)
    choices = itertools.cycle(
        [
            Applicant(0, "rejected", "male", regions["59"]),
            Applicant(2, "in_progress", "female", regions["62"], True),
            Applicant(4, "selected", "female", None, channel="school"),
            Applicant(3, "waitlisted", "another", regions["59"], age_band="26_30"),
        ]
    )
    apply(call, [next(choices) for _i in range(10)])
    user = world.users["officer_a1"]
    funnel_build(user=user, calls=[call], dimension=dimension)  # the user's roles, read once
    with CaptureQueriesContext(connection) as few:
        small = funnel_build(user=user, calls=[call], dimension=dimension)
    apply(call, [next(choices) for _i in range(290)])
    with CaptureQueriesContext(connection) as many:
        large = funnel_build(user=user, calls=[call], dimension=dimension)
    assert small.applied == 10
    assert large.applied == 300
    assert len(many) == len(few) <= 7
    grouped = [
        q["sql"] for q in many if "GROUP BY" in q["sql"] and "selection_application" in q["sql"]
    ]
    assert len(grouped) == 1


def test_the_pages_answer_in_a_constant_number_of_queries(
    world: World, regions: dict[str, Region]
) -> None:
    call = small_call(world, regions)
    client = world.client_for("officer_a1")
    url = f"/selection/calls/{call.pk}/funnel/?dimension=region"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    apply(call, [Applicant(2, region=regions["62"])] * 50)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as overview_few:
        client.get("/selection/funnel/?dimension=gender")
    small_call_b = make_call(world, "second-call")
    apply(small_call_b, [Applicant(1)] * 30)
    with CaptureQueriesContext(connection) as overview_many:
        client.get("/selection/funnel/?dimension=gender")
    assert len(overview_many) == len(overview_few)


# --- Who sees what --------------------------------------------------------------------------


def test_a_manager_of_beta_never_sees_the_funnel_of_an_alpha_call(
    world: World, regions: dict[str, Region]
) -> None:
    call = small_call(world, regions)
    client = world.client_for("manager_b1")
    assert client.get(f"/selection/calls/{call.pk}/funnel/").status_code == 404
    assert client.get(f"/selection/funnel/?call={call.pk}").status_code == 404
    overview = client.get("/selection/funnel/")
    assert overview.status_code == 200
    assert "Call small" not in overview.content.decode()
    empty = funnel_build(user=world.users["manager_b1"], calls=[call], dimension=None)
    assert empty.calls == []
    assert empty.steps == []


def test_the_officer_of_north_sees_only_the_calls_of_north(world: World) -> None:
    north = make_call(world, "at-north")
    make_call(world, "at-south", run="run_south")
    make_call(world, "at-beta", run="run_beta")
    assert list(funnel_calls(user=world.users["officer_a1"])) == [north]
    assert funnel_calls(user=world.users["admin_a"]).count() == 2
    assert funnel_calls(user=world.users["funder_a"]).count() == 2
    assert funnel_calls(user=world.users["trainer_a1"]).count() == 0


def test_a_funder_sees_the_funnel_of_their_organisation_with_small_cells_hidden(
    world: World, regions: dict[str, Region]
) -> None:
    call = small_call(world, regions)
    funder = world.users["funder_a"]
    funnel = funnel_build(user=funder, calls=funnel_calls(user=funder), dimension="gender")
    assert funnel.suppressed is True
    shown = {s.key: s.total.shown for s in funnel.steps}
    assert shown == {
        "applied": "20",
        "stage-1": "16",
        "stage-2": "10",
        "stage-3": "6",
        "stage-4": "< 5",
        "selected": "< 5",
    }
    selected = funnel.steps[-1].total
    assert (selected.from_previous, selected.from_applied, selected.bar) == (None, None, "")
    # A hidden step hides the rate of the next one too.
    stage_4 = funnel.steps[-2].total
    assert stage_4.from_previous is None
    # In the breakdown: the small cells, and a second one where only one would be hidden.
    applied = {row.value.label: row.cells[0].shown for row in funnel.breakdown}
    assert applied == {"Female": "10", "Male": "hidden", "Not known": "< 5"}
    stage_3 = {row.value.label: row.cells[3].shown for row in funnel.breakdown}
    assert stage_3 == {"Female": "< 5", "Male": "< 5", "Not known": "0"}
    assert all(
        row.cells[3].share_of_step is None for row in funnel.breakdown if row.cells[3].hidden
    )
    # Gauges with too few people say so rather than show a share.
    world.programme_alpha.target_women_share = Decimal("0.5")
    world.programme_alpha.save()
    gauge = funnel_build(user=funder, calls=[call], dimension=None).gauges[0]
    assert gauge.share is None
    assert gauge.verdict == "Too few people to show without identifying anyone."
    # The same call, for its officer: every number.
    officer = funnel_build(user=world.users["officer_a1"], calls=[call], dimension="gender")
    assert officer.suppressed is False
    assert officer.steps[-1].total.shown == "3"


def test_a_funder_gets_the_overview_without_links_and_not_a_calls_own_page(
    world: World, regions: dict[str, Region]
) -> None:
    call = small_call(world, regions)
    client = world.client_for("funder_a")
    response = client.get("/selection/funnel/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Counts under 5 are hidden" in html
    assert "Call small" in html
    assert f"/selection/calls/{call.pk}/funnel/" not in html
    assert client.get(f"/selection/calls/{call.pk}/funnel/").status_code == 403


# --- The pages --------------------------------------------------------------------------------


def test_the_pages_render_for_the_officer_with_chart_table_breakdown_and_gauges(
    world: World, regions: dict[str, Region]
) -> None:
    world.programme_alpha.target_women_share = Decimal("0.5")
    world.programme_alpha.save()
    call = small_call(world, regions)
    client = world.client_for("officer_a1")

    response = client.get(f"/selection/calls/{call.pk}/funnel/", {"dimension": "region"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Call small" in html
    assert "Passed: Written exams" in html
    assert "Breakdown: Region or province" in html
    assert "Pas-de-Calais" in html
    assert "On target: 66.7 % for a target of 50 %." in html
    assert 'class="funnel-bar"' in html
    assert 'role="img"' in html
    assert 'class="table align-middle table-stack funnel-table"' in html
    assert 'data-label="Passed: Written exams"' in html
    assert "style=" not in html  # strict CSP: no inline style

    overview = client.get("/selection/funnel/", {"call": call.pk, "dimension": "nonsense"})
    assert overview.status_code == 200
    page = overview.content.decode()
    assert f'href="/selection/calls/{call.pk}/funnel/"' in page
    assert "Breakdown:" not in page  # an unknown dimension is ignored
    assert "style=" not in page


def test_the_page_reads_right_to_left_in_arabic(world: World, regions: dict[str, Region]) -> None:
    call = small_call(world, regions)
    client = world.client_for("officer_a1")
    client.cookies["tremplin_language"] = "ar"
    html = client.get(f"/selection/calls/{call.pk}/funnel/").content.decode()
    assert 'dir="rtl"' in html
    assert 'class="funnel-bar"' in html
