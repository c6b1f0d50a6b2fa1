"""Reads for people. Each takes the acting user and returns only what that user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from tremplin.core.audit import audit_events_for
from tremplin.core.models import AuditEvent, User
from tremplin.core.registry import registry
from tremplin.core.text import digits, fold, name_key
from tremplin.network.models import Role
from tremplin.network.selectors import (
    can_see_sensitive_at,
    people_site_filter,
    scope_for,
    trainer_site_ids,
)
from tremplin.people.models import Consent, Person, PersonLanguage


def person_filter(user: User) -> Q:
    """The people the user may see, as a condition on Person: everyone at the sites where they
    hold a role that sees every person (people_site_filter); where they only train, the
    people the registered person scopes give (training: the learners, present or past, of the
    cohorts they teach there), and no one when none is registered. Every read of people goes
    through it."""
    condition = people_site_filter(user)
    if trainer_site_ids(user):
        for scope in registry.person_scopes:
            condition |= scope(user)
    return condition


def people_visible(*, user: User, include_merged: bool = False) -> QuerySet[Person]:
    queryset = Person.objects.select_related("site", "site__organisation", "region").filter(
        person_filter(user)
    )
    if not include_merged:
        queryset = queryset.filter(merged_into__isnull=True)
    return queryset


def search_filter(query: str, *, field: str = "search_text") -> Q:
    """People matching a search by name, phone or e-mail: accents, case and word order do not
    matter. `field` is the path to `Person.search_text` from the model searched."""
    folded = fold(query)
    number = digits(folded)
    lookup = f"{field}__contains"
    if len(number) >= 4 and not any(c.isalpha() for c in folded):
        # A phone number, typed with or without spaces, dashes, country code or leading 0.
        return Q(**{lookup: number.lstrip("0")})
    condition = Q()
    for token in folded.split():
        number = digits(token)
        if number and len(number) >= 4 and len(number) >= len(token) - 2:
            # A phone number, typed with or without spaces, dashes, country code or leading 0.
            condition &= Q(**{lookup: number.lstrip("0")})
        else:
            condition &= Q(**{lookup: token})
    return condition


def person_search(*, user: User, query: str) -> QuerySet[Person]:
    """Search by name, phone or e-mail; accents, case and word order do not matter."""
    return people_visible(user=user).filter(search_filter(query))


def person_get(*, user: User, person_id: int) -> Person:
    try:
        return (
            people_visible(user=user, include_merged=True)
            .prefetch_related(
                Prefetch("languages", queryset=PersonLanguage.objects.order_by("language")),
                Prefetch("consents", queryset=Consent.objects.select_related("recorded_by")),
            )
            .get(pk=person_id)
        )
    except Person.DoesNotExist as exc:
        raise Http404 from exc


def can_see_sensitive(*, user: User, person: Person) -> bool:
    return can_see_sensitive_at(user, person.site)


def can_edit_person(*, user: User, person: Person) -> bool:
    """Managers, selection officers and job coaches edit records; trainers only read them."""
    return can_see_sensitive_at(user, person.site)


def can_manage_person(*, user: User, person: Person) -> bool:
    """Network admins and site managers: history and merges."""
    scope = scope_for(user)
    if scope.superuser or person.site.organisation_id in scope.admin_organisation_ids():
        return True
    return person.site_id in scope.site_ids({Role.SITE_MANAGER})


def person_history(*, user: User, person: Person) -> QuerySet[AuditEvent]:
    if not can_manage_person(user=user, person=person):
        return AuditEvent.objects.none()
    return audit_events_for(person)


@dataclass(frozen=True)
class DuplicateCheck:
    visible: list[Person]
    hidden_count: int

    @property
    def found(self) -> bool:
        return bool(self.visible) or self.hidden_count > 0


def same_person_conditions(
    *, given_names: str, family_name: str, birth_date: dt.date | str | None, phone: Any, email: str
) -> list[Q]:
    """The ways a record can be the same human, surest first: the same e-mail, the same phone,
    or the same name (any order, accents and case) with the same birth date."""
    conditions = []
    if email:
        conditions.append(Q(email__iexact=email.strip()))
    if phone:
        conditions.append(Q(phone=phone))
    key = name_key(given_names, family_name)
    if key and birth_date:
        conditions.append(Q(name_key=key, birth_date=birth_date))
    return conditions


def duplicates_find(
    *,
    user: User,
    organisation_id: int,
    legal_given_names: str,
    legal_family_name: str,
    birth_date: dt.date | None,
    phone: str,
    email: str,
    exclude_id: int | None = None,
) -> DuplicateCheck:
    """Records of the same organisation that look like the same human: same name and birth
    date, or same phone, or same e-mail. Records the user may not see are only counted."""
    condition = Q()
    for same in same_person_conditions(
        given_names=legal_given_names,
        family_name=legal_family_name,
        birth_date=birth_date,
        phone=phone,
        email=email,
    ):
        condition |= same
    if not condition:
        return DuplicateCheck(visible=[], hidden_count=0)
    candidates = Person.objects.filter(
        condition, site__organisation_id=organisation_id, merged_into__isnull=True
    )
    if exclude_id is not None:
        candidates = candidates.exclude(pk=exclude_id)
    visible = list(candidates.filter(person_filter(user)).select_related("site")[:10])
    hidden_count = candidates.exclude(person_filter(user)).count()
    return DuplicateCheck(visible=visible, hidden_count=hidden_count)
