"""Writes of a programme's structure: periods and modules (and the competences a module aims
at). Each is atomic, re-checks that the actor may change the programme's structure, and is
audited in the same transaction ("training: structure" in core.audit_actions)."""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record, field_changes, snapshot
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.network.models import Programme
from tremplin.placement.models import Competence
from tremplin.training.models import Module, ModuleCompetence, ModuleKind, Period
from tremplin.training.selectors import structure as selectors

Direction = Literal["up", "down"]
PERIOD_FIELDS = ("title", "kind", "weeks")
MODULE_FIELDS = ("title", "kind", "hours", "period_id", "summary")
MAX_WEEKS = 156
MAX_HOURS = 5000


def _check_editor(actor: User, programme: Programme) -> None:
    if not selectors.can_edit_structure(actor, programme):
        raise PermissionDenied


def _next_position(queryset: models.QuerySet[Period] | models.QuerySet[Module]) -> int:
    return int(queryset.aggregate(top=Max("position"))["top"] or 0) + 1


# --- periods ------------------------------------------------------------------------------


def _check_period(*, programme: Programme, title: str, weeks: int | None, pk: int | None) -> str:
    title = title.strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Title: give the period a name.")
    elif Period.objects.filter(programme=programme, title=title).exclude(pk=pk or 0).exists():
        errors["title"] = _("Title: the programme already has a period with this name.")
    if weeks is not None and not 1 <= weeks <= MAX_WEEKS:
        errors["weeks"] = _("Length in weeks: from 1 to %(max)s.") % {"max": MAX_WEEKS}
    if errors:
        raise ValidationError(errors)
    return title


def period_create(
    *, actor: User, programme: Programme, title: str, kind: str, weeks: int | None
) -> Period:
    _check_editor(actor, programme)
    title = _check_period(programme=programme, title=title, weeks=weeks, pk=None)
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        period = Period.objects.create(
            programme=programme,
            title=title,
            kind=Period.Kind(kind),
            weeks=weeks,
            position=_next_position(Period.objects.filter(programme=programme)),
        )
        audit_record(
            actor=actor,
            action=AuditAction.PERIOD_SAVED,
            subject=period,
            changes=field_changes(instance=period, before={}, fields=PERIOD_FIELDS),
            note=programme.title,
        )
    return period


def period_update(
    *, actor: User, period: Period, title: str, kind: str, weeks: int | None
) -> Period:
    _check_editor(actor, period.programme)
    title = _check_period(programme=period.programme, title=title, weeks=weeks, pk=period.pk)
    with transaction.atomic():
        before = snapshot(period, PERIOD_FIELDS)
        period.title, period.kind, period.weeks = title, Period.Kind(kind), weeks
        changes = field_changes(instance=period, before=before, fields=PERIOD_FIELDS)
        if changes:
            period.save(update_fields=list(PERIOD_FIELDS))
            audit_record(
                actor=actor, action=AuditAction.PERIOD_SAVED, subject=period, changes=changes
            )
    return period


def period_remove(*, actor: User, period: Period) -> int:
    """Remove a period; its modules stay in the programme, in no period. Refused while
    assessments belong to it. Returns the number of modules it held."""
    _check_editor(actor, period.programme)
    with transaction.atomic():
        if period.assessments.exists():
            raise ValidationError(
                _(
                    "“%(title)s” still has assessments: remove them or move them to another "
                    "period first."
                )
                % {"title": period.title}
            )
        modules = Module.objects.filter(period=period).update(period=None)
        audit_record(
            actor=actor,
            action=AuditAction.PERIOD_REMOVED,
            subject=period.programme,
            changes={"period": {"from": period.title, "to": None}},
            note=period.title,
        )
        period.delete()
    return modules


def _swap(
    item: Period | Module,
    neighbours: models.QuerySet[Period] | models.QuerySet[Module],
    direction: Direction,
) -> Period | Module | None:
    """Swap ``item``'s position with the next one up or down; None at either end."""
    if direction == "up":
        other = neighbours.filter(position__lt=item.position).order_by("-position").first()
    else:
        other = neighbours.filter(position__gt=item.position).order_by("position").first()
    if other is None:
        return None
    mine, theirs = item.position, other.position
    # (programme, position) is unique for periods: step through a free position.
    item.position = 0
    item.save(update_fields=["position"])
    other.position = mine
    other.save(update_fields=["position"])
    item.position = theirs
    item.save(update_fields=["position"])
    return other


def period_move(*, actor: User, period: Period, direction: Direction) -> bool:
    """Move a period one place up or down; False when it is already first or last."""
    _check_editor(actor, period.programme)
    with transaction.atomic():
        before = period.position
        other = _swap(period, selectors.period_neighbours(period=period), direction)
        if other is None:
            return False
        audit_record(
            actor=actor,
            action=AuditAction.PERIOD_SAVED,
            subject=period,
            changes={"position": {"from": before, "to": period.position}},
        )
    return True


# --- modules ------------------------------------------------------------------------------


