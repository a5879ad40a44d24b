"""Every course notebook run in real JupyterLab, in headless Chromium, the way a student runs it.

One JupyterLab server (started from this test environment) and one Chromium serve the module;
each notebook gets a fresh page and a fresh kernel: open it, Run > Run All Cells, wait for the
kernel to go idle, save it with the keyboard. What the notebook *is* (cell tags, which outputs
are widgets or figures) is read from the file JupyterLab saved; what the student *sees* is read
from the page. A screenshot per notebook goes to test-artifacts/screenshots/.

Chromium is Debian's (`apt-get install chromium`), never one downloaded by Playwright. Without it
the tests skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import nbformat
import psutil
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
COURSE_NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
FIXTURE_DIR = Path(__file__).resolve().parent / "browser_fixtures"
SELF_TEST_NOTEBOOK = "browser_fixtures/harness-selftest.ipynb"
BROKEN_NOTEBOOK = "browser_fixtures/harness-broken.ipynb"
SCREENSHOT_DIR = REPO_ROOT / "test-artifacts" / "screenshots"

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
# A full-notebook screenshot is one tall viewport (software-rendered Chromium handles 40,000 px).
SCREENSHOT_MAX_HEIGHT = 40_000

SERVER_START_TIMEOUT_S = 120
KERNEL_START_TIMEOUT_S = 120
# Notebook 08 trains a CNN (60-120 s alone); on 2 cores it shares the CPU with nbval, the
# simulated Binder build and Chromium, and a loaded machine was measured 10x slower.
RUN_ALL_TIMEOUT_S = 1800
WIDGET_LOAD_TIMEOUT_S = 60
CONTROL_TIMEOUT_S = 180
POLL_MS = 250

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
FIGURE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")
WIDGET_FAILURE_TEXTS = ("Error displaying widget", "Loading widget", "interactive(children=")

# Written as the isolated user's JupyterLab settings before the server starts.
LAB_USER_SETTINGS = {
    # A news/update toast would cover outputs in the screenshots and fetch from the internet.
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    # Keep every cell attached to the DOM, so the checks and the screenshot see all of them.
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    # The test saves explicitly; an autosave racing it would only add noise.
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}

# The visible notebook, its kernel as the status bar shows it ("Python 3 (ipykernel) | Idle"; the
# toolbar's execution indicator also says idle before any kernel exists), the input prompts and
# whether its tab is unsaved.
NOTEBOOK_STATE_JS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const dialog = document.querySelector('.jp-Dialog');
  if (!panel) return {ready: false, dialog: dialog ? dialog.textContent : null};
  const kernel = document.querySelector('.jp-StatusBar-TextItem[title^="Change kernel"]');
  const [name, status] = (kernel ? kernel.textContent : '|').split('|').map(part => part.trim());
  return {
    ready: true,
    dialog: dialog ? dialog.textContent : null,
    kernelName: name,
    kernel: (status || 'unknown').toLowerCase(),
    prompts: [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
      .map(prompt => prompt.textContent.trim()),
    dirty: document.querySelector('.lm-DockPanel-tabBar .jp-mod-dirty') !== null,
  };
}"""

