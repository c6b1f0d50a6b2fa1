"""Matrix rows for certification and certificates (issue 13 item 8).

Certification sessions and certificates follow training's rule: site managers and network
admins run them (create sessions, record results, issue, revoke); job coaches and the
cohort's trainers read them; another site's record is not found. The verification page,
the credential check and the issuer's documents (profile, keys, revocation list) are public,
as outreach's public registration is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from conftest import World
from tests.authorization.records import given, no_kwargs
from tests.authorization.rows import EVERYONE, PUBLIC, Kwargs, Row, answers
from tests.authorization.training_records import RUN_AT, make_cohort

# fmt: off
TRAINING = {"superuser", "admin_a", "manager_a1", "trainer_a1", "coach_a1", "manager_b1"}
NORTH_READ = answers(ok={"superuser", "admin_a", "manager_a1", "trainer_a1", "coach_a1"}, not_found={"manager_b1"})
NORTH_READ_UNTAUGHT = answers(ok={"superuser", "admin_a", "manager_a1", "coach_a1"}, not_found={"trainer_a1", "manager_b1"})
SOUTH_READ = answers(ok={"superuser", "admin_a"}, not_found={"manager_a1", "trainer_a1", "coach_a1", "manager_b1"})
NORTH_WRITE_POST = answers(redirected={"superuser", "admin_a", "manager_a1"}, refused={"trainer_a1", "coach_a1"}, not_found={"manager_b1"})
NORTH_FORM_POST = answers(ok={"superuser", "admin_a", "manager_a1"}, refused={"trainer_a1", "coach_a1"}, not_found={"manager_b1"})
# fmt: on


def _cohort(w: World, site_attr: str, *, taught: bool = True) -> Any:
    """The records' cohort, made once per world (the bad-input test asks several times)."""
    from tremplin.training.models import Cohort

    title = f"Cohort {site_attr}{'' if taught else ' (other trainer)'}"
    found = Cohort.objects.filter(run=getattr(w, RUN_AT[site_attr]), title=title).first()
    return found or make_cohort(w, site_attr, taught=taught)


def cohort_at(site_attr: str, *, taught: bool = True) -> Kwargs:
    return lambda w: {"cohort_id": _cohort(w, site_attr, taught=taught).pk}


def _session_at(site_attr: str, *, taught: bool = True) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        from tremplin.training.models import CertificationSession

        cohort = _cohort(w, site_attr, taught=taught)
        session = CertificationSession.objects.create(
            site=cohort.run.site,
            kind="pix",
            awarding_body="Pix",
            held_on=dt.date(2026, 10, 10),
            max_score=1024,
        )
        session.cohorts.add(cohort)
        return {"session_id": session.pk}

    return make


def _certificate(w: World, site_attr: str, *, taught: bool = True) -> Any:
    from tremplin.training.models import Certificate, Enrolment
    from tremplin.training.services.certificates import certificate_issue

    cohort = _cohort(w, site_attr, taught=True)
    if not taught:
        cohort.trainers.clear()
    enrolment = cohort.enrolments.get()
    issued = Certificate.objects.filter(enrolment=enrolment, revoked_at=None).first()
    if issued is not None:
        return issued
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status=Enrolment.Status.GRADUATED, left_on=cohort.ends_on
    )
    enrolment.refresh_from_db()
    (certificate,) = certificate_issue(
        actor=w.users["superuser"], cohort=cohort, enrolments=[enrolment]
    )
    return certificate


def _certificate_at(site_attr: str, *, taught: bool = True) -> Kwargs:
    return lambda w: {"certificate_id": _certificate(w, site_attr, taught=taught).pk}


def _public_id(w: World) -> dict[str, Any]:
    return {"public_id": _certificate(w, "north").public_id}


def _issuer(w: World) -> dict[str, Any]:
    _certificate(w, "north")
    return {"slug": "alpha"}


# fmt: off
ROWS: list[Row] = [
    Row("training:certification-sessions", no_kwargs, answers(ok=TRAINING)),
    Row("training:certification-session-create", no_kwargs, answers(ok={"superuser", "admin_a", "manager_a1", "manager_b1"}, refused={"trainer_a1", "coach_a1"})),
    Row("training:certification-session-edit", _session_at("north"), answers(ok={"superuser", "admin_a", "manager_a1"}, refused={"trainer_a1", "coach_a1"}, not_found={"manager_b1"})),
    Row("training:certification-session-edit", _session_at("south"), answers(ok={"superuser", "admin_a"}, not_found={"manager_a1", "trainer_a1", "coach_a1", "manager_b1"})),
    Row("training:certification-results", _session_at("north"), NORTH_READ),
    Row("training:certification-results", _session_at("north", taught=False), NORTH_READ_UNTAUGHT),
    Row("training:certification-results", _session_at("south"), SOUTH_READ),
    Row("training:certification-results", _session_at("north"), NORTH_WRITE_POST, post={}),
    Row("training:certificate-issue", cohort_at("north"), NORTH_READ),
    Row("training:certificate-issue", cohort_at("north", taught=False), NORTH_READ_UNTAUGHT),
    Row("training:certificate-issue", cohort_at("south"), SOUTH_READ),
    Row("training:certificate-issue", cohort_at("north"), NORTH_FORM_POST, post={}),
    Row("training:certificate-detail", _certificate_at("north"), NORTH_READ),
    Row("training:certificate-detail", _certificate_at("north", taught=False), NORTH_READ_UNTAUGHT),
    Row("training:certificate-detail", _certificate_at("south"), SOUTH_READ),
    Row("training:certificate-pdf", _certificate_at("north"), NORTH_READ),
    Row("training:certificate-pdf", _certificate_at("beta_site"), answers(ok={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1", "trainer_a1", "coach_a1"})),
    Row("training:certificate-credential", _certificate_at("north"), NORTH_READ),
    Row("training:certificate-credential", _certificate_at("south"), SOUTH_READ),
    Row("training:certificate-revoke", _certificate_at("north"), NORTH_WRITE_POST, post={"reason": "Issued by mistake"}),
    Row("training:certificate-revoke", _certificate_at("south"), answers(redirected={"superuser", "admin_a"}, not_found={"manager_a1", "trainer_a1", "coach_a1", "manager_b1"}), post={"reason": "Issued by mistake"}),
    Row("training:certificate-verify", _public_id, PUBLIC),
    Row("training:certificate-verify", given(public_id="unknown-certificate"), answers(not_found=EVERYONE)),
    Row("training:credential-verify", no_kwargs, PUBLIC),
    Row("training:credential-verify", no_kwargs, PUBLIC, post={"credential": "not.a.credential"}),
    Row("training:issuer-profile", _issuer, PUBLIC),
    Row("training:issuer-profile", given(slug="beta"), answers(not_found=EVERYONE)),
    Row("training:issuer-keys", _issuer, PUBLIC),
    Row("training:issuer-status-list", _issuer, PUBLIC),
    Row("training:issuer-status-list", given(slug="nobody-issues"), answers(not_found=EVERYONE)),
]
# fmt: on
