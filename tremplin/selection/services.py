"""Writes for selection: each function is one atomic action, audited in the same transaction."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.models import User
from tremplin.core.tokens import token_hash
from tremplin.network.models import ProgrammeRun, Region, Site
from tremplin.outreach.models import Registration
from tremplin.people.models import Consent, ConsentPurpose, Person, PersonLanguage
from tremplin.people.selectors import same_person_conditions
from tremplin.people.services import IDENTITY_FIELDS
from tremplin.selection import mail
from tremplin.selection.eligibility import age_band, eligibility_findings
from tremplin.selection.models import (
    AdministrativeCheck,
    Application,
    Call,
    CallSite,
    Criterion,
    Decision,
    FinalDecision,
    InterviewAssignment,
    Rating,
    ReasonCode,
    SocialInvestigation,
    Stage,
    StageKind,
    StageResult,
)
from tremplin.selection.need_index import answers_clean, need_index, questionnaire_validate
from tremplin.selection.processes import PROCESSES, StageTemplate
from tremplin.selection.scorecards import RaterMark, stage_scores, weighted_mark
from tremplin.selection.selectors import can_decide, can_manage_call, can_open_call

NOTICE_VERSION = "2026-1"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- Calls and stages -------------------------------------------------------------------


def _criteria_copy(stage: Stage, template: StageTemplate) -> None:
    """A template's interview criteria, in the language of whoever opens the call."""
    Criterion.objects.bulk_create(
        Criterion(
            stage=stage,
            position=number,
            name=_(criterion.name),
            weight=Decimal(str(criterion.weight)),
            anchors=[_(a) for a in criterion.anchors],
        )
        for number, criterion in enumerate(template.criteria, start=1)
    )


def call_create(
    *,
    actor: User,
    run: ProgrammeRun,
    slug: str,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    process: str,
    introduction: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    required_documents: Sequence[str] = (),
    administrative_checks: Sequence[str] = (),
) -> Call:
    """Open a call for a programme run, with the stages of a reference process and the
    programme's eligibility rules; the run's site offers the run's seats."""
    _require(can_open_call(actor, run))
    if process not in PROCESSES:
        raise ValidationError({"process": _("Choose one of the selection processes.")})
    programme = run.programme
    with transaction.atomic():
        call = Call(
            run=run,
            site=run.site,
            slug=slug,
            title=title,
            introduction=introduction,
            opens_on=opens_on,
            closes_on=closes_on,
            age_reference_date=run.starts_on,
            min_age=programme.min_age,
            max_age=programme.max_age,
            required_language=programme.required_language,
            required_language_level=programme.required_language_level,
            required_documents=[d for d in required_documents if d.strip()],
            administrative_checks=[c for c in administrative_checks if c.strip()],
            contact_email=contact_email,
            contact_phone=contact_phone,
        )
        call.full_clean()
        call.save()
        CallSite.objects.create(call=call, site=run.site, seats=run.seats)
        for position, template in enumerate(PROCESSES[process].stages, start=1):
            stage = Stage.objects.create(
                call=call,
                position=position,
                kind=template.kind,
                name=_(template.name),
                max_score=template.max_score,
                pass_mark=template.pass_mark,
                raters_per_application=template.raters,
                questionnaire=[dict(q) for q in template.questionnaire],
            )
            _criteria_copy(stage, template)
        audit_record(
            actor=actor,
            action="call.created",
            subject=call,
            changes={"process": {"from": None, "to": process}},
        )
    return call


CALL_FIELDS = (
    "title",
    "introduction",
    "opens_on",
    "closes_on",
    "published",
    "age_reference_date",
    "min_age",
    "max_age",
    "required_language",
    "required_language_level",
    "required_documents",
    "administrative_checks",
    "contact_email",
    "contact_phone",
)


def call_update(*, actor: User, call: Call, values: Mapping[str, Any]) -> Call:
    _require(can_manage_call(actor, call))
    unknown = set(values) - set(CALL_FIELDS)
    if unknown:
        raise ValueError(f"not call fields: {sorted(unknown)}")
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        changes = {}
        for name, value in values.items():
            old = getattr(call, name)
            if old != value:
                changes[name] = {"from": str(old), "to": str(value)}
                setattr(call, name, value)
        call.full_clean()
        call.save()
        if changes:
            audit_record(actor=actor, action="call.updated", subject=call, changes=changes)
    return call


