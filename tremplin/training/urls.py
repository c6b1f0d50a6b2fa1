from __future__ import annotations

from django.urls import path

from tremplin.training.views import assessments as assessment_views
from tremplin.training.views import structure as structure_views
from tremplin.training.views import transcripts as transcript_views

app_name = "training"

urlpatterns: list = []  # type: ignore[type-arg]

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
