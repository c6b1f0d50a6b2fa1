"""The committee's cohort page: rules and weights, the proposed cohort with its reasons and
waiting list, a what-if panel, validation with minutes (PDF), and withdrawals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tremplin.core import params
from tremplin.core.forms import validation_error_to_messages
from tremplin.core.numbers import number_text
from tremplin.core.pdf import html_to_pdf
from tremplin.core.permissions import acting_user
from tremplin.selection import selectors
from tremplin.selection.cohort import data as cohort_data
from tremplin.selection.cohort import services as cohort_services
from tremplin.selection.cohort import solving
from tremplin.selection.cohort.problem import Solution
from tremplin.selection.cohort.scales import scale_of
from tremplin.selection.models import (
    Application,
    Call,
    CohortAttribute,
    CohortRound,
    CohortRule,
    CohortRuleKind,
    Stage,
    StageKind,
)
from tremplin.selection.views.access import run_selection
from tremplin.selection.views.committee import validated_say

BLANK_RULES = 2
DEFAULT_WAITING_LIST = 20


# What the columns hold: a stage's weight up to 999.99, a rule's target up to 999.9999.
MAX_WEIGHT = Decimal("999.99")
MAX_TARGET = Decimal("999")
MAX_RULES = 60
MAX_WAITING_LIST = 1000


def _decimal(raw: str, *, max_value: Decimal, signed: bool = False) -> Decimal | None:
    """A number typed in the form (a comma or a point, "50 %"), from 0 (or, ``signed``, from
    -``max_value``, for the caller to name a negative one) to ``max_value``."""
    low = -max_value if signed else 0
    return params.decimal_parse(raw.replace("%", ""), min_value=low, max_value=max_value)


def _posted_settings(
    request: HttpRequest, question: cohort_data.Question
) -> tuple[dict[int, Decimal], list[cohort_services.RuleInput], list[str]]:
    """Weights and rules from the page's form; problems name the stage or the rule."""
    errors: list[str] = []
    weights: dict[int, Decimal] = {}
    for stage in question.stages:
        raw = request.POST.get(f"weight-{stage.pk}", "")
        value = _decimal(raw, max_value=MAX_WEIGHT, signed=True)
        if value is None:
            errors.append(
                _("Weight of “%(stage)s”: “%(raw)s” is not a number from 0 to %(max)s.")
                % {"stage": stage.name, "raw": raw[:40], "max": MAX_WEIGHT}
            )
        elif value < 0:
            errors.append(_("Weight of “%(stage)s”: it cannot be below 0.") % {"stage": stage.name})
        else:
            weights[stage.pk] = value
    if question.stages and len(weights) == len(question.stages) and not any(weights.values()):
        errors.append(_("Give at least one stage a weight above 0."))
    rules: list[cohort_services.RuleInput] = []
    count = params.int_param(request.POST, "rules", default=0, min_value=0, max_value=MAX_RULES)
    for index in range(count):
        attribute = request.POST.get(f"rule-{index}-attribute", "")
        if not attribute:
            continue
        raw = request.POST.get(f"rule-{index}-target", "")
        target = _decimal(raw, max_value=MAX_TARGET)
        kind = request.POST.get(f"rule-{index}-kind", "")
        share = kind in (CohortRuleKind.MIN_SHARE, CohortRuleKind.MAX_SHARE)
        # A share is typed as a percentage ("50 %" or "50"); "0.5" is still read as 50 %.
        if target is not None and share and ("%" in raw or target > 1):
            target = target / 100
        rule_value = request.POST.get(f"rule-{index}-value", "").strip()
        # The value list offers "attribute=value" for every attribute, grouped by attribute.
        of, sign, code = rule_value.partition("=")
        if sign and of in CohortAttribute.values:
            if of != attribute:
                errors.append(
                    _("Rule %(n)s: the value chosen is one of “%(other)s”, not of “%(about)s”.")
                    % {
                        "n": len(rules) + 1,
                        "other": CohortAttribute(of).label,
                        "about": CohortAttribute(attribute).label
                        if attribute in CohortAttribute.values
                        else attribute,
                    }
                )
                continue
            rule_value = code
        if target is None:
            errors.append(
                _("Rule %(n)s: the target “%(raw)s” is not a number from 0 to %(max)s.")
                % {"n": len(rules) + 1, "raw": raw[:40], "max": MAX_TARGET}
            )
            continue
        rules.append(
            cohort_services.RuleInput(
                attribute=attribute,
                kind=kind,
                value=rule_value,
                target=target,
                per_site=request.POST.get(f"rule-{index}-per_site") == "on",
            )
        )
    errors += cohort_services.rules_check(rules)
    return weights, rules, errors


