"""The committee's writes: cohort rules and weights, its own choices, proposing the optimiser's
cohort, validating it with minutes, and filling a seat when a selected learner withdraws.
Each change is audited in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.selection import mail
from tremplin.selection.cohort import data as cohort_data
from tremplin.selection.cohort import solving
from tremplin.selection.cohort.problem import Solution, rule_label
from tremplin.selection.cohort.waiting_list import Replacement, replacement
from tremplin.selection.models import (
    Application,
    Call,
    CohortAttribute,
    CohortPin,
    CohortRound,
    CohortRule,
    CohortRuleKind,
    FinalDecision,
    ReasonCode,
    Stage,
)
from tremplin.selection.selectors import can_decide, can_manage_call
from tremplin.selection.services.applications import application_withdraw
from tremplin.selection.services.decisions import decision_reverse, decisions_validate
from tremplin.selection.services.guards import require
from tremplin.selection.services.stage_results import last_stage_close


@dataclass(frozen=True)
class RuleInput:
    attribute: str
    kind: str
    value: str
    target: Decimal
    per_site: bool


def rules_check(rules: Sequence[RuleInput]) -> list[str]:
    """Each problem names the rule by its number on the page."""
    errors = []
    for number, rule in enumerate(rules, start=1):
        if rule.attribute not in CohortAttribute.values:
            errors.append(_("Rule %(n)s: choose what it is about.") % {"n": number})
        if rule.kind not in CohortRuleKind.values:
            errors.append(_("Rule %(n)s: choose the kind of rule.") % {"n": number})
            continue
        share = rule.kind in (CohortRuleKind.MIN_SHARE, CohortRuleKind.MAX_SHARE)
        if share and not Decimal(0) <= rule.target <= Decimal(1):
            errors.append(
                _("Rule %(n)s: a share is between 0 and 1 (0.5 for 50 %%).") % {"n": number}
            )
        if not share and (rule.target < 0 or rule.target != rule.target.to_integral_value()):
            errors.append(_("Rule %(n)s: a count is a whole number, 0 or more.") % {"n": number})
        if rule.kind == CohortRuleKind.MAX_COUNT_EACH and rule.value:
            errors.append(
                _("Rule %(n)s: “for each value” takes no value; leave it empty.") % {"n": number}
            )
        if rule.kind != CohortRuleKind.MAX_COUNT_EACH and not rule.value:
            errors.append(_("Rule %(n)s: say which value it counts.") % {"n": number})
    return errors


def cohort_settings_save(
    *,
    actor: User,
    call: Call,
    weights: Mapping[int, Decimal],
    rules: Sequence[RuleInput],
) -> None:
    """Replace the call's cohort rules and stage weights, all or nothing."""
    require(can_manage_call(actor, call))
    errors = rules_check(rules)
    for stage_id, weight in weights.items():
        if weight < 0:
            errors.append(_("A weight cannot be below 0 (stage %(id)s).") % {"id": stage_id})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = [
            {
                "attribute": r.attribute,
                "kind": r.kind,
                "value": r.value,
                "target": str(r.target),
                "per_site": r.per_site,
            }
            for r in call.cohort_rules.all()
        ]
        stages = {s.pk: s for s in Stage.objects.select_for_update().filter(call=call)}
        weight_changes: dict[str, Any] = {}
        for stage_id, weight in weights.items():
            stage = stages.get(stage_id)
            if stage is None or stage.cohort_weight == weight:
                continue
            weight_changes[stage.name] = {"from": str(stage.cohort_weight), "to": str(weight)}
            stage.cohort_weight = weight
            stage.save(update_fields=["cohort_weight"])
        call.cohort_rules.all().delete()
        created = CohortRule.objects.bulk_create(
            CohortRule(
                call=call,
                position=position,
                attribute=rule.attribute,
                kind=rule.kind,
                value=rule.value,
                target=rule.target,
                per_site=rule.per_site,
            )
            for position, rule in enumerate(rules, start=1)
        )
        after = [
            {
                "attribute": r.attribute,
                "kind": r.kind,
                "value": r.value,
                "target": str(r.target),
                "per_site": r.per_site,
            }
            for r in created
        ]
        changes: dict[str, Any] = {}
        if before != after:
            changes["rules"] = {"from": before, "to": after}
        if weight_changes:
            changes["weights"] = weight_changes
        if changes:
            audit_record(
                actor=actor, action=AuditAction.COHORT_SETTINGS_SAVED, subject=call, changes=changes
            )


