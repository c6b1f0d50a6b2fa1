from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from tremplin.core.forms import DateTimeInput
from tremplin.network.languages import language_field
from tremplin.network.models import Site
from tremplin.outreach.models import Channel, InformationSession


class SessionForm(forms.ModelForm):  # type: ignore[type-arg]
    site = forms.ModelChoiceField(queryset=Site.objects.none(), label=_("Site"))
    online_link = forms.URLField(
        label=_("Online link"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = InformationSession
        fields = [
            "site",
            "title",
            "starts_at",
            "ends_at",
            "mode",
            "place",
            "online_link",
            "capacity",
            "language",
        ]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}

    def __init__(self, *args: Any, sites: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        self.fields["language"] = language_field(label=_("Language"), initial="fr")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts: dt.datetime | None = data.get("starts_at")
        ends: dt.datetime | None = data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The session must end after it starts."))
        if data.get("mode") == InformationSession.Mode.ONLINE and not data.get("online_link"):
            self.add_error("online_link", _("Give the link people will use to join."))
        if data.get("mode") == InformationSession.Mode.IN_PERSON and not data.get("place"):
            self.add_error("place", _("Give the address people will come to."))
        return data


# applicant-facing: start (docs/languages.md)
class RegistrationForm(forms.Form):
    given_names = forms.CharField(label=_("First name"), max_length=150)
    family_name = forms.CharField(label=_("Last name"), max_length=150)
    phone = PhoneNumberField(label=_("Phone"), required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    channel = forms.ChoiceField(label=_("How did you hear about us?"), choices=Channel.choices)

    def __init__(self, *args: Any, region: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"] = PhoneNumberField(
            label=_("Phone"), required=False, region=region or None
        )

    def registrant(self) -> dict[str, Any]:
        """The cleaned answers, as `registration_create` takes them."""
        data = self.cleaned_data
        return {
            "given_names": data["given_names"],
            "family_name": data["family_name"],
            "phone": data.get("phone") or "",
            "email": data.get("email") or "",
            "channel": data["channel"],
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("phone") and not data.get("email") and not self.has_error("phone"):
            self.add_error("phone", _("Give a phone number or an e-mail address to be reached."))
        return data


class PublicRegistrationForm(RegistrationForm):
    consent = forms.BooleanField(
        label=_("I agree that my name and contact are kept to organise this session."),
        required=True,
        error_messages={"required": _("We need your agreement to register you.")},
    )
