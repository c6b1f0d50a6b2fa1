"""Writes of partners: created, changed, archived, and two records of one partner merged.
Partners are shared by the sites of their organisation. A registration number is the
organisation's once (a constraint); a similar name is a warning the page shows before
saving (selectors.partners.partners_like), never a refusal here."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record, field_changes, snapshot
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.network.models import Organisation
from tremplin.partners.models import Partner, PartnerKind, Partnership, PartnerSize
from tremplin.partners.selectors.access import manages_partners, partner_organisation_ids
from tremplin.partners.selectors.partners import partner_registered

EDITED_FIELDS = (
    "name",
    "kind",
    "sector",
    "size",
    "partnerships",
    "registration_number",
    "website",
    "country",
    "description",
)


@dataclass(frozen=True)
class PartnerDetails:
    name: str
    kind: str
    sector: str = ""
    size: str = ""
    partnerships: Collection[str] = field(default_factory=tuple)
    registration_number: str = ""
    website: str = ""
    country: str = ""
    description: str = ""


def check_scope(actor: User, organisation_id: int) -> None:
    """Only the organisation's staff who work with partners write its partners."""
    ids = partner_organisation_ids(actor)
    if ids is not None and organisation_id not in ids:
        raise PermissionDenied


def _check(details: PartnerDetails, *, organisation_id: int, partner: Partner | None) -> None:
    """Every rule of a partner, each refused with the field named; nothing saved otherwise."""
    errors: dict[str, list[str]] = {}

    def refuse(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not details.name.strip():
        refuse("name", _("Give the partner's name."))
    if details.kind not in PartnerKind.values:
        refuse("kind", _("Choose the kind of partner."))
    if details.size not in PartnerSize.values:
        refuse("size", _("Choose a size from the list."))
    unknown = [p for p in details.partnerships if p not in Partnership.values]
    if unknown:
        refuse("partnerships", _("Choose partnerships from the list."))
    if details.registration_number:
        other = partner_registered(
            organisation_id=organisation_id,
            number=details.registration_number,
            exclude_id=partner.pk if partner else None,
        )
        if other is not None:
            refuse(
                "registration_number",
                _(
                    "%(name)s already has this registration number: "
                    "open it rather than adding it again."
                )
                % {"name": other.name},
            )
    if errors:
        raise ValidationError(errors)


def _apply(partner: Partner, details: PartnerDetails) -> None:
    partner.name = details.name.strip()
    partner.kind = details.kind
    partner.sector = details.sector.strip()
    partner.size = details.size
    partner.partnerships = [p for p in Partnership.values if p in set(details.partnerships)]
    partner.registration_number = details.registration_number.strip()
    partner.website = details.website.strip()
    partner.country = details.country
    partner.description = details.description.strip()


def _registration_taken() -> ValidationError:
    return ValidationError(
        {"registration_number": _("Another partner already has this registration number.")}
    )


def partner_create(*, actor: User, organisation: Organisation, details: PartnerDetails) -> Partner:
    check_scope(actor, organisation.pk)
    _check(details, organisation_id=organisation.pk, partner=None)
    partner = Partner(organisation=organisation, created_by=actor)
    _apply(partner, details)
    try:
        with transaction.atomic():
            partner.save()
            audit_record(
                actor=actor,
                action=AuditAction.PARTNER_CREATED,
                subject=partner,
                changes={"name": {"from": None, "to": partner.name}},
            )
    except IntegrityError as error:  # the same number saved at the same moment
        raise _registration_taken() from error
    return partner


def partner_update(*, actor: User, partner: Partner, details: PartnerDetails) -> Partner:
    check_scope(actor, partner.organisation_id)
    _check(details, organisation_id=partner.organisation_id, partner=partner)
    try:
        with transaction.atomic():
            partner = Partner.objects.select_for_update().get(pk=partner.pk)
            before = snapshot(partner, EDITED_FIELDS)
            _apply(partner, details)
            partner.save()
            changes = field_changes(instance=partner, before=before, fields=EDITED_FIELDS)
            if changes:
                audit_record(
                    actor=actor,
                    action=AuditAction.PARTNER_UPDATED,
                    subject=partner,
                    changes=changes,
                )
    except IntegrityError as error:
        raise _registration_taken() from error
    return partner


@transaction.atomic
def partner_archive(*, actor: User, partner: Partner, archived: bool = True) -> Partner:
    """Archive the partner (it leaves the list and its links stop working), or bring it
    back."""
    check_scope(actor, partner.organisation_id)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if (partner.archived_at is not None) != archived:
        partner.archived_at = timezone.now() if archived else None
        partner.save(update_fields=["archived_at", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.PARTNER_ARCHIVED if archived else AuditAction.PARTNER_UPDATED,
            subject=partner,
            changes={"archived": {"from": not archived, "to": archived}},
        )
    return partner


# What a merge copies from the partner that goes when the kept one has nothing.
FILLED_FIELDS = ("registration_number", "sector", "size", "website", "country", "description")


@dataclass(frozen=True)
class Merged:
    partner: Partner
    moved: dict[str, int]


@transaction.atomic
def partner_merge(*, actor: User, kept: Partner, merged: Partner) -> Merged:
    """One partner entered twice becomes one: every record of ``merged`` (contacts, sites,
    timeline, links, offers, referrals, internships, and whatever else points at a partner)
    moves to ``kept``, which takes the partnerships of both and the details it lacked;
    ``merged`` is deleted, its snapshot kept in the audit. Managers only."""
    if kept.pk == merged.pk:
        raise ValidationError({"merged": _("Choose two different partners.")})
    if kept.organisation_id != merged.organisation_id:
        raise ValidationError({"merged": _("Only partners of one organisation can be merged.")})
    if not manages_partners(actor, organisation_id=kept.organisation_id):
        raise PermissionDenied
    kept, merged = (
        Partner.objects.select_for_update().get(pk=kept.pk),
        Partner.objects.select_for_update().get(pk=merged.pk),
    )
    before = snapshot(kept, EDITED_FIELDS)
    gone = {
        "id": merged.pk,
        **{name: getattr(merged, name) for name in EDITED_FIELDS},
        "created_at": merged.created_at.isoformat(),
        "archived_at": merged.archived_at.isoformat() if merged.archived_at else None,
    }
    moved: dict[str, int] = {}
    for relation in Partner._meta.related_objects:
        if not relation.one_to_many:
            continue
        name = relation.field.name
        count = relation.related_model._default_manager.filter(**{name: merged}).update(  # type: ignore[union-attr]
            **{name: kept}
        )
        if count:
            moved[relation.related_model._meta.label_lower] = count  # type: ignore[union-attr]
    taken = {name: getattr(merged, name) for name in FILLED_FIELDS if not getattr(kept, name)}
    merged.delete()  # first: its registration number may pass to the kept partner
    for name, value in taken.items():
        setattr(kept, name, value)
    kept.partnerships = [
        p for p in Partnership.values if p in {*kept.partnerships, *merged.partnerships}
    ]
    if kept.archived_at is not None and merged.archived_at is None:
        kept.archived_at = None
    kept.save()
    audit_record(
        actor=actor,
        action=AuditAction.PARTNER_MERGED,
        subject=kept,
        changes={
            **field_changes(instance=kept, before=before, fields=EDITED_FIELDS),
            "merged": {"from": gone, "to": None},
            "moved": {"from": None, "to": moved},
        },
        note=merged.name,
    )
    return Merged(partner=kept, moved=moved)
