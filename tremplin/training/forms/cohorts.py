"""Forms of the cohort pages: the list's filters, a cohort, and what is done to a learner."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.core.forms import DateInput
from tremplin.core.models import User
from tremplin.network.models import Programme, ProgrammeRun, Site
from tremplin.selection.models import Call
from tremplin.training.models import Cohort, ExitReason
from tremplin.training.selectors.cohorts import FINISHED, PLANNED, RUNNING


def _user_label(user: User) -> str:
    return user.get_full_name() or user.email


class StaffChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return _user_label(obj)


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return _user_label(obj)


class RunChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} · {obj.site.name}"


class CohortFilterForm(forms.Form):
    site = forms.ModelChoiceField(queryset=Site.objects.none(), required=False, label=_("Site"))
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.none(), required=False, label=_("Programme")
    )
    state = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[
            ("", _("All")),
            (RUNNING, _("Running")),
            (PLANNED, _("Planned")),
            (FINISHED, _("Finished")),
        ],
    )

    def __init__(
        self, *args: Any, sites: QuerySet[Site], programmes: QuerySet[Programme], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]


class CohortForm(forms.Form):
    run = RunChoiceField(queryset=ProgrammeRun.objects.none(), label=_("Programme run"))
    call = forms.ModelChoiceField(
        queryset=Call.objects.none(),
        required=False,
        label=_("Call for applications"),
        help_text=_("Its accepted applicants join the cohort. None for open entry."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    level = forms.ChoiceField(label=_("Level group"), required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    seats = forms.IntegerField(label=_("Places"), min_value=1, max_value=2000)
    open_entry = forms.BooleanField(
        label=_("Open entry"),
        required=False,
        help_text=_("Learners join directly, without a call for applications."),
    )
    trainers = StaffMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("Trainers"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People who hold the trainer role at the run's site."),
    )
    coach = StaffChoiceField(queryset=User.objects.none(), required=False, label=_("Job coach"))

    def __init__(
        self,
        *args: Any,
        runs: QuerySet[ProgrammeRun],
        calls: QuerySet[Call],
        levels: list[str],
        trainers: QuerySet[User],
        coaches: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["run"].queryset = runs  # type: ignore[attr-defined]
        self.fields["call"].queryset = calls  # type: ignore[attr-defined]
        self.fields["level"].choices = [("", _("None")), *[(name, name) for name in levels]]  # type: ignore[attr-defined]
        self.fields["trainers"].queryset = trainers  # type: ignore[attr-defined]
        self.fields["coach"].queryset = coaches  # type: ignore[attr-defined]
        if not levels:
            del self.fields["level"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts: dt.date | None = data.get("starts_on")
        ends: dt.date | None = data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The cohort must end on or after the day it starts."))
        return data

    @staticmethod
    def initial_of(cohort: Cohort) -> dict[str, Any]:
        return {
            "run": cohort.run_id,
            "call": cohort.call_id,
            "title": cohort.title,
            "level": cohort.level,
            "starts_on": cohort.starts_on,
            "ends_on": cohort.ends_on,
            "seats": cohort.seats,
            "open_entry": cohort.open_entry,
            "trainers": list(cohort.trainers.values_list("pk", flat=True)),
            "coach": cohort.coach_id,
        }


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Find the person: name, phone or e-mail"), max_length=100)


class EnrolPersonForm(forms.Form):
    person = forms.IntegerField(min_value=1, max_value=2**31 - 1)


# --- What is done to a learner ------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


class LevelForm(forms.Form):
    level = forms.ChoiceField(label=_("New level group"))
    reason = forms.CharField(
        label=_("Why"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, levels: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(name, name) for name in levels]  # type: ignore[attr-defined]


class LeaveForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *ExitReason.choices])
    left_on = forms.DateField(label=_("Left on"), widget=DateInput(), initial=_today)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class TransferForm(forms.Form):
    cohort = forms.ModelChoiceField(queryset=Cohort.objects.none(), label=_("To the cohort"))
    on = forms.DateField(label=_("On"), widget=DateInput(), initial=_today)

    def __init__(self, *args: Any, targets: QuerySet[Cohort], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = targets  # type: ignore[attr-defined]


class GraduateForm(forms.Form):
    on = forms.DateField(label=_("Graduated on"), widget=DateInput())
