"""Forms of the placement test's pages: the test-taker's answer and language, and the person and
programme a member of staff starts a test for."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from tremplin.network.models import Programme
from tremplin.people.models import Person


class AnswerForm(forms.Form):
    """The answer to the question on screen: the question's id and the choice's index (the
    service ignores an answer to any other question)."""

    item = forms.IntegerField(min_value=0, max_value=10**18)
    choice = forms.IntegerField(min_value=0, max_value=1000)


class LanguageForm(forms.Form):
    """The interface language and "read aloud" (the service checks the language)."""

    language = forms.CharField(required=False, strip=False)
    read_aloud = forms.BooleanField(required=False)


class AttemptStartForm(forms.Form):
    """A person and a programme among those the user may see, and the test's language (the
    service keeps it only when it is one of the languages offered)."""

    person = forms.ModelChoiceField(queryset=Person.objects.none())
    programme = forms.ModelChoiceField(queryset=Programme.objects.none())
    language = forms.CharField(required=False, strip=False)

    def __init__(
        self,
        *args: Any,
        people: QuerySet[Person],
        programmes: QuerySet[Programme],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
