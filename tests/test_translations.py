"""Every user-facing string has its French and Arabic translation, every string an applicant
sees also its Khmer and Vietnamese one (tests/applicant_strings.py); the catalogues are
current."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests.applicant_strings import is_applicant_facing

ROOT = Path(__file__).resolve().parent.parent
STAFF_LANGUAGES = ("fr", "ar")  # every string (English is the source)
APPLICANT_ONLY_LANGUAGES = ("km", "vi")  # the strings an applicant sees


def _missing(catalogue: polib.POFile, *, applicant_only: bool) -> list[str]:
    return [
        entry.msgid
        for entry in catalogue
        if not entry.obsolete
        and (not entry.translated() or "fuzzy" in entry.flags)
        and (not applicant_only or is_applicant_facing(entry.occurrences))
    ]


def test_a_missing_khmer_translation_of_an_applicant_string_is_found() -> None:
    catalogue = polib.POFile()
    catalogue.append(
        polib.POEntry(
            msgid="Save and continue",
            msgstr="",
            occurrences=[("tremplin/selection/templates/selection/apply_step.html", "1")],
        )
    )
    catalogue.append(
        polib.POEntry(
            msgid="Changes saved.",
            msgstr="",
            occurrences=[("tremplin/network/views.py", "1")],
        )
    )
    catalogue.append(
        polib.POEntry(
            msgid="Choose one of the answers.",
            msgstr="",
            occurrences=[("tremplin/placement/services/attempts.py", _line_after_mark())],
        )
    )
    assert _missing(catalogue, applicant_only=True) == [
        "Save and continue",
        "Choose one of the answers.",
    ]


def _line_after_mark() -> str:
    lines = (ROOT / "tremplin/placement/services/attempts.py").read_text().splitlines()
    marked = next(n for n, line in enumerate(lines, start=1) if "applicant-facing" in line)
    return str(marked + 1)


@pytest.mark.parametrize("language", [*STAFF_LANGUAGES, *APPLICANT_ONLY_LANGUAGES])
def test_every_string_has_its_french_translation(tmp_path: Path, language: str) -> None:
    # Extract the strings from a copy of the code, merged into a copy of the catalogues,
    # so the test sees exactly what `makemessages` would produce, without touching the tree.
    shutil.copytree(
        ROOT / "tremplin", tmp_path / "tremplin", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", language, "--no-obsolete"],
        cwd=tmp_path,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "TREMPLIN_LOCALE_DIR": str(tmp_path / "locale"),
            "PYTHONPATH": str(ROOT),
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    catalogue = polib.pofile(str(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po"))
    missing = _missing(catalogue, applicant_only=language in APPLICANT_ONLY_LANGUAGES)
    assert not missing, f"{len(missing)} strings lack a translation in {language}: {missing[:20]}"


def test_the_committed_catalogues_compile() -> None:
    for language in (*STAFF_LANGUAGES, *APPLICANT_ONLY_LANGUAGES):
        po = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
        result = subprocess.run(
            ["msgfmt", "--check", "-o", os.devnull, str(po)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr


def test_a_plural_is_translated_only_by_its_plural_forms() -> None:
    """A count's sentence takes its form from the count: in Arabic, six forms ("4 قرارات",
    "11 قرارًا", "100 قرار"). A leftover one-form entry whose msgid is another entry's plural
    text gave "تم اعتماد 4 قرار" whatever the count; none is left, and every Arabic plural
    entry fills its six forms."""
    for language in (*STAFF_LANGUAGES, *APPLICANT_ONLY_LANGUAGES):
        catalogue = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
        entries = [e for e in catalogue if not e.obsolete]
        plurals = {e.msgid_plural for e in entries if e.msgid_plural}
        stale = [e.msgid for e in entries if not e.msgid_plural and e.msgid in plurals]
        assert not stale, f"{language}: one-form entries for plural texts: {stale}"
    arabic = polib.pofile(str(ROOT / "locale" / "ar" / "LC_MESSAGES" / "django.po"))
    short = [
        e.msgid
        for e in arabic
        if e.msgid_plural
        and not e.obsolete
        and not all(e.msgstr_plural.get(form) for form in range(6))
    ]
    assert not short, f"Arabic plural entries without their six forms: {short}"


def test_french_puts_a_non_breaking_space_before_a_colon() -> None:
    """French typography: "« Femme » : 25 %", with a space that does not break the line
    before the colon, in the catalogue and in the label-value pairs the pages build."""
    import re

    from django.utils import translation
    from django.utils.translation import gettext

    catalogue = polib.pofile(str(ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    tight = re.compile(r"(?:\S| ):(?=\s|$)")
    wrong = [
        text
        for entry in catalogue
        if not entry.obsolete
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if tight.search(text.replace("\u00a0:", "").replace("\u202f:", ""))
    ]
    assert not wrong, f"{len(wrong)} French strings without a non-breaking space: {wrong[:5]}"
    with translation.override("fr"):
        shown = gettext("%(label)s: %(value)s") % {"label": "« Femme »", "value": "25 %"}
    assert shown == "« Femme »\u00a0: 25 %"
