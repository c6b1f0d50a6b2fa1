"""Early warning's arithmetic: whether a rule fires on a learner's marks, and what fired in
plain words. No model and no database here (docs/architecture.md, "pure computation
apart"): services/alert_checks.py reads the marks and raises the alerts.

- *Absences in a row*: the learner's latest marks, newest first, are absences ("excused"
  neither counts nor breaks the run).
- *Rate below X % over W weeks*: present and late over every marked session of the last W
  weeks, once at least ``MIN_MARKED`` sessions are marked (one missed first session is not
  a rate).
- *Late N times in W weeks*: marks "late" in the last W weeks.

``after`` is the latest session a closed alert of the same rule already counted: a new
alert needs marks after it (a new run of absences, new late marks, a rate that still falls
short with a session since).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

ABSENCES_IN_A_ROW = "absences_in_a_row"
RATE_BELOW = "rate_below"
LATE_TIMES = "late_times"

ATTENDED = frozenset({"present", "late"})
MIN_MARKED = 3

# The rules a programme has until its managers change them: (kind, count, percent, weeks,
# in use). Lateness is offered switched off.
DEFAULT_RULES: tuple[tuple[str, int | None, int | None, int | None, bool], ...] = (
    (ABSENCES_IN_A_ROW, 3, None, None, True),
    (RATE_BELOW, None, 80, 4, True),
    (LATE_TIMES, 4, None, 4, False),
)


@dataclass(frozen=True)
class MarkSeen:
    """One mark of the learner: when its session started, its local day, its status."""

    at: dt.datetime
    day: dt.date
    status: str


@dataclass(frozen=True)
class Finding:
    """A rule that fired: what it saw (``facts``, JSON) and the latest session it counted."""

    facts: dict[str, Any]
    evidence_until: dt.datetime


def _absences(marks: Sequence[MarkSeen], count: int, after: dt.datetime | None) -> Finding | None:
    run: list[MarkSeen] = []
    for mark in reversed(marks):
        if after is not None and mark.at <= after:
            break
        if mark.status == "excused":
            continue
        if mark.status != "absent":
            break
        run.append(mark)
    if len(run) < count:
        return None
    facts = {"kind": ABSENCES_IN_A_ROW, "absences": len(run), "since": run[-1].day.isoformat()}
    return Finding(facts=facts, evidence_until=run[0].at)


def _window(marks: Sequence[MarkSeen], weeks: int, now: dt.datetime) -> list[MarkSeen]:
    since = now - dt.timedelta(weeks=weeks)
    return [m for m in marks if since < m.at <= now]


def _rate(
    marks: Sequence[MarkSeen], percent: int, weeks: int, now: dt.datetime, after: dt.datetime | None
) -> Finding | None:
    window = _window(marks, weeks, now)
    if len(window) < MIN_MARKED:
        return None
    latest = max(m.at for m in window)
    if after is not None and latest <= after:
        return None
    attended = sum(1 for m in window if m.status in ATTENDED)
    if attended * 100 >= percent * len(window):
        return None
    facts = {
        "kind": RATE_BELOW,
        "attended": attended,
        "marked": len(window),
        "rate": attended * 100 // len(window),
        "weeks": weeks,
    }
    return Finding(facts=facts, evidence_until=latest)


def _late(
    marks: Sequence[MarkSeen], count: int, weeks: int, now: dt.datetime, after: dt.datetime | None
) -> Finding | None:
    late = [
        m
        for m in _window(marks, weeks, now)
        if m.status == "late" and (after is None or m.at > after)
    ]
    if len(late) < count:
        return None
    facts = {"kind": LATE_TIMES, "late": len(late), "weeks": weeks}
    return Finding(facts=facts, evidence_until=max(m.at for m in late))


def evaluate(
    *,
    kind: str,
    count: int | None,
    percent: int | None,
    weeks: int | None,
    marks: Sequence[MarkSeen],
    now: dt.datetime,
    after: dt.datetime | None = None,
) -> Finding | None:
    """Whether the rule fires on ``marks`` (oldest first, sessions started by ``now``)."""
    past = [m for m in marks if m.at <= now]
    if kind == ABSENCES_IN_A_ROW and count:
        return _absences(past, count, after)
    if kind == RATE_BELOW and percent and weeks:
        return _rate(past, percent, weeks, now, after)
    if kind == LATE_TIMES and count and weeks:
        return _late(past, count, weeks, now, after)
    return None


def _period(weeks: int) -> str:
    return ngettext("the last week", "the last %(weeks)d weeks", weeks) % {"weeks": weeks}


def rule_words(kind: str, *, count: int | None, percent: int | None, weeks: int | None) -> str:
    """A rule in words: "3 absences in a row"."""
    if kind == ABSENCES_IN_A_ROW:
        n = count or 0
        return ngettext("%(count)d absence in a row", "%(count)d absences in a row", n) % {
            "count": n
        }
    if kind == RATE_BELOW:
        return _("Attendance below %(percent)d %% over %(period)s") % {
            "percent": percent or 0,
            "period": _period(weeks or 0),
        }
    if kind == LATE_TIMES:
        n = count or 0
        return ngettext(
            "Late %(count)d time in %(period)s", "Late %(count)d times in %(period)s", n
        ) % {"count": n, "period": _period(weeks or 0)}
    return kind


def finding_words(facts: dict[str, Any]) -> str:
    """What fired, in words: "Absent 4 times in a row, since 12 November 2026"."""
    kind = facts.get("kind")
    if kind == ABSENCES_IN_A_ROW:
        since = dt.date.fromisoformat(str(facts.get("since")))
        n = int(facts.get("absences", 0))
        return ngettext(
            "Absent %(count)d time in a row, since %(date)s",
            "Absent %(count)d times in a row, since %(date)s",
            n,
        ) % {"count": n, "date": formats.date_format(since, "DATE_FORMAT")}
    if kind == RATE_BELOW:
        marked = int(facts.get("marked", 0))
        return ngettext(
            "Came to %(attended)d of %(marked)d session (%(rate)d %%) in %(period)s",
            "Came to %(attended)d of %(marked)d sessions (%(rate)d %%) in %(period)s",
            marked,
        ) % {
            "attended": int(facts.get("attended", 0)),
            "marked": marked,
            "rate": int(facts.get("rate", 0)),
            "period": _period(int(facts.get("weeks", 0))),
        }
    if kind == LATE_TIMES:
        n = int(facts.get("late", 0))
        return ngettext(
            "Late %(count)d time in %(period)s", "Late %(count)d times in %(period)s", n
        ) % {"count": n, "period": _period(int(facts.get("weeks", 0)))}
    return ""
