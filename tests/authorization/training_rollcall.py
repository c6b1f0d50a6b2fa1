"""Matrix rows for roll call (training, issue 13 item 4).

Roll call is taken by the cohort's trainers and by whoever manages its site (network admin,
site manager): ``access.teaches``. A job coach of the site sees the cohort but does not take
its roll call (403); a trainer of the site who does not teach the cohort, and Beta's manager,
do not see it (404); other roles are refused (403). The JSON endpoint gets a valid body: one
tap marking the cohort's learner present.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from conftest import World
from tests.authorization.records import no_kwargs
from tests.authorization.rows import PUBLIC, Row, answers
from tremplin.training.models import Cohort, Enrolment, Session

_numbers = itertools.count(1)

# fmt: off
TEACHES = answers(ok={"superuser", "admin_a", "manager_a1", "trainer_a1"}, refused={"coach_a1"}, not_found={"manager_b1"})
# a cohort of the site that trainer_a1 does not teach
NOT_TAUGHT = answers(ok={"superuser", "admin_a", "manager_a1"}, refused={"coach_a1"}, not_found={"trainer_a1", "manager_b1"})
# fmt: on


def _session(w: World, *, taught: bool = True) -> Session:
    """A session of a new North cohort (its own title, so that one world can hold the
    records of every row, as test_bad_input builds them), with Amina enrolled, taught by
    trainer_a1 or not."""
    run = w.run_north
    cohort = Cohort.objects.create(
        run=run,
        title=f"Roll call {next(_numbers)}",
        starts_on=run.starts_on,
        ends_on=run.ends_on,
        seats=12,
    )
    Enrolment.objects.create(cohort=cohort, person=w.amina, joined_on=run.starts_on)
    start = dt.datetime.combine(cohort.starts_on, dt.time(9), tzinfo=dt.UTC)
    session = Session.objects.create(
        cohort=cohort, starts_at=start, ends_at=start + dt.timedelta(hours=3)
    )
    if taught:
        cohort.trainers.add(w.users["trainer_a1"])
        session.trainers.add(w.users["trainer_a1"])
    return session


def session_north(w: World) -> dict[str, Any]:
    return {"session_id": _session(w).pk}


def session_north_not_taught(w: World) -> dict[str, Any]:
    return {"session_id": _session(w, taught=False).pk}


def cohort_north(w: World) -> dict[str, Any]:
    return {"cohort_id": _session(w).cohort_id}


def enrolment_north(w: World) -> dict[str, Any]:
    return {"enrolment_id": _session(w).cohort.enrolments.get().pk}


def enrolment_north_with_photo(w: World) -> dict[str, Any]:
    from tremplin.training.services.attendance import learner_photo_save

    enrolment = _session(w).cohort.enrolments.select_related("cohort", "person").get()
    learner_photo_save(
        actor=w.users["superuser"], enrolment=enrolment, content=PNG, extension="png"
    )
    return {"enrolment_id": enrolment.pk}


# The smallest valid PNG: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


# A well-formed body for the marks endpoint. Its learner is not in the session (the records
# are built after the rows are read, so no real enrolment number is known here): whoever may
# take the roll call gets 200 with the tap refused and its reason; test_rollcall.py sends
# real taps.
TAP = {
    "operations": [
        {
            "op_id": "6f1c3c8e-8c1e-4d55-9a55-3f3b0b4f6a01",
            "enrolment_id": 2_000_000_000,
            "status": "present",
            "tapped_at": "2026-03-02T09:05:00Z",
        }
    ]
}
PHOTO_FORM = {"consent": "on"}  # no file: the form is shown again with its error
IMPORT_FORM = {"action": "check"}  # no file: the form is shown again with its error

ROWS: list[Row] = [
    Row("training:session-rollcall", session_north, TEACHES),
    Row("training:session-rollcall", session_north_not_taught, NOT_TAUGHT),
    Row("training:session-marks", session_north, TEACHES, post=TAP, json=True),
    Row("training:session-marks", session_north_not_taught, NOT_TAUGHT, post=TAP, json=True),
    Row("training:cohort-rollcall", cohort_north, TEACHES),
    Row("training:cohort-attendance-import", cohort_north, TEACHES),
    Row("training:cohort-attendance-import", cohort_north, TEACHES, post=IMPORT_FORM),
    Row("training:enrolment-photo", enrolment_north, TEACHES),
    Row("training:enrolment-photo", enrolment_north, TEACHES, post=PHOTO_FORM),
    Row("training:enrolment-photo-file", enrolment_north_with_photo, TEACHES),
    # the roll-call page's service worker: a script with no data in it
    Row("training:rollcall-worker", no_kwargs, PUBLIC),
]
