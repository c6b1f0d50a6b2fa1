from __future__ import annotations

from django import forms
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from tremplin.messaging.models import Message


class MessageFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *Message.Status.choices],
    )


class RetryForm(forms.Form):
    """Where to go back after sending again: a page of this site, else the message list."""

    next = forms.CharField(required=False, max_length=2000)

    def next_url(self, *, host: str) -> str:
        url = self.cleaned_data.get("next") or "" if self.is_valid() else ""
        if url and url_has_allowed_host_and_scheme(url, allowed_hosts={host}):
            return url
        return ""
