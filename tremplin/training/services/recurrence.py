"""The dates of a weekly pattern, and those that holidays take: pure computation, no database.

"Mon–Thu for 6 weeks from Monday 5 October" is every Monday, Tuesday, Wednesday and Thursday
from 5 October to the Sunday of the sixth week. Weekdays count from Monday (0) to Sunday (6),
as ``datetime.date.weekday`` does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# A pattern runs for at most this many days (about two school years): a typo in a year
# should not make thousands of sessions.
MAX_PATTERN_DAYS = 2 * 366


@dataclass(frozen=True)
class DayOff:
    """A holiday as recurrence sees it: a name and its first and last days."""

    name: str
    starts_on: dt.date
    ends_on: dt.date


@dataclass(frozen=True)
class SkippedDate:
    date: dt.date
    holiday: str


def pattern_end(*, starts_on: dt.date, weeks: int) -> dt.date:
    """The last day of ``weeks`` weeks from ``starts_on`` (6 weeks from a Monday: a Sunday)."""
    return starts_on + dt.timedelta(weeks=weeks, days=-1)


def pattern_dates(
    *, weekdays: Iterable[int], starts_on: dt.date, ends_on: dt.date
) -> list[dt.date]:
    """Every date from ``starts_on`` to ``ends_on`` (both included) on one of ``weekdays``."""
    days = set(weekdays)
    if ends_on < starts_on or not days:
        return []
    span = min((ends_on - starts_on).days, MAX_PATTERN_DAYS)
    every = (starts_on + dt.timedelta(days=n) for n in range(span + 1))
    return [date for date in every if date.weekday() in days]


def holidays_skip(
    dates: Sequence[dt.date], holidays: Iterable[DayOff]
) -> tuple[list[dt.date], list[SkippedDate]]:
    """The dates kept, and those that fall on a holiday (with the holiday's name)."""
    ordered = sorted(holidays, key=lambda h: (h.starts_on, h.name))
    kept: list[dt.date] = []
    skipped: list[SkippedDate] = []
    for date in dates:
        holiday = next((h for h in ordered if h.starts_on <= date <= h.ends_on), None)
        if holiday is None:
            kept.append(date)
        else:
            skipped.append(SkippedDate(date, holiday.name))
    return kept, skipped


def weekdays_text(weekdays: str) -> list[int]:
    """ "0123" → [0, 1, 2, 3]: the weekdays a pattern keeps as digits."""
    return sorted({int(c) for c in weekdays if c.isdigit() and int(c) < 7})
