"""Every user-facing string has its French and Arabic translation; the catalogues are current."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("language", ["fr", "ar"])
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
    missing = [
        entry.msgid
        for entry in catalogue
        if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)
    ]
    assert not missing, f"{len(missing)} strings lack a translation in {language}: {missing[:20]}"


def test_the_committed_catalogues_compile() -> None:
    for language in ("fr", "ar"):
        po = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
        result = subprocess.run(
            ["msgfmt", "--check", "-o", os.devnull, str(po)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
