"""Preparing a problem for the model: applicants who look the same to every rule (same values
of the attributes the rules name, same set of sites, same committee choice) form a class, best
scores first within it; the most seats that can be filled; and one row per constraint over the
class counts (the seats to fill, the seats per site, the committee's inclusions, each rule)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _

from tremplin.selection.cohort.milp import INF, Builder, FloatArray
from tremplin.selection.cohort.problem import (
    Applicant,
    Must,
    Problem,
    ProblemError,
    RuleKind,
    rule_label,
)


@dataclass
class Class:
    values: tuple[str, ...]
    sites: tuple[str, ...]
    include: bool
    members: list[int]
    scores: FloatArray = field(default_factory=lambda: np.zeros(0))


@dataclass(frozen=True)
class Row:
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
class Prepared:
    problem: Problem
    attributes: list[str]
    sites: list[str]
    seats: dict[str, int]
    classes: list[Class]
    class_of: dict[int, int]
    order: FloatArray  # tie-break position of each applicant (0 = first)
    ranked: list[int]  # applicants from the first to the last in that order
    rows: list[Row]
    fill: int
    excluded: list[int]


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


def prepare(problem: Problem) -> Prepared:
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
    # to seat each person at the best site they can have (``seating.seat``).
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
    classes: list[Class] = []
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
        klass = Class(values=same[0], sites=same[1], include=same[2], members=members)
        klass.scores = scores[members]
        class_of.update(dict.fromkeys(members, len(classes)))
        classes.append(klass)

    fill = _max_fill(classes, sites, seats, problem.seats)
    rows = _rows(problem, attributes, sites, seats, classes, fill)
    return Prepared(
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


def _max_fill(classes: list[Class], sites: list[str], seats: dict[str, int], total: int) -> int:
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
    classes: list[Class],
    fill: int,
) -> list[Row]:
    rows: list[Row] = []
    every = dict.fromkeys(range(len(classes)), 1.0)
    rows.append(
        Row(
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
                Row(
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
                Row(
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
                    Row(
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


def sorted_assignment(prep: Prepared, assignment: Mapping[int, str]) -> list[tuple[int, str]]:
    return sorted(assignment.items(), key=lambda item: prep.order[item[0]])


def score_of(prep: Prepared, assignment: Mapping[int, str]) -> float:
    return float(sum(prep.problem.applicants[i].score for i in assignment))
