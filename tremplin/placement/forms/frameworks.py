"""Forms of the framework pages: a framework with its rows of area and competence (the columns
of the CSV file), and the file to import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms import formset_factory
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy

from tremplin.core import params
from tremplin.network.models import Organisation
from tremplin.placement.forms.imports import OrganisationFileForm
from tremplin.placement.services.framework_files import MAX_FILE_BYTES
from tremplin.placement.services.framework_plans import MAX_ROWS

ROWS_ADDED = 5  # empty rows offered on the framework form, and added by "More rows"


class FrameworkForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=gettext_lazy("Organisation")
    )
    code = forms.CharField(
        label=gettext_lazy("Code"),
        required=False,
        help_text=gettext_lazy(
            "Short, without spaces, for example fibre-installer. It cannot change later; "
            "importing a file with the same code updates this framework."
        ),
    )
    name_fr = forms.CharField(label=gettext_lazy("Name in French"), required=False)
    name_en = forms.CharField(label=gettext_lazy("Name in English"), required=False)
    maps_to_digcomp = forms.BooleanField(
        label=gettext_lazy("Its competences map to DigComp 2.2"),
        required=False,
        help_text=gettext_lazy(
            "Then give, on each row, the DigComp competences it covers, for example 1.1|1.2."
        ),
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation] | None = None,
        new: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if new and organisations is not None and organisations.count() > 1:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        else:
            del self.fields["organisation"]
        if not new:
            del self.fields["code"]
        for name in ("name_fr", "name_en"):
            self.fields[name].widget.attrs["lang"] = name[-2:]

    def name(self) -> dict[str, str]:
        return {
            "fr": self.cleaned_data.get("name_fr") or "",
            "en": self.cleaned_data.get("name_en") or "",
        }


class CompetenceRowForm(forms.Form):
    """One row of the framework form: the columns of the CSV file."""

    area_code = forms.CharField(label=gettext_lazy("Area code"), required=False)
    area_name_fr = forms.CharField(label=gettext_lazy("Area name in French"), required=False)
    area_name_en = forms.CharField(label=gettext_lazy("Area name in English"), required=False)
    competence_code = forms.CharField(label=gettext_lazy("Competence code"), required=False)
    competence_name_fr = forms.CharField(
        label=gettext_lazy("Competence name in French"), required=False
    )
    competence_name_en = forms.CharField(
        label=gettext_lazy("Competence name in English"), required=False
    )
    maps_to = forms.CharField(label=gettext_lazy("DigComp competences covered"), required=False)


CompetenceRows = formset_factory(CompetenceRowForm, extra=0)
ROW_FIELDS = list(CompetenceRowForm.base_fields)


class FrameworkImportForm(OrganisationFileForm):
    max_bytes = MAX_FILE_BYTES
    too_big = gettext_lazy("File: it is bigger than 1 MB.")

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=gettext_lazy("Framework of")
    )
    file = forms.FileField(
        label=gettext_lazy("File (CSV or JSON)"), help_text=gettext_lazy("At most 1 MB.")
    )
    code = forms.CharField(
        label=gettext_lazy("Code (CSV file only)"),
        required=False,
        help_text=gettext_lazy(
            "A JSON file holds its code and name. The same code as a framework of your "
            "organisation updates it."
        ),
    )
    name_fr = forms.CharField(label=gettext_lazy("Name in French (CSV file only)"), required=False)
    name_en = forms.CharField(label=gettext_lazy("Name in English (CSV file only)"), required=False)
    maps_to_digcomp = forms.BooleanField(
        label=gettext_lazy("Its competences map to DigComp 2.2 (CSV file only)"),
        required=False,
        help_text=gettext_lazy("A maps_to column with DigComp codes does the same."),
    )


def rows_formset(
    request: HttpRequest, *, initial: list[dict[str, str]] | None = None
) -> tuple[Any, bool]:
    """The rows of the framework form; with "More rows", the posted rows and empty ones."""
    if request.method != "POST":
        rows = CompetenceRows(
            prefix="rows",
            initial=[{key: row.get(key, "") for key in ROW_FIELDS} for row in initial or []]
            + [{} for _n in range(ROWS_ADDED)],
        )
        return rows, False
    more = request.POST.get("action") == "more"
    data: QueryDict = request.POST
    if more:
        data = request.POST.copy()
        total = params.int_param(data, "rows-TOTAL_FORMS", default=0, min_value=0)
        data["rows-TOTAL_FORMS"] = str(min(total, MAX_ROWS) + ROWS_ADDED)
    return CompetenceRows(data, prefix="rows"), more


def form_rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The area's name on its first row only (the form's rows may then change it once)."""
    named: set[str] = set()
    result = []
    for row in rows:
        if row["area_code"] in named:
            row = {**row, "area_name_fr": "", "area_name_en": ""}
        named.add(row["area_code"])
        result.append(row)
    return result


def row_values(rows: Any) -> list[dict[str, Any]]:
    """Each posted row's cells (the form's fields are all optional text)."""
    return [
        {key: (form.cleaned_data.get(key) or "") for key in ROW_FIELDS}
        if form.is_valid()
        else {key: "" for key in ROW_FIELDS}
        for form in rows.forms
    ]
