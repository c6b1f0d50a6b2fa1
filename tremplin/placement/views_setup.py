"""The competency frameworks (shipped and the organisation's own: list, page, new, change,
import a file) and each programme's placement test settings and competences aimed at.

Reading is for who may read the organisation's bank; writing for who manages it (site managers,
network admins). Shipped frameworks are read-only; a framework or programme of another
organisation is not found (404)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, QuerySet
from django.forms import formset_factory
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tremplin.core.listing import paginate_sorted
from tremplin.core.permissions import acting_user, user_passes
from tremplin.core.uploads import upload_context, upload_keep, upload_take
from tremplin.network.models import Organisation
from tremplin.placement import bank, selectors
from tremplin.placement import setup_services as services
from tremplin.placement.forms import OrganisationFileForm
from tremplin.placement.models import (
    Area,
    Competence,
    CrosswalkLink,
    Framework,
    PlacementSetup,
    ProgrammeTarget,
    translated,
)
from tremplin.placement.services import setup_of
from tremplin.placement.views import BAND_LABELS, band_label

read_bank = user_passes(selectors.can_read_bank)
manage_bank = user_passes(selectors.can_manage_bank)

ROWS_ADDED = 5  # empty rows offered on the framework form, and added by "More rows"
GROUP_ROWS = services.MAX_GROUPS


def _message_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- Forms ------------------------------------------------------------------------------------


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
    max_bytes = services.MAX_FILE_BYTES
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


# --- Frameworks -------------------------------------------------------------------------------


@require_GET
@read_bank
def framework_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    frameworks = list(selectors.frameworks_listed(user=user))
    return render(
        request,
        "placement/framework_list.html",
        {
            "shipped": [f for f in frameworks if f.organisation_id is None],
            "own": [f for f in frameworks if f.organisation_id is not None],
            "can_manage": selectors.can_manage_bank(user),
            "several": len({f.organisation_id for f in frameworks if f.organisation_id}) > 1,
        },
    )


def _levels(framework: Framework) -> list[dict[str, Any]]:
    return [
        {
            "number": level.get("number"),
            "name": translated(level.get("name")),
            "description": translated(level.get("description")),
        }
        for level in framework.levels or []
        if isinstance(level, dict)
    ]


@require_GET
@read_bank
def framework_detail(request: HttpRequest, framework_id: int) -> HttpResponse:
    user = acting_user(request)
    framework = selectors.framework_get(user=user, framework_id=framework_id)
    areas = list(
        Area.objects.filter(framework=framework)
        .order_by("position")
        .prefetch_related(Prefetch("competences", queryset=Competence.objects.order_by("position")))
    )
    links_out: dict[int, list[CrosswalkLink]] = {}
    for link in (
        CrosswalkLink.objects.filter(source__framework=framework)
        .select_related("target__framework")
        .order_by("target__position")
    ):
        links_out.setdefault(link.source_id, []).append(link)
    links_in: dict[int, list[CrosswalkLink]] = {}
    visible = selectors.frameworks_visible(user=user).values("pk")
    for link in (
        CrosswalkLink.objects.filter(target__framework=framework, source__framework__in=visible)
        .select_related("source__framework")
        .order_by(
            "source__framework__organisation_id", "source__framework__code", "source__position"
        )
    ):
        links_in.setdefault(link.target_id, []).append(link)
    rows = [
        {
            "area": area,
            "name": translated(area.name),
            "competences": [
                {
                    "competence": competence,
                    "name": translated(competence.name),
                    "description": translated(competence.description),
                    "links_out": [
                        {
                            "pk": link.target_id,
                            "code": link.target.code,
                            "name": translated(link.target.name),
                            "framework": link.target.framework,
                            "note": translated(link.note),
                        }
                        for link in links_out.get(competence.pk, [])
                    ],
                    "links_in": [
                        {
                            "pk": link.source_id,
                            "code": link.source.code,
                            "name": translated(link.source.name),
                            "framework": link.source.framework,
                            "note": translated(link.note),
                        }
                        for link in links_in.get(competence.pk, [])
                    ],
                }
                for competence in area.competences.all()
            ],
        }
        for area in areas
    ]
    return render(
        request,
        "placement/framework_detail.html",
        {
            "framework": framework,
            "name": translated(framework.name),
            "publisher": translated(framework.publisher),
            "levels": _levels(framework),
            "areas": rows,
            "competence_count": sum(len(area.competences.all()) for area in areas),
            "maps_from": bool(links_in),
            "can_edit": selectors.framework_editable(user, framework),
        },
    )


def _rows_formset(
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
        try:
            total = int(data.get("rows-TOTAL_FORMS", "0"))
        except ValueError:
            total = 0
        data["rows-TOTAL_FORMS"] = str(min(total, services.MAX_ROWS) + ROWS_ADDED)
    return CompetenceRows(data, prefix="rows"), more


def _form_rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The area's name on its first row only (the form's rows may then change it once)."""
    named: set[str] = set()
    result = []
    for row in rows:
        if row["area_code"] in named:
            row = {**row, "area_name_fr": "", "area_name_en": ""}
        named.add(row["area_code"])
        result.append(row)
    return result


