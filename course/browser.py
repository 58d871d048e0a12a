"""Drive the course in a real JupyterLab in headless Chromium (browser tests and ``make bench``).

nbval proves that notebooks compute; only a browser shows whether a student's
screen draws the figures and whether a slider redraws them.  This module starts
JupyterLab on 127.0.0.1 with a random port and token on a *copy* of the course
(so autosave can never touch the real notebooks), opens notebooks in Debian's
Chromium through Playwright, and reads what is drawn.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
# Flags for a closed network and for running as root (COURSE_DESIGN.md, section 5).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDGET_FAILURES = ("Error displaying widget", "Loading widget", "model not found")
# Lab settings for the test server: no news prompt (it would ask the network), and every
# cell rendered, so that figures below the fold are drawn too.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def find_chromium() -> str | None:
    """Path of a Chromium binary: $COURSE_CHROMIUM, else the usual Debian locations."""
    explicit = os.environ.get("COURSE_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for path in CHROMIUM_CANDIDATES:
        if Path(path).exists():
            return path
    return shutil.which("chromium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LabServer:
    """A JupyterLab server on a throw-away copy of the course."""

    root: Path
    port: int
    token: str
    process: subprocess.Popen
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, notebook: str) -> str:
        # ?reset starts from an empty workspace: no tabs restored from an earlier run.
        return f"{self.base_url}/lab/tree/{notebook}?reset&token={self.token}"

    def stop(self) -> None:
        """Stop the server and its kernels: the whole process group started for it."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait(timeout=5)


@contextmanager
def lab_server(folders=("lessons", "solutions", "exercises"), timeout: float = 90.0):
    """Start JupyterLab on 127.0.0.1 (random port, random token) serving a copy of ``folders``."""
    work = Path(tempfile.mkdtemp(prefix="course-lab-"))
    root = work / "course"
    for name in folders:
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, root / name)
    settings = work / "settings"
    for name, values in LAB_SETTINGS.items():
        target = settings / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(work / "workspaces"),
               JUPYTER_RUNTIME_DIR=str(work / "runtime"))
    port, token = _free_port(), secrets.token_hex(24)
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = work / "jupyterlab.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=root,
                                   start_new_session=True)
    server = LabServer(root, port, token, process, log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited early:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{server.base_url}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not answer in {timeout:.0f} s:\n{log.read_text()[-3000:]}")
                time.sleep(0.3)
        yield server
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def chromium(executable: str):
    """A headless Chromium through Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class OffsiteGuard:
    """Records, and blocks, every request a page makes to anywhere but 127.0.0.1."""

    blocked: list[str] = field(default_factory=list)

    def attach(self, context) -> None:
        def handle(route):
            url = route.request.url
            host = url.split("://", 1)[-1].split("/", 1)[0].split("@")[-1].rsplit(":", 1)[0]
            if url.startswith(("data:", "blob:", "about:")) or host in ("127.0.0.1", "localhost", "[::1]"):
                route.continue_()
            else:
                self.blocked.append(url)
                route.abort()
        context.route("**/*", handle)


# -- reading and driving a notebook page ---------------------------------------
RUN_STATE_JS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return null;
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent.trim());
  // Errors are read from the notebook model: on screen they look like any stderr text.
  let errorCell = -1, errorText = '';
  const model = window.jupyterapp.shell.currentWidget.content.model;
  for (let i = 0; i < model.cells.length && errorCell < 0; i++) {
    const cell = model.cells.get(i);
    if (cell.type !== 'code') continue;
    const error = cell.outputs.toJSON().find(o => o.output_type === 'error');
    if (error) { errorCell = i; errorText = `${error.ename}: ${error.evalue}`; }
  }
  return {prompts, busy: prompts.some(p => p.includes('*')), errorCell, errorText};
}"""

PLOT_DRAWN_JS = """(plot) => plot.querySelectorAll(
  '.scatterlayer .trace path.js-line, .scatterlayer .trace .point, .barlayer .point, .scatterlayer .trace .textpoint'
).length"""


def open_notebook(page, server: LabServer, notebook: str, timeout_ms: int = 90_000) -> None:
    page.goto(server.url(notebook))
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=timeout_ms)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.serviceManager", timeout=timeout_ms)
    # The kernel must be ready before run-all, or the first cells are queued on a dead session.
    page.wait_for_function("""() => {
        const w = window.jupyterapp.shell.currentWidget;
        return w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel
               && w.sessionContext.session.kernel.connectionStatus === 'connected'
               && w.sessionContext.session.kernel.status === 'idle';
    }""", timeout=timeout_ms)
    page.evaluate(WATCH_KERNEL_ERRORS_JS)


