"""Forms of offers (staff's and the partner contact's), their filters, the cohort chosen for
matching and the offer chosen instead of a match. Amounts and hours are read with a point or
a comma (training's DecimalTextField)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tremplin.core.forms import DateInput
from tremplin.network.languages import language_choices
from tremplin.network.models import Region, Site
from tremplin.partners.iso_codes import currency_choices
from tremplin.partners.models import Offer, OfferKind, OfferStatus, Partner, PartnerSite, PayPeriod
from tremplin.partners.services.offers import MAX_LEVEL, MAX_PLACES, OfferData
from tremplin.people.models import LanguageLevel
from tremplin.placement.models import Competence
from tremplin.training.forms.assessments import DecimalTextField, decimal_initial

COMPETENCE_ROWS = 4
LANGUAGE_ROWS = 3
MAX_HOURS = Decimal(60)
MAX_AMOUNT = Decimal("99999999")
LEVELS = [(level, str(level)) for level in range(1, MAX_LEVEL + 1)]


class OfferFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Every status")), *OfferStatus.choices],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Every kind")), *OfferKind.choices]
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        required=False,
        queryset=Partner.objects.none(),
        empty_label=_("Every partner"),
    )

    def __init__(self, *args: Any, partners: QuerySet[Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]


# applicant-facing: start (docs/languages.md) — the partner contact's offer form shares it
class OfferForm(forms.Form):
    """An offer's fields. Staff's form adds the partner (when new) and the site whose
    learners it is for; the partner contact's form has neither."""

    kind = forms.ChoiceField(label=_("Kind of offer"), choices=OfferKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    partner_site = forms.ModelChoiceField(
        label=_("Where (the partner's place)"),
        required=False,
        queryset=PartnerSite.objects.none(),
        error_messages={"invalid_choice": _("Choose one of the partner's places.")},
    )
    city = forms.CharField(label=_("City"), required=False, max_length=120)
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.none(),
        error_messages={"invalid_choice": _("Choose a region from the list.")},
    )
    remote = forms.BooleanField(label=_("Can be done remotely"), required=False)
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DateInput())
    hours_per_week = DecimalTextField(
        label=_("Hours per week"),
        required=False,
        max_value=MAX_HOURS,
        message=cast(str, _("Hours per week: a number from 0 to 60.")),
    )
    pay_amount = DecimalTextField(
        label=_("Pay"),
        required=False,
        max_value=MAX_AMOUNT,
        message=cast(str, _("Pay: a positive amount, such as 1200 or 1200.50.")),
    )
    allowance_amount = DecimalTextField(
        label=_("Allowance"),
        required=False,
        max_value=MAX_AMOUNT,
        message=cast(str, _("Allowance: a positive amount, such as 600 or 600.50.")),
    )
    pay_period = forms.ChoiceField(
        label=_("Paid"), choices=PayPeriod.choices, initial=PayPeriod.MONTH
    )
    currency = forms.ChoiceField(
        label=_("Currency"),
        required=False,
        choices=[],
        error_messages={"invalid_choice": _("“%(value)s” is not a currency code.")},
    )
    places = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=MAX_PLACES,
        initial=1,
        error_messages={
            "min_value": _("An offer has at least 1 place."),
            "max_value": _("An offer has at most %(limit_value)s places."),
        },
    )
    closes_on = forms.DateField(
        label=_("Applications close on"), required=False, widget=DateInput()
    )

    def __init__(
        self,
        *args: Any,
        competences: QuerySet[Competence],
        partner_sites: QuerySet[PartnerSite],
        regions: QuerySet[Region],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner_site"].queryset = partner_sites  # type: ignore[attr-defined]
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        self.fields["currency"].choices = [("", "—"), *currency_choices()]  # type: ignore[attr-defined]
        for row in range(1, COMPETENCE_ROWS + 1):
            self.fields[f"competence_{row}"] = forms.ModelChoiceField(
                label=_("Competence %(row)s") % {"row": row},
                required=False,
                queryset=competences,
                error_messages={"invalid_choice": _("Choose a competence from the list.")},
            )
            self.fields[f"competence_level_{row}"] = forms.TypedChoiceField(
                label=_("Level"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "—"), *LEVELS],
            )
        for row in range(1, LANGUAGE_ROWS + 1):
            self.fields[f"language_{row}"] = forms.ChoiceField(
                label=_("Language %(row)s") % {"row": row},
                required=False,
                choices=[("", "—"), *language_choices()],
                error_messages={"invalid_choice": _("Choose a language from the list.")},
            )
            self.fields[f"language_level_{row}"] = forms.ChoiceField(
                label=_("Level"), required=False, choices=[("", "—"), *LanguageLevel.choices]
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for row in range(1, COMPETENCE_ROWS + 1):
            if cleaned.get(f"competence_{row}") and not cleaned.get(f"competence_level_{row}"):
                self.add_error(f"competence_level_{row}", _("Give the level asked (1 to 8)."))
        for row in range(1, LANGUAGE_ROWS + 1):
            if cleaned.get(f"language_{row}") and not cleaned.get(f"language_level_{row}"):
                self.add_error(f"language_level_{row}", _("Give the level asked (A1 to C2)."))
        return cleaned

    def competence_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"competence_{row}"], self[f"competence_level_{row}"])
            for row in range(1, COMPETENCE_ROWS + 1)
        ]

    def language_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"language_{row}"], self[f"language_level_{row}"])
            for row in range(1, LANGUAGE_ROWS + 1)
        ]

    def offer_data(self, *, site: Site | None = None) -> OfferData:
        c = self.cleaned_data
        return OfferData(
            kind=c["kind"],
            title=c["title"],
            description=c.get("description", ""),
            partner_site=c.get("partner_site"),
            site=site,
            starts_on=c.get("starts_on"),
            ends_on=c.get("ends_on"),
            hours_per_week=c.get("hours_per_week"),
            pay_amount=c.get("pay_amount"),
            allowance_amount=c.get("allowance_amount"),
            pay_period=c.get("pay_period") or PayPeriod.MONTH,
            currency=c.get("currency", ""),
            places=c["places"],
            region=c.get("region"),
            city=c.get("city", ""),
            remote=bool(c.get("remote")),
            closes_on=c.get("closes_on"),
            competences=[
                (c[f"competence_{row}"], c[f"competence_level_{row}"])
                for row in range(1, COMPETENCE_ROWS + 1)
                if c.get(f"competence_{row}") and c.get(f"competence_level_{row}")
            ],
            languages=[
                (c[f"language_{row}"], c[f"language_level_{row}"])
                for row in range(1, LANGUAGE_ROWS + 1)
                if c.get(f"language_{row}") and c.get(f"language_level_{row}")
            ],
        )


