"""The README's first lines are the two commands that must work on a fresh machine."""

from __future__ import annotations

from tests.conftest import repo_root


def readme_commands() -> list[str]:
    text = (repo_root() / "README.md").read_text(encoding="utf-8")
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_readme_opens_with_the_demo_and_test_commands() -> None:
    run_demo, run_tests = readme_commands()[:2]
    assert run_demo.endswith("attempt-tui --demo")
    assert "'.[test]'" in run_tests and run_tests.endswith(".venv/bin/pytest")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (repo_root() / ".ci" / "run").read_text(encoding="utf-8")
    run_tests = readme_commands()[1]
    for step in run_tests.split(" && "):
        assert step in ci, f"CI does not run the README step: {step}"