# Errors raised in the kernel while it handles a widget message (not a cell) never reach a cell's
# output: JupyterLab routes them to its log console, where no student looks. They are collected
# here from the kernel's iopub messages so a test can fail on them.
WATCH_KERNEL_ERRORS_JS = """() => {
    window.__courseKernelErrors = [];
    const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    kernel.iopubMessage.connect((_, msg) => {
        if (msg.header.msg_type === 'error') {
            window.__courseKernelErrors.push(msg.content.ename + ': ' + msg.content.evalue);
        }
    });
}"""


def kernel_errors(page) -> list[str]:
    """Errors the kernel has reported since the notebook was opened (``ename: evalue``)."""
    return page.evaluate("() => window.__courseKernelErrors || []")


def kernel_idle(page) -> bool:
    return page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'")


def run_all(page, n_code_cells: int, timeout_s: float = 180.0) -> tuple[int, str] | None:
    """Run every cell; wait until each code cell shows an execution count or one shows an error.

    Returns (index, "Name: message") of the first cell with an error output (JupyterLab
    stops there), or None.
    """
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    deadline = time.monotonic() + timeout_s
    while True:
        state = page.evaluate(RUN_STATE_JS)
        if state and not state["busy"]:
            if state["errorCell"] >= 0:
                return state["errorCell"], state["errorText"]
            done = [p for p in state["prompts"] if any(ch.isdigit() for ch in p)]
            if len(done) >= n_code_cells:
                return None
        if time.monotonic() > deadline:
            raise AssertionError(f"run-all did not finish in {timeout_s:.0f} s (prompts: {state and state['prompts']})")
        time.sleep(0.25)


def open_and_run(page, server: LabServer, notebook: str) -> tuple[int, str] | None:
    """Open ``notebook`` (a path under the server's root), run all cells; the first error, or None."""
    from course import notebooks as nbt

    nb = nbt.read(server.root / notebook)
    open_notebook(page, server, notebook)
    return run_all(page, sum(1 for c in nb.cells if c.cell_type == "code" and c.source.strip()))


def close_notebook(page) -> None:
    """Shut down the current notebook's kernel and close its tab without a prompt.

    Notebooks left open keep their kernels running and their outputs in the page: each one
    makes every later measurement slower, which is not what a student with one lesson open sees.
    """
    page.evaluate("""async () => {
        const w = window.jupyterapp.shell.currentWidget;
        if (!w || !w.sessionContext) return;
        await w.sessionContext.shutdown();
        w.context.model.dirty = false;  // run-all marks it modified; closing must not ask to save
        w.dispose();
    }""")


def explainer_boxes(page):
    """The explainers on the page, in order (boxes tagged by :class:`course.explainers.base.Explainer`)."""
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .course-explainer")


def plot_svg(box) -> str:
    """The drawn SVG of every figure on screen in ``box``, as one string to compare before and after a change.

    Plots drawn ahead of time wait hidden (see ``LiveFigure.predraw``) and are left out.
    """
    return box.locator(".js-plotly-plot").evaluate_all(
        "ps => ps.filter(p => getComputedStyle(p).visibility !== 'hidden')"
        ".map(p => [...p.querySelectorAll('.main-svg')].map(s => s.innerHTML).join('')).join('')")


