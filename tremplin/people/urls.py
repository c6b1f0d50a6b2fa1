from __future__ import annotations

from django.urls import path

from tremplin.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="person-list"),
    path("new/", views.person_create, name="person-create"),
    path("<int:person_id>/", views.person_detail, name="person-detail"),
    path("<int:person_id>/edit/", views.person_edit, name="person-edit"),
    path("<int:person_id>/sensitive/", views.person_sensitive, name="person-sensitive"),
    path("<int:person_id>/merge/", views.person_merge, name="person-merge"),
    path("<int:person_id>/consents/", views.consent_add, name="consent-add"),
    path(
        "<int:person_id>/consents/<int:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent-withdraw",
    ),
]
