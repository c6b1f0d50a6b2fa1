"""Date, time and date-time pickers show and accept ISO values in every language, whether a
form names the shared widgets or leaves Django's defaults."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.utils import translation

from tremplin.core.forms import DateInput, DateTimeInput, TimeInput

LANGUAGES = ["fr", "en", "ar"]


class Shared(forms.Form):
    day = forms.DateField(widget=DateInput())
    hour = forms.TimeField(widget=TimeInput())
    moment = forms.DateTimeField(widget=DateTimeInput())


class DjangoDefaults(forms.Form):
    """What a ModelForm gives a date field, or an older form wrote by hand."""

    day = forms.DateField()
    picked = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    hour = forms.TimeField()
    moment = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


INITIAL = {
    "day": dt.date(2026, 12, 2),
    "picked": dt.date(2026, 12, 2),
    "hour": dt.time(14, 30),
    "moment": dt.datetime(2026, 12, 2, 14, 30, tzinfo=dt.UTC),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("form_class", [Shared, DjangoDefaults])
def test_pickers_are_given_iso_values(language: str, form_class: type[forms.Form]) -> None:
    with translation.override(language):
        form = form_class(initial=INITIAL)
        html = {name: str(form[name]) for name in form.fields}
    assert 'type="date"' in html["day"]
    assert 'value="2026-12-02"' in html["day"]
    assert 'type="time"' in html["hour"]
    assert 'value="14:30"' in html["hour"]
    assert 'type="datetime-local"' in html["moment"]
    assert 'value="2026-12-02T14:30"' in html["moment"]
    if "picked" in html:
        assert html["picked"].count('type="date"') == 1
        assert 'value="2026-12-02"' in html["picked"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_pickers_values_are_read_back_in_every_language(language: str) -> None:
    with translation.override(language):
        form = Shared(data={"day": "2026-12-02", "hour": "14:30", "moment": "2026-12-02T14:30"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2026, 12, 2)
    assert form.cleaned_data["hour"] == dt.time(14, 30)
    assert form.cleaned_data["moment"] == dt.datetime(2026, 12, 2, 14, 30, tzinfo=dt.UTC)
