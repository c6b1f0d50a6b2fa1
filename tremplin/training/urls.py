from __future__ import annotations

from django.urls import path

from tremplin.training.views import cohorts as cohort_views
from tremplin.training.views import learners as learner_views

app_name = "training"

urlpatterns = [
    # --- cohorts and learners (cohorts) ---
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
    # --- end of cohorts and learners ---
]
