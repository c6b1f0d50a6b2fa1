"""The committee's cohort page: rules and weights, the proposed cohort with its reasons and
waiting list, a what-if panel, validation with minutes (PDF), and withdrawals."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.core.forms import validation_error_to_messages
from tremplin.core.pdf import html_to_pdf
from tremplin.core.permissions import acting_user
from tremplin.selection import selectors
from tremplin.selection.cohort import data as cohort_data
from tremplin.selection.cohort import services as cohort_services
from tremplin.selection.cohort import solving
from tremplin.selection.cohort.problem import Solution
from tremplin.selection.models import (
    Application,
    Call,
    CohortAttribute,
    CohortRound,
    CohortRule,
    CohortRuleKind,
)
from tremplin.selection.views.access import run_selection

BLANK_RULES = 2
DEFAULT_WAITING_LIST = 20


def _decimal(raw: str) -> Decimal | None:
    try:
        return Decimal(raw.strip().replace(",", ".").replace("%", "")) if raw.strip() else None
    except InvalidOperation:
        return None


def _posted_settings(
    request: HttpRequest, question: cohort_data.Question
) -> tuple[dict[int, Decimal], list[cohort_services.RuleInput], list[str]]:
    """Weights and rules from the page's form; problems name the stage or the rule."""
    errors: list[str] = []
    weights: dict[int, Decimal] = {}
    for stage in question.stages:
        raw = request.POST.get(f"weight-{stage.pk}", "")
        value = _decimal(raw)
        if value is None:
            errors.append(
                _("Weight of “%(stage)s”: “%(raw)s” is not a number.")
                % {"stage": stage.name, "raw": raw}
            )
        else:
            weights[stage.pk] = value
    rules: list[cohort_services.RuleInput] = []
    count = int(request.POST.get("rules", "0") or 0)
    for index in range(min(count, 60)):
        attribute = request.POST.get(f"rule-{index}-attribute", "")
        if not attribute:
            continue
        raw = request.POST.get(f"rule-{index}-target", "")
        target = _decimal(raw)
        kind = request.POST.get(f"rule-{index}-kind", "")
        share = kind in (CohortRuleKind.MIN_SHARE, CohortRuleKind.MAX_SHARE)
        if target is not None and share and target > 1:  # typed as a percentage
            target = target / 100
        if target is None:
            errors.append(
                _("Rule %(n)s: the target “%(raw)s” is not a number.")
                % {"n": len(rules) + 1, "raw": raw}
            )
            continue
        rules.append(
            cohort_services.RuleInput(
                attribute=attribute,
                kind=kind,
                value=request.POST.get(f"rule-{index}-value", "").strip(),
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
            text = _("%(count)s of %(total)s (%(share).1f %%); target %(target)s %%") % {
                "count": check.count,
                "total": check.total,
                "share": check.actual * 100,
                "target": f"{check.limit * 100:g}",
            }
        else:
            scale = max(check.limit, check.count, 1) * 1.25
            bar, target_at = check.count / scale * 100, check.limit / scale * 100
            text = _("%(count)s; limit %(target)s") % {
                "count": check.count,
                "target": f"{check.limit:g}",
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


@run_selection
def cohort_page(request: HttpRequest, call_id: int) -> HttpResponse:
    user = acting_user(request)
    call = selectors.call_get(user=user, call_id=call_id)
    question = cohort_data.question(call=call)
    solution = solving.solve(question.problem) if question.candidates else None
    rounds = list(call.cohort_rounds.select_related("proposed_by", "validated_by"))
    open_round = next((r for r in rounds if r.state == CohortRound.State.PROPOSED), None)
    validated = next((r for r in rounds if r.state == CohortRound.State.VALIDATED), None)
    rules = list(question.rules) + [None] * BLANK_RULES
    context: dict[str, Any] = {
        "call": call,
        "question": question,
        "solution": solution,
        "rules": rules,
        "attributes": CohortAttribute.choices,
        "kinds": CohortRuleKind.choices,
        "known_values": cohort_data.known_values(question),
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
    return render(request, "selection/cohort.html", context)


@require_POST
@run_selection
def cohort_settings(request: HttpRequest, call_id: int) -> HttpResponse:
    user = acting_user(request)
    call = selectors.call_managed_get(user=user, call_id=call_id)
    question = cohort_data.question(call=call)
    weights, rules, errors = _posted_settings(request, question)
    if errors:
        for error in errors:
            messages.error(request, error)
        return redirect("selection:cohort", call_id=call.pk)
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
    raw = request.POST.get("waiting_list", str(DEFAULT_WAITING_LIST))
    waiting_list = int(raw) if raw.isdigit() else DEFAULT_WAITING_LIST
    try:
        _round, solution = cohort_services.cohort_propose(
            actor=user, call=call, waiting_list=waiting_list
        )
    except ValidationError as exc:
        validation_error_to_messages(request, exc)
    else:
        messages.success(
            request,
            _("The cohort of %(count)s is proposed to the committee.")
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
        messages.success(
            request,
            _("%(count)d decisions validated; the applicants are told by e-mail.")
            % {"count": count},
        )
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
        validation_error_to_messages(request, exc)
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
