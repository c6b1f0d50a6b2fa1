from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tremplin.core.forms import DateInput
from tremplin.core.translations import (
    Translatable,
    initial_values,
    translation_fields,
    translations_from,
)
from tremplin.network.languages import (
    applicant_language_choices,
    language_field,
    offered_languages,
)
from tremplin.network.models import (
    ORGANISATION_ROLES,
    ApplicantPage,
    Organisation,
    Programme,
    Role,
    Site,
)
from tremplin.network.services import PROGRAMME_FIELDS, SITE_FIELDS


class RunReplicateForm(forms.Form):
    site = forms.ModelChoiceField(queryset=Site.objects.none(), label=_("New site"))
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to name it after the programme, site and month."),
    )

    def __init__(self, *args: Any, sites: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]

    def clean_starts_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["starts_on"]
        if value.year < 2000 or value.year > 2100:
            raise forms.ValidationError(_("Give a start date between 2000 and 2100."))
        return value


class StaffInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"))
    site = forms.ModelChoiceField(
        queryset=Site.objects.none(),
        label=_("Site"),
        required=False,
        help_text=_("Needed for every role except network admin and funder viewer."),
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Organisation"),
        required=False,
        help_text=_("Needed for network admins and funder viewers."),
    )

    def __init__(
        self,
        *args: Any,
        roles: list[Role],
        sites: QuerySet[Site],
        organisations: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in roles]  # type: ignore[attr-defined]
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        if organisations.count() <= 1 and not any(r in ORGANISATION_ROLES for r in roles):
            del self.fields["organisation"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role in ORGANISATION_ROLES:
            if not data.get("organisation"):
                self.add_error("organisation", _("Choose the organisation this role is for."))
        elif role and not data.get("site"):
            self.add_error("site", _("Choose the site this role is for."))
        return data


class InvitationAcceptForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not only digits, not a common password."),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password(self) -> str:
        from tremplin.core.models import User

        password: str = self.cleaned_data["password"]
        validate_password(
            password,
            user=User(
                email=self.email,
                first_name=self.data.get("first_name", ""),
                last_name=self.data.get("last_name", ""),
            ),
        )
        return password


def _timezone_choices() -> list[tuple[str, str]]:
    import zoneinfo

    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class SiteForm(forms.ModelForm):  # type: ignore[type-arg]
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )

    class Meta:
        model = Site
        fields = ["organisation", *SITE_FIELDS]

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["timezone"] = forms.ChoiceField(
            label=_("Time zone"), choices=_timezone_choices(), initial="Europe/Paris"
        )
        self.fields["default_language"] = language_field(label=_("Default language"), initial="fr")
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


PROGRAMME_TEXTS = (Translatable("eligibility_notes", _("Other eligibility rules"), "text"),)


class ProgrammeForm(forms.ModelForm):  # type: ignore[type-arg]
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    levels = forms.CharField(
        label=_("Levels"),
        required=False,
        max_length=500,
        help_text=_("In order, separated by commas: Beginner, Intermediate, Advanced."),
    )

    class Meta:
        model = Programme
        fields = ["organisation", *PROGRAMME_FIELDS]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "eligibility_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["required_language"] = language_field(
            label=_("Required language"), required=False
        )
        if self.instance.pk and not self.is_bound:
            self.initial["levels"] = ", ".join(self.instance.levels or [])
        # The eligibility notes in the other languages the organisation offers its applicants.
        self.translation_languages: list[str] = []
        if self.instance.pk:
            organisation = self.instance.organisation
            self.translation_languages = [
                code
                for code in offered_languages(organisation)
                if code != organisation.default_language
            ]
            self.fields.update(
                translation_fields(languages=self.translation_languages, specs=PROGRAMME_TEXTS)
            )
            if not self.is_bound:
                self.initial.update(
                    initial_values(
                        self.instance,
                        languages=self.translation_languages,
                        specs=PROGRAMME_TEXTS,
                    )
                )
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.translation_languages:
            data["translations"] = translations_from(
                data, languages=self.translation_languages, specs=PROGRAMME_TEXTS
            )
        return data

    def clean_levels(self) -> list[str]:
        raw: str = self.cleaned_data.get("levels") or ""
        return [level.strip() for level in raw.split(",") if level.strip()]


class OrganisationLanguagesForm(forms.Form):
    """The languages an organisation's applicants are offered, and the default among them."""

    applicant_languages = forms.MultipleChoiceField(
        label=_("Languages offered to applicants"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The public application form, information-session registration, the placement "
            "test and the messages to applicants are offered in these languages."
        ),
        error_messages={"required": _("Offer at least one language.")},
    )
    default_language = forms.ChoiceField(
        label=_("Default language"),
        help_text=_("What an applicant sees when none of their languages is offered."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = applicant_language_choices()
        self.fields["applicant_languages"].choices = choices  # type: ignore[attr-defined]
        self.fields["default_language"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        offered = data.get("applicant_languages") or []
        default = data.get("default_language")
        if offered and default and default not in offered:
            self.add_error(
                "default_language", _("The default language must be one of those offered.")
            )
        return data


class ApplicantRecordingForm(forms.Form):
    """A recording of a public page, read aloud to applicants in one language."""

    page = forms.ChoiceField(label=_("Page"), choices=ApplicantPage.choices)
    language = forms.ChoiceField(label=_("Language"))
    file = forms.FileField(
        label=_("Recording"),
        help_text=_("An MP3, OGG, M4A, AAC or WAV file of at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "audio/*"}),
    )

    def __init__(self, *args: Any, languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = dict(applicant_language_choices())
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            (code, names[code]) for code in languages
        ]