def call_seats_set(*, actor: User, call: Call, site: Site, seats: int) -> None:
    """Offer seats at a site of the call's organisation (0 removes the site)."""
    _require(can_manage_call(actor, call))
    if site.organisation_id != call.site.organisation_id:
        raise ValidationError({"site": _("Choose a site of the same organisation.")})
    with transaction.atomic():
        if seats <= 0:
            if site.pk == call.site_id:
                raise ValidationError({"seats": _("The site running the call keeps its seats.")})
            CallSite.objects.filter(call=call, site=site).delete()
        else:
            CallSite.objects.update_or_create(call=call, site=site, defaults={"seats": seats})
        audit_record(
            actor=actor,
            action="call.seats_set",
            subject=call,
            changes={"seats": {"from": None, "to": f"{site.name}: {seats}"}},
        )


def _has_results(stage: Stage) -> bool:
    return (
        stage.results.exists()
        or stage.assignments.exists()
        or stage.investigations.exists()
        or stage.checks.exists()
    )


def stage_add(*, actor: User, call: Call, kind: str, name: str) -> Stage:
    _require(can_manage_call(actor, call))
    if kind not in StageKind.values:
        raise ValidationError({"kind": _("Choose a kind of stage.")})
    with transaction.atomic():
        last = call.stages.order_by("-position").values_list("position", flat=True).first() or 0
        # A new interview or home visit starts with the first reference process's criteria
        # or questionnaire of that kind.
        template = next((s for p in PROCESSES.values() for s in p.stages if s.kind == kind), None)
        stage = Stage(call=call, position=last + 1, kind=kind, name=name.strip())
        if kind == StageKind.WRITTEN_EXAM:
            stage.max_score = Decimal(100)
        if kind == StageKind.SOCIAL_INVESTIGATION and template is not None:
            stage.questionnaire = [dict(q) for q in template.questionnaire]
        stage.full_clean()
        stage.save()
        if kind == StageKind.INTERVIEW and template is not None:
            _criteria_copy(stage, template)
        audit_record(
            actor=actor,
            action="call.stage_added",
            subject=call,
            changes={"stage": {"from": None, "to": stage.name}},
        )
    return stage


STAGE_FIELDS = (
    "name",
    "max_score",
    "pass_mark",
    "raters_per_application",
    "standardise_raters",
    "questionnaire",
)


def stage_update(*, actor: User, stage: Stage, values: Mapping[str, Any]) -> Stage:
    _require(can_manage_call(actor, stage.call))
    with transaction.atomic():
        changes = {}
        for name, value in values.items():
            if name not in STAGE_FIELDS:
                raise ValueError(name)
            if name == "questionnaire":
                value = questionnaire_validate(value)
            if getattr(stage, name) != value:
                changes[name] = {"from": str(getattr(stage, name)), "to": str(value)}
                setattr(stage, name, value)
        stage.full_clean()
        stage.save()
        if changes:
            audit_record(actor=actor, action="stage.updated", subject=stage, changes=changes)
    return stage


def stage_move(*, actor: User, stage: Stage, up: bool) -> None:
    """Swap a stage with its neighbour, before any result is recorded in either."""
    _require(can_manage_call(actor, stage.call))
    with transaction.atomic():
        stages = list(Stage.objects.select_for_update().filter(call=stage.call_id))
        stages.sort(key=lambda s: s.position)
        index = next(i for i, s in enumerate(stages) if s.pk == stage.pk)
        other_index = index - 1 if up else index + 1
        if not 0 <= other_index < len(stages):
            return
        other = stages[other_index]
        if _has_results(stage) or _has_results(other):
            raise ValidationError(_("Stages that already hold results cannot be reordered."))
        a, b = stage.position, other.position
        Stage.objects.filter(pk=stage.pk).update(position=0)
        Stage.objects.filter(pk=other.pk).update(position=a)
        Stage.objects.filter(pk=stage.pk).update(position=b)
        audit_record(
            actor=actor,
            action="call.stages_reordered",
            subject=stage.call,
            changes={"stage": {"from": a, "to": b}},
        )


