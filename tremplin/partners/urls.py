"""Partners' URLs, one list per area (each area's views in its own modules)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from tremplin.partners.views import criteria as criteria_views
from tremplin.partners.views import dashboard as dashboard_views
from tremplin.partners.views import follow_up as follow_up_views
from tremplin.partners.views import outside_links
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
