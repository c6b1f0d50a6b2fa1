"""Who is who in an import of applications: the people the organisation knows, read once,
and the same person found by e-mail, else phone, else name and birth date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, ExpressionWrapper, F

from tremplin.people.models import Person
from tremplin.selection.files.application_rows import Candidate
from tremplin.selection.models import Call


@dataclass
class Known:
    """A person of the organisation, as read once for matching (no model instance)."""

    pk: int
    email: str
    phone: str
    name_key: str
    birth_date: dt.date | None
    region_id: int | None
    country: str
    priority_neighbourhood: bool
    gender: str
    given_names: str
    family_name: str
    preferred_name: str


def phone_text(path: str = "phone") -> ExpressionWrapper[F]:
    """The stored phone as text: reading it as a PhoneNumber would parse every number."""
    return ExpressionWrapper(F(path), output_field=CharField())


def people_known(call: Call) -> list[Known]:
    rows = (
        Person.objects.filter(
            site__organisation_id=call.site.organisation_id, merged_into__isnull=True
        )
        .order_by("pk")
        .values_list(
            "pk",
            "email",
            phone_text(),
            "name_key",
            "birth_date",
            "region_id",
            "country",
            "priority_neighbourhood",
            "gender",
            "legal_given_names",
            "legal_family_name",
            "preferred_name",
        )
    )
    return [
        Known(
            pk=r[0],
            email=(r[1] or "").lower(),
            phone=r[2] or "",
            name_key=r[3],
            birth_date=r[4],
            region_id=r[5],
            country=str(r[6] or ""),
            priority_neighbourhood=r[7],
            gender=r[8],
            given_names=r[9],
            family_name=r[10],
            preferred_name=r[11],
        )
        for r in rows
    ]


@dataclass
class Match:
    candidate: Candidate
    known: Known | None


class Identities:
    """Who is who: the same person by e-mail, else phone, else name and birth date
    (the order `application_submit` matches in)."""

    def __init__(self) -> None:
        self.by_email: dict[str, Any] = {}
        self.by_phone: dict[str, Any] = {}
        self.by_name: dict[tuple[str, dt.date | None], Any] = {}

    def add(self, email: str, phone: str, key: str, birth: dt.date | None, value: Any) -> None:
        if email:
            self.by_email.setdefault(email, value)
        if phone:
            self.by_phone.setdefault(phone, value)
        if key and birth is not None:
            self.by_name.setdefault((key, birth), value)

    def find(self, candidate: Candidate) -> tuple[Any, str] | None:
        """(the value found, the column that matched)"""
        if candidate.email and candidate.email in self.by_email:
            return self.by_email[candidate.email], "email"
        if candidate.phone_text and candidate.phone_text in self.by_phone:
            return self.by_phone[candidate.phone_text], "phone"
        found = self.by_name.get((candidate.name_key, candidate.birth_date))
        return (found, "given_names") if found is not None else None


FILLED_FIELDS = ("phone", "email", "birth_date", "region", "country", "priority_neighbourhood")


def blanks_filled(known: Known, candidate: Candidate, country: str) -> dict[str, Any]:
    """What the row adds to a known person's blank fields (as `application_submit` does)."""
    values: dict[str, tuple[Any, Any]] = {
        "phone": (known.phone, candidate.phone_text),
        "email": (known.email, candidate.email),
        "birth_date": (known.birth_date, candidate.birth_date),
        "region": (known.region_id, candidate.region_id),
        "country": (known.country, country),
        "priority_neighbourhood": (
            known.priority_neighbourhood,
            candidate.priority_neighbourhood,
        ),
    }
    return {name: new for name, (old, new) in values.items() if new and not old}
