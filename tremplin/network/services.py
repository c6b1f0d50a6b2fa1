"""Writes for the network: each function is one atomic, audited action."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record, field_changes, snapshot
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.core.sounds import RECORDING_MAX_BYTES, SOUND_CONTENT_TYPES, sound_extension
from tremplin.network.languages import applicant_languages, offered_languages
from tremplin.network.models import (
    ORGANISATION_ROLES,
    ApplicantPage,
    ApplicantRecording,
    Invitation,
    Organisation,
    Programme,
    ProgrammeRun,
    Role,
    RoleAssignment,
    Site,
)
from tremplin.network.selectors import (
    can_manage_site,
    forget_scope,
    is_network_admin,
    roles_user_may_grant,
    staff_language,
)
from tremplin.network.signals import run_replicated


def programme_run_replicate(
    *, actor: User, run: ProgrammeRun, site: Site, starts_on: dt.date, title: str = ""
) -> ProgrammeRun:
    """Essaimage: copy a run's set-up to another site of the same organisation. Apps on the
    right hear ``run_replicated`` in the same transaction (training copies the cohorts)."""
    if site.organisation_id != run.site.organisation_id:
        raise ValidationError({"site": _("Choose a site of the same organisation.")})
    if not can_manage_site(actor, site):
        raise PermissionDenied
    duration = run.ends_on - run.starts_on
    with transaction.atomic():
        replica = ProgrammeRun.objects.create(
            programme=run.programme,
            site=site,
            title=title or f"{run.programme.title} — {site.name} {starts_on:%Y-%m}",
            starts_on=starts_on,
            ends_on=starts_on + duration,
            seats=run.seats,
            status=ProgrammeRun.Status.PLANNED,
            replicated_from=run,
        )
        audit_record(
            actor=actor,
            action=AuditAction.PROGRAMME_RUN_REPLICATED,
            subject=replica,
            changes={
                "from_run": {"from": None, "to": run.pk},
                "site": {"from": None, "to": site.name},
            },
        )
        run_replicated.send(sender=ProgrammeRun, actor=actor, run=run, replica=replica)
    return replica


@dataclass(frozen=True)
class InvitationSent:
    invitation: Invitation
    accept_url: str


def staff_invite(
    *,
    actor: User,
    email: str,
    role: Role,
    site: Site | None,
    organisation_id: int,
    base_url: str,
) -> InvitationSent:
    """Invite a member of staff by e-mail to hold a role at a site or organisation."""
    if role not in roles_user_may_grant(user=actor):
        raise PermissionDenied
    if role in ORGANISATION_ROLES:
        if not is_network_admin(actor, organisation_id):
            raise PermissionDenied
        site = None
    else:
        if site is None:
            raise ValidationError({"site": _("Choose the site this role is for.")})
        if not can_manage_site(actor, site):
            raise PermissionDenied
        organisation_id = site.organisation_id
    email = email.strip().lower()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email,
            role=role,
            organisation_id=organisation_id,
            site=site,
            token=secrets.token_urlsafe(32),
            invited_by=actor,
            expires_at=timezone.now() + dt.timedelta(days=settings.TREMPLIN_INVITATION_DAYS),
        )
        audit_record(
            actor=actor,
            action=AuditAction.STAFF_INVITED,
            subject=invitation,
            changes={"email": {"from": None, "to": email}, "role": {"from": None, "to": role}},
        )
        accept_url = base_url.rstrip("/") + reverse(
            "network:invitation-accept", kwargs={"token": invitation.token}
        )
        language = staff_language(
            email=email,
            site=site,
            organisation_id=organisation_id,
            fallback=actor.preferred_language or translation.get_language() or "",
        )
        with translation.override(language):
            context = {
                "invitation": invitation,
                "accept_url": accept_url,
                "actor": actor,
                "days": settings.TREMPLIN_INVITATION_DAYS,
            }
            subject = _("You are invited to join Tremplin")
            body = render_to_string("network/email/invitation.txt", context)
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
        )
    return InvitationSent(invitation=invitation, accept_url=accept_url)


def invitation_accept(
    *,
    invitation: Invitation,
    user: User | None,
    first_name: str = "",
    last_name: str = "",
    password: str = "",
) -> User:
    """Accept an invitation: create the account if needed and grant the role."""
    if invitation.accepted_at is not None or invitation.expires_at < timezone.now():
        raise ValidationError(_("This invitation has expired or was already used."))
    with transaction.atomic():
        if user is None:
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise ValidationError(
                    _("An account already uses this e-mail address: sign in first.")
                )
            user = User.objects.create_user(
                email=invitation.email,
                password=password,
                first_name=first_name,
                last_name=last_name,
            )
        elif user.email.lower() != invitation.email.lower():
            raise ValidationError(_("This invitation was sent to another e-mail address."))
        assignment, _created = RoleAssignment.objects.get_or_create(
            user=user,
            role=invitation.role,
            organisation=invitation.organisation,
            site=invitation.site,
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit_record(
            actor=user,
            action=AuditAction.STAFF_ROLE_GRANTED,
            subject=assignment,
            changes={"role": {"from": None, "to": invitation.role}},
            note=f"invitation {invitation.pk}",
        )
    forget_scope(user)
    return user


def role_assignment_remove(*, actor: User, assignment: RoleAssignment) -> None:
    if assignment.site is not None:
        allowed = can_manage_site(actor, assignment.site)
    else:
        allowed = is_network_admin(actor, assignment.organisation_id)
    if not allowed:
        raise PermissionDenied
    if assignment.user_id == actor.pk and assignment.role in {
        Role.NETWORK_ADMIN,
        Role.SITE_MANAGER,
    }:
        raise ValidationError(_("You cannot remove your own manager role."))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.STAFF_ROLE_REMOVED,
            subject=assignment,
            changes={
                "role": {"from": assignment.role, "to": None},
                "user": {"from": assignment.user.email, "to": None},
            },
        )
        assignment.delete()


def role_grant(
    *, user: User, role: Role, organisation_id: int, site: Site | None = None
) -> RoleAssignment:
    """Give a role directly (demo loader, administration commands)."""
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        organisation_id=organisation_id,
        site=None if role in ORGANISATION_ROLES else site,
    )
    forget_scope(user)
    return assignment


SITE_FIELDS = (
    "name",
    "slug",
    "address",
    "postal_code",
    "city",
    "country",
    "region",
    "timezone",
    "default_language",
)
PROGRAMME_FIELDS = (
    "title",
    "slug",
    "summary",
    "duration_weeks",
    "hours",
    "levels",
    "min_age",
    "max_age",
    "required_language",
    "required_language_level",
    "eligibility_notes",
    "certification",
    "target_women_share",
    "target_priority_share",
    "asks_priority_neighbourhood",
)


def _save_audited(
    *,
    actor: User,
    instance: Site | Programme,
    values: dict[str, Any],
    fields: tuple[str, ...],
    action: AuditAction,
) -> None:
    before = {} if instance.pk is None else snapshot(instance, fields)
    for name in fields:
        if name in values:
            setattr(instance, name, values[name])
    instance.full_clean()
    instance.save()
    audit_record(
        actor=actor,
        action=action,
        subject=instance,
        changes=field_changes(instance=instance, before=before, fields=fields),
    )


def site_save(
    *, actor: User, organisation: Organisation, values: dict[str, Any], site: Site | None = None
) -> Site:
    """Create a site of the organisation, or change one (network admin, or its manager)."""
    if site is None:
        if not is_network_admin(actor, organisation.pk):
            raise PermissionDenied
        site = Site(organisation=organisation)
        action = AuditAction.SITE_CREATED
    else:
        if not can_manage_site(actor, site):
            raise PermissionDenied
        action = AuditAction.SITE_UPDATED
    with transaction.atomic():
        _save_audited(actor=actor, instance=site, values=values, fields=SITE_FIELDS, action=action)
    return site


def programme_save(
    *,
    actor: User,
    organisation: Organisation,
    values: dict[str, Any],
    programme: Programme | None = None,
) -> Programme:
    """Create or change a programme template of the organisation (network admin)."""
    if not is_network_admin(actor, organisation.pk):
        raise PermissionDenied
    action = AuditAction.PROGRAMME_UPDATED
    if programme is None:
        programme = Programme(organisation=organisation)
        action = AuditAction.PROGRAMME_CREATED
    with transaction.atomic():
        _save_audited(
            actor=actor,
            instance=programme,
            values=values,
            fields=(*PROGRAMME_FIELDS, "translations"),
            action=action,
        )
    return programme


ORGANISATION_LANGUAGE_FIELDS = ("applicant_languages", "default_language")


def organisation_languages_set(
    *, actor: User, organisation: Organisation, languages: list[str], default: str
) -> Organisation:
    """Choose the languages the organisation's applicants are offered (network admin)."""
    if not is_network_admin(actor, organisation.pk):
        raise PermissionDenied
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = snapshot(organisation, ORGANISATION_LANGUAGE_FIELDS)
        organisation.applicant_languages = [c for c in applicant_languages() if c in languages]
        unknown = sorted(set(languages) - set(applicant_languages()))
        if unknown:
            organisation.applicant_languages = [*organisation.applicant_languages, *unknown]
        organisation.default_language = default
        organisation.full_clean()
        organisation.save(update_fields=[*ORGANISATION_LANGUAGE_FIELDS, "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.ORGANISATION_UPDATED,
            subject=organisation,
            changes=field_changes(
                instance=organisation, before=before, fields=ORGANISATION_LANGUAGE_FIELDS
            ),
        )
    return organisation


def applicant_recording_save(
    *, actor: User, organisation: Organisation, page: str, language: str, upload: File[bytes]
) -> ApplicantRecording:
    """Put the organisation's recording of a public page in one language (network admin),
    replacing the one it had; the file is checked by its content."""
    if not is_network_admin(actor, organisation.pk):
        raise PermissionDenied
    if page not in ApplicantPage.values:
        raise ValidationError({"page": _("Choose one of the pages.")})
    if language not in offered_languages(organisation):
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    size = getattr(upload, "size", None)
    if isinstance(size, int) and size > RECORDING_MAX_BYTES:
        raise ValidationError({"file": _("The recording is bigger than 5 MB.")})
    upload.seek(0)
    content = upload.read(RECORDING_MAX_BYTES + 1)
    extension = sound_extension(content[:16]) if len(content) >= 16 else None
    if len(content) > RECORDING_MAX_BYTES:
        raise ValidationError({"file": _("The recording is bigger than 5 MB.")})
    if extension is None:
        raise ValidationError(
            {"file": _("Give an MP3, OGG, M4A, AAC or WAV sound file; this file is not one.")}
        )
    name = default_storage.save(
        f"recordings/{organisation.pk}/{page}-{language}-{secrets.token_hex(8)}.{extension}",
        ContentFile(content),
    )
    with transaction.atomic():
        old = ApplicantRecording.objects.filter(
            organisation=organisation, page=page, language=language
        ).first()
        old_name = old.file_name if old else ""
        recording, _created = ApplicantRecording.objects.update_or_create(
            organisation=organisation,
            page=page,
            language=language,
            defaults={"file_name": name, "content_type": SOUND_CONTENT_TYPES[extension]},
        )
        audit_record(
            actor=actor,
            action=AuditAction.APPLICANT_RECORDING_SAVED,
            subject=organisation,
            note=f"{page} ({language})",
        )
        if old_name:
            transaction.on_commit(lambda: default_storage.delete(old_name))
    return recording


def applicant_recording_remove(*, actor: User, recording: ApplicantRecording) -> None:
    if not is_network_admin(actor, recording.organisation_id):
        raise PermissionDenied
    name = recording.file_name
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.APPLICANT_RECORDING_REMOVED,
            subject=recording.organisation,
            note=f"{recording.page} ({recording.language})",
        )
        recording.delete()
        transaction.on_commit(lambda: default_storage.delete(name))
