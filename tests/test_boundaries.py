"""Architecture rules that import-linter cannot express.

The import rules themselves are import-linter contracts in pyproject.toml (`lint-imports` in
CI): only ui/ imports textual; ui/ never imports httpx, the API client, the demo or config
resolution; ui above the worker above the API. What is left here:

- the textual contract names its source modules one by one, so a new top-level module must
  join it (import-linter has no "every module but these");
- ui/ takes from the `attempt_tui.config` package only types and the URL display helper
  (import-linter sees modules, not the names imported from a package that re-exports);
- importing the CLI or the demo package stays cheap: no textual/starlette/uvicorn loaded.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Any

from attempt_tui.compat import tomllib

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "attempt_tui"

# Modules that start the UI on purpose, and the UI itself.
UI_SIDE = frozenset(
    {"attempt_tui.__main__", "attempt_tui.cli", "attempt_tui.launch", "attempt_tui.ui"}
)

# What ui/ may take from the config package: types, the error it catches, the URL display
# helper. Profiles and the theme reach the app as a ProfileLoader and a ThemeStore built by
# the CLI.
UI_MAY_USE_FROM_CONFIG = frozenset(
    {"Settings", "ConfigError", "ProfileLoader", "ThemeStore", "display_url"}
)


def contract(name: str) -> dict[str, Any]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["name"] == name)


def top_level_modules() -> set[str]:
    modules = {f"attempt_tui.{path.stem}" for path in PKG.glob("*.py") if path.stem != "__init__"}
    modules |= {f"attempt_tui.{path.parent.name}" for path in PKG.glob("*/__init__.py")}
    return modules


def test_every_non_ui_module_is_kept_free_of_textual() -> None:
    sources = set(contract("Only the UI imports textual")["source_modules"])
    assert sources == top_level_modules() - UI_SIDE


def config_names_taken(source: str) -> list[tuple[int, str]]:
    """What a module takes from the `attempt_tui.config` package itself, with line numbers."""
    taken = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "attempt_tui.config":
            taken += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            # `import attempt_tui.config` hands over everything the package re-exports.
            taken += [(node.lineno, "*") for a in node.names if a.name == "attempt_tui.config"]
    return taken


def test_ui_takes_only_types_from_the_config_package() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line} takes {name} from attempt_tui.config"
        for path in sorted(PKG.glob("ui/**/*.py"))
        for line, name in config_names_taken(path.read_text(encoding="utf-8"))
        if name not in UI_MAY_USE_FROM_CONFIG
    ]
    assert found == []


def test_the_config_name_rule_catches_resolution() -> None:
    source = (
        "from attempt_tui.config import Settings, resolve\n"
        "def later():\n    import attempt_tui.config\n"
    )
    taken = config_names_taken(source)
    assert taken == [(1, "Settings"), (1, "resolve"), (3, "*")]
    assert [name for _, name in taken if name not in UI_MAY_USE_FROM_CONFIG] == ["resolve", "*"]


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


def test_cli_import_is_cheap() -> None:
    assert loaded_roots("import attempt_tui.cli") == ["[]"]


def test_demo_import_does_not_load_starlette_or_uvicorn() -> None:
    assert loaded_roots("import attempt_tui.demo") == ["[]"]
