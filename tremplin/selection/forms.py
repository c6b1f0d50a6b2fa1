"""Forms for selection: the public application steps, and the staff's pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from phonenumber_field.formfields import PhoneNumberField

from tremplin.network.models import ProgrammeRun, Region
from tremplin.outreach.models import Channel
from tremplin.people.models import Gender
from tremplin.selection.files.reading import MAX_FILE_BYTES
from tremplin.selection.models import Application, Call, Decision, ReasonCode, StageKind
from tremplin.selection.models.applications import MAX_SCORE
from tremplin.selection.processes import PROCESSES
from tremplin.selection.services.calls import CALL_FIELDS

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class StepForm(forms.Form):
    """A step of the public form: reads its initial values from the draft's answers and
    gives back JSON-ready answers."""

    def __init__(self, *args: Any, call: Call, answers: dict[str, Any], **kwargs: Any) -> None:
        self.call = call
        kwargs["initial"] = {k: v for k, v in answers.items() if k in self.base_fields}
        super().__init__(*args, **kwargs)

    def answers(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if isinstance(value, dt.date):
                values[name] = value.isoformat()
            elif hasattr(value, "as_e164"):
                values[name] = value.as_e164
            elif isinstance(value, Region):
                values[name] = value.pk
            else:
                values[name] = value
        return values


class AboutYouStep(StepForm):
    given_names = forms.CharField(label=_("First name(s)"), max_length=150)
    family_name = forms.CharField(label=_("Last name"), max_length=150)
    preferred_name = forms.CharField(
        label=_("The name you like to be called (optional)"), max_length=150, required=False
    )
    gender = forms.ChoiceField(label=_("You are"), choices=Gender.choices, widget=forms.RadioSelect)
    birth_date = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Day, month and year."),
    )

    def clean_birth_date(self) -> dt.date:
        value: dt.date = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if value >= today or value.year < today.year - 100:
            raise forms.ValidationError(_("Check the date of birth."))
        return value


class ContactStep(StepForm):
    phone = PhoneNumberField(label=_("Phone number"), required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    city = forms.CharField(label=_("Town or city where you live"), max_length=120, required=False)
    region_id = forms.ModelChoiceField(
        label=_("Region or province"), queryset=Region.objects.none(), required=False
    )
    priority_neighbourhood = forms.ChoiceField(
        label=_("Do you live in a priority neighbourhood?"),
        choices=[*YES_NO, ("dont_know", _("I don't know"))],
        widget=forms.RadioSelect,
        required=False,
    )
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)

    def __init__(self, *args: Any, call: Call, answers: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, call=call, answers=answers, **kwargs)
        region = call.site.country.code
        self.fields["phone"] = PhoneNumberField(
            label=_("Phone number"),
            required=False,
            region=region,
            help_text=_("We call or text you about your application."),
        )
        self.fields["region_id"].queryset = Region.objects.filter(  # type: ignore[attr-defined]
            country=region
        ).order_by("name")
        self.fields["nationality"].choices = [("", "—"), *countries]  # type: ignore[attr-defined]
        if "priority_neighbourhood" in answers:
            self.initial["priority_neighbourhood"] = (
                "yes" if answers["priority_neighbourhood"] else "no"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("phone") and not data.get("email"):
            raise forms.ValidationError(
                _("Give a phone number or an e-mail address, so we can answer you.")
            )
        return data

    def answers(self) -> dict[str, Any]:
        values = super().answers()
        values["priority_neighbourhood"] = values.get("priority_neighbourhood") == "yes"
        return values


class LanguageAndDocumentsStep(StepForm):
    language_level = forms.ChoiceField(
        label=_("Your level"),
        choices=[
            ("A1", _("A1 — I know a few words")),
            ("A2", _("A2 — I understand simple sentences")),
            ("B1", _("B1 — I manage in everyday life")),
            ("B2", _("B2 — I discuss most subjects")),
            ("C1", _("C1 — I am at ease")),
            ("C2", _("C2 — like a native speaker")),
            ("native", _("It is my mother tongue")),
        ],
        widget=forms.RadioSelect,
    )
    documents = forms.MultipleChoiceField(
        label=_("Which of these documents do you have?"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, call: Call, answers: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, call=call, answers=answers, **kwargs)
        if not call.required_language:
            del self.fields["language_level"]
        if call.required_documents:
            self.fields["documents"].choices = [  # type: ignore[attr-defined]
                (d, d) for d in call.required_documents
            ]
        else:
            del self.fields["documents"]


class ProjectStep(StepForm):
    motivation = forms.CharField(
        label=_("Why do you want to join? (a few words are enough)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        required=False,
    )
    channel = forms.ChoiceField(
        label=_("How did you hear about us?"), choices=Channel.choices, widget=forms.RadioSelect
    )
    sites = forms.MultipleChoiceField(
        label=_("Where can you attend?"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, call: Call, answers: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, call=call, answers=answers, **kwargs)
        call_sites = list(call.call_sites.select_related("site").order_by("site__name"))
        if len(call_sites) > 1:
            self.fields["sites"].choices = [  # type: ignore[attr-defined]
                (str(cs.site_id), f"{cs.site.name} ({cs.site.city})") for cs in call_sites
            ]
            self.fields["sites"].required = True
            self.initial["sites"] = [str(s) for s in answers.get("sites", [])]
        else:
            del self.fields["sites"]

    def answers(self) -> dict[str, Any]:
        values = super().answers()
        if "sites" in values:
            values["sites"] = [int(s) for s in values["sites"]]
        return values


class ConsentStep(StepForm):
    consent_data = forms.BooleanField(
        label=_("I agree that the team uses my answers to study my application."),
        error_messages={"required": _("We need your agreement to study your application.")},
    )
    consent_contact = forms.BooleanField(
        label=_("I agree to be contacted about this programme and job offers (optional)."),
        required=False,
    )


STEPS: list[tuple[str, type[StepForm], Any, str]] = [
    ("about", AboutYouStep, _("About you"), "person"),
    ("contact", ContactStep, _("How to reach you"), "telephone"),
    ("languages", LanguageAndDocumentsStep, _("Language and documents"), "translate"),
    ("project", ProjectStep, _("Your project"), "lightbulb"),
    ("send", ConsentStep, _("Agree and send"), "send"),
]


def steps_for(call: Call) -> list[tuple[str, type[StepForm], Any, str]]:
    """The steps this call needs (no language/documents step when it asks for neither)."""
    return [
        step
        for step in STEPS
        if step[0] != "languages" or call.required_language or call.required_documents
    ]


class HelpForm(forms.Form):
    question = forms.CharField(
        label=_("Your question or your situation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


# --- Staff forms -----------------------------------------------------------------------------


class CallCreateForm(forms.Form):
    run = forms.ModelChoiceField(label=_("Programme run"), queryset=ProgrammeRun.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=64,
        help_text=_("Used in the public link and on the command line, for example pn-kh-2027."),
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(
        label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    process = forms.ChoiceField(
        label=_("Selection process to start from"),
        choices=[(key, p.label) for key, p in PROCESSES.items()],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, runs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["run"].queryset = runs  # type: ignore[attr-defined]

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if Call.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("This short name is taken."))
        return slug

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The closing date must not be before the opening."))
        return data


class LinesField(forms.CharField):
    """One item per line, kept as a list."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class CallEditForm(forms.ModelForm):  # type: ignore[type-arg]
    required_documents = LinesField(
        label=_("Required documents"), required=False, help_text=_("One per line.")
    )
    administrative_checks = LinesField(
        label=_("Administrative checks"), required=False, help_text=_("One per line.")
    )

    class Meta:
        model = Call
        fields = list(CALL_FIELDS)
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
            "age_reference_date": forms.DateInput(attrs={"type": "date"}),
        }


class StageAddForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=StageKind.choices)
    name = forms.CharField(label=_("Name"), max_length=120)


class StageEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    max_score = forms.DecimalField(
        label=_("Highest possible score"),
        required=False,
        min_value=Decimal(0),
        max_value=MAX_SCORE,
        max_digits=7,
        decimal_places=2,
    )
    pass_mark = forms.DecimalField(
        label=_("Pass mark"),
        required=False,
        min_value=Decimal(0),
        max_value=MAX_SCORE,
        max_digits=7,
        decimal_places=2,
    )
    raters_per_application = forms.IntegerField(
        label=_("Raters per application"), min_value=1, max_value=9, required=False
    )
    standardise_raters = forms.BooleanField(
        label=_("Correct for severe or lenient raters"), required=False
    )


class ResultForm(forms.Form):
    score = forms.DecimalField(
        label=_("Score"),
        required=False,
        min_value=Decimal(0),
        max_value=MAX_SCORE,
        max_digits=7,
        decimal_places=2,
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(d.value, d.label) for d in Decision if d != Decision.PENDING],
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=ReasonCode.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProposeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (Application.Outcome.SELECTED, Application.Outcome.SELECTED.label),
            (Application.Outcome.WAITLISTED, Application.Outcome.WAITLISTED.label),
            (Application.Outcome.REJECTED, Application.Outcome.REJECTED.label),
        ],
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=ReasonCode.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the decision reversed?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ImportFileForm(forms.Form):
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.csv,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(gettext("Choose a .xlsx or a .csv file."))
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                gettext("This file is larger than %(size)d MB: split it into smaller files.")
                % {"size": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload
