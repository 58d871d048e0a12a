"""A lean live figure widget: the kernel sends the figure, the browser redraws it, nothing comes back.

plotly's own ``go.FigureWidget`` keeps a two-way copy of the figure. After every redraw its
front end sends the kernel what plotly.js filled in (trace and layout deltas, restyle and
relayout events), and the kernel answers each message with busy/idle status. Measured here
(2026-11-23) that is 14 websocket messages per slider move, ~11 ms of kernel time handling the
deltas and ~36 ms of Jupyter-server relaying, about as much as the redraw itself, and it made
the real-browser latency miss its 100 ms p95 budget.

An explainer only ever writes to its figure, so a one-way widget is enough: Python keeps the
figure as a plain ``go.Figure`` and, after each redraw, sends its JSON in one message; the
browser calls ``Plotly.react``, which diffs against what is drawn and repaints only what changed.
The layout travels only when it changed, because ipywidgets sends a trait only when its value
differs.

plotly.js is the copy the installed plotly package ships (``package_data/plotly.min.js``), put
into the widget's module, so a classroom without internet still draws every figure.
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from importlib import resources

import anywidget
import numpy as np
import plotly.graph_objects as go
import traitlets
from _plotly_utils.utils import PlotlyJSONEncoder
from plotly.io.json import to_json_plotly

# The front end. A message that leaves the layout alone and changes only what scatter traces draw
# (their points, text and, for traces without a legend entry, colours and sizes), on axes with fixed
# ranges, is drawn by animating just those traces with Plotly.animate without a redraw: plotly.js then moves lines, points and
# labels and skips recomputing defaults and redrawing the axes, which took 25-35 ms of the 35-55 ms
# a Plotly.react costs here (2026-11-23, headless Chromium; both give the same SVG). Anything else
# (a new layout, a legend to update, autoranged axes) goes through Plotly.react. Redraws never
# overlap: while one runs, later messages collapse into one more redraw of the newest state, so
# dragging a slider cannot pile up work.
_RENDER_JS = """
const CONFIG = {responsive: true, displaylogo: false};
const FAST = {transition: {duration: 0}, frame: {duration: 0, redraw: false}};
const MOVABLE = ["x", "y", "text", "hovertext", "customdata"];
const RESTYLABLE = ["marker", "line", "opacity"];  // safe only where no legend shows the old style

function fixedPart(trace, legend) {
  const skip = legend ? MOVABLE : MOVABLE.concat(RESTYLABLE);
  return JSON.stringify(Object.keys(trace).sort().filter(k => !skip.includes(k)).map(k => [k, trace[k]]));
}

function render({ model, el }) {
  const plot = document.createElement("div");
  plot.className = "course-live-figure";
  el.appendChild(plot);
  // What is on screen, as text: plotly.js keeps and mutates the trace objects it is given.
  let shown = null;
  let running = false, again = false, queued = false;

  const axisFixed = name => {
    const axis = plot._fullLayout[name.replace(/^([xy])/, "$1axis")];
    return axis !== undefined && axis.autorange === false;
  };
  // Indices of the traces to animate, or null when only a full redraw will do.
  const movedTraces = (layoutText, texts, parts, data) => {
    if (shown === null || shown.layout !== layoutText || shown.texts.length !== texts.length) return null;
    const full = plot._fullData || [];
    const moved = [];
    for (let i = 0; i < data.length; i++) {
      if (texts[i] === shown.texts[i]) continue;
      const legend = !full[i] || full[i].showlegend !== false ? 0 : 1;
      const ok = (data[i].type || "scatter") === "scatter" && full[i] !== undefined &&
        parts[i][legend] === shown.parts[i][legend] && axisFixed(full[i].xaxis) && axisFixed(full[i].yaxis);
      if (!ok) return null;
      moved.push(i);
    }
    return moved;
  };

  const draw = async () => {
    const layoutText = model.get("layout");
    const data = JSON.parse(model.get("data"));
    const texts = data.map(trace => JSON.stringify(trace));
    const parts = data.map(trace => [fixedPart(trace, true), fixedPart(trace, false)]);
    const moved = movedTraces(layoutText, texts, parts, data);
    if (moved !== null && moved.length) {
      await Plotly.animate(plot, {data: moved.map(i => data[i]), traces: moved}, FAST);
    } else if (moved === null) {
      await Plotly.react(plot, data, JSON.parse(layoutText), CONFIG);
    }
    shown = {layout: layoutText, texts, parts};
    el.dataset.courseRedraw = moved === null ? "react" : "animate";  // which path drew it, for profiling
  };
  const run = async () => {
    queued = false;
    if (running) { again = true; return; }
    running = true;
    try {
      do { again = false; await draw(); } while (again);
    } finally {
      running = false;
    }
  };
  // data and layout may change in one message: draw once, after both are set
  const redraw = () => {
    if (!queued) { queued = true; queueMicrotask(run); }
  };
  model.on("change:data", redraw);
  model.on("change:layout", redraw);
  run();
  const resized = new ResizeObserver(() => { if (plot.offsetWidth && plot._fullLayout) Plotly.Plots.resize(plot); });
  resized.observe(el);
  return () => {
    resized.disconnect();
    model.off("change:data", redraw);
    model.off("change:layout", redraw);
    Plotly.purge(plot);
  };
}

