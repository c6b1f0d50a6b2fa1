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
        from tremplin.placement.services.attempts import on_application_submitted
        from tremplin.selection.signals import application_submitted

        post_migrate.connect(_install_frameworks, sender=self)
        application_submitted.connect(on_application_submitted, dispatch_uid="placement-score")
