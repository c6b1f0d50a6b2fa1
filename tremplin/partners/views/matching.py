"""The learners ranked by fit for an offer, a cohort's matching (run the optimiser, then
confirm, decline or change each match)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.core.forms import form_errors_to_messages, validation_error_to_messages
from tremplin.core.listing import Listing
from tremplin.core.models import User
from tremplin.core.permissions import acting_user, user_passes
from tremplin.partners import fit
from tremplin.partners.forms.offers import MatchChangeForm
from tremplin.partners.models import Match, MatchStatus, Offer
from tremplin.partners.selectors import matching as data
from tremplin.partners.selectors import offers as offer_selectors
from tremplin.partners.selectors.access import can_use_partners
from tremplin.partners.services import matching as services
from tremplin.training.models import Cohort


def explained(explanation: Mapping[str, Any], names: Mapping[int, str]) -> list[dict[str, Any]]:
    """An explanation's parts as the page shows them: label, points of max, sentence."""
    return [
        {
            "label": fit.part_label(part["part"]),
            "points": part["points"],
            "max": part["max"],
            "sentence": fit.part_sentence(part, names=names),
        }
        for part in explanation.get("parts", [])
    ]


@user_passes(can_use_partners)
def offer_ranking(request: HttpRequest, offer_id: int) -> HttpResponse:
    user = acting_user(request)
    try:
        offer = offer_selectors.offer_get(user=user, offer_id=offer_id)
    except Offer.DoesNotExist as exc:
        raise Http404 from exc
    ranking = data.offer_ranking(user=user, offer=offer)
    page = Paginator(ranking.order, settings.TREMPLIN_PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    shown = data.enrolments_shown([ranking.enrolment_id(row) for row in page.object_list])
    names = data.competence_names(list(ranking.table.offers[0].competences))
    rows = [
        {
            "position": page.start_index() + index,
            "enrolment": shown[ranking.enrolment_id(row)],
            "fit": ranking.table.fit(row, 0),
            "excluded": bool(ranking.table.excluded[row, 0]),
            "parts": explained(ranking.table.explanation(row, 0), names),
        }
        for index, row in enumerate(page.object_list)
    ]
    return render(
        request,
        "partners/offers/ranking.html",
        {
            "offer": offer,
            "rows": rows,
            "listing": Listing(page=page, sort="", params=params),
            "weights": fit.WEIGHTS,
        },
    )


def _cohort(user: User, cohort_id: int) -> Cohort:
    try:
        return offer_selectors.cohort_for_matching(user=user, cohort_id=cohort_id)
    except Cohort.DoesNotExist as exc:
        raise Http404 from exc


def _unplaced(run: Any, offers: Mapping[int, Offer]) -> list[dict[str, Any]]:
    from tremplin.training.models import Enrolment

    reasons = run.explanation.get("unplaced", {}) if run is not None else {}
    learners = Enrolment.objects.filter(pk__in=[int(k) for k in reasons]).select_related("person")
    out = []
    for enrolment in learners:
        reason = reasons[str(enrolment.pk)]
        out.append(
            {
                "enrolment": enrolment,
                "sentence": why_sentence(reason, offers),
            }
        )
    return sorted(out, key=lambda item: str(item["enrolment"].person))


def why_sentence(reason: Mapping[str, Any], offers: Mapping[int, Offer]) -> str:
    """The optimiser's reason for a learner in words (matching.reasons)."""
    titles = ", ".join(
        offers[pk].title if pk in offers else str(pk) for pk in reason.get("better", [])
    )
    return {
        "best": _("The offer that fits them best among those they may take."),
        "better_full": _(
            "Offers that fit them better are full (%(offers)s): their places went to "
            "learners they fit better, or who had no other offer."
        )
        % {"offers": titles},
        "excluded": _(
            "No open offer with places: a language asked is missing or two levels below."
        ),
        "no_places": _("No open offer has a free place."),
        "all_full": _(
            "Every offer they may take is full (%(offers)s); a place for them would leave "
            "another learner without one, or lower the total fit."
        )
        % {"offers": titles},
        "staff": _("Chosen by staff."),
    }.get(str(reason.get("reason", "")), "")


@user_passes(can_use_partners)
def matching_page(request: HttpRequest, cohort_id: int) -> HttpResponse:
    user = acting_user(request)
    cohort = _cohort(user, cohort_id)
    if request.method == "POST":
        done = services.matching_run(actor=user, cohort=cohort)
        figures = {"placed": done.placed, "learners": done.learners}
        messages.success(
            request,
            _("%(placed)s of %(learners)s learners matched; the best assignment, proven.") % figures
            if done.proven_optimal
            else _("%(placed)s of %(learners)s learners matched.") % figures,
        )
        return redirect("partners:matching", cohort_id=cohort.pk)
    site = cohort.run.site
    open_offers = data.offers_for_cohort(organisation_id=site.organisation_id, site_id=site.pk)
    offers = {offer.pk: offer for offer in open_offers}
    run = data.latest_run(cohort_id=cohort.pk)
    matches = list(data.cohort_matches(cohort_id=cohort.pk))
    names = data.competence_names(
        sorted(
            {
                p[0]
                for m in matches
                for part in m.explanation.get("parts", [])
                for p in part.get("short", [])
                if part.get("part") == "competences"
            }
        )
    )
    rows = [
        {
            "match": match,
            "parts": explained(match.explanation, names),
            "why": why_sentence(match.explanation.get("why", {}), offers),
            "change": MatchChangeForm(
                offers=Offer.objects.filter(pk__in=list(offers)), auto_id=f"m{match.pk}_%s"
            )
            if match.status != MatchStatus.DECLINED
            else None,
        }
        for match in matches
    ]
    return render(
        request,
        "partners/matching/page.html",
        {
            "cohort": cohort,
            "run": run,
            "rows": rows,
            "offers": open_offers,
            "unplaced": _unplaced(run, offers),
            "confirmed": data.confirmed_counts(list(offers)),
        },
    )


def _match(user: User, match_id: int) -> Match:
    try:
        return data.match_get(user=user, match_id=match_id)
    except Match.DoesNotExist as exc:
        raise Http404 from exc


def _back(match: Match) -> HttpResponse:
    return redirect("partners:matching", cohort_id=match.enrolment.cohort_id)


@require_POST
@user_passes(can_use_partners)
def match_confirm(request: HttpRequest, match_id: int) -> HttpResponse:
    user = acting_user(request)
    match = _match(user, match_id)
    try:
        services.match_confirm(actor=user, match=match)
    except ValidationError as exc:
        validation_error_to_messages(request, exc)
    else:
        messages.success(request, _("Match confirmed."))
    return _back(match)


@require_POST
@user_passes(can_use_partners)
def match_decline(request: HttpRequest, match_id: int) -> HttpResponse:
    user = acting_user(request)
    match = _match(user, match_id)
    services.match_decline(actor=user, match=match)
    messages.success(request, _("Match declined."))
    return _back(match)


@require_POST
@user_passes(can_use_partners)
def match_change(request: HttpRequest, match_id: int) -> HttpResponse:
    user = acting_user(request)
    match = _match(user, match_id)
    site = match.enrolment.cohort.run.site
    offers = Offer.objects.filter(
        pk__in=[
            o.pk
            for o in data.offers_for_cohort(organisation_id=site.organisation_id, site_id=site.pk)
        ]
    )
    form = MatchChangeForm(request.POST, offers=offers)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return _back(match)
    try:
        services.match_change(actor=user, match=match, offer=form.cleaned_data["offer"])
    except ValidationError as exc:
        validation_error_to_messages(request, exc)
    else:
        messages.success(request, _("The learner is proposed for the other offer."))
    return _back(match)
