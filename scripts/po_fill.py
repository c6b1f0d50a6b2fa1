"""Fill given translations into a catalogue: python scripts/po_fill.py LANG FILE.json.

The JSON maps msgid -> msgstr, or msgid -> [form, form, ...] for a plural (as many forms as
the language has), and "context\x04msgid" for a string with a context. Used when new strings
arrive; the test suite fails while a French translation is missing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib


def main() -> None:
    language, source = sys.argv[1], Path(sys.argv[2])
    translations: dict[str, str | list[str]] = json.loads(source.read_text())
    path = Path("locale") / language / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(path))
    for entry in catalogue:
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if key not in translations:
            continue
        given = translations[key]
        if entry.msgid_plural:
            forms = given if isinstance(given, list) else [given]
            entry.msgstr_plural = dict(enumerate(forms))
        else:
            entry.msgstr = given if isinstance(given, str) else given[0]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            entry.previous_msgid_plural = None
    catalogue.save(str(path))
    left = [e.msgid for e in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
    print(f"{language}: {len(left)} left untranslated", *left, sep="\n  ")


if __name__ == "__main__":
    main()
