from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "tremplin.network"
    label = "network"
    verbose_name = _("Network")

    def ready(self) -> None:
        from tremplin.network import navigation  # noqa: F401
