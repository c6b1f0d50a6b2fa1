"""Which strings of the catalogues an applicant sees (docs/languages.md).

What an applicant sees is offered in Khmer and Vietnamese as well as the staff languages, so
those strings must be translated into every applicant language. A string is applicant-facing
when one of its places in the code (the ``#:`` references of the catalogue) is:

- in a file that only applicants see (``APPLICANT_FILES``: the public form's and the
  information-session registration's templates, the placement test's screens, the messages);
- between the comments ``applicant-facing: start`` and ``applicant-facing: end`` (or the end
  of the file) in a file that also holds staff strings, for example the public form's steps
  at the top of ``selection/forms.py``;
- on a line marked ``applicant-facing``, or just below one (a service's error shown on the
  public form).
"""

from __future__ import annotations

import fnmatch
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

APPLICANT_FILES = (
    "tremplin/selection/templates/selection/apply_*.html",
    "tremplin/selection/templates/selection/mail/*",
    "tremplin/outreach/templates/outreach/mail/*",
    "tremplin/placement/templates/placement/mail/*",
    "tremplin/selection/views/public.py",
    "tremplin/selection/eligibility.py",
    "tremplin/outreach/templates/outreach/public_register.html",
    "tremplin/placement/templates/placement/take_*.html",
    "tremplin/core/templates/core/_read_aloud.html",
    "tremplin/core/templates/core/forms/form.html",
    # training: the learner's link and home (cohorts)
    "tremplin/training/templates/training/messages/learner_link*",
    "tremplin/training/templates/training/learner_home.html",
)
MARK = "applicant-facing"


@cache
def _applicant_lines(path: str) -> frozenset[int]:
    """The line numbers (from 1) of ``path`` that applicants see."""
    source = ROOT / path
    if not source.is_file():
        return frozenset()
    lines = source.read_text(encoding="utf-8").splitlines()
    if any(fnmatch.fnmatch(path, pattern) for pattern in APPLICANT_FILES):
        return frozenset(range(1, len(lines) + 1))
    seen: set[int] = set()
    inside = False
    for number, line in enumerate(lines, start=1):
        if inside or MARK in line:
            seen.add(number)
        if f"{MARK}: start" in line:
            inside = True
        if f"{MARK}: end" in line:
            inside = False
        elif MARK in line and f"{MARK}: start" not in line:
            seen.add(number + 1)  # a marked line, or the line below the mark
    return frozenset(seen)


def is_applicant_facing(occurrences: list[tuple[str, str]]) -> bool:
    """Whether a catalogue entry with these ``(path, line)`` references reaches applicants."""
    return any(line.isdigit() and int(line) in _applicant_lines(path) for path, line in occurrences)
