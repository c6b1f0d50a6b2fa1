"""Authorization matrix rows for the placement items pages (see test_authorization_matrix.py).

Columns: anonymous, nobody, superuser, admin_a, manager_a1, officer_a1, trainer_a1, coach_a1,
funder_a, manager_b1, interviewer_a1, investigator_a1. Reading the bank (list, question,
export) is for trainers, selection officers and site managers; writing and importing for
trainers and site managers; a question of Alpha is not found (404) for Beta's manager. A
question's own picture or recording is public when the question is live, and otherwise not
found (404) for anyone who may not read the bank."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conftest import World

Kwargs = Callable[[World], dict[str, Any]]


def none(w: World) -> dict[str, Any]:
    return {}


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


READ = "302 403 200 200 200 200 200 403 403 200 403 403"
READ_ALPHA = "302 403 200 200 200 200 200 403 403 404 403 403"
PUBLIC = "200 200 200 200 200 200 200 200 200 200 200 200"
READ_ALPHA_ONLY = "404 404 200 200 200 200 200 404 404 404 404 404"
WRITE = "302 403 200 200 200 403 200 403 403 200 403 403"
WRITE_ALPHA = "302 403 200 200 200 403 200 403 403 404 403 403"
WRITE_REDIRECT = "302 403 302 302 302 403 302 403 403 302 403 403"
WRITE_ALPHA_REDIRECT = "302 403 302 302 302 403 302 403 403 404 403 403"

# fmt: off
ROWS: list[tuple[str, str, Any, dict[str, Any] | None, str]] = [
    ("placement:item-list", "GET", none, None, READ),
    ("placement:item-export", "GET", none, None, READ),
    ("placement:item-detail", "GET", item_of_alpha, None, READ_ALPHA),
    ("placement:item-new", "GET", none, None, WRITE),
    ("placement:item-new", "POST", none, {"action": "save"}, WRITE),  # form errors, shown again
    ("placement:item-edit", "GET", item_of_alpha, None, WRITE_ALPHA),
    ("placement:item-edit", "POST", item_of_alpha, {"action": "save"}, WRITE_ALPHA),
    ("placement:item-status", "POST", item_of_alpha, {"status": "pilot"}, WRITE_ALPHA_REDIRECT),
    # The files of a live question are public (the test-taker is anonymous on a private link);
    # those of a draft are for who may read Alpha's bank, not found for everyone else.
    ("placement:item-file", "GET", item_with_picture("live"), None, PUBLIC),
    ("placement:item-file", "GET", item_with_picture("draft"), None, READ_ALPHA_ONLY),
    ("placement:item-import", "GET", none, None, WRITE),
    ("placement:item-import", "POST", none, {"action": "check"}, WRITE),  # no file: form error
    ("placement:item-import", "POST", none, {"action": "apply", "token": "none"}, WRITE_REDIRECT),
]
# fmt: on
