"""Writes for applications: the public form's drafts, submitting (finding or creating the
person), and withdrawing."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.core.tokens import token_hash
from tremplin.network.models import Region, Site
from tremplin.outreach.models import Registration
from tremplin.people.models import Consent, ConsentPurpose, Person, PersonLanguage
from tremplin.people.selectors import same_person_conditions
from tremplin.people.services import IDENTITY_FIELDS
from tremplin.selection import mail
from tremplin.selection.eligibility import age_band, eligibility_findings
from tremplin.selection.models import (
    Application,
    ApplicationDocument,
    ApplicationQuestion,
    Call,
)
from tremplin.selection.services.information_sessions import information_session_passed
from tremplin.selection.signals import application_submitted

NOTICE_VERSION = "2026-1"


@dataclass(frozen=True)
class Draft:
    application: Application
    token: str


def application_start(*, call: Call, language: str) -> Draft:
    """A new draft; the token (shown once, and mailed) lets the applicant come back."""
    token = secrets.token_urlsafe(24)
    application = Application.objects.create(
        call=call,
        source=Application.Source.FORM,
        language=language,
        resume_token_hash=token_hash(token),
    )
    return Draft(application=application, token=token)


def application_resume(*, call: Call, token: str) -> Application | None:
    return (
        call.applications.filter(
            resume_token_hash=token_hash(token), status=Application.Status.DRAFT
        ).first()
        if token
        else None
    )


def application_step_save(
    *, application: Application, step: int, answers: Mapping[str, Any], language: str
) -> Application:
    """Keep what the applicant typed on a step, and where they are; recheck eligibility."""
    if application.status != Application.Status.DRAFT:
        # applicant-facing
        raise ValidationError(_("This application is already submitted."))
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        application.answers = {**application.answers, **answers}
        application.step = max(application.step, step)
        application.language = language
        findings = eligibility_findings(application.call, application.answers)
        application.eligible = not any(f.blocking for f in findings)
        application.eligibility_reasons = [f.rule for f in findings if f.blocking]
        application.save()
    return application


def application_help_request(*, application: Application, question: str) -> Application:
    """The applicant asks a person to look at their case (for example a rule they miss)."""
    question = question.strip()
    if not question:
        # applicant-facing
        raise ValidationError({"question": _("Write your question.")})
    now = timezone.now()
    application.help_requested = question[:2000]
    application.help_requested_at = now
    application.help_handled_at = None
    application.help_handled_by = None
    with transaction.atomic():
        application.save(
            update_fields=[
                "help_requested",
                "help_requested_at",
                "help_handled_at",
                "help_handled_by",
                "updated_at",
            ]
        )
        # Each question is kept, so an earlier one and its answer stay on the call's page.
        ApplicationQuestion.objects.create(
            application=application, text=application.help_requested, asked_at=now
        )
    return application


REQUIRED_ANSWERS = ("given_names", "family_name", "birth_date", "gender", "consent_data")


def _person_match(call: Call, answers: Mapping[str, Any]) -> Person | None:
    """The same human already known to the organisation: e-mail or phone, else name and
    birth date (accent-, case- and order-insensitive)."""
    people = Person.objects.filter(
        site__organisation_id=call.site.organisation_id, merged_into__isnull=True
    )
    conditions = same_person_conditions(
        given_names=answers.get("given_names", ""),
        family_name=answers.get("family_name", ""),
        birth_date=answers.get("birth_date"),
        phone=answers.get("phone", ""),
        email=answers.get("email", ""),
    )
    for condition in conditions:
        match = people.filter(condition).order_by("pk").first()
        if match is not None:
            return match
    return None


@dataclass(frozen=True)
class Submission:
    application: Application
    linked_to_existing: bool


def _person_from_answers(call: Call, answers: Mapping[str, Any]) -> dict[str, Any]:
    region = None
    if answers.get("region_id"):
        region = Region.objects.filter(pk=answers["region_id"]).first()
    values = {
        "legal_given_names": answers["given_names"].strip(),
        "legal_family_name": answers["family_name"].strip(),
        "preferred_name": answers.get("preferred_name", "").strip(),
        "gender": answers["gender"],
        "birth_date": dt.date.fromisoformat(answers["birth_date"]),
        "phone": answers.get("phone", ""),
        "email": answers.get("email", "").strip().lower(),
        "city": answers.get("city", "").strip(),
        "region": region,
        "country": call.site.country.code,
        "nationality": answers.get("nationality", ""),
        "priority_neighbourhood": bool(answers.get("priority_neighbourhood")),
    }
    return values


def _attended_information_session(call: Call, person: Person) -> bool:
    sites = [call.site_id, *call.call_sites.values_list("site_id", flat=True)]
    contact = Q(person=person)
    if person.email:
        contact |= Q(email__iexact=person.email)
    if person.phone:
        contact |= Q(phone=person.phone)
    return Registration.objects.filter(
        contact, session__site_id__in=sites, checked_in_at__isnull=False
    ).exists()


def _linked_to_existing(existing: Application, application: Application) -> Submission:
    """The same person sent the form again: their answers join the first application, and so
    do the files they sent; the draft goes."""
    existing.answers = {
        **existing.answers,
        "later_submissions": [
            *existing.answers.get("later_submissions", []),
            {"at": timezone.now().isoformat(), "answers": dict(application.answers)},
        ],
    }
    existing.save(update_fields=["answers", "updated_at"])
    ApplicationDocument.objects.filter(application=application).update(application=existing)
    audit_record(
        actor=None,
        action=AuditAction.APPLICATION_DUPLICATE_LINKED,
        subject=existing,
        note=f"draft {application.pk} sent again by the same person",
    )
    application.delete()
    # They sent the form: they are told so, on the contact typed this time.
    mail.confirmation_send(application=existing, answers=dict(application.answers))
    return Submission(application=existing, linked_to_existing=True)


def _stages_already_done(application: Application, person: Person) -> None:
    """What the person did before applying counts now: a check-in at an information session
    passes that stage; a placement test finished earlier gives its score (placement hears of
    the submission through `application_submitted`)."""
    if _attended_information_session(application.call, person):
        information_session_passed(actor=None, application=application)
    application_submitted.send(sender=Application, application=application)


def application_submit(*, application: Application) -> Submission:
    """Turn a draft into an application: find or create the person (fuzzy match within the
    organisation), record consent, snapshot the funnel's fields, mail a confirmation. A person
    who already applied to this call is linked to their first application, not twice."""
    call = application.call
    answers = application.answers
    missing = [key for key in REQUIRED_ANSWERS if not answers.get(key)]
    if missing:
        raise ValidationError(
            # applicant-facing
            {key: _("This answer is needed before you send the application.") for key in missing}
        )
    if not answers.get("email") and not answers.get("phone"):
        # applicant-facing
        raise ValidationError({"phone": _("Give a phone number or an e-mail address.")})
    today = timezone.localdate()
    if not call.published or not call.opens_on <= today <= call.closes_on:
        # applicant-facing
        raise ValidationError(_("This call for applications is closed."))
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != Application.Status.DRAFT:
            return Submission(application=application, linked_to_existing=False)
        values = _person_from_answers(call, answers)
        person = _person_match(call, answers)
        if person is None:
            site = call.site
            if answers.get("sites"):
                site = Site.objects.filter(pk=answers["sites"][0]).first() or site
            person = Person(site=site, **values)
            person.refresh_derived()
            person.full_clean(exclude=["search_text", "name_key"])
            person.save()
            audit_record(
                actor=None,
                action=AuditAction.PERSON_CREATED,
                subject=person,
                note=f"application form, call {call.slug}",
            )
        else:
            filled = {}
            for name in IDENTITY_FIELDS:
                if name in values and values[name] and not getattr(person, name):
                    setattr(person, name, values[name])
                    filled[name] = {"from": "", "to": str(values[name])}
            if filled:
                person.refresh_derived()
                person.save()
                audit_record(
                    actor=None,
                    action=AuditAction.PERSON_UPDATED,
                    subject=person,
                    changes=filled,
                    note=f"application form, call {call.slug}",
                )
        for purpose, key in (
            (ConsentPurpose.DATA_PROCESSING, "consent_data"),
            (ConsentPurpose.CONTACT, "consent_contact"),
        ):
            if (
                answers.get(key)
                and not person.consents.filter(purpose=purpose, withdrawn_at__isnull=True).exists()
            ):
                Consent.objects.create(
                    person=person,
                    purpose=purpose,
                    notice_version=NOTICE_VERSION,
                    given_at=timezone.now(),
                )
        if call.required_language and answers.get("language_level"):
            PersonLanguage.objects.get_or_create(
                person=person,
                language=call.required_language,
                defaults={"level": answers["language_level"]},
            )
        existing = call.applications.filter(person=person).first()
        if existing is not None:
            return _linked_to_existing(existing, application)
        site_ids = [int(s) for s in answers.get("sites", [])]
        application.person = person
        application.status = Application.Status.SUBMITTED
        application.submitted_at = timezone.now()
        application.site_id = site_ids[0] if site_ids else call.site_id
        application.site_choices = site_ids or [call.site_id]
        application.gender = person.gender
        application.region = person.region
        application.priority_neighbourhood = person.priority_neighbourhood
        application.age_band = age_band(person.birth_date, call.age_reference_date)
        application.channel = answers.get("channel", "")
        application.save()
        audit_record(actor=None, action=AuditAction.APPLICATION_SUBMITTED, subject=application)
        _stages_already_done(application, person)
        mail.confirmation_send(application=application)
    return Submission(application=application, linked_to_existing=False)


def application_withdraw(*, actor: User | None, application: Application, note: str = "") -> None:
    with transaction.atomic():
        application.status = Application.Status.WITHDRAWN
        application.withdrawn_at = timezone.now()
        application.save(update_fields=["status", "withdrawn_at", "updated_at"])
        audit_record(
            actor=actor, action=AuditAction.APPLICATION_WITHDRAWN, subject=application, note=note
        )
