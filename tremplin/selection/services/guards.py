"""The checks a write makes before it changes anything: the permission, again (services are
also used by commands and tests), and that a stage belongs to the application's call and is
reached."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from tremplin.core.models import User
from tremplin.selection.models import Application, Stage
from tremplin.selection.selectors import can_manage_call


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def check_stage_access(actor: User, application: Application, stage: Stage) -> None:
    require(can_manage_call(actor, application.call))
    if stage.call_id != application.call_id:
        raise ValidationError(_("This stage belongs to another call."))


def check_reachable(application: Application, stage: Stage) -> None:
    if stage.position > application.stages_passed + 1:
        raise ValidationError(
            _("%(name)s is not reached yet: the earlier stages come first.")
            % {"name": application.person}
        )
