from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "tremplin.messaging"
    label = "messaging"
    verbose_name = _("Messages to applicants")

    def ready(self) -> None:
        from tremplin.messaging import navigation  # noqa: F401
