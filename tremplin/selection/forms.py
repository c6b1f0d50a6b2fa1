"""Forms for selection: the public application steps, and the staff's pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from phonenumber_field.formfields import PhoneNumberField

from tremplin.core.forms import DateInput
from tremplin.core.numbers import number_text
from tremplin.core.translations import TranslationsForm
from tremplin.network.models import ProgrammeRun, Region
from tremplin.outreach.models import Channel
from tremplin.people.models import Gender
from tremplin.selection.eligibility import document_names
from tremplin.selection.files.reading import MAX_FILE_BYTES
from tremplin.selection.models import Application, Call, Decision, ReasonCode, StageKind
from tremplin.selection.models.applications import MAX_SCORE
from tremplin.selection.processes import PROCESSES
from tremplin.selection.services.calls import CALL_FIELDS
from tremplin.selection.services.translations import (
    CALL_TEXTS,
    CRITERION_TEXTS,
    STAGE_TEXTS,
    question_texts,
)

# applicant-facing: start (docs/languages.md)
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
        widget=DateInput(),
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
        if not call.run.programme.asks_priority_neighbourhood:
            # A question for one country (France's QPV): only where the programme asks it.
            del self.fields["priority_neighbourhood"]
        elif "priority_neighbourhood" in answers:
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
        if "priority_neighbourhood" in self.fields:
            values["priority_neighbourhood"] = values.get("priority_neighbourhood") == "yes"
        return values


LANGUAGE_LEVELS = [
    ("A1", _("A1 — I know a few words")),
    ("A2", _("A2 — I understand simple sentences")),
    ("B1", _("B1 — I manage in everyday life")),
    ("B2", _("B2 — I discuss most subjects")),
    ("C1", _("C1 — I am at ease")),
    ("C2", _("C2 — like a native speaker")),
    ("native", _("It is my mother tongue")),
]


class LanguageAndDocumentsStep(StepForm):
    language_level = forms.ChoiceField(
        label=_("Your level"), choices=LANGUAGE_LEVELS, widget=forms.RadioSelect
    )
    documents = forms.MultipleChoiceField(
        label=_("Which of these documents do you have?"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    document_name = forms.ChoiceField(
        label=_("Which document is it? (optional)"), required=False, choices=[]
    )
    document_file = forms.FileField(
        label=_("Send a photo or a scan of a document (optional)"),
        required=False,
        help_text=_("A photo (JPEG or PNG) or a PDF file, 5 MB at most. One file at a time."),
    )

    UPLOAD_FIELDS = ("document_name", "document_file")

    def __init__(self, *args: Any, call: Call, answers: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, call=call, answers=answers, **kwargs)
        if not call.required_language:
            del self.fields["language_level"]
        if call.required_documents:
            choices = list(document_names(call).items())
            self.fields["documents"].choices = choices  # type: ignore[attr-defined]
            self.fields["document_name"].choices = [  # type: ignore[attr-defined]
                ("", "—"),
                *choices,
            ]
        else:
            for name in ("documents", *self.UPLOAD_FIELDS):
                del self.fields[name]

    def answers(self) -> dict[str, Any]:
        """The level and the documents declared; a document sent as a file counts as one the
        applicant has, ticked or not."""
        values = super().answers()
        sent = values.get("document_name") if values.get("document_file") else ""
        if sent and "documents" in values and sent not in values["documents"]:
            values["documents"] = [*values["documents"], sent]
        for name in self.UPLOAD_FIELDS:
            values.pop(name, None)
        return values


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


# applicant-facing: end

# --- Staff forms -----------------------------------------------------------------------------


class QuestionAnswerForm(forms.Form):
    """The team's answer to an applicant's question, and the way it goes."""

    CHANNELS = {"all": ("email", "sms"), "email": ("email",), "sms": ("sms",)}

    text = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Short and plain: an SMS shows about 160 characters at a time."),
    )
    channel = forms.ChoiceField(
        label=_("Send it"),
        choices=[
            ("all", _("By every way they gave (e-mail and SMS)")),
            ("email", _("By e-mail only")),
            ("sms", _("By SMS only")),
        ],
        initial="all",
    )

    def channels(self) -> tuple[str, ...]:
        return self.CHANNELS[self.cleaned_data["channel"]]


class CallCreateForm(forms.Form):
    run = forms.ModelChoiceField(label=_("Programme run"), queryset=ProgrammeRun.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=64,
        help_text=_("Used in the public link and on the command line, for example pn-kh-2027."),
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput())
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
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            "age_reference_date": DateInput(),
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
    placement_test = forms.BooleanField(
        label=_("Scored by the placement test"),
        required=False,
        help_text=_("A finished placement test records its score here by itself."),
    )

    # The settings each kind of stage uses (the name always): the others are not shown.
    FIELDS_OF_KIND: ClassVar[dict[str, tuple[str, ...]]] = {
        StageKind.INFORMATION_SESSION: (),
        StageKind.ADMINISTRATIVE_CHECK: (),
        StageKind.WRITTEN_EXAM: ("max_score", "pass_mark", "placement_test"),
        StageKind.INTERVIEW: ("pass_mark", "raters_per_application", "standardise_raters"),
        StageKind.SOCIAL_INVESTIGATION: ("pass_mark",),
    }

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        kept = ("name", *self.FIELDS_OF_KIND.get(kind, ()))
        for name in list(self.fields):
            if name not in kept:
                del self.fields[name]
        if "max_score" in self.fields and kind == StageKind.WRITTEN_EXAM:
            # The exam's scores are read on this scale: it cannot be left empty (issue 12).
            self.fields["max_score"].required = True
            self.fields["max_score"].validators.append(MinValueValidator(Decimal("0.01")))
            self.fields["max_score"].widget.attrs["min"] = "0.01"
            self.fields["max_score"].help_text = _("For example 100, or 20.")
        if "pass_mark" in self.fields:
            help_texts: dict[str, Any] = {
                StageKind.INTERVIEW: _(
                    "On the 1–5 scale of the marks (the weighted mean of the raters'). "
                    "Leave empty for none."
                ),
                StageKind.SOCIAL_INVESTIGATION: _(
                    "On the need index, 0 to 100: a lower index is proposed for rejection. "
                    "Leave empty for none."
                ),
            }
            self.fields["pass_mark"].help_text = help_texts.get(
                kind, _("Scores below this are proposed for rejection. Leave empty for none.")
            )

    def clean_pass_mark(self) -> Decimal | None:
        mark: Decimal | None = self.cleaned_data.get("pass_mark")
        if mark is None:
            return None
        ranges: dict[str, tuple[Decimal, Decimal | None]] = {
            StageKind.INTERVIEW: (Decimal(1), Decimal(5)),
            StageKind.SOCIAL_INVESTIGATION: (Decimal(0), Decimal(100)),
        }
        low, high = ranges.get(self.kind, (Decimal(0), None))
        if mark < low or (high is not None and mark > high):
            raise forms.ValidationError(
                _("Give a pass mark from %(low)s to %(high)s.")
                % {"low": number_text(low), "high": number_text(high)}
                if high is not None
                else _("Give a pass mark of %(low)s or more.") % {"low": number_text(low)}
            )
        return mark


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

    def __init__(self, *args: Any, stage: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if stage is None:
            return
        # The browser offers the range of the stage's kind, as the server checks it: an
        # interview's mean of 1–5 marks, a need index 0–100, an exam 0 to its highest score.
        low, high, step = score_range(kind=stage.kind, max_score=stage.max_score)
        field = self.fields["score"]
        field.widget.attrs.update({"min": str(low), "max": str(high), "step": step})
        field.validators += [MinValueValidator(low), MaxValueValidator(high)]


def score_range(*, kind: str, max_score: Decimal | None) -> tuple[Decimal, Decimal, str]:
    """The lowest and highest score a stage of ``kind`` takes, and the input's step."""
    if kind == StageKind.INTERVIEW:
        return Decimal(1), Decimal(5), "0.01"
    if kind == StageKind.SOCIAL_INVESTIGATION:
        return Decimal(0), Decimal(100), "0.01"
    return Decimal(0), max_score if max_score is not None and max_score > 0 else MAX_SCORE, "0.01"


class BulkReasonForm(forms.Form):
    """The reason and note of the decisions saved together from a stage's table; a row's own
    reason (`reason_<id>`) comes before this one."""

    reason = forms.ChoiceField(
        label=_("Reason for the decisions without their own"),
        choices=[("", _("(the usual one: pass mark reached, or below it)")), *ReasonCode.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note for these decisions (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
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


class CallTranslationsForm(TranslationsForm):
    """The text of a call that applicants read, in each other language the organisation
    offers (core/translations.py): the call, each stage (and its questions), each criterion."""

    def __init__(self, *args: Any, call: Call, languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, languages=languages, **kwargs)
        self.group("call", gettext("The call"), call, CALL_TEXTS)
        for stage in call.stages.prefetch_related("criteria"):
            self.group(f"stage{stage.pk}", stage.name, stage, STAGE_TEXTS + question_texts(stage))
            for criterion in stage.criteria.all():
                title = f"{stage.name} — {criterion.name}"
                self.group(f"criterion{criterion.pk}", title, criterion, CRITERION_TEXTS)
