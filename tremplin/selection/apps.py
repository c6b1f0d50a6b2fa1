from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "tremplin.selection"
    label = "selection"
    verbose_name = _("Selection")

    def ready(self) -> None:
        from tremplin.messaging.services import message_delivered
        from tremplin.outreach.signals import people_checked_in
        from tremplin.selection import navigation  # noqa: F401
        from tremplin.selection.mail import decision_delivered
        from tremplin.selection.services.information_sessions import on_people_checked_in

        people_checked_in.connect(on_people_checked_in, dispatch_uid="selection-information-stage")
        message_delivered.connect(decision_delivered, dispatch_uid="selection.decision_delivered")
