"""The form that sets an interview, a home visit or a selection day: date, times, place or
video link, the applicants and the staff invited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tremplin.selection.models import Application


class ApplicantChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return obj.person.display_name if obj.person else str(obj.pk)


class StaffChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.email})" if name else obj.email


class AppointmentForm(forms.Form):
    """An interview, home visit or selection day. Dates and times go to the browser in ISO
    form (2026-12-02, 09:30) whatever the page's language, as `type=date/time` needs."""

    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    starts_at = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends_at = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=300,
        required=False,
        help_text=_("The address, or the family's village for a home visit."),
    )
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    note = forms.CharField(
        label=_("Note for those invited"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    applications = ApplicantChoiceField(
        label=_("Applicants"),
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    staff = StaffChoiceField(
        label=_("Staff"),
        queryset=Application.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, applications: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = applications  # type: ignore[attr-defined]
        self.fields["staff"].queryset = staff  # type: ignore[attr-defined]
