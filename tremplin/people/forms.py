from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from phonenumber_field.formfields import PhoneNumberField

from tremplin.core.forms import DateInput
from tremplin.network.languages import language_field, language_names
from tremplin.network.models import Programme, Region, Site
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

    def __init__(
        self,
        *args: Any,
        phone_region: str | None = None,
        sites: Collection[Site] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"] = PhoneNumberField(
            label=_("Phone"),
            required=False,
            region=phone_region or None,
            help_text=_("A number of the site's country, or any number starting with +."),
        )
        # The sites the record is (or may be) at: the person's own, else those offered.
        at = [self.instance.site] if self.instance.site_id else list(sites)
        self._region_lists(at)
        self._priority_neighbourhood_where_asked(at)
        self.fields["legal_family_name"].required = True
        self.fields["legal_given_names"].required = True

    def _region_lists(self, sites: list[Site]) -> None:
        """Regions of the site's country (and of the person's own country, if another),
        never the whole world's; a region already held stays listed."""
        countries = {site.country.code for site in sites}
        if self.instance.country:
            countries.add(self.instance.country.code)
        kept = Q(pk=self.instance.region_id) if self.instance.region_id else Q(pk__in=[])
        self.fields["region"].queryset = Region.objects.filter(  # type: ignore[attr-defined]
            Q(country__in=countries) | kept
        ).order_by("country", "name")

    def _priority_neighbourhood_where_asked(self, sites: list[Site]) -> None:
        """France's priority neighbourhoods (QPV): asked only where a programme of the
        organisation asks it (or the record already says yes)."""
        asked = Programme.objects.filter(
            organisation_id__in={site.organisation_id for site in sites},
            asks_priority_neighbourhood=True,
        ).exists()
        if not asked and not self.instance.priority_neighbourhood:
            del self.fields["priority_neighbourhood"]

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
        region: Region | None = data.get("region")
        site: Site | None = data.get("site") or (
            self.instance.site if self.instance.site_id else None
        )
        country = str(data.get("country") or (site.country if site else "") or "")
        changed = region is not None and region.pk != self.initial.get("region")
        if changed and country and str(region.country) != country:  # type: ignore[union-attr]
            self.add_error(
                "region",
                _("Choose a region of %(country)s.") % {"country": countries.name(country)},
            )
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
        super().__init__(*args, sites=list(sites), **kwargs)
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
