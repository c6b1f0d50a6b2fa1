from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "tremplin.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from tremplin.people import navigation  # noqa: F401
