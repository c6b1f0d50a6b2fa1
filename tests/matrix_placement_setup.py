"""Authorization matrix rows for the placement setup pages (see test_authorization_matrix.py).

Columns: anonymous, nobody, superuser, admin_a, manager_a1, officer_a1, trainer_a1, coach_a1,
funder_a, manager_b1, interviewer_a1, investigator_a1. Frameworks and settings are read by
trainers, selection officers and site managers; written by site managers (and network admins)
only; shipped frameworks are read-only for everyone; a framework or programme of Alpha is not
found (404) for Beta's manager."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conftest import World

Kwargs = Callable[[World], dict[str, Any]]


def none(w: World) -> dict[str, Any]:
    return {}


def digcomp(w: World) -> dict[str, Any]:
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


def programme_alpha(w: World) -> dict[str, Any]:
    return {"programme_id": w.programme_alpha.pk}


SETTINGS = {
    "se_target": "0.3",
    "max_items": "20",
    "borderline": "80",
    "name_1": "Beginner",
    "name_2": "Intermediate",
    "cut_off_2": "30.9",
    "name_3": "Advanced",
    "cut_off_3": "78.8",
}


def target_data() -> dict[str, Any]:
    return {"action": "add", "module": "", "competence": "", "level": "3"}


READ = "302 403 200 200 200 200 200 403 403 200 403 403"
READ_ALPHA = "302 403 200 200 200 200 200 403 403 404 403 403"
MANAGE = "302 403 200 200 200 403 403 403 403 200 403 403"
MANAGE_REDIRECT = "302 403 302 302 302 403 403 403 403 302 403 403"
MANAGE_ALPHA = "302 403 200 200 200 403 403 403 403 404 403 403"
MANAGE_ALPHA_REDIRECT = "302 403 302 302 302 403 403 403 403 404 403 403"
NOBODY_WRITES_SHIPPED = "302 403 403 403 403 403 403 403 403 403 403 403"

# fmt: off
ROWS: list[tuple[str, str, Any, dict[str, Any] | None, str]] = [
    ("placement:framework-list", "GET", none, None, READ),
    ("placement:framework-detail", "GET", digcomp, None, READ),
    ("placement:framework-detail", "GET", framework_of_alpha, None, READ_ALPHA),
    ("placement:framework-new", "GET", none, None, MANAGE),
    ("placement:framework-new", "POST", none, {"action": "save"}, MANAGE),  # form errors, shown again
    ("placement:framework-edit", "GET", framework_of_alpha, None, MANAGE_ALPHA),
    ("placement:framework-edit", "POST", framework_of_alpha, {"action": "save"}, MANAGE_ALPHA),
    ("placement:framework-edit", "GET", digcomp, None, NOBODY_WRITES_SHIPPED),
    ("placement:framework-edit", "POST", digcomp, {"action": "save"}, NOBODY_WRITES_SHIPPED),
    ("placement:framework-import", "GET", none, None, MANAGE),
    ("placement:framework-import", "POST", none, {"action": "check"}, MANAGE),  # no file: form error
    ("placement:framework-import", "POST", none, {"action": "apply", "token": "none"}, MANAGE_REDIRECT),
    ("placement:setup-list", "GET", none, None, READ),
    ("placement:setup-edit", "GET", programme_alpha, None, MANAGE_ALPHA),
    ("placement:setup-edit", "POST", programme_alpha, SETTINGS, MANAGE_ALPHA_REDIRECT),
    ("placement:target-edit", "GET", programme_alpha, None, MANAGE_ALPHA),
    ("placement:target-edit", "POST", programme_alpha, target_data(), MANAGE_ALPHA),  # no competence: form error
    ("placement:target-edit", "POST", programme_alpha, {"action": "remove", "target": "0"}, MANAGE_ALPHA.replace("200", "404")),
]
# fmt: on