# Per cell, its top-level outputs as shown (widget Output areas nest further OutputAreas).
# A figure counts as unfinished when nothing is drawn in its bottom fifth: matplotlib's inline
# figures are cropped to their content, so their tick labels reach the bottom edge, while a
# figure the kernel sent half-rendered (seen with ipykernel 7 after moving a slider) is blank
# below some row.
CELL_OUTPUTS_JS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const loaded = img => img.complete && img.naturalWidth > 0;
  const drawnToTheBottom = img => {
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext('2d', {willReadFrequently: true});
    context.drawImage(img, 0, 0);
    const {data, width, height} = context.getImageData(0, 0, canvas.width, canvas.height);
    // "Ink" differs from the top-left pixel, the figure's background.
    const inked = at =>
      [0, 1, 2, 3].reduce((sum, k) => sum + Math.abs(data[at + k] - data[k]), 0) > 60;
    for (let row = height - 1; row >= 0.8 * height; row--) {
      for (let column = 0; column < width; column++) {
        if (inked((row * width + column) * 4)) return true;
      }
    }
    return false;
  };
  return [...panel.querySelectorAll('.jp-Cell')].map(cell =>
    [...cell.querySelectorAll('.jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output')]
      .map(output => ({
        mime: output.dataset.mimeType || null,
        hidden: output.classList.contains('lm-mod-hidden'),
        text: output.textContent.slice(0, 300),
        rendersWidget: output.querySelector('.jupyter-widgets') !== null,
        figures: [...output.querySelectorAll('img')].filter(loaded).length,
        unfinishedFigures: [...output.querySelectorAll('.jp-RenderedImage img')]
          .filter(img => loaded(img) && !drawnToTheBottom(img)).length,
        widgetTracebacks: [...output.querySelectorAll(
          '.widget-output [data-mime-type="application/vnd.jupyter.stderr"]')]
          .map(error => error.textContent)
          .filter(text => text.includes('Traceback') || /\\w+Error\\b/.test(text))
          .map(text => text.slice(0, 300)),
      })));
}"""

# What a control's output shows (printed text, HTML, figures), without the control's own readout.
WIDGET_OUTPUT_SNAPSHOT_JS = """(cellIndex) => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const shown = root => [...root.querySelectorAll(
      '.widget-output, .widget-html-content, .widget-htmlmath-content, img.widget-image')]
    .filter(element => !element.parentElement.closest('.widget-output'))
    .map(element => element.textContent + [...element.querySelectorAll('img')]
      .concat(element.tagName === 'IMG' ? [element] : [])
      .map(img => ' <img ' + img.src + '>').join(''));
  const cell = panel.querySelectorAll('.jp-Cell')[cellIndex];
  const inCell = shown(cell);
  return inCell.length > 0 ? inCell : shown(panel);
}"""

# Resolves once every image is decoded and two frames have been painted since.
IMAGES_PAINTED_JS = """async () => {
  await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
}"""

CELL_INDEX_OF_ELEMENT_JS = """(element) => [...document.querySelectorAll(
  '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell')].indexOf(element.closest('.jp-Cell'))"""

# Scrolls the notebook to its top and returns the page height down to its last cell, plus room
# for the status bar.
NOTEBOOK_HEIGHT_JS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  panel.querySelector('.jp-WindowedPanel-outer').scrollTop = 0;
  const cells = panel.querySelectorAll('.jp-Cell');
  const statusBar = document.querySelector('#jp-main-statusbar');
  return Math.ceil(cells[cells.length - 1].getBoundingClientRect().bottom
    + 40 + (statusBar ? statusBar.getBoundingClientRect().height : 0));
}"""

# Linux: the server gets SIGTERM when pytest dies without running its finalizers (killed, timed
# out); the setting survives the exec into the real command.
DIE_WITH_PARENT = (
    "import ctypes, os, signal, sys; "
    "ctypes.CDLL(None).prctl(1, signal.SIGTERM); "  # 1 is PR_SET_PDEATHSIG
    "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])"
)

pytestmark = pytest.mark.browser