def _unsaved_rules(call: Call, rules: list[cohort_services.RuleInput]) -> list[CohortRule]:
    return [
        CohortRule(
            call=call,
            position=i,
            attribute=r.attribute,
            kind=r.kind,
            value=r.value,
            target=r.target,
            per_site=r.per_site,
        )
        for i, r in enumerate(rules, start=1)
    ]


def gauges(checks: Any) -> list[dict[str, Any]]:
    """Each rule against its target, as a bar (0–100) with the target marked."""
    shown = []
    for check in checks:
        if check.kind in ("fill", "include"):
            continue
        if check.share:
            bar, target_at = check.actual * 100, check.limit * 100
            text = _("%(count)s of %(total)s (%(share)s %%); target %(target)s %%") % {
                "count": check.count,
                "total": check.total,
                "share": number_text(check.actual * 100, places=1, fixed=True),
                "target": number_text(check.limit * 100),
            }
        else:
            scale = max(check.limit, check.count, 1) * 1.25
            bar, target_at = check.count / scale * 100, check.limit / scale * 100
            text = _("%(count)s; limit %(target)s") % {
                "count": check.count,
                "target": number_text(check.limit),
            }
        shown.append(
            {
                "label": check.label,
                "kept": check.kept,
                "bar": round(min(bar, 100), 1),
                "target_at": round(min(target_at, 100), 1),
                "text": text,
            }
        )
    return shown


def _rows(question: cohort_data.Question, solution: Solution) -> dict[str, Any]:
    """The cohort and the waiting list, with names, for the templates."""
    selected: list[dict[str, Any]] = []
    waiting: list[dict[str, Any]] = []
    others: list[dict[str, Any]] = []
    for choice in solution.choices:
        candidate = question.candidates[choice.id]
        row = {"choice": choice, "candidate": candidate}
        if choice.selected:
            selected.append(row)
        elif choice.waitlist_rank is not None:
            waiting.append(row)
        else:
            others.append(row)
    selected.sort(key=lambda r: -float(r["choice"].score))
    waiting.sort(key=lambda r: int(r["choice"].waitlist_rank))
    return {"selected": selected, "waiting": waiting, "others": others}


def scale_text(stage: Stage) -> str:
    """How a stage's score is read before it is put on 0–100, in words."""
    scale = scale_of(stage)
    if stage.kind == StageKind.INTERVIEW:
        return _("marks 1 to 5: 1 counts 0, 5 counts 100")
    if stage.kind == StageKind.SOCIAL_INVESTIGATION:
        return _("need index, 0 to 100")
    return _("score out of %(highest)s") % {"highest": number_text(scale.highest)}


def target_text(rule: CohortRule | None) -> str:
    """A rule's target as staff type it: a share as a percentage ("50 %"), a count as is."""
    if rule is None:
        return ""
    if rule.kind in (CohortRuleKind.MIN_SHARE, CohortRuleKind.MAX_SHARE):
        return f"{float(rule.target * 100):g} %"
    return f"{float(rule.target):g}"


