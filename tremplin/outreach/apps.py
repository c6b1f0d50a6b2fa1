from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "tremplin.outreach"
    label = "outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        from tremplin.outreach import navigation  # noqa: F401