def unavailable(reason: str) -> NoReturn:
    """Skip on a laptop that lacks the browser; fail under CI, where skipping would hide it."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run, not skip)", pytrace=False)
    pytest.skip(reason)


def label(saved: nbformat.NotebookNode, index: int) -> str:
    """'cell 3 (first line of its source)', the way failures name cells."""
    first_line = saved.cells[index].source.strip().splitlines()[:1]
    return f"cell {index} ({first_line[0][:60] if first_line else 'empty'!r})"


def tags_of(cell: nbformat.NotebookNode) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


# --- checks on the saved notebook and the page ------------------------------------------------


def unexecuted_cells(saved: nbformat.NotebookNode) -> list[str]:
    """Code cells with source that Run All Cells did not execute."""
    return [
        f"{label(saved, index)} was not executed"
        for index, cell in enumerate(saved.cells)
        if cell.cell_type == "code" and cell.source.strip() and cell.execution_count is None
    ]


def unexpected_errors(saved: nbformat.NotebookNode, shown: list[list[dict]]) -> list[str]:
    """Error outputs outside cells tagged raises-exception, including tracebacks inside widgets.

    A widget callback's error never reaches the saved cell outputs (it lives in the widget's
    Output area), so those are read from the page.
    """
    problems = []
    for index, cell in enumerate(saved.cells):
        if cell.cell_type != "code" or "raises-exception" in tags_of(cell):
            continue
        problems += [
            f"{label(saved, index)} raised {output.ename}: {output.evalue}"
            for output in cell.outputs
            if output.output_type == "error"
        ]
        problems += [
            f"{label(saved, index)} shows an error inside a widget: {traceback!r}"
            for output in shown[index]
            for traceback in output["widgetTracebacks"]
        ]
    return problems


def widget_problems(saved: nbformat.NotebookNode, shown: list[list[dict]]) -> list[str]:
    """Every widget output the kernel sent must be drawn as a real control by the widget manager.

    Without the ipywidgets JupyterLab extension, JupyterLab falls back to the text/plain repr
    (e.g. "interactive(children=...)"); a stale model shows "Error displaying widget". A widget
    the notebook closed itself is drawn as an empty hidden output, which is fine.
    """
    problems = []
    for index, cell in enumerate(saved.cells):
        if cell.cell_type != "code":
            continue
        for position, output in enumerate(cell.outputs):
            if WIDGET_VIEW not in output.get("data", {}):
                continue
            where = f"{label(saved, index)}, output {position}"
            if position >= len(shown[index]):
                problems.append(f"{where}: the widget output is not on the page")
                continue
            view = shown[index][position]
            failure = next((text for text in WIDGET_FAILURE_TEXTS if text in view["text"]), None)
            if view["mime"] == "text/plain":
                problems.append(
                    f"{where}: shown as its text fallback {view['text'][:120]!r}, not as a control "
                    "(is the ipywidgets JupyterLab extension installed?)"
                )
            elif failure is not None:
                problems.append(f"{where}: the page shows {view['text'][:160]!r}")
            elif not view["rendersWidget"] and not view["hidden"]:
                problems.append(f"{where}: no control drawn; the page shows {view['text'][:120]!r}")
    return problems


def unfinished_figures(saved: nbformat.NotebookNode, shown: list[list[dict]]) -> list[str]:
    """Figures (also inside widgets) blank below some row: the kernel sent them unfinished."""
    return [
        f"{label(saved, index)}, output {position}: {output['unfinishedFigures']} figure(s) "
        "blank in their bottom fifth (rendered only partly by the kernel)"
        for index, outputs in enumerate(shown)
        for position, output in enumerate(outputs)
        if output["unfinishedFigures"]
    ]


def figure_problems(saved: nbformat.NotebookNode, shown: list[list[dict]]) -> list[str]:
    """Every figure output is drawn as a loaded, finished image; the notebook shows a figure."""
    problems = unfinished_figures(saved, shown)
    for index, cell in enumerate(saved.cells):
        if cell.cell_type != "code":
            continue
        for position, output in enumerate(cell.outputs):
            if not any(kind in output.get("data", {}) for kind in FIGURE_TYPES):
                continue
            if position >= len(shown[index]) or shown[index][position]["figures"] == 0:
                problems.append(f"{label(saved, index)}, output {position}: figure not drawn")
    if not any(output["figures"] for outputs in shown for output in outputs):
        problems.append("the notebook shows no figure at all")
    return problems


def structure_problems(saved: nbformat.NotebookNode, shown: list[list[dict]]) -> list[str]:
    """The page and the saved file must describe the same cells, or the other checks mismatch."""
    if len(shown) != len(saved.cells):
        return [f"the page shows {len(shown)} cells, the saved notebook has {len(saved.cells)}"]
    return [
        f"{label(saved, index)}: the page shows {len(outputs)} outputs, "
        f"the saved notebook has {len(cell.get('outputs', []))}"
        for index, (cell, outputs) in enumerate(zip(saved.cells, shown, strict=True))
        if cell.cell_type == "code" and len(outputs) != len(cell.outputs)
    ]


# --- the JupyterLab server ---------------------------------------------------------------------


@dataclass(frozen=True)
class LabServer:
    base_url: str
    token: str
    root: Path

    def api(self, method: str, path: str) -> Any:
        request = urllib.request.Request(
            f"{self.base_url}{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def notebook_url(self, relative_path: str) -> str:
        """/lab/tree/<path> in a workspace of its own, so notebooks opened before don't reopen.

        (`?reset` would also empty the workspace, but by reloading the page mid-test.)
        """
        workspace = f"test-{secrets.token_hex(6)}"
        path = urllib.parse.quote(relative_path)
        return f"{self.base_url}/lab/workspaces/{workspace}/tree/{path}?token={self.token}"

    def shut_down_kernels_of(self, relative_path: str) -> None:
        for session in self.api("GET", "/api/sessions"):
            if session["path"] == relative_path:
                self.api("DELETE", f"/api/sessions/{session['id']}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def isolated_jupyter_env(state_dir: Path) -> dict[str, str]:
    """This environment minus the user's Jupyter setup: own config, data, runtime and settings.

    Without a user kernelspec the kernel is this environment's Python; MPLBACKEND is dropped so
    matplotlib draws inline as it does for a student.
    """
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("JUPYTER", "JPY_")) and name not in {"IPYTHONDIR", "MPLBACKEND"}
    }
    directories = {
        "JUPYTER_CONFIG_DIR": state_dir / "config",
        "JUPYTER_DATA_DIR": state_dir / "data",
        "JUPYTER_RUNTIME_DIR": state_dir / "runtime",
        "JUPYTERLAB_SETTINGS_DIR": state_dir / "config" / "lab" / "user-settings",
        "JUPYTERLAB_WORKSPACES_DIR": state_dir / "workspaces",
        "IPYTHONDIR": state_dir / "ipython",
    }
    for name, directory in directories.items():
        directory.mkdir(parents=True, exist_ok=True)
        env[name] = str(directory)
    for plugin, settings in LAB_USER_SETTINGS.items():
        path = directories["JUPYTERLAB_SETTINGS_DIR"] / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings))
    return env


def start_lab(root: Path, state_dir: Path) -> tuple[subprocess.Popen, LabServer]:
    """Start `jupyter lab` on a free loopback port with a token; return once /api/status answers."""
    env = isolated_jupyter_env(state_dir)
    token = secrets.token_hex(16)
    for _attempt in range(3):  # another process may take the free port before the server binds it
        port = free_port()
        log_path = state_dir / f"jupyter-lab-{port}.log"
        launcher = ["-c", DIE_WITH_PARENT] if sys.platform == "linux" else []
        command = [
            sys.executable, *launcher, "-m", "jupyter", "lab",
            "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}", "--port-retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            "--ServerApp.terminals_enabled=False",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
        ]  # fmt: skip
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command,
                cwd=root,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a Ctrl-C in the terminal reaches pytest, which stops it
            )
        server = LabServer(f"http://127.0.0.1:{port}", token, root)
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while process.poll() is None and time.monotonic() < deadline:
            try:
                server.api("GET", "/api/status")
                return process, server
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        log_tail = log_path.read_text(errors="replace")[-3000:]
        if process.poll() is None:
            stop_process_tree(process)
            raise RuntimeError(
                f"jupyter lab did not answer within {SERVER_START_TIMEOUT_S} s:\n{log_tail}"
            )
        if "already in use" not in log_tail:
            raise RuntimeError(f"jupyter lab exited with {process.returncode}:\n{log_tail}")
    raise RuntimeError(f"jupyter lab found no free port in 3 attempts:\n{log_tail}")


def stop_process_tree(process: subprocess.Popen) -> None:
    """Stop the server gracefully (it shuts its kernels down), then kill whatever it left."""
    try:
        descendants = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        descendants = []
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=20)
    _, survivors = psutil.wait_procs(descendants, timeout=5)
    for survivor in survivors:
        with contextlib.suppress(psutil.NoSuchProcess):
            survivor.kill()


# --- driving the page ----------------------------------------------------------------------------


@dataclass
class NotebookRun:
    relative_path: str
    page: Any
    saved: nbformat.NotebookNode
    shown: list[list[dict]]
    timings: dict[str, float] = field(default_factory=dict)
    console_errors: list[str] = field(default_factory=list)


def prompt_summary(state: dict) -> str:
    prompts = state.get("prompts", [])
    running = sum(prompt == "[*]:" for prompt in prompts)
    done = sum(bool(re.fullmatch(r"\[\d+\]:", prompt)) for prompt in prompts)
    return (
        f"kernel {state.get('kernel')}, {done} of {len(prompts)} code cells done, {running} running"
    )


def wait_for_state(page: Any, done: Any, timeout_s: float, what: str) -> dict:
    """Poll the notebook's state until done(state); a timeout names what was awaited."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            state = page.evaluate(NOTEBOOK_STATE_JS)
        except Exception as error:  # playwright's Error; JupyterLab may still be routing the page
            if "Execution context was destroyed" not in str(error):
                raise
            state = {"ready": False, "dialog": None}
        if state["ready"] and done(state):
            return state
        if state["dialog"]:
            raise AssertionError(f"waiting for {what}, JupyterLab showed {state['dialog']!r}")
        if time.monotonic() > deadline:
            summary = prompt_summary(state) if state["ready"] else "no notebook on the page"
            raise AssertionError(f"no {what} within {timeout_s} s ({summary})")
        page.wait_for_timeout(POLL_MS)


