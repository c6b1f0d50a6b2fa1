from __future__ import annotations

from django.urls import path

from tremplin.training.views import alerts as alert_views
from tremplin.training.views import surveys as survey_views

app_name = "training"

urlpatterns: list = []  # type: ignore[type-arg]

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
