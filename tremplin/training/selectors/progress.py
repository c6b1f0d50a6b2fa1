"""Reads of competence progress: the competences a cohort's programme aims at, a learner's
profile against them, a cohort's heat map (competence × learner), and the learner's own view.

Each read takes a fixed number of queries whatever the size of the cohort: the targets (two
queries), the learners (one), their evidence (one), read once and grouped here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.http import Http404
from django.utils.translation import gettext as _

from tremplin.core.models import User
from tremplin.placement.models import Competence, Framework, ProgrammeTarget, translated
from tremplin.training.models import (
    Cohort,
    CompetenceEvidence,
    Enrolment,
    EvidenceSource,
    ModuleCompetence,
)
from tremplin.training.selectors.access import cohort_filter, cohorts_visible

# Levels a framework that names none offers (ICDL, Simplon's course): 1 to 8, as in DigComp.
DEFAULT_LEVEL_COUNT = 8


@dataclass(frozen=True)
class Level:
    number: int
    name: str


@dataclass(frozen=True)
class Target:
    """A competence the programme aims at and the level aimed at (the highest its programme
    or modules ask)."""

    competence: Competence
    level: int

    @property
    def name(self) -> str:
        return translated(self.competence.name)


@dataclass(frozen=True)
class EvidencePoint:
    pk: int
    level: int
    source: str
    source_ref: str
    assessed_on: date
    note: str

    @property
    def source_label(self) -> str:
        return str(EvidenceSource(self.source).label)


@dataclass
class ProfileRow:
    target: Target
    history: list[EvidencePoint] = field(default_factory=list)  # newest first

    @property
    def latest(self) -> EvidencePoint | None:
        return self.history[0] if self.history else None

    @property
    def trend(self) -> str:
        """ "up", "down", "same" against the evidence before the latest; "new" with one;
        "" with none."""
        if not self.history:
            return ""
        if len(self.history) == 1:
            return "new"
        now, before = self.history[0].level, self.history[1].level
        return "up" if now > before else "down" if now < before else "same"

    @property
    def reached(self) -> bool:
        return self.latest is not None and self.latest.level >= self.target.level

    @property
    def percent(self) -> int:
        if self.latest is None:
            return 0
        return min(100, round(100 * self.latest.level / self.target.level))


def framework_levels(framework: Framework) -> list[Level]:
    """The framework's levels, named in the reader's language ("Foundation 2"), or 1 to 8 when
    it names none."""
    levels = []
    for entry in framework.levels or []:
        if isinstance(entry, dict) and isinstance(entry.get("number"), int):
            number = entry["number"]
            name = translated(entry.get("name") or {}) or str(number)
            levels.append(Level(number, name))
    if not levels:
        levels = [
            Level(n, _("Level %(number)s") % {"number": n})
            for n in range(1, DEFAULT_LEVEL_COUNT + 1)
        ]
    return sorted(levels, key=lambda level: level.number)


def programme_targets(*, programme_id: int) -> list[Target]:
    """The competences a programme aims at, from placement's targets and its modules' (two
    queries), each with the highest level asked, in the frameworks' order."""
    levels: dict[int, int] = {}
    competences: dict[int, Competence] = {}
    rows: Iterable[ProgrammeTarget | ModuleCompetence] = [
        *ProgrammeTarget.objects.filter(programme_id=programme_id).select_related(
            "competence__framework", "competence__area"
        ),
        *ModuleCompetence.objects.filter(module__programme_id=programme_id).select_related(
            "competence__framework", "competence__area"
        ),
    ]
    for row in rows:
        competences[row.competence_id] = row.competence
        levels[row.competence_id] = max(levels.get(row.competence_id, 0), row.level)
    ordered = sorted(
        competences.values(), key=lambda c: (c.framework.code, c.framework_id, c.position, c.pk)
    )
    return [Target(c, levels[c.pk]) for c in ordered]


def cohort_get(*, user: User, cohort_id: int) -> Cohort:
    cohort = cohorts_visible(user=user).filter(pk=cohort_id).first()
    if cohort is None:
        raise Http404
    return cohort


