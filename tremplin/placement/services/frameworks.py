"""An organisation's own competency frameworks: written on a form (rows of area and competence,
the same columns as the CSV file) or imported from a file. Every row is checked first
(framework_plans.py) and nothing is saved when any row is wrong; the same code again updates
the framework. Shipped frameworks (no organisation) are read-only. Writes are atomic and
audited."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.network.models import Organisation
from tremplin.placement import bank
from tremplin.placement.models import Framework
from tremplin.placement.selectors.access import MANAGE_ROLES, may_in
from tremplin.placement.services.framework_files import (
    FrameworkFileError,
    FrameworkHeader,
    framework_file_read,
    rows_from_cells,
)
from tremplin.placement.services.framework_plans import (
    CheckedFramework,
    FrameworkPlan,
    framework_checked,
)


def _load(
    *,
    actor: User,
    organisation: Organisation,
    checked: CheckedFramework,
    action: AuditAction,
    note: str = "",
) -> Framework:
    """Write a checked framework (inside the caller's transaction) and record it."""
    assert checked.data is not None
    plan = checked.plan
    try:
        framework = bank.framework_load(checked.data, organisation=organisation)
    except ValidationError as error:  # checked above already; kept as a last guard
        raise ValidationError(error.messages) from error
    audit_record(
        actor=actor,
        action=action,
        subject=framework,
        changes={
            "competences created": {"from": None, "to": plan.created},
            "competences changed": {"from": None, "to": plan.updated},
            "competences removed": {"from": None, "to": len(plan.removed)},
        },
        note=note[:200],
    )
    plan.written = True
    plan.framework = framework
    return framework


def _manages(actor: User, organisation_id: int) -> None:
    if not may_in(actor, organisation_id, MANAGE_ROLES):
        raise PermissionDenied


def framework_import(
    *,
    actor: User,
    organisation: Organisation,
    file_name: str,
    content: bytes,
    code: str = "",
    name: Mapping[str, str] | None = None,
    maps_to_digcomp: bool = False,
    apply: bool,
) -> FrameworkPlan:
    """Check a framework file (JSON, or CSV with ``code`` and ``name`` given beside it); with
    ``apply``, and only when nothing is wrong, create the framework or update the one with the
    same code. Nothing is saved when any row is wrong."""
    _manages(actor, organisation.pk)
    try:
        header, rows = framework_file_read(
            file_name, content, code=code, name=name, maps_to_digcomp=maps_to_digcomp
        )
    except FrameworkFileError as error:
        return FrameworkPlan(file_name=file_name, code=code, file_problems=error.messages)
    if not apply:
        plan = framework_checked(
            organisation=organisation, header=header, rows=rows, lock=False
        ).plan
        plan.file_name = file_name
        return plan
    with transaction.atomic():
        checked = framework_checked(organisation=organisation, header=header, rows=rows, lock=True)
        checked.plan.file_name = file_name
        if checked.plan.has_problems:
            return checked.plan
        _load(
            actor=actor,
            organisation=organisation,
            checked=checked,
            action=AuditAction.FRAMEWORK_IMPORTED,
            note=file_name,
        )
    return checked.plan


def _raise(plan: FrameworkPlan) -> None:
    errors: dict[str, list[str]] = {}
    if plan.code_problems:
        errors["code"] = plan.code_problems
    if plan.name_problems:
        errors["name_fr"] = plan.name_problems
    others = [*plan.file_problems, *(p for row in plan.rows for p in row.problems)]
    if others:
        errors[NON_FIELD_ERRORS] = others
    raise ValidationError(errors)


def framework_create(
    *,
    actor: User,
    organisation: Organisation,
    code: str,
    name: Mapping[str, str],
    maps_to_digcomp: bool,
    rows: Sequence[Mapping[str, Any]],
) -> Framework:
    """An organisation's own framework from the form: ``rows`` in the CSV columns (empty rows
    are left out). Raises ValidationError naming the field or the row."""
    _manages(actor, organisation.pk)
    header = FrameworkHeader(
        code=code.strip(),
        name={k: v.strip() for k, v in name.items()},
        partial=True,
        maps_to_digcomp=maps_to_digcomp,
    )
    with transaction.atomic():
        checked = framework_checked(
            organisation=organisation,
            header=header,
            rows=rows_from_cells(rows),
            lock=True,
            must_be_new=True,
        )
        if checked.plan.has_problems:
            _raise(checked.plan)
        return _load(
            actor=actor,
            organisation=organisation,
            checked=checked,
            action=AuditAction.FRAMEWORK_CREATED,
        )


def framework_update(
    *,
    actor: User,
    framework: Framework,
    name: Mapping[str, str],
    maps_to_digcomp: bool,
    rows: Sequence[Mapping[str, Any]],
) -> Framework:
    """Change an organisation's own framework from the form (its code stays); a competence
    left out is removed, unless a programme aims at it. Shipped frameworks are read-only."""
    if framework.organisation is None or framework.organisation_id is None:
        raise PermissionDenied(_("A framework shipped with Tremplin cannot be changed."))
    _manages(actor, framework.organisation_id)
    header = FrameworkHeader(
        code=framework.code,
        name={k: v.strip() for k, v in name.items()},
        partial=True,
        maps_to_digcomp=maps_to_digcomp,
    )
    with transaction.atomic():
        checked = framework_checked(
            organisation=framework.organisation,
            header=header,
            rows=rows_from_cells(rows),
            lock=True,
            must_exist=framework,
        )
        if checked.plan.has_problems:
            _raise(checked.plan)
        return _load(
            actor=actor,
            organisation=framework.organisation,
            checked=checked,
            action=AuditAction.FRAMEWORK_UPDATED,
        )
