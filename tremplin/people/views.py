from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from tremplin.core import params
from tremplin.core.forms import form_errors_to_messages, validation_error_to_messages
from tremplin.core.listing import paginate_sorted
from tremplin.core.permissions import acting_user, user_passes
from tremplin.core.registry import registry
from tremplin.network.models import Site
from tremplin.network.selectors import can_use_people, sites_for_people_records
from tremplin.people import selectors, services
from tremplin.people.forms import (
    ConsentForm,
    MergeForm,
    PersonCreateForm,
    PersonForm,
    SensitiveForm,
    language_formset,
)
from tremplin.people.models import Person
from tremplin.people.services import PersonDetails

PERSON_SORTS = {
    "name": ("legal_family_name", "legal_given_names"),
    "given": ("legal_given_names", "legal_family_name"),
    "site": ("site__name", "legal_family_name"),
    "birth": ("birth_date",),
    "created": ("created_at",),
}


@user_passes(can_use_people)
def person_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    query = request.GET.get("q", "").strip()[:200]
    queryset = (
        selectors.person_search(user=user, query=query)
        if query
        else selectors.people_visible(user=user)
    )
    listing = paginate_sorted(request, queryset, sorts=PERSON_SORTS, default="name")
    can_create = sites_for_people_records(user=user).exists()
    context = {"listing": listing, "query": query, "can_create": can_create}
    template = "people/person_list.html"
    if getattr(request, "htmx", False):
        template += "#results"
    return render(request, template, context)


@user_passes(can_use_people)
def person_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    sites = sites_for_people_records(user=user)
    if not sites.exists():
        raise PermissionDenied
    site_id = params.id_param(request.POST, "site") or params.id_param(request.GET, "site")
    region = None
    if site_id:
        chosen = sites.filter(pk=site_id).first()
        region = chosen.country.code if chosen else None
    elif sites.count() == 1:
        region = sites[0].country.code
    form = PersonCreateForm(request.POST or None, sites=sites, phone_region=region)
    languages = language_formset(request.POST or None)
    duplicates = None
    if request.method == "POST" and form.is_valid() and languages.is_valid():
        data = form.cleaned_data
        site: Site = data["site"]
        duplicates = selectors.duplicates_find(
            user=user,
            organisation_id=site.organisation_id,
            legal_given_names=data["legal_given_names"],
            legal_family_name=data["legal_family_name"],
            birth_date=data.get("birth_date"),
            phone=str(data["phone"]) if data.get("phone") else "",
            email=data.get("email", ""),
        )
        if duplicates.found and not data.get("not_a_duplicate"):
            form.add_error(
                "not_a_duplicate",
                _("This person may already have a record. Open it, or confirm it is someone else."),
            )
        else:
            try:
                person = services.person_create(
                    actor=user,
                    site=site,
                    details=PersonDetails.from_data(data),
                    languages=languages.skills(),
                    consents=data.get("consents", []),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("The record of %(name)s was created.") % {"name": person}
                )
                return redirect("people:person-detail", person_id=person.pk)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "languages": languages, "duplicates": duplicates, "creating": True},
    )


@user_passes(can_use_people)
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    user = acting_user(request)
    person = selectors.person_get(user=user, person_id=person_id)
    can_manage = selectors.can_manage_person(user=user, person=person)
    context = {
        "person": person,
        "languages": list(person.languages.all()),
        "consents": list(person.consents.all()),
        "can_edit": selectors.can_edit_person(user=user, person=person),
        "can_see_sensitive": selectors.can_see_sensitive(user=user, person=person),
        "can_manage": can_manage,
        "history": list(selectors.person_history(user=user, person=person)[:50])
        if can_manage
        else [],
        "consent_form": ConsentForm(),
        # What other apps show about the person (placement test, …), each as its own section.
        "panels": [
            (panel.template, built)
            for panel in registry.person_panels
            if (built := panel.build(request, user, person)) is not None
        ],
    }
    return render(request, "people/person_detail.html", context)