def stage_remove(*, actor: User, stage: Stage) -> None:
    _require(can_manage_call(actor, stage.call))
    with transaction.atomic():
        if _has_results(stage):
            raise ValidationError(_("This stage already holds results; it cannot be removed."))
        call = stage.call
        position = stage.position
        stage.delete()
        for later in call.stages.filter(position__gt=position).order_by("position"):
            Stage.objects.filter(pk=later.pk).update(position=later.position - 1)
        audit_record(
            actor=actor,
            action="call.stage_removed",
            subject=call,
            changes={"stage": {"from": stage.name, "to": None}},
        )


def criteria_save(
    *, actor: User, stage: Stage, criteria: Sequence[tuple[str, Decimal, list[str]]]
) -> None:
    """Replace an interview stage's criteria (name, weight, five anchors), before any mark."""
    _require(can_manage_call(actor, stage.call))
    if stage.kind != StageKind.INTERVIEW:
        raise ValidationError(_("Only interviews have criteria."))
    if not criteria:
        raise ValidationError(_("An interview needs at least one criterion."))
    with transaction.atomic():
        if Rating.objects.filter(criterion__stage=stage).exists():
            raise ValidationError(_("Interviews are already marked: the criteria are fixed."))
        stage.criteria.all().delete()
        for position, (name, weight, anchors) in enumerate(criteria, start=1):
            criterion = Criterion(
                stage=stage, position=position, name=name, weight=weight, anchors=anchors
            )
            criterion.full_clean()
            criterion.save()
        audit_record(
            actor=actor,
            action="stage.criteria_saved",
            subject=stage,
            changes={"criteria": {"from": None, "to": ", ".join(c[0] for c in criteria)}},
        )


# --- The public application form ---------------------------------------------------------


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
        raise ValidationError({"question": _("Write your question.")})
    application.help_requested = question[:2000]
    application.help_requested_at = timezone.now()
    application.save(update_fields=["help_requested", "help_requested_at", "updated_at"])
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


def stages_passed_count(positions: Sequence[int], decisions: Mapping[int, str]) -> int:
    """How many stages in a row, from the first, the application went through."""
    count = 0
    for position in positions:
        if decisions.get(position) != Decision.ADVANCE:
            break
        count += 1
    return count


# Ids per query when refreshing many applications (SQLite takes up to 32,766 parameters).
REFRESH_CHUNK = 5000


def stages_passed_refresh(*, call: Call, application_ids: Collection[int]) -> dict[int, int]:
    """Recount `stages_passed` for applications of a call from their results, in a handful of
    queries whatever their number; returns each application's count."""
    positions = list(call.stages.values_list("position", flat=True))
    counts: dict[int, int] = {}
    ids = list(application_ids)
    for start in range(0, len(ids), REFRESH_CHUNK):
        chunk = ids[start : start + REFRESH_CHUNK]
        decisions: dict[int, dict[int, str]] = defaultdict(dict)
        for application_id, position, decision in StageResult.objects.filter(
            application_id__in=chunk
        ).values_list("application_id", "stage__position", "decision"):
            decisions[application_id][position] = decision
        changed: dict[int, list[int]] = defaultdict(list)
        for application_id, before in Application.objects.filter(pk__in=chunk).values_list(
            "pk", "stages_passed"
        ):
            after = stages_passed_count(positions, decisions[application_id])
            counts[application_id] = after
            if after != before:
                changed[after].append(application_id)
        for passed, changed_ids in changed.items():
            Application.objects.filter(pk__in=changed_ids).update(stages_passed=passed)
    return counts


def _refresh_stages_passed(application: Application) -> None:
    counts = stages_passed_refresh(call=application.call, application_ids=[application.pk])
    application.stages_passed = counts[application.pk]


