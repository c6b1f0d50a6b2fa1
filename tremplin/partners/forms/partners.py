"""Forms of the partner pages: the list's filters, a partner, a merge, a site, a contact, an
entry of the timeline and a private link. Amounts take a point or a comma ("1 500,50" is
refused, "1500,50" and "1500.50" are read), dates the picker or "31/12/2026" in French."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tremplin.core.forms import DateInput
from tremplin.network.models import Organisation, Region, Site
from tremplin.partners.iso_codes import country_choices, currency_choices
from tremplin.partners.models import (
    InteractionKind,
    LinkPurpose,
    Partner,
    PartnerContact,
    PartnerKind,
    Partnership,
    PartnerSite,
    PartnerSize,
)
from tremplin.partners.services.interactions import MAX_AMOUNT
from tremplin.training.forms.assessments import DecimalTextField


class PartnerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or registration number"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Every kind")), *PartnerKind.choices]
    )
    partnership = forms.ChoiceField(
        label=_("Partnership"),
        required=False,
        choices=[("", _("Every partnership")), *Partnership.choices],
    )
    archived = forms.BooleanField(label=_("Archived partners"), required=False)


def _countries() -> list[tuple[str, Any]]:
    return [("", _("Choose a country")), *country_choices()]


class PartnerForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerKind.choices)
    sector = forms.CharField(label=_("Sector"), max_length=120, required=False)
    size = forms.ChoiceField(label=_("Size"), choices=PartnerSize.choices, required=False)
    partnerships = forms.MultipleChoiceField(
        label=_("What the partner does with us"),
        choices=Partnership.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    registration_number = forms.CharField(
        label=_("Registration number"),
        max_length=40,
        required=False,
        help_text=_("SIRET, company number or the registry's number, if it has one."),
    )
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    description = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    # Ticked after the page warned of partners with a similar name.
    create_anyway = forms.BooleanField(
        label=_("This is another partner: save it anyway"), required=False
    )

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _countries()  # type: ignore[attr-defined]
        if organisations is None or organisations.count() <= 1:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    @staticmethod
    def initial_of(partner: Partner) -> dict[str, Any]:
        return {
            "name": partner.name,
            "kind": partner.kind,
            "sector": partner.sector,
            "size": partner.size,
            "partnerships": list(partner.partnerships or []),
            "registration_number": partner.registration_number,
            "website": partner.website,
            "country": partner.country,
            "description": partner.description,
        }


class PartnerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        number = f" · {obj.registration_number}" if obj.registration_number else ""
        return f"{obj.name}{number}"


KEEP_THIS, KEEP_OTHER = "this", "other"


class MergeForm(forms.Form):
    other = PartnerChoiceField(
        queryset=Partner.objects.none(), label=_("The same partner, entered again")
    )
    keep = forms.ChoiceField(
        label=_("Which record is kept"),
        widget=forms.RadioSelect,
        choices=[(KEEP_THIS, _("This one")), (KEEP_OTHER, _("The other one"))],
        initial=KEEP_THIS,
    )

    def __init__(self, *args: Any, others: QuerySet[Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = others  # type: ignore[attr-defined]


class SiteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(), label=_("Region"), required=False
    )

    def __init__(self, *args: Any, country: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _countries()  # type: ignore[attr-defined]
        chosen = str(self.data.get("country") or "") if self.is_bound else country
        regions = Region.objects.filter(country=chosen) if chosen else Region.objects.none()
        self.fields["region"].queryset = regions.order_by("name")  # type: ignore[attr-defined]

    @staticmethod
    def initial_of(site: PartnerSite) -> dict[str, Any]:
        return {
            "name": site.name,
            "address": site.address,
            "postal_code": site.postal_code,
            "city": site.city,
            "country": site.country,
            "region": site.region_id,
        }


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("The language of the messages and pages the contact receives."),
    )
    is_tutor = forms.BooleanField(label=_("Can tutor interns"), required=False)
    site = forms.ModelChoiceField(
        queryset=PartnerSite.objects.none(), label=_("Partner site"), required=False
    )

    def __init__(self, *args: Any, sites: QuerySet[PartnerSite], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]

    @staticmethod
    def initial_of(contact: PartnerContact) -> dict[str, Any]:
        return {
            "name": contact.name,
            "job_title": contact.job_title,
            "email": contact.email,
            "phone": contact.phone,
            "language": contact.language,
            "is_tutor": contact.is_tutor,
            "site": contact.site_id,
        }


class InteractionForm(forms.Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=InteractionKind.choices)
    happened_on = forms.DateField(label=_("Date"), widget=DateInput())
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact = forms.ModelChoiceField(
        queryset=PartnerContact.objects.none(), label=_("With"), required=False
    )
    site = forms.ModelChoiceField(queryset=Site.objects.none(), label=_("Our site"), required=False)
    amount = DecimalTextField(
        label=_("Amount"),
        required=False,
        max_value=MAX_AMOUNT,
        message=_("Amount: give a number such as 1500 or 1500,50."),  # type: ignore[arg-type]
        help_text=_("Donations only, with their currency."),
    )
    currency = forms.ChoiceField(label=_("Currency"), required=False)

    def __init__(
        self,
        *args: Any,
        contacts: QuerySet[PartnerContact],
        sites: QuerySet[Site],
        with_amount: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts  # type: ignore[attr-defined]
        if len(contacts) == 1:  # the only contact is the one the link is for
            self.fields["contact"].initial = contacts[0].pk
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        if with_amount:
            self.fields["currency"].choices = [("", "—"), *currency_choices()]  # type: ignore[attr-defined]
        else:
            del self.fields["amount"], self.fields["currency"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        amount: Decimal | None = data.get("amount")
        if amount is not None and not data.get("currency") and "currency" not in self.errors:
            self.add_error("currency", _("Currency: give the currency of the amount."))
        return data


class LinkForm(forms.Form):
    contact = forms.ModelChoiceField(
        queryset=PartnerContact.objects.none(), label=pgettext_lazy("partner link", "Contact")
    )
    purpose = forms.ChoiceField(
        label=pgettext_lazy("partner link", "The link lets them"), choices=LinkPurpose.choices
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=730, initial=180)
    send = forms.BooleanField(label=_("Send it to the contact by e-mail"), required=False)

    def __init__(self, *args: Any, contacts: QuerySet[PartnerContact], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts  # type: ignore[attr-defined]
