"""The aggregated model: an integer count per class (and site), and each class's value as one
[0, 1] segment per applicant for its best few plus a tail standing for the others; solved
again with more segments until the optimum uses no tail (docs/decisions/0010)."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tremplin.selection.cohort.milp import INF, Builder, FloatArray, Model, Outcome, Status
from tremplin.selection.cohort.preparation import Prepared

# Up to this many sites, seats are checked over every set of sites (2**n - 1 rows).
HALL_MAX_SITES = 8


@dataclass
class Built:
    model: Model
    count_columns: list[list[tuple[str, int]]]
    segment_start: list[int]
    segment_count: list[int]
    tail: dict[int, int]
    link_row: list[int]
    row_of: dict[str, int]
    slack: dict[str, int]


def build(
    prep: Prepared,
    *,
    take: Sequence[int],
    scores: Sequence[FloatArray] | None = None,
    extra: Mapping[int, int] | None = None,
    skip: Iterable[str] = (),
    elastic: bool = False,
    no_tail: bool = False,
    whole: bool = False,
    hall: bool = True,
) -> Built:
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
    # in real numbers: a transportation problem, so whole splits exist (found by ``seating.seat``).
    whole_splits = whole or any(row.site is not None and row.kind != "site" for row in prep.rows)
    # Without rules per site, a class's count need not be split between sites in the model:
    # the counts can be seated if and only if, for every set of sites, the classes that can
    # only go there fit in its seats (Hall's condition; ``seating.seat`` then finds the seats).
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
    row_of, slack = _constraint_rows(
        builder, prep, count_columns, skip=skip, elastic=elastic, hall=hall
    )
    if hall:
        row_of.update(_hall_rows(builder, prep, count_columns))
    return Built(
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


def _constraint_rows(
    builder: Builder,
    prep: Prepared,
    count_columns: list[list[tuple[str, int]]],
    *,
    skip: Iterable[str],
    elastic: bool,
    hall: bool,
) -> tuple[dict[str, int], dict[str, int]]:
    """The prepared rows over the count columns (the seats per site left to Hall's rows when
    ``hall``); with ``elastic``, a slack per relaxable row. The rows by key, the slacks by key."""
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
    return row_of, slack


def _hall_rows(
    builder: Builder, prep: Prepared, count_columns: list[list[tuple[str, int]]]
) -> dict[str, int]:
    """Hall's condition: for every set of sites, the classes that can only go there fit in
    its seats (one count column per class)."""
    row_of: dict[str, int] = {}
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
    return row_of


def initial_take(prep: Prepared) -> list[int]:
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
class Solved:
    built: Built
    outcome: Outcome
    take: list[int]
    solves: int


def optimise(
    prep: Prepared,
    take: Sequence[int],
    *,
    scores: Sequence[FloatArray] | None = None,
    extra: Mapping[int, int] | None = None,
    skip: Iterable[str] = (),
) -> Solved:
    """Solve, and give more segments to every class whose tail the optimum used, until none."""
    take = list(take)
    sizes = [len(s) for s in (scores or [klass.scores for klass in prep.classes])]
    skip = tuple(skip)
    solves = 0
    while True:
        built = build(prep, take=take, scores=scores, extra=extra, skip=skip)
        outcome = built.model.solve()
        solves += 1
        if outcome.status != Status.OPTIMAL:
            return Solved(built, outcome, take, solves)
        if not grow(take, sizes, built, outcome.values):
            return Solved(built, outcome, take, solves)


def grow(take: list[int], sizes: Sequence[int], built: Built, values: FloatArray) -> bool:
    """Give more segments (in ``take``) to every class whose tail the solution used; False
    when none did, and the solution is then one of the full problem."""
    grown = False
    for number, column in built.tail.items():
        used = values[column]
        if used > 1e-7:
            take[number] = min(
                sizes[number], max(2 * take[number], take[number] + math.ceil(used) + 3)
            )
            grown = True
    return grown


def class_counts(prep: Prepared, built: Built, values: FloatArray) -> list[dict[str, int]]:
    return [
        {site: round(float(values[column])) for site, column in columns}
        for columns in built.count_columns
    ]


def class_totals(built: Built, values: FloatArray) -> list[int]:
    """How many of each class the solution takes."""
    return [
        round(float(sum(values[column] for _site, column in columns)))
        for columns in built.count_columns
    ]
