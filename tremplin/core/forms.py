"""How every form renders: Bootstrap classes, inline errors tied to their field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
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
