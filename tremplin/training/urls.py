from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from tremplin.training.views import alerts as alert_views
from tremplin.training.views import assessments as assessment_views

# --- roll call (issue 13, item 4): the phone page, its JSON endpoint, photos, import ---
from tremplin.training.views import attendance_import, dashboard, rollcall, sheets, signatures

# --- timetable (sessions, weekly patterns, rooms, holidays, weeks, calendars, import) ---
from tremplin.training.views import calendars as calendar_views
from tremplin.training.views import certificates as certificate_views
from tremplin.training.views import certification as certification_views
from tremplin.training.views import cohorts as cohort_views
from tremplin.training.views import learners as learner_views
from tremplin.training.views import progress as progress_views
from tremplin.training.views import projects as project_views
from tremplin.training.views import structure as structure_views
from tremplin.training.views import surveys as survey_views
from tremplin.training.views import timetable as timetable_views
from tremplin.training.views import timetable_import as timetable_import_views
from tremplin.training.views import transcripts as transcript_views
from tremplin.training.views import verify as verify_views

app_name = "training"

urlpatterns: list[URLPattern | URLResolver] = [
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
    path("cohorts/", cohort_views.cohort_list, name="cohort-list"),
    path("cohorts/new/", cohort_views.cohort_create, name="cohort-create"),
    path("cohorts/<int:cohort_id>/", cohort_views.cohort_detail, name="cohort-detail"),
    path("cohorts/<int:cohort_id>/edit/", cohort_views.cohort_edit, name="cohort-edit"),
    path(
        "cohorts/<int:cohort_id>/enrol/",
        cohort_views.cohort_enrol_selected,
        name="cohort-enrol-selected",
    ),
    path(
        "cohorts/<int:cohort_id>/enrol-person/",
        cohort_views.cohort_enrol_person,
        name="cohort-enrol-person",
    ),
    path(
        "cohorts/<int:cohort_id>/graduate/",
        learner_views.cohort_graduate,
        name="cohort-graduate",
    ),
    path(
        "learners/<int:enrolment_id>/",
        learner_views.enrolment_detail,
        name="enrolment-detail",
    ),
    path(
        "learners/<int:enrolment_id>/level/",
        learner_views.enrolment_level,
        name="enrolment-level",
    ),
    path(
        "learners/<int:enrolment_id>/leave/",
        learner_views.enrolment_leave,
        name="enrolment-leave",
    ),
    path(
        "learners/<int:enrolment_id>/transfer/",
        learner_views.enrolment_transfer,
        name="enrolment-transfer",
    ),
    path(
        "learners/<int:enrolment_id>/re-enter/",
        learner_views.enrolment_reenter,
        name="enrolment-reenter",
    ),
    path(
        "learners/<int:enrolment_id>/graduate/",
        learner_views.enrolment_graduate,
        name="enrolment-graduate",
    ),
    path(
        "learners/<int:enrolment_id>/link/",
        learner_views.enrolment_link_send,
        name="enrolment-link-send",
    ),
    path("me/<str:token>/", learner_views.learner_home, name="learner-home"),
]

# --- timetable ---------------------------------------------------------------------------
urlpatterns += [
    path(
        "cohorts/<int:cohort_id>/sessions/new/",
        timetable_views.session_create,
        name="session-create",
    ),
    path("sessions/<int:session_id>/", timetable_views.session_detail, name="session-detail"),
    path("sessions/<int:session_id>/edit/", timetable_views.session_edit, name="session-edit"),
    path(
        "sessions/<int:session_id>/delete/", timetable_views.session_delete, name="session-delete"
    ),
    path("cohorts/<int:cohort_id>/pattern/", timetable_views.pattern_create, name="pattern-create"),
    path(
        "cohorts/<int:cohort_id>/timetable/import/",
        timetable_import_views.timetable_import_view,
        name="timetable-import",
    ),
    path(
        "cohorts/<int:cohort_id>/timetable/import/template/",
        timetable_import_views.timetable_import_template,
        name="timetable-import-template",
    ),
    path("rooms/", timetable_views.room_list, name="room-list"),
    path("rooms/new/", timetable_views.room_create, name="room-create"),
    path("rooms/<int:room_id>/edit/", timetable_views.room_edit, name="room-edit"),
    path("holidays/", timetable_views.holiday_list, name="holiday-list"),
    path("holidays/new/", timetable_views.holiday_create, name="holiday-create"),
    path("timetable/cohort/<int:cohort_id>/", calendar_views.week_cohort, name="week-cohort"),
    path("timetable/trainer/", calendar_views.week_trainer, name="week-trainer"),
    path("timetable/room/<int:room_id>/", calendar_views.week_room, name="week-room"),
    path("calendar/", calendar_views.calendar_links, name="calendar-links"),
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="calendar-feed"),
]

