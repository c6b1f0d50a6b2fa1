"""The waiting list at work: when a selected learner withdraws, the first on the list whose
entry keeps every rule on the cohort as it stands takes the seat (checked rule by rule, not
guessed)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.selection.cohort.checking import check_rows
from tremplin.selection.cohort.preparation import prepare
from tremplin.selection.cohort.problem import Must, Problem

WAITING_LIST_EMPTY = gettext_lazy(
    "The waiting list is empty, so nobody takes the seat: its length was fixed when the cohort "
    "was proposed. To fill the seat, open an applicant's page, reverse their decision and "
    "propose them as selected; the committee then validates it on the committee page."
)


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
    prep = prepare(problem)
    index = {a.id: i for i, a in enumerate(problem.applicants)}
    current = {index[i]: site for i, site in cohort.items() if i in index and i != withdrawn}
    taken: dict[str, int] = defaultdict(int)
    for site in current.values():
        taken[site] += 1
    free = [site for site in prep.sites if taken[site] < prep.seats[site]]
    skipped: list[tuple[str, str]] = []
    considered = 0
    for candidate_id in waiting:
        candidate = index.get(candidate_id)
        if candidate is None or candidate in current:
            continue
        applicant = problem.applicants[candidate]
        if applicant.must == Must.EXCLUDE:
            continue
        considered += 1
        klass = prep.classes[prep.class_of[candidate]]
        places = [site for site in klass.sites if site in free]
        if not places:
            skipped.append((candidate_id, _("no free seat at a site they can attend")))
            continue
        broken: list[str] = []
        for site in places:
            trial = dict(current)
            trial[candidate] = site
            broken = [c.label for c in check_rows(prep, trial) if not c.kept and c.kind != "fill"]
            if not broken:
                return Replacement(
                    id=candidate_id,
                    site=site,
                    reason=_("The first on the waiting list whose entry keeps every rule."),
                    skipped=tuple(skipped),
                )
        skipped.append((candidate_id, "; ".join(broken)))
    if not considered:
        # Not the rules: nobody is (left) on the list, which is fixed when the cohort is proposed.
        return Replacement(id=None, site="", reason=str(WAITING_LIST_EMPTY), skipped=())
    return Replacement(
        id=None,
        site="",
        reason=_("Nobody on the waiting list can take the seat and keep every rule."),
        skipped=tuple(skipped),
    )
