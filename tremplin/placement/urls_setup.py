"""URLs of the placement setup pages (included by urls.py under the same namespace)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
