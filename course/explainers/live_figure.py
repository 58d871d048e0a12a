"""A lean live figure widget: the kernel sends the figure, the browser redraws it, nothing comes back.

plotly's own ``go.FigureWidget`` keeps a two-way copy of the figure. After every redraw its
front end sends the kernel what plotly.js filled in (trace and layout deltas, restyle and
relayout events), and the kernel answers each message with busy/idle status. Measured here
(2026-11-23) that is 14 websocket messages per slider move, ~11 ms of kernel time handling the
deltas and ~36 ms of Jupyter-server relaying, about as much as the redraw itself, and it made
the real-browser latency miss its 100 ms p95 budget.

An explainer only ever writes to its figure, so a one-way widget is enough: Python keeps the
figure as a plain ``go.Figure`` and, after each redraw, sends its JSON in one message; the
browser redraws it.
The layout travels only when it changed, because ipywidgets sends a trait only when its value
differs. The browser then takes a shortcut where one is safe (see the comment above ``_RENDER_JS``).

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

# The front end draws each message in the cheapest of three ways (measured 2026-11-23, headless
# Chromium; tests/browser/test_live_figure_paths.py checks that all three draw the same SVG):
# - a figure drawn ahead of time (see LiveFigure.predraw) is shown instead of drawn: ~1 ms;
# - a figure of scatter traces only, whose layout is unchanged but for annotation or shape
#   positions and axis ranges, whose traces keep their fixed parts (and, in the legend, their
#   style and whether they have points) and whose axes have fixed ranges, is drawn by animating the
#   traces that moved with Plotly.animate without a redraw: plotly.js moves lines, points and labels
#   and skips recomputing defaults and redrawing the axes, 10-20 ms;
# - anything else goes through Plotly.react, 35-70 ms.
# Redraws never overlap: while one runs, later messages collapse into one more redraw of the newest
# state, so dragging a slider cannot pile up work.
_RENDER_JS = """
const CONFIG = {responsive: true, displaylogo: false};
const FAST = {transition: {duration: 0}, frame: {duration: 0, redraw: false}};
// Off (2026-11-24): once tests/browser/test_live_figure_paths.py compared the drawn lines and bars
// (its selectors had matched none), animated and relayout-only redraws left stale lines or bars in 11
// explainers. Every change is a full Plotly.react until each case is understood.
const QUICK_REDRAW = false;
const MOVABLE = ["x", "y", "text", "hovertext", "customdata"];
const RESTYLABLE = ["marker", "line", "opacity"];  // safe only where no legend shows the old style

// What must stay the same for a trace to be animated. A trace in the legend keeps its style, and
// whether it has points at all: plotly.js lists only traces with points and the animation leaves the
// legend as it was.
function fixedPart(trace, legend) {
  const skip = legend ? MOVABLE : MOVABLE.concat(RESTYLABLE);
  const fixed = Object.keys(trace).sort().filter(k => !skip.includes(k)).map(k => [k, trace[k]]);
  // plotly.js (3.x) animating a trace to or from no points leaves its old drawing on screen (or never
  // draws it): such a change goes through a full redraw, in or out of the legend
  fixed.push(["has points", hasPoints(trace)]);
  return JSON.stringify(fixed);
}

function hasPoints(trace) {
  const values = trace.x !== undefined ? trace.x : trace.y;
  if (values === undefined || values === null) return false;
  if (Array.isArray(values)) return values.length > 0;
  return typeof values.bdata !== "string" || values.bdata.length > 0;
}

// Layout edits that only move or relabel annotations and shapes, or move an axis's range: plotly.js
// redraws just those (and the traces on that axis).
const PLACEMENT = /^((annotations|shapes)\\[\\d+\\]\\.(x|y|x0|x1|y0|y1|text)|[xy]axis\\d*\\.range)$/;

function flatten(value, path, out) {
  const isObject = v => v !== null && typeof v === "object" && !Array.isArray(v);
  if (isObject(value)) {
    for (const key of Object.keys(value)) flatten(value[key], path ? path + "." + key : key, out);
  } else if (Array.isArray(value) && value.length && value.every(isObject)) {
    value.forEach((item, i) => flatten(item, path + "[" + i + "]", out));
    out[path + ".length"] = String(value.length);
  } else {
    out[path] = JSON.stringify(value);
  }
  return out;
}

// The relayout edits that turn one layout into the other, or null if more than placements changed.
function placementEdits(oldText, newText) {
  if (oldText === newText) return {};
  const before = flatten(JSON.parse(oldText), "", {}), after = flatten(JSON.parse(newText), "", {});
  const edits = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[key] === after[key]) continue;
    if (!(key in before) || !(key in after) || !PLACEMENT.test(key)) return null;
    edits[key] = JSON.parse(after[key]);
  }
  return edits;
}