export default { render };
"""


@lru_cache(maxsize=1)
def _module_source() -> str:
    plotly_js = resources.files("plotly").joinpath("package_data", "plotly.min.js").read_text(encoding="utf-8")
    # plotly.min.js is a UMD bundle that also sets window.Plotly, which the render code uses.
    return plotly_js + "\n" + _RENDER_JS


# numpy dtypes plotly.js reads from base64 ("typed array specs", plotly.js >= 2.28).
_TYPED = {"int8": "i1", "uint8": "u1", "int16": "i2", "uint16": "u2", "int32": "i4", "uint32": "u4",
          "float32": "f4", "float64": "f8"}
_FALLBACK = PlotlyJSONEncoder()


def _json_value(value):
    """numpy arrays as base64 typed arrays (as plotly.py sends them), anything else as plotly encodes it."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "iu" and value.dtype.itemsize == 8 and value.size:
            value = value.astype(np.int32) if np.abs(value).max() < 2**31 else value.astype(np.float64)
        code = _TYPED.get(str(value.dtype))
        if code and value.ndim == 1 and value.size:
            return {"dtype": code, "bdata": base64.b64encode(np.ascontiguousarray(value)).decode("ascii")}
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return _FALLBACK.default(value)


def figure_json(part) -> str:
    """JSON of a figure's trace list or layout, read straight from its validated properties.

    ``Figure.to_plotly_json`` deep-copies the figure and walks it twice, which cost more than most
    explainers' models (2-5 ms); reading the already-validated properties costs a fraction of that.
    Non-finite numbers in plain lists would not be valid JSON for the browser: that rare case goes
    through plotly's own encoder, which writes them as null.
    """
    text = json.dumps(part, default=_json_value, separators=(",", ":"))
    if "NaN" in text or "Infinity" in text:
        return to_json_plotly(part)
    return text


class LiveFigure(anywidget.AnyWidget):
    """Shows a ``go.Figure`` in the browser and redraws it each time :meth:`show` is called."""

    _esm = traitlets.Unicode().tag(sync=True)
    data = traitlets.Unicode("[]").tag(sync=True)
    layout = traitlets.Unicode("{}").tag(sync=True)

    def __init__(self, figure: go.Figure | None = None, **kwargs):
        super().__init__(_esm=_module_source(), **kwargs)
        if figure is not None:
            self.show(figure)

    def show(self, figure: go.Figure) -> None:
        """Send ``figure`` to every view of this widget, in one message."""
        # _data and _layout are plotly's own validated property dicts; to_plotly_json would copy them.
        with self.hold_sync():
            self.data = figure_json(figure._data)
            self.layout = figure_json(figure._layout)
