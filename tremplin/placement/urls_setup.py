"""URLs of the placement setup pages (included by urls.py under the same namespace)."""

from __future__ import annotations

from django.urls import URLPattern, path

from tremplin.placement import views_setup as views

urlpatterns: list[URLPattern] = [
    path("frameworks/", views.framework_list, name="framework-list"),
    path("frameworks/new/", views.framework_new, name="framework-new"),
    path("frameworks/import/", views.framework_import, name="framework-import"),
    path("frameworks/<int:framework_id>/", views.framework_detail, name="framework-detail"),
    path("frameworks/<int:framework_id>/edit/", views.framework_edit, name="framework-edit"),
    path("settings/", views.setup_list, name="setup-list"),
    path("settings/<int:programme_id>/", views.setup_edit, name="setup-edit"),
    path("settings/<int:programme_id>/competences/", views.target_edit, name="target-edit"),
]