# --- progress and projects (issue 13, items 6 and 7) -----------------------------------------
urlpatterns += [
    path("cohorts/<int:cohort_id>/assess/", progress_views.cohort_assess, name="cohort-assess"),
    path("cohorts/<int:cohort_id>/heatmap/", progress_views.cohort_heatmap, name="cohort-heatmap"),
    path(
        "learners/<int:enrolment_id>/progress/",
        progress_views.enrolment_progress,
        name="enrolment-progress",
    ),
    path(
        "evidence/<int:evidence_id>/remove/",
        progress_views.evidence_remove,
        name="evidence-remove",
    ),
    path("me/<str:token>/progress/", progress_views.learner_progress, name="learner-progress"),
    path("cohorts/<int:cohort_id>/projects/", project_views.project_list, name="project-list"),
    path("cohorts/<int:cohort_id>/projects/new/", project_views.project_new, name="project-new"),
    path("projects/<int:project_id>/", project_views.project_detail, name="project-detail"),
    path("projects/<int:project_id>/edit/", project_views.project_edit, name="project-edit"),
    path(
        "assignments/<int:assignment_id>/evaluate/",
        project_views.assignment_evaluate,
        name="assignment-evaluate",
    ),
]

# --- structure: periods, modules, assessments, results, transcripts -----------------------
urlpatterns += [
    path("structure/", structure_views.structure_list, name="structure-list"),
    path(
        "programmes/<int:programme_id>/structure/",
        structure_views.programme_structure,
        name="programme-structure",
    ),
    path(
        "programmes/<int:programme_id>/periods/new/",
        structure_views.period_create,
        name="period-create",
    ),
    path("periods/<int:period_id>/edit/", structure_views.period_edit, name="period-edit"),
    path("periods/<int:period_id>/remove/", structure_views.period_remove, name="period-remove"),
    path("periods/<int:period_id>/move/", structure_views.period_move, name="period-move"),
    path(
        "programmes/<int:programme_id>/modules/new/",
        structure_views.module_create,
        name="module-create",
    ),
    path("modules/<int:module_id>/edit/", structure_views.module_edit, name="module-edit"),
    path("modules/<int:module_id>/remove/", structure_views.module_remove, name="module-remove"),
    path("modules/<int:module_id>/move/", structure_views.module_move, name="module-move"),
    path(
        "modules/<int:module_id>/competences/",
        structure_views.module_targets,
        name="module-targets",
    ),
    path(
        "programmes/<int:programme_id>/assessments/new/",
        assessment_views.assessment_create,
        name="assessment-create",
    ),
    path(
        "assessments/<int:assessment_id>/edit/",
        assessment_views.assessment_edit,
        name="assessment-edit",
    ),
    path(
        "assessments/<int:assessment_id>/remove/",
        assessment_views.assessment_remove,
        name="assessment-remove",
    ),
    path("assessments/", assessment_views.assessment_cohorts, name="assessment-cohorts"),
    path(
        "cohorts/<int:cohort_id>/assessments/",
        assessment_views.cohort_assessments,
        name="cohort-assessments",
    ),
    path(
        "cohorts/<int:cohort_id>/assessments/<int:assessment_id>/results/",
        assessment_views.assessment_results,
        name="assessment-results",
    ),
    path(
        "enrolments/<int:enrolment_id>/transcript/",
        transcript_views.enrolment_transcript,
        name="enrolment-transcript",
    ),
    path(
        "enrolments/<int:enrolment_id>/transcript.pdf",
        transcript_views.enrolment_transcript_pdf,
        name="enrolment-transcript-pdf",
    ),
]

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

# --- Early warning and the end-of-course survey (alerts) ------------------------------------
urlpatterns += [
    path("at-risk/", alert_views.at_risk, name="at-risk"),
    path("alerts/<int:alert_id>/", alert_views.alert_detail, name="alert-detail"),
    path("alerts/<int:alert_id>/action/", alert_views.alert_action, name="alert-action"),
    path("alerts/<int:alert_id>/close/", alert_views.alert_close, name="alert-close"),
    path("programmes/<int:programme_id>/alert-rules/", alert_views.alert_rules, name="alert-rules"),
    path("surveys/", survey_views.survey_results, name="survey-results"),
    path("cohorts/<int:cohort_id>/survey/send/", survey_views.survey_send, name="survey-send"),
    path("me/<str:token>/survey/", survey_views.survey_answer, name="survey-answer"),
]

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
