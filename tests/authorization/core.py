"""Matrix rows for the pages of core: the home page, the dashboard, the language switch."""

from __future__ import annotations

from tests.authorization.records import no_kwargs
from tests.authorization.rows import EVERYONE, SIGNED_IN, Row, answers

# fmt: off
ROWS: list[Row] = [
    Row("core:home", no_kwargs, answers(redirected=EVERYONE)),
    Row("core:dashboard", no_kwargs, answers(ok=SIGNED_IN)),
    Row("core:set-language", no_kwargs, answers(redirected=EVERYONE), post={"language": "fr"}),
]
# fmt: on
