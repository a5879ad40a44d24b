"""The Binder configuration, read the way repo2docker reads it, and a Binder build simulated here.

repo2docker (the tool that builds Binder images) runs without a Docker engine when asked only to
print its Dockerfile. The simulated build repeats what that Dockerfile does, without Docker: a
fresh virtual environment from binder/requirements.txt, then binder/postBuild itself (the package
installed non-editable from a copy of the repository, the student versions released), then
notebook 08 executed by a kernel of that environment.
"""

from __future__ import annotations

import glob
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import NoReturn

import pytest
from packaging.requirements import Requirement

REPO_ROOT = Path(__file__).resolve().parents[1]
BINDER = REPO_ROOT / "binder"
BINDER_PYTHON = "3.12"
NOTEBOOK_08 = REPO_ROOT / "notebooks" / "08-deep-cnn.ipynb"
# Notebook 08 trains for about a minute alone; a loaded 2-core machine was measured 10x slower.
NOTEBOOK_TIMEOUT_S = 1800
# What a Binder clone of the repository does not contain (local builds, caches, outputs).
NOT_IN_A_CLONE = (
    ".git", ".venv", "venv", "build", "dist", "*.egg-info", "student", "test-artifacts",
    "__pycache__", ".pytest_cache", ".ruff_cache", ".ipynb_checkpoints",
)  # fmt: skip

# Runs inside the simulated Binder environment: executes one notebook with nbclient, then asks
# the same kernel which Python it is and where it imported lectureml from.
EXECUTE_NOTEBOOK = """
import json, sys
from pathlib import Path
from typing import NoReturn
import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

path, timeout = Path(sys.argv[1]), int(sys.argv[2])
notebook = nbformat.read(path, as_version=4)
notebook.cells.append(new_code_cell(
    "import json, sys, lectureml\\n"
    "print(json.dumps({'python': sys.executable, 'lectureml': lectureml.__file__}))"
))
NotebookClient(
    notebook, timeout=timeout, kernel_name="python3",
    resources={"metadata": {"path": str(path.parent)}},
).execute()
print(notebook.cells[-1].outputs[0].text)
"""


def unavailable(reason: str) -> NoReturn:
    """Skip where a test tool is missing on a laptop; fail under CI, where skipping hides it."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the Binder tests must run, not skip)", pytrace=False)
    pytest.skip(reason)


def pins(requirements: str, python_version: str) -> dict[str, str]:
    """{package name: specifier} of requirements-file text, as pip reads it on python_version.

    Lines that are not requirements (comments, `-e .`, options) are left out.
    """
    environment = {"python_version": python_version, "python_full_version": f"{python_version}.0"}
    found = {}
    for line in requirements.splitlines():
        text = line.split(" #")[0].strip()
        if not text or text.startswith(("#", "-")):
            continue
        requirement = Requirement(text)
        if requirement.marker is None or requirement.marker.evaluate(environment):
            found[requirement.name.lower()] = str(requirement.specifier)
    return found


def binder_pins() -> dict[str, str]:
    return pins((BINDER / "requirements.txt").read_text(), BINDER_PYTHON)


def course_runtime_pins() -> dict[str, str]:
    """requirements.txt above its '# test and lint tools' line: what the notebooks need to run."""
    text = (REPO_ROOT / "requirements.txt").read_text()
    marker = "# test and lint tools"
    assert marker in text, f"requirements.txt lost its {marker!r} line after the runtime pins"
    return pins(text.split(marker)[0], BINDER_PYTHON)


# --- the configuration files ---------------------------------------------------------------------


def test_binder_pins_equal_the_course_pins() -> None:
    binder = binder_pins()
    course = pins((REPO_ROOT / "requirements.txt").read_text(), BINDER_PYTHON)
    assert binder, "binder/requirements.txt pins nothing"
    loose = {name: spec for name, spec in binder.items() if not spec.startswith("==")}
    assert not loose, f"binder/requirements.txt must pin exact versions (==), got {loose}"
    differing = {
        name: f"binder {spec}, requirements.txt {course.get(name, 'missing')}"
        for name, spec in binder.items()
        if course.get(name) != spec
    }
    assert not differing, f"binder/requirements.txt disagrees with requirements.txt: {differing}"


def test_binder_installs_every_runtime_pin_and_no_test_tool() -> None:
    runtime, binder = set(course_runtime_pins()), set(binder_pins())
    assert binder == runtime, (
        f"missing on Binder: {sorted(runtime - binder)}; "
        f"not a runtime pin of requirements.txt: {sorted(binder - runtime)}"
    )


def test_binder_keeps_jupyterlab_and_notebook_server_together() -> None:
    """repo2docker's base environment has notebook 7.x, which accepts one JupyterLab minor only."""
    binder = binder_pins()
    if "jupyterlab" in binder:
        assert "notebook" in binder, (
            "binder/requirements.txt pins jupyterlab but not notebook: the notebook server in "
            "repo2docker's base image would require a different JupyterLab"
        )


