from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("tremplin.core.urls")),
    path("network/", include("tremplin.network.urls")),
    path("people/", include("tremplin.people.urls")),
    path("messages/", include("tremplin.messaging.urls")),
    path("outreach/", include("tremplin.outreach.urls")),
    path("selection/", include("tremplin.selection.urls")),
    path("placement/", include("tremplin.placement.urls")),
    path("training/", include("tremplin.training.urls")),
    path("partners/", include("tremplin.partners.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
