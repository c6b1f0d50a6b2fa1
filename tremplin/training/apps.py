from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "tremplin.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from tremplin.training import (
            navigation,  # noqa: F401
            receivers_progress,  # noqa: F401  (progress: placement re-tests)
        )
