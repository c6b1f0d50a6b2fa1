"""The records the matrix's URLs point at.

Each function takes the world (conftest.world), makes the record it names if the URL needs
one, and returns the URL's kwargs. Most records are at Alpha North ("north"), some at Alpha
South and some at Beta, so that a row can check both the role and the scope.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from typing import Any

from django.utils import timezone

from conftest import World
from tests.authorization.rows import Kwargs
from tremplin.network.models import Invitation, Role, RoleAssignment
from tremplin.network.tests.factories import UserFactory


def no_kwargs(w: World) -> dict[str, Any]:
    return {}


def given(**kwargs: str) -> Kwargs:
    """These kwargs as they are (a slug, an unknown token)."""
    return lambda w: dict(kwargs)


def ids(**attrs: str) -> Kwargs:
    """The primary key of the world's record for each kwarg: ``ids(site_id="north")``."""
    return lambda w: {key: getattr(w, attr).pk for key, attr in attrs.items()}


# --- network ------------------------------------------------------------------------------


def invitation_token(w: World) -> dict[str, Any]:
    invitation = Invitation.objects.create(
        email="new.trainer@example.org",
        role=Role.TRAINER,
        organisation=w.alpha,
        site=w.north,
        token=secrets.token_urlsafe(16),
        expires_at=timezone.now() + dt.timedelta(days=3),
    )
    return {"token": invitation.token}


def assignment_at(site_attr: str) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        site = getattr(w, site_attr)
        assignment = RoleAssignment.objects.create(
            user=UserFactory(), role=Role.TRAINER, organisation=site.organisation, site=site
        )
        return {"assignment_id": assignment.pk}

    return make


# --- people -------------------------------------------------------------------------------


def consent_of_amina(w: World) -> dict[str, Any]:
    return {"person_id": w.amina.pk, "consent_id": w.amina.consents.get().pk}


# --- outreach -----------------------------------------------------------------------------


def session_at(site_attr: str, *, with_registration: bool = False) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        from tremplin.outreach.models import InformationSession, Registration

        start = timezone.now() + dt.timedelta(days=3)
        session = InformationSession.objects.create(
            site=getattr(w, site_attr),
            title="Discover",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            capacity=10,
            place="Hall",
            public_key=secrets.token_urlsafe(8),
        )
        kwargs: dict[str, Any] = {"session_id": session.pk}
        if with_registration:
            registration = Registration.objects.create(
                session=session,
                given_names="Rania",
                family_name="Haddad",
                phone="+33611111111",
                channel="social_media",
                status="registered",
            )
            kwargs["registration_id"] = registration.pk
        return kwargs

    return make


def public_key(w: World) -> dict[str, Any]:
    from tremplin.outreach.models import InformationSession

    session_id = session_at("north")(w)["session_id"]
    return {"key": InformationSession.objects.get(pk=session_id).public_key}


# --- selection: a published call at Alpha North ("north") or at Beta ("beta") -------------


def _call(w: World, where: str) -> Any:
    from tremplin.selection.models import Call
    from tremplin.selection.services import calls as call_services

    existing = Call.objects.filter(slug=f"call-{where}").first()
    if existing is not None:
        return existing
    run = w.run_north if where == "north" else w.run_beta
    actor = w.users["officer_a1"] if where == "north" else w.users["manager_b1"]
    today = timezone.localdate()
    call = call_services.call_create(
        actor=actor,
        run=run,
        slug=f"call-{where}",
        title="Call",
        process="passerelles",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=9),
    )
    Call.objects.filter(pk=call.pk).update(published=True)
    return call


def _application(w: World, where: str) -> Any:
    from tremplin.people.tests.factories import PersonFactory
    from tremplin.selection.models import Application

    call = _call(w, where)
    return Application.objects.create(
        call=call,
        person=PersonFactory(site=call.site),
        status="submitted",
        source="staff",
        submitted_at=timezone.now(),
    )


def call_at(where: str) -> Kwargs:
    return lambda w: {"call_id": _call(w, where).pk}


def stage_at(where: str, kind: str = "written_exam") -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        call = _call(w, where)
        return {"call_id": call.pk, "stage_id": call.stages.get(kind=kind).pk}

    return make


def application_at(where: str) -> Kwargs:
    return lambda w: {"application_id": _application(w, where).pk}


def question_at(where: str) -> Kwargs:
    """An application whose applicant asked the team a question."""

    def make(w: World) -> dict[str, Any]:
        application = _application(w, where)
        application.help_requested = "Can I apply without a diploma?"
        application.save(update_fields=["help_requested"])
        return {"call_id": application.call_id, "application_id": application.pk}

    return make


def application_stage_at(where: str) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        application = _application(w, where)
        return {"application_id": application.pk, "stage_id": application.call.stages.first().pk}

    return make


