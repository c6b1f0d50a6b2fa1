"""Forms of a programme's placement test settings: when the test stops, when a result is
borderline, the level groups with the score where each starts; and a competence aimed at."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.core.levels import BAND_LABELS, band_label
from tremplin.placement import bank
from tremplin.placement.models import Competence, Framework, PlacementSetup, translated
from tremplin.placement.services.settings import MAX_GROUPS, groups_of

GROUP_ROWS = MAX_GROUPS
# The service's error keys → the form's fields (the level groups' are group_<n>_name and
# group_<n>_cut_off).
SETUP_FIELDS = {
    "se_target": "se_target",
    "max_items": "max_items",
    "borderline_below": "borderline",
}


def setup_field(key: str) -> str | None:
    """The field of ``SetupForm`` for a key of the service's errors (None: not a field)."""
    if key.startswith("group_"):
        number, _sep, part = key.removeprefix("group_").partition("_")
        return f"{'name' if part == 'name' else 'cut_off'}_{number}"
    return SETUP_FIELDS.get(key)


def _number_messages(field: str) -> dict[str, Any]:
    return {
        key: _("%(field)s: give a number.") % {"field": field}
        for key in ("invalid", "max_digits", "max_decimal_places", "max_whole_digits")
    } | {"required": _("%(field)s: this is needed.") % {"field": field}}


class SetupForm(forms.Form):
    se_target = forms.DecimalField(
        label=gettext_lazy("Stop when the standard error is below"),
        help_text=gettext_lazy(
            "From 0.1 to 1. The test stops once the result is this precise; 0.3 is usual. "
            "Smaller asks more questions."
        ),
        widget=forms.NumberInput(attrs={"step": "0.05", "inputmode": "decimal"}),
    )
    max_items = forms.IntegerField(
        label=gettext_lazy("At most this many questions"),
        help_text=gettext_lazy("From 5 to 60; 20 is usual."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    borderline = forms.IntegerField(
        label=gettext_lazy("Borderline when the level group is less sure than (%)"),
        help_text=gettext_lazy(
            "From 50 to 99 %; 80 is usual. A borderline result keeps asking (up to the most "
            "questions) and is marked for a trainer to review."
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("se_target", "max_items", "borderline"):
            field = self.fields[name]
            field.error_messages.update(_number_messages(str(field.label)))
        for n in range(1, GROUP_ROWS + 1):
            name_label = _("Level group %(n)s: name") % {"n": n}
            self.fields[f"name_{n}"] = forms.CharField(label=name_label, required=False)
            if n > 1:
                cut_label = _("Level group %(n)s: starts at the score") % {"n": n}
                self.fields[f"cut_off_{n}"] = forms.FloatField(
                    label=cut_label,
                    required=False,
                    widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
                )
                self.fields[f"cut_off_{n}"].error_messages.update(_number_messages(cut_label))

    def group_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "number": n,
                "name": self[f"name_{n}"],
                "cut_off": self[f"cut_off_{n}"] if n > 1 else None,
            }
            for n in range(1, GROUP_ROWS + 1)
        ]

    @staticmethod
    def initial_for(setup: PlacementSetup) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "se_target": setup.se_target,
            "max_items": setup.max_items,
            "borderline": round(Decimal(setup.borderline_below) * 100),
        }
        for n, group in enumerate(groups_of(setup), start=1):
            initial[f"name_{n}"] = band_label(group.name)
            if n > 1:
                initial[f"cut_off_{n}"] = group.cut_off
        return initial

    def groups(self) -> list[tuple[str, float | None]]:
        """The rows up to the last one filled in (a gap is reported by the service)."""
        data = self.cleaned_data
        rows = [
            (
                _band_key(data.get(f"name_{n}") or ""),
                data.get(f"cut_off_{n}") if n > 1 else None,
            )
            for n in range(1, GROUP_ROWS + 1)
        ]
        while rows and not rows[-1][0] and rows[-1][1] is None:
            rows.pop()
        return rows


def _band_key(name: str) -> str:
    """A default group's name, as typed in any language, back to its key ("beginner")."""
    typed = name.strip()
    for key, label in BAND_LABELS.items():
        if typed.casefold() in (key, str(label).casefold()):
            return key
    return typed


class TargetForm(forms.Form):
    module = forms.CharField(
        label=gettext_lazy("Module"),
        required=False,
        widget=forms.TextInput(attrs={"list": "module-names"}),
        help_text=gettext_lazy("Leave empty for the whole programme."),
    )
    competence = forms.TypedChoiceField(label=gettext_lazy("Competence"), coerce=int, choices=[])
    level = forms.TypedChoiceField(label=gettext_lazy("Level aimed at"), coerce=int, choices=[])

    def __init__(self, *args: Any, frameworks: list[Framework], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        competences = Competence.objects.filter(framework__in=frameworks).order_by("position")
        by_framework: dict[int, list[tuple[int, str]]] = {}
        for competence in competences:
            by_framework.setdefault(competence.framework_id, []).append(
                (competence.pk, f"{competence.code} {translated(competence.name)}")
            )
        self.fields["competence"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose a competence")),
            *((str(f), by_framework.get(f.pk, [])) for f in frameworks if by_framework.get(f.pk)),
        ]
        digcomp = next((f for f in frameworks if f.code == bank.DIGCOMP), None)
        names = {
            int(lv["number"]): translated(lv.get("name"))
            for lv in (digcomp.levels if digcomp else []) or []
        }
        self.fields["level"].choices = [  # type: ignore[attr-defined]
            (n, f"{n} — {names[n]}" if names.get(n) else str(n)) for n in range(1, 9)
        ]
        self.fields["competence"].error_messages["required"] = _("Competence: choose one.")
        self.fields["competence"].error_messages["invalid_choice"] = _("Competence: choose one.")
        self.fields["level"].error_messages["required"] = _("Level: choose a level from 1 to 8.")
        self.fields["level"].error_messages["invalid_choice"] = _(
            "Level: choose a level from 1 to 8."
        )
