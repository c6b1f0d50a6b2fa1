"""The attendance dashboard's filters: site, programme, period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.core.forms import DateInput
from tremplin.network.models import Programme, Site
from tremplin.training.selectors.rates import Filters

PERIODS = {"4w": 28, "3m": 91, "12m": 365}


class DashboardFilterForm(forms.Form):
    site = forms.ModelChoiceField(queryset=Site.objects.none(), required=False, label=_("Site"))
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.none(), required=False, label=_("Programme")
    )
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            ("4w", _("Last 4 weeks")),
            ("3m", _("Last 3 months")),
            ("12m", _("Last 12 months")),
            ("all", _("All time")),
            ("dates", _("Between two dates")),
        ],
    )
    since = forms.DateField(label=_("From"), required=False, widget=DateInput)
    until = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(
        self, *args: Any, sites: QuerySet[Site], programmes: QuerySet[Programme], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period") == "dates":
            since, until = data.get("since"), data.get("until")
            if since is None and until is None:
                self.add_error("since", _("Give a start date, an end date, or both."))
            elif since is not None and until is not None and until < since:
                self.add_error("until", _("The end date is before the start date."))
        return data

    def filters(self, *, today: dt.date | None = None) -> Filters:
        """The filters asked (the default period, 12 months, when the form is invalid)."""
        day = today or timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        period = data.get("period") or "12m"
        since = until = None
        if period in PERIODS:
            since = day - dt.timedelta(days=PERIODS[period])
        elif period == "dates":
            since, until = data.get("since"), data.get("until")
        site = data.get("site")
        programme = data.get("programme")
        return Filters(
            site_id=site.pk if site else None,
            programme_id=programme.pk if programme else None,
            since=since,
            until=until,
        )
