from __future__ import annotations

from django.urls import path

from tremplin.selection.views import calls, rating

app_name = "selection"
urlpatterns = [
    path("calls/", calls.call_list, name="call-list"),
    path("my-work/", rating.my_work, name="my-work"),
]
