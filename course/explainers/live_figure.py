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
differs. A figure drawn ahead of time is shown instead of drawn (see the comment above ``_RENDER_JS``).

plotly.js is the copy the installed plotly package ships (``package_data/plotly.min.js``), put
into the widget's module, so a classroom without internet still draws every figure.
"""

from __future__ import annotations

import base64
import json
import re
from functools import lru_cache
from importlib import resources

import anywidget
import numpy as np
import plotly.graph_objects as go
import traitlets
from _plotly_utils.utils import PlotlyJSONEncoder
from plotly.io.json import to_json_plotly

# The front end draws each message in one of three ways (tests/browser/test_live_figure_paths.py checks
# that each draws what a fresh drawing draws):
# - a figure drawn ahead of time (see LiveFigure.predraw) is shown instead of drawn: ~1 ms;
# - a change that only moves the points of scatter traces, under an unchanged layout, goes through
#   Plotly.react with a zero-length layout.transition: plotly.js then redraws the traces alone and
#   leaves axes, annotations and legend as they are ("moved"), 20-35 ms where a full redraw of the
#   same change took 30-65 (median per explainer, bare page in headless Chromium, 2026-11-25);
# - a change that also changes what the points carry (hover data, text) or, for traces the legend does
#   not show, their style, under an unchanged layout whose axes all have fixed ranges, goes through
#   Plotly.animate of every trace with a zero-length transition ("animated"): the virtual trial in
#   30 ms where its full redraw took 64 (bare page, 2026-11-25). react's transition cannot take such
#   changes (plotly.js redraws everything after it), and the animation leaves axes as they are;
# - anything else goes through a full Plotly.react, 35-70 ms (headless Chromium, 2026-11-23).
# Plotly.animate of only the traces that moved was tried until 2026-11-24 (commit efcc55b and before):
# plotly.js then empties the others, which left stale lines and bars in 11 explainers. The quick paths
# now always redraw every trace. Neither takes a trace that gains or loses all its points (plotly.js
# leaves the old drawing, or draws the trace above the others): figures give an empty trace one gap
# instead (course.figures.theme.gap_if_empty).
# Redraws never overlap: while one runs, later messages collapse into one more redraw of the newest
# state, so dragging a slider cannot pile up work.
_RENDER_JS = """
const CONFIG = {responsive: true, displaylogo: false};

