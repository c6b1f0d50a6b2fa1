from __future__ import annotations

from django.contrib import admin

from tremplin.network.models import (
    Invitation,
    Organisation,
    Programme,
    ProgrammeRun,
    Region,
    RoleAssignment,
    Site,
)

admin.site.register(Organisation, search_fields=["name"], prepopulated_fields={"slug": ["name"]})
admin.site.register(Region, list_display=["name", "country", "code"], search_fields=["name"])
admin.site.register(Site, list_display=["name", "organisation", "city", "country"])
admin.site.register(Programme, list_display=["title", "organisation", "duration_weeks"])
admin.site.register(ProgrammeRun, list_display=["title", "site", "starts_on", "status"])
admin.site.register(RoleAssignment, list_display=["user", "role", "organisation", "site"])
admin.site.register(
    Invitation, list_display=["email", "role", "organisation", "site", "expires_at"]
)