def kernel_started(state: dict) -> bool:
    return state["kernelName"] not in {"", "No Kernel"} and state["kernel"] == "idle"


def run_finished(state: dict) -> bool:
    """Idle, nothing queued, something ran (an unexpected error leaves later cells at [ ]).

    The prompts decide: with ipykernel 7 the status bar may read Idle while cells still run.
    """
    prompts = state["prompts"]
    return (
        state["kernel"] == "idle"
        and "[*]:" not in prompts
        and any(re.fullmatch(r"\[\d+\]:", prompt) for prompt in prompts)
    )


def click_menu(page: Any, menu: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(rf"^{re.escape(menu)}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{re.escape(item)}$")).click()


def shown_outputs(page: Any) -> list[list[dict]]:
    return page.evaluate(CELL_OUTPUTS_JS)


def open_and_run_all(server: LabServer, browser: Any, relative_path: str) -> NotebookRun:
    """Open the notebook in a new page, Run All Cells from the menu, wait, save, read it back."""
    page = browser.new_page()
    console_errors: list[str] = []

    def keep_console_error(message: Any) -> None:
        if message.type == "error":
            console_errors.append(message.text)

    page.on("console", keep_console_error)
    page.set_default_timeout(60_000)
    timings = {}
    try:
        started = time.monotonic()
        page.goto(server.notebook_url(relative_path))
        wait_for_state(page, kernel_started, KERNEL_START_TIMEOUT_S, "idle kernel")
        timings["open"] = time.monotonic() - started

        started = time.monotonic()
        click_menu(page, "Run", "Run All Cells")
        wait_for_state(page, run_finished, RUN_ALL_TIMEOUT_S, "end of Run All Cells")
        page.wait_for_timeout(1000)  # a cell that errors may still be flushing its outputs
        wait_for_state(page, run_finished, RUN_ALL_TIMEOUT_S, "end of Run All Cells")
        timings["run all"] = time.monotonic() - started

        started = time.monotonic()
        deadline = time.monotonic() + WIDGET_LOAD_TIMEOUT_S
        while time.monotonic() < deadline and any(
            "Loading widget" in output["text"]
            for outputs in shown_outputs(page)
            for output in outputs
        ):
            page.wait_for_timeout(POLL_MS)
        saved_path = server.root / relative_path
        unsaved = saved_path.stat().st_mtime_ns
        page.keyboard.press("ControlOrMeta+s")
        wait_for_state(
            page,
            lambda state: not state["dirty"] and saved_path.stat().st_mtime_ns != unsaved,
            60,
            "saved notebook",
        )
        timings["widgets and save"] = time.monotonic() - started

        saved = nbformat.read(saved_path, as_version=4)
        return NotebookRun(relative_path, page, saved, shown_outputs(page), timings, console_errors)
    except BaseException:
        finish(server, page, relative_path, timings)
        raise


