"""The programme's certificates: issuing them to a cohort's graduates, a certificate's page,
its PDF, its signed credential, and revoking it."""

from __future__ import annotations

import base64
import io

import qrcode  # type: ignore[import-untyped]
import qrcode.image.svg  # type: ignore[import-untyped]
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.core.audit import audit_events_for
from tremplin.core.forms import validation_error_to_form, validation_error_to_messages
from tremplin.core.pdf import html_to_pdf
from tremplin.core.permissions import acting_user, user_passes
from tremplin.training.forms.certification import CertificateIssueForm, CertificateRevokeForm
from tremplin.training.models import Certificate, Enrolment
from tremplin.training.selectors import certificates as selectors
from tremplin.training.selectors.access import can_manage_cohort, can_use_training
from tremplin.training.services import certificates as services
from tremplin.training.services import credentials


@user_passes(can_use_training)
def certificate_issue(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """The cohort's learners and their certificates; a manager issues to those ticked (a
    learner from ``?learner=`` is ticked already)."""
    user = acting_user(request)
    cohort = selectors.cohort_get(user=user, cohort_id=cohort_id)
    can_issue = can_manage_cohort(user, cohort)
    if request.method == "POST" and not can_issue:
        raise PermissionDenied
    ticked = request.GET.getlist("learner")
    if not ticked:
        ticked = [
            str(e.pk)
            for e, certificate in selectors.cohort_learners(cohort=cohort)
            if e.status == Enrolment.Status.GRADUATED and certificate is None
        ]
    form = CertificateIssueForm(
        request.POST if request.method == "POST" else None,
        cohort=cohort,
        initial={"learners": ticked},
    )
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.certificate_issue(
                actor=user,
                cohort=cohort,
                enrolments=list(form.cleaned_data["learners"]),
                issued_on=form.cleaned_data["issued_on"],
            )
        except ValidationError as exc:
            validation_error_to_form(form, exc, field_of=lambda key: key)
        else:
            messages.success(request, services.issued_message(issued))
            return redirect("training:certificate-issue", cohort_id=cohort.pk)
    return render(
        request,
        "training/certificate_issue.html",
        {
            "cohort": cohort,
            "form": form,
            "learners": selectors.cohort_learners(cohort=cohort),
            "certificates": selectors.cohort_certificates(cohort=cohort),
            "can_issue": can_issue,
        },
    )


def _verify_url(request: HttpRequest, certificate: Certificate) -> str:
    return request.build_absolute_uri(
        reverse("training:certificate-verify", kwargs={"public_id": certificate.public_id})
    )


@user_passes(can_use_training)
def certificate_detail(request: HttpRequest, certificate_id: int) -> HttpResponse:
    user = acting_user(request)
    certificate = selectors.certificate_get(user=user, certificate_id=certificate_id)
    can_revoke = can_manage_cohort(user, certificate.enrolment.cohort) and not certificate.revoked
    return render(
        request,
        "training/certificate_detail.html",
        {
            "certificate": certificate,
            "verify_url": _verify_url(request, certificate),
            "revoke_form": CertificateRevokeForm() if can_revoke else None,
            "history": audit_events_for(certificate).select_related("actor")[:20],
        },
    )


def _qr_svg(url: str) -> str:
    """The QR code of ``url`` as an SVG data address (drawn, not fetched)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@user_passes(can_use_training)
def certificate_pdf(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """The certificate as a PDF in the learner's language, with the QR code of its public
    verification page."""
    user = acting_user(request)
    certificate = selectors.certificate_get(user=user, certificate_id=certificate_id)
    verify_url = _verify_url(request, certificate)
    with translation.override(certificate.language):
        html = render_to_string(
            "training/certificate_pdf.html",
            {
                "certificate": certificate,
                "cohort": certificate.enrolment.cohort,
                "verify_url": verify_url,
                "qr": _qr_svg(verify_url),
            },
        )
    pdf = html_to_pdf(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.pdf"'
    return response


@user_passes(can_use_training)
def certificate_credential(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """The signed Open Badges credential (a JWS, ``.jwt``), for the learner to keep."""
    user = acting_user(request)
    certificate = selectors.certificate_get(user=user, certificate_id=certificate_id)
    token = credentials.credential_signed(certificate, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(token, content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.jwt"'
    return response


@require_POST
@user_passes(can_use_training)
def certificate_revoke(request: HttpRequest, certificate_id: int) -> HttpResponse:
    user = acting_user(request)
    certificate = selectors.certificate_get(user=user, certificate_id=certificate_id)
    if not can_manage_cohort(user, certificate.enrolment.cohort):
        raise PermissionDenied
    form = CertificateRevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the certificate is revoked."))
        return redirect("training:certificate-detail", certificate_id=certificate.pk)
    try:
        services.certificate_revoke(
            actor=user, certificate=certificate, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        validation_error_to_messages(request, exc)
    else:
        messages.success(request, _("The certificate is revoked."))
    return redirect("training:certificate-detail", certificate_id=certificate.pk)
