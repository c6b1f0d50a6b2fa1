"""Writes for the placement test: start an attempt, record an answer (the engine chooses the
next question or finishes), choose the interface language, review a result, record its score
in selection. Atomic, audited."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.core.tokens import token_hash
from tremplin.messaging.models import Kind, Message
from tremplin.messaging.services import send_to_applicant
from tremplin.network.languages import offered_languages
from tremplin.network.models import Programme
from tremplin.people.models import Person
from tremplin.placement import adaptive
from tremplin.placement.bank import engine_bank, live_bank
from tremplin.placement.models import Answer, Attempt, Item
from tremplin.placement.selectors.access import can_review, can_start_at
from tremplin.placement.selectors.settings import setup_of
from tremplin.placement.services.settings import rules_of

if TYPE_CHECKING:
    from tremplin.selection.models import Application, StageResult


@dataclass(frozen=True)
class Started:
    attempt: Attempt
    token: str  # shown once, for the private link
    sent: tuple[Message, ...] = ()  # the link sent to the applicant, by e-mail and/or SMS


def _link_send(attempt: Attempt, *, token: str, base_url: str) -> tuple[Message, ...]:
    """The private link to the person, by e-mail, SMS or both, after the commit."""
    link = base_url.rstrip("/") + reverse("placement:take", kwargs={"token": token})
    about = attempt.application if attempt.application_id else attempt
    return tuple(
        send_to_applicant(
            site=attempt.site,
            kind=Kind.TEST_LINK,
            template="placement/mail/test_link",
            context={"attempt": attempt, "link": link, "site": attempt.site},
            language=attempt.language,
            person=attempt.person,
            about=about,
        )
    )


def attempt_start(
    *,
    actor: User,
    person: Person,
    programme: Programme,
    language: str = "fr",
    application_id: int | None = None,
    stage_id: int | None = None,
    base_url: str = "",
) -> Started:
    """A new attempt for a person; the link (with its token) is for them alone. Without an
    application given, the test belongs to the person's application to a call of this programme
    that has a stage scored by the placement test, if there is one: its score goes there. With
    `base_url` (the site's address), the link is also sent to them by e-mail or SMS."""
    if not can_start_at(actor, person.site_id, person.site.organisation_id):
        raise PermissionDenied
    if programme.organisation_id != person.site.organisation_id:
        raise ValidationError(_("This programme belongs to another organisation."))
    if application_id is None:
        from tremplin.selection.services.placement_scores import placement_stage_of

        found = placement_stage_of(person=person, programme_id=programme.pk)
        if found is not None:
            application_id, stage_id = found[0].pk, found[1].pk
    live = live_bank(programme.organisation_id)
    if len(live.items) < 5:
        raise ValidationError(
            _("The item bank has fewer than 5 live questions: add or publish questions first.")
        )
    token = secrets.token_urlsafe(24)
    seed = secrets.randbits(48)
    rules = rules_of(setup_of(programme))
    first = adaptive.next_item(
        live.bank, [], adaptive.estimate(live.bank, [], []), rules, np.random.default_rng([seed, 0])
    )
    with transaction.atomic():
        attempt = Attempt.objects.create(
            person=person,
            site=person.site,
            programme=programme,
            application_id=application_id,
            stage_id=stage_id,
            token_hash=token_hash(token),
            language=language if language in dict(settings.LANGUAGES) else "fr",
            seed=seed,
            next_item=live.items[first] if first is not None else None,
            started_by=actor,
        )
        audit_record(actor=actor, action=AuditAction.ATTEMPT_STARTED, subject=attempt)
        sent = _link_send(attempt, token=token, base_url=base_url) if base_url else ()
    return Started(attempt, token, sent)


def attempt_link_send(*, actor: User, attempt: Attempt, base_url: str) -> Started:
    """Send the private link again, by e-mail or SMS. A new link replaces the old one (only
    its hash is kept, so the old one cannot be sent again); the test goes on where it was."""
    if not can_start_at(actor, attempt.site_id, attempt.site.organisation_id):
        raise PermissionDenied
    if attempt.state != Attempt.State.IN_PROGRESS:
        raise ValidationError(_("This test is finished: there is no link to send."))
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        attempt.token_hash = token_hash(token)
        attempt.save(update_fields=["token_hash", "updated_at"])
        sent = _link_send(attempt, token=token, base_url=base_url)
        if not sent:
            raise ValidationError(
                _("This person has no e-mail address or phone number: give the link by hand.")
            )
        audit_record(
            actor=actor,
            action=AuditAction.ATTEMPT_LINK_ISSUED,
            subject=attempt,
            note=", ".join(message.recipient for message in sent),
        )
    return Started(attempt, token, sent)


def attempt_language_set(*, attempt: Attempt, language: str, read_aloud: bool) -> Attempt:
    if language not in offered_languages(attempt.site.organisation):
        # applicant-facing
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    Attempt.objects.filter(pk=attempt.pk).update(language=language, read_aloud=read_aloud)
    attempt.language, attempt.read_aloud = language, read_aloud
    return attempt


def attempt_answer(*, attempt: Attempt, item_id: int, choice: int) -> Attempt:
    """Record the answer to the question on screen, then choose the next one or finish.
    An answer to any other question (sent twice, or from an old tab) changes nothing."""
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("programme").get(pk=attempt.pk)
        if attempt.state != Attempt.State.IN_PROGRESS or attempt.next_item_id != item_id:
            return attempt
        item = Item.objects.select_related("competence__area").get(pk=item_id)
        if not 0 <= choice < len(item.choices):
            # applicant-facing
            raise ValidationError({"choice": _("Choose one of the answers.")})
        earlier = list(
            attempt.answers.select_related("item__competence__area").only(
                "right",
                "item__id",
                "item__code",
                "item__level",
                "item__a",
                "item__b",
                "item__competence__id",
                "item__competence__area__code",
            )
        )
        answered = [a.item for a in earlier] + [item]
        rights = [int(a.right) for a in earlier] + [int(choice == item.answer)]
        own = engine_bank(answered)
        positions = list(range(len(answered)))
        current = adaptive.estimate(own, positions, rights)
        Answer.objects.create(
            attempt=attempt,
            item=item,
            position=len(earlier) + 1,
            choice=choice,
            right=bool(rights[-1]),
            theta_after=current.theta,
            se_after=current.se,
        )
        rules = rules_of(setup_of(attempt.programme))
        live = live_bank(attempt.programme.organisation_id)
        given = [live.position[i.pk] for i in answered if i.pk in live.position]
        left = len(live.items) - len(given)
        if adaptive.finished(rules, own, positions, rights, left=left):
            _finish(attempt, own, positions, rights, rules)
        else:
            rng = np.random.default_rng([attempt.seed, len(answered)])
            following = adaptive.next_item(live.bank, given, current, rules, rng)
            if following is None:
                _finish(attempt, own, positions, rights, rules)
            else:
                attempt.next_item = live.items[following]
                attempt.theta, attempt.se = current.theta, current.se
                attempt.save(update_fields=["next_item", "theta", "se", "updated_at"])
    return attempt


def _finish(
    attempt: Attempt,
    bank: adaptive.Bank,
    positions: list[int],
    rights: list[int],
    rules: adaptive.Rules,
) -> None:
    placement = adaptive.place(
        bank, positions, rights, bands=rules.bands, borderline_below=rules.hold_borderline
    )
    current = adaptive.estimate(bank, positions, rights)
    attempt.theta, attempt.se = current.theta, current.se
    attempt.band = placement.band
    attempt.confidence = placement.confidence
    attempt.borderline = placement.borderline
    attempt.profile = [
        {
            "area": row.area,
            "answered": row.answered,
            "right": row.right,
            "band": adaptive.band_of(row.theta, rules.bands) if row.theta is not None else "",
            "sure": row.se is not None and row.se < 0.6,
        }
        for row in adaptive.profile(bank, positions, rights)
    ]
    attempt.state = Attempt.State.FINISHED
    attempt.finished_at = timezone.now()
    attempt.next_item = None
    attempt.save()
    audit_record(
        actor=None,
        action=AuditAction.ATTEMPT_FINISHED,
        subject=attempt,
        changes={
            "band": {"from": None, "to": attempt.band},
            "answers": {"from": 0, "to": len(rights)},
        },
    )
    _record_stage_score(attempt)


def _stage_score(attempt: Attempt) -> Decimal:
    """The attempt's 0–100 score on the stage's own scale."""
    stage = attempt.stage
    assert stage is not None
    assert attempt.score is not None
    top = stage.max_score or Decimal(100)
    return (Decimal(str(attempt.score)) * top / 100).quantize(Decimal("0.01"))


def _record(actor: User, attempt: Attempt) -> StageResult:
    from tremplin.selection.models import Decision, ReasonCode, StageResult
    from tremplin.selection.services.stage_results import stage_result_record

    assert attempt.application is not None
    assert attempt.stage is not None
    # Recording the score never takes back a decision already made (issue 12): a result that
    # staff decided keeps its decision and reason; only a missing or pending one stays pending.
    current = StageResult.objects.filter(
        application=attempt.application, stage=attempt.stage
    ).first()
    decided = current is not None and current.decision != Decision.PENDING
    return stage_result_record(
        actor=actor,
        application=attempt.application,
        stage=attempt.stage,
        decision=current.decision if current is not None and decided else Decision.PENDING,
        reason=current.reason if current is not None and decided else ReasonCode.OTHER,
        score=_stage_score(attempt),
        level=attempt.band,
    )


def _record_stage_score(attempt: Attempt) -> None:
    """The result as the stage's score in selection, recorded by the system as the test ends
    (no one types it); waiting for the committee's decision."""
    if attempt.application is None or attempt.stage is None or attempt.score is None:
        return
    from tremplin.selection.services.placement_scores import placement_score_record

    placement_score_record(
        application=attempt.application,
        stage=attempt.stage,
        score=_stage_score(attempt),
        level=attempt.band,
    )


def attempts_link_to_application(*, application: Application) -> int:
    """A person who took the placement test before applying: their finished tests of the
    call's programme that belong to no application now belong to this one, and the latest
    gives its score to the call's placement stage. Returns how many were linked."""
    stage = application.call.stages.filter(placement_test=True).order_by("position").first()
    if stage is None or application.person_id is None:
        return 0
    with transaction.atomic():
        waiting = list(
            Attempt.objects.select_for_update()
            .filter(
                person_id=application.person_id,
                programme_id=application.call.run.programme_id,
                application__isnull=True,
                state=Attempt.State.FINISHED,
            )
            .order_by("-finished_at", "-pk")
        )
        if not waiting:
            return 0
        Attempt.objects.filter(pk__in=[a.pk for a in waiting]).update(
            application=application, stage=stage
        )
        latest = waiting[0]
        latest.application, latest.stage = application, stage
        _record_stage_score(latest)
    return len(waiting)


def on_application_submitted(sender: object, *, application: Application, **kwargs: object) -> None:
    """Receiver of selection's `application_submitted` (connected in PlacementConfig.ready)."""
    attempts_link_to_application(application=application)


def stage_score_expected(attempt: Attempt) -> Decimal | None:
    """The score the finished attempt gives its stage (None when it has no stage)."""
    if attempt.state != Attempt.State.FINISHED or attempt.stage is None or attempt.theta is None:
        return None
    return _stage_score(attempt)


def attempt_score_record(*, actor: User, attempt: Attempt) -> StageResult:
    """Record the finished test's score in selection again, in the actor's name: when it could
    not be recorded at the end of the test, or after the stage's result was changed by hand."""
    if attempt.application is None or attempt.stage is None:
        raise ValidationError(
            _("This test is not part of an application: there is no score to record.")
        )
    from tremplin.selection.selectors import can_manage_call

    if not can_manage_call(actor, attempt.application.call):
        raise PermissionDenied
    if attempt.state != Attempt.State.FINISHED:
        raise ValidationError(_("The test is not finished yet."))
    return _record(actor, attempt)


def attempt_review(*, actor: User, attempt: Attempt, band: str, reason: str) -> Attempt:
    """A trainer confirms the level group, or changes it with a reason."""
    if not can_review(actor, attempt):
        raise PermissionDenied
    if attempt.state != Attempt.State.FINISHED:
        raise ValidationError(_("The test is not finished yet."))
    names = [b.name for b in rules_of(setup_of(attempt.programme)).bands]
    if band not in names:
        raise ValidationError({"band": _("Choose one of the level groups.")})
    reason = reason.strip()
    overriding = band != attempt.band
    if overriding and not reason:
        raise ValidationError({"reason": _("Say why the level group changes.")})
    with transaction.atomic():
        before = attempt.final_band
        attempt.review = Attempt.Review.OVERRIDDEN if overriding else Attempt.Review.CONFIRMED
        attempt.reviewed_band = band if overriding else ""
        attempt.review_reason = reason
        attempt.reviewed_by = actor
        attempt.reviewed_at = timezone.now()
        attempt.save()
        audit_record(
            actor=actor,
            action=AuditAction.ATTEMPT_RESULT_REVIEWED,
            subject=attempt,
            changes={"band": {"from": before, "to": band}},
            note=reason,
        )
    return attempt
