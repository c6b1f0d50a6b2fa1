"""Forms of the partner pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tremplin.partners.models import PartnerKind, Partnership


class PartnerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or registration number"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Every kind")), *PartnerKind.choices]
    )
    partnership = forms.ChoiceField(
        label=_("Partnership"),
        required=False,
        choices=[("", _("Every partnership")), *Partnership.choices],
    )
