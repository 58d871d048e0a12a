"""The course's shared Plotly template and figure conventions."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

TEMPLATE_NAME = "course"

# Okabe & Ito (2008) colour-blind-safe palette, "Color Universal Design".
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
PALETTE = [
    OKABE_ITO[k]
    for k in ("blue", "orange", "bluish_green", "vermillion", "sky_blue", "reddish_purple", "yellow", "black")
]
GREY = "#999999"

SIGNIFICANT_DIGITS = 5


def make_template() -> go.layout.Template:
    return go.layout.Template(
        layout=dict(
            colorway=PALETTE,
            font=dict(family="DejaVu Sans, Arial, sans-serif", size=14, color="#222222"),
            title=dict(font=dict(size=17), x=0.0, xanchor="left"),
            paper_bgcolor="white",
            plot_bgcolor="white",
            xaxis=dict(showline=True, linecolor="#444444", ticks="outside", gridcolor="#E5E5E5", zeroline=False,
                       ticklabeloverflow="allow"),
            yaxis=dict(showline=True, linecolor="#444444", ticks="outside", gridcolor="#E5E5E5", zeroline=False,
                       ticklabeloverflow="allow"),
            legend=dict(bgcolor="rgba(255,255,255,0.8)"),
            margin=dict(l=70, r=30, t=60, b=60),
            hoverlabel=dict(font=dict(size=13)),
        )
    )


def register() -> None:
    """Register the course template and make it Plotly's default."""
    pio.templates[TEMPLATE_NAME] = make_template()
    pio.templates.default = TEMPLATE_NAME


def new_figure(title: str, description: str, **layout) -> go.Figure:
    """An empty figure in the course style carrying its text description."""
    if not description.strip():
        raise ValueError("every course figure needs a description")
    fig = go.Figure(layout=dict(template=make_template(), title=dict(text=title), **layout))
    fig.layout.meta = {"description": description}
    return fig


SOURCE_LINE_CHARS = 100  # at 11 px, a line this long fits a figure in a notebook beside the file browser


def wrap_source(text: str, width: int = SOURCE_LINE_CHARS) -> str:
    """Break a source text into lines of at most ``width`` characters (at spaces; existing <br> kept)."""
    lines = []
    for part in text.split("<br>"):
        line = ""
        for word in part.split(" "):
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return "<br>".join(lines)


def add_source(fig, text: str) -> None:
    """Print a data figure's source under its plot area, where a reader sees it without hovering."""
    # Pixel offsets (not paper fractions) keep the line just under the axis title at any height.
    wrapped = wrap_source(f"Source: {text}")
    fig.add_annotation(text=wrapped, xref="paper", yref="paper", x=0, y=0, yshift=-72, xanchor="left",
                       yanchor="top", showarrow=False, align="left", font=dict(size=11, color="#555555"))
    lines = wrapped.count("<br>") + 1
    fig.update_layout(margin=dict(b=max(135, 85 + 14 * lines)))


def description(fig) -> str:
    """The text description attached by a figure builder ('' if none)."""
    meta = fig.layout.meta
    if isinstance(meta, dict):
        return str(meta.get("description", ""))
    return ""


def set_description(fig, text: str) -> None:
    fig.layout.meta = {"description": text}


def rounded(values, digits: int = SIGNIFICANT_DIGITS) -> np.ndarray:
    """Round to significant digits so stored outputs are identical across CPUs and BLAS builds."""
    a = np.asarray(values, dtype=float)
    out = np.zeros_like(a)
    finite = np.isfinite(a) & (a != 0)
    mag = np.floor(np.log10(np.abs(a[finite])))
    scale = 10.0 ** (digits - 1 - mag)
    out[finite] = np.round(a[finite] * scale) / scale
    out[~np.isfinite(a)] = a[~np.isfinite(a)]
    return out


def with_gaps(values, digits: int = SIGNIFICANT_DIGITS) -> list:
    """Rounded values with every missing or non-finite one as None, which Plotly draws as a gap in a line."""
    a = np.array([np.nan if v is None else v for v in values], dtype=float)
    return [float(v) if np.isfinite(v) else None for v in rounded(a, digits)]


def gapped(values, digits: int = SIGNIFICANT_DIGITS) -> np.ndarray:
    """Rounded floats with every missing (None) or non-finite value as NaN: a gap in a line, as with
    :func:`with_gaps`, but as an array. plotly checks a list number by number, which was most of the
    phase plane's redraw; an array it takes at once, and it travels to the browser in binary."""
    a = rounded(np.asarray(values, dtype=float), digits)
    a[~np.isfinite(a)] = np.nan
    return a


def gap_if_empty(values) -> np.ndarray:
    """``values`` as floats, or one gap (NaN) when there are none.

    A trace that loses all its points, or gains its first, makes the browser redraw the whole figure
    (course/explainers/live_figure.py); a trace holding one gap draws nothing, yet keeps its place
    among the traces, so the points can simply move.
    """
    a = np.asarray(values)
    a = a if a.dtype.kind == "f" else a.astype(float)
    return a if a.size else np.full(1, np.nan, dtype=a.dtype)


def _drawn_key(value):
    """What an assignment is compared by: arrays by their bytes, anything else by its text."""
    if isinstance(value, str):
        return value
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return (value.shape, value.dtype.str, value.tobytes())
    return repr(value)


def assign_changed(fig, index: int, **props) -> None:
    """Set properties of trace ``index``, skipping any equal to what this figure last received.

    plotly validates every assignment (a fraction of a millisecond each), and an explainer's redraw
    often rewrites traces that did not change.
    """
    memo = fig.__dict__.setdefault("_course_drawn", {})
    trace = fig.data[index]
    for prop, value in props.items():
        key = _drawn_key(value)
        if memo.get((index, prop)) != key:
            setattr(trace, prop, value)
            memo[(index, prop)] = key
