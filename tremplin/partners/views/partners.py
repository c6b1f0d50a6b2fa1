"""The partner pages: the list of the organisation's partners."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tremplin.core.listing import paginate_sorted
from tremplin.core.permissions import acting_user, user_passes
from tremplin.partners.forms.partners import PartnerFilterForm
from tremplin.partners.selectors import partners as selectors
from tremplin.partners.selectors.access import can_use_partners

PARTNER_SORTS = {
    "name": ("name",),
    "kind": ("kind", "name"),
    "offers": ("offer_count", "name"),
}


@user_passes(can_use_partners)
def partner_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    filters = PartnerFilterForm(request.GET or None)
    chosen: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    partners = selectors.partners_listed(
        user=user,
        query=chosen.get("q", ""),
        kind=chosen.get("kind", ""),
        partnership=chosen.get("partnership", ""),
    )
    listing = paginate_sorted(request, partners, sorts=PARTNER_SORTS, default="name")
    return render(request, "partners/partner_list.html", {"listing": listing, "filters": filters})
