"""Matrix rows for training's timetable: sessions, weekly patterns, rooms, holidays, week
views, calendar subscriptions and the timetable import.

Managers of the cohort's site (and network admins, the superuser) change the timetable;
trainers and job coaches read it (a trainer: only the cohorts they teach); Beta's manager
finds nothing of Alpha (404). The calendar feed is public for whoever holds its address.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from conftest import World
from tests.authorization.records import no_kwargs
from tests.authorization.rows import EVERYONE, PUBLIC, Kwargs, Row, answers
from tests.authorization.training_records import cohort_at, make_cohort, session_of_cohort_at
from tremplin.core.tokens import token_hash
from tremplin.training.models import CalendarLink, Room

FEED_TOKEN = "matrix-calendar-token-0123456789abcdef"


def room_at(site_attr: str) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        room, _created = Room.objects.get_or_create(site=getattr(w, site_attr), name="Salle 1")
        return {"room_id": room.pk}

    return make


def feed_of_cohort(w: World) -> dict[str, Any]:
    # One address for the world: several rows (and the tests that build every row in one
    # world) read the same feed.
    if not CalendarLink.objects.filter(token_hash=token_hash(FEED_TOKEN)).exists():
        CalendarLink.objects.create(
            cohort=make_cohort(w, "north"),
            token_hash=token_hash(FEED_TOKEN),
            renewed_at=dt.datetime.now(dt.UTC),
        )
    return {"token": FEED_TOKEN}


def unknown_feed(w: World) -> dict[str, Any]:
    return {"token": "no-such-address"}


TRAINING = {"superuser", "admin_a", "manager_a1", "trainer_a1", "coach_a1", "manager_b1"}
READ_NORTH = answers(
    ok={"superuser", "admin_a", "manager_a1", "trainer_a1", "coach_a1"}, not_found={"manager_b1"}
)
# a cohort trainer_a1 does not teach: not found for them
READ_NORTH_UNTAUGHT = answers(
    ok={"superuser", "admin_a", "manager_a1", "coach_a1"}, not_found={"trainer_a1", "manager_b1"}
)
READ_ANY = answers(ok=TRAINING)
MANAGE = answers(ok={"superuser", "admin_a", "manager_a1", "manager_b1"})
MANAGE_NORTH = answers(ok={"superuser", "admin_a", "manager_a1"}, not_found={"manager_b1"})
MANAGE_NORTH_REDIRECT = answers(
    redirected={"superuser", "admin_a", "manager_a1"}, not_found={"manager_b1"}
)

# fmt: off
ROWS: list[Row] = [
    Row("training:session-create", cohort_at("north"), MANAGE_NORTH),
    Row("training:session-create", cohort_at("north"), MANAGE_NORTH, post={}),  # form errors
    Row("training:session-detail", session_of_cohort_at("north"), READ_NORTH),
    Row("training:session-detail", session_of_cohort_at("north", taught=False), READ_NORTH_UNTAUGHT),
    Row("training:session-edit", session_of_cohort_at("north"), MANAGE_NORTH),
    Row("training:session-edit", session_of_cohort_at("north"), MANAGE_NORTH, post={}),  # form errors
    Row("training:session-delete", session_of_cohort_at("north"), MANAGE_NORTH),
    Row("training:session-delete", session_of_cohort_at("north"), MANAGE_NORTH_REDIRECT, post={}),
    Row("training:pattern-create", cohort_at("north"), MANAGE_NORTH),
    Row("training:pattern-create", cohort_at("north"), MANAGE_NORTH, post={"action": "preview"}),
    Row("training:timetable-import", cohort_at("north"), MANAGE_NORTH),
    Row("training:timetable-import", cohort_at("north"), MANAGE_NORTH, post={"action": "check"}),  # no file
    Row("training:timetable-import", cohort_at("north"), MANAGE_NORTH_REDIRECT, post={"action": "import", "token": "none"}),
    Row("training:timetable-import-template", cohort_at("north"), MANAGE_NORTH),
    Row("training:room-list", no_kwargs, MANAGE),
    Row("training:room-create", no_kwargs, MANAGE),
    Row("training:room-create", no_kwargs, MANAGE, post={}),  # form errors
    Row("training:room-edit", room_at("north"), MANAGE_NORTH),
    Row("training:room-edit", room_at("north"), MANAGE_NORTH, post={}),
    Row("training:holiday-list", no_kwargs, MANAGE),
    Row("training:holiday-create", no_kwargs, MANAGE),
    Row("training:holiday-create", no_kwargs, MANAGE, post={}),  # form errors
    Row("training:week-cohort", cohort_at("north"), READ_NORTH),
    Row("training:week-cohort", cohort_at("north", taught=False), READ_NORTH_UNTAUGHT),
    Row("training:week-trainer", no_kwargs, READ_ANY),
    Row("training:week-room", room_at("north"), READ_NORTH),
    Row("training:calendar-links", no_kwargs, READ_ANY),
    Row("training:calendar-links", no_kwargs, READ_ANY, post={"target": "me"}),
    Row("training:calendar-feed", feed_of_cohort, PUBLIC),
    Row("training:calendar-feed", unknown_feed, answers(not_found=EVERYONE)),
]
# fmt: on