def finish(server: LabServer, page: Any, relative_path: str, timings: dict[str, float]) -> None:
    """Screenshot the whole notebook, report it and the timings, close the page and its kernel."""
    spent = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in timings.items())
    try:
        path = save_screenshot(page, Path(relative_path).stem)
        print(f"{relative_path}: screenshot {path}; {spent}")
    except Exception as error:  # a failed screenshot must not hide the test's own failure
        print(f"{relative_path}: no screenshot ({error}); {spent}")
    finally:
        page.close()
        server.shut_down_kernels_of(relative_path)


def save_screenshot(page: Any, name: str) -> Path:
    page.keyboard.press("ControlOrMeta+b")  # hide the file browser: the notebook gets the width
    page.wait_for_timeout(300)
    height = min(max(page.evaluate(NOTEBOOK_HEIGHT_JS), VIEWPORT["height"]), SCREENSHOT_MAX_HEIGHT)
    page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
    page.evaluate(NOTEBOOK_HEIGHT_JS)  # the resize may scroll; back to the top
    # Without this, a figure that a moved control just replaced can be captured half painted.
    page.evaluate(IMAGES_PAINTED_JS)
    page.wait_for_timeout(500)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, animations="disabled")
    return path


# --- moving a control ----------------------------------------------------------------------------

