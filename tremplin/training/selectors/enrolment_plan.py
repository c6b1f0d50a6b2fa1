"""Who joins a cohort from its call, worked out before anything is written (the preview) and
again inside the enrolment's transaction (services/enrolments.py).

"Accepted" is what selection counts as selected: a submitted application (not withdrawn)
whose validated outcome is "selected" (selection/funnel/counts.is_selected, the committee
page and the applications list agree on it). A selected learner who withdrew lost their seat
to the waiting list and never comes in. Only applications for the cohort's site (or with no
site) come in: a call may fill several sites.

For a programme with level groups (``Programme.levels``, Konexio) and a cohort that has one,
each learner goes to the cohort of the run whose level group is the one their placement test
gives (``placement.selectors.attempts.level_groups``, one query for everyone); learners
without a result, or whose group has no cohort in the run, are listed apart for staff to place
by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from tremplin.core.levels import band_label
from tremplin.people.models import Person
from tremplin.placement.selectors.attempts import level_groups
from tremplin.selection.models import Application
from tremplin.training.models import Cohort, Enrolment


@dataclass(frozen=True)
class Joining:
    application: Application
    person: Person
    cohort: Cohort
    level: str


@dataclass(frozen=True)
class Unplaced:
    person: Person
    group: str  # the placement test's level group ("" when there is no result)

    @property
    def group_label(self) -> str:
        return band_label(self.group) if self.group else ""


@dataclass(frozen=True)
class Crowded:
    """A cohort that would hold more learners than its places."""

    cohort: Cohort
    free: int
    joining: int


@dataclass
class EnrolmentPlan:
    cohort: Cohort
    joining: list[Joining] = field(default_factory=list)
    already: list[Person] = field(default_factory=list)  # in a cohort of the run already
    unplaced: list[Unplaced] = field(default_factory=list)  # levelled: no group, or no cohort
    crowded: list[Crowded] = field(default_factory=list)
    levelled: bool = False

    @property
    def application_ids(self) -> list[int]:
        return sorted(j.application.pk for j in self.joining)

    def joining_by_cohort(self) -> list[tuple[Cohort, list[Joining]]]:
        grouped: dict[int, tuple[Cohort, list[Joining]]] = {}
        for joining in self.joining:
            grouped.setdefault(joining.cohort.pk, (joining.cohort, []))[1].append(joining)
        return sorted(grouped.values(), key=lambda item: (item[0].level, item[0].title))


def accepted_applications(*, cohort: Cohort) -> list[Application]:
    """The call's accepted applications for the cohort's site, by name."""
    if cohort.call_id is None:
        return []
    site_id = cohort.run.site_id
    return list(
        Application.objects.filter(
            Q(site_id=site_id) | Q(site__isnull=True),
            call_id=cohort.call_id,
            status=Application.Status.SUBMITTED,
            outcome=Application.Outcome.SELECTED,
            person__isnull=False,
            person__merged_into__isnull=True,
        )
        .select_related("person")
        .order_by("pk")
    )


def _by_name(application: Application) -> tuple[str, str]:
    person = application.person
    if person is None:
        return ("", "")
    return (person.legal_family_name.casefold(), person.legal_given_names.casefold())


def _level_match(levels: list[str], group: str) -> str:
    """The programme's level group that the placement result names (by key or English
    name, case aside: "beginner" is "Beginner"), or ""."""
    if not group:
        return ""
    wanted = {group.casefold()}
    for level in levels:
        if level.casefold() in wanted:
            return level
    return ""


def enrolment_plan(*, cohort: Cohort) -> EnrolmentPlan:
    """Who would join, where, who is skipped and why; reads only."""
    run = cohort.run
    plan = EnrolmentPlan(cohort=cohort)
    levels = [str(level) for level in run.programme.levels or []]
    plan.levelled = bool(levels) and bool(cohort.level)
    cohorts_by_level: dict[str, Cohort] = {}
    if plan.levelled:
        for other in Cohort.objects.filter(run=run).exclude(level="").order_by("title", "pk"):
            if other.ends_on >= timezone.localdate():
                cohorts_by_level.setdefault(other.level, other)
        cohorts_by_level[cohort.level] = cohort
    in_run = set(Enrolment.objects.filter(cohort__run=run).values_list("person_id", flat=True))
    seen: set[int] = set()
    applications = sorted(accepted_applications(cohort=cohort), key=_by_name)
    groups = (
        level_groups(
            person_ids=[a.person_id for a in applications if a.person_id is not None],
            programme_id=run.programme_id,
        )
        if plan.levelled
        else {}
    )
    for application in applications:
        person = application.person
        assert person is not None  # accepted_applications: person__isnull=False
        if person.pk in seen:
            continue
        seen.add(person.pk)
        if person.pk in in_run:
            plan.already.append(person)
            continue
        if not plan.levelled:
            plan.joining.append(Joining(application, person, cohort, ""))
            continue
        group = groups.get(person.pk, "")
        level = _level_match(levels, group)
        target = cohorts_by_level.get(level) if level else None
        if target is None:
            plan.unplaced.append(Unplaced(person, group))
        else:
            plan.joining.append(Joining(application, person, target, level))
    for target, joining in plan.joining_by_cohort():
        free = target.seats - target.enrolments.filter(status=Enrolment.Status.ACTIVE).count()
        if len(joining) > free:
            plan.crowded.append(Crowded(target, max(free, 0), len(joining)))
    return plan
