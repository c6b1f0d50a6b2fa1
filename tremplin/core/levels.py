"""The placement test's level groups, named in the reader's language.

A level group is stored by its key (``Attempt.band``, ``StageResult.level``): the default
groups' keys are ``beginner``, ``intermediate`` and ``advanced``, shown translated; a group
that staff named themselves is shown as they typed it. Here, below both apps, because
selection shows the group a placement test gave a stage and does not read the placement app.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

# The default level groups' names, in the reader's language (stored by their key).
BAND_LABELS = {
    "beginner": gettext_lazy("Beginner"),
    "intermediate": gettext_lazy("Intermediate"),
    "advanced": gettext_lazy("Advanced"),
}


def band_label(name: str) -> str:
    """A level group's name in the active language (a name staff typed, as typed)."""
    return str(BAND_LABELS.get(name, name))
