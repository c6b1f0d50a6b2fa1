"""Matching a cohort's learners to open offers (the optimiser in partners/matching.py), and
staff's decisions on each match: confirm, decline, change for another offer."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.partners import fit, matching
from tremplin.partners.models import Match, MatchingRun, MatchStatus, Offer, OfferStatus
from tremplin.partners.selectors import matching as data
from tremplin.partners.selectors.access import works_with_learners_at
from tremplin.training.models import Cohort, Enrolment


def _check(actor: User, cohort: Cohort) -> None:
    if not works_with_learners_at(actor, cohort.run.site):
        raise PermissionError("The user does not match this cohort's learners.")


def _reason_json(reason: dict[str, Any], offers: list[Offer]) -> dict[str, Any]:
    """The optimiser's reason with offers as ids (columns mean nothing once saved)."""
    out = dict(reason)
    if "better" in out:
        out["better"] = [offers[column].pk for column in out["better"]]
    return out


@transaction.atomic
def matching_run(*, actor: User, cohort: Cohort) -> MatchingRun:
    """Propose the best assignment of the cohort's learners without a confirmed match to
    the open offers with free places; earlier proposals for them are replaced, declined
    pairs are never proposed again."""
    cohort = Cohort.objects.select_for_update().select_related("run__site").get(pk=cohort.pk)
    _check(actor, cohort)
    site = cohort.run.site
    learners = data.cohort_learners(cohort_id=cohort.pk)
    offers = data.offers_for_cohort(organisation_id=site.organisation_id, site_id=site.pk)
    needs = data.offer_needs(offers)
    facts = data.learner_facts(learners, needs)
    table = fit.fit_table(facts, needs)
    confirmed = data.confirmed_counts([offer.pk for offer in offers])
    places = [max(0, offer.places - confirmed.get(offer.pk, 0)) for offer in offers]
    allowed = ~table.excluded
    row_of = {learner.key: row for row, learner in enumerate(facts)}
    column_of = {offer.pk: column for column, offer in enumerate(offers)}
    for enrolment_id, offer_id in data.declined_pairs(learners):
        if enrolment_id in row_of and offer_id in column_of:
            allowed[row_of[enrolment_id], column_of[offer_id]] = False
    result = matching.assign(table.total, np.asarray(allowed), places)
    Match.objects.filter(enrolment_id__in=list(row_of), status=MatchStatus.PROPOSED).delete()
    unplaced = {
        str(facts[row].key): _reason_json(result.reasons[row], offers)
        for row, column in enumerate(result.offers)
        if column is None
    }
    run = MatchingRun.objects.create(
        cohort=cohort,
        learners=len(facts),
        offers=len(offers),
        placed=result.placed,
        total_fit=round(result.total_fit, 2),
        proven_optimal=result.proven_optimal,
        solve_ms=round(result.seconds * 1000),
        explanation={
            "weights": fit.WEIGHTS,
            "unplaced": unplaced,
            "free_places": {str(o.pk): p for o, p in zip(offers, places, strict=True)},
            "objective": result.objective,
            "bound": result.bound,
            "columns": result.columns,
            "rounds": result.rounds,
        },
        created_by=actor,
    )
    Match.objects.bulk_create(
        Match(
            offer=offers[column],
            enrolment_id=facts[row].key,
            run=run,
            fit=round(table.fit(row, column), 2),
            explanation={
                **table.explanation(row, column),
                "why": _reason_json(result.reasons[row], offers),
            },
        )
        for row, column in enumerate(result.offers)
        if column is not None
    )
    audit_record(
        actor=actor,
        action=AuditAction.MATCHING_RUN_COMPLETED,
        subject=cohort,
        changes={
            "run": run.pk,
            "learners": run.learners,
            "offers": run.offers,
            "placed": run.placed,
            "total_fit": str(run.total_fit),
            "proven_optimal": run.proven_optimal,
        },
    )
    return run


def _locked_match(actor: User, match: Match) -> Match:
    match = (
        Match.objects.select_for_update()
        .select_related("enrolment__cohort__run__site", "offer")
        .get(pk=match.pk)
    )
    _check(actor, match.enrolment.cohort)
    return match


