"""Text staff type, in the reader's language (core/translations.py)."""

from __future__ import annotations

from types import SimpleNamespace

from django.utils import translation

from tremplin.core.translations import text_in


def test_the_readers_language_else_the_text_as_typed() -> None:
    call = SimpleNamespace(title="Digital basics", translations={"km": {"title": "ជំនាញ"}})
    with translation.override("km"):
        assert text_in(call, "title") == "ជំនាញ"
    with translation.override("vi"):
        assert text_in(call, "title") == "Digital basics"


def test_a_mapping_in_a_template_context_works_too() -> None:
    call = {"title": "Digital basics", "translations": {"vi": {"title": "Kỹ năng số"}}}
    assert text_in(call, "title", "vi") == "Kỹ năng số"
    assert text_in({"title": "Plain"}, "title", "km") == "Plain"
    assert text_in({}, "title", "km") == ""


def test_each_language_is_named_in_its_own_words() -> None:
    # Django names Khmer "Khmer" in Khmer: the switcher an applicant reads showed it in English;
    # and Vietnamese in decomposed accents (NFD).
    assert translation.get_language_info("km")["name_local"] == "ខ្មែរ"
    assert translation.get_language_info("vi")["name_local"] == "Tiếng Việt"
    assert translation.get_language_info("km")["name"] == "Khmer"
