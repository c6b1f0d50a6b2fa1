"""Weekly patterns: the dates they make, the holidays they skip (and say which), and the
all-or-nothing generation when a date clashes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.training.models import Holiday, Session, WeeklyPattern
from tremplin.training.services.patterns import PatternData, pattern_generate, pattern_plan
from tremplin.training.services.recurrence import (
    DayOff,
    holidays_skip,
    pattern_dates,
    pattern_end,
    weekdays_text,
)
from tremplin.training.services.timetable import session_save
from tremplin.training.tests.timetable_fixtures import (
    HALF_PAST_TWELVE,
    MONDAY,
    NINE,
    Timetable,
    session_data,
    timetable_world,
)

MON_THU = [0, 1, 2, 3]


def test_mon_to_thu_for_six_weeks_is_24_dates() -> None:
    last = pattern_end(starts_on=MONDAY, weeks=6)
    assert last == dt.date(2026, 11, 15)  # the Sunday of the sixth week
    dates = pattern_dates(weekdays=MON_THU, starts_on=MONDAY, ends_on=last)
    assert len(dates) == 24
    assert dates[0] == MONDAY
    assert dates[-1] == dt.date(2026, 11, 12)
    assert {d.weekday() for d in dates} == set(MON_THU)


def test_a_pattern_starting_midweek_begins_at_the_first_matching_day() -> None:
    dates = pattern_dates(
        weekdays=[0], starts_on=dt.date(2026, 10, 7), ends_on=dt.date(2026, 10, 20)
    )
    assert dates == [dt.date(2026, 10, 12), dt.date(2026, 10, 19)]


def test_no_dates_when_the_end_is_before_the_start() -> None:
    assert pattern_dates(weekdays=MON_THU, starts_on=MONDAY, ends_on=dt.date(2026, 10, 1)) == []


def test_holidays_are_skipped_with_their_name() -> None:
    dates = pattern_dates(weekdays=MON_THU, starts_on=MONDAY, ends_on=dt.date(2026, 10, 25))
    kept, skipped = holidays_skip(
        dates, [DayOff("Toussaint", dt.date(2026, 10, 19), dt.date(2026, 10, 30))]
    )
    assert len(kept) == 8
    assert [s.date for s in skipped] == [dt.date(2026, 10, d) for d in (19, 20, 21, 22)]
    assert {s.holiday for s in skipped} == {"Toussaint"}


def test_weekdays_text_reads_only_digits_of_the_week() -> None:
    assert weekdays_text("3102") == [0, 1, 2, 3]
    assert weekdays_text("79x") == []


@pytest.fixture
def t(world: World) -> Timetable:
    return timetable_world(world)


def _pattern(t: Timetable, **changes: object) -> PatternData:
    values: dict[str, object] = {
        "weekdays": MON_THU,
        "starts_at": NINE,
        "ends_at": HALF_PAST_TWELVE,
        "starts_on": MONDAY,
        "ends_on": pattern_end(starts_on=MONDAY, weeks=6),
        "module": t.module,
        "room": t.room,
        "trainers": [t.awa],
    }
    values.update(changes)
    return PatternData(**values)  # type: ignore[arg-type]


def test_generating_skips_holidays_of_the_organisation_and_the_site(
    t: Timetable, world: World
) -> None:
    Holiday.objects.create(
        organisation=world.alpha,
        name="Armistice",
        starts_on=dt.date(2026, 11, 11),
        ends_on=dt.date(2026, 11, 11),
    )
    Holiday.objects.create(
        organisation=world.alpha,
        site=world.north,
        name="Journée pédagogique",
        starts_on=dt.date(2026, 10, 6),
        ends_on=dt.date(2026, 10, 6),
    )
    Holiday.objects.create(  # another site's holiday does not count here
        organisation=world.alpha,
        site=world.south,
        name="South only",
        starts_on=dt.date(2026, 10, 7),
        ends_on=dt.date(2026, 10, 7),
    )
    pattern, plan = pattern_generate(
        actor=t.manager, cohort=t.cohort, data=_pattern(t), skip_clashes=False
    )
    assert [(s.date.day, s.holiday) for s in plan.holidays] == [
        (6, "Journée pédagogique"),
        (11, "Armistice"),
    ]
    assert pattern.sessions.count() == 22
    assert Session.objects.filter(trainers=t.awa).count() == 22
    assert pattern.weekdays == "0123"
    event = AuditEvent.objects.get(action=AuditAction.SESSIONS_GENERATED)
    assert event.changes["sessions"] == 22
    assert event.changes["holidays_skipped"] == ["2026-10-06", "2026-11-11"]


def test_a_clash_stops_the_whole_pattern(t: Timetable) -> None:
    session_save(actor=t.manager, cohort=t.other, data=session_data(t, date=dt.date(2026, 10, 14)))
    with translation.override("en"):
        plan = pattern_plan(actor=t.manager, cohort=t.cohort, data=_pattern(t))
        assert list(plan.clashes) == [dt.date(2026, 10, 14)]
        messages = [c.message for c in plan.clashes[dt.date(2026, 10, 14)]]
        assert (
            "Awa Diop already teaches Cohort Y from 9:00 to 12:30 on Wednesday 14 October."
            in messages
        )
        with pytest.raises(ValidationError):
            pattern_generate(actor=t.manager, cohort=t.cohort, data=_pattern(t), skip_clashes=False)
    assert not WeeklyPattern.objects.exists()
    assert Session.objects.filter(cohort=t.cohort).count() == 0


def test_the_user_may_leave_the_clashing_dates_out(t: Timetable) -> None:
    session_save(actor=t.manager, cohort=t.other, data=session_data(t, date=dt.date(2026, 10, 14)))
    pattern, plan = pattern_generate(
        actor=t.manager, cohort=t.cohort, data=_pattern(t), skip_clashes=True
    )
    assert plan.left_out == [dt.date(2026, 10, 14)]
    assert pattern.sessions.count() == 23
    assert "2026-10-14" in pattern.skipped


def test_a_pattern_outside_the_cohorts_dates_is_refused(t: Timetable) -> None:
    with pytest.raises(ValidationError) as exc:
        pattern_plan(
            actor=t.manager, cohort=t.cohort, data=_pattern(t, ends_on=dt.date(2027, 2, 1))
        )
    assert "ends_on" in exc.value.message_dict


def test_preview_on_the_page_writes_nothing_and_generate_writes_all(
    t: Timetable, world: World
) -> None:
    client = world.client_for("manager_a1")
    url = reverse("training:pattern-create", kwargs={"cohort_id": t.cohort.pk})
    form = {
        "weekdays": ["0", "1", "2", "3"],
        "starts_at": "09:00",
        "ends_at": "12:30",
        "starts_on": "2026-10-05",
        "weeks": "6",
        "room": t.room.pk,
        "trainers": [t.awa.pk],
    }
    with translation.override("en"):
        preview = client.post(url, {**form, "action": "preview"})
    assert preview.status_code == 200
    assert len(preview.context["plan"].dates) == 24
    assert "Generate 24 sessions" in preview.content.decode()
    assert not Session.objects.exists()
    done = client.post(url, {**form, "action": "generate"})
    assert done.status_code == 302
    assert "week=2026-10-05" in done["Location"]
    assert Session.objects.filter(cohort=t.cohort).count() == 24


def test_the_page_asks_for_weeks_or_a_last_day(t: Timetable, world: World) -> None:
    client = world.client_for("manager_a1")
    url = reverse("training:pattern-create", kwargs={"cohort_id": t.cohort.pk})
    response = client.post(
        url,
        {
            "weekdays": ["0"],
            "starts_at": "09:00",
            "ends_at": "08:00",
            "starts_on": "2026-10-05",
            "room": t.room.pk,
            "action": "preview",
        },
    )
    errors = response.context["form"].errors
    assert "weeks" in errors
    assert "ends_at" in errors
