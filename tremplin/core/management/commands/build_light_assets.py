"""Build the icon stylesheet and the trimmed Bootstrap of the light pages from node_modules.

    tremplin build_light_assets          write the files (run by `make install`)
    tremplin build_light_assets --check  exit 1 if a committed file is out of date

What it reads and why: see tremplin/core/light_assets.py and docs/decisions/0018-light-pages.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.loader import get_template

from tremplin.core import light_assets
from tremplin.core.registry import registry

CORE_STATIC = Path(__file__).resolve().parents[2] / "static" / "core"
ICONS = CORE_STATIC / "icons.css"
LIGHT_BOOTSTRAP = {
    CORE_STATIC / "light" / "bootstrap.min.css": "bootstrap.min.css",
    CORE_STATIC / "light" / "bootstrap.rtl.min.css": "bootstrap.rtl.min.css",
}
# Rendered by every light page: the layout and the form templates; and the error pages,
# which a light page's address can answer with.
SHARED_TEMPLATES = (
    "base.html",
    "core/forms/form.html",
    "core/forms/field.html",
    "403.html",
    "404.html",
)


def _template_text(name: str) -> str:
    origin = get_template(name).origin  # type: ignore[attr-defined]
    return Path(origin.name).read_text(encoding="utf-8")


def _all_templates() -> list[Path]:
    package = Path(settings.BASE_DIR) / "tremplin"
    return sorted(package.rglob("templates/**/*.html"))


def _code() -> list[str]:
    package = Path(settings.BASE_DIR) / "tremplin"
    return [
        path.read_text(encoding="utf-8")
        for path in sorted(package.rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


def build() -> dict[Path, str]:
    """The text of every built file, by path."""
    node_modules = Path(settings.BASE_DIR) / "node_modules"
    svg_dir = node_modules / "bootstrap-icons" / "icons"
    known = {path.stem for path in svg_dir.glob("*.svg")}
    code = _code()
    names = light_assets.icon_names(
        templates=[p.read_text(encoding="utf-8") for p in _all_templates()],
        code=code,
        known=known,
    )
    built = {ICONS: light_assets.icons_css(names=names, svg_dir=svg_dir)}
    light_templates = sorted(
        {name for page in registry.light_pages.values() for name in page.templates}
        | set(SHARED_TEMPLATES)
    )
    words, prefixes = light_assets.used_words([_template_text(n) for n in light_templates] + code)
    used = light_assets.class_is_used(words, prefixes)
    dist = node_modules / "bootstrap" / "dist" / "css"
    for path, source in LIGHT_BOOTSTRAP.items():
        header = f"/* Bootstrap 5.3 (MIT), trimmed to the light pages' classes: {source} */\n"
        css = light_assets.purge((dist / source).read_text(encoding="utf-8"), used)
        built[path] = header + css + "\n"
    return built


class Command(BaseCommand):
    help = "Build the icon stylesheet and the light pages' trimmed Bootstrap from node_modules."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Only say whether the files are up to date."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        built = build()
        if options["check"]:
            stale = [
                str(path.relative_to(settings.BASE_DIR))
                for path, text in built.items()
                if not path.exists() or path.read_text(encoding="utf-8") != text
            ]
            if stale:
                raise CommandError(
                    "Out of date: " + ", ".join(stale) + ". Run: tremplin build_light_assets"
                )
            self.stdout.write("The light assets are up to date.")
            return
        for path, text in built.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            self.stdout.write(f"{path.relative_to(settings.BASE_DIR)}: {len(text):,} bytes")
