"""The small stylesheets the pages an applicant sees are built from (item 15b: light enough
for a 2G connection).

Two builds, both from the npm packages in node_modules, by `tremplin build_light_assets`:

- **icons.css**: only the Bootstrap Icons the templates and the code use, each as an inline
  SVG in a CSS mask, so `<i class="bi bi-pencil">` keeps working (colour and size follow the
  text) without the 134 KB icon font.
- **bootstrap.css / bootstrap.rtl.css**: Bootstrap's own stylesheet with only the rules whose
  classes appear in the light pages' templates and in the code (forms' widget classes),
  for the pages registered with `registry.add_light_page`. Staff pages keep all of Bootstrap.

Pure text in, text out: no Django here, so the build can be tested on small inputs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from urllib.parse import quote

# --- Icons ------------------------------------------------------------------------------------

_ICON_IN_TEMPLATE = re.compile(r"\bbi-([a-z0-9]+(?:-[a-z0-9]+)*)")
_QUOTED = re.compile(r"""["']([a-z0-9]+(?:-[a-z0-9]+)*)["']""")
# Names built in a template from parts, which a scan cannot see whole.
DYNAMIC_ICONS = frozenset({"caret-up-fill", "caret-down-fill"})


def icon_names(*, templates: Iterable[str], code: Iterable[str], known: set[str]) -> set[str]:
    """The icons used: every ``bi-NAME`` in a template, and every quoted icon name on a line
    of code that mentions an icon (``icon="people"``, the public form's step tuples)."""
    names = set(DYNAMIC_ICONS)
    for text in templates:
        names.update(_ICON_IN_TEMPLATE.findall(text))
    for text in code:
        lines = text.splitlines()
        for number, line in enumerate(lines):
            window = " ".join(lines[max(0, number - 12) : number + 1])
            if "icon" in window.lower() or "STEPS" in window:
                names.update(_QUOTED.findall(line))
    return names & known


def _svg_data_uri(svg: str) -> str:
    inner = re.sub(r">\s+<", "><", re.sub(r"\s+", " ", svg).strip())
    opening, rest = inner.split(">", 1)  # the <svg> tag: its size and colour come from CSS
    inner = re.sub(r'\s(class|width|height|fill)="[^"]*"', "", opening) + ">" + rest
    inner = inner.replace('"', "'")
    return "data:image/svg+xml," + quote(inner, safe=" /:=',.-()")


ICON_BASE = (
    ".bi{display:inline-block}"
    '.bi::before{content:"";display:inline-block;width:1em;height:1em;vertical-align:-.125em;'
    "background-color:currentColor;-webkit-mask:var(--bi) no-repeat center/contain;"
    "mask:var(--bi) no-repeat center/contain}"
)


def icons_css(*, names: Iterable[str], svg_dir: Path) -> str:
    """One rule per icon: the SVG becomes the mask of a ``::before`` painted in currentColor."""
    lines = ["/* Bootstrap Icons (MIT), only those Tremplin uses: tremplin build_light_assets */"]
    lines.append(ICON_BASE)
    for name in sorted(names):
        svg = (svg_dir / f"{name}.svg").read_text(encoding="utf-8")
        lines.append(f'.bi-{name}{{--bi:url("{_svg_data_uri(svg)}")}}')
    return "\n".join(lines) + "\n"


# --- Bootstrap, purged --------------------------------------------------------------------------

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_NOT = re.compile(r":not\((?:[^()]|\([^()]*\))*\)")
_WORD = re.compile(r"[A-Za-z0-9_-]+")
# "alert-{{ tag }}", "text-bg-{% if … %}": every class with that beginning may be used.
_PREFIX = re.compile(r"([a-z][a-z0-9]*(?:-[a-z0-9]+)*-)\{[{%]")
_GROUPING = ("@media", "@supports", "@container", "@layer")


def _skip_string(css: str, i: int) -> int:
    quote_char = css[i]
    i += 1
    while i < len(css) and css[i] != quote_char:
        i += 2 if css[i] == "\\" else 1
    return i + 1


def _blocks(css: str) -> Iterator[tuple[str, str | None]]:
    """Top-level (prelude, body) pairs; body None for a statement such as @charset."""
    i, start, n = 0, 0, len(css)
    while i < n:
        c = css[i]
        if c in "\"'":
            i = _skip_string(css, i)
        elif c == ";":
            yield css[start:i].strip(), None
            i += 1
            start = i
        elif c == "{":
            depth, j = 1, i + 1
            while depth:
                if css[j] in "\"'":
                    j = _skip_string(css, j)
                    continue
                depth += {"{": 1, "}": -1}.get(css[j], 0)
                j += 1
            yield css[start:i].strip(), css[i + 1 : j - 1]
            i = start = j
        else:
            i += 1


def _split_selectors(prelude: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for c in prelude:
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        if c == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(c)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def used_words(texts: Iterable[str]) -> tuple[set[str], tuple[str, ...]]:
    """Every word of the texts (a class name is one), and the beginnings of class names that
    a template completes at render time."""
    words: set[str] = set()
    prefixes: set[str] = set()
    for text in texts:
        words.update(_WORD.findall(text))
        prefixes.update(_PREFIX.findall(text))
    return words, tuple(sorted(prefixes))


def class_is_used(words: set[str], prefixes: tuple[str, ...]) -> Callable[[str], bool]:
    return lambda name: name in words or name.startswith(prefixes)


def purge(css: str, used: Callable[[str], bool]) -> str:
    """The stylesheet with only the rules one of whose selectors names used classes only
    (a selector with no class, such as ``body`` or ``:root``, is kept). Keyframes survive
    when a kept rule names them."""
    kept = _purge(_COMMENT.sub("", css), used)
    out = []
    for prelude, body in _blocks(kept):
        if prelude.startswith(("@keyframes", "@-webkit-keyframes")):
            name = prelude.split()[-1]
            if kept.count(name) < 2:
                continue
        out.append(prelude + (";" if body is None else "{" + body + "}"))
    return "".join(out)


def _purge(css: str, used: Callable[[str], bool]) -> str:
    out = []
    for prelude, body in _blocks(css):
        if body is None:
            out.append(prelude + ";")
        elif prelude.startswith(_GROUPING):
            inner = _purge(body, used)
            if inner:
                out.append(prelude + "{" + inner + "}")
        elif prelude.startswith("@"):
            out.append(prelude + "{" + body + "}")
        else:
            selectors = [
                s
                for s in _split_selectors(prelude)
                if all(used(name) for name in _CLASS.findall(_NOT.sub("", s)))
            ]
            if selectors:
                out.append(",".join(selectors) + "{" + body + "}")
    return "".join(out)
