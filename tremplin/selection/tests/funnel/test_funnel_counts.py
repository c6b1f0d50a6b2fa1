"""The selection funnel: counts and rates at each step, broken down by who the applicants
are, gauges against the programme's targets, information sessions, several calls together."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import World
from tremplin.network.models import Region
from tremplin.selection.funnel.build import funnel_build
from tremplin.selection.models import Call
from tremplin.selection.services.calls import call_create
from tremplin.selection.tests.funnel.builders import (
    CLOSES,
    OPENS,
    Applicant,
    apply,
    by_key,
    make_call,
    register,
    session,
    small_call,
)

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
    world.programme_alpha.asks_priority_neighbourhood = True
    world.programme_alpha.save()
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
    programme.asks_priority_neighbourhood = True
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
