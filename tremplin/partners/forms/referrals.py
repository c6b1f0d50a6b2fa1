"""Forms of referrals: the referral (through the partner's link or by staff), the staff's
list filters, the funnel's choice of calls, and withdrawing a referral."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from tremplin.network.languages import applicant_language_choices, offered_languages
from tremplin.network.models import ProgrammeRun
from tremplin.partners.models import Partner
from tremplin.selection.models import Call


class CallChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} · {obj.site.name}"


# applicant-facing: start (the partner contact's link shows this form)
class ReferralForm(forms.Form):
    """A person referred to an open call. Shown to partner contacts (outsiders) and staff."""

    call = CallChoiceField(
        label=_("Call for applications"),
        queryset=Call.objects.none(),
        empty_label=None,
        error_messages={
            "invalid_choice": _("This call for applications is not open."),
            "required": _("Choose a call for applications."),
        },
    )
    given_names = forms.CharField(label=_("First name(s)"), max_length=150)
    family_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"), required=False, max_length=254)
    phone = PhoneNumberField(label=_("Phone number"), required=False)
    language = forms.ChoiceField(label=_("The person's language"))
    note = forms.CharField(
        label=_("Why this programme? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_("The person agrees to be referred and to be contacted about this programme."),
        error_messages={
            "required": _(
                "The person must agree to be referred and contacted: without it, nothing is sent."
            )
        },
    )
    shares_status = forms.BooleanField(
        label=_(
            "The person agrees that we follow their progress (applied, selected, in training, "
            "finished)."
        ),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        calls: QuerySet[Call],
        partner: Partner,
        language: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls  # type: ignore[attr-defined]
        choices = [
            (code, str(name))
            for code, name in applicant_language_choices()
            if code in offered_languages(partner.organisation)
        ]
        self.fields["language"].choices = choices  # type: ignore[attr-defined]
        if language in dict(choices):
            self.initial.setdefault("language", language)
        # A number typed without its country code is read as one of the partner's country,
        # else of the country where the open calls are run (when they all are in one).
        self.fields["phone"] = PhoneNumberField(
            label=_("Phone number"),
            required=False,
            region=partner.country or _calls_country(calls),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("email") and not data.get("phone") and not self.has_error("phone"):
            self.add_error("email", _("Give the person's e-mail address or phone number."))
        return data

    def referral_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        phone = data.get("phone")
        return {
            "call": data["call"],
            "given_names": data["given_names"],
            "family_name": data["family_name"],
            "email": data.get("email") or "",
            "phone": phone.as_e164 if phone else "",
            "language": data["language"],
            "note": data.get("note") or "",
            "consent": bool(data.get("consent")),
            "shares_status": bool(data.get("shares_status")),
        }


def _calls_country(calls: QuerySet[Call]) -> str | None:
    """The one country where the calls are run, or None when there are several or none."""
    countries = list(calls.order_by().values_list("site__country", flat=True).distinct()[:2])
    return (countries[0] or None) if len(countries) == 1 else None


# applicant-facing: end


class ReferralFilterForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Partner"), queryset=Partner.objects.none(), required=False
    )
    call = CallChoiceField(
        label=_("Call for applications"), queryset=Call.objects.none(), required=False
    )

    def __init__(
        self, *args: Any, partners: QuerySet[Partner], calls: QuerySet[Call], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners.order_by("name")  # type: ignore[attr-defined]
        self.fields["call"].queryset = calls.order_by("-opens_on", "title")  # type: ignore[attr-defined]


class RunChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.programme.title} · {obj.title}"


class FunnelForm(forms.Form):
    """The calls the funnel counts: one call, a programme run's, or a year's."""

    call = CallChoiceField(
        label=_("Call for applications"), queryset=Call.objects.none(), required=False
    )
    run = RunChoiceField(
        label=_("Programme run"), queryset=ProgrammeRun.objects.none(), required=False
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def __init__(
        self, *args: Any, calls: QuerySet[Call], runs: QuerySet[ProgrammeRun], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls.order_by("-opens_on", "title")  # type: ignore[attr-defined]
        self.fields["run"].queryset = runs  # type: ignore[attr-defined]


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