function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "course-live-figure";
  box.style.position = "relative";
  el.appendChild(box);
  // One plot per view: the one on screen, plus the predrawn states waiting hidden behind it.
  // Each remembers what it shows, as text.
  const views = [];
  const addView = () => {
    const div = document.createElement("div");
    box.appendChild(div);
    const view = {div, key: null, width: 0, layoutText: null, fixed: [], frame: [], points: []};
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

  // A trace apart from its points, as text (read before plotly.js, which mutates what it is given).
  const fixedPart = trace => JSON.stringify(Object.entries(trace).filter(([key]) => key !== "x" && key !== "y"));
  // The same without what each point carries besides its position (hover data, text) and, for a trace
  // the legend does not show, how it is drawn: plotly.js's animation redraws these with the points (its
  // transition cannot), but not the legend. Keys stay, values go: the animation merges a new trace
  // into the old one, so a key the new trace lacks would keep its old value.
  const PER_POINT = new Set(["x", "y", "customdata", "text", "hovertext", "hoverlabel"]);
  const STYLE = new Set(["line", "marker", "textfont"]);
  const framePart = trace => JSON.stringify(Object.entries(trace).map(([key, value]) =>
    PER_POINT.has(key) || (STYLE.has(key) && trace.showlegend === false) ? [key] : [key, value]));
  const hasPoints = trace => [trace.x, trace.y].some(values => values && (Array.isArray(values)
    ? values.some(v => v !== null) : Boolean(values.bdata)));
  // Only the points of scatter traces moved (or what framePart leaves out changed), and no trace gained
  // or lost all of them. ``before`` and ``now``: fixedPart or framePart of the view's and the new traces.
  const onlyPointsMoved = (view, layoutText, before, now, points, data) =>
    view.layoutText === layoutText && before.length === now.length &&
    data.every((trace, i) => (trace.type ?? "scatter") === "scatter" && now[i] === before[i] &&
      points[i] === view.points[i]);
  // plotly.js's animation leaves axes as they are: only for plots whose axes all have fixed ranges
  const rangesFixed = div => Object.keys(div._fullLayout || {}).filter(key => /^[xy]axis[0-9]*$/.test(key))
    .every(key => div._fullLayout[key].autorange === false);
  // plotly.js decodes a base64 array (customdata, error bars) into a new array on every react, and a new
  // array counts as a change it cannot transition. So where a kept trace still holds the base64 form,
  // it gets the array plotly.js decoded from it last time (same text, so same values).
  const decodedBefore = (input, full) => {
    for (const [key, value] of Object.entries(input)) {
      if (!value || typeof value !== "object" || !full || typeof full !== "object" || !(key in full)) continue;
      if ("bdata" in value) {
        if (ArrayBuffer.isView(full[key]) || Array.isArray(full[key])) input[key] = full[key];
      } else if (!Array.isArray(value)) {
        input[key] = decodedBefore(Object.assign({}, value), full[key]);
      }
    }
    return input;
  };

  // plotly.js draws a zero-length transition right after it emits plotly_transitioning, but settles its
  // promise only in a later task (a setTimeout), when a busy page may already have painted the new
  // points: report the drawing when it is done, not a frame later.
  const transition = async (view, path, drawn, start) => {
    let reported = false;
    const report = () => { if (!reported) { reported = true; drawn(path); } };
    const transitioning = () => queueMicrotask(report);
    view.div.on("plotly_transitioning", transitioning);
    try { await start(); } finally { view.div.removeListener("plotly_transitioning", transitioning); }
    report();
  };

  // Draws a state into a view and calls drawn(path) as soon as the new drawing is in the page, which
  // may be before plotly.js's promise settles.
  const drawInto = async (view, dataText, layoutText, drawn = () => {}) => {
    const data = JSON.parse(dataText), layout = JSON.parse(layoutText);
    const fixed = data.map(fixedPart), frame = data.map(framePart), points = data.map(hasPoints);
    const moved = onlyPointsMoved(view, layoutText, view.fixed, fixed, points, data);
    const animated = !moved && onlyPointsMoved(view, layoutText, view.frame, frame, points, data) && rangesFixed(view.div);
    if (animated) {
      await transition(view, "animated", drawn, () => Plotly.animate(view.div, {data, traces: data.map((_, i) => i)},
        {mode: "immediate", transition: {duration: 0}, frame: {duration: 0, redraw: false}}));
    } else if (moved) {
      // plotly.js compares arrays by identity: a fresh copy of any other array (tick labels, texts) would
      // count as a change it cannot transition, and it would redraw everything after the transition.
      // So the plot's own layout and traces go back in, with only the new points.
      const old = view.div.data;
      await transition(view, "moved", drawn, () => Plotly.react(view.div, data.map((trace, i) => {
        const kept = decodedBefore(Object.assign({}, old[i]), view.div._fullData.find(full => full.index === i));
        for (const key of ["x", "y"]) { if (key in trace) kept[key] = trace[key]; else delete kept[key]; }
        return kept;
      }), Object.assign(view.div.layout, {transition: {duration: 0}}), CONFIG));
    } else {
      await Plotly.react(view.div, data, layout, CONFIG);
      drawn("react");
    }
    Object.assign(view, {key: layoutText + "\\n" + dataText, layoutText, fixed, frame, points, width: box.clientWidth});
  };

  const draw = async () => {
    const layoutText = model.get("layout"), dataText = model.get("data");
    const key = layoutText + "\\n" + dataText;
    if (key === current.key) return;
    const ready = views.find(view => view !== current && view.key === key);
    // set after every redraw, as soon as the drawing is in the page: the bench's latency clock waits for
    // it (course/browser.py) and the tests read which path drew
    const stamp = path => { el.dataset.courseRedraw = path; };
    if (ready) {
      // a state drawn ahead of time: show it instead of drawing it now (width read first: reading
      // it after the swap would force a layout of the whole page)
      const width = box.clientWidth;
      reveal(ready);
      hide(current);
      current = ready;
      if (ready.width !== width) { Plotly.Plots.resize(ready.div); ready.width = width; }
      stamp("predrawn");
    } else {
      await drawInto(current, dataText, layoutText, stamp);
    }
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
        await drawInto(view, dataText, layoutText);
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
def plotly_js() -> str:
    """The plotly.js the installed plotly package ships, as text (no network needed to draw)."""
    return resources.files("plotly").joinpath("package_data", "plotly.min.js").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _module_source() -> str:
    bundle = plotly_js()
    version = re.search(r"plotly\.js v([\w.-]+)", bundle[:200]).group(1)
    # anywidget evaluates this module once per widget. Each evaluation of plotly.min.js would make
    # another plotly.js and point window.Plotly at it, and a plot drawn by one copy and updated by
    # another is redrawn from scratch: Plotly.react compares the config it is given with the plot's,
    # and each copy's default functions are other objects. That made the first change after a lesson
    # ran cost 3-4 times a later one (measured 2026-11-24). So the first evaluation on a page keeps
    # its plotly.js, by version, and every later one uses it. (plotly.min.js is a UMD bundle that
    # sets window.Plotly.)
    key = json.dumps(f"__course_plotly_{version}")
    return (f"/* plotly.js {version}, evaluated once per page */\n"
            f"const Plotly = globalThis[{key}] ??= (() => {{\n{bundle}\nreturn window.Plotly;\n}})();\n"
            + _RENDER_JS)


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
