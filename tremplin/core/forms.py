"""How every form renders (Bootstrap classes, inline errors tied to their field), and how a
form's errors or a service's ``ValidationError`` reach the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.safestring import SafeString


class TremplinBoundField(BoundField):
    def as_widget(
        self,
        widget: forms.Widget | None = None,
        attrs: dict[str, Any] | None = None,
        only_initial: bool = False,
    ) -> SafeString:
        widget = widget or self.field.widget
        attrs = dict(attrs or {})
        input_type = getattr(widget, "input_type", "")
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            css = ""
        elif input_type in {"checkbox", "radio"}:
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        classes = [widget.attrs.get("class", ""), attrs.get("class", ""), css]
        if self.errors:
            classes.append("is-invalid")
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"{self.auto_id}_error"
        attrs["class"] = " ".join(c for c in classes if c)
        return super().as_widget(widget, attrs, only_initial)


class TremplinFormRenderer(DjangoTemplates):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = TremplinBoundField


def form_errors_to_messages(request: HttpRequest, form: forms.Form) -> None:
    """For forms posted from a page that redirects back: each error becomes a message
    naming its field."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = " ".join(str(e) for e in errors)
        messages.error(request, f"{label}: {text}" if label else text)


def validation_error_to_messages(request: HttpRequest, error: ValidationError) -> None:
    """For a service refusing a change from a page that redirects back: each message of the
    error becomes an error message of its own, in order."""
    for message in error.messages:
        messages.error(request, message)


def validation_error_by_field(error: ValidationError) -> dict[str, list[str]]:
    """The messages of an error by the field they are about; those about no field under
    ``NON_FIELD_ERRORS`` ("__all__")."""
    if hasattr(error, "error_dict"):
        return dict(error.message_dict)
    return {NON_FIELD_ERRORS: list(error.messages)}


def validation_error_to_form(
    form: forms.Form,
    error: ValidationError,
    *,
    field_of: Callable[[str], str | None] | None = None,
    others_on_form: bool = True,
) -> list[str]:
    """Each message of a service's error on the field of the form it is about, shown inline.

    ``field_of`` names the form field for a key of the error (a service's ``se_target`` may be
    the form's ``se``); by default the key itself. A message whose key is no field of the form
    is one of the others: they are the form's non-field errors (shown above it), or, with
    ``others_on_form=False``, left to the caller to show. Returns the others, in order."""
    others: list[str] = []
    for key, messages_ in validation_error_by_field(error).items():
        name = field_of(key) if field_of is not None else key
        if name is not None and name in form.fields:
            for message in messages_:
                form.add_error(name, message)
            continue
        others.extend(messages_)
        if others_on_form:
            for message in messages_:
                form.add_error(None, message)
    return others
