"""Choosing a cohort under quotas: exact, explained, with a computed waiting list.

No database here: a committee's spreadsheet (``tremplin select-cohort``) and the committee page
both describe the applicants and the rules as a ``Problem`` and get a ``Solution`` back.

How it is solved (docs/decisions/0010-cohort-optimiser.md). Applicants who look the same to
every rule (same values of the attributes the rules name, same sites in the same order, same
committee choice) form a *class*; within a class only the number chosen matters, and the best
scores go first. The integer program therefore counts per class and site, and each class's
value is the sum of its best scores: a concave function, written as one [0, 1] segment per
applicant. Only the best few of each class get a segment; a last segment stands for all the
others at the score of the best of them, which over-states them, so the model is a relaxation
of the full one. When the optimum uses no such tail it is feasible for the full problem and
therefore optimal for it (HiGHS proves the bound); otherwise the classes that used their tail
get more segments and HiGHS solves again.
"""

from __future__ import annotations

import itertools
import math
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from django.utils.translation import gettext as _

from tremplin.selection.milp import INF, Builder, FloatArray, Model, Outcome, Status

# Two scores closer than this count as equal (scores are typically given to 2 decimals).
SCORE_TOLERANCE = 1e-6
# Up to this many sites, seats are checked over every set of sites (2**n - 1 rows).
HALL_MAX_SITES = 8


class RuleKind(StrEnum):
    MIN_COUNT = "min_count"
    MAX_COUNT = "max_count"
    MIN_SHARE = "min_share"
    MAX_SHARE = "max_share"
    MAX_COUNT_EACH = "max_count_each"

    @property
    def is_floor(self) -> bool:
        return self in (RuleKind.MIN_COUNT, RuleKind.MIN_SHARE)

    @property
    def is_share(self) -> bool:
        return self in (RuleKind.MIN_SHARE, RuleKind.MAX_SHARE)


class Must(StrEnum):
    NONE = ""
    INCLUDE = "include"
    EXCLUDE = "exclude"


class ProblemError(ValueError):
    """The problem cannot be solved as given; each message names what is wrong."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = list(messages)


@dataclass(frozen=True)
class Applicant:
    id: str
    score: float
    # The sites the applicant can attend, in order of preference; empty: any site.
    sites: tuple[str, ...] = ()
    must: Must = Must.NONE
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    attribute: str
    kind: RuleKind
    target: float
    value: str = ""
    per_site: bool = False


@dataclass(frozen=True)
class Problem:
    seats: int
    applicants: Sequence[Applicant]
    rules: Sequence[Rule] = ()
    # Seats per site; empty when the cohort is not split between sites.
    sites: Mapping[str, int] = field(default_factory=dict)
    # Display names: attribute → name, "attribute=value" → name. Codes are shown otherwise.
    names: Mapping[str, str] = field(default_factory=dict)


class Code(StrEnum):
    """Why an applicant is in or out, for sorting and filtering; the text is in ``reason``."""

    SCORE = "score"
    RULE = "rule"
    INCLUDED = "included"
    EXCLUDED = "excluded"
    CUT = "cut"
    CAP = "cap"
    DISPLACED = "displaced"
    TIE = "tie"
    IMPOSSIBLE = "impossible"
    OTHER = "other"


@dataclass(frozen=True)
class Choice:
    id: str
    score: float
    selected: bool
    site: str
    code: Code
    reason: str
    # Not selected: the smallest rise of the score that would select them (None: no rise can).
    score_change: float | None = None
    waitlist_rank: int | None = None
    # Selected: the floors without which they would not be in the cohort.
    brought_in_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Check:
    """One rule (or one row of a rule) against the cohort: the gauges of the committee page."""

    key: str
    label: str
    kind: str
    count: int
    total: int
    limit: float
    kept: bool
    share: bool
    site: str = ""
    floor: bool = False  # a lower bound (a floor, the seats to fill, an inclusion)

    @property
    def actual(self) -> float:
        if self.share:
            return self.count / self.total if self.total else 0.0
        return float(self.count)


@dataclass(frozen=True)
class Relaxed:
    label: str
    limit: float
    achieved: float
    share: bool
    key: str = ""
    floor: bool = True

    @property
    def rule(self) -> int | None:
        """The position in ``Problem.rules`` of the rule this row belongs to (None for the
        seats to fill or a committee inclusion)."""
        kind, _sep, rest = self.key.partition(":")
        return int(rest.split(":", 1)[0]) if kind == "rule" else None


@dataclass(frozen=True)
class Solution:
    status: Status
    objective: float
    bound: float
    seconds: float
    fill: int
    assignment: Mapping[str, str]
    checks: tuple[Check, ...]
    conflicts: tuple[str, ...] = ()
    relaxation: tuple[Relaxed, ...] = ()
    choices: tuple[Choice, ...] = ()
    solves: int = 0

    @property
    def selected(self) -> list[str]:
        return list(self.assignment)

    @property
    def optimal(self) -> bool:
        return self.status == Status.OPTIMAL

    @property
    def gap(self) -> float:
        """How far the bound HiGHS proved is from the cohort's total (0: proved the best)."""
        if self.status != Status.OPTIMAL:
            return float("nan")
        return max(0.0, self.bound - self.objective)


# --- Preparing the problem -------------------------------------------------------------------


@dataclass
class _Class:
    values: tuple[str, ...]
    sites: tuple[str, ...]
    include: bool
    members: list[int]
    scores: FloatArray = field(default_factory=lambda: np.zeros(0))


@dataclass(frozen=True)
class _Row:
    """One linear constraint over the class counts: Σ coef[c] · n[c, site] (sense) rhs."""

    key: str
    label: str
    kind: str  # "fill", "site", "include", or a RuleKind
    lower: float
    upper: float
    coefs: Mapping[int, float]
    site: str | None
    relaxable: bool
    # The classes the row counts (for a share: those with the value, whatever their coef).
    members: frozenset[int] = frozenset()
    # The attribute value the row counts (rules), to tell applicants it concerns.
    attribute: str = ""
    value: str = ""
    share: float | None = None