def application_submit(*, application: Application) -> Submission:
    """Turn a draft into an application: find or create the person (fuzzy match within the
    organisation), record consent, snapshot the funnel's fields, mail a confirmation. A person
    who already applied to this call is linked to their first application, not twice."""
    call = application.call
    answers = application.answers
    missing = [key for key in REQUIRED_ANSWERS if not answers.get(key)]
    if missing:
        raise ValidationError(
            {key: _("This answer is needed before you send the application.") for key in missing}
        )
    if not answers.get("email") and not answers.get("phone"):
        raise ValidationError({"phone": _("Give a phone number or an e-mail address.")})
    today = timezone.localdate()
    if not call.published or not call.opens_on <= today <= call.closes_on:
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
                action="person.created",
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
                    action="person.updated",
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
            existing.answers = {
                **existing.answers,
                "later_submissions": [
                    *existing.answers.get("later_submissions", []),
                    {"at": timezone.now().isoformat(), "answers": dict(answers)},
                ],
            }
            existing.save(update_fields=["answers", "updated_at"])
            audit_record(
                actor=None,
                action="application.duplicate_linked",
                subject=existing,
                note=f"draft {application.pk} sent again by the same person",
            )
            application.delete()
            return Submission(application=existing, linked_to_existing=True)
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
        application.attended_information_session = _attended_information_session(call, person)
        application.save()
        _information_session_result(application)
        audit_record(actor=None, action="application.submitted", subject=application)
        transaction.on_commit(lambda: mail.confirmation_send(application_id=application.pk))
    return Submission(application=application, linked_to_existing=False)


def _information_session_result(application: Application) -> None:
    stage = application.call.stages.filter(kind=StageKind.INFORMATION_SESSION).first()
    if stage is None or not application.attended_information_session:
        return
    StageResult.objects.get_or_create(
        application=application,
        stage=stage,
        defaults={"decision": Decision.ADVANCE, "reason": ReasonCode.PASSED},
    )
    _refresh_stages_passed(application)


def application_withdraw(*, actor: User | None, application: Application, note: str = "") -> None:
    with transaction.atomic():
        application.status = Application.Status.WITHDRAWN
        application.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="application.withdrawn", subject=application, note=note)


# --- Stage results ---------------------------------------------------------------------------


def _check_stage_access(actor: User, application: Application, stage: Stage) -> None:
    _require(can_manage_call(actor, application.call))
    if stage.call_id != application.call_id:
        raise ValidationError(_("This stage belongs to another call."))


def _reachable(application: Application, stage: Stage) -> None:
    if stage.position > application.stages_passed + 1:
        raise ValidationError(
            _("%(name)s is not reached yet: the earlier stages come first.")
            % {"name": application.person}
        )


def stage_result_record(
    *,
    actor: User,
    application: Application,
    stage: Stage,
    decision: str,
    reason: str,
    score: Decimal | None = None,
    note: str = "",
) -> StageResult:
    """Record (or correct) what a stage decided for an application."""
    _check_stage_access(actor, application, stage)
    if stage.is_scored and score is None and decision != Decision.REJECT:
        raise ValidationError({"score": _("Enter the score.")})
    if score is not None and stage.max_score is not None and not 0 <= score <= stage.max_score:
        raise ValidationError(
            {"score": _("The score must be between 0 and %(max)s.") % {"max": stage.max_score}}
        )
    with transaction.atomic():
        _reachable(application, stage)
        result = StageResult.objects.filter(application=application, stage=stage).first()
        before = (
            {"score": str(result.score), "decision": result.decision, "reason": result.reason}
            if result
            else {}
        )
        if result is None:
            result = StageResult(application=application, stage=stage)
        result.score = score
        result.decision = decision
        result.reason = reason
        result.note = note
        result.recorded_by = actor
        result.full_clean()
        result.save()
        _refresh_stages_passed(application)
        after = {"score": str(score), "decision": decision, "reason": reason}
        audit_record(
            actor=actor,
            action="stage_result.recorded",
            subject=application,
            changes={
                k: {"from": before.get(k), "to": v} for k, v in after.items() if before.get(k) != v
            },
            note=stage.name,
        )
    return result