# applicant-facing: end


class StaffOfferForm(OfferForm):
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Partner.objects.none(),
        error_messages={"invalid_choice": _("Choose a partner from the list.")},
    )
    site = forms.ModelChoiceField(
        label=_("For learners of"),
        required=False,
        queryset=Site.objects.none(),
        empty_label=_("Every site"),
        error_messages={"invalid_choice": _("Choose a site from the list.")},
    )
    field_order = ["partner", "site"]

    def __init__(
        self, *args: Any, partners: QuerySet[Partner] | None, sites: QuerySet[Site], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if partners is None:
            del self.fields["partner"]
        else:
            self.fields["partner"].queryset = partners  # type: ignore[attr-defined]
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]


def offer_initial(offer: Any) -> dict[str, Any]:
    """An offer's values as the form's initial data."""
    initial: dict[str, Any] = {
        name: getattr(offer, name)
        for name in (
            "kind",
            "title",
            "description",
            "partner_site",
            "city",
            "region",
            "remote",
            "starts_on",
            "ends_on",
            "pay_period",
            "currency",
            "places",
            "closes_on",
            "site",
        )
    }
    for name in ("hours_per_week", "pay_amount", "allowance_amount"):
        initial[name] = decimal_initial(getattr(offer, name))
    for row, asked in enumerate(offer.competences.all(), start=1):
        initial[f"competence_{row}"] = asked.competence_id
        initial[f"competence_level_{row}"] = asked.level
    for row, asked in enumerate(offer.languages.all(), start=1):
        initial[f"language_{row}"] = asked.language
        initial[f"language_level_{row}"] = asked.level
    return initial


class CohortChoiceForm(forms.Form):
    cohort = forms.IntegerField(label=_("Cohort"), min_value=1)


class MatchChangeForm(forms.Form):
    offer = forms.ModelChoiceField(
        label=_("Another offer"),
        queryset=Offer.objects.none(),
        error_messages={"invalid_choice": _("Choose an open offer from the list.")},
    )

    def __init__(self, *args: Any, offers: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers  # type: ignore[attr-defined]
