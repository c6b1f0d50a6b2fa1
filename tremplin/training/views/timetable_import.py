"""Importing a cohort's timetable from a file, through the shared import flow
(``core.imports``): check first (nothing written, every problem by row and column), then
confirm; all or nothing."""

from __future__ import annotations

import csv

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from tremplin.core.imports import import_page
from tremplin.core.models import User
from tremplin.core.permissions import acting_user, user_passes
from tremplin.selection.files.rows import ImportReport
from tremplin.selection.forms import ImportFileForm
from tremplin.training.models import Cohort
from tremplin.training.selectors import timetable as selectors
from tremplin.training.selectors.access import can_manage_cohort, can_manage_training
from tremplin.training.services.timetable_import import TIMETABLE_COLUMNS, timetable_import

UPLOAD_KIND = "training_timetable_import"
PROBLEMS_SHOWN = 1000


def _cohort_to_manage(request: HttpRequest, cohort_id: int) -> tuple[User, Cohort]:
    user = acting_user(request)
    cohort = selectors.cohort_get(user=user, cohort_id=cohort_id)
    if not can_manage_cohort(user, cohort):
        raise PermissionDenied
    return user, cohort


@require_http_methods(["GET", "POST"])
@user_passes(can_manage_training)
def timetable_import_view(request: HttpRequest, cohort_id: int) -> HttpResponse:
    user, cohort = _cohort_to_manage(request, cohort_id)

    def run(file_name: str, content: bytes, dry_run: bool) -> ImportReport:
        return timetable_import(
            actor=user, cohort=cohort, file_name=file_name, content=content, dry_run=dry_run
        )

    def check(
        form: forms.Form, file_name: str, content: bytes
    ) -> tuple[ImportReport, dict[str, int] | None]:
        report = run(file_name, content, True)
        return report, None if report.problems or not report.created else {"cohort": cohort.pk}

    def done(report: ImportReport) -> HttpResponse | None:
        if not report.written:
            return None
        messages.success(
            request,
            ngettext("%(count)d session imported.", "%(count)d sessions imported.", report.created)
            % {"count": report.created},
        )
        return redirect(reverse("training:week-cohort", kwargs={"cohort_id": cohort.pk}))

    def page(form: forms.Form, report: ImportReport | None, token: str) -> HttpResponse:
        problems = report.problems if report else []
        return render(
            request,
            "training/timetable_import.html",
            {
                "cohort": cohort,
                "form": form,
                "report": report,
                "token": token,
                "columns": TIMETABLE_COLUMNS,
                "problems": problems[:PROBLEMS_SHOWN],
                "problems_hidden": max(0, len(problems) - PROBLEMS_SHOWN),
            },
        )

    return import_page(
        request,
        kind=UPLOAD_KIND,
        form_class=ImportFileForm,
        check=check,
        apply=lambda file_name, content, _kept: run(file_name, content, False),
        done=done,
        page=page,
        context={"cohort": cohort.pk},
        confirm="import",
    )


@require_GET
@user_passes(can_manage_training)
def timetable_import_template(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """An empty file with the import's columns, to fill in a spreadsheet."""
    _cohort_to_manage(request, cohort_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="timetable-template.csv"'
    response.write("\ufeff")  # so that Excel reads UTF-8
    csv.writer(response).writerow([c.key for c in TIMETABLE_COLUMNS])
    return response
