"""Fill given translations into a catalogue: python scripts/po_fill.py LANG FILE.json.

The JSON maps msgid -> msgstr. Used when new strings arrive; the test suite fails while a
French translation is missing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib


def main() -> None:
    language, source = sys.argv[1], Path(sys.argv[2])
    translations: dict[str, str] = json.loads(source.read_text())
    path = Path("locale") / language / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(path))
    for entry in catalogue:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    catalogue.save(str(path))
    left = [e.msgid for e in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
    print(f"{language}: {len(left)} left untranslated", *left, sep="\n  ")


if __name__ == "__main__":
    main()
