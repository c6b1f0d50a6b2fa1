"""The spreadsheet export of a call's applications."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils import timezone

from tremplin.core.spreadsheets import cell_safe
from tremplin.selection.models import Application

EXPORT_HEADER = (
    "id",
    "given_names",
    "family_name",
    "gender",
    "birth_date",
    "phone",
    "email",
    "region",
    "site",
    "channel",
    "stages_passed",
    "outcome",
    "submitted_at",
)


def applications_export_rows(applications: Iterable[Application]) -> Iterator[list[str]]:
    """The header, then one row per application (person, site and region selected with it),
    every cell made spreadsheet-safe."""
    yield list(EXPORT_HEADER)
    for a in applications:
        person = a.person
        yield [
            cell_safe(v)
            for v in (
                a.pk,
                person.legal_given_names if person else "",
                person.legal_family_name if person else "",
                a.gender,
                person.birth_date.isoformat() if person and person.birth_date else "",
                person.phone.as_e164 if person and person.phone else "",
                person.email if person else "",
                a.region.name if a.region else "",
                a.site.slug if a.site else "",
                a.channel,
                a.stages_passed,
                a.outcome,
                timezone.localtime(a.submitted_at).isoformat(timespec="seconds")
                if a.submitted_at
                else "",
            )
        ]