def _locked_question(call: Call) -> cohort_data.Question:
    """The call locked for the transaction, and its question; someone must be in the running."""
    Call.objects.select_for_update().filter(pk=call.pk).first()
    question = cohort_data.question(call=call)
    if not question.candidates:
        raise ValidationError(_("Nobody is in the running at the last stage yet."))
    return question


def cohort_rules_relax(*, actor: User, call: Call) -> list[str]:
    """When the rules cannot all hold: loosen each rule the least relaxation breaks to what
    that cohort achieves (a floor down, a cap up, the loosest over its values and sites), so
    the committee can propose it. Returns the rules changed, in words."""
    require(can_manage_call(actor, call))
    with transaction.atomic():
        question = _locked_question(call)
        solution = solving.solve(question.problem, explain=False)
        if solution.optimal:
            raise ValidationError(_("The rules already hold together; nothing was changed."))
        targets: dict[int, Decimal] = {}
        for relaxed in solution.relaxation:
            index = relaxed.rule
            if index is None:
                continue
            places = Decimal("0.0001") if relaxed.share else Decimal(1)
            rounding = ROUND_FLOOR if relaxed.floor else ROUND_CEILING
            target = Decimal(str(relaxed.achieved)).quantize(places, rounding=rounding)
            known = targets.get(index)
            if known is not None:
                target = min(known, target) if relaxed.floor else max(known, target)
            targets[index] = target
        if not targets:
            raise ValidationError(
                _(
                    "No rule can be loosened: the seats to fill or the committee's choices are "
                    "what conflicts. Change those."
                )
            )
        changed: list[str] = []
        changes: dict[str, Any] = {}
        for index, target in sorted(targets.items()):
            rule = question.rules[index]
            label = rule_label(question.problem, question.problem.rules[index])
            changes[str(rule.position)] = {
                "rule": label,
                "from": str(rule.target),
                "to": str(target),
            }
            CohortRule.objects.filter(pk=rule.pk).update(target=target)
            loosened = replace(question.problem.rules[index], target=float(target))
            changed.append(rule_label(question.problem, loosened))
        audit_record(
            actor=actor, action=AuditAction.COHORT_RULES_RELAXED, subject=call, changes=changes
        )
    return changed


def cohort_pin_set(*, actor: User, application: Application, must: str, note: str) -> None:
    """The committee's own choice for one applicant (empty ``must``: back to the rules)."""
    require(can_decide(actor, application.call))
    with transaction.atomic():
        existing = CohortPin.objects.select_for_update().filter(application=application).first()
        before = existing.must if existing else ""
        if not must:
            if existing is not None:
                existing.delete()
        else:
            if not note.strip():
                raise ValidationError({"note": _("Say why the committee decides this.")})
            pin = existing or CohortPin(application=application)
            pin.must = must
            pin.note = note.strip()
            pin.set_by = actor
            pin.full_clean()
            pin.save()
        if before != must:
            audit_record(
                actor=actor,
                action=AuditAction.COHORT_CHOICE_SET,
                subject=application,
                changes={"must": {"from": before, "to": must}},
                note=note.strip(),
            )


