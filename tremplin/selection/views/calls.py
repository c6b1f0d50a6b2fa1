"""Staff pages for calls for applications: the list, opening a call, its page, its rules and
its seats."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.core import params
from tremplin.core.forms import validation_error_to_messages
from tremplin.core.listing import paginate_sorted
from tremplin.core.permissions import acting_user
from tremplin.selection import selectors
from tremplin.selection.forms import (
    CallCreateForm,
    CallEditForm,
    QuestionAnswerForm,
    StageAddForm,
)
from tremplin.selection.models import StageKind
from tremplin.selection.services import calls as call_services
from tremplin.selection.views.access import call_to_manage, run_selection

# Seats a call may offer at one site.
MAX_SEATS = 100_000


@run_selection
def call_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    listing = paginate_sorted(
        request,
        selectors.calls_listed(user=user),
        sorts={
            "opens": ("opens_on",),
            "title": ("title",),
            "site": ("site__name", "title"),
            "applied": ("applied",),
        },
        default="-opens",
    )
    return render(
        request,
        "selection/call_list.html",
        {"listing": listing, "can_create": selectors.runs_for_new_calls(user=user).exists()},
    )


@run_selection
def call_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    runs = selectors.runs_for_new_calls(user=user)
    if not runs.exists():
        raise PermissionDenied
    form = CallCreateForm(request.POST or None, runs=runs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            call = call_services.call_create(
                actor=user,
                run=data["run"],
                slug=data["slug"],
                title=data["title"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                process=data["process"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The call is created. Check its rules, then publish it."))
            return redirect("selection:call-detail", call_id=call.pk)
    return render(request, "selection/call_form.html", {"form": form, "creating": True})


@run_selection
def call_detail(request: HttpRequest, call_id: int) -> HttpResponse:
    user = acting_user(request)
    call = selectors.call_get(user=user, call_id=call_id)
    stages = list(call.stages.all())
    reached = selectors.stages_reached(call=call)
    total = sum(reached.values())
    rows = []
    for stage in stages:
        at_or_past = sum(n for passed, n in reached.items() if passed >= stage.position - 1)
        passed = sum(n for passed, n in reached.items() if passed >= stage.position)
        rows.append({"stage": stage, "reached": at_or_past, "passed": passed})
    public_url = request.build_absolute_uri(
        reverse("selection:apply-start", kwargs={"slug": call.slug})
    )
    return render(
        request,
        "selection/call_detail.html",
        {
            "call": call,
            "rows": rows,
            "total": total,
            "drafts": selectors.drafts_count(call=call),
            "help_requests": [
                (application, QuestionAnswerForm(auto_id=f"question{application.pk}-%s"))
                for application in selectors.help_requests(call=call)
            ],
            "failed_messages": selectors.messages_failed(call=call),
            "call_sites": call.call_sites.select_related("site"),
            "other_sites": selectors.sites_for_seats(call=call),
            "public_url": public_url,
            "can_manage": selectors.can_manage_call(user, call),
            "can_decide": selectors.can_decide(user, call),
            "stage_form": StageAddForm(),
            "kinds": StageKind,
        },
    )


@run_selection
def call_edit(request: HttpRequest, call_id: int) -> HttpResponse:
    user = acting_user(request)
    call = call_to_manage(request, call_id)
    form = CallEditForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        try:
            call_services.call_update(
                actor=user,
                # As stored: the form has changed `call` already.
                call=selectors.call_get(user=user, call_id=call.pk),
                values={name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("selection:call-detail", call_id=call.pk)
    return render(request, "selection/call_form.html", {"form": form, "call": call})


@require_POST
@run_selection
def call_seats(request: HttpRequest, call_id: int) -> HttpResponse:
    call = call_to_manage(request, call_id)
    site = selectors.site_for_seats_get(
        call=call, site_id=params.id_param(request.POST, "site") or 0
    )
    seats = params.int_param(request.POST, "seats", min_value=0, max_value=MAX_SEATS)
    if site is None or seats is None:
        messages.error(request, _("Choose a site and a number of seats (0 removes the site)."))
    else:
        try:
            call_services.call_seats_set(
                actor=acting_user(request), call=call, site=site, seats=seats
            )
        except ValidationError as exc:
            validation_error_to_messages(request, exc)
        else:
            messages.success(request, _("Seats saved."))
    return redirect("selection:call-detail", call_id=call.pk)