@dataclass
class _Prepared:
    problem: Problem
    attributes: list[str]
    sites: list[str]
    seats: dict[str, int]
    classes: list[_Class]
    class_of: dict[int, int]
    order: FloatArray  # tie-break position of each applicant (0 = first)
    ranked: list[int]  # applicants from the first to the last in that order
    rows: list[_Row]
    fill: int
    excluded: list[int]


def _name(problem: Problem, attribute: str, value: str | None = None) -> str:
    if value is None:
        return problem.names.get(attribute, attribute)
    return problem.names.get(f"{attribute}={value}", value)


def _percent(share: float) -> str:
    return f"{share * 100:.4g} %"


def rule_label(problem: Problem, rule: Rule, value: str | None = None, site: str = "") -> str:
    """The rule in plain words: "at least 50 % women at Lyon"."""
    attribute = _name(problem, rule.attribute)
    shown = _name(problem, rule.attribute, value if value is not None else rule.value)
    count = f"{rule.target:g}"
    if rule.kind == RuleKind.MIN_COUNT:
        text = _("at least %(count)s with %(attribute)s “%(value)s”")
    elif rule.kind == RuleKind.MAX_COUNT or (
        rule.kind == RuleKind.MAX_COUNT_EACH and value is not None
    ):
        text = _("at most %(count)s with %(attribute)s “%(value)s”")
    elif rule.kind == RuleKind.MAX_COUNT_EACH:
        text = _("at most %(count)s for each %(attribute)s")
    elif rule.kind == RuleKind.MIN_SHARE:
        text = _("at least %(share)s with %(attribute)s “%(value)s”")
    else:
        text = _("at most %(share)s with %(attribute)s “%(value)s”")
    label = text % {
        "count": count,
        "share": _percent(rule.target),
        "attribute": attribute,
        "value": shown,
    }
    if site:
        label = _("%(rule)s at %(site)s") % {"rule": label, "site": site}
    elif rule.per_site:
        label = _("%(rule)s at each site") % {"rule": label}
    return label


def _tie_order(applicants: Sequence[Applicant]) -> tuple[FloatArray, list[int], FloatArray]:
    """Position of each applicant when scores are sorted high to low, ties by id; and the
    applicants in that order."""
    count = len(applicants)
    scores = np.fromiter((a.score for a in applicants), dtype=np.float64, count=count)
    ids = np.asarray([a.id for a in applicants], dtype=str)
    ranked = np.lexsort((ids, -scores)) if count else np.zeros(0, dtype=np.int64)
    order = np.empty(count, dtype=np.float64)
    order[ranked] = np.arange(count, dtype=np.float64)
    return order, ranked.tolist(), scores


def _prepare(problem: Problem) -> _Prepared:
    errors: list[str] = []
    if problem.seats < 1:
        errors.append(_("The number of seats must be at least 1."))
    sites = sorted(problem.sites)
    seats = {site: int(problem.sites[site]) for site in sites}
    if not sites:
        sites, seats = [""], {"": problem.seats}
    attributes = sorted({rule.attribute for rule in problem.rules})
    applicants = problem.applicants
    includes = sum(1 for applicant in applicants if applicant.must == Must.INCLUDE)
    if includes > problem.seats:
        errors.append(
            _("%(count)s applicants must be included but there are only %(seats)s seats.")
            % {"count": includes, "seats": problem.seats}
        )
    order, ranked, scores = _tie_order(applicants)
    groups: dict[tuple[tuple[str | None, ...], tuple[str, ...], bool], list[int]] = {}
    excluded: list[int] = []
    every_site = tuple(sites)
    split = bool(problem.sites)
    # The set of sites, not their order: the order only matters once the cohort is chosen,
    # to seat each person at the best site they can have (``_seat``).
    site_keys: dict[tuple[str, ...], tuple[str, ...]] = {(): every_site}
    exclude, include = Must.EXCLUDE, Must.INCLUDE
    for index in ranked:
        applicant = applicants[index]
        if applicant.must is exclude:
            excluded.append(index)
            continue
        # A missing attribute reads as None here and as "" in the class (below).
        values = tuple(map(applicant.attributes.get, attributes))
        own = applicant.sites if split else ()
        site_key = site_keys.get(own)
        if site_key is None:
            unknown = [site for site in own if site not in seats]
            if unknown:
                errors.append(
                    _("Applicant %(id)s: unknown site %(site)s.")
                    % {"id": applicant.id, "site": unknown[0]}
                )
            site_key = site_keys[own] = tuple(sorted(set(own)))
        key = (values, site_key, applicant.must is include)
        members = groups.get(key)
        if members is None:
            groups[key] = [index]
        else:
            members.append(index)
    if errors:
        raise ProblemError(errors)
    classes: list[_Class] = []
    class_of: dict[int, int] = {}
    merged: dict[tuple[tuple[str, ...], tuple[str, ...], bool], list[int]] = {}
    for (found, site_key, included), members in groups.items():
        same = (tuple(value or "" for value in found), site_key, included)
        if same in merged:  # None and "" are the same: one class
            merged[same] = sorted(merged[same] + members, key=order.__getitem__)
        else:
            merged[same] = members
    for same in sorted(merged):
        members = merged[same]
        klass = _Class(values=same[0], sites=same[1], include=same[2], members=members)
        klass.scores = scores[members]
        class_of.update(dict.fromkeys(members, len(classes)))
        classes.append(klass)

    fill = _max_fill(classes, sites, seats, problem.seats)
    rows = _rows(problem, attributes, sites, seats, classes, fill)
    return _Prepared(
        problem=problem,
        attributes=attributes,
        sites=sites,
        seats=seats,
        classes=classes,
        class_of=class_of,
        order=order,
        ranked=ranked,
        rows=rows,
        fill=fill,
        excluded=excluded,
    )


