"""URLs of the placement items pages (included by urls.py under the same namespace)."""

from __future__ import annotations

from django.urls import URLPattern, path

from tremplin.placement import views_items

urlpatterns: list[URLPattern] = [
    path("items/", views_items.item_list, name="item-list"),
    path("items/new/", views_items.item_new, name="item-new"),
    path("items/import/", views_items.item_import, name="item-import"),
    path("items/export/", views_items.item_export, name="item-export"),
    path("items/<int:item_id>/", views_items.item_detail, name="item-detail"),
    path("items/<int:item_id>/edit/", views_items.item_edit, name="item-edit"),
    path("items/<int:item_id>/status/", views_items.item_status, name="item-status"),
    path("items/<int:item_id>/file/<str:part>/", views_items.item_file, name="item-file"),
]
