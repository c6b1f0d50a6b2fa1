from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from tremplin.core.forms import DateInput
from tremplin.network.languages import language_field, language_names
from tremplin.network.models import Region, Site
from tremplin.people.models import (
    AdministrativeSituation,
    ConsentPurpose,
    LanguageLevel,
    Person,
)
from tremplin.people.services import IDENTITY_FIELDS, LanguageSkill

OLDEST_AGE = 110


class PersonForm(forms.ModelForm):  # type: ignore[type-arg]
    """Identity and contact: what any record of a person holds (nothing sensitive)."""

    class Meta:
        model = Person
        fields = list(IDENTITY_FIELDS)
        widgets = {
            "birth_date": DateInput(),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }
        error_messages = {
            "legal_given_names": {
                "max_length": _("Given names can have at most %(limit_value)d characters.")
            },
            "legal_family_name": {
                "max_length": _("The family name can have at most %(limit_value)d characters.")
            },
        }

    def __init__(self, *args: Any, phone_region: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"] = PhoneNumberField(
            label=_("Phone"),
            required=False,
            region=phone_region or None,
            help_text=_("A number of the site's country, or any number starting with +."),
        )
        self.fields["region"].queryset = Region.objects.order_by("country", "name")  # type: ignore[attr-defined]
        self.fields["legal_family_name"].required = True
        self.fields["legal_given_names"].required = True

    def clean_birth_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("birth_date")
        if value is None:
            return None
        today = timezone.localdate()
        if value > today:
            raise forms.ValidationError(_("A birth date cannot be in the future."))
        if today.year - value.year > OLDEST_AGE:
            raise forms.ValidationError(
                _("A birth date more than %(years)d years ago is not possible."),
                params={"years": OLDEST_AGE},
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("legal_given_names", "legal_family_name", "preferred_name"):
            value = data.get(name)
            if isinstance(value, str):
                data[name] = " ".join(value.split())
        return data


class PersonCreateForm(PersonForm):
    site = forms.ModelChoiceField(queryset=Site.objects.none(), label=_("Site"))
    consents = forms.MultipleChoiceField(
        label=_("The person agrees to"),
        choices=ConsentPurpose.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Read the privacy notice to the person in plain words before ticking."),
    )
    not_a_duplicate = forms.BooleanField(
        label=_("I checked the possible matches: this is a different person."),
        required=False,
    )

    field_order = ["site"]

    def __init__(self, *args: Any, sites: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        if sites.count() == 1:
            self.fields["site"].initial = sites.first()


class LanguageForm(forms.Form):
    language = language_field(label=_("Language"), required=False)
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", "—"), *LanguageLevel.choices], required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("language") and not data.get("level"):
            self.add_error("level", _("Give the level for this language."))
        if data.get("level") and not data.get("language"):
            self.add_error("language", _("Choose the language for this level."))
        return data


class BaseLanguageFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        seen: set[str] = set()
        for index, form in enumerate(self.forms, start=1):
            code = form.cleaned_data.get("language") if hasattr(form, "cleaned_data") else None
            if code and code in seen:
                raise forms.ValidationError(
                    _("Row %(row)d: %(language)s is listed twice."),
                    params={"row": index, "language": language_names().get(code, code)},
                )
            if code:
                seen.add(code)

    def skills(self) -> list[LanguageSkill]:
        return [
            LanguageSkill(language=f.cleaned_data["language"], level=f.cleaned_data["level"])
            for f in self.forms
            if f.cleaned_data.get("language")
        ]


LanguageFormSet = forms.formset_factory(
    LanguageForm, formset=BaseLanguageFormSet, extra=2, max_num=12, validate_max=True
)


def language_formset(data: Any = None, *, person: Person | None = None) -> BaseLanguageFormSet:
    initial = []
    if person is not None:
        initial = [{"language": pl.language, "level": pl.level} for pl in person.languages.all()]
    return LanguageFormSet(data, initial=initial, prefix="languages")  # type: ignore[return-value]


class SensitiveForm(forms.Form):
    administrative_situation = forms.ChoiceField(
        label=_("Administrative situation"),
        choices=[("", "—"), *AdministrativeSituation.choices],
        required=False,
    )
    administrative_notes = forms.CharField(
        label=_("Notes on the administrative situation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
        help_text=_("Only what the programme needs: permit end date, pending steps."),
    )


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    notice_version = forms.CharField(
        label=_("Version of the privacy notice"), max_length=32, initial="2026-1"
    )


class MergeForm(forms.Form):
    duplicate = forms.IntegerField(
        label=_("Record number of the duplicate"),
        min_value=1,
        max_value=10**18,
        help_text=_("The duplicate is merged into this record, which is kept."),
    )
    confirm = forms.BooleanField(
        label=_("I checked both records: they are the same person."), required=True
    )