def _max_fill(classes: list[_Class], sites: list[str], seats: dict[str, int], total: int) -> int:
    """The most seats that can be filled, rules aside (a transportation problem: integral)."""
    builder = Builder()
    per_site: dict[str, list[int]] = defaultdict(list)
    every: list[int] = []
    for klass in classes:
        columns = []
        for site in klass.sites:
            column = builder.column(cost=1.0, lower=0.0, upper=INF, integer=False)
            columns.append(column)
            per_site[site].append(column)
        every.extend(columns)
        builder.row(
            lower=-INF, upper=len(klass.members), columns=columns, values=[1.0] * len(columns)
        )
    for site in sites:
        columns = per_site[site]
        if columns:
            builder.row(lower=-INF, upper=seats[site], columns=columns, values=[1.0] * len(columns))
    if not every:
        return 0
    builder.row(lower=-INF, upper=total, columns=every, values=[1.0] * len(every))
    outcome = builder.build(maximise=True).solve()
    return round(float(outcome.objective))


def _rows(
    problem: Problem,
    attributes: list[str],
    sites: list[str],
    seats: dict[str, int],
    classes: list[_Class],
    fill: int,
) -> list[_Row]:
    rows: list[_Row] = []
    every = dict.fromkeys(range(len(classes)), 1.0)
    rows.append(
        _Row(
            key="fill",
            label=_("fill all %(count)s seats") % {"count": fill},
            kind="fill",
            lower=fill,
            upper=fill,
            coefs=every,
            site=None,
            relaxable=True,
            members=frozenset(every),
        )
    )
    if problem.sites:
        for site in sites:
            rows.append(
                _Row(
                    key=f"site:{site}",
                    label=_("%(count)s seats at %(site)s") % {"count": seats[site], "site": site},
                    kind="site",
                    lower=-INF,
                    upper=seats[site],
                    coefs=every,
                    site=site,
                    relaxable=False,
                    members=frozenset(every),
                )
            )
    for number, klass in enumerate(classes):
        if klass.include:
            ids = ", ".join(problem.applicants[i].id for i in klass.members)
            rows.append(
                _Row(
                    key=f"include:{number}",
                    label=_("include %(ids)s (committee's choice)") % {"ids": ids},
                    kind="include",
                    lower=len(klass.members),
                    upper=INF,
                    coefs={number: 1.0},
                    site=None,
                    relaxable=True,
                    members=frozenset({number}),
                )
            )
    position = {name: i for i, name in enumerate(attributes)}
    holding: dict[int, dict[str, set[int]]] = {}  # column → value → classes with that value
    for column in position.values():
        holding[column] = defaultdict(set)
        for c, klass in enumerate(classes):
            holding[column][klass.values[column]].add(c)
    for index, rule in enumerate(problem.rules):
        column = position[rule.attribute]
        present = sorted(set(holding[column]) - {""})
        values = present if rule.kind == RuleKind.MAX_COUNT_EACH else [rule.value]
        row_sites: list[str | None] = list(sites) if rule.per_site and problem.sites else [None]
        for value in values:
            members = set(holding[column].get(value, ()))
            share: float | None = None
            if rule.kind.is_share:
                share = rule.target
                coefs = {
                    c: (1.0 if c in members else 0.0) - rule.target for c in range(len(classes))
                }
                bound = 0.0
            else:
                coefs = dict.fromkeys(members, 1.0)
                bound = rule.target
            lower, upper = (bound, INF) if rule.kind.is_floor else (-INF, bound)
            for row_site in row_sites:
                rows.append(
                    _Row(
                        key=f"rule:{index}:{value}:{row_site or ''}",
                        label=rule_label(problem, rule, value, row_site or ""),
                        kind=rule.kind.value,
                        lower=lower,
                        upper=upper,
                        coefs=coefs,
                        site=row_site,
                        relaxable=True,
                        attribute=rule.attribute,
                        value=value,
                        share=share,
                        members=frozenset(members),
                    )
                )
    return rows


# --- The model -------------------------------------------------------------------------------


@dataclass
class _Built:
    model: Model
    count_columns: list[list[tuple[str, int]]]
    segment_start: list[int]
    segment_count: list[int]
    tail: dict[int, int]
    link_row: list[int]
    row_of: dict[str, int]
    slack: dict[str, int]


