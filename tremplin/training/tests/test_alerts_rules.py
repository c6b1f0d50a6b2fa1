"""Early warning's arithmetic (no database): when each kind of rule fires, and what it says."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from tremplin.training.early_warning import (
    ABSENCES_IN_A_ROW,
    LATE_TIMES,
    RATE_BELOW,
    MarkSeen,
    evaluate,
    finding_words,
    rule_words,
)

NOW = dt.datetime(2026, 11, 27, 18, tzinfo=dt.UTC)


def marks(*statuses: str, every: int = 1) -> list[MarkSeen]:
    """One mark a day (or every `every` days) up to yesterday, oldest first."""
    first = NOW - dt.timedelta(days=every * len(statuses))
    seen = []
    for index, status in enumerate(statuses):
        at = first + dt.timedelta(days=every * index)
        seen.append(MarkSeen(at=at, day=at.date(), status=status))
    return seen


def absences(seen: list[MarkSeen], count: int = 3, after: dt.datetime | None = None):  # type: ignore[no-untyped-def]
    return evaluate(
        kind=ABSENCES_IN_A_ROW,
        count=count,
        percent=None,
        weeks=None,
        marks=seen,
        now=NOW,
        after=after,
    )


def test_three_absences_in_a_row_fire_and_two_do_not() -> None:
    assert absences(marks("present", "absent", "absent")) is None
    finding = absences(marks("present", "absent", "absent", "absent"))
    assert finding is not None
    assert finding.facts["absences"] == 3


def test_an_excused_absence_neither_counts_nor_breaks_the_run() -> None:
    assert absences(marks("absent", "excused", "absent")) is None
    finding = absences(marks("absent", "excused", "absent", "absent"))
    assert finding is not None
    assert finding.facts["absences"] == 3


def test_a_presence_at_the_end_breaks_the_run() -> None:
    assert absences(marks("absent", "absent", "absent", "late")) is None


def test_a_closed_alert_is_not_raised_again_from_the_same_absences() -> None:
    seen = marks(*["absent"] * 6)
    first = absences(seen[:3])
    assert first is not None
    assert absences(seen[:3], after=first.evidence_until) is None
    # Three new absences after the ones already counted: a new run, a new alert.
    assert absences(seen, after=first.evidence_until) is not None
    assert absences(seen[:5], after=first.evidence_until) is None


def test_rate_counts_present_and_late_over_every_marked_session() -> None:
    rule = {"kind": RATE_BELOW, "count": None, "percent": 80, "weeks": 4}
    # 4 of 5 attended = 80 %: not below.
    assert (
        evaluate(**rule, marks=marks("present", "late", "absent", "present", "present"), now=NOW)
        is None
    )
    finding = evaluate(
        **rule, marks=marks("present", "excused", "absent", "present", "late"), now=NOW
    )
    assert finding is not None
    assert finding.facts == {"kind": RATE_BELOW, "attended": 3, "marked": 5, "rate": 60, "weeks": 4}


def test_rate_looks_only_at_the_last_weeks_and_needs_a_few_sessions() -> None:
    rule = {"kind": RATE_BELOW, "count": None, "percent": 80, "weeks": 2}
    old_absences = marks("absent", "absent", "absent", "present", "present", "present", every=5)
    # Within two weeks: present, present (and one at 15 days, outside).
    assert evaluate(**rule, marks=old_absences, now=NOW) is None
    assert evaluate(**rule, marks=marks("absent", "absent"), now=NOW) is None


def test_late_n_times_in_w_weeks() -> None:
    rule = {"kind": LATE_TIMES, "count": 3, "percent": None, "weeks": 1}
    assert evaluate(**rule, marks=marks("late", "present", "late"), now=NOW) is None
    finding = evaluate(**rule, marks=marks("late", "late", "present", "late"), now=NOW)
    assert finding is not None
    assert finding.facts["late"] == 3


def test_future_sessions_are_not_counted() -> None:
    future = [
        MarkSeen(at=NOW + dt.timedelta(days=d), day=NOW.date(), status="absent") for d in (1, 2, 3)
    ]
    assert absences(future) is None


def test_rules_and_findings_in_words_in_french_and_arabic() -> None:
    assert rule_words(ABSENCES_IN_A_ROW, count=3, percent=None, weeks=None) == "3 absences in a row"
    assert rule_words(RATE_BELOW, count=None, percent=80, weeks=4) == (
        "Attendance below 80 % over the last 4 weeks"
    )
    facts = {"kind": ABSENCES_IN_A_ROW, "absences": 3, "since": "2026-11-17"}
    assert finding_words(facts) == "Absent 3 times in a row, since 17 November 2026"
    with translation.override("fr"):
        assert "absences d\u2019affilée" in rule_words(
            ABSENCES_IN_A_ROW, count=3, percent=None, weeks=None
        )
        assert "17 novembre 2026" in finding_words(facts)
    with translation.override("ar"):
        words = finding_words(facts)
        assert "Absent" not in words
        assert "2026" in words
