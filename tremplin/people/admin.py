from __future__ import annotations

from django.contrib import admin

from tremplin.people.models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Superusers only. Sensitive fields are left out: use the person's sensitive section."""

    list_display = ("legal_family_name", "legal_given_names", "site", "created_at")
    search_fields = ("search_text",)
    exclude = ("administrative_situation", "administrative_notes", "search_text", "name_key")
    raw_id_fields = ("merged_into",)
