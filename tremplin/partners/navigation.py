"""What partners add to the navigation, the learner's home and the light pages."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tremplin.core.models import User
from tremplin.core.registry import LearnerLink, LightPage, NavItem, registry
from tremplin.partners.selectors.access import can_use_partners, can_use_referrals
from tremplin.partners.selectors.follow_up import learner_internship

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
def _sees_only_referrals(user: User) -> bool:
    """Selection officers see referrals, not partners: their own entry in the menu (the
    others reach referrals from the partners' pages)."""
    return can_use_referrals(user) and not can_use_partners(user)


registry.add_nav(
    NavItem(
        label=_("Referrals"),
        url_name="partners:referral-list",
        icon="person-plus",
        order=9,
        visible=_sees_only_referrals,
    )
)


# --- offers and matching (issue 14, items 3 and 4) -------------------------------------------
def _learner_offers_link(enrolment: Any, token: str) -> dict[str, Any] | None:
    """The learner's home links to the offers they may say interest them."""
    if enrolment.status not in ("active", "graduated"):
        return None
    return {
        "url": reverse("partners:learner-offers", args=[token]),
        # applicant-facing
        "label": gettext("Internship and job offers"),
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


# --- during the internship: check-ins due, the dashboard, the learner's link ---------------
def _learner_internship_link(enrolment: Any, token: str) -> dict[str, Any] | None:
    """On the learner's home: their internship's self-assessment, when they have one."""
    if learner_internship(enrolment) is None:
        return None
    return {
        "url": reverse("partners:learner-internship", kwargs={"token": token}),
        # applicant-facing
        "label": gettext("My internship: how is it going?"),
        "icon": "briefcase",
    }


registry.add_learner_link(LearnerLink(order=50, build=_learner_internship_link))
# Check-ins due and the dashboard are tabs of the partners' pages (_partners_nav.html).
registry.add_light_page(
    LightPage(
        url_name="partners:tutor-evaluation",
        templates=("partners/during/tutor_evaluation.html", "partners/during/_radios.html"),
    )
)
registry.add_light_page(
    LightPage(
        url_name="partners:learner-internship",
        templates=("partners/during/learner_internship.html", "partners/during/_radios.html"),
    )
)
