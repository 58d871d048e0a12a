"""Every lesson and solution notebook, run in a real JupyterLab in Chromium, as a student sees it.

For each notebook: run all cells in a fresh kernel; no error output; no widget that failed to
display; every figure drawn; every explainer control redraws its figure and its readout when a
student moves it; and the page asks nothing of any host but 127.0.0.1.
"""

import json
import time
import urllib.request
from pathlib import Path

import pytest

from course import browser as lab
from course import notebooks as nbt
from course.explainers import registry

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = [p.relative_to(ROOT).as_posix() for folder in ("lessons", "solutions")
             for p in sorted((ROOT / folder).glob("*.ipynb"))]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
PLOTLY = "application/vnd.plotly.v1+json"


def expected_figures(nb) -> list[tuple[int, str]]:
    """(cell index, what it shows) for every cell that must draw a Plotly figure."""
    names = registry()
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        shown = [n for n in names if f"{n}(" in cell.source]
        if shown:
            found.append((i, f"explainer {shown[0]}"))
            continue
        for out in cell.outputs:
            fig = out.get("data", {}).get(PLOTLY)
            if fig is not None:
                title = fig.get("layout", {}).get("title", {}).get("text", "untitled figure")
                found.append((i, f"figure '{title}'"))
    return found


def running_kernels(server) -> int:
    with urllib.request.urlopen(f"{server.base_url}/api/kernels?token={server.token}", timeout=10) as response:
        return len(json.load(response))


def wait_until(predicate, timeout_s: float, interval_s: float = 0.2):
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval_s)


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_works_in_the_browser(notebook, server, page_and_guard):
    page, guard = page_and_guard
    nb = nbt.read(ROOT / notebook)
    figures = expected_figures(nb)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = notebook.replace("/", "__").removesuffix(".ipynb")
    # Each notebook runs alone, as a student runs one lesson: the previous one closed its kernel.
    assert wait_until(lambda: running_kernels(server) == 0, 30), \
        f"{running_kernels(server)} kernel(s) still running from an earlier notebook"
    try:
        failure = lab.open_and_run(page, server, notebook)
        if failure is not None:
            index, error = failure
            shows = dict(figures).get(index, "no figure")
            raise AssertionError(f"{notebook}: cell {index} ({shows}) shows an error: {error}")
        panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
        cells = panel.locator(".jp-Cell")

        def failed_widgets():
            text = panel.inner_text()
            return [f for f in lab.WIDGET_FAILURES if f in text]
        still = wait_until(lambda: not failed_widgets(), 30) or failed_widgets()
        assert still is True, f"{notebook}: widgets did not display: {still}"

        for index, label in figures:
            cell = cells.nth(index)
            plot = cell.locator(".js-plotly-plot")
            drawn = wait_until(lambda: plot.count() and all(plot.nth(i).evaluate(lab.PLOT_DRAWN_JS)
                                                             for i in range(plot.count())), 30)
            assert drawn, f"{notebook}: cell {index} ({label}) shows no drawn Plotly figure"
        page.screenshot(path=str(ARTIFACTS / f"{stem}.png"))

        boxes = lab.explainer_boxes(page)
        assert boxes.count() == sum(1 for _, label in figures if label.startswith("explainer")), \
            f"{notebook}: not every explainer displayed its widget"
        for b in range(boxes.count()):
            box = boxes.nth(b)
            title = box.locator("h4").first.inner_text()
            controls = box.locator(".course-control")
            assert controls.count() >= 1, f"{notebook}: explainer '{title}' shows no controls"
            for k in range(controls.count()):
                control = controls.nth(k)
                name = control.locator(".widget-label").first.inner_text()
                control.scroll_into_view_if_needed()
                svg, text = lab.plot_svg(box), lab.readout(box)
                action = lab.change_control(page, control)
                redrawn = wait_until(lambda: lab.plot_svg(box) != svg and lab.readout(box) != text, 15)
                assert redrawn, (f"{notebook}: explainer '{title}', control '{name}' ({action}): "
                                 f"figure changed {lab.plot_svg(box) != svg}, readout changed {lab.readout(box) != text}")
            box.screenshot(path=str(ARTIFACTS / f"{stem}__explainer{b + 1}.png"))
            # The figure's round trip (plotly.js → kernel) ends after the redraw: wait for the kernel
            # to settle, then fail on any error it raised while handling this explainer's messages.
            wait_until(lambda: lab.kernel_idle(page), 15)
            time.sleep(1.0)
            wait_until(lambda: lab.kernel_idle(page), 15)
            errors = lab.kernel_errors(page)
            assert not errors, (f"{notebook}: explainer '{title}': the kernel raised while handling its widget "
                                f"messages (shown only in JupyterLab's log console): {sorted(set(errors))}")

        assert not lab.kernel_errors(page), f"{notebook}: the kernel raised: {lab.kernel_errors(page)}"
        assert not guard.blocked, f"{notebook}: the page asked for off-machine resources: {guard.blocked[:5]}"
    except Exception as exc:
        shot = ARTIFACTS / f"{stem}__FAILED.png"
        try:
            page.screenshot(path=str(shot))
        except Exception:  # the page itself may be gone; the assertion below still reports
            shot = "not taken (page unavailable)"
        raise AssertionError(f"{exc}\nscreenshot: {shot}\nJupyterLab log: {ARTIFACTS / 'jupyterlab.log'}") from exc
    finally:
        try:
            lab.close_notebook(page)  # its kernel would otherwise keep running through the later notebooks
        except Exception:  # noqa: BLE001  a page that is gone has nothing left to close
            pass


def test_offsite_guard_catches_a_request_off_the_machine(server, page_and_guard):
    """The offline check can fail: a page that asks a CDN for plotly.js is caught."""
    page, guard = page_and_guard
    page.goto(f"{server.base_url}/lab?reset&token={server.token}")  # API pages forbid fetches by CSP
    page.evaluate("() => fetch('https://cdn.plot.ly/plotly-latest.min.js').catch(() => null)")
    assert guard.blocked == ["https://cdn.plot.ly/plotly-latest.min.js"]
