"""README.md's promises that CI proves: its test command is exactly what .ci/run runs."""

import re

from tests.helpers import REPO


def shell_blocks() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.*?)```", readme, flags=re.S)


def test_ci_runs_exactly_the_readme_test_command() -> None:
    [test_command] = [block.strip() for block in shell_blocks() if "pytest" in block]
    ci_lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines


def test_the_readme_start_command_installs_and_starts_the_bot() -> None:
    start = shell_blocks()[0].strip()
    assert "pip install" in start
    assert start.endswith("briefbot")


def test_ci_lints_after_the_readme_test_command() -> None:
    [test_command] = [block.strip() for block in shell_blocks() if "pytest" in block]
    ci_lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    tests_at = ci_lines.index(test_command)
    assert ci_lines[tests_at + 1 :] == [".venv/bin/ruff check .", ".venv/bin/ruff format --check ."]
