"""Text normalisation for accent- and case-insensitive matching, in any script."""

from __future__ import annotations

import re
import unicodedata

# Letters that do not decompose into a base letter and an accent.
_FOLD = str.maketrans({"đ": "d", "ð": "d", "ø": "o", "ł": "l", "ħ": "h", "ı": "i", "æ": "ae"})
_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\D+")


def fold(text: str) -> str:
    """Lower-case, strip accents and marks, collapse spaces: 'Éloïse  Nguyễn' -> 'eloise nguyen'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    # Marks that are not "combining" in Unicode's sense but are in Arabic (tashkeel, tatweel).
    stripped = "".join(c for c in stripped if unicodedata.category(c) != "Mn" and c != "\u0640")
    return _SPACES.sub(" ", stripped.translate(_FOLD)).strip()


def name_key(*parts: str) -> str:
    """Order-insensitive key of a full name: 'NGUYEN Thi  Lan' == 'Lan Thi Nguyễn'."""
    tokens = sorted(token for part in parts for token in fold(part).replace("-", " ").split())
    return " ".join(tokens)


def digits(text: str) -> str:
    return _DIGITS.sub("", text)
