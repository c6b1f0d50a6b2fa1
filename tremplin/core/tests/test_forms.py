"""A service's ValidationError reaches the page: as messages, or on the form's fields."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest
from django.test import RequestFactory

from tremplin.core.forms import (
    validation_error_by_field,
    validation_error_to_form,
    validation_error_to_messages,
)


class SetupForm(forms.Form):
    se = forms.DecimalField(required=False)
    name_1 = forms.CharField(required=False)


def _request() -> HttpRequest:
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _shown(request: HttpRequest) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(request)]


@pytest.mark.parametrize(
    "error",
    [
        ValidationError("This consent was already withdrawn."),
        ValidationError(["This consent was already withdrawn.", "Ask a manager."]),
        ValidationError(
            {"purpose": "This consent was already withdrawn.", "note": "Ask a manager."}
        ),
    ],
)
def test_each_message_of_an_error_becomes_a_message_on_the_page(error: ValidationError) -> None:
    request = _request()
    validation_error_to_messages(request, error)
    shown = _shown(request)
    assert shown[0] == ("error", "This consent was already withdrawn.")
    assert shown[1:] == ([] if len(error.messages) == 1 else [("error", "Ask a manager.")])


def test_an_error_is_read_by_field_whatever_its_form() -> None:
    assert validation_error_by_field(ValidationError("No.")) == {NON_FIELD_ERRORS: ["No."]}
    assert validation_error_by_field(ValidationError(["No.", "Never."])) == {
        NON_FIELD_ERRORS: ["No.", "Never."]
    }
    assert validation_error_by_field(ValidationError({"se": ["Too low."], "x": "Bad."})) == {
        "se": ["Too low."],
        "x": ["Bad."],
    }


def test_messages_go_on_their_field_and_the_others_above_the_form() -> None:
    form = SetupForm(data={"se": "0.3", "name_1": "A"})
    assert form.is_valid()
    others = validation_error_to_form(
        form,
        ValidationError(
            {"se": "Too low.", "rows": "Row 3 is wrong.", NON_FIELD_ERRORS: "Nothing saved."}
        ),
    )
    assert form.errors["se"] == ["Too low."]
    assert form.non_field_errors() == ["Row 3 is wrong.", "Nothing saved."]
    assert others == ["Row 3 is wrong.", "Nothing saved."]
    assert "se" not in form.cleaned_data


def test_a_plain_error_is_a_non_field_error() -> None:
    form = SetupForm(data={})
    assert form.is_valid()
    assert validation_error_to_form(form, ValidationError("Locked.")) == ["Locked."]
    assert form.non_field_errors() == ["Locked."]


def test_the_caller_may_keep_the_others_to_show_them_itself() -> None:
    form = SetupForm(data={})
    assert form.is_valid()
    others = validation_error_to_form(
        form,
        ValidationError({"se": "Too low.", "rows": ["Row 3.", "Row 4."]}),
        others_on_form=False,
    )
    assert others == ["Row 3.", "Row 4."]
    assert form.errors == {"se": ["Too low."]}


def test_the_keys_of_a_service_may_name_other_fields_of_the_form() -> None:
    form = SetupForm(data={})
    assert form.is_valid()
    names = {"se_target": "se", "group_1_name": "name_1"}
    others = validation_error_to_form(
        form,
        ValidationError(
            {"se_target": "Between 0.2 and 0.5.", "group_1_name": "Give a name.", "seed": "No."}
        ),
        field_of=names.get,
    )
    assert form.errors["se"] == ["Between 0.2 and 0.5."]
    assert form.errors["name_1"] == ["Give a name."]
    assert others == ["No."]
    assert form.non_field_errors() == ["No."]
