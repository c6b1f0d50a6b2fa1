"""The competences a programme aims at: a competence (DigComp 2.2 or one of the organisation's
frameworks) and the level aimed at, for the whole programme or one of its modules. Writes are
atomic and audited."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.network.models import Programme
from tremplin.placement import bank
from tremplin.placement.models import Competence, ProgrammeTarget
from tremplin.placement.selectors.access import MANAGE_ROLES, may_in

MODULE_MAX_LENGTH = ProgrammeTarget._meta.get_field("module").max_length or 120


def _target_words(target: ProgrammeTarget) -> str:
    module = f" ({target.module})" if target.module else ""
    return f"{target.competence.framework.code} {target.competence.code} ≥ {target.level}{module}"


def target_set(
    *, actor: User, programme: Programme, competence: Competence, level: int, module: str = ""
) -> ProgrammeTarget:
    """The programme (or one of its modules) aims at ``competence`` at ``level``; set again,
    the level changes."""
    if not may_in(actor, programme.organisation_id, MANAGE_ROLES):
        raise PermissionDenied
    framework = competence.framework
    if not (
        (framework.organisation_id is None and framework.code == bank.DIGCOMP)
        or framework.organisation_id == programme.organisation_id
    ):
        raise ValidationError(
            {
                "competence": _(
                    "Choose a competence of DigComp 2.2 or of your organisation's frameworks."
                )
            }
        )
    module = module.strip()
    if len(module) > MODULE_MAX_LENGTH:
        raise ValidationError(
            {"module": _("Module: at most %(max)s characters.") % {"max": MODULE_MAX_LENGTH}}
        )
    numbers = {
        int(lv["number"])
        for lv in framework.levels or []
        if isinstance(lv, Mapping) and isinstance(lv.get("number"), int)
    }
    if not 1 <= level <= 8 or (numbers and level not in numbers):
        raise ValidationError({"level": _("Level: choose a level from 1 to 8.")})
    with transaction.atomic():
        existing = (
            ProgrammeTarget.objects.select_for_update()
            .filter(programme=programme, module=module, competence=competence)
            .first()
        )
        before = existing.level if existing is not None else None
        if existing is None:
            target = ProgrammeTarget.objects.create(
                programme=programme, module=module, competence=competence, level=level
            )
        else:
            target = existing
            if target.level == level:
                return target
            target.level = level
            target.save(update_fields=["level"])
        audit_record(
            actor=actor,
            action=AuditAction.PROGRAMME_TARGET_SET,
            subject=programme,
            changes={"level": {"from": before, "to": level}},
            note=_target_words(target),
        )
    return target


def target_remove(*, actor: User, target: ProgrammeTarget) -> None:
    if not may_in(actor, target.programme.organisation_id, MANAGE_ROLES):
        raise PermissionDenied
    with transaction.atomic():
        words = _target_words(target)
        deleted, _rows = ProgrammeTarget.objects.filter(pk=target.pk).delete()
        if deleted:
            audit_record(
                actor=actor,
                action=AuditAction.PROGRAMME_TARGET_REMOVED,
                subject=target.programme,
                changes={"level": {"from": target.level, "to": None}},
                note=words,
            )