function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "course-live-figure";
  box.style.position = "relative";
  el.appendChild(box);
  // One plot per view: the one on screen, plus the predrawn states waiting hidden behind it.
  // Each remembers what it shows, as text: plotly.js keeps and mutates the trace objects it is given.
  const views = [];
  const addView = () => {
    const div = document.createElement("div");
    box.appendChild(div);
    const view = {div, key: null, shown: null, width: 0};
    views.push(view);
    return view;
  };
  // A plot is drawn ahead of time invisible but laid out (plotly.js measures text), then taken
  // out of layout altogether (display: none), so that hidden plots cost the page nothing.
  const drawHidden = view => Object.assign(view.div.style, {visibility: "hidden", position: "absolute", top: "0", left: "0", width: "100%"});
  const hide = view => { view.div.style.display = "none"; };
  const reveal = view => Object.assign(view.div.style, {display: "", visibility: "", position: "", top: "", left: "", width: ""});
  let current = addView();
  let running = false, again = false, queued = false;
  let pending = [];

  const axisFixed = (plot, name) => {
    const axis = plot._fullLayout[name.replace(/^([xy])/, "$1axis")];
    return axis !== undefined && axis.autorange === false;
  };
  // The layout edits and the indices of the traces to animate, or null when only a full redraw will do.
  const quickChange = (view, layoutText, texts, parts, data) => {
    const shown = view.shown;
    if (shown === null || shown.texts.length !== texts.length) return null;
    const edits = placementEdits(shown.layout, layoutText);
    if (edits === null) return null;
    const full = view.div._fullData || [];
    // plotly.js (3.x) animating without a redraw keeps only the traces it animates, in every subplot
    // that has one, and empties the others and every bar: so scatter-only figures, and at least one
    // animated trace per subplot (2026-11-23: a figure whose second panel vanished showed it).
    if (full.length !== data.length || data.some(trace => (trace.type || "scatter") !== "scatter")) return null;
    const moved = [];
    for (let i = 0; i < data.length; i++) {
      if (texts[i] === shown.texts[i]) continue;
      const legend = full[i].showlegend !== false ? 0 : 1;
      const ok = parts[i][legend] === shown.parts[i][legend] &&
        axisFixed(view.div, full[i].xaxis) && axisFixed(view.div, full[i].yaxis);
      if (!ok) return null;
      moved.push(i);
    }
    if (moved.length) {
      const subplot = i => full[i].xaxis + full[i].yaxis;
      const covered = new Set(moved.map(subplot));
      for (let i = 0; i < data.length; i++) {
        if (!covered.has(subplot(i))) { covered.add(subplot(i)); moved.push(i); }
      }
      moved.sort((a, b) => a - b);
    }
    return {edits, moved};
  };

  const drawInto = async (view, dataText, layoutText, fresh) => {
    const data = JSON.parse(dataText);
    const texts = data.map(trace => JSON.stringify(trace));
    const parts = data.map(trace => [fixedPart(trace, true), fixedPart(trace, false)]);
    const quick = fresh || !QUICK_REDRAW ? null : quickChange(view, layoutText, texts, parts, data);
    if (quick === null) {
      await Plotly.react(view.div, data, JSON.parse(layoutText), CONFIG);
    } else {
      if (Object.keys(quick.edits).length) await Plotly.relayout(view.div, quick.edits);
      const moved = quick.moved;
      if (moved.length) await Plotly.animate(view.div, {data: moved.map(i => data[i]), traces: moved}, FAST);
    }
    view.shown = {layout: layoutText, texts, parts};
    view.key = layoutText + "\\n" + dataText;
    view.width = box.clientWidth;
    return quick === null ? "react" : "animate";
  };

  const draw = async () => {
    const layoutText = model.get("layout"), dataText = model.get("data");
    const key = layoutText + "\\n" + dataText;
    if (key === current.key) return;
    const ready = views.find(view => view !== current && view.key === key);
    let path;
    if (ready) {
      // a state drawn ahead of time: show it instead of drawing it now (width read first: reading
      // it after the swap would force a layout of the whole page)
      const width = box.clientWidth;
      reveal(ready);
      hide(current);
      current = ready;
      if (ready.width !== width) { Plotly.Plots.resize(ready.div); ready.width = width; }
      path = "predrawn";
    } else {
      path = await drawInto(current, dataText, layoutText, false);
    }
    el.dataset.courseRedraw = path;  // which path drew it, for profiling
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
    if (pending.length) setTimeout(predrawNext, 0);
  };
  // Draw one waiting state into a hidden plot, between redraws: never while one is running.
  const predrawNext = async () => {
    if (running || !pending.length) return;
    const [dataText, layoutText] = pending.shift();
    running = true;
    try {
      if (!views.some(view => view.key === layoutText + "\\n" + dataText)) {
        const view = addView();
        drawHidden(view);
        await drawInto(view, dataText, layoutText, true);
        hide(view);
      }
    } finally {
      running = false;
    }
    if (again) run();
    else if (pending.length) setTimeout(predrawNext, 0);
    else el.dataset.coursePredraw = "done";
  };
  const predraw = () => {
    pending = JSON.parse(model.get("predrawn"));
    if (pending.length) { el.dataset.coursePredraw = "pending"; setTimeout(predrawNext, 0); }
  };
  // data and layout may change in one message: draw once, after both are set
  const redraw = () => {
    if (!queued) { queued = true; queueMicrotask(run); }
  };
  model.on("change:data", redraw);
  model.on("change:layout", redraw);
  model.on("change:predrawn", predraw);
  run().then(predraw);
  const resized = new ResizeObserver(() => {
    if (current.div.offsetWidth && current.div._fullLayout) { Plotly.Plots.resize(current.div); current.width = box.clientWidth; }
  });
  resized.observe(el);
  return () => {
    resized.disconnect();
    model.off("change:data", redraw);
    model.off("change:layout", redraw);
    model.off("change:predrawn", predraw);
    for (const view of views) Plotly.purge(view.div);
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
    # [[data, layout], ...] the browser draws ahead of time into hidden plots (see predraw)
    predrawn = traitlets.Unicode("[]").tag(sync=True)

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

    def predraw(self, figures) -> None:
        """Let the browser draw these figures ahead of time, so that showing one later is a swap.

        ``figures`` are ``(data_json, layout_json)`` pairs as :meth:`show` sends them; a later
        :meth:`show` of an identical figure then costs the browser no drawing at all.
        """
        self.predrawn = json.dumps([list(pair) for pair in figures])
