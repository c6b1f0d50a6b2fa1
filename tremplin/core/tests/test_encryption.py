from __future__ import annotations

import logging

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings

from conftest import World
from tremplin.core.audit import audit_events_for
from tremplin.core.audit_actions import AuditAction
from tremplin.core.encryption import MASK, rotate_keys
from tremplin.core.logging import MaskSensitiveFilter, mask
from tremplin.people.models import Person
from tremplin.people.services import person_sensitive_update


def raw_value(person: Person, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM people_person WHERE id = %s", [person.pk])
        return str(cursor.fetchone()[0])


def test_sensitive_values_are_encrypted_at_rest(world: World) -> None:
    stored = raw_value(world.amina, "administrative_notes")
    assert "Permit" not in stored
    assert stored.startswith("gAAAA")  # a Fernet token
    assert Person.objects.get(pk=world.amina.pk).administrative_notes == (
        "Permit renewal due in March"
    )


def test_key_rotation_reencrypts_with_the_new_key_and_the_old_key_can_go(world: World) -> None:
    old_key = Fernet.generate_key().decode()
    new_key = Fernet.generate_key().decode()
    default_keys = list(settings.TREMPLIN_ENCRYPTION_KEYS)
    with override_settings(TREMPLIN_ENCRYPTION_KEYS=[old_key, *default_keys]):
        person = Person.objects.get(pk=world.amina.pk)
        person.save()  # written with the old key
        before = raw_value(person, "administrative_notes")
    with override_settings(TREMPLIN_ENCRYPTION_KEYS=[new_key, old_key, *default_keys]):
        counts = rotate_keys()
        assert counts["people.Person"] >= 1
    after = raw_value(person, "administrative_notes")
    assert after != before
    with override_settings(TREMPLIN_ENCRYPTION_KEYS=[new_key]):
        assert Person.objects.get(pk=person.pk).administrative_notes == (
            "Permit renewal due in March"
        )
    with override_settings(TREMPLIN_ENCRYPTION_KEYS=[old_key]), pytest.raises(ImproperlyConfigured):
        Person.objects.get(pk=person.pk)


def test_audit_records_which_sensitive_field_changed_never_its_value(world: World) -> None:
    person_sensitive_update(
        actor=world.users["manager_a1"],
        person=world.amina,
        administrative_situation="residence_permit",
        administrative_notes="Permit valid until 2030",
    )
    event = audit_events_for(world.amina).get(action=AuditAction.PERSON_SENSITIVE_UPDATED)
    assert event.actor == world.users["manager_a1"]
    assert event.changes["administrative_notes"] == {"from": MASK, "to": MASK}
    assert "2030" not in str(event.changes)
    assert "residence_permit" not in str(event.changes)


def test_logs_never_show_sensitive_values() -> None:
    assert "refugee" not in mask("administrative_situation=refugee&name=Amina")
    assert "Amina" in mask("administrative_situation=refugee&name=Amina")
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "saving %s", ({"salary": 1800},), None
    )
    MaskSensitiveFilter().filter(record)
    assert "1800" not in record.getMessage()


def test_the_rotation_command_reports_what_it_rewrote(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    new_key = Fernet.generate_key().decode()
    with override_settings(TREMPLIN_ENCRYPTION_KEYS=[new_key, *settings.TREMPLIN_ENCRYPTION_KEYS]):
        call_command("rotate_encryption_keys", stdout=out)
    assert "people.Person: 1 rows re-encrypted" in out.getvalue()
    key = StringIO()
    call_command("generate_encryption_key", stdout=key)
    Fernet(key.getvalue().strip().encode())  # a valid key
