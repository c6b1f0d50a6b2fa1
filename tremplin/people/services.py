"""Writes for people: each function is one atomic action, audited in the same transaction."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record, field_changes, snapshot
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.network.models import Region, Site
from tremplin.network.selectors import can_see_sensitive_at
from tremplin.people.models import Consent, ConsentPurpose, Person, PersonLanguage, PersonMerge
from tremplin.people.selectors import can_edit_person, can_manage_person

IDENTITY_FIELDS = (
    "legal_given_names",
    "legal_family_name",
    "preferred_name",
    "gender",
    "birth_date",
    "phone",
    "email",
    "address",
    "postal_code",
    "city",
    "region",
    "country",
    "nationality",
    "priority_neighbourhood",
)
SENSITIVE_FIELDS = ("administrative_situation", "administrative_notes")


@dataclass(frozen=True)
class PersonDetails:
    """Everything a person's identity and contact form holds (no sensitive data)."""

    legal_given_names: str
    legal_family_name: str
    preferred_name: str = ""
    gender: str = "not_said"
    birth_date: dt.date | None = None
    phone: Any = ""
    email: str = ""
    address: str = ""
    postal_code: str = ""
    city: str = ""
    region: Region | None = None
    country: str = ""
    nationality: str = ""
    priority_neighbourhood: bool = False

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> PersonDetails:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


def _values(details: PersonDetails) -> dict[str, Any]:
    return {f.name: getattr(details, f.name) for f in fields(details)}


@dataclass(frozen=True)
class LanguageSkill:
    language: str
    level: str


def _save_languages(person: Person, languages: Sequence[LanguageSkill]) -> dict[str, Any]:
    before = {pl.language: pl.level for pl in person.languages.all()}
    after = {skill.language: skill.level for skill in languages}
    if before == after:
        return {}
    person.languages.exclude(language__in=after).delete()
    for code, level in after.items():
        PersonLanguage.objects.update_or_create(
            person=person, language=code, defaults={"level": level}
        )
    return {
        "languages": {
            "from": ", ".join(f"{c} {lv}" for c, lv in sorted(before.items())),
            "to": ", ".join(f"{c} {lv}" for c, lv in sorted(after.items())),
        }
    }


def _full_clean(person: Person) -> None:
    person.refresh_derived()
    person.full_clean(exclude=["search_text", "name_key"])


def person_create(
    *,
    actor: User,
    site: Site,
    details: PersonDetails,
    languages: Sequence[LanguageSkill] = (),
    consents: Sequence[str] = (),
    notice_version: str = "2026-1",
) -> Person:
    if not can_see_sensitive_at(actor, site):
        raise PermissionDenied
    with transaction.atomic():
        person = Person(site=site, **_values(details))
        _full_clean(person)
        person.save()
        changes = field_changes(instance=person, before={}, fields=IDENTITY_FIELDS)
        changes |= _save_languages(person, languages)
        now = timezone.now()
        for purpose in consents:
            Consent.objects.create(
                person=person,
                purpose=ConsentPurpose(purpose),
                notice_version=notice_version,
                given_at=now,
                recorded_by=actor,
            )
        if consents:
            changes["consents"] = {"from": "", "to": ", ".join(sorted(consents))}
        audit_record(
            actor=actor, action=AuditAction.PERSON_CREATED, subject=person, changes=changes
        )
    return person


def person_update(
    *,
    actor: User,
    person: Person,
    details: PersonDetails,
    languages: Sequence[LanguageSkill] | None = None,
) -> Person:
    if not can_edit_person(user=actor, person=person) or person.merged_into_id:
        raise PermissionDenied
    with transaction.atomic():
        before = snapshot(person, IDENTITY_FIELDS)
        for name, value in _values(details).items():
            setattr(person, name, value)
        _full_clean(person)
        person.save()
        changes = field_changes(instance=person, before=before, fields=IDENTITY_FIELDS)
        if languages is not None:
            changes |= _save_languages(person, languages)
        if changes:
            audit_record(
                actor=actor, action=AuditAction.PERSON_UPDATED, subject=person, changes=changes
            )
    return person


def person_sensitive_update(
    *, actor: User, person: Person, administrative_situation: str, administrative_notes: str
) -> Person:
    if not can_see_sensitive_at(actor, person.site) or person.merged_into_id:
        raise PermissionDenied
    with transaction.atomic():
        before = snapshot(person, SENSITIVE_FIELDS)
        person.administrative_situation = administrative_situation
        person.administrative_notes = administrative_notes
        _full_clean(person)
        person.save(update_fields=[*SENSITIVE_FIELDS, "updated_at"])
        changes = field_changes(instance=person, before=before, fields=SENSITIVE_FIELDS)
        if changes:
            audit_record(
                actor=actor,
                action=AuditAction.PERSON_SENSITIVE_UPDATED,
                subject=person,
                changes=changes,
            )
    return person


