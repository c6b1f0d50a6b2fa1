"""Importing a cohort's attendance from a file, through the shared import flow
(core.imports): checked first, nothing written until the whole file is correct and the user
confirms."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tremplin.core.imports import import_page
from tremplin.core.permissions import acting_user, user_passes
from tremplin.selection.files.rows import ImportReport
from tremplin.selection.forms import ImportFileForm
from tremplin.training.selectors.access import can_use_training
from tremplin.training.selectors.attendance import cohort_for_rollcall
from tremplin.training.services.attendance_import import ATTENDANCE_COLUMNS, attendance_import

UPLOAD_KIND = "training_attendance_import"
PROBLEMS_SHOWN = 1000


@require_http_methods(["GET", "POST"])
@user_passes(can_use_training)
def cohort_attendance_import(request: HttpRequest, cohort_id: int) -> HttpResponse:
    user = acting_user(request)
    cohort = cohort_for_rollcall(user=user, cohort_id=cohort_id)
    context = {"cohort": cohort.pk}

    def run(file_name: str, content: bytes, dry_run: bool) -> ImportReport:
        return attendance_import(
            actor=user, cohort=cohort, file_name=file_name, content=content, dry_run=dry_run
        )

    def check(
        form: forms.Form, file_name: str, content: bytes
    ) -> tuple[ImportReport, dict[str, int] | None]:
        report = run(file_name, content, True)
        return report, None if report.problems else context

    def done(report: ImportReport) -> HttpResponse | None:
        if not report.written:
            return None
        messages.success(
            request,
            _(
                "Attendance imported. New marks: %(created)d; changed: %(updated)d; "
                "unchanged: %(same)d."
            )
            % {
                "created": report.created,
                "updated": report.updated,
                "same": report.already_imported,
            },
        )
        return redirect("training:cohort-rollcall", cohort_id=cohort.pk)

    def page(form: forms.Form, report: ImportReport | None, token: str) -> HttpResponse:
        problems = report.problems if report else []
        return render(
            request,
            "training/attendance_import.html",
            {
                "cohort": cohort,
                "form": form,
                "report": report,
                "token": token,
                "problems": problems[:PROBLEMS_SHOWN],
                "problems_hidden": max(0, len(problems) - PROBLEMS_SHOWN),
                "columns": ATTENDANCE_COLUMNS,
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
        context=context,
        confirm="import",
    )
