"""Partners' URLs, one list per area (each area's views in its own modules)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from tremplin.partners.views import contacts as contact_views
from tremplin.partners.views import interactions as interaction_views
from tremplin.partners.views import partners as partner_views

app_name = "partners"

# --- partner organisations, sites, contacts, timeline, duplicates, dashboards ---------------
ORGANISATIONS: list[URLPattern | URLResolver] = [
    path("", partner_views.partner_list, name="home"),
    path("new/", partner_views.partner_create, name="partner-create"),
    path("<int:partner_id>/", partner_views.partner_detail, name="partner-detail"),
    path("<int:partner_id>/edit/", partner_views.partner_edit, name="partner-edit"),
    path("<int:partner_id>/archive/", partner_views.partner_archive, name="partner-archive"),
    path("<int:partner_id>/merge/", partner_views.partner_merge, name="partner-merge"),
    path(
        "<int:partner_id>/timeline.csv",
        partner_views.partner_timeline_export,
        name="partner-timeline-export",
    ),
    path(
        "<int:partner_id>/timeline/new/",
        interaction_views.interaction_add,
        name="interaction-add",
    ),
    path(
        "<int:partner_id>/timeline/<int:interaction_id>/remove/",
        interaction_views.interaction_remove,
        name="interaction-remove",
    ),
    path("<int:partner_id>/sites/new/", contact_views.site_add, name="partner-site-add"),
    path(
        "<int:partner_id>/sites/<int:site_id>/edit/",
        contact_views.site_edit,
        name="partner-site-edit",
    ),
    path("<int:partner_id>/contacts/new/", contact_views.contact_add, name="contact-add"),
    path(
        "<int:partner_id>/contacts/<int:contact_id>/edit/",
        contact_views.contact_edit,
        name="contact-edit",
    ),
    path(
        "<int:partner_id>/contacts/<int:contact_id>/archive/",
        contact_views.contact_archive,
        name="contact-archive",
    ),
    path("<int:partner_id>/links/new/", contact_views.link_create, name="partner-link-create"),
    path(
        "<int:partner_id>/links/<int:link_id>/revoke/",
        contact_views.link_revoke,
        name="partner-link-revoke",
    ),
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
