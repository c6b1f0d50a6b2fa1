"""The row of the authorization matrix, its personas and the statuses they get.

A row names a URL, the record it points at (a function of the world that returns the URL's
kwargs, see records.py), the form data when it is a POST, and what every persona gets::

    Row("selection:call-detail", call_at("beta"), answers(
        ok={"superuser", "manager_b1"},
        not_found={"admin_a", "manager_a1", "officer_a1"},
    ))

reads: Beta's call is shown to the superuser and to Beta's manager, not found for Alpha's
staff who run calls (it is outside their scope), and refused (403) to every other persona;
anonymous is sent to sign in.

A network admin holds every site role at every site of their organisation (decision 0005):
admin_a gets what Alpha North's manager gets, and also at Alpha South.

Statuses: 200 shown, 302 redirected (anonymous: to sign in; a form that did its work: to the
next page), 403 the role may not use this page, 404 the record is outside the user's scope.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from conftest import World

# The personas of conftest.world, in the order the test runs them. Alpha runs two sites
# (North and South), Beta one.
PERSONAS: tuple[str, ...] = (
    "anonymous",  # not signed in
    "nobody",  # signed in, no role
    "superuser",
    "admin_a",  # Alpha's network admin: every site of Alpha
    "manager_a1",  # Alpha North's site manager
    "officer_a1",  # Alpha North's selection officer
    "trainer_a1",  # Alpha North's trainer
    "coach_a1",  # Alpha North's job coach
    "funder_a",  # Alpha's funder viewer
    "manager_b1",  # Beta's site manager: never sees anything of Alpha
    "interviewer_a1",  # Alpha North's interviewer: only the interviews asked of them
    "investigator_a1",  # Alpha North's field investigator: only the visits asked of them
)

EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {"anonymous"}
WITH_A_ROLE = SIGNED_IN - {"nobody"}  # every role, and the superuser
NORTH_ROLES = frozenset(
    {"manager_a1", "officer_a1", "trainer_a1", "coach_a1", "interviewer_a1", "investigator_a1"}
)  # the roles held at Alpha North only (not at South)

Kwargs = Callable[[World], dict[str, Any]]
Expect = Mapping[str, int]  # persona → status


def answers(
    *,
    ok: Collection[str] = (),
    redirected: Collection[str] = (),
    refused: Collection[str] = (),
    not_found: Collection[str] = (),
    otherwise: int = 403,
) -> Expect:
    """The status of every persona: a persona named under a status gets it; anonymous, when
    not named, is sent to sign in (302); every other persona gets ``otherwise`` (by default
    403, refused)."""
    named: dict[str, int] = {}
    for status, personas in ((200, ok), (302, redirected), (403, refused), (404, not_found)):
        for persona in personas:
            if persona not in PERSONAS:
                raise ValueError(f"{persona!r} is not a persona of the matrix")
            if persona in named:
                raise ValueError(f"{persona!r} is named under two statuses")
            named[persona] = status
    return MappingProxyType(
        {p: named.get(p, 302 if p == "anonymous" else otherwise) for p in PERSONAS}
    )


@dataclass(frozen=True)
class Row:
    """One URL, the record it points at, and the status each persona gets there."""

    url_name: str
    kwargs: Kwargs
    expect: Expect
    post: Mapping[str, Any] | None = None  # the form data of a POST; None: a GET
    # The POST's body is sent as JSON instead of form data (an endpoint a script calls).
    json: bool = False

    @property
    def method(self) -> str:
        return "GET" if self.post is None else "POST"


# Pages for whoever holds their link, signed in or not.
PUBLIC = answers(ok=EVERYONE)
PUBLIC_REDIRECT = answers(redirected=EVERYONE)
