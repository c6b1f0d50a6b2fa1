"""Internship pages: the list (and the confirmed matches waiting for theirs), creating one
from a match or directly, changing it while the agreement is prepared, its detail page with
the agreement's rules and signatures, the agreement's PDF, the signed scan, starting and
cancelling."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.core.audit import audit_events_for
from tremplin.core.encryption import encrypted_file_read
from tremplin.core.forms import validation_error_to_form, validation_error_to_messages
from tremplin.core.listing import paginate_sorted
from tremplin.core.pdf import html_to_pdf
from tremplin.core.permissions import acting_user, user_passes
from tremplin.core.uploads import upload_keep, upload_take
from tremplin.partners.forms.internships import (
    CancelForm,
    InternshipFilterForm,
    InternshipForm,
    SignatureForm,
)
from tremplin.partners.models import Internship, InternshipStatus, Match
from tremplin.partners.selectors import internships as selectors
from tremplin.partners.selectors.access import can_use_partners
from tremplin.partners.services import agreements
from tremplin.partners.services import internships as services

INTERNSHIP_SORTS = {
    "starts": ("-starts_on", "-pk"),
    "learner": ("enrolment__person__legal_family_name", "enrolment__person__legal_given_names"),
    "partner": ("partner__name", "-starts_on"),
    "status": ("status", "-starts_on"),
}
SCAN_UPLOAD = "agreement-scan"
SCAN_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


@user_passes(can_use_partners)
def internship_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    filters = InternshipFilterForm(request.GET or None, user=user)
    chosen: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    internships = selectors.internships_listed(
        user=user,
        site_id=chosen["site"].pk if chosen.get("site") else None,
        cohort_id=chosen["cohort"].pk if chosen.get("cohort") else None,
        partner_id=chosen["partner"].pk if chosen.get("partner") else None,
        status=chosen.get("status", ""),
    )
    listing = paginate_sorted(request, internships, sorts=INTERNSHIP_SORTS, default="starts")
    return render(
        request,
        "partners/internships/list.html",
        {
            "listing": listing,
            "filters": filters,
            "waiting": selectors.matches_waiting(user=user)[:50],
        },
    )


def _form_values(form: InternshipForm) -> dict[str, Any]:
    return {field: form.cleaned_data.get(field) for field in services.FIELDS} | {
        "currency": form.cleaned_data.get("currency") or "",
        "school_obligations": form.cleaned_data.get("school_obligations") or "",
        "company_obligations": form.cleaned_data.get("company_obligations") or "",
    }


@user_passes(can_use_partners)
def internship_create(request: HttpRequest) -> HttpResponse:
    """An internship created directly for a learner of a cohort the user works with."""
    user = acting_user(request)
    initial: dict[str, Any] = {"kind": "internship", "pay_period": "month", "country": "FR"}
    learner_id = request.GET.get("learner", "")
    if learner_id.isdigit():
        initial["learner"] = int(learner_id)
    form = InternshipForm(
        request.POST if request.method == "POST" else None,
        user=user,
        with_learner=True,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            internship = services.internship_create(
                actor=user,
                enrolment=form.cleaned_data["learner"],
                partner=form.cleaned_data["partner"],
                data=_form_values(form),
            )
        except ValidationError as exc:
            validation_error_to_form(form, exc)
        else:
            messages.success(request, _("The internship is created: prepare its agreement."))
            return redirect("partners:internship-detail", internship_id=internship.pk)
    return render(request, "partners/internships/form.html", {"form": form, "internship": None})


@user_passes(can_use_partners)
def internship_create_from_match(request: HttpRequest, match_id: int) -> HttpResponse:
    """A confirmed match's internship, its form filled from the offer."""
    user = acting_user(request)
    try:
        match = selectors.match_confirmed_get(user=user, match_id=match_id)
    except Match.DoesNotExist as exc:
        raise Http404 from exc
    existing = Internship.objects.filter(match=match).first()
    if existing is not None:
        return redirect("partners:internship-detail", internship_id=existing.pk)
    form = InternshipForm(
        request.POST if request.method == "POST" else None,
        user=user,
        initial=services.match_prefill(match),
    )
    if request.method == "POST" and form.is_valid():
        try:
            internship = services.internship_create_from_match(
                actor=user,
                match=match,
                data={**_form_values(form), "partner": form.cleaned_data["partner"]},
            )
        except ValidationError as exc:
            validation_error_to_form(form, exc)
        else:
            messages.success(request, _("The internship is created: prepare its agreement."))
            return redirect("partners:internship-detail", internship_id=internship.pk)
    return render(
        request,
        "partners/internships/form.html",
        {"form": form, "internship": None, "match": match},
    )