def wait_for_predrawn(box, timeout_s: float = 30) -> None:
    """Wait until the browser has drawn the figures an explainer asked for ahead of time."""
    box.page.wait_for_function("b => !b.querySelector(\"[data-course-predraw='pending']\")",
                               arg=box.element_handle(), timeout=timeout_s * 1000)


def readout(box) -> str:
    return box.locator(".course-readout").first.inner_text()


def change_control(page, control) -> str:
    """Change one control as a student would (keyboard on a slider, a click on a dropdown option).

    Returns a short description of what was done.
    """
    if "course-slider" in (control.get_attribute("class") or ""):
        handle = control.locator(".noUi-handle").first
        handle.focus()
        at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
        key = "ArrowLeft" if at_max else "ArrowRight"
        page.keyboard.press(key)
        return f"pressed {key}"
    select = control.locator("select").first
    options = select.locator("option")
    current = select.evaluate("s => s.selectedIndex")
    target = 0 if current != 0 else options.count() - 1
    select.select_option(index=target)
    return f"chose option {target}"


# -- latency -------------------------------------------------------------------
# The clock stops in the first animation frame after each figure in the explainer's box finished a
# redraw (every explainer has one figure today; the clock would wait for all). That is the frame that paints the redraw;
# its own style, layout and paint come after the callback and are not counted (10-17 ms more for the
# virtual trial in a Chrome trace, 2026-11-24). The result is read once no figure has redrawn for
# QUIET_MS; a later redraw of the same figure is not counted.
#
# A redraw is seen by the stamp the figure widget sets on its element as soon as the new drawing is in
# the page (``data-course-redraw``, see course/explainers/live_figure.py), not by watching every change in
# the plot: an observer of every attribute plotly.js writes made the redraw it timed slower, by
# 6-12 ms median interleaved with this clock (lessons 01, 04 and 09 in JupyterLab, 2026-11-24), and a
# student's browser has no such observer.
ARM_LATENCY_JS = """(figures) => {
  const QUIET_MS = 250;
  window.__courseT0 = null;
  const start = () => { if (window.__courseT0 === null) window.__courseT0 = performance.now(); };
  document.addEventListener('keydown', start, {capture: true, once: true});
  document.addEventListener('change', start, {capture: true, once: true});
  window.__courseRedraw = new Promise(resolve => {
    const painted = new Map();
    let quiet = null;
    const finish = () => {
      for (const o of observers) o.disconnect();
      resolve(painted.size ? Math.max(...painted.values()) - window.__courseT0 : -1);
    };
    const observers = figures.map(figure => {
      const obs = new MutationObserver(() => {
        if (!painted.has(figure)) {
          painted.set(figure, Infinity);
          // the next frame: the one that paints what the redraw wrote (stamped before it paints)
          requestAnimationFrame(() => painted.set(figure, performance.now()));
        }
        clearTimeout(quiet);
        quiet = setTimeout(finish, QUIET_MS);
      });
      // the widget's element, which carries the stamp, holds the .course-live-figure box
      obs.observe(figure.parentElement, {attributes: true, attributeFilter: ['data-course-redraw']});
      return obs;
    });
    setTimeout(() => { if (!painted.size) finish(); }, 5000);
  });
}"""


def measure_redraw_ms(page, box, control) -> float | None:
    """Milliseconds from a control's key press or change event to the frame that paints the redrawn
    figure (stamped as that frame begins).

    ``None`` when the change left the figure as it was (a one-step move of a slider whose effect is
    below the figure's resolution, such as a vanishing dose): there is no redraw to time then. A
    figure that should have changed and did not is caught by the browser test suite, not here.
    """
    wait_for_predrawn(box)  # drawing ahead of time keeps the page busy: it must not run inside the timed window
    before = plot_svg(box)
    box.locator(".course-live-figure").evaluate_all(ARM_LATENCY_JS)
    change_control(page, control)
    ms = page.evaluate("() => window.__courseRedraw")
    if ms < 0:
        if plot_svg(box) == before:
            return None
        raise AssertionError("the figure changed but no redraw was seen within 5 s of the control change")
    return float(ms)