def snapshot(question: cohort_data.Question, solution: Solution) -> dict[str, Any]:
    """What the minutes show: the question and the answer, by name; no sensitive data."""
    candidates = question.candidates
    return {
        "seats": question.problem.seats,
        "sites": dict(question.problem.sites),
        "weights": {
            stage.name: str(question.weights.get(stage.pk, stage.cohort_weight))
            for stage in question.stages
        },
        "rules": [rule_label(question.problem, rule) for rule in question.problem.rules],
        "status": solution.status.value,
        "objective": solution.objective,
        "bound": solution.bound,
        "seconds": round(solution.seconds, 3),
        "checks": [
            {
                "label": c.label,
                "count": c.count,
                "total": c.total,
                "limit": c.limit,
                "share": c.share,
                "kept": c.kept,
                "kind": c.kind,
            }
            for c in solution.checks
        ],
        "choices": [
            {
                "application": candidates[c.id].application_id,
                "name": candidates[c.id].name,
                "score": c.score,
                "selected": c.selected,
                "site": c.site,
                "code": c.code.value,
                "reason": c.reason,
                "score_change": c.score_change,
                "waitlist_rank": c.waitlist_rank,
            }
            for c in solution.choices
        ],
    }


def cohort_propose(*, actor: User, call: Call, waiting_list: int) -> tuple[CohortRound, Solution]:
    """Run the optimiser on the saved rules and propose its cohort: selected, the first
    ``waiting_list`` others on the waiting list, the rest not selected; each with its reason."""
    require(can_manage_call(actor, call))
    with transaction.atomic():
        question = _locked_question(call)
        solution = solving.solve(question.problem)
        if not solution.optimal:
            raise ValidationError(
                _("The rules cannot all hold: %(rules)s. Change a rule, then propose again.")
                % {"rules": "; ".join(solution.conflicts)}
            )
        ids = [c.application_id for c in question.candidates.values()]
        standing = {
            d.application_id: d
            for d in FinalDecision.objects.select_for_update()
            .filter(application_id__in=ids)
            .exclude(state=FinalDecision.State.REVERSED)
        }
        if any(d.state == FinalDecision.State.VALIDATED for d in standing.values()):
            raise ValidationError(
                _(
                    "Some decisions are already validated; a manager reverses them before the "
                    "cohort is proposed again."
                )
            )
        CohortRound.objects.filter(call=call, state=CohortRound.State.PROPOSED).delete()
        now = timezone.now()
        round_ = CohortRound.objects.create(
            call=call,
            snapshot=snapshot(question, solution),
            objective=solution.objective,
            bound=solution.bound,
            proposed_by=actor,
            proposed_at=now,
        )
        new: list[FinalDecision] = []
        changed: list[FinalDecision] = []
        for choice in solution.choices:
            application_id = question.candidates[choice.id].application_id
            if choice.selected:
                outcome, reason = Application.Outcome.SELECTED, ReasonCode.OTHER
            elif choice.waitlist_rank is not None and choice.waitlist_rank <= waiting_list:
                outcome, reason = Application.Outcome.WAITLISTED, ReasonCode.SEATS
            else:
                outcome, reason = Application.Outcome.REJECTED, ReasonCode.SEATS
            decision = standing.get(application_id) or FinalDecision(application_id=application_id)
            decision.outcome = outcome
            decision.reason = reason
            decision.note = choice.reason[:1000]
            decision.proposed_by = actor
            decision.proposed_at = now
            (changed if decision.pk else new).append(decision)
        FinalDecision.objects.bulk_create(new)
        FinalDecision.objects.bulk_update(
            changed, ["outcome", "reason", "note", "proposed_by", "proposed_at"]
        )
        audit_record(
            actor=actor,
            action=AuditAction.COHORT_PROPOSED,
            subject=call,
            changes={
                "selected": {"from": None, "to": len(solution.assignment)},
                "objective": {"from": None, "to": solution.objective},
                "bound": {"from": None, "to": solution.bound},
            },
            note=_("%(count)s decisions proposed by the optimiser.")
            % {"count": len(new) + len(changed)},
        )
    return round_, solution