def enrolment_get(*, user: User, enrolment_id: int) -> Enrolment:
    """A learner the user may see (a trainer: of their own cohorts); 404 otherwise."""
    visible = Cohort.objects.filter(cohort_filter(user)).values("pk")
    enrolment = (
        Enrolment.objects.filter(pk=enrolment_id, cohort_id__in=visible)
        .select_related("person", "cohort__run__programme", "cohort__run__site__organisation")
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment


def evidence_get(*, user: User, evidence_id: int) -> CompetenceEvidence:
    visible = Cohort.objects.filter(cohort_filter(user)).values("pk")
    evidence = (
        CompetenceEvidence.objects.filter(pk=evidence_id, enrolment__cohort_id__in=visible)
        .select_related("enrolment__cohort__run__site", "competence")
        .first()
    )
    if evidence is None:
        raise Http404
    return evidence


def _history(
    *, enrolment_ids: list[int], competence_ids: list[int]
) -> dict[tuple[int, int], list[EvidencePoint]]:
    """Every piece of evidence of these learners on these competences (one query), newest
    first per (learner, competence)."""
    found: dict[tuple[int, int], list[EvidencePoint]] = defaultdict(list)
    if not enrolment_ids or not competence_ids:
        return found
    rows = (
        CompetenceEvidence.objects.filter(
            enrolment_id__in=enrolment_ids, competence_id__in=competence_ids
        )
        .order_by("enrolment_id", "competence_id", "-assessed_on", "-pk")
        .values_list(
            "enrolment_id",
            "competence_id",
            "pk",
            "level",
            "source",
            "source_ref",
            "assessed_on",
            "note",
        )
    )
    for enrolment_id, competence_id, pk, level, source, ref, on, note in rows:
        found[(enrolment_id, competence_id)].append(EvidencePoint(pk, level, source, ref, on, note))
    return found


def learner_profile(*, enrolment: Enrolment) -> list[ProfileRow]:
    """Each competence aimed at, with the learner's evidence on it (three queries)."""
    targets = programme_targets(programme_id=enrolment.cohort.run.programme_id)
    history = _history(
        enrolment_ids=[enrolment.pk], competence_ids=[t.competence.pk for t in targets]
    )
    return [ProfileRow(t, history.get((enrolment.pk, t.competence.pk), [])) for t in targets]


@dataclass(frozen=True)
class HeatCell:
    level: int | None
    target: int

    @property
    def band(self) -> str:
        """The colour's class: none, below half the target, under it, reached."""
        if self.level is None:
            return "none"
        if self.level >= self.target:
            return "reached"
        return "close" if 2 * self.level >= self.target else "far"


@dataclass(frozen=True)
class HeatRow:
    target: Target
    cells: list[HeatCell]
    reached: int


@dataclass(frozen=True)
class HeatMap:
    learners: list[Enrolment]
    rows: list[HeatRow]


def cohort_enrolments(*, cohort: Cohort) -> list[Enrolment]:
    """The cohort's learners in training or graduated (one query)."""
    return list(
        cohort.enrolments.filter(
            status__in=[Enrolment.Status.ACTIVE, Enrolment.Status.GRADUATED]
        ).select_related("person")
    )


def cohort_heatmap(*, cohort: Cohort) -> HeatMap:
    """Competence × learner: each learner's latest level against the level aimed at (four
    queries)."""
    targets = programme_targets(programme_id=cohort.run.programme_id)
    learners = cohort_enrolments(cohort=cohort)
    history = _history(
        enrolment_ids=[e.pk for e in learners], competence_ids=[t.competence.pk for t in targets]
    )
    rows = []
    for target in targets:
        cells = []
        for learner in learners:
            points = history.get((learner.pk, target.competence.pk))
            cells.append(HeatCell(points[0].level if points else None, target.level))
        rows.append(HeatRow(target, cells, sum(1 for c in cells if c.band == "reached")))
    return HeatMap(learners, rows)


def assessment_grid(
    *, cohort: Cohort
) -> tuple[list[Target], list[Enrolment], dict[tuple[int, int], int]]:
    """What the assessment grid shows: the targets, the learners in training, and each
    learner's latest level per competence (four queries)."""
    targets = programme_targets(programme_id=cohort.run.programme_id)
    learners = [e for e in cohort_enrolments(cohort=cohort) if e.status == Enrolment.Status.ACTIVE]
    history = _history(
        enrolment_ids=[e.pk for e in learners], competence_ids=[t.competence.pk for t in targets]
    )
    latest = {key: points[0].level for key, points in history.items() if points}
    return targets, learners, latest


def frameworks_levels(targets: list[Target]) -> dict[int, list[Level]]:
    """Each target framework's levels, by framework id."""
    return {t.competence.framework_id: framework_levels(t.competence.framework) for t in targets}
