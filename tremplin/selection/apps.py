from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "tremplin.selection"
    label = "selection"
    verbose_name = _("Selection")

    def ready(self) -> None:
        from tremplin.messaging.services import message_delivered
        from tremplin.selection import navigation  # noqa: F401
        from tremplin.selection.mail import decision_delivered

        message_delivered.connect(decision_delivered, dispatch_uid="selection.decision_delivered")
