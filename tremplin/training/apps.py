from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "tremplin.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        # structure: a replicated run takes its cohorts' set-up along.
        from tremplin.network.signals import run_replicated
        from tremplin.training import (
            navigation,  # noqa: F401
            receivers_progress,  # noqa: F401  (progress: placement re-tests)
        )
        from tremplin.training.services.replication import on_run_replicated

        run_replicated.connect(on_run_replicated, dispatch_uid="training.cohorts_copy")
        # early warning and the end-of-course survey (alerts): their signal receivers
        from tremplin.training.services import alert_checks, surveys  # noqa: F401
