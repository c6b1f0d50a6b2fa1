"""Writes of a partner's sites and contacts (the people there: HR, company tutors,
referrers), audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record, field_changes, snapshot
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.network.models import Region
from tremplin.partners.iso_codes import is_country
from tremplin.partners.models import Partner, PartnerContact, PartnerSite
from tremplin.partners.services.partners import check_scope

SITE_FIELDS = ("name", "address", "postal_code", "city", "country", "region_id")
CONTACT_FIELDS = ("name", "job_title", "email", "phone", "language", "is_tutor", "site_id")


@dataclass(frozen=True)
class SiteDetails:
    name: str
    address: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""
    region: Region | None = None


@dataclass(frozen=True)
class ContactDetails:
    name: str
    job_title: str = ""
    email: str = ""
    phone: str = ""
    language: str = "fr"
    is_tutor: bool = False
    site: PartnerSite | None = None


def _refuse_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


Record = TypeVar("Record", PartnerSite, PartnerContact)


def _locked(
    model: type[Record], record: Record | None, partner: Partner, fields: tuple[str, ...]
) -> tuple[Record, dict[str, Any]]:
    """The record to change, locked, and its values before; a new one for the partner."""
    if record is None:
        return model(partner=partner), {}
    locked = model.objects.select_for_update().get(pk=record.pk, partner=partner)
    return locked, snapshot(locked, fields)


def _audit_saved(
    *,
    actor: User,
    action: AuditAction,
    partner: Partner,
    record: PartnerSite | PartnerContact,
    before: dict[str, Any],
    fields: tuple[str, ...],
) -> None:
    key = "site" if isinstance(record, PartnerSite) else "contact"
    audit_record(
        actor=actor,
        action=action,
        subject=partner,
        changes={
            key: {"from": None, "to": record.pk},
            **field_changes(instance=record, before=before, fields=fields),
        },
    )


@transaction.atomic
def partner_site_save(
    *, actor: User, partner: Partner, details: SiteDetails, site: PartnerSite | None = None
) -> PartnerSite:
    check_scope(actor, partner.organisation_id)
    errors: dict[str, list[str]] = {}
    if not details.name.strip():
        errors["name"] = [_("Give the site a name.")]
    if details.country and not is_country(details.country):
        errors["country"] = [_("Choose a country from the list.")]
    if details.region is not None and details.country and details.region.country != details.country:
        errors["region"] = [_("Choose a region of the site's country.")]
    _refuse_if(errors)
    site, before = _locked(PartnerSite, site, partner, SITE_FIELDS)
    site.name = details.name.strip()
    site.address = details.address.strip()
    site.postal_code = details.postal_code.strip()
    site.city = details.city.strip()
    site.country = details.country
    site.region = details.region
    site.save()
    _audit_saved(
        actor=actor,
        action=AuditAction.PARTNER_SITE_SAVED,
        partner=partner,
        record=site,
        before=before,
        fields=SITE_FIELDS,
    )
    return site


@transaction.atomic
def partner_contact_save(
    *,
    actor: User,
    partner: Partner,
    details: ContactDetails,
    contact: PartnerContact | None = None,
) -> PartnerContact:
    check_scope(actor, partner.organisation_id)
    errors: dict[str, list[str]] = {}
    if not details.name.strip():
        errors["name"] = [_("Give the contact's name.")]
    if details.site is not None and details.site.partner_id != partner.pk:
        errors["site"] = [_("Choose one of the partner's sites.")]
    _refuse_if(errors)
    contact, before = _locked(PartnerContact, contact, partner, CONTACT_FIELDS)
    contact.name = details.name.strip()
    contact.job_title = details.job_title.strip()
    contact.email = details.email.strip()
    contact.phone = details.phone.strip()
    contact.language = details.language
    contact.is_tutor = details.is_tutor
    contact.site = details.site
    contact.save()
    _audit_saved(
        actor=actor,
        action=AuditAction.PARTNER_CONTACT_SAVED,
        partner=partner,
        record=contact,
        before=before,
        fields=CONTACT_FIELDS,
    )
    return contact


@transaction.atomic
def partner_contact_archive(
    *, actor: User, contact: PartnerContact, archived: bool = True
) -> PartnerContact:
    """The contact leaves the partner's list (they left the company), or comes back."""
    check_scope(actor, contact.partner.organisation_id)
    contact = PartnerContact.objects.select_for_update().get(pk=contact.pk)
    if (contact.archived_at is not None) != archived:
        contact.archived_at = timezone.now() if archived else None
        contact.save(update_fields=["archived_at", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.PARTNER_CONTACT_SAVED,
            subject=contact.partner,
            changes={
                "contact": {"from": None, "to": contact.pk},
                "archived": {"from": not archived, "to": archived},
            },
        )
    return contact