def pass_mark_apply(*, actor: User, stage: Stage) -> int:
    """Turn every pending scored result of a stage into a decision by the pass mark."""
    _require(can_manage_call(actor, stage.call))
    if stage.pass_mark is None:
        raise ValidationError(_("Set a pass mark for this stage first."))
    with transaction.atomic():
        pending = list(stage.results.filter(decision=Decision.PENDING, score__isnull=False))
        for result in pending:
            passed = result.score is not None and result.score >= stage.pass_mark
            result.decision = Decision.ADVANCE if passed else Decision.REJECT
            result.reason = ReasonCode.PASSED if passed else ReasonCode.BELOW_PASS_MARK
            result.recorded_by = actor
        StageResult.objects.bulk_update(pending, ["decision", "reason", "recorded_by"])
        stages_passed_refresh(call=stage.call, application_ids=[r.application_id for r in pending])
        audit_record(
            actor=actor,
            action="stage.pass_mark_applied",
            subject=stage,
            changes={"decided": {"from": None, "to": len(pending)}},
        )
    return len(pending)


# --- Interviews ----------------------------------------------------------------------------


def interview_assign(
    *, actor: User, application: Application, stage: Stage, raters: Iterable[User]
) -> list[InterviewAssignment]:
    """Ask raters (interviewers or officers of the site) to interview an applicant."""
    _check_stage_access(actor, application, stage)
    if stage.kind != StageKind.INTERVIEW:
        raise ValidationError(_("Only interviews have raters."))
    created = []
    with transaction.atomic():
        _reachable(application, stage)
        for rater in raters:
            assignment, new = InterviewAssignment.objects.get_or_create(
                application=application, stage=stage, rater=rater
            )
            if new:
                created.append(assignment)
        if created:
            audit_record(
                actor=actor,
                action="interview.assigned",
                subject=application,
                changes={"raters": {"from": None, "to": ", ".join(a.rater.email for a in created)}},
            )
    return created


def interview_submit(
    *,
    actor: User,
    assignment: InterviewAssignment,
    marks: Mapping[int, int],
    comment: str = "",
) -> InterviewAssignment:
    """A rater's marks, once: after submitting they see the others' and cannot change theirs."""
    if assignment.rater_id != actor.pk:
        raise PermissionDenied
    if assignment.submitted_at is not None:
        raise ValidationError(_("You have already sent your marks for this interview."))
    criteria = list(assignment.stage.criteria.all())
    errors = {}
    for criterion in criteria:
        value = marks.get(criterion.pk)
        if value is None or not 1 <= int(value) <= 5:
            errors[f"criterion_{criterion.pk}"] = _("Give a mark from 1 to 5.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        assignment = InterviewAssignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.submitted_at is not None:
            raise ValidationError(_("You have already sent your marks for this interview."))
        Rating.objects.bulk_create(
            [Rating(assignment=assignment, criterion=c, value=int(marks[c.pk])) for c in criteria]
        )
        assignment.comment = comment.strip()
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["comment", "submitted_at"])
        audit_record(actor=actor, action="interview.marked", subject=assignment.application)
        interview_scores_refresh(stage=assignment.stage)
    return assignment


def interview_marks(stage: Stage) -> list[RaterMark]:
    """Every submitted rater's weighted mark on the stage."""
    weights = {c.pk: float(c.weight) for c in stage.criteria.all()}
    per_assignment: dict[int, dict[int, int]] = {}
    owners: dict[int, tuple[int, int]] = {}
    for rating in Rating.objects.filter(
        assignment__stage=stage, assignment__submitted_at__isnull=False
    ).values(
        "assignment_id",
        "assignment__rater_id",
        "assignment__application_id",
        "criterion_id",
        "value",
    ):
        per_assignment.setdefault(rating["assignment_id"], {})[rating["criterion_id"]] = rating[
            "value"
        ]
        owners[rating["assignment_id"]] = (
            rating["assignment__rater_id"],
            rating["assignment__application_id"],
        )
    return [
        RaterMark(
            rater_id=owners[a][0], application_id=owners[a][1], mark=weighted_mark(m, weights)
        )
        for a, m in per_assignment.items()
        if set(m) == set(weights)
    ]


