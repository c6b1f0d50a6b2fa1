"""Partners' URLs, one list per area (each area's views in its own modules)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from tremplin.partners.views import agreements as agreement_views
from tremplin.partners.views import contacts as contact_views
from tremplin.partners.views import criteria as criteria_views
from tremplin.partners.views import dashboard as dashboard_views
from tremplin.partners.views import follow_up as follow_up_views
from tremplin.partners.views import interactions as interaction_views
from tremplin.partners.views import internships as internship_views
from tremplin.partners.views import matching as matching_views
from tremplin.partners.views import offer_links as offer_link_views
from tremplin.partners.views import offers as offer_views
from tremplin.partners.views import outside_links
from tremplin.partners.views import partners as partner_views
from tremplin.partners.views import referral_link as referral_link_views
from tremplin.partners.views import referrals as referral_views

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
OFFERS: list[URLPattern | URLResolver] = [
    path("offers/", offer_views.offer_list, name="offer-list"),
    path("offers/new/", offer_views.offer_create, name="offer-create"),
    path("offers/<int:offer_id>/", offer_views.offer_detail, name="offer-detail"),
    path("offers/<int:offer_id>/edit/", offer_views.offer_edit, name="offer-edit"),
    path("offers/<int:offer_id>/publish/", offer_views.offer_publish, name="offer-publish"),
    path("offers/<int:offer_id>/close/", offer_views.offer_close, name="offer-close"),
    path("offers/<int:offer_id>/ranking/", matching_views.offer_ranking, name="offer-ranking"),
    path("cohorts/<int:cohort_id>/matching/", matching_views.matching_page, name="matching"),
    path("matches/<int:match_id>/confirm/", matching_views.match_confirm, name="match-confirm"),
    path("matches/<int:match_id>/decline/", matching_views.match_decline, name="match-decline"),
    path("matches/<int:match_id>/change/", matching_views.match_change, name="match-change"),
    path("p/<str:token>/offers/", offer_link_views.partner_offers, name="link-offers"),
    path("me/<str:token>/offers/", offer_link_views.learner_offers, name="learner-offers"),
]

# --- internships and agreements: templates, rules, PDF, signatures, scan ------------------
AGREEMENTS: list[URLPattern | URLResolver] = [
    path("internships/", internship_views.internship_list, name="internship-list"),
    path("internships/new/", internship_views.internship_create, name="internship-create"),
    path(
        "matches/<int:match_id>/internship/",
        internship_views.internship_create_from_match,
        name="internship-create-from-match",
    ),
    path(
        "internships/<int:internship_id>/",
        internship_views.internship_detail,
        name="internship-detail",
    ),
    path(
        "internships/<int:internship_id>/edit/",
        internship_views.internship_edit,
        name="internship-edit",
    ),
    path(
        "internships/<int:internship_id>/agreement.pdf",
        internship_views.internship_agreement_pdf,
        name="internship-agreement-pdf",
    ),
    path(
        "internships/<int:internship_id>/signatures/",
        internship_views.internship_signature,
        name="internship-signature",
    ),
    path(
        "internships/<int:internship_id>/scan/",
        internship_views.internship_scan_file,
        name="internship-scan",
    ),
    path(
        "internships/<int:internship_id>/start/",
        internship_views.internship_start,
        name="internship-start",
    ),
    path(
        "internships/<int:internship_id>/cancel/",
        internship_views.internship_cancel,
        name="internship-cancel",
    ),
    path(
        "agreements/templates/",
        agreement_views.agreement_template_list,
        name="agreement-template-list",
    ),
    path(
        "agreements/templates/new/",
        agreement_views.agreement_template_create,
        name="agreement-template-create",
    ),
    path(
        "agreements/templates/<int:template_id>/",
        agreement_views.agreement_template_edit,
        name="agreement-template-edit",
    ),
    path(
        "agreements/rules/new/",
        agreement_views.agreement_rule_create,
        name="agreement-rule-create",
    ),
    path(
        "agreements/rules/<int:rule_id>/",
        agreement_views.agreement_rule_edit,
        name="agreement-rule-edit",
    ),
]

# --- during the internship: check-ins, tutor's evaluation link, self-assessment, incidents --
DURING: list[URLPattern | URLResolver] = [
    path(
        "internships/<int:internship_id>/follow-up/",
        follow_up_views.internship_follow_up,
        name="internship-follow-up",
    ),
    path(
        "internships/<int:internship_id>/check-ins/",
        follow_up_views.check_in_plan,
        name="check-in-plan",
    ),
    path(
        "internships/<int:internship_id>/check-ins/usual/",
        follow_up_views.check_ins_plan_default,
        name="check-ins-plan-default",
    ),
    path(
        "check-ins/<int:check_in_id>/held/", follow_up_views.check_in_record, name="check-in-record"
    ),
    path("check-ins/", follow_up_views.check_ins_due, name="check-ins-due"),
    path(
        "internships/<int:internship_id>/incidents/",
        follow_up_views.incident_record,
        name="incident-record",
    ),
    path(
        "internships/<int:internship_id>/end/",
        follow_up_views.internship_end_record,
        name="internship-end",
    ),
    path(
        "internships/<int:internship_id>/job-offer/",
        follow_up_views.job_offer_record,
        name="internship-job-offer",
    ),
    path(
        "internships/<int:internship_id>/evaluations/",
        follow_up_views.evaluation_request,
        name="evaluation-request",
    ),
    path(
        "evaluations/<int:evaluation_id>/revoke/",
        follow_up_views.evaluation_revoke,
        name="evaluation-revoke",
    ),
    path(
        "programmes/<int:programme_id>/evaluation-criteria/",
        criteria_views.evaluation_criteria,
        name="evaluation-criteria",
    ),
    path("t/<str:token>/", outside_links.tutor_evaluation, name="tutor-evaluation"),
    path("me/<str:token>/internship/", outside_links.learner_internship, name="learner-internship"),
    path("dashboard/", dashboard_views.partners_dashboard, name="dashboard"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    *ORGANISATIONS,
    *REFERRALS,
    *OFFERS,
    *AGREEMENTS,
    *DURING,
]
