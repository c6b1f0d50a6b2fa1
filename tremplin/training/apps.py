from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "tremplin.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from tremplin.training import navigation  # noqa: F401

        # early warning and the end-of-course survey (alerts): their signal receivers
        from tremplin.training.services import alert_checks, surveys  # noqa: F401
