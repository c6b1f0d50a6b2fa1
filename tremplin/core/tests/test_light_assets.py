"""The trimmed stylesheets of the light pages (item 15b), on small inputs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tremplin.core import light_assets


def _used(*texts: str) -> Callable[[str], bool]:
    words, prefixes = light_assets.used_words(texts)
    return light_assets.class_is_used(words, prefixes)


def test_purge_keeps_the_rules_of_used_classes_only() -> None:
    css = ".btn{a:1}.card{b:2}.btn-lg,.btn-sm{c:3}body{d:4}"
    assert light_assets.purge(css, _used('<a class="btn btn-lg">')) == (
        ".btn{a:1}.btn-lg{c:3}body{d:4}"
    )


def test_purge_keeps_media_queries_with_a_used_rule_and_drops_empty_ones() -> None:
    css = "@media (min-width:576px){.col-sm-6{a:1}.row-cols-sm-2{b:2}}@media print{.d-print{c:3}}"
    assert light_assets.purge(css, _used("col-sm-6")) == "@media (min-width:576px){.col-sm-6{a:1}}"


def test_a_class_under_not_is_not_required() -> None:
    css = ".btn:not(.btn-check)+.btn{a:1}"
    assert light_assets.purge(css, _used("btn")) == css


def test_a_class_a_template_completes_at_render_time_is_kept() -> None:
    css = ".alert-danger{a:1}.alert-info{b:2}.badge{c:3}"
    used = _used('<div class="alert alert-{{ message.tags }}">')
    assert light_assets.purge(css, used) == ".alert-danger{a:1}.alert-info{b:2}"


def test_keyframes_stay_only_when_a_kept_rule_names_them() -> None:
    css = (
        "@keyframes spin{to{transform:rotate(1turn)}}.spinner{animation:spin 1s}"
        "@keyframes glow{50%{opacity:.2}}.placeholder-glow{animation:glow 2s}"
    )
    assert light_assets.purge(css, _used("spinner")) == (
        "@keyframes spin{to{transform:rotate(1turn)}}.spinner{animation:spin 1s}"
    )


def test_strings_and_comments_do_not_break_the_rules() -> None:
    css = "/*! header */.form-select{background:url(\"data:image/svg+xml,%3csvg a='{}'\")}.x{a:1}"
    assert light_assets.purge(css, _used("form-select")) == (
        ".form-select{background:url(\"data:image/svg+xml,%3csvg a='{}'\")}"
    )


def test_icon_names_come_from_templates_and_from_code_that_names_an_icon() -> None:
    known = {"pencil", "people", "person", "search", "send"}
    names = light_assets.icon_names(
        templates=['<i class="bi bi-pencil"></i> <i class="bi bi-{{ item.icon }}"></i>'],
        code=['NavItem(label="People", icon="people")', 'query = "search"'],
        known=known,
    )
    assert names == {"pencil", "people"}


def test_an_icon_is_an_svg_mask_painted_in_the_text_colour(tmp_path: Path) -> None:
    (tmp_path / "send.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" fill="currentColor"'
        ' class="bi bi-send" viewBox="0 0 16 16">\n  <path d="M15 .5z"/>\n</svg>\n'
    )
    css = light_assets.icons_css(names=["send"], svg_dir=tmp_path)
    assert "background-color:currentColor" in css
    assert (
        ".bi-send{--bi:url(\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'"
        " viewBox='0 0 16 16'%3E%3Cpath d='M15 .5z'/%3E%3C/svg%3E\")}"
    ) in css
