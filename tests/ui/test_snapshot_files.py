"""Every stored SVG snapshot belongs to a snapshot test that still exists.

Syrupy fails a serial run that leaves a snapshot unused, but skips that check under
pytest-xdist (which the suite runs with), so a renamed or deleted snapshot test would leave
its SVG behind unnoticed.
"""

from __future__ import annotations

import ast
from pathlib import Path

SNAPSHOTS = Path(__file__).resolve().parent / "__snapshots__"


def snapshot_tests(module: Path) -> set[str]:
    """Names of the test functions in `module` that take the `snap_compare` fixture."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
        and any(arg.arg == "snap_compare" for arg in node.args.args)
    }


def test_every_snapshot_file_has_its_test() -> None:
    stored = sorted(path for path in SNAPSHOTS.glob("*/*") if path.is_file())
    assert stored, f"no snapshots under {SNAPSHOTS}"
    orphans = []
    for path in stored:
        module = SNAPSHOTS.parent / f"{path.parent.name}.py"
        test = path.stem.split("[", 1)[0]  # a parametrized test's file is name[params].svg
        if path.suffix != ".svg" or not module.is_file() or test not in snapshot_tests(module):
            orphans.append(str(path.relative_to(SNAPSHOTS)))
    assert not orphans, f"snapshots without a snapshot test (delete them): {orphans}"