def _decide(match: Match, actor: User, status: MatchStatus) -> None:
    match.status = status
    match.decided_by = actor
    match.decided_at = timezone.now()
    match.save(update_fields=["status", "decided_by", "decided_at"])


@transaction.atomic
def match_confirm(*, actor: User, match: Match) -> Match:
    """Confirm a match, never beyond the offer's places (checked under a lock on the
    offer, so two confirmations at once cannot both take the last place)."""
    match = _locked_match(actor, match)
    offer = Offer.objects.select_for_update().get(pk=match.offer_id)
    if match.status == MatchStatus.CONFIRMED:
        return match
    if offer.status != OfferStatus.OPEN:
        raise ValidationError(
            _("“%(offer)s” is not open: a match with it cannot be confirmed.")
            % {"offer": offer.title}
        )
    confirmed = Match.objects.filter(offer=offer, status=MatchStatus.CONFIRMED).count()
    if confirmed >= offer.places:
        raise ValidationError(
            _(
                "“%(offer)s” has %(places)s places and %(confirmed)s are confirmed already: "
                "decline one of them first."
            )
            % {"offer": offer.title, "places": offer.places, "confirmed": confirmed}
        )
    other = (
        Match.objects.filter(enrolment_id=match.enrolment_id, status=MatchStatus.CONFIRMED)
        .select_related("offer")
        .first()
    )
    if other is not None:
        raise ValidationError(
            _("This learner's match with “%(offer)s” is confirmed already.")
            % {"offer": other.offer.title}
        )
    _decide(match, actor, MatchStatus.CONFIRMED)
    audit_record(
        actor=actor,
        action=AuditAction.MATCH_CONFIRMED,
        subject=match,
        changes={"offer": offer.pk, "enrolment": match.enrolment_id},
    )
    return match


@transaction.atomic
def match_decline(*, actor: User, match: Match) -> Match:
    match = _locked_match(actor, match)
    if match.status != MatchStatus.DECLINED:
        before = match.status
        _decide(match, actor, MatchStatus.DECLINED)
        audit_record(
            actor=actor,
            action=AuditAction.MATCH_DECLINED,
            subject=match,
            changes={"offer": match.offer_id, "enrolment": match.enrolment_id, "was": before},
        )
    return match


@transaction.atomic
def match_change(*, actor: User, match: Match, offer: Offer) -> Match:
    """Another offer for the learner: the match is declined and the learner proposed for
    ``offer`` (an open offer of the organisation for their site), with its fit."""
    match = _locked_match(actor, match)
    enrolment = Enrolment.objects.select_related("cohort__run__site").get(pk=match.enrolment_id)
    site = enrolment.cohort.run.site
    candidates = {
        o.pk: o
        for o in data.offers_for_cohort(organisation_id=site.organisation_id, site_id=site.pk)
    }
    if offer.pk not in candidates:
        raise ValidationError({"offer": [_("Choose an open offer for this learner's site.")]})
    if offer.pk == match.offer_id:
        return match
    chosen = candidates[offer.pk]
    needs = data.offer_needs([chosen])
    facts = data.learner_facts(Enrolment.objects.filter(pk=enrolment.pk), needs)
    table = fit.fit_table(facts, needs)
    if match.status != MatchStatus.DECLINED:
        _decide(match, actor, MatchStatus.DECLINED)
        audit_record(
            actor=actor,
            action=AuditAction.MATCH_DECLINED,
            subject=match,
            changes={"offer": match.offer_id, "enrolment": match.enrolment_id, "changed": True},
        )
    new, _created = Match.objects.update_or_create(
        offer=chosen,
        enrolment=enrolment,
        defaults={
            "status": MatchStatus.PROPOSED,
            "run": match.run,
            "fit": round(table.fit(0, 0), 2),
            "explanation": {**table.explanation(0, 0), "why": {"reason": "staff"}},
            "decided_by": None,
            "decided_at": None,
        },
    )
    audit_record(
        actor=actor,
        action=AuditAction.MATCH_PROPOSED,
        subject=new,
        changes={"offer": chosen.pk, "enrolment": enrolment.pk, "instead_of": match.offer_id},
    )
    return new
