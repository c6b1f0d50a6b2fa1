"""Calibration pages: the runs and how many answers each item has, start a run, a run's
results in plain words (with the check between languages), apply a run onto the items."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tremplin.core.forms import validation_error_to_messages
from tremplin.core.models import User
from tremplin.core.permissions import acting_user, user_passes
from tremplin.network.models import Organisation
from tremplin.placement import calibration
from tremplin.placement.calibration import FLAG_WORDS
from tremplin.placement.dif import MIN_GROUP_PEOPLE
from tremplin.placement.models import CalibrationRun
from tremplin.placement.selectors import calibration as selectors
from tremplin.placement.selectors.access import (
    MANAGE_ROLES,
    can_manage_bank,
    can_read_bank,
    may_in,
    organisation_with_slug,
    organisations_for,
)
from tremplin.placement.services import calibration as services

RUNS_SHOWN = 20


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def _difficulty_words(b: float | None) -> str:
    if b is None:
        return "—"
    if b < -1.5:
        return _("very easy")
    if b < -0.5:
        return _("easy")
    if b <= 0.5:
        return _("middle")
    if b <= 1.5:
        return _("hard")
    return _("very hard")


def _separation_words(a: float | None) -> str:
    if a is None:
        return "—"
    if a < 0.65:
        return _("weakly")
    if a < 1.35:
        return _("fairly well")
    return _("well")


def _sureness_words(se_b: float | None) -> str:
    if se_b is None:
        return _("not known")
    if se_b < 0.2:
        return _("precise")
    if se_b < 0.4:
        return _("fair")
    return _("rough: more answers needed")


def _flag_words(flag: str) -> str:
    words = {
        "fit": _("answers do not follow the expected pattern (poor fit)"),
        "discrimination": _("hardly separates levels"),
        "difficulty": _("difficulty off the scale"),
        calibration.DIF_FLAG: _("works differently in one language"),
        "not_estimated": _("could not be estimated"),
    }
    return words.get(flag, FLAG_WORDS.get(flag, flag))


def _left_out_words(row: dict[str, Any]) -> str:
    count = row.get("answers", 0)
    reason = row.get("reason")
    if reason == calibration.NEVER_ANSWERED:
        return _("Nobody has answered it yet.")
    if reason == calibration.TOO_FEW_ANSWERS:
        return _("Only %(count)s answers: at least %(min)s are needed.") % {
            "count": count,
            "min": calibration.MIN_ANSWERS,
        }
    if reason == calibration.ALL_RIGHT:
        return _(
            "All %(count)s people who saw it answered it right: it tells nothing about levels."
        ) % {"count": count}
    if reason == calibration.ALL_WRONG:
        return _(
            "All %(count)s people who saw it answered it wrong: check the right answer and "
            "the wording."
        ) % {"count": count}
    return str(reason)


def _dif_words(result: dict[str, Any]) -> tuple[str, str]:
    """The check between two languages for one item: (words, Bootstrap colour)."""
    grade = result.get("class")
    if grade is None:
        return _("too few answers to compare"), "secondary"
    if grade == "A":
        return _("no real difference"), "success"
    harder = language_name(str(result.get("harder_for", "")))
    if grade == "B":
        return _("some difference: harder in %(language)s") % {"language": harder}, "warning"
    return _("large difference: harder in %(language)s") % {"language": harder}, "danger"


def _chosen_organisation(request: HttpRequest, user: User) -> tuple[Any, Organisation | None]:
    organisations = organisations_for(user=user)
    slug = request.GET.get("organisation", "")
    chosen = organisation_with_slug(user=user, slug=slug) if slug else organisations.first()
    return organisations, chosen


@require_GET
@user_passes(can_read_bank)
def calibration_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    organisations, organisation = _chosen_organisation(request, user)
    context: dict[str, Any] = {
        "organisations": list(organisations),
        "organisation": organisation,
        "min_answers": calibration.MIN_ANSWERS,
        "min_people": calibration.MIN_TESTS,
    }
    if organisation is not None:
        counts = selectors.answer_counts(organisation=organisation)
        context.update(
            {
                "counts": counts,
                "under_minimum": counts.under_minimum,
                "runs": list(
                    selectors.calibration_runs_of(user=user, organisation=organisation)[:RUNS_SHOWN]
                ),
                "can_manage": may_in(user, organisation.pk, MANAGE_ROLES),
                "under_way": selectors.calibration_under_way(organisation=organisation),
            }
        )
    return render(request, "placement/calibration_list.html", context)


@require_POST
@user_passes(can_manage_bank)
def calibration_start(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    organisation = organisation_with_slug(
        user=user, slug=request.POST.get("organisation", ""), roles=MANAGE_ROLES
    )
    if organisation is None:
        raise Http404
    try:
        run = services.calibration_run_start(actor=user, organisation=organisation)
    except ValidationError as error:
        validation_error_to_messages(request, error)
        return redirect(f"{reverse('placement:calibration-list')}?organisation={organisation.slug}")
    return redirect("placement:calibration-detail", run_id=run.pk)


@require_GET
@user_passes(can_read_bank)
def calibration_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    user = acting_user(request)
    run = selectors.calibration_run_get(user=user, run_id=run_id)
    results = run.results or {}
    pairs = [
        {
            **pair,
            "reference_name": language_name(pair["reference"]),
            "focal_name": language_name(pair["focal"]),
        }
        for pair in results.get("dif_pairs", [])
    ]
    rows = []
    for item in results.get("items", []):
        dif = []
        for pair in pairs:
            result = item.get("dif", {}).get(pair["key"], {})
            words, colour = _dif_words(result)
            dif.append({"pair": pair, "result": result, "words": words, "colour": colour})
        rows.append(
            {
                **item,
                "difficulty_words": _difficulty_words(item.get("b")),
                "separation_words": _separation_words(item.get("a")),
                "sureness_words": _sureness_words(item.get("se_b")),
                "flag_words": [_flag_words(flag) for flag in item.get("flags", [])],
                "dif_rows": dif,
            }
        )
    rows.sort(key=lambda row: (not row["flags"], row["code"]))
    compared = {pair["reference"] for pair in pairs} | {pair["focal"] for pair in pairs}
    groups = [
        {
            "code": code,
            "name": language_name(code),
            "people": people,
            "compared": code in compared,
        }
        for code, people in (results.get("languages") or {}).items()
    ]
    latest = selectors.latest_applied(run.organisation_id)
    return render(
        request,
        "placement/calibration_detail.html",
        {
            "run": run,
            "error": services.failure_words(run),
            "rows": rows,
            "flagged": sum(1 for row in rows if row["flags"]),
            "pairs": pairs,
            "groups": groups,
            "min_group": MIN_GROUP_PEOPLE,
            "left_out": [
                {**row, "words": _left_out_words(row)} for row in run.items_left_out or []
            ],
            "under_way": run.state in (CalibrationRun.State.QUEUED, CalibrationRun.State.RUNNING),
            "can_apply": (
                run.state == CalibrationRun.State.DONE
                and run.applied_at is None
                and may_in(user, run.organisation_id, MANAGE_ROLES)
            ),
            "superseded": latest is not None
            and (latest.created_at, latest.pk) > (run.created_at, run.pk),
        },
    )


@require_POST
@user_passes(can_manage_bank)
def calibration_apply(request: HttpRequest, run_id: int) -> HttpResponse:
    user = acting_user(request)
    run = selectors.calibration_run_get(user=user, run_id=run_id, roles=MANAGE_ROLES)
    try:
        applied = services.calibration_apply(actor=user, run=run)
    except ValidationError as error:
        validation_error_to_messages(request, error)
    else:
        messages.success(
            request,
            _(
                "Applied: %(written)s questions have new values; %(flagged)s flagged questions "
                "kept theirs, with the flags noted."
            )
            % {"written": applied.written, "flagged": applied.flagged},
        )
    return redirect("placement:calibration-detail", run_id=run.pk)
