from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from tremplin.partners.views import partners as partner_views

app_name = "partners"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", partner_views.partner_list, name="home"),
]
