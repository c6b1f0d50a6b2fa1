"""Partners' URLs, one list per area (each area's views in its own modules)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from tremplin.partners.views import partners as partner_views

app_name = "partners"

# --- partner organisations, sites, contacts, timeline, duplicates, dashboards ---------------
ORGANISATIONS: list[URLPattern | URLResolver] = [
    path("", partner_views.partner_list, name="home"),
]

# --- referrals: the partner's private link, the referral form, statuses, funnel -------------
REFERRALS: list[URLPattern | URLResolver] = []

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