def interview_scores_refresh(*, stage: Stage) -> int:
    """The stage score of every applicant whose raters have all submitted: the mean of their
    weighted marks, standardised per rater when the stage asks for it. Recorded as pending
    until an officer decides (or applies the pass mark)."""
    marks = interview_marks(stage)
    complete = set(
        stage.assignments.values_list("application_id", flat=True).exclude(
            application_id__in=stage.assignments.filter(submitted_at__isnull=True).values(
                "application_id"
            )
        )
    )
    scores = stage_scores(marks, standardise=stage.standardise_raters)
    existing = {
        r.application_id: r
        for r in StageResult.objects.filter(stage=stage, application_id__in=complete)
    }
    now = timezone.now()
    created: list[StageResult] = []
    changed: list[StageResult] = []
    for application_id, score in scores.items():
        if application_id not in complete:
            continue
        value = Decimal(str(round(score, 2)))
        result = existing.get(application_id)
        if result is None:
            created.append(
                StageResult(
                    application_id=application_id,
                    stage=stage,
                    score=value,
                    decision=Decision.PENDING,
                    reason=ReasonCode.OTHER,
                )
            )
        elif result.score != value:
            result.score = value
            result.updated_at = now
            changed.append(result)
    StageResult.objects.bulk_create(created)
    StageResult.objects.bulk_update(changed, ["score", "updated_at"])
    return len(created) + len(changed)


# --- Social investigations and administrative checks --------------------------------------


def investigation_assign(
    *, actor: User, application: Application, stage: Stage, investigator: User
) -> SocialInvestigation:
    _check_stage_access(actor, application, stage)
    if stage.kind != StageKind.SOCIAL_INVESTIGATION:
        raise ValidationError(_("This stage is not a social investigation."))
    with transaction.atomic():
        _reachable(application, stage)
        investigation, created = SocialInvestigation.objects.get_or_create(
            application=application, stage=stage, defaults={"investigator": investigator}
        )
        if not created and investigation.submitted_at is None:
            investigation.investigator = investigator
            investigation.save(update_fields=["investigator", "updated_at"])
        audit_record(
            actor=actor,
            action="investigation.assigned",
            subject=application,
            changes={"investigator": {"from": None, "to": investigator.email}},
        )
    return investigation


def investigation_submit(
    *,
    actor: User,
    investigation: SocialInvestigation,
    answers: Mapping[str, Any],
    visited_on: dt.date,
) -> SocialInvestigation:
    """The investigator's answers (encrypted) and the need index worked out from them. The
    stage result follows: pending, for the officer to decide with the index in view."""
    if investigation.investigator_id != actor.pk:
        raise PermissionDenied
    questions = investigation.stage.questionnaire
    clean = answers_clean(questions, dict(answers))
    with transaction.atomic():
        investigation.answers = json.dumps(clean, ensure_ascii=False)
        investigation.need_index = need_index(questions, clean)
        investigation.visited_on = visited_on
        investigation.submitted_at = timezone.now()
        investigation.save()
        StageResult.objects.update_or_create(
            application=investigation.application,
            stage=investigation.stage,
            defaults={"score": investigation.need_index},
            create_defaults={
                "score": investigation.need_index,
                "decision": Decision.PENDING,
                "reason": ReasonCode.NEED,
            },
        )
        audit_record(
            actor=actor,
            action="investigation.submitted",
            subject=investigation.application,
            changes={
                "answers": {"from": "***", "to": "***"},
                "need_index": {"from": None, "to": str(investigation.need_index)},
            },
        )
    return investigation


