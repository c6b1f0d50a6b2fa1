"""URLs of the placement calibration pages (included by urls.py under the same namespace)."""

from __future__ import annotations

from django.urls import URLPattern, path

from tremplin.placement import views_calibration as views

urlpatterns: list[URLPattern] = [
    path("calibration/", views.calibration_list, name="calibration-list"),
    path("calibration/start/", views.calibration_start, name="calibration-start"),
    path("calibration/<int:run_id>/", views.calibration_detail, name="calibration-detail"),
    path("calibration/<int:run_id>/apply/", views.calibration_apply, name="calibration-apply"),
]
