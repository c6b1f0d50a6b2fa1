"""A learner's transcript, as a page (in the reader's language) and as a PDF (in the
learner's, right to left in Arabic)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from tremplin.core.pdf import html_to_pdf
from tremplin.core.permissions import acting_user, user_passes
from tremplin.training.selectors import transcripts
from tremplin.training.selectors.access import can_use_training


@user_passes(can_use_training)
def enrolment_transcript(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = transcripts.enrolment_get(user=acting_user(request), enrolment_id=enrolment_id)
    return render(
        request,
        "training/transcript.html",
        {
            "transcript": transcripts.transcript(enrolment=enrolment),
            "learner_language": transcripts.learner_language(enrolment),
        },
    )


@user_passes(can_use_training)
def enrolment_transcript_pdf(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = transcripts.enrolment_get(user=acting_user(request), enrolment_id=enrolment_id)
    language = transcripts.learner_language(enrolment)
    with translation.override(language):
        html = render_to_string(
            "training/transcript_pdf.html",
            {
                "transcript": transcripts.transcript(enrolment=enrolment),
                "printed_on": timezone.localdate(),
            },
            request=request,
        )
    pdf = html_to_pdf(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(str(enrolment.person)) or "learner"
    response["Content-Disposition"] = f'attachment; filename="transcript-{name}.pdf"'
    return response