def rule_rows(
    rules: list[CohortRule | None], known: dict[str, list[tuple[str, str]]]
) -> list[dict[str, Any]]:
    """Each rule (or blank line) with its target as typed and the values it can count, per
    attribute, from the candidates (a saved value no candidate has is kept in the list)."""
    rows = []
    for rule in rules:
        groups = []
        for attribute, label in CohortAttribute.choices:
            values = list(known.get(attribute, []))
            saved = rule.value if rule is not None and rule.attribute == attribute else ""
            if saved and saved not in {v for v, _name in values}:
                values.append((saved, saved))
            if values:
                groups.append(
                    {
                        "label": label,
                        "options": [
                            {
                                "value": f"{attribute}={value}",
                                "name": name,
                                "selected": rule is not None
                                and rule.attribute == attribute
                                and rule.value == value,
                            }
                            for value, name in values
                        ],
                    }
                )
        rows.append({"rule": rule, "target": target_text(rule), "groups": groups})
    return rows


def weight_rows(question: cohort_data.Question) -> list[dict[str, Any]]:
    return [
        {
            "stage": stage,
            "weight": question.weights.get(stage.pk, stage.cohort_weight),
            "scale": scale_text(stage),
        }
        for stage in question.stages
    ]


@run_selection
def cohort_page(request: HttpRequest, call_id: int) -> HttpResponse:
    user = acting_user(request)
    call = selectors.call_get(user=user, call_id=call_id)
    return render(request, "selection/cohort.html", _cohort_context(request, call))


def _posted_rows(
    request: HttpRequest, call: Call, question: cohort_data.Question
) -> tuple[list[dict[str, Any]], list[CohortRule | None], list[dict[str, Any]]]:
    """The weights and rules exactly as typed, for the page shown again after a refusal."""
    weights = weight_rows(question)
    for row in weights:
        row["typed"] = request.POST.get(f"weight-{row['stage'].pk}", "")[:40]
    count = params.int_param(request.POST, "rules", default=0, min_value=0, max_value=MAX_RULES)
    rules: list[CohortRule | None] = []
    targets: list[str] = []
    for index in range(count):
        attribute = request.POST.get(f"rule-{index}-attribute", "")
        if attribute not in CohortAttribute.values:
            continue
        _of, _sign, code = request.POST.get(f"rule-{index}-value", "").strip().rpartition("=")
        rules.append(
            CohortRule(
                call=call,
                position=len(rules) + 1,
                attribute=attribute,
                kind=request.POST.get(f"rule-{index}-kind", "")[:40],
                value=code[:200],
                target=Decimal(0),
                per_site=request.POST.get(f"rule-{index}-per_site") == "on",
            )
        )
        targets.append(request.POST.get(f"rule-{index}-target", "")[:40])
    rules += [None] * BLANK_RULES
    rows = rule_rows(rules, cohort_data.known_values(question))
    for row, typed in zip(rows, targets, strict=False):
        row["target"] = typed
    return weights, rules, rows


def _cohort_context(request: HttpRequest, call: Call) -> dict[str, Any]:
    user = acting_user(request)
    question = cohort_data.question(call=call)
    solution = solving.solve(question.problem) if question.candidates else None
    rounds = list(call.cohort_rounds.select_related("proposed_by", "validated_by"))
    open_round = next((r for r in rounds if r.state == CohortRound.State.PROPOSED), None)
    validated = next((r for r in rounds if r.state == CohortRound.State.VALIDATED), None)
    rules = list(question.rules) + [None] * BLANK_RULES
    context: dict[str, Any] = {
        "call": call,
        "question": question,
        "weight_rows": weight_rows(question),
        "solution": solution,
        "rules": rules,
        "attributes": CohortAttribute.choices,
        "kinds": CohortRuleKind.choices,
        "known_values": cohort_data.known_values(question),
        "rule_rows": rule_rows(rules, cohort_data.known_values(question)),
        "rounds": rounds,
        "open_round": open_round,
        "validated": validated,
        "can_manage": selectors.can_manage_call(user, call),
        "can_decide": selectors.can_decide(user, call),
        "waiting_list": DEFAULT_WAITING_LIST,
        "selected_now": list(
            Application.objects.filter(
                call=call,
                outcome=Application.Outcome.SELECTED,
                status=Application.Status.SUBMITTED,
            ).select_related("person")
        )
        if validated
        else [],
    }
    if solution is not None:
        context.update(_rows(question, solution))
        context["gauges"] = gauges(solution.checks)
    return context


