from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_frameworks(sender: AppConfig, **kwargs: Any) -> None:
    """DigComp 2.2 and its crosswalks are data the project ships: present in every database."""
    from tremplin.placement.bank import frameworks_install_shipped

    frameworks_install_shipped()


class PlacementConfig(AppConfig):
    name = "tremplin.placement"
    label = "placement"
    verbose_name = _("Placement")

    def ready(self) -> None:
        from tremplin.placement import navigation  # noqa: F401

        post_migrate.connect(_install_frameworks, sender=self)
