from __future__ import annotations

from django.urls import path

from tremplin.outreach import views

app_name = "outreach"
urlpatterns = [
    path("information-sessions/", views.session_list, name="session-list"),
    path("information-sessions/new/", views.session_create, name="session-create"),
    path("information-sessions/<int:session_id>/", views.session_detail, name="session-detail"),
    path(
        "information-sessions/<int:session_id>/check-in/",
        views.session_check_in,
        name="session-check-in",
    ),
    path(
        "information-sessions/<int:session_id>/walk-in/",
        views.session_walk_in,
        name="session-walk-in",
    ),
    path(
        "information-sessions/<int:session_id>/registrations/<int:registration_id>/cancel/",
        views.registration_cancel,
        name="registration-cancel",
    ),
    path("register/<str:key>/", views.public_register, name="public-register"),
]
