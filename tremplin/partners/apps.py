from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "tremplin.partners"
    label = "partners"
    verbose_name = _("Partners and internships")

    def ready(self) -> None:
        from tremplin.partners import navigation  # noqa: F401

        # referrals: the person who submits a referred application becomes the referral's
        from tremplin.partners.services.referrals import referral_application_submitted
        from tremplin.selection.signals import application_submitted

        application_submitted.connect(
            referral_application_submitted, dispatch_uid="partners.referral_application_submitted"
        )
