from __future__ import annotations

from django.urls import path

from tremplin.network import views

app_name = "network"
urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation-detail"),
    path(
        "organisations/<slug:slug>/languages/",
        views.organisation_languages,
        name="organisation-languages",
    ),
    path(
        "organisations/<slug:slug>/recordings/",
        views.organisation_recordings,
        name="organisation-recordings",
    ),
    path(
        "recordings/<int:recording_id>/",
        views.applicant_recording,
        name="applicant-recording",
    ),
    path(
        "recordings/<int:recording_id>/remove/",
        views.applicant_recording_remove,
        name="applicant-recording-remove",
    ),
    path("sites/", views.site_list, name="site-list"),
    path("sites/new/", views.site_create, name="site-create"),
    path("sites/<int:site_id>/", views.site_detail, name="site-detail"),
    path("sites/<int:site_id>/edit/", views.site_edit, name="site-edit"),
    path("programmes/", views.programme_list, name="programme-list"),
    path("programmes/new/", views.programme_create, name="programme-create"),
    path("programmes/<int:programme_id>/", views.programme_detail, name="programme-detail"),
    path("programmes/<int:programme_id>/edit/", views.programme_edit, name="programme-edit"),
    path("runs/<int:run_id>/", views.run_detail, name="run-detail"),
    path("runs/<int:run_id>/replicate/", views.run_replicate, name="run-replicate"),
    path("staff/", views.staff_list, name="staff-list"),
    path("staff/invite/", views.staff_invite, name="staff-invite"),
    path(
        "staff/roles/<int:assignment_id>/remove/",
        views.staff_role_remove,
        name="staff-role-remove",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
]
