from __future__ import annotations

from django.urls import path

from tremplin.training.views import certificates as certificate_views
from tremplin.training.views import certification as certification_views
from tremplin.training.views import verify as verify_views

app_name = "training"

urlpatterns: list = []  # type: ignore[type-arg]

# --- certification and certificates (issue 13 item 8) ---
urlpatterns += [
    path(
        "certification/",
        certification_views.certification_sessions,
        name="certification-sessions",
    ),
    path(
        "certification/new/",
        certification_views.certification_session_create,
        name="certification-session-create",
    ),
    path(
        "certification/<int:session_id>/edit/",
        certification_views.certification_session_edit,
        name="certification-session-edit",
    ),
    path(
        "certification/<int:session_id>/",
        certification_views.certification_results,
        name="certification-results",
    ),
    path(
        "cohorts/<int:cohort_id>/certificates/",
        certificate_views.certificate_issue,
        name="certificate-issue",
    ),
    path(
        "certificates/<int:certificate_id>/",
        certificate_views.certificate_detail,
        name="certificate-detail",
    ),
    path(
        "certificates/<int:certificate_id>/pdf/",
        certificate_views.certificate_pdf,
        name="certificate-pdf",
    ),
    path(
        "certificates/<int:certificate_id>/credential/",
        certificate_views.certificate_credential,
        name="certificate-credential",
    ),
    path(
        "certificates/<int:certificate_id>/revoke/",
        certificate_views.certificate_revoke,
        name="certificate-revoke",
    ),
    path("verify/<str:public_id>/", verify_views.certificate_verify, name="certificate-verify"),
    path("credentials/verify/", verify_views.credential_verify, name="credential-verify"),
    path("issuers/<slug:slug>/", verify_views.issuer_profile, name="issuer-profile"),
    path("issuers/<slug:slug>/jwks.json", verify_views.issuer_keys, name="issuer-keys"),
    path(
        "issuers/<slug:slug>/status-list/",
        verify_views.issuer_status_list,
        name="issuer-status-list",
    ),
]
