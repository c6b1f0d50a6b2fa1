"""The keys that find a partner entered twice (pure computation, no database).

- ``partner_name_key``: lower case, accents and punctuation removed, legal suffixes dropped:
  "Accenture SAS", "ACCENTURE" and "Accenture, Inc." give one key.
- ``registration_key``: letters and digits only, upper case: "123 456 789 00012" and
  "12345678900012" are one number.
- ``name_similarity``: how alike two keys are, from 0 to 1 (difflib's ratio); 0.85 and more
  is "probably the same partner" (docs/decisions/0033).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from tremplin.core.text import fold

# How alike two names' keys must be for the partner to be shown as a likely duplicate.
SIMILAR_NAMES = 0.85

# Legal forms dropped from a name's key, as written once folded and without punctuation
# ("co." → "co", "s.a.r.l." → "sarl").
LEGAL_SUFFIXES = frozenset(
    {
        "sa", "sas", "sasu", "sarl", "eurl", "sca", "snc", "scop", "sci", "gie",
        "ltd", "limited", "llc", "llp", "lp", "plc", "inc", "incorporated",
        "corp", "corporation", "co", "company",
        "gmbh", "ag", "kg", "ug", "bv", "nv", "srl", "spa", "sl", "ab", "as", "oy",
        "pte", "pty", "pvt", "jsc", "bhd", "sdn",
    }
)  # fmt: skip
_NOT_WORD = re.compile(r"[^\w]+")
_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
# Dotted initials ("S.A.R.L.", "s.a.") are joined before the punctuation goes.
_DOTTED = re.compile(r"\b(?:\w\.){2,}")


def partner_name_key(name: str) -> str:
    folded = fold(name)
    folded = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), folded)
    words = _NOT_WORD.sub(" ", folded.replace("_", " ")).split()
    kept = [w for w in words if w not in LEGAL_SUFFIXES]
    # A name that is only a legal form ("SA") keeps its words rather than an empty key.
    return " ".join(kept or words)


def registration_key(number: str) -> str:
    return _NOT_ALNUM.sub("", fold(number).upper())


def name_similarity(key: str, other: str) -> float:
    if not key or not other:
        return 0.0
    if key == other:
        return 1.0
    return SequenceMatcher(None, key, other, autojunk=False).ratio()
