"""Partners' URLs, one list per area (each area's views in its own modules)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from tremplin.partners.views import partners as partner_views
from tremplin.partners.views import referral_link as referral_link_views
from tremplin.partners.views import referrals as referral_views

app_name = "partners"

# --- partner organisations, sites, contacts, timeline, duplicates, dashboards ---------------
ORGANISATIONS: list[URLPattern | URLResolver] = [
    path("", partner_views.partner_list, name="home"),
]

# --- referrals: the partner's private link, the referral form, statuses, funnel -------------
REFERRALS: list[URLPattern | URLResolver] = [
    path("r/<str:token>/", referral_link_views.referral_link, name="referral-link"),
    path(
        "r/<str:token>/people/",
        referral_link_views.referral_link_people,
        name="referral-link-people",
    ),
    path("referrals/", referral_views.referral_list, name="referral-list"),
    path("referrals/funnel/", referral_views.referral_funnel, name="referral-funnel"),
    path(
        "referrals/<int:referral_id>/withdraw/",
        referral_views.referral_withdraw,
        name="referral-withdraw",
    ),
    path(
        "<int:partner_id>/referrals/new/",
        referral_views.referral_create,
        name="referral-create",
    ),
]

# --- offers, the partner's offer link, ranking, matching, the learner's wishes --------------
OFFERS: list[URLPattern | URLResolver] = []

# --- internships and agreements: templates, rules, PDF, signatures, scan ------------------
AGREEMENTS: list[URLPattern | URLResolver] = []

# --- during the internship: check-ins, tutor's evaluation link, self-assessment, incidents --
DURING: list[URLPattern | URLResolver] = []

urlpatterns: list[URLPattern | URLResolver] = [
    *ORGANISATIONS,
    *REFERRALS,
    *OFFERS,
    *AGREEMENTS,
    *DURING,
]
