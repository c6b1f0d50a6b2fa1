from __future__ import annotations

from django.urls import path

from tremplin.messaging import views

app_name = "messaging"

urlpatterns = [
    path("", views.message_list, name="message-list"),
    path("<int:message_id>/retry/", views.message_retry, name="message-retry"),
]
