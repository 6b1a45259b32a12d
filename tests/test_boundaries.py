"""Architecture rules: which layers may import what.

- api/, demo/, worker, config/, timeparse.py, secret.py and safe.py never import textual
  (nor the ui package, which would pull it in).
- ui/ never imports httpx, starlette or uvicorn, and takes from config/ only types and the URL
  display helper: it never resolves settings or reads or writes config files itself.
- Importing the CLI or the demo package stays cheap: no textual/starlette/uvicorn at import time.

Files that do not exist yet are simply not checked.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "attempt_tui"

NO_TEXTUAL = ("textual", "attempt_tui.ui")
NO_NETWORK_STACK = ("httpx", "starlette", "uvicorn")


ENTRY_POINTS = ("__init__.py", "__main__.py", "cli.py")


def non_ui_files() -> list[Path]:
    files = {
        *PKG.glob("api/**/*.py"),
        *PKG.glob("demo/**/*.py"),
        *PKG.glob("config/**/*.py"),
        *PKG.glob("worker/**/*.py"),
    }
    # Every top-level module but the entry points, which start the UI on purpose.
    files.update(path for path in PKG.glob("*.py") if path.name not in ENTRY_POINTS)
    return sorted(path for path in files if path.is_file())


def ui_files() -> list[Path]:
    return sorted(PKG.glob("ui/**/*.py"))


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(source: str, module: str, *, is_package: bool) -> Iterator[tuple[str, int]]:
    """Every module an import statement anywhere in `source` may load, with its line number.

    Covers `import x`, `from x import y` (yielding both `x` and `x.y`, since y may be a
    submodule), relative imports, and `importlib.import_module("x")` / `__import__("x")` with a
    literal name, at any nesting depth (inside functions, try blocks, TYPE_CHECKING blocks).
    """
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            yield base, node.lineno
            for alias in node.names:
                yield f"{base}.{alias.name}", node.lineno
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            first = node.args[0]
            if (
                called in ("import_module", "__import__")
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                yield first.value, node.lineno


def violations(path: Path, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    names = imported_names(
        path.read_text(encoding="utf-8"),
        module_name(path),
        is_package=path.name == "__init__.py",
    )
    for name, line in names:
        if any(name == bad or name.startswith(bad + ".") for bad in forbidden):
            found.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return found


# --- the detector itself ---------------------------------------------------------------------


def test_detector_finds_every_import_form() -> None:
    source = """
import os
import textual.app
from textual import on
from httpx import AsyncClient

def later():
    from starlette.applications import Starlette
    import importlib
    importlib.import_module("uvicorn")
    __import__("textual.widgets")

try:
    from ..ui import app
except ImportError:
    pass
from . import models
"""
    names = {name for name, _ in imported_names(source, "attempt_tui.api.client", is_package=False)}
    assert {"os", "textual.app", "textual", "textual.on", "httpx", "httpx.AsyncClient"} <= names
    assert {"starlette.applications", "uvicorn", "textual.widgets"} <= names
    assert {"attempt_tui.ui", "attempt_tui.ui.app", "attempt_tui.api.models"} <= names


def test_detector_resolves_relative_imports_in_packages() -> None:
    names = {name for name, _ in imported_names("from .x import y", "a.b", is_package=True)}
    assert names == {"a.b.x", "a.b.x.y"}
    names = {name for name, _ in imported_names("from .. import ui", "a.b.c", is_package=False)}
    assert names == {"a", "a.ui"}


def test_violations_reports_file_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    bad = tmp_path / "attempt_tui" / "worker.py"
    bad.parent.mkdir()
    bad.write_text("import json\n\ndef f():\n    from textual.app import App\n", encoding="utf-8")
    assert violations(bad, NO_TEXTUAL) == [
        "attempt_tui/worker.py:4 imports textual.app",
        "attempt_tui/worker.py:4 imports textual.app.App",
    ]


# --- the rules -------------------------------------------------------------------------------


def test_api_package_exists() -> None:
    assert (PKG / "api").is_dir()
    assert (PKG / "api" / "__init__.py").is_file()
    assert PKG / "api" / "__init__.py" in non_ui_files()


def test_non_ui_modules_never_import_textual() -> None:
    found = [v for path in non_ui_files() for v in violations(path, NO_TEXTUAL)]
    assert found == []


def test_ui_modules_never_import_the_network_stack() -> None:
    found = [v for path in ui_files() for v in violations(path, NO_NETWORK_STACK)]
    assert found == []


# What ui/ may take from config/: types, the error it catches, and the pure URL display helper.
# Profiles and the theme reach the app as a ProfileLoader and a ThemeStore built by the CLI.
UI_MAY_USE_FROM_CONFIG = frozenset(
    {"Settings", "ConfigError", "ProfileLoader", "ThemeStore", "display_url", "urls"}
)


def takes_more_than_types_from_config(name: str) -> bool:
    if not name.startswith("attempt_tui.config."):
        return False
    return not set(name.removeprefix("attempt_tui.config.").split(".")) <= UI_MAY_USE_FROM_CONFIG


def config_uses_beyond_types(path: Path) -> list[str]:
    names = imported_names(
        path.read_text(encoding="utf-8"), module_name(path), is_package=path.name == "__init__.py"
    )
    return [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for name, line in names
        if takes_more_than_types_from_config(name)
    ]


def test_config_package_exists() -> None:
    assert PKG / "config" / "settings.py" in non_ui_files()


def test_ui_modules_never_resolve_settings_or_touch_config_files() -> None:
    found = [v for path in ui_files() for v in config_uses_beyond_types(path)]
    assert found == []


def test_the_ui_config_rule_catches_resolution() -> None:
    source = "from attempt_tui.config import Settings, resolve\nimport attempt_tui.config.themes\n"
    names = {name for name, _ in imported_names(source, "attempt_tui.ui.app", is_package=False)}
    offending = {name for name in names if takes_more_than_types_from_config(name)}
    assert offending == {"attempt_tui.config.resolve", "attempt_tui.config.themes"}


def loaded_roots(code: str) -> list[str]:
    """Run `code` in a fresh interpreter, then list loaded textual/starlette/uvicorn modules."""
    probe = (
        f"{code}\nimport sys\n"
        "print(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('starlette', 'uvicorn', 'textual')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line.startswith("[")]


def test_non_ui_modules_do_not_load_textual_at_runtime() -> None:
    modules = sorted({module_name(path) for path in non_ui_files()})
    code = "\n".join(f"import {name}" for name in modules)
    roots = loaded_roots(code)
    assert roots, "probe printed nothing"
    assert not [m for m in ast.literal_eval(roots[-1]) if m.split(".")[0] == "textual"]


@pytest.mark.skipif(not (PKG / "cli.py").is_file(), reason="attempt_tui/cli.py not written yet")
def test_cli_import_is_cheap() -> None:
    assert loaded_roots("import attempt_tui.cli") == ["[]"]


@pytest.mark.skipif(
    not (PKG / "demo" / "__init__.py").is_file(), reason="attempt_tui/demo not written yet"
)
def test_demo_import_does_not_load_starlette_or_uvicorn() -> None:
    assert loaded_roots("import attempt_tui.demo") == ["[]"]