def decision_at(where: str) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        from tremplin.selection.models import FinalDecision

        decision = FinalDecision.objects.create(
            application=_application(w, where),
            outcome="selected",
            reason="passed",
            proposed_at=timezone.now(),
        )
        return {"decision_id": decision.pk}

    return make


def assignment_of(persona: str) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        from tremplin.selection.models import InterviewAssignment

        application = _application(w, "north")
        assignment = InterviewAssignment.objects.create(
            application=application,
            stage=application.call.stages.get(kind="interview"),
            rater=w.users[persona],
        )
        return {"assignment_id": assignment.pk}

    return make


def investigation_of(persona: str) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        from tremplin.selection.models import SocialInvestigation

        application = _application(w, "north")
        investigation = SocialInvestigation.objects.create(
            application=application,
            stage=application.call.stages.get(kind="social_investigation"),
            investigator=w.users[persona],
        )
        return {"investigation_id": investigation.pk}

    return make


def call_application_at(where: str) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        application = _application(w, where)
        return {"call_id": application.call_id, "application_id": application.pk}

    return make


def cohort_round_at(where: str) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        from tremplin.selection.models import CohortRound

        call = _call(w, where)
        round_ = CohortRound.objects.filter(call=call).first() or CohortRound.objects.create(
            call=call,
            snapshot={"seats": 2, "rules": [], "choices": [], "checks": []},
            objective=0.0,
            bound=0.0,
            proposed_at=timezone.now(),
        )
        return {"call_id": call.pk, "round_id": round_.pk}

    return make


def public_call(w: World) -> dict[str, Any]:
    return {"slug": _call(w, "north").slug}


def public_step(w: World) -> dict[str, Any]:
    return {"slug": _call(w, "north").slug, "step": 1}


def public_resume(w: World) -> dict[str, Any]:
    from tremplin.selection.services import applications as application_services

    call = _call(w, "north")
    return {
        "slug": call.slug,
        "token": application_services.application_start(call=call, language="fr").token,
    }


def funnel_call_of(run_attr: str) -> Kwargs:
    """A call for the run `run_attr` of the world, with one application."""

    def make(w: World) -> dict[str, Any]:
        from tremplin.selection.models import Application, Call
        from tremplin.selection.services.calls import call_create

        existing = Call.objects.filter(slug=f"funnel-{run_attr.replace('_', '-')}").first()
        if existing is not None:
            return {"call_id": existing.pk}
        call = call_create(
            actor=w.users["superuser"],
            run=getattr(w, run_attr),
            slug=f"funnel-{run_attr.replace('_', '-')}",
            title="Funnel call",
            opens_on=dt.date(2026, 3, 1),
            closes_on=dt.date(2026, 4, 30),
            process="passerelles",
        )
        person = {"run_north": w.amina, "run_south": w.bilal, "run_beta": w.chen}[run_attr]
        Application.objects.create(
            call=call,
            person=person,
            source=Application.Source.FORM,
            status=Application.Status.SUBMITTED,
            stages_passed=1,
            gender="female",
        )
        return {"call_id": call.pk}

    return make


# --- placement: attempts ------------------------------------------------------------------


def _started(w: World) -> Any:
    from tremplin.placement.bank import bank_install_shipped
    from tremplin.placement.models import Item
    from tremplin.placement.services import attempts as services

    if not Item.objects.filter(organisation=w.alpha).exists():
        bank_install_shipped(w.alpha)
    return services.attempt_start(
        actor=w.users["officer_a1"], person=w.amina, programme=w.programme_alpha
    )


def attempt_north(w: World) -> dict[str, Any]:
    return {"attempt_id": _started(w).attempt.pk}


def attempt_of_application(w: World) -> dict[str, Any]:
    """A finished test taken for a selection stage (its score not recorded yet)."""
    from tremplin.placement.models import Attempt
    from tremplin.placement.services import attempts as services
    from tremplin.selection.models import StageKind, StageResult
    from tremplin.selection.tests.builders import applicant, open_call

    call = open_call(w)
    exam = call.stages.get(kind=StageKind.WRITTEN_EXAM)
    application = applicant(call, w.amina, through=exam.position - 1)
    attempt = _started(w).attempt
    for _n in range(30):
        attempt.refresh_from_db()
        if attempt.state == Attempt.State.FINISHED:
            break
        item = attempt.next_item
        assert item is not None
        services.attempt_answer(attempt=attempt, item_id=item.pk, choice=item.answer)
    Attempt.objects.filter(pk=attempt.pk).update(application=application, stage=exam)
    StageResult.objects.filter(application=application, stage=exam).delete()
    return {"attempt_id": attempt.pk}


def token_north(w: World) -> dict[str, Any]:
    return {"token": _started(w).token}


# --- placement: the item bank -------------------------------------------------------------