def test_runtime_is_python_3_12() -> None:
    assert (BINDER / "runtime.txt").read_text().strip() == f"python-{BINDER_PYTHON}"


def test_postbuild_is_an_executable_bash_script_that_stops_on_error() -> None:
    post_build = BINDER / "postBuild"
    lines = post_build.read_text().splitlines()
    assert os.access(post_build, os.X_OK), "binder/postBuild must be executable"
    assert lines[0] in {"#!/bin/bash", "#!/usr/bin/env bash"}, lines[0]
    assert "set -e" in lines, "binder/postBuild must stop at its first failing command"


def test_nothing_runs_when_binder_launches() -> None:
    """binder/start would run at every launch (e.g. a download); the course needs nothing then."""
    assert not (BINDER / "start").exists()


# Binder links in README.md: mybinder.org/v2/gh/<owner>/<repository>/HEAD?urlpath=lab/tree/<path>
BINDER_LINK = re.compile(
    r"https://mybinder\.org/v2/gh/(?P<repository>[\w.-]+/[\w.-]+)/HEAD"
    r"\?urlpath=lab/tree/(?P<path>[^\s)\]>]+)"
)


def test_readme_binder_links_open_notebook_01_and_its_student_version() -> None:
    links = BINDER_LINK.findall((REPO_ROOT / "README.md").read_text())
    assert {path for _, path in links} == {
        "notebooks/01-forward-pass.ipynb",
        "student/01-forward-pass.ipynb",
    }, f"README.md Binder links: {links}"
    # One repository path in every link: the only thing a fork changes.
    assert len({repository for repository, _ in links}) == 1, links
    assert (REPO_ROOT / "notebooks" / "01-forward-pass.ipynb").exists()


