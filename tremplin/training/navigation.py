"""What training adds to the navigation, the dashboard and a person's page."""

from __future__ import annotations

# --- certification and certificates (issue 13 item 8) ---
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tremplin.core.models import User
from tremplin.core.registry import LightPage, NavItem, PersonPanel, registry
from tremplin.training.selectors.access import can_use_training
from tremplin.training.selectors.certificates import person_certificates

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


def _certificates_panel(request: HttpRequest, user: User, person: Any) -> dict[str, Any] | None:
    """The learner's certificates and external certification results (the cohorts the user
    sees only)."""
    if not can_use_training(user):
        return None
    certificates, results = person_certificates(user=user, person_id=person.pk)
    if not certificates and not results:
        return None
    return {"certificates": certificates, "results": results}


registry.add_person_panel(
    PersonPanel(order=46, build=_certificates_panel, template="training/_person_certificates.html")
)
