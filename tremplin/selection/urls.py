from __future__ import annotations

from django.urls import path

from tremplin.selection.views import (
    applications,
    appointments,
    calls,
    cohort,
    committee,
    funnel,
    imports,
    public,
    questionnaires,
    questions,
    rating,
    stages,
    translations,
)

app_name = "selection"
urlpatterns = [
    # Staff: calls and their stages
    path("calls/", calls.call_list, name="call-list"),
    path("calls/new/", calls.call_create, name="call-create"),
    path("calls/<int:call_id>/", calls.call_detail, name="call-detail"),
    path("calls/<int:call_id>/edit/", calls.call_edit, name="call-edit"),
    path(
        "calls/<int:call_id>/translations/",
        translations.call_translations,
        name="call-translations",
    ),
    path("calls/<int:call_id>/seats/", calls.call_seats, name="call-seats"),
    path(
        "calls/<int:call_id>/questions/<int:application_id>/answer/",
        questions.question_answer,
        name="question-answer",
    ),
    path(
        "calls/<int:call_id>/questions/<int:application_id>/handled/",
        questions.question_handled,
        name="question-handled",
    ),
    path("calls/<int:call_id>/stages/add/", stages.stage_add, name="stage-add"),
    path("calls/<int:call_id>/stages/<int:stage_id>/", stages.stage_detail, name="stage-detail"),
    path("calls/<int:call_id>/stages/<int:stage_id>/edit/", stages.stage_edit, name="stage-edit"),
    path("calls/<int:call_id>/stages/<int:stage_id>/move/", stages.stage_move, name="stage-move"),
    path(
        "calls/<int:call_id>/stages/<int:stage_id>/remove/",
        stages.stage_remove,
        name="stage-remove",
    ),
    path(
        "calls/<int:call_id>/stages/<int:stage_id>/scores/",
        stages.stage_scores_save,
        name="stage-scores",
    ),
    path(
        "calls/<int:call_id>/stages/<int:stage_id>/pass-mark/",
        stages.stage_pass_mark,
        name="stage-pass-mark",
    ),
    path(
        "calls/<int:call_id>/stages/<int:stage_id>/assign/",
        stages.stage_assign,
        name="stage-assign",
    ),
    # Staff: import and export
    path("calls/<int:call_id>/import/", imports.call_import, name="call-import"),
    path(
        "calls/<int:call_id>/import/template/",
        imports.call_import_template,
        name="call-import-template",
    ),
    path("calls/<int:call_id>/export/", imports.call_export, name="call-export"),
    path(
        "calls/<int:call_id>/stages/<int:stage_id>/scores/import/",
        imports.stage_scores_import_view,
        name="stage-scores-import",
    ),
    # Staff: applications and decisions
    path(
        "calls/<int:call_id>/applications/", applications.application_list, name="application-list"
    ),
    path(
        "applications/<int:application_id>/",
        applications.application_detail,
        name="application-detail",
    ),
    path(
        "applications/<int:application_id>/stages/<int:stage_id>/result/",
        applications.application_result,
        name="application-result",
    ),
    path(
        "applications/<int:application_id>/stages/<int:stage_id>/check/",
        applications.application_check,
        name="application-check",
    ),
    path(
        "applications/<int:application_id>/documents/<int:document_id>/",
        applications.application_document,
        name="application-document",
    ),
    path(
        "applications/<int:application_id>/propose/",
        applications.application_propose,
        name="application-propose",
    ),
    path("calls/<int:call_id>/committee/", committee.committee, name="committee"),
    path("calls/<int:call_id>/cohort/", cohort.cohort_page, name="cohort"),
    path("calls/<int:call_id>/cohort/settings/", cohort.cohort_settings, name="cohort-settings"),
    path("calls/<int:call_id>/cohort/what-if/", cohort.cohort_what_if, name="cohort-what-if"),
    path("calls/<int:call_id>/cohort/relax/", cohort.cohort_relax, name="cohort-relax"),
    path("calls/<int:call_id>/cohort/propose/", cohort.cohort_propose, name="cohort-propose"),
    path(
        "calls/<int:call_id>/cohort/choice/<int:application_id>/",
        cohort.cohort_pin,
        name="cohort-pin",
    ),
    path(
        "calls/<int:call_id>/cohort/withdraw/<int:application_id>/",
        cohort.cohort_withdraw,
        name="cohort-withdraw",
    ),
    path(
        "calls/<int:call_id>/cohort/rounds/<int:round_id>/validate/",
        cohort.cohort_validate,
        name="cohort-validate",
    ),
    path(
        "calls/<int:call_id>/cohort/rounds/<int:round_id>/minutes.pdf",
        cohort.cohort_minutes,
        name="cohort-minutes",
    ),
    path(
        "calls/<int:call_id>/committee/validate/",
        committee.committee_validate,
        name="committee-validate",
    ),
    path(
        "calls/<int:call_id>/committee/resend/", committee.committee_resend, name="committee-resend"
    ),
    path(
        "calls/<int:call_id>/committee/propose-stopped/",
        committee.committee_propose_stopped,
        name="committee-propose-stopped",
    ),
    path(
        "decisions/<int:decision_id>/reverse/", committee.decision_reverse, name="decision-reverse"
    ),
    # The funnel
    path("funnel/", funnel.funnel_overview, name="funnel"),
    path("calls/<int:call_id>/funnel/", funnel.call_funnel, name="call-funnel"),
    # Raters and field investigators
    path("my-work/", rating.my_work, name="my-work"),
    path("my-work/interviews/<int:assignment_id>/", rating.interview_mark, name="interview-mark"),
    path(
        "my-work/visits/<int:investigation_id>/",
        rating.investigation_fill,
        name="investigation-fill",
    ),
    # The home-visit questionnaire's builder
    path(
        "calls/<int:call_id>/stages/<int:stage_id>/questionnaire/",
        questionnaires.stage_questionnaire,
        name="stage-questionnaire",
    ),
    path(
        "calls/<int:call_id>/stages/<int:stage_id>/questionnaire/export/",
        questionnaires.stage_questionnaire_export,
        name="stage-questionnaire-export",
    ),
    # Appointments: interviews, home visits and selection days at a date and place
    path(
        "calls/<int:call_id>/stages/<int:stage_id>/appointments/",
        appointments.appointment_list,
        name="appointment-list",
    ),
    path(
        "appointments/<int:appointment_id>/",
        appointments.appointment_detail,
        name="appointment-detail",
    ),
    path(
        "appointments/<int:appointment_id>/calendar.ics",
        appointments.appointment_calendar,
        name="appointment-calendar",
    ),
    path(
        "appointments/<int:appointment_id>/edit/",
        appointments.appointment_edit,
        name="appointment-edit",
    ),
    path(
        "appointments/<int:appointment_id>/cancel/",
        appointments.appointment_cancel,
        name="appointment-cancel",
    ),
    # The public application form
    path("apply/<slug:slug>/", public.apply_start, name="apply-start"),
    path("apply/<slug:slug>/step/<int:step>/", public.apply_step, name="apply-step"),
    path("apply/<slug:slug>/continue/<str:token>/", public.apply_resume, name="apply-resume"),
    path("apply/<slug:slug>/help/", public.apply_help, name="apply-help"),
    path("apply/<slug:slug>/sent/", public.apply_done, name="apply-done"),
    # An applicant's appointment, from the private link of their SMS
    path("appointment/<str:token>/", appointments.appointment_public, name="appointment-public"),
    path(
        "appointment/<str:token>/calendar.ics",
        appointments.appointment_public_calendar,
        name="appointment-public-calendar",
    ),
]