@require_POST
@run_selection
def cohort_settings(request: HttpRequest, call_id: int) -> HttpResponse:
    user = acting_user(request)
    call = selectors.call_managed_get(user=user, call_id=call_id)
    question = cohort_data.question(call=call)
    weights, rules, errors = _posted_settings(request, question)
    if errors:
        # Shown again with everything as typed: a refused rule loses no weight, rule or target.
        for error in errors:
            messages.error(request, error)
        context = _cohort_context(request, call)
        typed_weights, typed_rules, typed_rows = _posted_rows(request, call, question)
        context.update(
            {"weight_rows": typed_weights, "rules": typed_rules, "rule_rows": typed_rows}
        )
        return render(request, "selection/cohort.html", context)
    try:
        cohort_services.cohort_settings_save(actor=user, call=call, weights=weights, rules=rules)
    except ValidationError as exc:
        validation_error_to_messages(request, exc)
    else:
        messages.success(request, _("Rules and weights saved."))
    return redirect("selection:cohort", call_id=call.pk)


@require_POST
@run_selection
def cohort_relax(request: HttpRequest, call_id: int) -> HttpResponse:
    """Loosen the conflicting rules to what the least relaxation achieves."""
    user = acting_user(request)
    call = selectors.call_managed_get(user=user, call_id=call_id)
    try:
        changed = cohort_services.cohort_rules_relax(actor=user, call=call)
    except ValidationError as exc:
        validation_error_to_messages(request, exc)
    else:
        messages.success(request, _("Rules loosened: %(rules)s.") % {"rules": "; ".join(changed)})
    return redirect("selection:cohort", call_id=call.pk)


@require_POST
@run_selection
def cohort_what_if(request: HttpRequest, call_id: int) -> HttpResponse:
    """Who enters and who leaves if a rule or a weight changes; nothing is saved."""
    user = acting_user(request)
    call = selectors.call_get(user=user, call_id=call_id)
    current = cohort_data.question(call=call)
    weights, rules, errors = _posted_settings(request, current)
    context: dict[str, Any] = {"call": call, "errors": errors}
    if not errors and current.candidates:
        changed = cohort_data.question(
            call=call, weights=weights, rules=_unsaved_rules(call, rules)
        )
        before = solving.solve(current.problem, explain=False)
        after = solving.solve(changed.problem, explain=False)
        names = {key: c for key, c in changed.candidates.items()}
        entering = sorted(set(after.assignment) - set(before.assignment))
        leaving = sorted(set(before.assignment) - set(after.assignment))
        context.update(
            {
                "before": before,
                "after": after,
                "entering": [names[i] for i in entering],
                "leaving": [names[i] for i in leaving],
                "gauges": gauges(after.checks),
            }
        )
    return render(request, "selection/cohort_what_if.html", context)


