"""The explanations as they were computed before docs/decisions/0023: every class with members
left out solved again with one more of them forced in (about 560 solver runs for 10,452
applicants). Kept unchanged as the reference the one-pass explanations must agree with
(test_cohort_explanations.py). Not used by the application."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from django.utils.translation import gettext as _

from tremplin.core.numbers import number_text
from tremplin.selection.cohort.checking import check_rows
from tremplin.selection.cohort.conflicts import conflict
from tremplin.selection.cohort.milp import Outcome, Status
from tremplin.selection.cohort.model import Built, Solved, build, class_totals, optimise
from tremplin.selection.cohort.preparation import Prepared, Row
from tremplin.selection.cohort.problem import Check, Choice, Code, Must, RuleKind

# Two scores closer than this count as equal (scores are typically given to 2 decimals).
SCORE_TOLERANCE = 1e-6


def explain(
    prep: Prepared, solved: Solved, assignment: Mapping[int, str]
) -> tuple[tuple[Choice, ...], int]:
    problem = prep.problem
    applicants = problem.applicants
    change, solves = _score_changes(prep, solved, assignment)

    brought = _brought_in(prep, solved, assignment)
    solves += 1 if brought is not None else 0
    checks = {c.key: c for c in check_rows(prep, assignment)}
    lowest_at: dict[str, float] = {}
    for member, site in assignment.items():
        score = applicants[member].score
        lowest_at[site] = min(lowest_at.get(site, score), score)

    waiting = sorted(
        (m for m, delta in change.items() if delta is not None), key=lambda m: prep.order[m]
    )
    rank_of = {member: rank for rank, member in enumerate(waiting, start=1)}
    choices = []
    for index, applicant in enumerate(applicants):
        if index in assignment:
            site = assignment[index]
            floors = brought.get(index, ()) if brought is not None else ()
            code, reason = _why_in(prep, index, site, floors)
            choices.append(
                Choice(
                    id=applicant.id,
                    score=applicant.score,
                    selected=True,
                    site=site,
                    code=code,
                    reason=reason,
                    brought_in_by=floors,
                )
            )
            continue
        if applicant.must == Must.EXCLUDE:
            choices.append(
                Choice(
                    id=applicant.id,
                    score=applicant.score,
                    selected=False,
                    site="",
                    code=Code.EXCLUDED,
                    reason=_("The committee decided not to select this applicant."),
                )
            )
            continue
        delta = change.get(index)
        code, reason = _why_out(prep, index, delta, checks, assignment, lowest_at)
        choices.append(
            Choice(
                id=applicant.id,
                score=applicant.score,
                selected=False,
                site="",
                code=code,
                reason=reason,
                score_change=delta,
                waitlist_rank=rank_of.get(index),
            )
        )
    return tuple(choices), solves


def _score_changes(
    prep: Prepared, solved: Solved, assignment: Mapping[int, str]
) -> tuple[dict[int, float | None], int]:
    """For each applicant left out, the smallest rise of their score that would select them
    (None: no rise can); and how many times the solver ran."""
    applicants = prep.problem.applicants
    best = solved.outcome.objective
    solves = 0
    chosen = {number: 0 for number in range(len(prep.classes))}
    for member in assignment:
        chosen[prep.class_of[member]] += 1

    # Value of the best cohort that has one more member of class c on top of ``chosen`` others
    # from it at most: exact for every left-out member of c ranked below what it uses.
    change: dict[int, float | None] = {}
    base = build(prep, take=solved.take)
    model = base.model
    for number, klass in enumerate(prep.classes):
        left_out = [m for m in klass.members if m not in assignment]
        if not left_out:
            continue
        model.set_row_bounds(base.link_row[number], 1.0, 1.0)
        forced = model.solve()
        solves += 1
        if forced.status == Status.OPTIMAL and not _tails_unused(base, forced):
            again = optimise(prep, solved.take, extra={number: 1})
            solves += again.solves
            forced = again.outcome
            forced_built = again.built
        else:
            forced_built = base
        if forced.status != Status.OPTIMAL:
            model.set_row_bounds(base.link_row[number], 0.0, 0.0)
            for member in left_out:
                change[member] = None
            continue
        others = class_totals(forced_built, forced.values)[number] - 1
        for rank, member in enumerate(klass.members):
            if member in assignment:
                continue
            value, more = _forced_value(prep, solved, base, forced, number, rank, others)
            solves += more
            if value is None:
                change[member] = None
            else:
                change[member] = max(0.0, best - (applicants[member].score + value))
        model.set_row_bounds(base.link_row[number], 0.0, 0.0)
    return change, solves


def _tails_unused(built: Built, outcome: Outcome) -> bool:
    return all(outcome.values[column] <= 1e-7 for column in built.tail.values())


def _forced_value(
    prep: Prepared,
    solved: Solved,
    base: Built,
    forced: Outcome,
    number: int,
    rank: int,
    others: int,
) -> tuple[float | None, int]:
    """The best total of a cohort that takes one more member of class ``number`` than the
    member ranked ``rank`` in it (``forced``: the best with one more, taking ``others`` besides);
    and how many times the solver ran. None: no such cohort keeps every rule."""
    if rank >= others:
        return forced.objective, 0
    if rank >= base.segment_count[number]:
        redo = _optimise_without(prep, solved, number, rank)
        return (
            redo.outcome.objective if redo.outcome.status == Status.OPTIMAL else None
        ), redo.solves
    # Ranked within what the forced cohort takes from the class: without its own segment,
    # solve again.
    model = base.model
    column = base.segment_start[number] + rank
    model.set_column_bounds(column, 0.0, 0.0)
    alone = model.solve()
    solves = 1
    model.set_column_bounds(column, 0.0, 1.0)
    if alone.status == Status.OPTIMAL and not _tails_unused(base, alone):
        redo = _optimise_without(prep, solved, number, rank)
        solves += redo.solves
        alone = redo.outcome
    return (alone.objective if alone.status == Status.OPTIMAL else None), solves


def _optimise_without(prep: Prepared, solved: Solved, number: int, rank: int) -> Solved:
    """The best cohort with one more member of class ``number``, its member ranked ``rank``
    left out."""
    scores = [k.scores for k in prep.classes]
    scores[number] = np.delete(prep.classes[number].scores, rank)
    return optimise(prep, solved.take, scores=scores, extra={number: 1})


def _brought_in(
    prep: Prepared, solved: Solved, assignment: Mapping[int, str]
) -> dict[int, tuple[str, ...]] | None:
    """Who is in only because of a floor: the best cohort without any floor leaves them out."""
    floors = [row for row in prep.rows if row.kind in (RuleKind.MIN_COUNT, RuleKind.MIN_SHARE)]
    if not floors:
        return {}
    free = optimise(prep, solved.take, skip=[row.key for row in floors])
    if free.outcome.status != Status.OPTIMAL:
        return None
    without = {
        member
        for number, total in enumerate(class_totals(free.built, free.outcome.values))
        for member in prep.classes[number].members[:total]
    }
    column = {name: i for i, name in enumerate(prep.attributes)}
    result: dict[int, tuple[str, ...]] = {}
    for member, site in assignment.items():
        if member in without:
            continue
        klass = prep.classes[prep.class_of[member]]
        labels = tuple(
            row.label
            for row in floors
            if klass.values[column[row.attribute]] == row.value and row.site in (None, site)
        )
        result[member] = labels
    return result


def _why_in(prep: Prepared, member: int, site: str, floors: tuple[str, ...]) -> tuple[Code, str]:
    applicant = prep.problem.applicants[member]
    if applicant.must == Must.INCLUDE:
        return Code.INCLUDED, _("The committee chose to include this applicant.")
    if floors:
        return Code.RULE, _(
            "Brought in by the rule: %(rules)s. Without it, higher scores would take this seat."
        ) % {"rules": "; ".join(floors)}
    klass = prep.classes[prep.class_of[member]]
    if site and len(klass.sites) > 1 and site != klass.sites[0]:
        return Code.SCORE, _(
            "Selected on score, at their choice number %(rank)s (%(site)s): the seats at their "
            "first choice went to higher scores."
        ) % {"rank": klass.sites.index(site) + 1, "site": site}
    return Code.SCORE, _("Selected on score.")


def _why_out(
    prep: Prepared,
    member: int,
    delta: float | None,
    checks: Mapping[str, Check],
    assignment: Mapping[int, str],
    lowest_at: Mapping[str, float],
) -> tuple[Code, str]:
    applicant = prep.problem.applicants[member]
    klass = prep.classes[prep.class_of[member]]
    number = prep.class_of[member]
    if delta is None:
        conflicts, _solves = conflict(prep, extra={number: 1})
        return Code.IMPOSSIBLE, _(
            "No cohort that keeps every rule can include this applicant, whatever the score: "
            "%(rules)s."
        ) % {"rules": "; ".join(conflicts)}
    needed = _needed(delta)
    if delta <= SCORE_TOLERANCE:
        return Code.TIE, _(
            "Same total score as an applicant who was selected; the tie goes to the earlier in "
            "the list. Any higher score would select them."
        )
    lowest = min((lowest_at[s] for s in klass.sites if s in lowest_at), default=None)
    if lowest is None or applicant.score <= lowest + SCORE_TOLERANCE:
        where = ", ".join(s for s in klass.sites if s)
        if where:
            text = _(
                "Below the cut at %(sites)s: the seats went to higher scores (lowest selected: "
                "%(lowest)s). %(needed)s"
            )
        else:
            text = _(
                "Below the cut: the seats went to higher scores (lowest selected: %(lowest)s). "
                "%(needed)s"
            )
        return Code.CUT, text % {
            "sites": where,
            "lowest": number_text(lowest) if lowest is not None else "—",
            "needed": needed,
        }
    # A lower score than theirs was selected at a site they can attend: a rule is why.
    for row in prep.rows:
        check_row = checks.get(row.key)
        if check_row is None or row.kind not in (
            RuleKind.MAX_COUNT,
            RuleKind.MAX_COUNT_EACH,
            RuleKind.MAX_SHARE,
        ):
            continue
        if number not in row.members or (row.site and klass.sites != (row.site,)):
            continue
        full = (
            check_row.count + 1 > row.share * check_row.total + 1e-9
            if row.share is not None
            else check_row.count + 1 > row.upper + 1e-9
        )
        if full:
            return Code.CAP, _("The limit “%(rule)s” is reached. %(needed)s") % {
                "rule": row.label,
                "needed": needed,
            }
    floors = [
        row.label
        for row in prep.rows
        if row.kind in (RuleKind.MIN_COUNT, RuleKind.MIN_SHARE)
        and checks[row.key].kept
        and number not in row.members
        and _tight(row, checks[row.key])
    ]
    if floors:
        return Code.DISPLACED, _(
            "A lower score was selected instead to keep the rule “%(rule)s”. %(needed)s"
        ) % {"rule": "; ".join(floors), "needed": needed}
    return Code.OTHER, _("Taking them instead of a lower score would break a rule. %(needed)s") % {
        "needed": needed
    }


def _tight(row: Row, check_row: Check) -> bool:
    if row.share is not None:
        return check_row.count - 1 < row.share * check_row.total - 1e-9
    return check_row.count - 1 < row.lower - 1e-9


def _needed(delta: float) -> str:
    return _("With %(points)s more points they would have been selected.") % {
        "points": number_text(math.floor(delta * 100 + 1e-6) / 100 + 0.01, places=2, fixed=True)
    }


def format_change(delta: float) -> str:
    """The smallest rise, shown to two decimals and rounded up (a rise of exactly ``delta``
    only ties)."""
    return f"{math.floor(delta * 100 + 1e-6) / 100 + 0.01:.2f}"
