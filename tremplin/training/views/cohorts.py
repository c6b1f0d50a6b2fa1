"""The cohort pages: the list, a cohort's form, its page, and learners joining it (from the
call's accepted applicants in one step, or one person directly for open entry)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tremplin.core import params
from tremplin.core.forms import validation_error_to_form, validation_error_to_messages
from tremplin.core.listing import paginate_sorted
from tremplin.core.permissions import acting_user, user_passes
from tremplin.network.models import Role, Site
from tremplin.network.selectors import programmes_visible, sites_visible
from tremplin.people import selectors as people_selectors
from tremplin.people.forms import PersonCreateForm
from tremplin.people.services import PersonDetails
from tremplin.selection.models import Call
from tremplin.training.forms.cohorts import (
    CohortFilterForm,
    CohortForm,
    EnrolPersonForm,
    GraduateForm,
    PersonSearchForm,
)
from tremplin.training.models import Cohort
from tremplin.training.selectors import cohorts as selectors
from tremplin.training.selectors import rates as rate_selectors
from tremplin.training.selectors import surveys as survey_selectors
from tremplin.training.selectors.access import (
    can_manage_cohort,
    can_manage_training,
    can_use_training,
    sees_cohort_site_wide,
    teaches,
)
from tremplin.training.selectors.enrolment_plan import enrolment_plan
from tremplin.training.services import cohorts as services
from tremplin.training.services import enrolments as enrolment_services

COHORT_SORTS = {
    "start": ("starts_on", "title"),
    "title": ("title",),
    "site": ("run__site__name", "starts_on"),
    "learners": ("in_training",),
}
PEOPLE_SHOWN = 20


@user_passes(can_use_training)
def cohort_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    filters = CohortFilterForm(
        request.GET or None,
        sites=sites_visible(user=user).order_by("name"),
        programmes=programmes_visible(user=user).order_by("title"),
    )
    chosen: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    cohorts = selectors.cohorts_listed(
        user=user,
        site_id=chosen["site"].pk if chosen.get("site") else None,
        programme_id=chosen["programme"].pk if chosen.get("programme") else None,
        state=chosen.get("state", ""),
    )
    listing = paginate_sorted(request, cohorts, sorts=COHORT_SORTS, default="-start")
    return render(
        request,
        "training/cohort_list.html",
        {
            "listing": listing,
            "filters": filters,
            "can_create": can_manage_training(user),
            "hub": {
                "can_manage": can_manage_training(user),
                "can_see_surveys": survey_selectors.can_see_results(user),
            },
        },
    )


def _cohort_form(
    request: HttpRequest, user: Any, *, cohort: Cohort | None
) -> tuple[CohortForm, Any]:
    runs = selectors.runs_for_cohorts(user=user)
    run_id = params.id_param(request.POST, "run") or params.id_param(request.GET, "run")
    run = runs.filter(pk=run_id).first() if run_id else (cohort.run if cohort else None)
    if run is None and runs.count() == 1:
        run = runs.first()
    if run is not None:
        calls = Call.objects.filter(run=run).order_by("-opens_on")
        levels = [str(level) for level in run.programme.levels or []]
        trainers = selectors.trainers_at(site=run.site)
        coaches = selectors.coaches_at(site=run.site)
    else:
        calls = Call.objects.filter(run__in=runs).order_by("-opens_on")
        levels = sorted({str(level) for r in runs for level in r.programme.levels or []})
        sites = Site.objects.filter(runs__in=runs).distinct()
        trainers = selectors.staff_at_sites(sites=sites, role=Role.TRAINER)
        coaches = selectors.staff_at_sites(sites=sites, role=Role.JOB_COACH)
    initial: dict[str, Any] = CohortForm.initial_of(cohort) if cohort else {}
    if run is not None and cohort is None:
        initial.update(run=run.pk, starts_on=run.starts_on, ends_on=run.ends_on, seats=run.seats)
    form = CohortForm(
        request.POST or None,
        initial=initial,
        runs=runs,
        calls=calls,
        levels=levels,
        trainers=trainers,
        coaches=coaches,
    )
    return form, run


def _details(data: dict[str, Any]) -> services.CohortDetails:
    return services.CohortDetails(
        run=data["run"],
        call=data.get("call"),
        title=data["title"],
        level=data.get("level") or "",
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        seats=data["seats"],
        open_entry=bool(data.get("open_entry")),
        trainers=list(data.get("trainers") or []),
        coach=data.get("coach"),
    )


@user_passes(can_manage_training)
def cohort_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form, run = _cohort_form(request, user, cohort=None)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_create(actor=user, details=_details(form.cleaned_data))
        except ValidationError as error:
            validation_error_to_form(form, error)
        else:
            messages.success(request, _("The cohort %(title)s is created.") % {"title": cohort})
            return redirect("training:cohort-detail", cohort_id=cohort.pk)
    return render(request, "training/cohort_form.html", {"form": form, "run": run})


@user_passes(can_use_training)
def cohort_edit(request: HttpRequest, cohort_id: int) -> HttpResponse:
    user = acting_user(request)
    cohort = selectors.cohort_get(user=user, cohort_id=cohort_id)
    if not can_manage_cohort(user, cohort):
        raise PermissionDenied
    form, run = _cohort_form(request, user, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_update(actor=user, cohort=cohort, details=_details(form.cleaned_data))
        except ValidationError as error:
            validation_error_to_form(form, error)
        else:
            messages.success(request, _("The cohort is saved."))
            return redirect("training:cohort-detail", cohort_id=cohort.pk)
    return render(
        request, "training/cohort_form.html", {"form": form, "run": run, "cohort": cohort}
    )


@user_passes(can_use_training)
def cohort_detail(request: HttpRequest, cohort_id: int) -> HttpResponse:
    user = acting_user(request)
    cohort = selectors.cohort_get(user=user, cohort_id=cohort_id)
    manages = can_manage_cohort(user, cohort)
    return render(
        request,
        "training/cohort_detail.html",
        {
            "cohort": cohort,
            "enrolments": list(selectors.cohort_enrolments(cohort=cohort)),
            "counts": selectors.cohort_counts(cohort=cohort),
            "trainers": list(cohort.trainers.order_by("first_name", "last_name")),
            "manages": manages,
            "site_wide": sees_cohort_site_wide(user, cohort),
            "teaches": teaches(user, cohort),
            "rates": rate_selectors.cohort_rates(cohort=cohort),
            "graduate_form": GraduateForm(initial={"on": cohort.ends_on}),
            "is_over": selectors.cohort_is_over(cohort),
        },
    )


@user_passes(can_manage_training)
def cohort_enrol_selected(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """GET: who would join, where, and who is left out (nothing written). POST: enrol them."""
    user = acting_user(request)
    cohort = selectors.cohort_get(user=user, cohort_id=cohort_id)
    if not can_manage_cohort(user, cohort):
        raise PermissionDenied
    if cohort.call_id is None:
        raise Http404
    if request.method == "POST":
        expected = params.id_list_param(request.POST, "application")
        try:
            plan = enrolment_services.cohort_enrol_selected(
                actor=user, cohort=cohort, expected=expected
            )
        except ValidationError as error:
            validation_error_to_messages(request, error)
            return redirect("training:cohort-enrol-selected", cohort_id=cohort.pk)
        count = len(plan.joining)
        messages.success(
            request,
            ngettext(
                "%(count)s learner joined the training.",
                "%(count)s learners joined the training.",
                count,
            )
            % {"count": count},
        )
        return redirect("training:cohort-detail", cohort_id=cohort.pk)
    return render(
        request,
        "training/cohort_enrol_selected.html",
        {"cohort": cohort, "plan": enrolment_plan(cohort=cohort)},
    )


def _enrol_person_page(
    request: HttpRequest, cohort: Cohort, *, person_form: PersonCreateForm, duplicates: Any = None
) -> HttpResponse:
    user = acting_user(request)
    search = PersonSearchForm(request.GET or None)
    people: list[Any] = []
    if search.is_valid():
        people = list(
            people_selectors.person_search(user=user, query=search.cleaned_data["q"])
            .filter(site__organisation_id=cohort.run.site.organisation_id)
            .order_by("legal_family_name", "legal_given_names")[:PEOPLE_SHOWN]
        )
    return render(
        request,
        "training/cohort_enrol_person.html",
        {
            "cohort": cohort,
            "search": search,
            "people": people,
            "more": len(people) == PEOPLE_SHOWN,
            "person_form": person_form,
            "duplicates": duplicates,
        },
    )


def _open_entry_cohort(request: HttpRequest, cohort_id: int) -> Cohort:
    user = acting_user(request)
    cohort = selectors.cohort_get(user=user, cohort_id=cohort_id)
    if not can_manage_cohort(user, cohort):
        raise PermissionDenied
    if not cohort.open_entry:
        raise Http404
    return cohort


@user_passes(can_manage_training)
def cohort_enrol_person(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """Open entry: find the person (people's search) and enrol them, or enter a new person
    through people's own service (the same duplicates rule as the people pages)."""
    user = acting_user(request)
    cohort = _open_entry_cohort(request, cohort_id)
    sites = Site.objects.filter(pk=cohort.run.site_id).select_related("organisation")
    person_form = PersonCreateForm(
        request.POST if request.POST.get("action") == "create" else None,
        sites=sites,
        phone_region=cohort.run.site.country.code,
        initial={"site": cohort.run.site_id},
    )
    if request.method != "POST":
        return _enrol_person_page(request, cohort, person_form=person_form)
    if request.POST.get("action") == "create":
        return _enrol_new_person(request, cohort, person_form)
    chosen = EnrolPersonForm(request.POST)
    if not chosen.is_valid():
        raise Http404
    person = (
        people_selectors.people_visible(user=user)
        .filter(
            pk=chosen.cleaned_data["person"],
            site__organisation_id=cohort.run.site.organisation_id,
        )
        .first()
    )
    if person is None:
        raise Http404
    return _enrol_and_go(request, cohort, person)


def _enrol_and_go(request: HttpRequest, cohort: Cohort, person: Any) -> HttpResponse:
    try:
        enrolment_services.cohort_enrol_person(
            actor=acting_user(request), cohort=cohort, person=person
        )
    except ValidationError as error:
        validation_error_to_messages(request, error)
        return redirect("training:cohort-enrol-person", cohort_id=cohort.pk)
    messages.success(
        request,
        _("%(name)s joined %(cohort)s.") % {"name": person.display_name, "cohort": cohort.title},
    )
    return redirect("training:cohort-detail", cohort_id=cohort.pk)


def _enrol_new_person(
    request: HttpRequest, cohort: Cohort, person_form: PersonCreateForm
) -> HttpResponse:
    user = acting_user(request)
    if not person_form.is_valid():
        return _enrol_person_page(request, cohort, person_form=person_form)
    data = person_form.cleaned_data
    duplicates = people_selectors.duplicates_find(
        user=user,
        organisation_id=cohort.run.site.organisation_id,
        legal_given_names=data["legal_given_names"],
        legal_family_name=data["legal_family_name"],
        birth_date=data.get("birth_date"),
        phone=str(data["phone"]) if data.get("phone") else "",
        email=data.get("email", ""),
    )
    if duplicates.found and not data.get("not_a_duplicate"):
        person_form.add_error(
            "not_a_duplicate",
            _(
                "This person may already have a record. Enrol them from the search, or "
                "confirm it is someone else."
            ),
        )
        return _enrol_person_page(request, cohort, person_form=person_form, duplicates=duplicates)
    try:
        enrolment = enrolment_services.cohort_enrol_new_person(
            actor=user,
            cohort=cohort,
            details=PersonDetails.from_data(data),
            consents=data.get("consents", []),
        )
    except ValidationError as error:
        validation_error_to_form(cast(forms.Form, person_form), error)
        return _enrol_person_page(request, cohort, person_form=person_form)
    messages.success(
        request,
        _("%(name)s joined %(cohort)s.")
        % {"name": enrolment.person.display_name, "cohort": cohort.title},
    )
    return redirect("training:cohort-detail", cohort_id=cohort.pk)
