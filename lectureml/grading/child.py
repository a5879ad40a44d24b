"""The child process of `runner.run_notebook`: `python -m lectureml.grading.child JOB_FILE`.

Starts the kernel described by the job (environment, working directory, user, memory
limit), executes the code cells one at a time and appends one JSON line per cell to the
progress file: {"event": "cell", "index", "status", "ename", "evalue", "traceback",
"execution_count", "records_end"}, where status is ok, error, timeout or kernel_died.
"""

import json
import os
import re
import sys
from pathlib import Path

TIMEOUT_ENAME = "CellTimeout"
MAX_TRACEBACK_CHARS = 20_000
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# The kernel lowers its own address-space limit before ipykernel starts: lowering a limit
# needs no privilege, unlike setting another user's limit from outside.
_LIMITED_LAUNCH = (
    "import resource, runpy, sys; limit = int(sys.argv.pop(1)); "
    "resource.setrlimit(resource.RLIMIT_AS, (limit, limit)); "
    "runpy.run_module('ipykernel_launcher', run_name='__main__', alter_sys=True)"
)


def _plain_traceback(lines):
    text = _ANSI.sub("", "\n".join(lines if isinstance(lines, list) else []))
    return text[:MAX_TRACEBACK_CHARS]


def _client_class():
    from nbclient import NotebookClient

    class OutputDiscardingClient(NotebookClient):
        """Grading reads only execute replies; keeping outputs would let a cell that
        prints without end fill the grader's memory."""

        def output(self, outs, msg, display_id, cell_index):
            return None

    return OutputDiscardingClient


def _kernel_manager_class(owner):
    """AsyncKernelManager that hands the connection file to the kernel's user at launch.

    jupyter_client writes the file (mode 0600) just before launching and may rewrite it if
    anything changed, so the only safe moment to give it away is the launch itself.
    """
    from jupyter_client.manager import AsyncKernelManager

    class SandboxKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd, **kw):
            os.chown(self.connection_file, *owner)
            await super()._async_launch_kernel(kernel_cmd, **kw)

    return SandboxKernelManager


def _configure_kernel(client, job):
    """Create the kernel manager of `client`; return the launch arguments of the kernel."""
    if job["uid"] is not None:
        client.kernel_manager_class = _kernel_manager_class((job["uid"], job["gid"]))
    manager = client.create_kernel_manager()
    # The grader's own Python, whatever a kernelspec named python3 would run.
    if job["memory_limit_mb"]:
        limit = str(int(job["memory_limit_mb"]) * 2**20)
        manager.kernel_spec.argv = [sys.executable, "-c", _LIMITED_LAUNCH, limit]
    else:
        manager.kernel_spec.argv = [sys.executable, "-m", "ipykernel_launcher"]
    manager.kernel_spec.argv += ["-f", "{connection_file}"]
    manager.connection_file = str(Path(job["sandbox"]) / "connection.json")
    launch = {"cwd": job["cwd"], "env": job["env"]}
    if job["uid"] is not None:
        launch.update(user=job["uid"], group=job["gid"], extra_groups=[])
    return launch


def _cell_outcome(reply):
    content = reply.get("content", {})
    outcome = {"status": "ok", "execution_count": content.get("execution_count")}
    if content.get("status") != "ok":
        outcome.update(
            status="timeout" if content.get("ename") == TIMEOUT_ENAME else "error",
            ename=str(content.get("ename", "")),
            evalue=str(content.get("evalue", ""))[:MAX_TRACEBACK_CHARS],
            traceback=_plain_traceback(content.get("traceback")),
        )
    return outcome


def execute(job, emit):
    import nbformat
    from nbclient.exceptions import DeadKernelError

    nb = nbformat.read(job["notebook"], as_version=4)
    replies = {}
    client = _client_class()(
        nb,
        timeout=job["cell_timeout"],
        interrupt_on_timeout=True,
        error_on_timeout={
            "ename": TIMEOUT_ENAME,
            "evalue": f"the cell ran longer than {job['cell_timeout']} s and was interrupted",
            "traceback": [],
        },
        allow_errors=True,
        kernel_name="python3",
        shutdown_kernel="immediate",
        on_cell_executed=lambda cell, cell_index, execute_reply: replies.update(
            {cell_index: execute_reply}
        ),
    )
    record_file = Path(job["records"]) if job["records"] else None

    def records_end():
        # lstat: the kernel's user could swap the file for a link to somewhere else.
        return record_file.lstat().st_size if record_file is not None else 0

    with client.setup_kernel(**_configure_kernel(client, job)):
        emit(event="kernel", pid=client.km.provisioner.pid)
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            try:
                client.execute_cell(cell, index)
            except DeadKernelError:
                emit(event="cell", index=index, status="kernel_died", records_end=records_end())
                return
            outcome = _cell_outcome(replies.pop(index, {}))
            emit(event="cell", index=index, records_end=records_end(), **outcome)


def skip_iri_grammar():
    """Keep jsonschema from importing rfc3987_syntax in a process of our own.

    nbformat imports jsonschema, which imports rfc3987_syntax when it is installed (a
    JupyterLab dependency), and that compiles a grammar for seconds of CPU. nbformat never
    validates IRIs; without the module jsonschema just lacks an 'iri' format checker.
    Called only by this child (started once per submission) and the command line.
    """
    sys.modules.setdefault("rfc3987_syntax", None)


def main(argv=None):
    skip_iri_grammar()
    job_file = (sys.argv[1:] if argv is None else argv)[0]
    job = json.loads(Path(job_file).read_text(encoding="utf-8"))
    with open(job["progress"], "a", encoding="utf-8") as progress:

        def emit(**event):
            progress.write(json.dumps(event) + "\n")
            progress.flush()

        try:
            execute(job, emit)
        except Exception as error:
            emit(event="problem", message=f"{type(error).__name__}: {error}")
            raise
        emit(event="done")


if __name__ == "__main__":
    main()
