"""Staff pages of referrals: the list (by partner, by call), a referral recorded for a
partner, withdrawing one, and the funnel by referral partner."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.core.forms import validation_error_to_form
from tremplin.core.listing import paginate_sorted
from tremplin.core.models import User
from tremplin.core.permissions import acting_user, user_passes
from tremplin.partners.forms.referrals import (
    FunnelForm,
    ReferralFilterForm,
    ReferralForm,
    WithdrawForm,
)
from tremplin.partners.models import Partner, PartnerLink
from tremplin.partners.selectors import referrals as selectors
from tremplin.partners.selectors.access import can_use_referrals
from tremplin.partners.services import referrals as services

REFERRAL_SORTS = {
    "created": ("created_at",),
    "name": ("family_name", "given_names"),
    "partner": ("partner__name", "-created_at"),
    "call": ("call__title", "-created_at"),
}


@user_passes(can_use_referrals)
def referral_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    filters = ReferralFilterForm(
        request.GET or None,
        partners=selectors.referral_partners(user=user),
        calls=selectors.calls_visible(user=user),
    )
    chosen: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    partner, call = chosen.get("partner"), chosen.get("call")
    referrals = selectors.referrals_listed(
        user=user,
        partner_id=partner.pk if partner else None,
        call_id=call.pk if call else None,
    )
    listing = paginate_sorted(request, referrals, sorts=REFERRAL_SORTS, default="-created")
    return render(
        request,
        "partners/referral_list.html",
        {"listing": listing, "filters": filters, "withdraw_form": WithdrawForm()},
    )


def referral_from_form(
    request: HttpRequest,
    form: ReferralForm,
    *,
    partner: Partner,
    actor: User | None,
    link: PartnerLink | None = None,
) -> bool:
    """Record the referral the form holds (staff's page, or the partner's link: ``actor``
    None, ``link`` given); False with the errors on the form when it is refused."""
    if not form.is_valid():
        return False
    values = form.referral_values()
    try:
        services.referral_create(
            actor=actor,
            partner=partner,
            link=link,
            base_url=request.build_absolute_uri("/"),
            **values,
        )
    except ValidationError as exc:
        validation_error_to_form(form, exc)
        return False
    messages.success(
        request,
        # applicant-facing (the partner contact's link shows it too)
        _("%(name)s is referred. We sent them a link to complete their application.")
        % {"name": f"{values['given_names']} {values['family_name']}"},
    )
    return True


@user_passes(can_use_referrals)
def referral_create(request: HttpRequest, partner_id: int) -> HttpResponse:
    """Staff record a referral for a partner (a referral made by phone or by mail)."""
    user = acting_user(request)
    partner = selectors.referral_partner_get(user=user, partner_id=partner_id)
    calls = selectors.calls_open_for_user(user=user, partner=partner)
    form = ReferralForm(
        request.POST or None,
        calls=calls,
        partner=partner,
        language=partner.organisation.default_language,
    )
    if request.method == "POST" and referral_from_form(request, form, partner=partner, actor=user):
        return redirect("partners:referral-list")
    return render(
        request,
        "partners/referral_form.html",
        {"partner": partner, "form": form, "has_calls": calls.exists()},
    )


@require_POST
@user_passes(can_use_referrals)
def referral_withdraw(request: HttpRequest, referral_id: int) -> HttpResponse:
    """The person asked to stop: the partner no longer follows them."""
    user = acting_user(request)
    referral = selectors.referral_get(user=user, referral_id=referral_id)
    form = WithdrawForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.referral_withdraw(actor=user, referral=referral, note=note)
    messages.success(
        request,
        _("The referral of %(name)s is withdrawn.")
        % {"name": f"{referral.given_names} {referral.family_name}"},
    )
    return redirect("partners:referral-list")


@user_passes(can_use_referrals)
def referral_funnel(request: HttpRequest) -> HttpResponse:
    """The funnel by referral partner, for a call, a programme run or a year."""
    user = acting_user(request)
    form = FunnelForm(
        request.GET or None,
        calls=selectors.calls_visible(user=user),
        runs=selectors.runs_visible(user=user),
    )
    funnel = None
    if form.is_valid():
        data = form.cleaned_data
        calls = selectors.funnel_calls(
            user=user,
            call_id=data["call"].pk if data.get("call") else None,
            run_id=data["run"].pk if data.get("run") else None,
            year=data.get("year"),
        )
        if calls:
            funnel = selectors.referral_funnel(calls=calls)
    return render(
        request,
        "partners/referral_funnel.html",
        {"form": form, "funnel": funnel, "language": translation.get_language()},
    )