@require_POST
@run_selection
def cohort_pin(request: HttpRequest, call_id: int, application_id: int) -> HttpResponse:
    user = acting_user(request)
    call = selectors.call_get(user=user, call_id=call_id)
    application = selectors.application_get(user=user, application_id=application_id)
    if application.call_id != call.pk:
        raise Http404
    must = request.POST.get("must", "")
    if must not in ("", "include", "exclude"):
        must = ""
    try:
        cohort_services.cohort_pin_set(
            actor=user, application=application, must=must, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        validation_error_to_messages(request, exc)
    else:
        messages.success(request, _("The committee's choice is recorded."))
    return redirect("selection:cohort", call_id=call.pk)


@require_POST
@run_selection
def cohort_propose(request: HttpRequest, call_id: int) -> HttpResponse:
    user = acting_user(request)
    call = selectors.call_managed_get(user=user, call_id=call_id)
    waiting_list = params.int_param(
        request.POST,
        "waiting_list",
        default=DEFAULT_WAITING_LIST,
        min_value=0,
        max_value=MAX_WAITING_LIST,
    )
    try:
        _round, solution = cohort_services.cohort_propose(
            actor=user, call=call, waiting_list=waiting_list
        )
    except ValidationError as exc:
        validation_error_to_messages(request, exc)
    else:
        messages.success(
            request,
            ngettext(
                "The cohort of %(count)d is proposed to the committee.",
                "The cohort of %(count)d is proposed to the committee.",
                len(solution.assignment),
            )
            % {"count": len(solution.assignment)},
        )
    return redirect("selection:cohort", call_id=call.pk)


def _round_of(request: HttpRequest, call_id: int, round_id: int) -> tuple[Call, CohortRound]:
    call = selectors.call_get(user=acting_user(request), call_id=call_id)
    round_ = CohortRound.objects.filter(pk=round_id, call=call).first()
    if round_ is None:
        raise Http404
    return call, round_


@require_POST
@run_selection
def cohort_validate(request: HttpRequest, call_id: int, round_id: int) -> HttpResponse:
    user = acting_user(request)
    call, round_ = _round_of(request, call_id, round_id)
    if not selectors.can_decide(user, call):
        raise PermissionDenied
    try:
        count = cohort_services.cohort_validate(
            actor=user,
            round_=round_,
            members_present=request.POST.get("members_present", ""),
            minutes=request.POST.get("minutes", ""),
        )
    except ValidationError as exc:
        validation_error_to_messages(request, exc)
    else:
        validated_say(request, count)
    return redirect("selection:cohort", call_id=call.pk)


@run_selection
def cohort_minutes(request: HttpRequest, call_id: int, round_id: int) -> HttpResponse:
    """The committee's minutes as a PDF, from what was recorded when it met."""
    call, round_ = _round_of(request, call_id, round_id)
    snapshot = round_.snapshot
    choices = snapshot.get("choices", [])
    html = render_to_string(
        "selection/cohort_minutes.html",
        {
            "call": call,
            "round": round_,
            "snapshot": snapshot,
            "selected": [c for c in choices if c["selected"]],
            "waiting": sorted(
                (c for c in choices if c.get("waitlist_rank")), key=lambda c: c["waitlist_rank"]
            ),
            "printed_at": timezone.localtime(),
        },
        request=request,
    )
    pdf = html_to_pdf(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="minutes-{call.slug}-{round_.proposed_at:%Y-%m-%d}.pdf"'
    )
    return response


@require_POST
@run_selection
def cohort_withdraw(request: HttpRequest, call_id: int, application_id: int) -> HttpResponse:
    user = acting_user(request)
    call = selectors.call_get(user=user, call_id=call_id)
    application = selectors.application_get(user=user, application_id=application_id)
    if application.call_id != call.pk:
        raise Http404
    if not selectors.can_decide(user, call):
        raise PermissionDenied
    try:
        found = cohort_services.cohort_withdraw(
            actor=user, application=application, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        name = application.person.display_name if application.person else str(application.pk)
        for message in exc.messages:
            messages.error(request, f"{name}: {message}")
        return redirect("selection:cohort", call_id=call.pk)
    if found.id is None:
        messages.warning(request, found.reason)
    else:
        incoming = Application.objects.select_related("person").get(pk=int(found.id))
        messages.success(
            request,
            _("%(name)s takes the seat: %(reason)s")
            % {
                "name": incoming.person.display_name if incoming.person else found.id,
                "reason": found.reason,
            },
        )
    return redirect("selection:cohort", call_id=call.pk)