VISIBLE_NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"
CONTROLS = {
    "slider": ".widget-slider .noUi-handle",
    "dropdown": ".widget-dropdown select",
    "checkbox": ".widget-checkbox input[type='checkbox']",
    "toggle buttons": ".widget-toggle-buttons button:not(.mod-active)",
}


@dataclass
class ControlMove:
    kind: str
    cell_index: int
    before: list[str]
    after: list[str]
    seconds: float

    @property
    def changed(self) -> bool:
        return self.after != self.before


def first_control(page: Any) -> tuple[str, Any] | None:
    for kind, selector in CONTROLS.items():
        controls = page.locator(f"{VISIBLE_NOTEBOOK} .jp-Cell-outputArea {selector}")
        if controls.count() > 0:
            return kind, controls.first
    return None


def operate(page: Any, kind: str, control: Any) -> None:
    """Change the control's value the way a keyboard or mouse user would."""
    if kind == "slider":
        control.focus()
        value = control.get_attribute("aria-valuenow")
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(200)
        if control.get_attribute("aria-valuenow") == value:  # already at its maximum
            page.keyboard.press("ArrowLeft")
    elif kind == "dropdown":
        options = control.locator("option").count()
        current = control.evaluate("select => select.selectedIndex")
        control.select_option(index=(current + 1) % options)
    else:
        control.click()


def move_first_control(page: Any, timeout_s: float) -> ControlMove | None:
    """Operate the notebook's first control; wait until its output changes and settles."""
    found = first_control(page)
    if found is None:
        return None
    kind, control = found
    cell_index = control.evaluate(CELL_INDEX_OF_ELEMENT_JS)
    before = page.evaluate(WIDGET_OUTPUT_SNAPSHOT_JS, cell_index)
    started = time.monotonic()
    operate(page, kind, control)
    previous = before
    while True:
        page.wait_for_timeout(POLL_MS)
        current = page.evaluate(WIDGET_OUTPUT_SNAPSHOT_JS, cell_index)
        idle = page.evaluate(NOTEBOOK_STATE_JS)["kernel"] == "idle"
        # Done when the new output has stopped changing (a figure follows its printed text).
        if current != before and current == previous and idle:
            break
        if time.monotonic() - started > timeout_s:
            break
        previous = current
    return ControlMove(kind, cell_index, before, current, time.monotonic() - started)


