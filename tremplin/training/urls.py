from __future__ import annotations

from django.urls import path

from tremplin.training.views import progress as progress_views
from tremplin.training.views import projects as project_views

app_name = "training"

urlpatterns: list = []  # type: ignore[type-arg]

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
