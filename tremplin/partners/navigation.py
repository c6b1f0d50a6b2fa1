"""What partners add to the navigation, the dashboard and a person's page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tremplin.core.registry import NavItem, registry
from tremplin.partners.selectors.access import can_use_partners, can_use_referrals

registry.add_nav(
    NavItem(
        label=_("Partners"),
        url_name="partners:home",
        icon="building",
        order=9,
        visible=can_use_partners,
    )
)

# --- referrals ----------------------------------------------------------------------------
registry.add_nav(
    NavItem(
        label=_("Referrals"),
        url_name="partners:referral-list",
        icon="person-plus",
        order=9,
        visible=can_use_referrals,
    )
)

# --- offers and matching (issue 14, items 3 and 4) -------------------------------------------
from typing import Any  # noqa: E402

from django.urls import reverse  # noqa: E402

from tremplin.core.registry import LearnerLink, LightPage  # noqa: E402


def _learner_offers_link(enrolment: Any, token: str) -> dict[str, Any] | None:
    """The learner's home links to the offers they may say interest them."""
    if enrolment.status not in ("active", "graduated"):
        return None
    return {
        "url": reverse("partners:learner-offers", args=[token]),
        # applicant-facing
        "label": _("Internship and job offers"),
        "icon": "briefcase",
    }


registry.add_learner_link(LearnerLink(order=30, build=_learner_offers_link))
# A partner contact enters offers, a learner says which interest them: on a phone
# (docs/decisions/0018).
registry.add_light_page(
    LightPage(
        url_name="partners:link-offers",
        templates=("partners/offers/link.html", "partners/offers/_fields.html"),
    )
)
registry.add_light_page(
    LightPage(url_name="partners:learner-offers", templates=("partners/offers/learner.html",))
)

# --- agreements: internships and their agreements ---------------------------------------------
registry.add_nav(
    NavItem(
        label=_("Internships"),
        url_name="partners:internship-list",
        icon="briefcase",
        order=9,
        visible=can_use_partners,
    )
)
