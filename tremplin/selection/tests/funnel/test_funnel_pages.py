"""The selection funnel: a constant number of queries, who sees it (funders with small cells
hidden), and its pages."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import World
from tremplin.network.models import Region
from tremplin.selection.funnel.build import funnel_build
from tremplin.selection.selectors import funnel_calls
from tremplin.selection.tests.funnel.builders import (
    OPENS,
    Applicant,
    apply,
    make_call,
    register,
    session,
    small_call,
)

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


def test_the_priority_neighbourhood_breakdown_is_offered_only_where_the_programme_asks(
    world: World, regions: dict[str, Region]
) -> None:
    from tremplin.network.models import Programme

    Programme.objects.filter(pk=world.programme_alpha.pk).update(
        asks_priority_neighbourhood=False, target_priority_share=None
    )
    call = small_call(world, regions)
    client = world.client_for("officer_a1")
    url = f"/selection/calls/{call.pk}/funnel/"

    page = client.get(url, {"dimension": "priority_neighbourhood"}).content.decode()
    assert 'value="priority_neighbourhood"' not in page
    assert "Breakdown:" not in page
    assert "From a priority neighbourhood" not in page
    overview = client.get("/selection/funnel/", {"call": call.pk}).content.decode()
    assert 'value="priority_neighbourhood"' not in overview

    Programme.objects.filter(pk=world.programme_alpha.pk).update(asks_priority_neighbourhood=True)
    page = client.get(url, {"dimension": "priority_neighbourhood"}).content.decode()
    assert 'value="priority_neighbourhood"' in page
    assert "Breakdown: Priority neighbourhood" in page
    assert "From a priority neighbourhood" in page