def summarize(snapshot: list[str]) -> list[str]:
    """Output texts with images abbreviated, for failure messages."""
    return [re.sub(r"<img [^>]{40,}>", "<img ...>", text)[:160] for text in snapshot]


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> str:
    candidates = (
        os.environ.get("LECTUREML_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
    )
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    unavailable(
        "no Chromium: install Debian's (apt-get install chromium) or set LECTUREML_CHROMIUM "
        "to a Chromium executable to run the browser tests"
    )


@pytest.fixture(scope="module")
def lab_server(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> LabServer:
    root = tmp_path_factory.mktemp("lab-root")
    if COURSE_NOTEBOOKS:
        shutil.copytree(
            REPO_ROOT / "notebooks",
            root / "notebooks",
            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
        )
    shutil.copytree(FIXTURE_DIR, root / "browser_fixtures")
    process, server = start_lab(root, tmp_path_factory.mktemp("lab-state"))
    yield server
    stop_process_tree(process)


@pytest.fixture(scope="module")
def browser(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Any:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is missing: pip install -r requirements.txt")
    playwright = sync_playwright().start()
    try:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=chromium,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport=VIEWPORT,
        )
    except BaseException:
        playwright.stop()
        raise
    yield context
    try:
        context.close()
    finally:
        playwright.stop()


NOTEBOOK_PARAMS = [
    pytest.param(SELF_TEST_NOTEBOOK, id="harness-selftest"),
    *(pytest.param(f"notebooks/{path.name}", id=path.stem) for path in COURSE_NOTEBOOKS),
]


@pytest.fixture(scope="module", params=NOTEBOOK_PARAMS)
def ran(request: pytest.FixtureRequest, lab_server: LabServer, browser: Any) -> NotebookRun:
    """The notebook after Run All Cells and a save; screenshot taken after this notebook's tests."""
    run = open_and_run_all(lab_server, browser, request.param)
    yield run
    finish(lab_server, run.page, run.relative_path, run.timings)


# --- tests ---------------------------------------------------------------------------------------


def test_run_all_cells_has_no_unexpected_error(ran: NotebookRun) -> None:
    problems = unexecuted_cells(ran.saved) + unexpected_errors(ran.saved, ran.shown)
    assert not problems, "\n".join(problems)


def test_page_shows_every_cell_and_output(ran: NotebookRun) -> None:
    problems = structure_problems(ran.saved, ran.shown)
    assert not problems, "\n".join(problems)


def test_every_widget_renders_as_a_control(ran: NotebookRun) -> None:
    problems = widget_problems(ran.saved, ran.shown)
    fallbacks = [
        output["text"][:120]
        for outputs in ran.shown
        for output in outputs
        if "interactive(children=" in output["text"]
    ]
    problems += [f"widget text fallback on the page: {text!r}" for text in fallbacks]
    assert not problems, "\n".join(problems + [f"browser console: {e}" for e in ran.console_errors])


def test_figures_appear(ran: NotebookRun) -> None:
    problems = figure_problems(ran.saved, ran.shown)
    assert not problems, "\n".join(problems)


def test_moving_a_control_changes_its_output(ran: NotebookRun) -> None:
    move = move_first_control(ran.page, CONTROL_TIMEOUT_S)
    if move is None:
        pytest.skip(f"{ran.relative_path} shows no ipywidget control; control check skipped for it")
    ran.timings[f"{move.kind} moved"] = move.seconds
    cell = label(ran.saved, move.cell_index)
    assert move.changed, (
        f"moving the {move.kind} in {cell} left its output unchanged for {move.seconds:.0f} s: "
        f"{summarize(move.before)}"
    )
    after = shown_outputs(ran.page)
    problems = unexpected_errors(ran.saved, after) + unfinished_figures(ran.saved, after)
    assert not problems, f"after moving the {move.kind} in {cell}:\n" + "\n".join(problems)


def test_harness_reports_each_defect(lab_server: LabServer, browser: Any) -> None:
    """The checks above can fail: a notebook with one defect of each kind is caught on each."""
    run = open_and_run_all(lab_server, browser, BROKEN_NOTEBOOK)
    try:
        errors = unexpected_errors(run.saved, run.shown)
        assert len(errors) == 1, errors
        assert "RuntimeError: an error nobody expected" in errors[0]
        unexecuted = unexecuted_cells(run.saved)
        assert len(unexecuted) == 1 and unexecuted[0].startswith("cell 5 "), unexecuted
        widgets = widget_problems(run.saved, run.shown)
        assert len(widgets) == 1, widgets
        assert "cell 1" in widgets[0] and "Error displaying widget" in widgets[0]
        figures = figure_problems(run.saved, run.shown)
        assert len(figures) == 1 and figures[0].startswith("cell 3 "), figures
        move = move_first_control(run.page, timeout_s=5)
        assert move is not None and move.kind == "slider" and move.cell_index == 2
        assert not move.changed, summarize(move.after)
    finally:
        finish(lab_server, run.page, run.relative_path, run.timings)


def test_widget_check_rejects_the_text_fallback_of_a_missing_extension() -> None:
    """Without the widget extension the page shows the repr as text/plain: that must not pass."""
    saved = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("interact(f, x=(1, 5));")])
    saved.cells[0].outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={WIDGET_VIEW: {"model_id": "abc", "version_major": 2, "version_minor": 0},
                  "text/plain": "interactive(children=(IntSlider(value=3),))"},
        )
    ]  # fmt: skip
    fallback = {
        "mime": "text/plain",
        "hidden": False,
        "text": "interactive(children=(IntSlider(value=3),))",
        "rendersWidget": False,
        "figures": 0,
        "widgetTracebacks": [],
    }
    drawn = {**fallback, "mime": None, "text": "x 3", "rendersWidget": True}
    assert "text fallback" in widget_problems(saved, [[fallback]])[0]
    assert widget_problems(saved, [[drawn]]) == []
