"""External certification sessions and their results grid."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tremplin.core import params
from tremplin.core.forms import validation_error_to_form
from tremplin.core.listing import paginate_sorted
from tremplin.core.permissions import acting_user, user_passes
from tremplin.network.selectors import sites_managed
from tremplin.training.forms.certification import CertificationSessionForm, ResultsGridForm
from tremplin.training.selectors import certificates as selectors
from tremplin.training.selectors.access import (
    can_manage_training_at,
    can_use_training,
    cohorts_visible,
)
from tremplin.training.services import certification as services


@user_passes(can_use_training)
def certification_sessions(request: HttpRequest) -> HttpResponse:
    """Sessions of the cohorts the user sees; ``?cohort=`` or ``?site=`` narrows them."""
    user = acting_user(request)
    cohort = site = None
    cohort_id = params.id_param(request.GET, "cohort")
    if cohort_id is not None:
        cohort = selectors.cohort_get(user=user, cohort_id=cohort_id)
    site_id = params.id_param(request.GET, "site")
    if site_id is not None:
        site = next(
            (c.run.site for c in cohorts_visible(user=user).filter(run__site_id=site_id)[:1]),
            None,
        )
        if site is None:
            raise Http404
    listing = paginate_sorted(
        request,
        selectors.certification_sessions_visible(user=user, cohort=cohort, site=site),
        sorts={"date": ("held_on",), "site": ("site__name", "held_on")},
        default="-date",
    )
    return render(
        request,
        "training/certification_sessions.html",
        {
            "listing": listing,
            "cohort": cohort,
            "site": site,
            "can_create": sites_managed(user=user).exists(),
            "cohorts": cohorts_visible(user=user).order_by("-starts_on", "title")[:200],
        },
    )


@user_passes(can_use_training)
def certification_session_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    sites = sites_managed(user=user)
    if not sites.exists():
        raise PermissionDenied
    cohorts = cohorts_visible(user=user).filter(run__site__in=sites).order_by("title")
    initial = {}
    cohort_id = params.id_param(request.GET, "cohort")
    chosen = cohorts.filter(pk=cohort_id).first() if cohort_id else None
    if chosen is not None:
        initial = {"site": chosen.run.site, "cohorts": [chosen]}
    form = CertificationSessionForm(
        request.POST or None, sites=sites, cohorts=cohorts, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.certification_session_save(
                actor=user,
                site=form.cleaned_data["site"],
                cohorts=list(form.cleaned_data["cohorts"]),
                data=form.session_data(),
            )
        except ValidationError as exc:
            validation_error_to_form(form, exc)
        else:
            messages.success(request, _("The certification session is saved."))
            return redirect("training:certification-results", session_id=session.pk)
    return render(request, "training/certification_session_form.html", {"form": form})


@user_passes(can_use_training)
def certification_session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    user = acting_user(request)
    session = selectors.certification_session_get(user=user, session_id=session_id)
    if not can_manage_training_at(user, session.site):
        raise PermissionDenied
    sites = sites_managed(user=user).filter(pk=session.site_id)
    cohorts = cohorts_visible(user=user).filter(run__site=session.site).order_by("title")
    initial = {
        "site": session.site,
        "cohorts": list(session.cohorts.all()),
        "kind": session.kind,
        "name": session.name,
        "awarding_body": session.awarding_body,
        "held_on": session.held_on,
        "reference": session.reference,
        "framework": session.framework,
        "max_score": session.max_score,
        "pass_level": session.pass_level,
    }
    form = CertificationSessionForm(
        request.POST if request.method == "POST" else None,
        sites=sites,
        cohorts=cohorts,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.certification_session_save(
                actor=user,
                site=session.site,
                cohorts=list(form.cleaned_data["cohorts"]),
                data=form.session_data(),
                session=session,
            )
        except ValidationError as exc:
            validation_error_to_form(form, exc)
        else:
            messages.success(request, _("The certification session is saved."))
            return redirect("training:certification-results", session_id=session.pk)
    return render(
        request, "training/certification_session_form.html", {"form": form, "session": session}
    )


@user_passes(can_use_training)
def certification_results(request: HttpRequest, session_id: int) -> HttpResponse:
    """The session's learners in one grid: result, score, level, certificate number."""
    user = acting_user(request)
    session = selectors.certification_session_get(user=user, session_id=session_id)
    can_record = can_manage_training_at(user, session.site)
    if request.method == "POST" and not can_record:
        raise PermissionDenied
    grid = selectors.certification_grid(user=user, session=session)
    levels = 0
    if session.framework is not None:
        levels = len(session.framework.levels or []) or 8
    form = ResultsGridForm(
        request.POST if request.method == "POST" else None,
        grid=grid,
        has_score=session.max_score is not None,
        levels=levels,
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.certification_results_record(
                actor=user, session=session, rows=form.rows()
            )
        except ValidationError as exc:
            problems = list(exc.messages)
        else:
            messages.success(
                request,
                ngettext("%(count)d result recorded.", "%(count)d results recorded.", changed)
                % {"count": changed},
            )
            return redirect("training:certification-results", session_id=session.pk)
    return render(
        request,
        "training/certification_results.html",
        {
            "session": session,
            "form": form,
            "lines": form.lines(),
            "problems": problems,
            "can_record": can_record,
        },
    )