def consent_record(
    *,
    actor: User,
    person: Person,
    purpose: str,
    notice_version: str,
    given_at: dt.datetime | None = None,
) -> Consent:
    if not can_edit_person(user=actor, person=person):
        raise PermissionDenied
    with transaction.atomic():
        if person.consents.filter(purpose=purpose, withdrawn_at__isnull=True).exists():
            raise ValidationError({"purpose": _("This consent is already given.")})
        consent = Consent.objects.create(
            person=person,
            purpose=ConsentPurpose(purpose),
            notice_version=notice_version,
            given_at=given_at or timezone.now(),
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.PERSON_CONSENT_GIVEN,
            subject=person,
            changes={"consent": {"from": "", "to": f"{purpose} ({notice_version})"}},
        )
    return consent


def consent_withdraw(*, actor: User, consent: Consent) -> Consent:
    if not can_edit_person(user=actor, person=consent.person):
        raise PermissionDenied
    if consent.withdrawn_at is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    with transaction.atomic():
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        audit_record(
            actor=actor,
            action=AuditAction.PERSON_CONSENT_WITHDRAWN,
            subject=consent.person,
            changes={"consent": {"from": consent.purpose, "to": ""}},
        )
    return consent


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "pk"):
        return value.pk
    return str(value)


def person_merge(*, actor: User, kept: Person, duplicate: Person) -> Person:
    """Merge a duplicate into the record kept. Empty fields of the kept record take the
    duplicate's values; languages and consents move over; the duplicate stays, marked as
    merged, with a snapshot of all it held. Nothing is lost."""
    if kept.pk == duplicate.pk:
        raise ValidationError(_("A record cannot be merged into itself."))
    if kept.site.organisation_id != duplicate.site.organisation_id:
        raise ValidationError(_("Only records of the same organisation can be merged."))
    for person in (kept, duplicate):
        if not can_manage_person(user=actor, person=person):
            raise PermissionDenied
        if person.merged_into_id:
            raise ValidationError(_("One of these records was already merged."))
    with transaction.atomic():
        kept = Person.objects.select_for_update().get(pk=kept.pk)
        duplicate = Person.objects.select_for_update().get(pk=duplicate.pk)
        before = snapshot(kept, (*IDENTITY_FIELDS, *SENSITIVE_FIELDS))
        filled: list[str] = []
        for name in (*IDENTITY_FIELDS, *SENSITIVE_FIELDS):
            if getattr(kept, name) in (None, "", False) and getattr(duplicate, name) not in (
                None,
                "",
                False,
            ):
                setattr(kept, name, getattr(duplicate, name))
                filled.append(name)
        if kept.gender == "not_said" and duplicate.gender != "not_said":
            kept.gender = duplicate.gender
            filled.append("gender")
        # A differing sensitive note is appended, never dropped.
        if (
            duplicate.administrative_notes
            and duplicate.administrative_notes not in kept.administrative_notes
        ):
            kept.administrative_notes = (
                f"{kept.administrative_notes}\n{duplicate.administrative_notes}".strip()
            )
        kept.refresh_derived()
        kept.save()
        kept_languages = set(kept.languages.values_list("language", flat=True))
        duplicate.languages.exclude(language__in=kept_languages).update(person=kept)
        active = set(
            kept.consents.filter(withdrawn_at__isnull=True).values_list("purpose", flat=True)
        )
        duplicate.consents.exclude(purpose__in=active, withdrawn_at__isnull=True).update(
            person=kept
        )
        PersonMerge.objects.create(
            kept=kept,
            merged=duplicate,
            snapshot={n: _json_value(getattr(duplicate, n)) for n in IDENTITY_FIELDS}
            | {"site": duplicate.site_id, "created_at": duplicate.created_at.isoformat()},
            sensitive_snapshot=json.dumps(
                {n: getattr(duplicate, n) for n in SENSITIVE_FIELDS}, ensure_ascii=False
            ),
            merged_by=actor,
        )
        duplicate.merged_into = kept
        duplicate.save(update_fields=["merged_into", "updated_at"])
        changes = field_changes(
            instance=kept, before=before, fields=(*IDENTITY_FIELDS, *SENSITIVE_FIELDS)
        )
        audit_record(
            actor=actor,
            action=AuditAction.PERSON_MERGED,
            subject=kept,
            changes=changes,
            note=_("Merged record #%(id)s into this one.") % {"id": duplicate.pk},
        )
        audit_record(
            actor=actor,
            action=AuditAction.PERSON_MERGED_AWAY,
            subject=duplicate,
            changes={"merged_into": {"from": None, "to": kept.pk}},
        )
    return kept
