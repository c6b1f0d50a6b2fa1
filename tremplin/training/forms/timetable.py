"""The timetable's forms: a session, a weekly pattern, a room, a holiday. Times are typed at
the site's local time; the choices (modules, rooms, trainers, volunteers) are those of the
cohort's programme and site only."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tremplin.core.forms import DateInput, TimeInput
from tremplin.core.models import User
from tremplin.network.models import Organisation, Site
from tremplin.people.models import Person
from tremplin.training.models import Cohort, Module, Room, Session
from tremplin.training.selectors.timetable import (
    modules_of_cohort,
    rooms_of_site,
    trainers_of_site,
    volunteers_of_site,
)
from tremplin.training.services.patterns import PatternData
from tremplin.training.services.recurrence import pattern_end
from tremplin.training.services.timetable import SessionData

WEEKDAYS = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]
MAX_WEEKS = 104


class _PlaceAndPeople(forms.Form):
    """Module, room or video link, trainers and volunteers: the cohort's choices only."""

    module = forms.ModelChoiceField(
        queryset=Module.objects.none(), required=False, label=_("Module")
    )
    room = forms.ModelChoiceField(
        queryset=Room.objects.none(),
        required=False,
        label=_("Room"),
        empty_label=_("No room (online)"),
    )
    video_link = forms.URLField(
        required=False,
        label=_("Video link"),
        assume_scheme="https",
        help_text=_("For a session online, or a room with people joining online."),
    )
    trainers = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("Trainers"),
        widget=forms.CheckboxSelectMultiple,
    )
    volunteers = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=_("Volunteers"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Optional. Hold Ctrl (or Cmd) to choose several."),
    )

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site = cohort.run.site
        fields: dict[str, Any] = self.fields
        fields["module"].queryset = modules_of_cohort(cohort)
        fields["room"].queryset = rooms_of_site(site)
        fields["trainers"].queryset = trainers_of_site(site)
        fields["trainers"].label_from_instance = lambda u: u.display_name
        fields["volunteers"].queryset = volunteers_of_site(site)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("room") and not data.get("video_link") and not self.has_error("room"):
            self.add_error("room", _("Choose a room or give a video link."))
        return data


class SessionForm(_PlaceAndPeople):
    field_order = ["date", "starts_at", "ends_at", "title"]

    date = forms.DateField(label=_("Date"), widget=DateInput)
    starts_at = forms.TimeField(label=_("Start time"), widget=TimeInput)
    ends_at = forms.TimeField(label=_("End time"), widget=TimeInput)
    title = forms.CharField(
        required=False,
        max_length=200,
        label=_("Title"),
        help_text=_("Optional: the module's name is shown otherwise."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The session must end after it starts."))
        return data

    def session_data(self) -> SessionData:
        d = self.cleaned_data
        return SessionData(
            date=d["date"],
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            module=d["module"],
            room=d["room"],
            video_link=d["video_link"],
            trainers=list(d["trainers"]),
            volunteers=list(d["volunteers"]),
            title=d["title"],
        )


def session_initial(session: Session, zone: str) -> dict[str, Any]:
    tz = zoneinfo.ZoneInfo(zone)
    start, end = session.starts_at.astimezone(tz), session.ends_at.astimezone(tz)
    return {
        "date": start.date(),
        "starts_at": start.time().replace(second=0, microsecond=0),
        "ends_at": end.time().replace(second=0, microsecond=0),
        "title": session.title,
        "module": session.module_id,
        "room": session.room_id,
        "video_link": session.video_link,
        "trainers": [t.pk for t in session.trainers.all()],
        "volunteers": [p.pk for p in session.volunteers.all()],
    }


class PatternForm(_PlaceAndPeople):
    field_order = ["weekdays", "starts_at", "ends_at", "starts_on", "weeks", "ends_on"]

    weekdays = forms.MultipleChoiceField(
        choices=WEEKDAYS,
        label=_("Days of the week"),
        widget=forms.CheckboxSelectMultiple,
    )
    starts_at = forms.TimeField(label=_("Start time"), widget=TimeInput)
    ends_at = forms.TimeField(label=_("End time"), widget=TimeInput)
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    weeks = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_WEEKS,
        label=_("For how many weeks"),
        help_text=_("Give a number of weeks, or a last day."),
    )
    ends_on = forms.DateField(required=False, label=_("To"), widget=DateInput)
    skip_clashes = forms.BooleanField(
        required=False,
        label=_("Leave out the dates that clash, and generate the others"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The session must end after it starts."))
        first, weeks, last = data.get("starts_on"), data.get("weeks"), data.get("ends_on")
        if not self.has_error("weeks") and not self.has_error("ends_on"):
            if weeks and last:
                self.add_error("weeks", _("Give a number of weeks or a last day, not both."))
            elif not weeks and not last:
                self.add_error("weeks", _("Give a number of weeks, or a last day."))
            elif first and last and last < first:
                self.add_error("ends_on", _("The last day comes before the first day."))
            elif first and last and (last - first).days > MAX_WEEKS * 7:
                self.add_error("ends_on", _("A pattern runs for two years at most."))
        return data

    def pattern_data(self) -> PatternData:
        d = self.cleaned_data
        first: dt.date = d["starts_on"]
        last: dt.date = d["ends_on"] or pattern_end(starts_on=first, weeks=d["weeks"])
        return PatternData(
            weekdays=sorted(int(w) for w in d["weekdays"]),
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            starts_on=first,
            ends_on=last,
            module=d["module"],
            room=d["room"],
            video_link=d["video_link"],
            trainers=list(d["trainers"]),
            volunteers=list(d["volunteers"]),
        )


class RoomForm(forms.Form):
    site = forms.ModelChoiceField(queryset=Site.objects.none(), label=_("Site"))
    name = forms.CharField(max_length=120, label=_("Name"))
    capacity = forms.IntegerField(required=False, min_value=1, max_value=10000, label=_("Places"))

    def __init__(self, *args: Any, sites: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]


class HolidayForm(forms.Form):
    site = forms.ModelChoiceField(
        queryset=Site.objects.none(),
        required=False,
        label=_("Site"),
        empty_label=_("Every site of the organisation"),
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label=_("Organisation"),
        help_text=_("For a holiday at every site: the organisation."),
    )
    name = forms.CharField(max_length=120, label=_("Name"))
    starts_on = forms.DateField(label=_("First day"), widget=DateInput)
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput)

    def __init__(
        self,
        *args: Any,
        sites: QuerySet[Site],
        organisations: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites.select_related("organisation")  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        if not organisations.exists():
            del self.fields["organisation"]
            self.fields["site"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("starts_on"), data.get("ends_on")
        if first and last and last < first:
            self.add_error("ends_on", _("The last day comes before the first day."))
        if not data.get("site") and not data.get("organisation") and "organisation" in self.fields:
            self.add_error("organisation", _("Choose a site, or the organisation for every site."))
        return data


def week_param(data: Any, *, today: dt.date) -> dt.date:
    """The day a week page shows (``?week=2026-10-05``); today when missing or malformed."""
    text = str(data.get("week", ""))[:10]
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return today
