"""The apps' shape, read from the source: each app imports only from the apps on its left,
and no module grows past 600 lines.

The journey (DESIGN §3) runs left to right; `core`, `network` and `people` sit below every
app. An app that must show something from an app on its right registers it in
`core.registry` instead of importing it. Ruff bans relative imports (TID252); this test bans
the rest: an import from an app on the right, and a private name (`_something`) taken from
another app.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "tremplin"

# From the bottom up. A new app takes its place here; the test fails until it does.
LAYERS = [
    "core",
    "network",
    "people",
    "messaging",
    "outreach",
    "selection",
    "placement",
    "training",
    "partners",
    "outcomes",
    "volunteers",
    "reporting",
    "demo",
]


def _apps() -> list[str]:
    return sorted(p.name for p in PACKAGE.iterdir() if (p / "apps.py").exists())


def _modules(app: str) -> list[Path]:
    return [
        path
        for path in sorted((PACKAGE / app).rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, module, names) of every `import tremplin…` and `from tremplin… import …`."""
    found: list[tuple[int, str, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name, []) for alias in node.names)
    return [entry for entry in found if entry[1].split(".")[0] == "tremplin"]


def test_every_app_has_its_place_in_the_journey() -> None:
    missing = [app for app in _apps() if app not in LAYERS]
    assert not missing, f"add {missing} to LAYERS in tests/test_layers.py, in journey order"


@pytest.mark.parametrize("app", _apps())
def test_an_app_imports_only_from_its_left(app: str) -> None:
    rank = LAYERS.index(app)
    wrong: list[str] = []
    for path in _modules(app):
        for line, module, names in _imports(path):
            parts = module.split(".")
            if len(parts) < 2 or parts[1] not in LAYERS or parts[1] == app:
                continue
            where = f"{path.relative_to(ROOT)}:{line}"
            if LAYERS.index(parts[1]) > rank:
                wrong.append(f"{where} imports {module}, an app on the right of {app}")
            private = [name for name in names if name.startswith("_")]
            if private:
                wrong.append(f"{where} takes private {private} from {module}")
    assert not wrong, "\n".join(wrong)


MAX_MODULE_LINES = 600


def test_no_module_grows_past_600_lines() -> None:
    """Past about 500 lines a module becomes a package, one module per concept (decision 0014)."""
    long = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for app in _apps()
        for path in _modules(app)
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert not long, "split into a package, one module per concept:\n" + "\n".join(long)
