"""Why each applicant is in or out: for someone left out, the smallest score change that would
select them (exact: shared by their class, found for most classes in one pass by
``sensitivity``, by re-solving the model in place for the others) and the cut, the cap reached
or the floor that displaced them; for someone selected, the floors that brought them in.
Everything that depends only on the class is worked out once per class."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tremplin.core.collector import cyclic_gc_paused
from tremplin.core.numbers import number_text
from tremplin.selection.cohort.checking import check_rows
from tremplin.selection.cohort.conflicts import conflict
from tremplin.selection.cohort.milp import FloatArray, Outcome, Status
from tremplin.selection.cohort.model import Built, Solved, build, class_totals, optimise
from tremplin.selection.cohort.preparation import Prepared, Row
from tremplin.selection.cohort.problem import Check, Choice, Code, Must, RuleKind
from tremplin.selection.cohort.sensitivity import ForcedValues

# Two scores closer than this count as equal (scores are typically given to 2 decimals).
SCORE_TOLERANCE = 1e-6


def explain(
    prep: Prepared, solved: Solved, assignment: Mapping[int, str]
) -> tuple[tuple[Choice, ...], int]:
    """A choice for every applicant (in the problem's order), and how many times the solver
    ran. Python's cyclic collector is paused meanwhile (``core.collector``): a choice and a
    sentence per applicant set off full collections that find nothing (a sixth of the time at
    100,000 applicants)."""
    with cyclic_gc_paused():
        return _explain(prep, solved, assignment)


def _explain(
    prep: Prepared, solved: Solved, assignment: Mapping[int, str]
) -> tuple[tuple[Choice, ...], int]:
    problem = prep.problem
    applicants = problem.applicants
    change, solves = _score_changes(prep, solved, assignment)

    brought = _brought_in(prep, solved, assignment)
    solves += 1 if brought is not None else 0
    reasons = _Reasons(prep, assignment)

    waiting = np.fromiter((m for m, delta in change.items() if delta is not None), dtype=np.int64)
    waiting = waiting[np.argsort(prep.order[waiting], kind="stable")]
    rank_of = {member: rank for rank, member in enumerate(waiting.tolist(), start=1)}
    excluded = reasons.text(EXCLUDED)
    choices: dict[int, Choice] = {}
    for index, site in assignment.items():
        applicant = applicants[index]
        floors = brought.get(index, ()) if brought is not None else ()
        code, reason = reasons.why_in(index, site, floors)
        choices[index] = Choice(
            id=applicant.id,
            score=applicant.score,
            selected=True,
            site=site,
            code=code,
            reason=reason,
            brought_in_by=floors,
        )
    for index in prep.excluded:
        applicant = applicants[index]
        choices[index] = Choice(
            id=applicant.id,
            score=applicant.score,
            selected=False,
            site="",
            code=Code.EXCLUDED,
            reason=excluded,
        )
    for number, klass in enumerate(prep.classes):
        left_out = [m for m in klass.members if m not in assignment]
        if left_out:
            choices.update(reasons.left_out(number, left_out, change, rank_of))
    return tuple(choices[index] for index in range(len(applicants))), solves


def _score_changes(
    prep: Prepared, solved: Solved, assignment: Mapping[int, str]
) -> tuple[dict[int, float | None], int]:
    """For each applicant left out, the smallest rise of their score that would select them
    (None: no rise can); and how many times the solver ran. Everyone left out in a class shares
    ``F``, the best value of a cohort with one more of the class (counted at zero): most
    classes get it from ``sensitivity``'s bounds, the others by solving again, and each of
    those solutions settles more classes."""
    best = solved.outcome.objective
    left_out_of: dict[int, list[int]] = {}
    ranks_of: dict[int, list[int]] = {}  # their ranks in the class
    for number, klass in enumerate(prep.classes):
        ranks = [rank for rank, m in enumerate(klass.members) if m not in assignment]
        if ranks:
            ranks_of[number] = ranks
            left_out_of[number] = [klass.members[rank] for rank in ranks]
    bounds, solves = ForcedValues.start(prep, solved.built, best, assignment, left_out_of)
    change: dict[int, float | None] = {}

    def settle(found: Mapping[int, float]) -> None:
        for number, value in found.items():
            scores = prep.classes[number].scores[ranks_of[number]]
            rises = np.maximum(0.0, best - (scores + value))
            change.update(zip(left_out_of[number], rises.tolist(), strict=True))

    if bounds is not None:
        settle(bounds.by_exchange(left_out_of))
    rest = [number for number in left_out_of if left_out_of[number][0] not in change]
    if not rest:
        return change, solves
    base = build(prep, take=solved.take)
    for number in rest:
        if left_out_of[number][0] in change:  # settled by a class solved before
            continue
        forced, more = _solve_class(prep, solved, assignment, base, number, change)
        solves += more
        if bounds is not None and forced is not None:
            totals, value, prices = forced
            waiting = [n for n in rest if left_out_of[n][0] not in change]
            settle(bounds.by_solution(number, totals, value, prices, waiting))
    return change, solves


def _solve_class(
    prep: Prepared,
    solved: Solved,
    assignment: Mapping[int, str],
    base: Built,
    number: int,
    change: dict[int, float | None],
) -> tuple[tuple[FloatArray, float, FloatArray | None] | None, int]:
    """Class ``number`` solved again with one more of its members forced in: the smallest rise
    of each of its members left out (into ``change``); the best cohort's counts, value and the
    relaxation's prices (None when no cohort can have one more); how many times the solver
    ran. ``base``: the model with the cohort's segments."""
    applicants = prep.problem.applicants
    best = solved.outcome.objective
    klass = prep.classes[number]
    model = base.model
    # Value of the best cohort that has one more member of class c on top of ``chosen`` others
    # from it at most: exact for every left-out member of c ranked below what it uses.
    model.set_row_bounds(base.link_row[number], 1.0, 1.0)
    forced = model.solve()
    solves = 1
    prices = _link_prices(base) if forced.status == Status.OPTIMAL else None
    if forced.status == Status.OPTIMAL and not _tails_unused(base, forced):
        again = optimise(prep, solved.take, extra={number: 1})
        solves += again.solves
        forced = again.outcome
        forced_built = again.built
        prices = None
    else:
        forced_built = base
    if forced.status != Status.OPTIMAL:
        model.set_row_bounds(base.link_row[number], 0.0, 0.0)
        for member in klass.members:
            if member not in assignment:
                change[member] = None
        return None, solves
    totals = np.asarray(class_totals(forced_built, forced.values), dtype=np.float64)
    others = round(totals[number]) - 1
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
    return (totals, forced.objective, prices), solves


def _link_prices(built: Built) -> FloatArray | None:
    """The link rows' prices of the relaxation just solved, when it proved the optimum (a
    branch-and-bound run has none)."""
    solution = built.model.highs.getSolution()
    if not solution.dual_valid:
        return None
    return np.asarray(solution.row_dual, dtype=np.float64)[built.link_row]


def _tails_unused(built: Built, outcome: Outcome) -> bool:
    if not built.tail:
        return True
    columns = np.fromiter(built.tail.values(), dtype=np.int64, count=len(built.tail))
    return bool(np.all(outcome.values[columns] <= 1e-7))


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


# The reasons' sentences, translated once per explanation (not once per applicant).
EXCLUDED = gettext_noop("The committee decided not to select this applicant.")
INCLUDED = gettext_noop("The committee chose to include this applicant.")
BROUGHT_IN = gettext_noop(
    "Brought in by the rule: %(rules)s. Without it, higher scores would take this seat."
)
SELECTED_AT = gettext_noop(
    "Selected on score, at their choice number %(rank)s (%(site)s): the seats at their "
    "first choice went to higher scores."
)
SELECTED = gettext_noop("Selected on score.")
IMPOSSIBLE = gettext_noop(
    "No cohort that keeps every rule can include this applicant, whatever the score: %(rules)s."
)
TIE = gettext_noop(
    "Same total score as an applicant who was selected; the tie goes to the earlier in "
    "the list. Any higher score would select them."
)
CUT_AT = gettext_noop(
    "Below the cut at %(sites)s: the seats went to higher scores (lowest selected: "
    "%(lowest)s). %(needed)s"
)
CUT = gettext_noop(
    "Below the cut: the seats went to higher scores (lowest selected: %(lowest)s). %(needed)s"
)
CAP = gettext_noop("The limit “%(rule)s” is reached. %(needed)s")
DISPLACED = gettext_noop(
    "A lower score was selected instead to keep the rule “%(rule)s”. %(needed)s"
)
OTHER = gettext_noop("Taking them instead of a lower score would break a rule. %(needed)s")
NEEDED = gettext_noop("With %(points)s more points they would have been selected.")


@dataclass(frozen=True)
class _ClassReason:
    """What a class's members left out share: their sites in words, the lowest selected score
    there (None: none) and as shown, the cut's sentence, and the code, sentence and rule of the
    reason of those above that score."""

    where: str
    lowest: float | None
    lowest_text: str
    cut: str
    code: Code
    message: str
    rule: str


class _Reasons:
    """The reason for each applicant; what depends only on their class is worked out once."""

    def __init__(self, prep: Prepared, assignment: Mapping[int, str]) -> None:
        self.prep = prep
        self.checks = {c.key: c for c in check_rows(prep, assignment)}
        self.lowest_at: dict[str, float] = {}
        applicants = prep.problem.applicants
        for member, site in assignment.items():
            score = applicants[member].score
            self.lowest_at[site] = min(self.lowest_at.get(site, score), score)
        self.texts: dict[str, str] = {}
        self.conflicts: dict[int, str] = {}
        # Per class: its sites in words, the lowest selected score at them, and the rule that
        # keeps its members out while a lower score is in (code, sentence, rule).
        self.tie = self.text(TIE)
        self.needed = self.text(NEEDED)
        self.needed_for: dict[float, str] = {}  # by score change (many are shared)
        self.full_caps, self.tight_floors = self._rules_at_their_limit()

    def text(self, message: str) -> str:
        translated = self.texts.get(message)
        if translated is None:
            translated = self.texts[message] = _(message)
        return translated

    def why_in(self, member: int, site: str, floors: tuple[str, ...]) -> tuple[Code, str]:
        prep = self.prep
        applicant = prep.problem.applicants[member]
        if applicant.must == Must.INCLUDE:
            return Code.INCLUDED, self.text(INCLUDED)
        if floors:
            return Code.RULE, self.text(BROUGHT_IN) % {"rules": "; ".join(floors)}
        klass = prep.classes[prep.class_of[member]]
        if site and len(klass.sites) > 1 and site != klass.sites[0]:
            return Code.SCORE, self.text(SELECTED_AT) % {
                "rank": klass.sites.index(site) + 1,
                "site": site,
            }
        return Code.SCORE, self.text(SELECTED)

    def left_out(
        self,
        number: int,
        members: list[int],
        change: Mapping[int, float | None],
        rank_of: Mapping[int, int],
    ) -> Iterator[tuple[int, Choice]]:
        """The choice of each member of class ``number`` left out: the reason, the smallest
        rise of their score, their rank on the waiting list."""
        applicants = self.prep.problem.applicants
        known = None
        for member in members:
            applicant = applicants[member]
            delta = change.get(member)
            if delta is None:
                code, reason = Code.IMPOSSIBLE, self._impossible(number)
            elif delta <= SCORE_TOLERANCE:
                code, reason = Code.TIE, self.tie
            else:
                if known is None:
                    known = self._of_class(number)
                code, reason = self._below(known, applicant.score, delta)
            yield (
                member,
                Choice(
                    id=applicant.id,
                    score=applicant.score,
                    selected=False,
                    site="",
                    code=code,
                    reason=reason,
                    score_change=delta,
                    waitlist_rank=rank_of.get(member),
                ),
            )

    def _impossible(self, number: int) -> str:
        rules = self.conflicts.get(number)
        if rules is None:
            conflicts, _solves = conflict(self.prep, extra={number: 1})
            rules = self.conflicts[number] = "; ".join(conflicts)
        return self.text(IMPOSSIBLE) % {"rules": rules}

    def _below(self, known: _ClassReason, score: float, delta: float) -> tuple[Code, str]:
        """Someone left out whom a rise of ``delta`` would select: below the cut, or kept out
        by a rule while a lower score is in (``known``: what their class shares)."""
        needed = self.needed_for.get(delta)
        if needed is None:
            needed = self.needed_for[delta] = self.needed % {"points": shown_change(delta)}
        if known.lowest is None or score <= known.lowest + SCORE_TOLERANCE:
            return Code.CUT, known.cut % {
                "sites": known.where,
                "lowest": known.lowest_text,
                "needed": needed,
            }
        # A lower score than theirs was selected at a site they can attend: a rule is why.
        return known.code, known.message % {"rule": known.rule, "needed": needed}

    def _of_class(self, number: int) -> _ClassReason:
        klass = self.prep.classes[number]
        where = ", ".join(s for s in klass.sites if s)
        lowest = min((self.lowest_at[s] for s in klass.sites if s in self.lowest_at), default=None)
        cut = self.text(CUT_AT if where else CUT)
        if lowest is None:
            return _ClassReason(where, None, "—", cut, Code.CUT, cut, "")
        code, message, rule = self._rule_for(number)
        return _ClassReason(where, lowest, number_text(lowest), cut, code, self.text(message), rule)

    def _rule_for(self, number: int) -> tuple[Code, str, str]:
        """Why a class's member is out while a lower score is in: the cap reached, the floor
        that displaced them, or another rule (the code, the sentence, the rule's label)."""
        klass = self.prep.classes[number]
        for row in self.full_caps:
            if number in row.members and not (row.site and klass.sites != (row.site,)):
                return Code.CAP, CAP, row.label
        floors = [row.label for row in self.tight_floors if number not in row.members]
        if floors:
            return Code.DISPLACED, DISPLACED, "; ".join(floors)
        return Code.OTHER, OTHER, ""

    def _rules_at_their_limit(self) -> tuple[list[Row], list[Row]]:
        """The caps that one more would break, and the floors that one fewer would break."""
        checks = self.checks
        full_caps: list[Row] = []
        tight_floors: list[Row] = []
        for row in self.prep.rows:
            check_row = checks.get(row.key)
            if check_row is None:
                continue
            if row.kind in (RuleKind.MAX_COUNT, RuleKind.MAX_COUNT_EACH, RuleKind.MAX_SHARE):
                full = (
                    check_row.count + 1 > row.share * check_row.total + 1e-9
                    if row.share is not None
                    else check_row.count + 1 > row.upper + 1e-9
                )
                if full:
                    full_caps.append(row)
            elif (
                row.kind in (RuleKind.MIN_COUNT, RuleKind.MIN_SHARE)
                and check_row.kept
                and _tight(row, check_row)
            ):
                tight_floors.append(row)
        return full_caps, tight_floors


def _tight(row: Row, check_row: Check) -> bool:
    if row.share is not None:
        return check_row.count - 1 < row.share * check_row.total - 1e-9
    return check_row.count - 1 < row.lower - 1e-9


def format_change(delta: float) -> str:
    """The smallest rise, shown to two decimals and rounded up (a rise of exactly ``delta``
    only ties)."""
    return f"{smallest_rise(delta):.2f}"


def shown_change(delta: float) -> str:
    """The smallest rise as readers of the active language write it ("4,26" in French)."""
    return number_text(smallest_rise(delta), places=2, fixed=True)


def smallest_rise(delta: float) -> float:
    return math.floor(delta * 100 + 1e-6) / 100 + 0.01