def administrative_check_record(
    *,
    actor: User,
    application: Application,
    stage: Stage,
    documents_received: Sequence[str],
    checks_passed: Sequence[str],
    findings: str,
) -> AdministrativeCheck:
    _check_stage_access(actor, application, stage)
    if stage.kind != StageKind.ADMINISTRATIVE_CHECK:
        raise ValidationError(_("This stage is not an administrative check."))
    call = application.call
    unknown = set(documents_received) - set(call.required_documents)
    unknown |= set(checks_passed) - set(call.administrative_checks)
    if unknown:
        raise ValidationError(
            _("Unknown document or check: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        _reachable(application, stage)
        check, _created = AdministrativeCheck.objects.get_or_create(
            application=application, stage=stage
        )
        check.documents_received = list(documents_received)
        check.checks_passed = list(checks_passed)
        check.findings = findings
        check.checked_by = actor
        check.save()
        audit_record(
            actor=actor,
            action="administrative_check.recorded",
            subject=application,
            changes={
                "documents": {"from": None, "to": len(documents_received)},
                "checks": {"from": None, "to": len(checks_passed)},
                "findings": {"from": "***", "to": "***"},
            },
        )
    return check


# --- Decisions -------------------------------------------------------------------------------


def decision_propose(
    *, actor: User, application: Application, outcome: str, reason: str, note: str = ""
) -> FinalDecision:
    """An officer proposes the outcome; a proposal not yet validated can be changed."""
    _require(can_manage_call(actor, application.call))
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(_("Only submitted applications get a decision."))
    with transaction.atomic():
        standing = (
            FinalDecision.objects.select_for_update()
            .filter(application=application)
            .exclude(state=FinalDecision.State.REVERSED)
            .first()
        )
        if standing is not None and standing.state == FinalDecision.State.VALIDATED:
            raise ValidationError(
                _("The committee has validated a decision; only a manager can reverse it.")
            )
        decision = standing or FinalDecision(application=application)
        decision.outcome = outcome
        decision.reason = reason
        decision.note = note
        decision.proposed_by = actor
        decision.proposed_at = timezone.now()
        decision.full_clean()
        decision.save()
        audit_record(
            actor=actor,
            action="decision.proposed",
            subject=application,
            changes={
                "outcome": {"from": None, "to": outcome},
                "reason": {"from": None, "to": reason},
            },
        )
    return decision


def decisions_validate(*, actor: User, call: Call, decision_ids: Iterable[int]) -> int:
    """The committee validates proposals; each applicant is told by e-mail in their language."""
    _require(can_decide(actor, call))
    ids = list(decision_ids)
    with transaction.atomic():
        decisions = list(
            FinalDecision.objects.select_for_update()
            .filter(pk__in=ids, application__call=call, state=FinalDecision.State.PROPOSED)
            .select_related("application")
        )
        now = timezone.now()
        for decision in decisions:
            decision.state = FinalDecision.State.VALIDATED
            decision.validated_by = actor
            decision.validated_at = now
            decision.save(update_fields=["state", "validated_by", "validated_at"])
            application = decision.application
            application.outcome = decision.outcome
            application.save(update_fields=["outcome", "updated_at"])
            audit_record(
                actor=actor,
                action="decision.validated",
                subject=application,
                changes={
                    "outcome": {"from": Application.Outcome.IN_PROGRESS, "to": decision.outcome}
                },
            )
        decided = [d.pk for d in decisions]
        transaction.on_commit(lambda: mail.decisions_send(decision_ids=decided))
    return len(decisions)


def decision_reverse(*, actor: User, decision: FinalDecision, reason: str) -> FinalDecision:
    """Only a manager (the committee) reverses a decision, and says why."""
    _require(can_decide(actor, decision.application.call))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the decision is reversed.")})
    with transaction.atomic():
        decision = FinalDecision.objects.select_for_update().get(pk=decision.pk)
        if decision.state == FinalDecision.State.REVERSED:
            raise ValidationError(_("This decision is already reversed."))
        before = decision.state
        decision.state = FinalDecision.State.REVERSED
        decision.reversed_by = actor
        decision.reversed_at = timezone.now()
        decision.reversal_reason = reason.strip()
        decision.save()
        application = decision.application
        application.outcome = Application.Outcome.IN_PROGRESS
        application.save(update_fields=["outcome", "updated_at"])
        audit_record(
            actor=actor,
            action="decision.reversed",
            subject=application,
            changes={
                "outcome": {"from": decision.outcome, "to": Application.Outcome.IN_PROGRESS},
                "state": {"from": before, "to": FinalDecision.State.REVERSED},
            },
            note=decision.reversal_reason,
        )
    return decision
