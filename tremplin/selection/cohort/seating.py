"""From the class counts to people and seats: each class's best scores are chosen, seated so
that as many as possible get their first choice, and equal scores go to the earlier in the tie
order wherever the swap keeps every rule."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np
from django.utils.translation import gettext as _

from tremplin.selection.cohort.milp import Builder, Status
from tremplin.selection.cohort.preparation import Class, Prepared
from tremplin.selection.cohort.problem import ProblemError


def _assign(prep: Prepared, counts: list[dict[str, int]]) -> dict[int, str]:
    """Within a class (same sites) the best scores go first, to the sites in the counts."""
    assignment: dict[int, str] = {}
    for number, klass in enumerate(prep.classes):
        places = [site for site in klass.sites for _ in range(counts[number].get(site, 0))]
        for member, site in zip(klass.members, places, strict=False):
            assignment[member] = site
    return assignment


def _preference(prep: Prepared, member: int, klass: Class) -> tuple[str, ...]:
    own = prep.problem.applicants[member].sites
    return tuple(own) if prep.problem.sites and own else klass.sites


def seat(prep: Prepared, totals: Sequence[int], counts: list[dict[str, int]]) -> dict[int, str]:
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
    _site_rows(builder, prep, columns)
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


def _site_rows(
    builder: Builder,
    prep: Prepared,
    columns: Mapping[tuple[int, tuple[str, ...]], list[tuple[str, int]]],
) -> None:
    """Every rule per site, over the columns of (class, preferences) and site."""
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


def break_ties(prep: Prepared, assignment: dict[int, str]) -> dict[int, str]:
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


def _levels(prep: Prepared, assignment: Mapping[int, str]) -> list[float]:
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
