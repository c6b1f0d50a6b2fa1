from __future__ import annotations

from django.urls import path

from tremplin.training.views import attendance_import, rollcall

app_name = "training"

urlpatterns: list = []  # type: ignore[type-arg]

# --- roll call (issue 13, item 4): the phone page, its JSON endpoint, photos, import ---
urlpatterns += [
    path("sessions/<int:session_id>/rollcall/", rollcall.session_rollcall, name="session-rollcall"),
    path("sessions/<int:session_id>/marks/", rollcall.session_marks, name="session-marks"),
    path("cohorts/<int:cohort_id>/rollcall/", rollcall.cohort_rollcall, name="cohort-rollcall"),
    path(
        "cohorts/<int:cohort_id>/attendance/import/",
        attendance_import.cohort_attendance_import,
        name="cohort-attendance-import",
    ),
    path("rollcall-worker.js", rollcall.rollcall_worker, name="rollcall-worker"),
    path("enrolments/<int:enrolment_id>/photo/", rollcall.enrolment_photo, name="enrolment-photo"),
    path(
        "enrolments/<int:enrolment_id>/photo/file/",
        rollcall.enrolment_photo_file,
        name="enrolment-photo-file",
    ),
]