def _check_module(
    *, programme: Programme, title: str, hours: int, period: Period | None, pk: int | None
) -> str:
    title = title.strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Title: give the module a name.")
    elif Module.objects.filter(programme=programme, title=title).exclude(pk=pk or 0).exists():
        errors["title"] = _("Title: the programme already has a module with this name.")
    if not 1 <= hours <= MAX_HOURS:
        errors["hours"] = _("Hours: from 1 to %(max)s.") % {"max": MAX_HOURS}
    if period is not None and period.programme_id != programme.pk:
        errors["period"] = _("Period: choose one of this programme's periods.")
    if errors:
        raise ValidationError(errors)
    return title


def module_create(
    *,
    actor: User,
    programme: Programme,
    title: str,
    kind: str,
    hours: int,
    period: Period | None = None,
    summary: str = "",
) -> Module:
    _check_editor(actor, programme)
    title = _check_module(programme=programme, title=title, hours=hours, period=period, pk=None)
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        module = Module.objects.create(
            programme=programme,
            title=title,
            kind=ModuleKind(kind),
            hours=hours,
            period=period,
            summary=summary.strip(),
            position=_next_position(Module.objects.filter(programme=programme)),
        )
        audit_record(
            actor=actor,
            action=AuditAction.MODULE_SAVED,
            subject=module,
            changes=field_changes(instance=module, before={}, fields=MODULE_FIELDS),
            note=programme.title,
        )
    return module


def module_update(
    *,
    actor: User,
    module: Module,
    title: str,
    kind: str,
    hours: int,
    period: Period | None,
    summary: str,
) -> Module:
    _check_editor(actor, module.programme)
    title = _check_module(
        programme=module.programme, title=title, hours=hours, period=period, pk=module.pk
    )
    with transaction.atomic():
        before = snapshot(module, MODULE_FIELDS)
        module.title, module.kind, module.hours = title, ModuleKind(kind), hours
        module.period, module.summary = period, summary.strip()
        changes = field_changes(instance=module, before=before, fields=MODULE_FIELDS)
        if changes:
            module.save(update_fields=["title", "kind", "hours", "period", "summary", "updated_at"])
            audit_record(
                actor=actor, action=AuditAction.MODULE_SAVED, subject=module, changes=changes
            )
    return module


def module_remove(*, actor: User, module: Module) -> None:
    """Remove a module and the competences it aims at; its sessions stay, with no module.
    Refused while assessments belong to it."""
    _check_editor(actor, module.programme)
    with transaction.atomic():
        if module.assessments.exists():
            raise ValidationError(
                _("“%(title)s” still has assessments: remove them first.") % {"title": module.title}
            )
        audit_record(
            actor=actor,
            action=AuditAction.MODULE_REMOVED,
            subject=module.programme,
            changes={"module": {"from": module.title, "to": None}},
            note=module.title,
        )
        module.delete()


def module_move(*, actor: User, module: Module, direction: Direction) -> bool:
    """Move a module one place up or down among those of its period."""
    _check_editor(actor, module.programme)
    with transaction.atomic():
        before = module.position
        other = _swap(module, selectors.module_neighbours(module=module), direction)
        if other is None:
            return False
        audit_record(
            actor=actor,
            action=AuditAction.MODULE_SAVED,
            subject=module,
            changes={"position": {"from": before, "to": module.position}},
        )
    return True


def module_target_set(
    *, actor: User, module: Module, competence: Competence, level: int
) -> ModuleCompetence:
    """The module aims at ``competence`` at ``level`` (1–8); set again, the level changes.
    The competence comes from the frameworks placement offers the programme."""
    _check_editor(actor, module.programme)
    frameworks = selectors.competence_frameworks(programme=module.programme)
    if competence.framework_id not in {f.pk for f in frameworks}:
        raise ValidationError(
            {
                "competence": _(
                    "Competence: choose one of DigComp 2.2 or of your organisation's frameworks."
                )
            }
        )
    if not 1 <= level <= 8:
        raise ValidationError({"level": _("Level: choose a level from 1 to 8.")})
    words = selectors.competence_words(competence)
    with transaction.atomic():
        target = (
            ModuleCompetence.objects.select_for_update()
            .filter(module=module, competence=competence)
            .first()
        )
        before = target.level if target is not None else None
        if target is None:
            target = ModuleCompetence.objects.create(
                module=module, competence=competence, level=level
            )
        elif target.level == level:
            return target
        else:
            target.level = level
            target.save(update_fields=["level"])
        audit_record(
            actor=actor,
            action=AuditAction.MODULE_SAVED,
            subject=module,
            changes={"competence": {"from": before, "to": level}},
            note=words,
        )
    return target


def module_target_remove(*, actor: User, module: Module, target_id: int) -> bool:
    _check_editor(actor, module.programme)
    with transaction.atomic():
        target = (
            ModuleCompetence.objects.select_related("competence")
            .filter(pk=target_id, module=module)
            .first()
        )
        if target is None:
            return False
        audit_record(
            actor=actor,
            action=AuditAction.MODULE_SAVED,
            subject=module,
            changes={"competence": {"from": target.level, "to": None}},
            note=selectors.competence_words(target.competence),
        )
        target.delete()
    return True
