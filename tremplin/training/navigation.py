"""What training adds to the navigation, the dashboard and a person's page."""

from __future__ import annotations

# --- certification and certificates (issue 13 item 8) ---
from django.utils.translation import gettext_lazy as _

from tremplin.core.registry import LightPage, NavItem, registry
from tremplin.training.selectors.access import can_use_training

registry.add_nav(
    NavItem(
        label=_("Certifications"),
        url_name="training:certification-sessions",
        icon="award",
        order=46,
        visible=can_use_training,
        active_prefix="/training/certification",
    )
)
# A certificate's public verification page and the credential check: opened by anyone, on
# any phone (docs/decisions/0018).
registry.add_light_page(
    LightPage(
        url_name="training:certificate-verify", templates=("training/certificate_verify.html",)
    )
)
registry.add_light_page(
    LightPage(url_name="training:credential-verify", templates=("training/credential_verify.html",))
)
