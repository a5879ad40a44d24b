"""Run a notebook in a fresh kernel, isolated in a child process that can be killed.

`run_notebook` writes the notebook and a job description into a private temporary
directory and starts `python -m lectureml.grading.child JOB` in a new session.
That child (child.py) starts a kernel with a minimal environment (as an unprivileged user
when the grader is root, with an address-space limit against memory bombs), executes the
cells one by one with a per-cell timeout that interrupts the kernel, and appends one JSON
line per cell to a progress file. When the notebook's wall-clock budget runs out the parent
kills the child's session and the kernel's process group; the cells finished before that
still count.

The kernel is always the grader's own Python (sys.executable), so the student's kernel and
the grader share one `lectureml` and one registry of checks.
"""

import functools
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from lectureml.grading.expectations import RECORD_ENV

# Set in every kernel we start, so `lectureml.grading.check()` inside it does nothing.
NESTED_ENV = "LECTUREML_GRADING_KERNEL"
# The course's largest legitimate record file is about 10 kB; parsing a flood of 256 MB took
# 3.2 GB of the grader's memory.
MAX_RECORD_BYTES = 4 * 2**20
# Seconds a cell may run. Notebook 08's training cell takes about 35 s on an idle 2-core
# laptop and up to 60 s on a busy one, so 60 would cut off honest work.
DEFAULT_CELL_TIMEOUT = 120
# Threads of numerical libraries: one per kernel, since several kernels run side by side.
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
_PROBED = ("PATH", "PYTHONPATH", "LD_LIBRARY_PATH", "LANG")


@dataclass(frozen=True)
class KernelUser:
    name: str
    uid: int
    gid: int


@dataclass(frozen=True)
class CellRun:
    """What happened to one executed code cell.

    status is "ok", "error", "timeout" (interrupted after the per-cell timeout) or
    "kernel_died"; records_end is the record file's size once the cell had finished.
    """

    index: int
    status: str
    ename: str = ""
    evalue: str = ""
    traceback: str = ""
    execution_count: int | None = None
    records_end: int = 0


@dataclass
class NotebookRun:
    """The executed cells by index; cells missing from `cells` never finished."""

    cells: dict = field(default_factory=dict)
    budget_exceeded: bool = False
    problem: str = ""
    records: bytes = b""
    records_truncated: bool = False


@functools.cache
def resolve_kernel_user(name):
    """(KernelUser or None, a sentence saying whom kernels run as and why).

    Only root can switch users, and only to one that can run this Python and import
    lectureml (a Python installed under root's home, for instance, cannot be run by
    `nobody`); otherwise kernels run as the grader's own user.
    """
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None, "kernels run as the grader's own user (switching users needs root)"
    if not name:
        return None, "kernels run as root (no --kernel-user given)"
    import pwd

    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return None, f"kernels run as root: there is no user {name!r}"
    user = KernelUser(name, entry.pw_uid, entry.pw_gid)
    probe = [sys.executable, "-c", "import ipykernel, lectureml.grading"]
    env = {key: value for key, value in kernel_environment(Path("/")).items() if key in _PROBED}
    try:
        result = subprocess.run(
            probe,
            user=user.uid,
            group=user.gid,
            extra_groups=[],
            env=env,
            cwd="/",
            capture_output=True,
            timeout=120,
            check=False,
        )
        failed = result.returncode != 0
        detail = (result.stderr.decode(errors="replace").strip().splitlines() or [""])[-1]
    except (OSError, subprocess.SubprocessError) as error:
        failed, detail = True, f"{type(error).__name__}: {error}"
    if failed:
        return None, f"kernels run as root: user {name} cannot run {sys.executable} ({detail})"
    return user, f"kernels run as the unprivileged user {name}"


def kernel_environment(sandbox, record_file=None):
    """A minimal environment: none of the grader's variables (tokens, paths) leak in."""
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": str(sandbox / "home"),
        "TMPDIR": str(sandbox / "tmp"),
        "IPYTHONDIR": str(sandbox / "home" / ".ipython"),
        "MPLCONFIGDIR": str(sandbox / "home" / ".matplotlib"),
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        NESTED_ENV: "1",
    }
    for name in ("PYTHONPATH", "LD_LIBRARY_PATH", "SYSTEMROOT", *_THREAD_VARIABLES):
        if name in os.environ:
            env[name] = os.environ[name]
    for name in _THREAD_VARIABLES:
        env.setdefault(name, "1")
    if record_file is not None:
        env[RECORD_ENV] = str(record_file)
    return env


