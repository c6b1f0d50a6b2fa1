from __future__ import annotations

from django.urls import path

from tremplin.placement.views import (
    attempts,
    calibration,
    frameworks,
    item_files,
    item_media,
    items,
    settings,
)

app_name = "placement"

urlpatterns = [
    # The test-taker, by their private link
    path("test/<str:token>/", attempts.take, name="take"),
    path("test/<str:token>/language/", attempts.take_language, name="take-language"),
    # Staff: tests taken
    path("attempts/", attempts.attempt_list, name="attempt-list"),
    path("attempts/start/", attempts.attempt_start, name="attempt-start"),
    path("attempts/<int:attempt_id>/", attempts.attempt_detail, name="attempt-detail"),
    path("attempts/<int:attempt_id>/review/", attempts.attempt_review, name="attempt-review"),
    path(
        "attempts/<int:attempt_id>/send-link/",
        attempts.attempt_link_send,
        name="attempt-link-send",
    ),
    path(
        "attempts/<int:attempt_id>/record-score/",
        attempts.attempt_record_score,
        name="attempt-record-score",
    ),
    # The item bank
    path("items/", items.item_list, name="item-list"),
    path("items/new/", items.item_new, name="item-new"),
    path("items/import/", item_files.item_import, name="item-import"),
    path("items/export/", item_files.item_export, name="item-export"),
    path("items/<int:item_id>/", items.item_detail, name="item-detail"),
    path("items/<int:item_id>/edit/", items.item_edit, name="item-edit"),
    path("items/<int:item_id>/status/", items.item_status, name="item-status"),
    path("items/<int:item_id>/file/<str:part>/", item_media.item_file, name="item-file"),
    # Frameworks
    path("frameworks/", frameworks.framework_list, name="framework-list"),
    path("frameworks/new/", frameworks.framework_new, name="framework-new"),
    path("frameworks/import/", frameworks.framework_import, name="framework-import"),
    path("frameworks/<int:framework_id>/", frameworks.framework_detail, name="framework-detail"),
    path("frameworks/<int:framework_id>/edit/", frameworks.framework_edit, name="framework-edit"),
    # Programmes' test settings and competences aimed at
    path("settings/", settings.setup_list, name="setup-list"),
    path("settings/<int:programme_id>/", settings.setup_edit, name="setup-edit"),
    path("settings/<int:programme_id>/competences/", settings.target_edit, name="target-edit"),
    # Calibration
    path("calibration/", calibration.calibration_list, name="calibration-list"),
    path("calibration/start/", calibration.calibration_start, name="calibration-start"),
    path("calibration/<int:run_id>/", calibration.calibration_detail, name="calibration-detail"),
    path(
        "calibration/<int:run_id>/apply/", calibration.calibration_apply, name="calibration-apply"
    ),
]