def item_of_alpha(w: World) -> dict[str, Any]:
    from tremplin.placement.bank import digcomp
    from tremplin.placement.models import Item

    item, _created = Item.objects.get_or_create(
        organisation=w.alpha,
        code="MATRIX-1",
        defaults={
            "competence": digcomp().competences.get(code="1.1"),
            "level": 2,
            "kind": "choice",
            "stem": {"fr": "Question ?", "en": "Question?"},
            "choices": [{"fr": "Oui", "en": "Yes"}, {"fr": "Non", "en": "No"}],
            "answer": 0,
        },
    )
    return {"item_id": item.pk}


def item_with_picture(status: str) -> Kwargs:
    """A question of Alpha with its own picture (a PNG made here), in ``status``."""

    def make(w: World) -> dict[str, Any]:
        import io

        from django.core.files.base import ContentFile
        from PIL import Image

        from tremplin.placement.models import Item

        item_id = item_of_alpha(w)["item_id"]
        item = Item.objects.get(pk=item_id)
        png = io.BytesIO()
        Image.new("RGB", (4, 3), "white").save(png, format="PNG")
        item.picture.save("picture.png", ContentFile(png.getvalue()), save=False)
        item.status = status
        item.save()
        return {"item_id": item.pk, "part": "picture"}

    return make


# --- placement: frameworks, programmes' settings, calibration -----------------------------


def digcomp_framework(w: World) -> dict[str, Any]:
    from tremplin.placement.bank import digcomp as shipped

    return {"framework_id": shipped().pk}


def framework_of_alpha(w: World) -> dict[str, Any]:
    from tremplin.placement.bank import framework_load

    framework = framework_load(
        {
            "code": "fibre-installer",
            "name": {"fr": "Installateur fibre", "en": "Fibre installer"},
            "areas": [
                {
                    "code": "F1",
                    "name": {"en": "Safety"},
                    "competences": [{"code": "F1.1", "name": {"en": "Work at height"}}],
                }
            ],
        },
        organisation=w.alpha,
    )
    return {"framework_id": framework.pk}


def calibration_of_alpha(w: World) -> dict[str, Any]:
    """A finished calibration of Alpha's bank (nothing estimated: applying it changes no item)."""
    from tremplin.placement.models import CalibrationRun

    run = CalibrationRun.objects.create(
        organisation=w.alpha,
        started_by=w.users["manager_a1"],
        state=CalibrationRun.State.DONE,
        finished_at=timezone.now(),
        results={"items": [], "dif_pairs": [], "languages": {}, "converged": True},
    )
    return {"run_id": run.pk}


# --- messaging ----------------------------------------------------------------------------


def failed_message_at(site_attr: str) -> Kwargs:
    """An SMS to the site's applicant that was not delivered."""

    def make(w: World) -> dict[str, Any]:
        from tremplin.messaging.models import Message

        message = Message.objects.create(
            site=getattr(w, site_attr),
            channel="sms",
            kind="confirmation",
            status="failed",
            recipient="+33611223344",
            language="fr",
            body="Bonjour",
            error="The SMS gateway answered 500.",
            attempts=1,
        )
        return {"message_id": message.pk}

    return make


def appointment_of(persona: str) -> Kwargs:
    """A home visit at Alpha North, with `persona` invited as staff."""

    def make(w: World) -> dict[str, Any]:
        from tremplin.selection.models import Appointment

        existing = Appointment.objects.filter(uid=f"matrix-{persona}@tremplin").first()
        if existing is not None:
            return {"appointment_id": existing.pk}
        application = _application(w, "north")
        appointment = Appointment.objects.create(
            stage=application.call.stages.get(kind="social_investigation"),
            date=dt.date(2027, 3, 15),
            starts_at=dt.time(9, 0),
            ends_at=dt.time(10, 0),
            place="Village hall",
            uid=f"matrix-{persona}-{uuid.uuid4().hex}@tremplin",
        )
        appointment.applications.add(application)
        appointment.staff.add(w.users[persona])
        return {"appointment_id": appointment.pk}

    return make


def appointment_link(w: World) -> dict[str, Any]:
    """An applicant's private link to a home visit at Alpha North."""
    from tremplin.selection.invitations import appointment_link_issue
    from tremplin.selection.models import Appointment

    kwargs = appointment_of("investigator_a1")(w)
    appointment = Appointment.objects.get(pk=kwargs["appointment_id"])
    application = appointment.applications.get()
    return {"token": appointment_link_issue(appointment=appointment, application=application)}


def document_at(where: str) -> Kwargs:
    """A PDF the applicant of a call at `where` sent with the form."""

    def make(w: World) -> dict[str, Any]:
        from django.core.files.base import ContentFile

        from tremplin.selection.models import ApplicationDocument

        application = _application(w, where)
        document = ApplicationDocument(application=application, extension="pdf", size=9)
        document.file.save("upload.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        document.save()
        return {"application_id": application.pk, "document_id": document.pk}

    return make