# --- repo2docker ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_repo2docker_builds_from_the_binder_directory() -> None:
    """`jupyter-repo2docker --no-build --debug .` prints the Dockerfile Binder would build."""
    if importlib.util.find_spec("repo2docker") is None:
        unavailable("jupyter-repo2docker is not installed: pip install -r requirements.txt")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "repo2docker", "--no-build", "--debug", str(REPO_ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    printed = result.stdout + result.stderr
    print(f"repo2docker --no-build --debug: {time.monotonic() - started:.1f} s")
    assert result.returncode == 0, printed[-3000:]
    assert "FROM " in printed, f"no Dockerfile printed:\n{printed[-3000:]}"
    assert f"conda environment for python={BINDER_PYTHON}\n" in printed, "not Python 3.12"
    assert re.search(r"^COPY .*src/binder/requirements\.txt ", printed, re.M), printed[-3000:]
    assert re.search(r'pip install .*-r "binder/requirements\.txt"', printed), printed[-3000:]
    assert not re.search(r'-r "requirements\.txt"', printed), "the root requirements.txt is used"
    assert "RUN ./binder/postBuild" in printed, printed[-3000:]
    assert "binder/start" not in printed


# --- the simulated build ------------------------------------------------------------------------


def binder_python() -> tuple[str, str]:
    """A Python 3.12 interpreter when this machine has one (Binder's), else this test's Python."""
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates = [
        shutil.which(f"python{BINDER_PYTHON}"),
        *sorted(glob.glob(str(pyenv_root / "versions" / f"{BINDER_PYTHON}*" / "bin" / "python3"))),
    ]
    for candidate in filter(None, candidates):
        probe = subprocess.run(
            [candidate, "-c", "import ensurepip, sys, venv; print(sys.version.split()[0])"],
            capture_output=True,
            text=True,
        )
        if probe.returncode == 0 and probe.stdout.startswith(f"{BINDER_PYTHON}."):
            return candidate, f"Python {probe.stdout.strip()} ({candidate}), as on Binder"
    version = sys.version.split()[0]
    return sys.executable, f"no Python {BINDER_PYTHON} here: Python {version} ({sys.executable})"


def build_env(venv: Path, jupyter_home: Path) -> dict[str, str]:
    """The environment of a shell inside the simulated image: its venv first, no user Jupyter setup.

    pip keeps its configuration (the package index) and its cache.
    """
    dropped = {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "IPYTHONDIR", "MPLBACKEND"}
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in dropped | {"PIP_NO_CACHE_DIR"} and not name.startswith(("JUPYTER", "JPY_"))
    }
    env["VIRTUAL_ENV"] = str(venv)
    env["PATH"] = os.pathsep.join([str(venv / "bin"), env.get("PATH", "")])
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        env[name] = str(jupyter_home / name.lower())
    return env


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: float) -> str:
    """Run a step of the build; its standard output, or a failure showing both streams."""
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, (
        f"{' '.join(command)} failed ({result.returncode}):\n"
        f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result.stdout


def package_files(package_dir: Path) -> set[str]:
    """Every file of the package (modules and data), relative to it, caches excluded."""
    return {
        path.relative_to(package_dir).as_posix()
        for path in package_dir.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def record(timings: dict[str, float], step: str, started: float) -> None:
    """Keep and print a step's duration as soon as it ends, so a later failure still shows it."""
    timings[step] = time.monotonic() - started
    print(f"{step}: {timings[step]:.1f} s")


def simulate_binder_build(clone: Path, notebook: str, workdir: Path) -> dict[str, float]:
    """Build a Binder-like environment for `clone` and execute clone/notebooks/<notebook> in it.

    Prints and returns the seconds each step took.
    """
    timings = {}
    python, which_python = binder_python()
    print(f"simulated Binder build with {which_python}")
    venv = workdir / "venv"
    env = build_env(venv, workdir / "jupyter")
    venv_python = str(venv / "bin" / "python")

    started = time.monotonic()
    run([python, "-m", "venv", str(venv)], workdir, env, timeout=300)
    run(
        [venv_python, "-m", "pip", "install", "-r", "binder/requirements.txt"],
        clone,
        env,
        timeout=1800,
    )
    record(timings, "venv from binder/requirements.txt", started)
    dependencies = run([venv_python, "-m", "pip", "freeze"], clone, env, timeout=120)

    started = time.monotonic()
    run(["bash", "binder/postBuild"], clone, env, timeout=900)
    record(timings, "postBuild", started)

    added = set(run([venv_python, "-m", "pip", "freeze"], clone, env, 120).splitlines())
    added -= set(dependencies.splitlines())
    assert [Requirement(line).name for line in added] == ["lectureml"], (
        f"postBuild must add only the course package, without its dependencies; it added {added}"
    )
    run([venv_python, "-m", "pip", "check"], clone, env, timeout=120)

    # Imported from outside the clone, lectureml can only come from the installed package.
    located = run(
        [venv_python, "-c", "import lectureml; print(lectureml.__file__)"], workdir, env, 60
    )
    installed = Path(located.strip().splitlines()[-1]).parent
    assert installed.is_relative_to(venv), f"lectureml imported from {installed}, not the venv"
    missing = package_files(clone / "lectureml") - package_files(installed)
    assert not missing, f"files of lectureml/ missing from the installed package: {sorted(missing)}"

    released = sorted(path.name for path in (clone / "student").glob("*.ipynb"))
    assert released == sorted(path.name for path in (clone / "notebooks").glob("*.ipynb"))
    for name in released:
        text = (clone / "student" / name).read_text()
        assert "### BEGIN SOLUTION" not in text and "### BEGIN HIDDEN TESTS" not in text, name

    started = time.monotonic()
    script = workdir / "execute_notebook.py"
    script.write_text(EXECUTE_NOTEBOOK)
    notebook_path = clone / "notebooks" / notebook
    output = run(
        [venv_python, str(script), str(notebook_path), str(NOTEBOOK_TIMEOUT_S)],
        workdir,
        env,
        timeout=NOTEBOOK_TIMEOUT_S + 120,
    )
    record(timings, f"executing {notebook}", started)
    kernel = json.loads(output.strip().splitlines()[-1])
    assert Path(kernel["python"]).parent == venv / "bin", f"the kernel ran {kernel['python']}"
    assert Path(kernel["lectureml"]).is_relative_to(venv), kernel["lectureml"]
    return timings


@pytest.mark.slow
def test_simulated_binder_build_runs_notebook_08(tmp_path: Path) -> None:
    clone = tmp_path / "repository"
    shutil.copytree(REPO_ROOT, clone, ignore=shutil.ignore_patterns(*NOT_IN_A_CLONE))
    simulate_binder_build(clone, NOTEBOOK_08.name, tmp_path)