def _build(
    prep: _Prepared,
    *,
    take: Sequence[int],
    scores: Sequence[FloatArray] | None = None,
    extra: Mapping[int, int] | None = None,
    skip: Iterable[str] = (),
    elastic: bool = False,
    no_tail: bool = False,
    whole: bool = False,
    hall: bool = True,
) -> _Built:
    """The aggregated model. ``take[c]``: how many of class c get their own segment;
    ``extra[c]``: members forced in on top of the segments (an applicant being explained);
    ``skip``: keys of rows left out; ``elastic``: relaxable rows get a slack (its cost -1)."""
    extra = extra or {}
    scores = scores or [klass.scores for klass in prep.classes]
    builder = Builder()
    count_columns: list[list[tuple[str, int]]] = []
    segment_start: list[int] = []
    segment_count: list[int] = []
    tail: dict[int, int] = {}
    link_row: list[int] = []
    # Without rules per site, whole classes are counted in integers and split between sites
    # in real numbers: a transportation problem, so whole splits exist (found by ``_seat``).
    whole_splits = whole or any(row.site is not None and row.kind != "site" for row in prep.rows)
    # Without rules per site, a class's count need not be split between sites in the model:
    # the counts can be seated if and only if, for every set of sites, the classes that can
    # only go there fit in its seats (Hall's condition; ``_seat`` then finds the seats).
    # One column per class instead of one per site: 5 times faster at 10,452 applicants.
    hall = (
        hall
        and not whole_splits
        and 1 < len(prep.sites) <= HALL_MAX_SITES
        and any(len(klass.sites) > 1 for klass in prep.classes)
    )
    for number, klass in enumerate(prep.classes):
        own = scores[number]
        # One more than the class holds: room for the applicant an explanation forces in.
        size = len(own) + 1
        several = len(klass.sites) > 1
        integer = whole_splits or not several
        columns = []
        if hall:
            upper = float(min(size, sum(prep.seats[site] for site in klass.sites)))
            site_of = klass.sites[0] if not several else ""
            columns.append(
                (site_of, builder.column(cost=0.0, lower=0.0, upper=upper, integer=True))
            )
        else:
            for site in klass.sites:
                upper = float(min(size, prep.seats[site]))
                columns.append(
                    (site, builder.column(cost=0.0, lower=0.0, upper=upper, integer=integer))
                )
        count_columns.append(columns)
        link = [column for _site, column in columns]
        values = [1.0] * len(link)
        if not integer and not hall:
            total = builder.column(cost=0.0, lower=0.0, upper=float(size), integer=True)
            builder.row(lower=0.0, upper=0.0, columns=[*link, total], values=[*values, -1.0])
            link, values = [total], [1.0]
        taken = min(take[number], len(own))
        segment_start.append(len(builder.cost))
        segment_count.append(taken)
        builder.cost.extend(own[:taken].tolist())
        builder.lower.extend([0.0] * taken)
        builder.upper.extend([1.0] * taken)
        builder.integer.extend([False] * taken)
        link.extend(range(segment_start[-1], segment_start[-1] + taken))
        values.extend([-1.0] * taken)
        if taken < len(own) and not no_tail:
            tail[number] = builder.column(
                cost=float(own[taken]), lower=0.0, upper=float(len(own) - taken), integer=False
            )
            link.append(tail[number])
            values.append(-1.0)
        forced = float(extra.get(number, 0))
        link_row.append(builder.row(lower=forced, upper=forced, columns=link, values=values))
    row_of: dict[str, int] = {}
    slack: dict[str, int] = {}
    skipped = set(skip)
    for row in prep.rows:
        if row.key in skipped or (hall and row.kind == "site"):
            continue
        row_columns: list[int] = []
        row_values: list[float] = []
        for number, coef in row.coefs.items():
            if coef == 0.0:
                continue
            for site, column in count_columns[number]:
                if row.site is None or site == row.site:
                    row_columns.append(column)
                    row_values.append(coef)
        if elastic and row.relaxable:
            slack[row.key] = builder.column(cost=-1.0, lower=0.0, upper=INF, integer=False)
            row_columns.append(slack[row.key])
            row_values.append(1.0 if row.lower > -INF else -1.0)
        row_of[row.key] = builder.row(
            lower=row.lower, upper=row.upper, columns=row_columns, values=row_values
        )
    if hall:
        for size in range(1, len(prep.sites) + 1):
            for chosen in itertools.combinations(prep.sites, size):
                within = set(chosen)
                hall_columns = [
                    count_columns[number][0][1]
                    for number, klass in enumerate(prep.classes)
                    if within.issuperset(klass.sites)
                ]
                key = f"site:{chosen[0]}" if size == 1 else "sites:" + "|".join(chosen)
                row_of[key] = builder.row(
                    lower=-INF,
                    upper=sum(prep.seats[site] for site in chosen),
                    columns=hall_columns,
                    values=[1.0] * len(hall_columns),
                )
    return _Built(
        # Presolve on: without it one random instance (seed 202600092, 818 applicants) took
        # 31.6 s and 10,783 nodes instead of 0.9 s; on the others it costs nothing measurable.
        model=builder.build(maximise=True, relaxation_first=True),
        count_columns=count_columns,
        segment_start=segment_start,
        segment_count=segment_count,
        tail=tail,
        link_row=link_row,
        row_of=row_of,
        slack=slack,
    )


