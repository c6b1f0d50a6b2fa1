"""Reads of a programme's structure: its periods, modules (with the competences they aim at)
and assessments.

The structure belongs to the programme, so it is read by whoever uses training in the
programme's organisation (another organisation's programme is not found) and changed by its
network admins and the site managers of its sites (access.can_manage_training)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from tremplin.core.models import User
from tremplin.network.models import Programme, Role
from tremplin.network.selectors import scope_for
from tremplin.placement.models import Competence, Framework, translated
from tremplin.placement.selectors.settings import target_competence, target_frameworks
from tremplin.training.models import Assessment, Module, ModuleCompetence, Period
from tremplin.training.selectors.access import TRAINING_ROLES


def _organisation_ids(user: User, roles: frozenset[str]) -> set[int] | None:
    """Organisations the user administers or holds one of ``roles`` at a site of; None for a
    superuser (every one)."""
    scope = scope_for(user)
    if scope.superuser:
        return None
    return scope.admin_organisation_ids() | {o for r, o, _s in scope.site_roles if r in roles}


def can_edit_structure(user: User, programme: Programme) -> bool:
    ids = _organisation_ids(user, frozenset({Role.SITE_MANAGER}))
    return ids is None or programme.organisation_id in ids


def structure_programmes(*, user: User) -> QuerySet[Programme]:
    """The programmes whose structure the user may read, with their number of modules and
    their modules' hours."""
    ids = _organisation_ids(user, TRAINING_ROLES)
    programmes = Programme.objects.select_related("organisation")
    if ids is not None:
        programmes = programmes.filter(organisation_id__in=ids)
    return programmes.annotate(
        module_count=Count("modules", distinct=True),
        module_hours=Sum("modules__hours"),
    ).order_by("organisation__name", "title")


def structure_programme_get(*, user: User, programme_id: int, edit: bool = False) -> Programme:
    """404 outside the user's organisations; with ``edit``, 403 for who may only read."""
    ids = _organisation_ids(user, TRAINING_ROLES)
    programmes = Programme.objects.select_related("organisation")
    if ids is not None:
        programmes = programmes.filter(organisation_id__in=ids)
    programme = programmes.filter(pk=programme_id).first()
    if programme is None:
        raise Http404
    if edit and not can_edit_structure(user, programme):
        raise PermissionDenied
    return programme


def period_get(*, user: User, period_id: int) -> Period:
    """A period the user may change (404 outside their organisations, 403 read-only)."""
    period = Period.objects.select_related("programme").filter(pk=period_id).first()
    if period is None:
        raise Http404
    structure_programme_get(user=user, programme_id=period.programme_id, edit=True)
    return period


def module_get(*, user: User, module_id: int) -> Module:
    module = Module.objects.select_related("programme", "period").filter(pk=module_id).first()
    if module is None:
        raise Http404
    structure_programme_get(user=user, programme_id=module.programme_id, edit=True)
    return module


def assessment_get(*, user: User, assessment_id: int) -> Assessment:
    assessment = (
        Assessment.objects.select_related("programme", "period", "module")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        raise Http404
    structure_programme_get(user=user, programme_id=assessment.programme_id, edit=True)
    return assessment


@dataclass
class ModuleRow:
    module: Module
    targets: list[tuple[str, int]]  # (the competence's code and name, the level aimed at)
    assessments: list[Assessment] = field(default_factory=list)


@dataclass
class PeriodBlock:
    period: Period | None  # None: the modules in no period
    modules: list[ModuleRow]
    assessments: list[Assessment]  # the period's own (with no module)

    @property
    def hours(self) -> int:
        return sum(row.module.hours for row in self.modules)


@dataclass
class Structure:
    programme: Programme
    blocks: list[PeriodBlock]
    module_count: int
    hours: int

    @property
    def last_period(self) -> Period | None:
        periods = [block.period for block in self.blocks if block.period is not None]
        return periods[-1] if periods else None

    @property
    def hours_differ(self) -> bool:
        """The modules' hours differ from the hours the programme announces."""
        return self.programme.hours is not None and self.hours != self.programme.hours


def competence_words(competence: Competence) -> str:
    return f"{competence.code} {translated(competence.name)}".strip()


def programme_structure(*, programme: Programme) -> Structure:
    """The programme's periods in order, each with its modules (their competences by name)
    and assessments, then the modules in no period; four queries whatever the size."""
    periods = list(Period.objects.filter(programme=programme).order_by("position"))
    modules = list(
        Module.objects.filter(programme=programme)
        .order_by("position", "pk")
        .prefetch_related(
            Prefetch(
                "targets",
                queryset=ModuleCompetence.objects.select_related("competence").order_by(
                    "competence__framework_id", "competence__position"
                ),
            )
        )
    )
    assessments = list(
        Assessment.objects.filter(programme=programme).order_by("module__position", "pk")
    )
    rows = {
        module.pk: ModuleRow(
            module,
            [(competence_words(t.competence), t.level) for t in module.targets.all()],
        )
        for module in modules
    }
    period_own: dict[int | None, list[Assessment]] = {}
    for assessment in assessments:
        row = rows.get(assessment.module_id) if assessment.module_id else None
        # A module's assessment shows with the module, unless it names another period.
        if row is not None and assessment.period_id in (None, row.module.period_id):
            row.assessments.append(assessment)
        else:
            period_own.setdefault(assessment.period_id, []).append(assessment)
    blocks = [
        PeriodBlock(
            period,
            [rows[m.pk] for m in modules if m.period_id == period.pk],
            period_own.get(period.pk, []),
        )
        for period in periods
    ]
    loose = [rows[m.pk] for m in modules if m.period_id is None]
    if loose or not blocks:
        blocks.append(PeriodBlock(None, loose, []))
    return Structure(
        programme=programme,
        blocks=blocks,
        module_count=len(modules),
        hours=sum(m.hours for m in modules),
    )


def competence_frameworks(*, programme: Programme) -> list[Framework]:
    """The frameworks a module's competences are picked from (placement's: DigComp 2.2 and
    the organisation's own)."""
    return list(target_frameworks(programme))


def competence_pick(*, frameworks: list[Framework], competence_id: int) -> Competence | None:
    return target_competence(frameworks=frameworks, competence_id=competence_id)


def module_targets(*, module: Module) -> list[ModuleCompetence]:
    return list(
        ModuleCompetence.objects.filter(module=module)
        .select_related("competence__framework")
        .order_by("competence__framework_id", "competence__position")
    )


def period_neighbours(*, period: Period) -> QuerySet[Period]:
    return Period.objects.filter(programme_id=period.programme_id)


def module_neighbours(*, module: Module) -> QuerySet[Module]:
    """The modules ordered with this one: those of the same period (or of none)."""
    return Module.objects.filter(
        Q(period_id=module.period_id) if module.period_id else Q(period__isnull=True),
        programme_id=module.programme_id,
    )