def _internship(request: HttpRequest, internship_id: int) -> Internship:
    try:
        return selectors.internship_get(user=acting_user(request), internship_id=internship_id)
    except Internship.DoesNotExist as exc:
        raise Http404 from exc


@user_passes(can_use_partners)
def internship_edit(request: HttpRequest, internship_id: int) -> HttpResponse:
    user = acting_user(request)
    internship = _internship(request, internship_id)
    initial = {field: getattr(internship, field) for field in services.FIELDS}
    initial["partner"] = internship.partner
    form = InternshipForm(
        request.POST if request.method == "POST" else None, user=user, initial=initial
    )
    if internship.status != InternshipStatus.DRAFT:
        messages.error(request, _("The agreement is signed: the internship cannot be changed."))
        return redirect("partners:internship-detail", internship_id=internship.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.internship_update(
                actor=user,
                internship=internship,
                partner=form.cleaned_data["partner"],
                data=_form_values(form),
            )
        except ValidationError as exc:
            validation_error_to_form(form, exc)
        else:
            messages.success(request, _("The internship is saved."))
            return redirect("partners:internship-detail", internship_id=internship.pk)
    return render(
        request, "partners/internships/form.html", {"form": form, "internship": internship}
    )


def _detail(
    request: HttpRequest, internship: Internship, *, signature_form: SignatureForm | None = None
) -> HttpResponse:
    required = services.signatures_required(internship)
    signatures = {s.role: s for s in internship.signatures.all()}
    waiting = [role for role in required if role.value not in signatures]
    if signature_form is None:
        signature_form = SignatureForm(roles=waiting)
    return render(
        request,
        "partners/internships/detail.html",
        {
            "internship": internship,
            "template": agreements.template_for(internship),
            "checks": [c for c in agreements.rules_checked(internship) if c.applies],
            "required": [(role, signatures.get(role.value)) for role in required],
            "minor": services.learner_is_minor(internship),
            "signed_any": bool(signatures),
            "signature_form": signature_form,
            "cancel_form": CancelForm(),
            "duration": agreements.duration_days(internship),
            "pay": agreements.pay_text(internship),
            "history": audit_events_for(internship).select_related("actor")[:20],
            "tab": "agreement",
        },
    )


@user_passes(can_use_partners)
def internship_detail(request: HttpRequest, internship_id: int) -> HttpResponse:
    return _detail(request, _internship(request, internship_id))


@user_passes(can_use_partners)
def internship_signature(request: HttpRequest, internship_id: int) -> HttpResponse:
    """Record a party's signature, the signed scan, or both. A scan sent with a form that
    fails is kept (core.uploads) and not asked for again."""
    if request.method != "POST":
        return redirect("partners:internship-detail", internship_id=internship_id)
    user = acting_user(request)
    internship = _internship(request, internship_id)
    roles = services.signatures_required(internship)
    form = SignatureForm(request.POST, request.FILES, roles=roles)
    context = {"internship": internship.pk}
    scan: bytes | None = None
    upload = request.FILES.get("scan")
    if upload is not None:
        content = upload.read(services.SCAN_MAX_BYTES + 1)
        refusal = services.scan_refusal(content)
        if refusal:
            form.is_valid()
            form.add_error("scan", refusal)
        else:
            scan = content
    elif request.POST.get("scan_token"):
        taken = upload_take(
            request, kind=SCAN_UPLOAD, token=request.POST["scan_token"], context=context
        )
        scan = taken[1] if taken else None
    if form.is_valid():
        try:
            if form.cleaned_data["role"]:
                services.agreement_signature_record(
                    actor=user,
                    internship=internship,
                    role=form.cleaned_data["role"],
                    signer_name=form.cleaned_data["signer_name"],
                    signed_on=form.cleaned_data["signed_on"],
                )
            if scan is not None:
                services.agreement_scan_upload(actor=user, internship=internship, content=scan)
                scan = None
        except ValidationError as exc:
            validation_error_to_form(form, exc)
        else:
            messages.success(request, _("Saved."))
            if internship.status == InternshipStatus.SIGNED:
                messages.success(request, _("Every party signed: the agreement is signed."))
            return redirect("partners:internship-detail", internship_id=internship.pk)
    if scan is not None:
        token = upload_keep(
            request, kind=SCAN_UPLOAD, content=scan, file_name="scan", context=context
        )
        data = request.POST.copy()
        data["scan_token"] = token
        kept = SignatureForm(data, roles=roles)
        kept.is_valid()
        for field, errors in form.errors.items():
            if field in kept.fields and field not in kept.errors:
                for error in errors:
                    kept.add_error(field if field != "__all__" else None, error)
        form = kept
        messages.info(request, _("The scan is kept: you do not need to send it again."))
    return _detail(request, internship, signature_form=form)


@user_passes(can_use_partners)
def internship_scan_file(request: HttpRequest, internship_id: int) -> HttpResponse:
    internship = _internship(request, internship_id)
    if not internship.signed_scan:
        raise Http404
    content = encrypted_file_read(internship.signed_scan)
    kind = services.scan_kind(content) or "pdf"
    response = HttpResponse(content, content_type=SCAN_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="agreement-{internship.pk}.{kind}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@user_passes(can_use_partners)
def internship_agreement_pdf(request: HttpRequest, internship_id: int) -> HttpResponse:
    """The agreement as a PDF in its template's language (right to left in Arabic)."""
    internship = _internship(request, internship_id)
    context = agreements.agreement_render_context(internship)
    if context["template"] is None:
        messages.error(
            request, _("The organisation has no agreement template for this internship yet.")
        )
        return redirect("partners:internship-detail", internship_id=internship.pk)
    with translation.override(internship.language):
        context["signatures"] = [
            (role, internship.signatures.filter(role=role.value).first())
            for role in services.signatures_required(internship)
        ]
        html = render_to_string("partners/internships/agreement_pdf.html", context)
    pdf = html_to_pdf(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="agreement-{internship.pk}.pdf"'
    return response


@require_POST
@user_passes(can_use_partners)
def internship_start(request: HttpRequest, internship_id: int) -> HttpResponse:
    internship = _internship(request, internship_id)
    try:
        services.internship_start(actor=acting_user(request), internship=internship)
    except ValidationError as exc:
        validation_error_to_messages(request, exc)
    else:
        messages.success(request, _("The internship is under way."))
    return redirect("partners:internship-detail", internship_id=internship.pk)


@require_POST
@user_passes(can_use_partners)
def internship_cancel(request: HttpRequest, internship_id: int) -> HttpResponse:
    internship = _internship(request, internship_id)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the internship is cancelled."))
        return redirect("partners:internship-detail", internship_id=internship.pk)
    try:
        services.internship_cancel(
            actor=acting_user(request), internship=internship, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        validation_error_to_messages(request, exc)
    else:
        messages.success(request, _("The internship is cancelled."))
    return redirect("partners:internship-detail", internship_id=internship.pk)
