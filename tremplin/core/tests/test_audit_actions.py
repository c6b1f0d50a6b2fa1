"""Audit actions come from one typed list, named one way, and readers see them in words."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from conftest import World
from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import OLD_TO_NEW, AuditAction
from tremplin.core.models import AuditEvent

FORM = re.compile(r"^[a-z_]+\.[a-z_]+$")
# Past participles that do not end in -ed, and the particles a participle may carry.
IRREGULAR = {"given", "withdrawn", "set", "sent", "left"}
PARTICLES = {"in", "away"}
TREMPLIN = Path(__file__).resolve().parents[2]


def _is_participle(word: str) -> bool:
    return word.endswith("ed") or word in IRREGULAR


@pytest.mark.parametrize("action", list(AuditAction), ids=str)
def test_every_action_is_an_entity_then_what_happened_to_it(action: AuditAction) -> None:
    assert FORM.match(action.value), action.value
    words = action.value.split(".")[1].split("_")
    if words[-1] in PARTICLES:
        words.pop()
    assert _is_participle(words[-1]), f"{action.value}: the last word is not a past participle"
    assert action.name == action.value.upper().replace(".", "_")


def test_every_action_has_words_in_english_french_and_arabic() -> None:
    for action in AuditAction:
        english = str(action.label)
        assert english
        assert english != action.value
        assert "." not in english
        for language in ("fr", "ar"):
            with translation.override(language):
                assert str(action.label) != english, f"{action.value} has no {language} words"


def test_the_renamed_actions_lead_to_the_list_and_the_migration_knows_them() -> None:
    assert not set(OLD_TO_NEW) & set(AuditAction.values)
    assert all(isinstance(new, AuditAction) for new in OLD_TO_NEW.values())
    assert len(set(OLD_TO_NEW.values())) == len(OLD_TO_NEW)  # so that it can be reversed
    migration = importlib.import_module("tremplin.core.migrations.0003_audit_actions_renamed")
    assert {old: new.value for old, new in OLD_TO_NEW.items()} == migration.OLD_TO_NEW


def test_every_action_written_in_the_code_is_in_the_list() -> None:
    """Literal actions that remain (callers not yet moved to AuditAction) are known ones."""
    known = set(AuditAction.values) | set(OLD_TO_NEW)
    unknown = []
    for path in TREMPLIN.rglob("*.py"):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                value = keyword.value
                if (
                    keyword.arg == "action"
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                    and "." in value.value
                    and value.value not in known
                ):
                    unknown.append(f"{path.relative_to(TREMPLIN)}:{node.lineno} {value.value}")
    assert not unknown


def test_an_unknown_action_is_refused_at_once(world: World) -> None:
    with pytest.raises(ValueError, match=r"person\.renamed"):
        audit_record(actor=None, action="person.renamed", subject=world.amina)
    assert not AuditEvent.objects.filter(action="person.renamed").exists()
    event = audit_record(actor=None, action=AuditAction.PERSON_UPDATED, subject=world.amina)
    assert event.action == "person.updated"
    assert event.get_action_display() == "Record changed"


def test_the_migration_renames_old_rows_and_back(world: World) -> None:
    migration = importlib.import_module("tremplin.core.migrations.0003_audit_actions_renamed")
    for old in ("placement.item_created", "cohort.replacement", "person.updated"):
        AuditEvent.objects.create(
            action=old, subject_type="people.person", subject_id=world.amina.pk
        )
    migration.forwards(apps, None)
    after = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"item.created", "cohort.replacement_selected", "person.updated"} <= after
    assert not after & set(OLD_TO_NEW)
    migration.backwards(apps, None)
    before = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"placement.item_created", "cohort.replacement", "person.updated"} <= before


def test_a_persons_history_shows_each_action_in_words_in_the_readers_language(
    world: World,
) -> None:
    manager = world.users["manager_a1"]
    audit_record(
        actor=manager,
        action=AuditAction.PERSON_UPDATED,
        subject=world.amina,
        changes={"preferred_name": {"from": "", "to": "Mina"}},
    )
    url = reverse("people:person-detail", args=[world.amina.pk])
    client = world.client_for("manager_a1")
    page = client.get(url).content.decode()
    assert "Record changed" in page
    assert "person.updated" not in page
    manager.preferred_language = "fr"
    manager.save(update_fields=["preferred_language"])
    page = client.get(url).content.decode()
    with translation.override("fr"):
        french = str(AuditAction.PERSON_UPDATED.label)
    assert french in page
    assert "Record changed" not in page
    assert "person.updated" not in page