def _initial_take(prep: _Prepared) -> list[int]:
    """Segments per class to start with: the class's share of the best ``fill`` applicants
    plus a margin, all of it for committee inclusions."""
    best = [i for i in prep.ranked if i in prep.class_of][: prep.fill]
    within: dict[int, int] = defaultdict(int)
    for i in best:
        within[prep.class_of[i]] += 1
    take = []
    for number, klass in enumerate(prep.classes):
        if klass.include:
            take.append(len(klass.members))
        else:
            guess = within[number]
            take.append(min(len(klass.members), guess + max(3, guess // 5)))
    return take


@dataclass
class _Solved:
    built: _Built
    outcome: Outcome
    take: list[int]
    solves: int


def _optimise(
    prep: _Prepared,
    take: Sequence[int],
    *,
    scores: Sequence[FloatArray] | None = None,
    extra: Mapping[int, int] | None = None,
    skip: Iterable[str] = (),
) -> _Solved:
    """Solve, and give more segments to every class whose tail the optimum used, until none."""
    take = list(take)
    sizes = [len(s) for s in (scores or [klass.scores for klass in prep.classes])]
    skip = tuple(skip)
    solves = 0
    while True:
        built = _build(prep, take=take, scores=scores, extra=extra, skip=skip)
        outcome = built.model.solve()
        solves += 1
        if outcome.status != Status.OPTIMAL:
            return _Solved(built, outcome, take, solves)
        grown = False
        for number, column in built.tail.items():
            used = outcome.values[column]
            if used > 1e-7:
                take[number] = min(
                    sizes[number], max(2 * take[number], take[number] + math.ceil(used) + 3)
                )
                grown = True
        if not grown:
            return _Solved(built, outcome, take, solves)


def _counts(prep: _Prepared, built: _Built, values: FloatArray) -> list[dict[str, int]]:
    return [
        {site: round(float(values[column])) for site, column in columns}
        for columns in built.count_columns
    ]


def _totals(built: _Built, values: FloatArray) -> list[int]:
    """How many of each class the solution takes."""
    return [
        round(float(sum(values[column] for _site, column in columns)))
        for columns in built.count_columns
    ]


def _assign(prep: _Prepared, counts: list[dict[str, int]]) -> dict[int, str]:
    """Within a class (same sites) the best scores go first, to the sites in the counts."""
    assignment: dict[int, str] = {}
    for number, klass in enumerate(prep.classes):
        places = [site for site in klass.sites for _ in range(counts[number].get(site, 0))]
        for member, site in zip(klass.members, places, strict=False):
            assignment[member] = site
    return assignment


def _preference(prep: _Prepared, member: int, klass: _Class) -> tuple[str, ...]:
    own = prep.problem.applicants[member].sites
    return tuple(own) if prep.problem.sites and own else klass.sites


def _seat(prep: _Prepared, totals: Sequence[int], counts: list[dict[str, int]]) -> dict[int, str]:
    """The chosen applicants of each class are its best ``totals[c]``; seat them so that as
    many as possible get their first choice, then their second, … keeping every rule per site.
    Within the same preferences the better score chooses first."""
    chosen = {number: prep.classes[number].members[:total] for number, total in enumerate(totals)}
    if len(prep.sites) == 1:
        return {m: prep.sites[0] for members in chosen.values() for m in members}
    groups: dict[tuple[int, tuple[str, ...]], list[int]] = defaultdict(list)
    for number, members in chosen.items():
        for member in members:
            groups[(number, _preference(prep, member, prep.classes[number]))].append(member)
    if all(len(klass.sites) == 1 for klass in prep.classes):
        return _assign(prep, counts)
    builder = Builder()
    columns: dict[tuple[int, tuple[str, ...]], list[tuple[str, int]]] = {}
    for key, members in groups.items():
        _number, order = key
        columns[key] = [
            (
                site,
                builder.column(
                    cost=-float(rank), lower=0.0, upper=float(len(members)), integer=True
                ),
            )
            for rank, site in enumerate(order)
        ]
        builder.row(
            lower=len(members),
            upper=len(members),
            columns=[c for _s, c in columns[key]],
            values=[1.0] * len(order),
        )
    for row in prep.rows:
        if row.site is None:
            continue
        row_columns, values = [], []
        for (number, _order), pairs in columns.items():
            coef = row.coefs.get(number, 0.0)
            if coef == 0.0:
                continue
            for site, column in pairs:
                if site == row.site:
                    row_columns.append(column)
                    values.append(coef)
        builder.row(lower=row.lower, upper=row.upper, columns=row_columns, values=values)
    outcome = builder.build(maximise=True).solve()
    if outcome.status != Status.OPTIMAL:
        if any("" in count for count in counts):  # counted over sets of sites: cannot happen
            raise ProblemError([_("The solver could not seat the chosen cohort.")])
        return _assign(prep, counts)
    assignment: dict[int, str] = {}
    for key, members in groups.items():
        places = [
            site
            for site, column in columns[key]
            for _ in range(round(float(outcome.values[column])))
        ]
        for member, site in zip(members, places, strict=False):
            assignment[member] = site
    return assignment


def _ties(prep: _Prepared, assignment: dict[int, str]) -> dict[int, str]:
    """Equal scores: the earlier in the tie order (higher score, then smaller id) takes the
    seat whenever the swap keeps every rule. Swaps keep the total score, so the cohort stays
    optimal."""
    applicants = prep.problem.applicants
    by_score: dict[float, list[int]] = defaultdict(list)
    for member in assignment:
        by_score[applicants[member].score].append(member)
    scores = np.fromiter((a.score for a in applicants), dtype=np.float64, count=len(applicants))
    level_scores = np.fromiter(by_score, dtype=np.float64, count=len(by_score))
    tied = np.flatnonzero(np.isin(scores, level_scores))
    waiting = sorted(
        (int(m) for m in tied if m in prep.class_of and m not in assignment),
        key=lambda m: prep.order[m],
    )
    if not waiting:
        return assignment
    level = _levels(prep, assignment)
    for candidate in waiting:
        number_in = prep.class_of[candidate]
        rivals = sorted(by_score[applicants[candidate].score], key=lambda m: -prep.order[m])
        for rival in rivals:
            if rival not in assignment or prep.order[rival] < prep.order[candidate]:
                continue
            site = assignment[rival]
            if site not in prep.classes[number_in].sites:
                continue
            number_out = prep.class_of[rival]
            moved = [
                level[i]
                + (row.coefs.get(number_in, 0.0) if row.site in (None, site) else 0.0)
                - (row.coefs.get(number_out, 0.0) if row.site in (None, site) else 0.0)
                for i, row in enumerate(prep.rows)
            ]
            if all(
                row.lower - 1e-9 <= moved[i] <= row.upper + 1e-9 for i, row in enumerate(prep.rows)
            ):
                del assignment[rival]
                assignment[candidate] = site
                by_score[applicants[candidate].score].append(candidate)
                level = moved
                break
    return assignment


def _levels(prep: _Prepared, assignment: Mapping[int, str]) -> list[float]:
    per: dict[tuple[int, str], int] = defaultdict(int)
    for member, site in assignment.items():
        per[(prep.class_of[member], site)] += 1
    return [
        sum(
            row.coefs.get(number, 0.0) * n
            for (number, site), n in per.items()
            if row.site in (None, site)
        )
        for row in prep.rows
    ]


# --- Checking a cohort against the rules -----------------------------------------------------


def _checks(prep: _Prepared, cohort: Mapping[int, str]) -> tuple[Check, ...]:
    """Each row against a given cohort (selected applicant → site)."""
    per: dict[tuple[int, str], int] = defaultdict(int)
    for member, site in cohort.items():
        number = prep.class_of.get(member)
        if number is not None:
            per[(number, site)] += 1
    site_totals: dict[str, int] = defaultdict(int)
    for (_number, site), n in per.items():
        site_totals[site] += n
    everyone = sum(site_totals.values())
    checks = []
    for row in prep.rows:
        count = sum(
            n
            for (number, site), n in per.items()
            if number in row.members and row.site in (None, site)
        )
        total = everyone if row.site is None else site_totals[row.site]
        if row.share is not None:
            level = count - row.share * total
            limit = row.share
        else:
            level = float(count)
            limit = row.lower if row.lower > -INF else row.upper
        kept = row.lower - 1e-9 <= level <= row.upper + 1e-9
        checks.append(
            Check(
                key=row.key,
                label=row.label,
                kind=row.kind,
                count=count,
                total=total,
                limit=limit,
                kept=kept,
                share=row.share is not None,
                site=row.site or "",
                floor=row.lower > -INF,
            )
        )
    return tuple(checks)


def check(problem: Problem, cohort: Mapping[str, str]) -> tuple[Check, ...]:
    """Every rule against a cohort chosen by hand (applicant id → site, "" without sites)."""
    prep = _prepare(problem)
    index = {a.id: i for i, a in enumerate(problem.applicants)}
    return _checks(prep, {index[i]: site for i, site in cohort.items() if i in index})


# --- Solving ---------------------------------------------------------------------------------


def solve(problem: Problem, *, explain: bool = True) -> Solution:
    """The best cohort that keeps every rule, proved optimal; or, when the rules cannot all
    hold, the rules that conflict and the cohort that breaks them the least."""
    started = time.perf_counter()
    prep = _prepare(problem)
    solved = _optimise(prep, _initial_take(prep))
    solves = solved.solves
    if solved.outcome.status == Status.INFEASIBLE:
        return _infeasible(prep, started, solves, explain=explain)
    if solved.outcome.status != Status.OPTIMAL:
        raise ProblemError([_("The solver stopped before it proved the best cohort.")])
    counts = _counts(prep, solved.built, solved.outcome.values)
    assignment = _ties(prep, _seat(prep, _totals(solved.built, solved.outcome.values), counts))
    cohort = {problem.applicants[i].id: site for i, site in _sorted_assignment(prep, assignment)}
    choices: tuple[Choice, ...] = ()
    if explain:
        choices, more = _explain(prep, solved, assignment)
        solves += more
    return Solution(
        status=Status.OPTIMAL,
        objective=_score_of(prep, assignment),
        bound=solved.outcome.bound,
        seconds=time.perf_counter() - started,
        fill=prep.fill,
        assignment=cohort,
        checks=_checks(prep, assignment),
        choices=choices,
        solves=solves,
    )


def _sorted_assignment(prep: _Prepared, assignment: Mapping[int, str]) -> list[tuple[int, str]]:
    return sorted(assignment.items(), key=lambda item: prep.order[item[0]])


def _score_of(prep: _Prepared, assignment: Mapping[int, str]) -> float:
    return float(sum(prep.problem.applicants[i].score for i in assignment))


def _infeasible(prep: _Prepared, started: float, solves: int, *, explain: bool) -> Solution:
    """Which rules conflict (an irreducible set) and the least relaxation of them."""
    conflicts, more = _conflict(prep)
    solves += more
    take = _initial_take(prep)
    sizes = [len(klass.members) for klass in prep.classes]
    while True:
        built = _build(prep, take=take, elastic=True, whole=True)
        model = built.model
        slack_columns = list(built.slack.values())
        # First the least total shortfall (the same whatever the segments), then the best
        # score at that shortfall.
        original = np.asarray(model.highs.getLp().col_cost_, dtype=np.float64)
        penalty = np.zeros(model.columns)
        penalty[slack_columns] = -1.0
        model.set_costs(penalty)
        least = model.solve()
        scoring = original.copy()
        scoring[slack_columns] = 0.0
        model.set_costs(scoring)
        model.add_row(
            lower=-INF,
            upper=-least.objective + 1e-6,
            columns=slack_columns,
            values=[1.0] * len(slack_columns),
        )
        outcome = model.solve()
        solves += 2
        grown = False
        for number, column in built.tail.items():
            used = outcome.values[column]
            if used > 1e-7:
                take[number] = min(
                    sizes[number], max(2 * take[number], take[number] + math.ceil(used) + 3)
                )
                grown = True
        if not grown:
            break
    counts = _counts(prep, built, outcome.values)
    assignment = _seat(prep, _totals(built, outcome.values), counts)
    checks = _checks(prep, assignment)
    relaxation = tuple(
        Relaxed(
            label=c.label,
            limit=c.limit,
            achieved=c.actual if c.share else float(c.count),
            share=c.share,
            key=c.key,
            floor=c.floor,
        )
        for c in checks
        if not c.kept
    )
    problem = prep.problem
    choices: tuple[Choice, ...] = ()
    if explain:
        choices = tuple(
            Choice(
                id=a.id,
                score=a.score,
                selected=i in assignment,
                site=assignment.get(i, ""),
                code=Code.OTHER,
                reason=_("In the cohort that breaks the rules the least.")
                if i in assignment
                else _("Not in the cohort that breaks the rules the least."),
            )
            for i, a in enumerate(problem.applicants)
        )
    return Solution(
        status=Status.INFEASIBLE,
        objective=_score_of(prep, assignment),
        bound=float("nan"),
        seconds=time.perf_counter() - started,
        fill=prep.fill,
        assignment={problem.applicants[i].id: s for i, s in _sorted_assignment(prep, assignment)},
        checks=checks,
        conflicts=conflicts,
        relaxation=relaxation,
        choices=choices,
        solves=solves,
    )


def _conflict(
    prep: _Prepared, *, extra: Mapping[int, int] | None = None
) -> tuple[tuple[str, ...], int]:
    """A deletion filter: drop each row in turn and keep it dropped while the rest still
    conflict. What remains is irreducible: without any one of them the others can hold."""
    # Seats per site as they are (not Hall's sets of sites): each row is one the user knows.
    built = _build(prep, take=[0] * len(prep.classes), extra=extra, hall=False)
    model = built.model
    model.set_costs(np.zeros(model.columns))
    solves = 0
    by_key = {row.key: row for row in prep.rows}
    # Rows least likely to matter first, so they leave early; the seats of sites last.
    order = sorted(built.row_of, key=lambda key: (by_key[key].kind in ("site", "fill"), key))
    kept: list[str] = []
    for key in order:
        row = built.row_of[key]
        model.set_row_bounds(row, -INF, INF)
        outcome = model.solve()
        solves += 1
        if outcome.status == Status.INFEASIBLE:
            continue
        model.set_row_bounds(row, by_key[key].lower, by_key[key].upper)
        kept.append(key)
    return tuple(by_key[key].label for key in prep_rows_order(prep, kept)), solves


def prep_rows_order(prep: _Prepared, keys: Iterable[str]) -> list[str]:
    wanted = set(keys)
    return [row.key for row in prep.rows if row.key in wanted]


# --- Explanations ----------------------------------------------------------------------------


def _explain(
    prep: _Prepared, solved: _Solved, assignment: Mapping[int, str]
) -> tuple[tuple[Choice, ...], int]:
    problem = prep.problem
    applicants = problem.applicants
    best = solved.outcome.objective
    solves = 0
    chosen = {number: 0 for number in range(len(prep.classes))}
    for member in assignment:
        chosen[prep.class_of[member]] += 1

    # Value of the best cohort that has one more member of class c on top of ``chosen`` others
    # from it at most: exact for every left-out member of c ranked below what it uses.
    change: dict[int, float | None] = {}
    base = _build(prep, take=solved.take)
    model = base.model

    def tails_unused(outcome: Outcome) -> bool:
        return all(outcome.values[column] <= 1e-7 for column in base.tail.values())

    for number, klass in enumerate(prep.classes):
        left_out = [m for m in klass.members if m not in assignment]
        if not left_out:
            continue
        model.set_row_bounds(base.link_row[number], 1.0, 1.0)
        forced = model.solve()
        solves += 1
        if forced.status == Status.OPTIMAL and not tails_unused(forced):
            again = _optimise(prep, solved.take, extra={number: 1})
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
        others = _totals(forced_built, forced.values)[number] - 1
        for rank, member in enumerate(klass.members):
            if member in assignment:
                continue
            value: float | None
            if rank >= others:
                value = forced.objective
            elif rank < base.segment_count[number]:
                # Ranked within what the forced cohort takes from the class: without its own
                # segment, solve again.
                column = base.segment_start[number] + rank
                model.set_column_bounds(column, 0.0, 0.0)
                alone = model.solve()
                solves += 1
                model.set_column_bounds(column, 0.0, 1.0)
                if alone.status == Status.OPTIMAL and not tails_unused(alone):
                    scores = [k.scores for k in prep.classes]
                    scores[number] = np.delete(klass.scores, rank)
                    redo = _optimise(prep, solved.take, scores=scores, extra={number: 1})
                    solves += redo.solves
                    alone = redo.outcome
                value = alone.objective if alone.status == Status.OPTIMAL else None
            else:
                scores = [k.scores for k in prep.classes]
                scores[number] = np.delete(klass.scores, rank)
                redo = _optimise(prep, solved.take, scores=scores, extra={number: 1})
                solves += redo.solves
                value = redo.outcome.objective if redo.outcome.status == Status.OPTIMAL else None
            if value is None:
                change[member] = None
            else:
                change[member] = max(0.0, best - (applicants[member].score + value))
        model.set_row_bounds(base.link_row[number], 0.0, 0.0)

    brought = _brought_in(prep, solved, assignment)
    solves += 1 if brought is not None else 0
    checks = {c.key: c for c in _checks(prep, assignment)}
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


def _brought_in(
    prep: _Prepared, solved: _Solved, assignment: Mapping[int, str]
) -> dict[int, tuple[str, ...]] | None:
    """Who is in only because of a floor: the best cohort without any floor leaves them out."""
    floors = [row for row in prep.rows if row.kind in (RuleKind.MIN_COUNT, RuleKind.MIN_SHARE)]
    if not floors:
        return {}
    free = _optimise(prep, solved.take, skip=[row.key for row in floors])
    if free.outcome.status != Status.OPTIMAL:
        return None
    without = {
        member
        for number, total in enumerate(_totals(free.built, free.outcome.values))
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


def _why_in(prep: _Prepared, member: int, site: str, floors: tuple[str, ...]) -> tuple[Code, str]:
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
    prep: _Prepared,
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
        conflicts, _solves = _conflict(prep, extra={number: 1})
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
            "lowest": f"{lowest:g}" if lowest is not None else "—",
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


def _tight(row: _Row, check_row: Check) -> bool:
    if row.share is not None:
        return check_row.count - 1 < row.share * check_row.total - 1e-9
    return check_row.count - 1 < row.lower - 1e-9


def _needed(delta: float) -> str:
    return _("With %(points)s more points they would have been selected.") % {
        "points": format_change(delta)
    }


def format_change(delta: float) -> str:
    """The smallest rise, shown to two decimals and rounded up (a rise of exactly ``delta``
    only ties)."""
    return f"{math.floor(delta * 100 + 1e-6) / 100 + 0.01:.2f}"


# --- Waiting list ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Replacement:
    id: str | None
    site: str
    reason: str
    skipped: tuple[tuple[str, str], ...] = ()


def replacement(
    problem: Problem,
    *,
    cohort: Mapping[str, str],
    withdrawn: str,
    waiting: Sequence[str],
) -> Replacement:
    """When ``withdrawn`` leaves ``cohort``, the first on the ``waiting`` list whose entry keeps
    every rule (checked, rule by rule, on the cohort they would make)."""
    prep = _prepare(problem)
    index = {a.id: i for i, a in enumerate(problem.applicants)}
    current = {index[i]: site for i, site in cohort.items() if i in index and i != withdrawn}
    taken: dict[str, int] = defaultdict(int)
    for site in current.values():
        taken[site] += 1
    free = [site for site in prep.sites if taken[site] < prep.seats[site]]
    skipped: list[tuple[str, str]] = []
    for candidate_id in waiting:
        candidate = index.get(candidate_id)
        if candidate is None or candidate in current:
            continue
        applicant = problem.applicants[candidate]
        if applicant.must == Must.EXCLUDE:
            continue
        klass = prep.classes[prep.class_of[candidate]]
        places = [site for site in klass.sites if site in free]
        if not places:
            skipped.append((candidate_id, _("no free seat at a site they can attend")))
            continue
        broken: list[str] = []
        for site in places:
            trial = dict(current)
            trial[candidate] = site
            broken = [c.label for c in _checks(prep, trial) if not c.kept and c.kind != "fill"]
            if not broken:
                return Replacement(
                    id=candidate_id,
                    site=site,
                    reason=_("The first on the waiting list whose entry keeps every rule."),
                    skipped=tuple(skipped),
                )
        skipped.append((candidate_id, "; ".join(broken)))
    return Replacement(
        id=None,
        site="",
        reason=_("Nobody on the waiting list can take the seat and keep every rule."),
        skipped=tuple(skipped),
    )


# --- Baselines (benchmarks and tests) --------------------------------------------------------


def solve_per_applicant(problem: Problem, *, time_limit: float | None = None) -> Solution:
    """The straightforward model: one binary per applicant and site. Same rules, same optimum;
    kept as the reference the optimiser is tested and measured against."""
    started = time.perf_counter()
    prep = _prepare(problem)
    applicants = problem.applicants
    columns: list[tuple[int, str]] = []
    for klass in prep.classes:
        for member in klass.members:
            for site in klass.sites:
                columns.append((member, site))
    n = len(columns)
    member_of = np.fromiter((m for m, _s in columns), dtype=np.int64, count=n)
    site_index = {site: i for i, site in enumerate(prep.sites)}
    site_of = np.fromiter((site_index[s] for _m, s in columns), dtype=np.int64, count=n)
    class_of = np.fromiter((prep.class_of[m] for m, _s in columns), dtype=np.int64, count=n)
    cost = np.fromiter((applicants[m].score for m, _s in columns), dtype=np.float64, count=n)
    row_lower: list[float] = []
    row_upper: list[float] = []
    starts = [0]
    index_parts: list[np.ndarray] = []
    value_parts: list[np.ndarray] = []

    def add(columns_: np.ndarray, values: np.ndarray, lower: float, upper: float) -> None:
        index_parts.append(columns_)
        value_parts.append(values)
        starts.append(starts[-1] + len(columns_))
        row_lower.append(lower)
        row_upper.append(upper)

    # One seat at most per applicant (exactly one for committee inclusions).
    by_member = np.argsort(member_of, kind="stable")
    boundaries = np.flatnonzero(np.diff(member_of[by_member])) + 1
    for group in np.split(by_member, boundaries):
        member = int(member_of[group[0]])
        lower = 1.0 if applicants[member].must == Must.INCLUDE else -INF
        add(group, np.ones(len(group)), lower, 1.0)
    for row in prep.rows:
        if row.kind == "include":
            continue
        coef_of_class = np.zeros(len(prep.classes))
        for number, coef in row.coefs.items():
            coef_of_class[number] = coef
        values = coef_of_class[class_of]
        mask = values != 0.0
        if row.site is not None:
            mask &= site_of == site_index[row.site]
        chosen = np.flatnonzero(mask)
        add(chosen, values[chosen], row.lower, row.upper)
    model = Model.from_arrays(
        cost=cost,
        lower=np.zeros(n),
        upper=np.ones(n),
        integer=np.ones(n, dtype=bool),
        row_lower=np.asarray(row_lower),
        row_upper=np.asarray(row_upper),
        starts=np.asarray(starts, dtype=np.int64),
        index=np.concatenate(index_parts) if index_parts else np.zeros(0, dtype=np.int64),
        value=np.concatenate(value_parts) if value_parts else np.zeros(0),
        maximise=True,
    )
    outcome = model.solve(time_limit=time_limit)
    assignment: dict[int, str] = {}
    if outcome.status in (Status.OPTIMAL, Status.TIME_LIMIT) and outcome.values.size:
        for column in np.flatnonzero(outcome.values > 0.5):
            member, site = columns[int(column)]
            assignment[member] = site
    return Solution(
        status=outcome.status,
        objective=outcome.objective,
        bound=outcome.bound,
        seconds=time.perf_counter() - started,
        fill=prep.fill,
        assignment={applicants[i].id: s for i, s in _sorted_assignment(prep, assignment)},
        checks=_checks(prep, assignment),
        solves=1,
    )


def solve_greedy(problem: Problem) -> Solution:
    """What a spreadsheet does: committee inclusions first, then by score, each applicant at
    the first of their sites with a seat left, skipped when they would pass a limit. Floors are
    only checked at the end."""
    started = time.perf_counter()
    prep = _prepare(problem)
    applicants = problem.applicants
    caps = [row for row in prep.rows if row.kind not in ("fill", "include") and row.upper < INF]
    counts = [0] * len(caps)
    taken: dict[str, int] = defaultdict(int)
    assignment: dict[int, str] = {}
    everyone = [i for klass in prep.classes for i in klass.members]
    ordered = sorted(everyone, key=lambda i: (applicants[i].must != Must.INCLUDE, prep.order[i]))
    for member in ordered:
        if len(assignment) >= prep.fill:
            break
        number = prep.class_of[member]
        for site in prep.classes[number].sites:
            if taken[site] >= prep.seats[site]:
                continue
            fits = True
            for position, row in enumerate(caps):
                if row.site not in (None, site) or number not in row.members:
                    continue
                limit = row.share * prep.fill if row.share is not None else row.upper
                if row.kind == "site":
                    continue
                if counts[position] + 1 > limit + 1e-9:
                    fits = False
                    break
            if not fits and applicants[member].must != Must.INCLUDE:
                continue
            assignment[member] = site
            taken[site] += 1
            for position, row in enumerate(caps):
                if row.site in (None, site) and number in row.members:
                    counts[position] += 1
            break
    checks = _checks(prep, assignment)
    return Solution(
        status=Status.OPTIMAL if all(c.kept for c in checks) else Status.INFEASIBLE,
        objective=_score_of(prep, assignment),
        bound=float("nan"),
        seconds=time.perf_counter() - started,
        fill=prep.fill,
        assignment={applicants[i].id: s for i, s in _sorted_assignment(prep, assignment)},
        checks=checks,
        solves=0,
    )