def _row_values(rows: Any) -> list[dict[str, Any]]:
    """Each posted row's cells (the form's fields are all optional text)."""
    return [
        {key: (form.cleaned_data.get(key) or "") for key in ROW_FIELDS}
        if form.is_valid()
        else {key: "" for key in ROW_FIELDS}
        for form in rows.forms
    ]


def _form_page(
    request: HttpRequest,
    *,
    form: FrameworkForm,
    rows: Any,
    framework: Framework | None,
    problems: list[str] | None = None,
) -> HttpResponse:
    return render(
        request,
        "placement/framework_form.html",
        {
            "form": form,
            "rows": rows,
            "framework": framework,
            "problems": problems or [],
            "row_labels": [str(CompetenceRowForm.base_fields[key].label) for key in ROW_FIELDS],
        },
    )


def _form_errors(form: FrameworkForm, error: ValidationError) -> list[str]:
    """Field errors onto the form; the others (rows, file) returned to list above it."""
    others: list[str] = []
    for field, messages_ in error.message_dict.items():
        if field in form.fields:
            for message in messages_:
                form.add_error(field, message)
        else:
            others.extend(messages_)
    return others


@require_http_methods(["GET", "POST"])
@manage_bank
def framework_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    organisations = selectors.organisations_for(user=user, roles=selectors.MANAGE_ROLES)
    rows, more = _rows_formset(request)
    if request.method != "POST":
        form = FrameworkForm(organisations=organisations)
        return _form_page(request, form=form, rows=rows, framework=None)
    form = FrameworkForm(request.POST, organisations=organisations)
    problems: list[str] = []
    if not more and form.is_valid() and rows.is_valid():
        organisation = form.cleaned_data.get("organisation") or organisations.first()
        if organisation is None:
            raise PermissionDenied
        try:
            framework = services.framework_create(
                actor=user,
                organisation=organisation,
                code=form.cleaned_data.get("code") or "",
                name=form.name(),
                maps_to_digcomp=bool(form.cleaned_data.get("maps_to_digcomp")),
                rows=_row_values(rows),
            )
        except ValidationError as error:
            problems = _form_errors(form, error)
        else:
            messages.success(request, _("The framework is saved."))
            return redirect("placement:framework-detail", framework_id=framework.pk)
    return _form_page(request, form=form, rows=rows, framework=None, problems=problems)


@require_http_methods(["GET", "POST"])
@manage_bank
def framework_edit(request: HttpRequest, framework_id: int) -> HttpResponse:
    user = acting_user(request)
    framework = selectors.framework_get_for_edit(user=user, framework_id=framework_id)
    rows, more = _rows_formset(request, initial=_form_rows(services.framework_rows(framework)))
    if request.method != "POST":
        form = FrameworkForm(
            new=False,
            initial={
                "name_fr": (framework.name or {}).get("fr", ""),
                "name_en": (framework.name or {}).get("en", ""),
                "maps_to_digcomp": framework.maps_to_id is not None,
            },
        )
        return _form_page(request, form=form, rows=rows, framework=framework)
    form = FrameworkForm(request.POST, new=False)
    problems: list[str] = []
    if not more and form.is_valid() and rows.is_valid():
        try:
            services.framework_update(
                actor=user,
                framework=framework,
                name=form.name(),
                maps_to_digcomp=bool(form.cleaned_data.get("maps_to_digcomp")),
                rows=_row_values(rows),
            )
        except ValidationError as error:
            problems = _form_errors(form, error)
        else:
            messages.success(request, _("The framework is saved."))
            return redirect("placement:framework-detail", framework_id=framework.pk)
    return _form_page(request, form=form, rows=rows, framework=framework, problems=problems)