def cohort_validate(*, actor: User, round_: CohortRound, members_present: str, minutes: str) -> int:
    """The committee validates the proposed cohort; the applicants are told by e-mail."""
    require(can_decide(actor, round_.call))
    if not members_present.strip():
        raise ValidationError({"members_present": _("Name the committee members present.")})
    with transaction.atomic():
        round_ = CohortRound.objects.select_for_update().get(pk=round_.pk)
        if round_.state != CohortRound.State.PROPOSED:
            raise ValidationError(_("This cohort is already validated."))
        ids = [c["application"] for c in round_.snapshot.get("choices", [])]
        decision_ids = FinalDecision.objects.filter(
            application_id__in=ids, state=FinalDecision.State.PROPOSED
        ).values_list("pk", flat=True)
        count = decisions_validate(actor=actor, call=round_.call, decision_ids=decision_ids)
        round_.state = CohortRound.State.VALIDATED
        round_.validated_by = actor
        round_.validated_at = timezone.now()
        round_.members_present = members_present.strip()
        round_.minutes = minutes.strip()
        round_.save()
        audit_record(
            actor=actor,
            action=AuditAction.COHORT_VALIDATED,
            subject=round_.call,
            changes={"state": {"from": CohortRound.State.PROPOSED, "to": round_.state}},
            note=round_.members_present,
        )
    return count


def cohort_withdraw(*, actor: User, application: Application, note: str) -> Replacement:
    """A selected learner withdraws: the seat goes to the first on the waiting list whose
    entry keeps every rule, computed on the cohort as it stands."""
    call = application.call
    require(can_decide(actor, call))
    if not note.strip():
        raise ValidationError(
            {"note": _("“How they told you” is empty: say how the learner told you they withdraw.")}
        )
    with transaction.atomic():
        round_ = (
            CohortRound.objects.select_for_update()
            .filter(call=call, state=CohortRound.State.VALIDATED)
            .order_by("-validated_at")
            .first()
        )
        if round_ is None or application.outcome != Application.Outcome.SELECTED:
            raise ValidationError(_("Only a selected learner of a validated cohort withdraws."))
        question = cohort_data.question(call=call)
        selected = {
            a.pk: a
            for a in Application.objects.filter(
                call=call,
                outcome=Application.Outcome.SELECTED,
                status=Application.Status.SUBMITTED,
            )
        }
        seats_of = {c["application"]: c["site"] for c in round_.snapshot.get("choices", [])}
        current = {
            str(pk): seats_of.get(pk, "") for pk in selected if str(pk) in question.candidates
        }
        waiting = [
            str(c["application"])
            for c in sorted(
                (c for c in round_.snapshot.get("choices", []) if c.get("waitlist_rank")),
                key=lambda c: c["waitlist_rank"],
            )
        ]
        application_withdraw(actor=actor, application=application, note=note.strip())
        found = replacement(
            question.problem, cohort=current, withdrawn=str(application.pk), waiting=waiting
        )
        if found.id is None:
            return found
        incoming = Application.objects.select_for_update().get(pk=int(found.id))
        before = incoming.outcome
        for standing in FinalDecision.objects.filter(application=incoming).exclude(
            state=FinalDecision.State.REVERSED
        ):
            decision_reverse(
                actor=actor,
                decision=standing,
                reason=_("Takes the seat of an applicant who withdrew."),
            )
        now = timezone.now()
        decision = FinalDecision.objects.create(
            application=incoming,
            outcome=Application.Outcome.SELECTED,
            reason=ReasonCode.OTHER,
            note=found.reason,
            state=FinalDecision.State.VALIDATED,
            proposed_by=actor,
            proposed_at=now,
            validated_by=actor,
            validated_at=now,
        )
        incoming.outcome = Application.Outcome.SELECTED
        incoming.save(update_fields=["outcome", "updated_at"])
        last_stage_close(actor=actor, applications=[incoming])
        audit_record(
            actor=actor,
            action=AuditAction.COHORT_REPLACEMENT_SELECTED,
            subject=incoming,
            changes={"outcome": {"from": before, "to": incoming.outcome}},
            note=_("Takes the seat of application %(id)s, which withdrew.")
            % {"id": application.pk},
        )
        decided = [decision.pk]
        mail.decisions_send(decision_ids=decided)
    return found
