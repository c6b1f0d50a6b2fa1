from __future__ import annotations

from django.urls import path

from tremplin.training.views import dashboard, sheets, signatures

app_name = "training"

urlpatterns = [
    # --- sheets: signed attendance sheets and attendance rates -----------------------------
    path(
        "sessions/<int:session_id>/signatures/",
        signatures.session_signatures,
        name="session-signatures",
    ),
    path("sessions/<int:session_id>/code/", signatures.session_code, name="session-code"),
    path("me/<str:token>/sign/", signatures.learner_sign, name="learner-sign"),
    path("sessions/<int:session_id>/sheet.pdf", sheets.sheet_session, name="sheet-session"),
    path("cohorts/<int:cohort_id>/sheet.pdf", sheets.sheet_cohort, name="sheet-cohort"),
    path("attendance/", dashboard.attendance_dashboard, name="attendance-dashboard"),
    # --- end of sheets ---------------------------------------------------------------------
]
