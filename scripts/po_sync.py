"""Add the new strings of the code to a catalogue, without rewriting it:
python scripts/po_sync.py LANG [FILE.json].

Extracts the strings from a copy of the tree (as tests/test_translations.py does), appends
each entry the catalogue lacks at its end (a small diff that merges well), fills the
translations given in FILE.json (msgid -> msgstr, or a list of forms for a plural,
"context\\x04msgid" for a string with a context) and prints, as JSON, what is still missing:
fill it in and run again. Khmer and Vietnamese list only what applicants see.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.applicant_strings import is_applicant_facing  # noqa: E402


def _key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def _extracted(language: str) -> polib.POFile:
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(
            ROOT / "tremplin", Path(tmp) / "tremplin", ignore=shutil.ignore_patterns("__pycache__")
        )
        shutil.copytree(ROOT / "locale", Path(tmp) / "locale")
        subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
            [sys.executable, "-m", "django", "makemessages", "-l", language, "--no-obsolete"],
            cwd=tmp,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
                "TREMPLIN_LOCALE_DIR": str(Path(tmp) / "locale"),
                "PYTHONPATH": str(ROOT),
            },
            check=True,
            capture_output=True,
        )
        return polib.pofile(str(Path(tmp) / "locale" / language / "LC_MESSAGES" / "django.po"))


def main() -> None:
    language = sys.argv[1]
    files = [a for a in sys.argv[2:] if not a.startswith("--")]
    given: dict[str, str | list[str]] = json.loads(Path(files[0]).read_text()) if files else {}
    applicant_only = language in ("km", "vi")
    path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(path), wrapwidth=78)
    extracted = _extracted(language)
    current = {_key(e) for e in extracted if not e.obsolete}
    # Entries of the given paths that the code no longer has (a string reworded on another
    # branch) go, as makemessages would drop them: python scripts/po_sync.py LANG FILE
    # --drop-stale=tremplin/training/
    prefixes = [a.split("=", 1)[1] for a in sys.argv[2:] if a.startswith("--drop-stale=")]
    stale = [
        e
        for e in catalogue
        if prefixes
        and e.msgid
        and _key(e) not in current
        and e.occurrences
        and all(any(path.startswith(p) for p in prefixes) for path, _line in e.occurrences)
    ]
    for entry in stale:
        catalogue.remove(entry)
    known = {_key(e): e for e in catalogue}
    for entry in extracted:
        if entry.obsolete or _key(entry) in known:
            continue
        if applicant_only and not is_applicant_facing(entry.occurrences):
            continue
        new = polib.POEntry(
            msgid=entry.msgid,
            msgctxt=entry.msgctxt,
            msgid_plural=entry.msgid_plural,
            occurrences=entry.occurrences,
            flags=[f for f in entry.flags if f != "fuzzy"],
        )
        if entry.msgid_plural:
            new.msgstr_plural = {i: "" for i in range(len(entry.msgstr_plural) or 2)}
        catalogue.append(new)
        known[_key(new)] = new
    missing: dict[str, str | list[str]] = {}
    for key, entry in known.items():
        if entry.obsolete:
            continue
        if key in given:
            value = given[key]
            if entry.msgid_plural:
                forms = value if isinstance(value, list) else [value]
                entry.msgstr_plural = dict(enumerate(forms))
            else:
                entry.msgstr = value if isinstance(value, str) else value[0]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        if not entry.translated() and (
            not applicant_only or is_applicant_facing(entry.occurrences)
        ):
            missing[key] = [""] * len(entry.msgstr_plural) if entry.msgid_plural else ""
    catalogue.save(str(path))
    print(json.dumps(missing, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
