"""A partner's timeline: an entry added from the partner's page, or removed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.core.forms import validation_error_to_form
from tremplin.core.permissions import acting_user, user_passes
from tremplin.partners.forms.partners import InteractionForm
from tremplin.partners.selectors import partners as selectors
from tremplin.partners.selectors.access import can_use_partners, sees_amounts
from tremplin.partners.services import interactions as services
from tremplin.partners.views.partners import partner_page


@require_POST
@user_passes(can_use_partners)
def interaction_add(request: HttpRequest, partner_id: int) -> HttpResponse:
    user = acting_user(request)
    partner = selectors.partner_get(user=user, partner_id=partner_id)
    form = InteractionForm(
        request.POST,
        contacts=selectors.partner_contacts(partner=partner),
        sites=partner.organisation.sites.order_by("name"),
        with_amount=sees_amounts(user, organisation_id=partner.organisation_id),
        prefix="timeline",
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.interaction_record(
                actor=user,
                partner=partner,
                details=services.InteractionDetails(
                    kind=data["kind"],
                    happened_on=data["happened_on"],
                    summary=data.get("summary") or "",
                    contact=data.get("contact"),
                    site=data.get("site"),
                    amount=data.get("amount"),
                    currency=data.get("currency") or "",
                ),
            )
        except ValidationError as error:
            validation_error_to_form(form, error)
        else:
            messages.success(request, _("Added to the timeline."))
            return redirect("partners:partner-detail", partner_id=partner.pk)
    return partner_page(request, partner, interaction_form=form)


@require_POST
@user_passes(can_use_partners)
def interaction_remove(request: HttpRequest, partner_id: int, interaction_id: int) -> HttpResponse:
    user = acting_user(request)
    partner = selectors.partner_get(user=user, partner_id=partner_id)
    interaction = selectors.interaction_get(partner=partner, interaction_id=interaction_id)
    services.interaction_remove(actor=user, interaction=interaction)
    messages.success(request, _("Removed from the timeline."))
    return redirect("partners:partner-detail", partner_id=partner.pk)