# --- Import: the file checked is kept until it is applied --------------------------------------

UPLOAD_KIND = "placement_framework_import"


@require_http_methods(["GET", "POST"])
@manage_bank
def framework_import(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST "check": what the file would do, row by row, and "Apply" when no
    row is wrong. POST "apply": the file checked before, imported."""
    user = acting_user(request)
    organisations = selectors.organisations_for(user=user, roles=selectors.MANAGE_ROLES)
    form = FrameworkImportForm(organisations=organisations)
    plan: services.FrameworkPlan | None = None
    token = ""
    organisation: Organisation | None = None
    if request.method == "POST" and request.POST.get("action") == "apply":
        kept = upload_context(request, kind=UPLOAD_KIND)
        taken = upload_take(
            request, kind=UPLOAD_KIND, token=request.POST.get("token", ""), context=kept
        )
        organisation = (
            organisations.filter(pk=kept["organisation_id"]).first()
            if kept.get("organisation_id")
            else None
        )
        if taken is None or organisation is None:
            messages.error(request, _("The checked file is no longer here: choose it again."))
            return redirect("placement:framework-import")
        _file_name, content = taken
        plan = services.framework_import(
            actor=user,
            organisation=organisation,
            file_name=str(kept["file_name"]),
            content=content,
            code=str(kept["code"]),
            name=dict(kept["name"]),
            maps_to_digcomp=bool(kept["maps_to_digcomp"]),
            apply=True,
        )
        if plan.written and plan.framework is not None:
            messages.success(
                request,
                _(
                    "Imported: %(created)d new competences, %(updated)d changed, "
                    "%(unchanged)d unchanged, %(removed)d removed."
                )
                % {
                    "created": plan.created,
                    "updated": plan.updated,
                    "unchanged": plan.unchanged,
                    "removed": len(plan.removed),
                },
            )
            return redirect("placement:framework-detail", framework_id=plan.framework.pk)
    elif request.method == "POST":
        form = FrameworkImportForm(request.POST, request.FILES, organisations=organisations)
        if form.is_valid():
            organisation = form.cleaned_data.get("organisation") or organisations.first()
            if organisation is None:
                raise PermissionDenied
            upload = form.cleaned_data["file"]
            content = upload.read()
            details: dict[str, Any] = {
                "organisation_id": organisation.pk,
                "file_name": upload.name or "",
                "code": form.cleaned_data.get("code") or "",
                "name": {
                    "fr": form.cleaned_data.get("name_fr") or "",
                    "en": form.cleaned_data.get("name_en") or "",
                },
                "maps_to_digcomp": bool(form.cleaned_data.get("maps_to_digcomp")),
            }
            plan = services.framework_import(
                actor=user,
                organisation=organisation,
                file_name=details["file_name"],
                content=content,
                code=details["code"],
                name=details["name"],
                maps_to_digcomp=details["maps_to_digcomp"],
                apply=False,
            )
            if not plan.has_problems:
                token = upload_keep(
                    request,
                    kind=UPLOAD_KIND,
                    content=content,
                    file_name=details["file_name"],
                    context=details,
                )
    return render(
        request,
        "placement/framework_import.html",
        {
            "form": form,
            "plan": plan,
            "token": token,
            "organisation": organisation,
            "required_columns": services.CSV_REQUIRED,
            "optional_columns": services.CSV_OPTIONAL,
        },
    )


# --- Programmes: settings and competences aimed at ---------------------------------------------


def _groups_words(setup: PlacementSetup) -> list[dict[str, Any]]:
    return [
        {"name": band_label(group.name), "cut_off": group.cut_off, "theta": group.theta}
        for group in services.groups_of(setup)
    ]


@require_GET
@read_bank
def setup_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    programmes = (
        selectors.bank_programmes_visible(user=user)
        .select_related("placement_setup")
        .annotate(target_count=Count("competence_targets"))
    )
    listing = paginate_sorted(
        request,
        programmes,
        sorts={"title": ("title",), "organisation": ("organisation__name", "title")},
        default="organisation",
    )
    rows = []
    for programme in listing.page.object_list:
        setup = getattr(programme, "placement_setup", None) or PlacementSetup(programme=programme)
        rows.append(
            {
                "programme": programme,
                "setup": setup,
                "custom": setup.pk is not None,
                "groups": _groups_words(setup),
                "borderline": round(setup.borderline_below * 100),
                "targets": programme.target_count,
                "can_manage": selectors.may_in(
                    user, programme.organisation_id, selectors.MANAGE_ROLES
                ),
            }
        )
    return render(
        request,
        "placement/setup_list.html",
        {
            "listing": listing,
            "rows": rows,
            "several": selectors.organisations_for(user=user).count() > 1,
        },
    )


def _setup_initial(setup: PlacementSetup) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "se_target": setup.se_target,
        "max_items": setup.max_items,
        "borderline": round(Decimal(setup.borderline_below) * 100),
    }
    for n, group in enumerate(services.groups_of(setup), start=1):
        initial[f"name_{n}"] = band_label(group.name)
        if n > 1:
            initial[f"cut_off_{n}"] = group.cut_off
    return initial


SETUP_FIELDS = {
    "se_target": "se_target",
    "max_items": "max_items",
    "borderline_below": "borderline",
}


@require_http_methods(["GET", "POST"])
@manage_bank
def setup_edit(request: HttpRequest, programme_id: int) -> HttpResponse:
    user = acting_user(request)
    programme = selectors.bank_programme_get(user=user, programme_id=programme_id, manage=True)
    setup = setup_of(programme)
    if request.method == "POST":
        form = SetupForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.setup_update(
                    actor=user,
                    programme=programme,
                    se_target=data["se_target"],
                    max_items=data["max_items"],
                    borderline_below=Decimal(data["borderline"]) / 100,
                    groups=form.groups(),
                )
            except ValidationError as error:
                for key, messages_ in error.message_dict.items():
                    field = SETUP_FIELDS.get(key)
                    if key.startswith("group_"):
                        number, _sep, part = key.removeprefix("group_").partition("_")
                        field = f"{'name' if part == 'name' else 'cut_off'}_{number}"
                    if field not in form.fields:
                        field = None
                    for message in messages_:
                        form.add_error(field, message)
            else:
                messages.success(request, _("The test settings are saved."))
                return redirect("placement:setup-list")
    else:
        form = SetupForm(initial=_setup_initial(setup))
    return render(
        request,
        "placement/setup_edit.html",
        {
            "programme": programme,
            "form": form,
            "groups": _groups_words(setup),
            "target_count": ProgrammeTarget.objects.filter(programme=programme).count(),
        },
    )


@require_http_methods(["GET", "POST"])
@manage_bank
def target_edit(request: HttpRequest, programme_id: int) -> HttpResponse:
    user = acting_user(request)
    programme = selectors.bank_programme_get(user=user, programme_id=programme_id, manage=True)
    frameworks = list(services.target_frameworks(programme))
    form = TargetForm(frameworks=frameworks)
    if request.method == "POST" and request.POST.get("action") == "remove":
        target = get_object_or_404(
            ProgrammeTarget.objects.select_related("programme", "competence__framework"),
            pk=request.POST.get("target") if str(request.POST.get("target", "")).isdigit() else 0,
            programme=programme,
        )
        services.target_remove(actor=user, target=target)
        messages.success(request, _("The competence is no longer aimed at."))
        return redirect("placement:target-edit", programme_id=programme.pk)
    if request.method == "POST":
        form = TargetForm(request.POST, frameworks=frameworks)
        if form.is_valid():
            competence = (
                Competence.objects.select_related("framework")
                .filter(pk=form.cleaned_data["competence"], framework__in=frameworks)
                .first()
            )
            if competence is None:
                form.add_error("competence", _("Competence: choose one."))
            else:
                try:
                    services.target_set(
                        actor=user,
                        programme=programme,
                        competence=competence,
                        level=form.cleaned_data["level"],
                        module=form.cleaned_data.get("module") or "",
                    )
                except ValidationError as error:
                    for key, messages_ in error.message_dict.items():
                        for message in messages_:
                            form.add_error(key if key in form.fields else None, message)
                else:
                    messages.success(request, _("The competence aimed at is saved."))
                    return redirect("placement:target-edit", programme_id=programme.pk)
    targets = list(services.targets_of(programme))
    modules: dict[str, list[dict[str, Any]]] = {}
    for target in targets:
        modules.setdefault(target.module, []).append(
            {
                "target": target,
                "name": translated(target.competence.name),
                "framework": target.competence.framework,
            }
        )
    return render(
        request,
        "placement/setup_targets.html",
        {
            "programme": programme,
            "form": form,
            "modules": [{"name": name, "targets": rows} for name, rows in modules.items()],
            "module_names": [name for name in modules if name],
        },
    )
