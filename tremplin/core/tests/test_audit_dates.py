"""A person's history shows changed dates in the reader's format, not as stored (ISO)."""

from __future__ import annotations

import pytest
from django.utils import translation

from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.core.templatetags.audit import audit_changes


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [("en", "17 May 2001", "18 May 2001"), ("fr", "17/05/2001", "18/05/2001")],
)
def test_a_changed_birth_date_reads_in_the_readers_format(
    language: str, before: str, after: str
) -> None:
    event = AuditEvent(
        action=AuditAction.PERSON_UPDATED,
        subject_type="people.person",
        subject_id=1,
        changes={"birth_date": {"from": "2001-05-17", "to": "2001-05-18"}, "city": "Lille"},
    )
    with translation.override(language):
        lines = audit_changes(event)
    assert (lines[0]["before"], lines[0]["after"]) == (before, after)
    assert lines[1]["after"] == "Lille"