@user_passes(can_use_people)
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    user = acting_user(request)
    person = selectors.person_get(user=user, person_id=person_id)
    if not selectors.can_edit_person(user=user, person=person) or person.merged_into_id:
        raise PermissionDenied
    form = PersonForm(request.POST or None, instance=person, phone_region=person.site.country.code)
    languages = language_formset(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid() and languages.is_valid():
        # The form validated on a copy; the service applies the change and audits it.
        person = Person.objects.get(pk=person.pk)
        try:
            services.person_update(
                actor=user,
                person=person,
                details=PersonDetails.from_data(form.cleaned_data),
                languages=languages.skills(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("people:person-detail", person_id=person.pk)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "languages": languages, "person": person, "creating": False},
    )


@sensitive_post_parameters("administrative_situation", "administrative_notes")
@user_passes(can_use_people)
def person_sensitive(request: HttpRequest, person_id: int) -> HttpResponse:
    user = acting_user(request)
    person = selectors.person_get(user=user, person_id=person_id)
    if not selectors.can_see_sensitive(user=user, person=person):
        raise PermissionDenied
    form = SensitiveForm(
        request.POST or None,
        initial={
            "administrative_situation": person.administrative_situation,
            "administrative_notes": person.administrative_notes,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.person_sensitive_update(
            actor=user,
            person=person,
            administrative_situation=form.cleaned_data["administrative_situation"],
            administrative_notes=form.cleaned_data["administrative_notes"],
        )
        messages.success(request, _("Changes saved."))
        return redirect("people:person-sensitive", person_id=person.pk)
    return render(request, "people/person_sensitive.html", {"person": person, "form": form})


@require_POST
@user_passes(can_use_people)
def consent_add(request: HttpRequest, person_id: int) -> HttpResponse:
    user = acting_user(request)
    person = selectors.person_get(user=user, person_id=person_id)
    if not selectors.can_edit_person(user=user, person=person):
        raise PermissionDenied
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.consent_record(
                actor=user,
                person=person,
                purpose=form.cleaned_data["purpose"],
                notice_version=form.cleaned_data["notice_version"],
            )
        except ValidationError as exc:
            validation_error_to_messages(request, exc)
        else:
            messages.success(request, _("Consent recorded."))
    else:
        form_errors_to_messages(request, form)
    return redirect("people:person-detail", person_id=person.pk)


@require_POST
@user_passes(can_use_people)
def consent_withdraw(request: HttpRequest, person_id: int, consent_id: int) -> HttpResponse:
    user = acting_user(request)
    person = selectors.person_get(user=user, person_id=person_id)
    consent = person.consents.filter(pk=consent_id).first()
    if consent is None:
        raise Http404
    try:
        services.consent_withdraw(actor=user, consent=consent)
    except ValidationError as exc:
        validation_error_to_messages(request, exc)
    else:
        messages.success(request, _("Consent withdrawn."))
    return redirect("people:person-detail", person_id=person.pk)


@user_passes(can_use_people)
def person_merge(request: HttpRequest, person_id: int) -> HttpResponse:
    user = acting_user(request)
    kept = selectors.person_get(user=user, person_id=person_id)
    if not selectors.can_manage_person(user=user, person=kept) or kept.merged_into_id:
        raise PermissionDenied
    suggestions = selectors.duplicates_find(
        user=user,
        organisation_id=kept.site.organisation_id,
        legal_given_names=kept.legal_given_names,
        legal_family_name=kept.legal_family_name,
        birth_date=kept.birth_date,
        phone=str(kept.phone) if kept.phone else "",
        email=kept.email,
        exclude_id=kept.pk,
    )
    initial = {"duplicate": request.GET.get("duplicate", "")}
    form = MergeForm(request.POST or None, initial=initial)
    duplicate = None
    duplicate_id = params.id_param(request.POST, "duplicate") or params.id_param(
        request.GET, "duplicate"
    )
    if duplicate_id:
        duplicate = selectors.people_visible(user=user).filter(pk=duplicate_id).first()
    if request.method == "POST" and form.is_valid():
        if duplicate is None:
            form.add_error("duplicate", _("No record with this number that you can see."))
        else:
            try:
                services.person_merge(actor=user, kept=kept, duplicate=duplicate)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The records were merged."))
                return redirect("people:person-detail", person_id=kept.pk)
    return render(
        request,
        "people/person_merge.html",
        {"person": kept, "form": form, "suggestions": suggestions, "duplicate": duplicate},
    )