def _kill_group(pid):
    if not pid:
        return
    try:
        if hasattr(os, "killpg"):
            os.killpg(pid, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGTERM)
    except OSError:
        pass  # already gone


def _read_events(path):
    events = []
    if not path.exists():
        return events
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue  # a line cut short when the child was killed
        if isinstance(event, dict):
            events.append(event)
    return events


def _read_records(path):
    """The record file's first MAX_RECORD_BYTES + 1 bytes (one more tells that it was longer);
    nothing if the kernel swapped it for a link, pipe or device.

    The kernel's user owns the sandbox: a link could point at a file only the grader may
    read, and a named pipe would block the grader forever.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return b""
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            return b""
        return file.read(MAX_RECORD_BYTES + 1)


def _prepare_sandbox(sandbox, user, record):
    for sub in ("home", "tmp", "work"):
        (sandbox / sub).mkdir()
    record_file = sandbox / "records.jsonl" if record else None
    if record_file is not None:
        record_file.touch()
    if user is not None:
        for path in [sandbox, *sandbox.iterdir()]:
            os.chown(path, user.uid, user.gid)
    return record_file


def run_notebook(
    nb,
    *,
    cell_timeout=DEFAULT_CELL_TIMEOUT,
    notebook_timeout=600,
    memory_limit_mb=None,
    kernel_user=None,
    cwd=None,
    record=False,
):
    """Execute every code cell of `nb` in a fresh kernel; return a NotebookRun.

    Args:
        nb: nbformat NotebookNode (not modified).
        cell_timeout: seconds before a cell is interrupted (status "timeout").
        notebook_timeout: wall-clock budget in seconds for the whole run, kernel start
            included; when it runs out the kernel is killed and unfinished cells are missing.
        memory_limit_mb: address-space limit (RLIMIT_AS) of the kernel, or None.
        kernel_user: a KernelUser to run the kernel as (root only), or None.
        cwd: the kernel's working directory (default: an empty private one).
        record: start the kernel in grading mode, with a record file for `expect`.
    """
    private = Path(tempfile.mkdtemp(prefix="lectureml-run-"))
    sandbox = Path(tempfile.mkdtemp(prefix="lectureml-kernel-"))
    try:
        record_file = _prepare_sandbox(sandbox, kernel_user, record)
        notebook_file, progress_file = private / "notebook.ipynb", private / "progress.jsonl"
        nbformat.write(nb, notebook_file)
        job = {
            "notebook": str(notebook_file),
            "progress": str(progress_file),
            "sandbox": str(sandbox),
            "cwd": str(cwd or sandbox / "work"),
            "env": kernel_environment(sandbox, record_file),
            "records": str(record_file) if record_file else None,
            "cell_timeout": cell_timeout,
            "memory_limit_mb": memory_limit_mb,
            "uid": kernel_user.uid if kernel_user else None,
            "gid": kernel_user.gid if kernel_user else None,
        }
        job_file = private / "job.json"
        job_file.write_text(json.dumps(job), encoding="utf-8")
        with open(private / "runner.log", "wb") as log:
            child = subprocess.Popen(
                [sys.executable, "-m", "lectureml.grading.child", str(job_file)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            budget_exceeded = False
            try:
                child.wait(timeout=notebook_timeout)
            except subprocess.TimeoutExpired:
                budget_exceeded = True
                _kill_group(child.pid)
                child.wait()
        events = _read_events(progress_file)
        finished = any(event.get("event") == "done" for event in events)
        if not finished:
            # The child did not shut its kernel down: kill the kernel's process group,
            # with whatever the student's code started in it.
            for event in events:
                if event.get("event") == "kernel":
                    _kill_group(event.get("pid"))
        run = NotebookRun(budget_exceeded=budget_exceeded)
        for event in events:
            if event.get("event") == "cell":
                fields = {key: value for key, value in event.items() if key != "event"}
                run.cells[event["index"]] = CellRun(**fields)
        if not finished and not budget_exceeded:
            problems = [e["message"] for e in events if e.get("event") == "problem"]
            log_tail = (private / "runner.log").read_text(errors="replace")[-2000:]
            run.problem = problems[0] if problems else f"the runner stopped early:\n{log_tail}"
        if record_file is not None:
            records = _read_records(record_file)
            run.records_truncated = len(records) > MAX_RECORD_BYTES
            run.records = records[:MAX_RECORD_BYTES]
        return run
    finally:
        shutil.rmtree(private, ignore_errors=True)
        shutil.rmtree(sandbox, ignore_errors=True)
