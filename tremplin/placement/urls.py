from __future__ import annotations

from django.urls import path

from tremplin.placement import urls_calibration, urls_items, urls_setup, views

app_name = "placement"

urlpatterns = [
    path("test/<str:token>/", views.take, name="take"),
    path("test/<str:token>/language/", views.take_language, name="take-language"),
    path("attempts/", views.attempt_list, name="attempt-list"),
    path("attempts/start/", views.attempt_start, name="attempt-start"),
    path("attempts/<int:attempt_id>/", views.attempt_detail, name="attempt-detail"),
    path("attempts/<int:attempt_id>/review/", views.attempt_review, name="attempt-review"),
    path(
        "attempts/<int:attempt_id>/record-score/",
        views.attempt_record_score,
        name="attempt-record-score",
    ),
    *urls_items.urlpatterns,
    *urls_setup.urlpatterns,
    *urls_calibration.urlpatterns,
]
