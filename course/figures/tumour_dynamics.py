"""Figures for the Kuznetsov et al. (1994) effector–tumour model: time course, phase plane, regimes."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from course.figures.theme import (GREY, OKABE_ITO, gapped, make_template, new_figure, rounded, set_description,
                                  with_gaps)
from course.models import kuznetsov as model

MODEL_SOURCE = ("Kuznetsov VA, Makalkin IA, Taylor MA, Perelson AS (1994) Bull Math Biol 56:295–321, "
                "doi:10.1007/BF02460644 — parameters estimated for BCL1 lymphoma in mice")

# Fixed axis ranges (log10 of cells): an autoranged axis re-lays itself out on every redraw.
CELLS_RANGE = (0.0, 9.5)
PHASE_X_RANGE = (0.0, 4.0)        # effector cells, units of 10^6
PHASE_LOG_Y_RANGE = (2.0, 9.0)    # tumour cells, log10
ARROW_COLUMNS, ARROW_ROWS = 10, 8
# Approximate size of the phase plane's plotting area (figure 620 px high, margins), used only to
# turn rates into arrow angles on screen.
PLOT_WIDTH_PX, PLOT_HEIGHT_PX = 600, 410
STABLE_COLOUR, UNSTABLE_COLOUR = OKABE_ITO["black"], GREY
TUMOUR_COLOUR, EFFECTOR_COLOUR = OKABE_ITO["vermillion"], OKABE_ITO["blue"]


def _log_cells_axis(fig: go.Figure, title: str = "cells (log scale)", **where) -> None:
    fig.update_yaxes(type="log", range=list(CELLS_RANGE), dtick=1, title_text=title, exponentformat="power",
                     **where)


def time_course_figure(days_end: float) -> go.Figure:
    """Tumour and effector cells against days; traces are filled in by :func:`time_course_data`."""
    fig = new_figure(
        "Tumour and effector cells over time (Kuznetsov et al. 1994 model)",
        "Two lines on a logarithmic axis of cell numbers against days since the start: tumour cells in red and "
        "effector cells (cytotoxic lymphocytes) in blue. Dotted red lines mark the tumour sizes at which the model "
        "has a stable equilibrium: a small one (dormancy) and, for most settings, a large one (escape). A "
        "dashed grey line marks one cell: a tumour below it has been eliminated. The model and its parameters "
        "are those Kuznetsov and colleagues estimated for a mouse B-cell lymphoma.",
        height=500, legend=dict(orientation="h", x=0, y=-0.2, yanchor="top"), margin=dict(t=60, b=150))
    fig.add_trace(go.Scatter(name="tumour cells", mode="lines", line=dict(color=TUMOUR_COLOUR, width=3)))
    fig.add_trace(go.Scatter(name="effector cells", mode="lines", line=dict(color=EFFECTOR_COLOUR, width=3)))
    fig.add_trace(go.Scatter(name="stable tumour sizes", mode="lines", hoverinfo="skip",
                             line=dict(color=TUMOUR_COLOUR, width=1, dash="dot")))
    fig.add_hline(y=1.0, line=dict(color=GREY, dash="dash"))
    fig.update_xaxes(title_text="time (days)", range=[0, days_end])
    _log_cells_axis(fig)
    return fig


def time_course_data(traj: model.Trajectory, stable_tumour_cells: list[float], days_end: float) -> dict:
    """Trace data for :func:`time_course_figure`."""
    days = rounded(traj.days)
    levels_x, levels_y = [], []
    for cells in stable_tumour_cells:
        levels_x += [0.0, days_end, None]
        levels_y += [cells, cells, None]
    return {"days": days, "tumour": rounded(traj.tumour_cells), "effector": rounded(traj.effector_cells),
            "levels_x": levels_x, "levels_y": with_gaps(levels_y)}


def phase_plane_figure() -> go.Figure:
    """Effector cells against tumour cells: field, nullclines, equilibria, separatrix, one trajectory."""
    fig = new_figure(
        "Phase plane: effector cells against tumour cells",
        "A phase plane of the Kuznetsov et al. (1994) model. The horizontal axis is effector cells (millions), the "
        "vertical axis tumour cells on a logarithmic scale. Grey arrows show the direction in which a state moves. "
        "The blue line is the effector nullcline (effectors neither rise nor fall), the red line the tumour "
        "nullcline (the tumour neither grows nor shrinks). Where they cross lie the equilibria: filled black "
        "circles are stable, open grey circles unstable. The dashed purple line is the separatrix, the boundary "
        "between the starts that end in dormancy and those that escape. The orange line is the path from the "
        "chosen start (orange square) over five years.",
        height=620, legend=dict(orientation="h", x=0, y=-0.2, yanchor="top"), margin=dict(t=60, b=150))
    fig.add_trace(go.Scatter(name="direction of motion", mode="lines", hoverinfo="skip",
                             line=dict(color="#AAAAAA", width=1.2)))
    fig.add_trace(go.Scatter(name="effector nullcline", mode="lines", line=dict(color=EFFECTOR_COLOUR, width=2)))
    fig.add_trace(go.Scatter(name="tumour nullcline", mode="lines", line=dict(color=TUMOUR_COLOUR, width=2)))
    fig.add_trace(go.Scatter(name="separatrix", mode="lines",
                             line=dict(color=OKABE_ITO["reddish_purple"], width=2, dash="dash")))
    fig.add_trace(go.Scatter(name="path from your start", mode="lines", line=dict(color=OKABE_ITO["orange"], width=3)))
    fig.add_trace(go.Scatter(name="start", mode="markers", showlegend=False,
                             marker=dict(symbol="square", size=11, color=OKABE_ITO["orange"])))
    fig.add_trace(go.Scatter(name="stable equilibrium", mode="markers",
                             marker=dict(size=13, color=STABLE_COLOUR)))
    fig.add_trace(go.Scatter(name="unstable equilibrium", mode="markers",
                             marker=dict(size=13, color="white", line=dict(color=UNSTABLE_COLOUR, width=2))))
    fig.update_xaxes(title_text="effector cells (millions)", range=list(PHASE_X_RANGE))
    fig.update_yaxes(type="log", range=list(PHASE_LOG_Y_RANGE), dtick=1, exponentformat="power",
                     title_text="tumour cells (log scale)")
    return fig


def direction_field(params: model.Params) -> tuple[np.ndarray, np.ndarray]:
    """Short arrows on a grid, as one line with gaps: a shaft and a two-stroke head each.

    One line path redraws much faster in the browser than one marker per arrow. Arrows are
    equal in length on screen (linear effectors, logarithmic tumour).
    """
    x_span = PHASE_X_RANGE[1] - PHASE_X_RANGE[0]
    ly_span = PHASE_LOG_Y_RANGE[1] - PHASE_LOG_Y_RANGE[0]
    xs = np.linspace(*PHASE_X_RANGE, ARROW_COLUMNS + 2)[1:-1]
    log_ys = np.linspace(*PHASE_LOG_Y_RANGE, ARROW_ROWS + 2)[1:-1]
    gx, gly = np.meshgrid(xs, log_ys)
    y = 10.0 ** gly / model.CELL_SCALE
    dx, dy = model.rhs(params, gx, y)
    # Direction in screen pixels: effectors across the plot width, tumour in decades up its height.
    right = dx / x_span * PLOT_WIDTH_PX
    up = dy / (y * np.log(10)) / ly_span * PLOT_HEIGHT_PX
    norm = np.hypot(right, up)
    norm[norm == 0] = 1.0
    ux, uy = right / norm, up / norm
    length, head = 22.0, 6.0  # pixels

    def to_data(px, py):  # pixel offsets from the grid point back to axis units
        return gx + px / PLOT_WIDTH_PX * x_span, gly + py / PLOT_HEIGHT_PX * ly_span

    tail = to_data(-ux * length / 2, -uy * length / 2)
    tip = to_data(ux * length / 2, uy * length / 2)
    # Head strokes: back from the tip, 30° either side of the shaft.
    c, s30 = np.cos(np.radians(30)), np.sin(np.radians(30))
    left = to_data(ux * length / 2 - head * (c * ux - s30 * uy), uy * length / 2 - head * (c * uy + s30 * ux))
    right_ = to_data(ux * length / 2 - head * (c * ux + s30 * uy), uy * length / 2 - head * (c * uy - s30 * ux))
    out_x, out_y = [], []
    for k in np.ndindex(gx.shape):
        for pt in (tail, tip, None, left, tip, right_, None):
            if pt is None:
                out_x.append(None)
                out_y.append(None)
            else:
                out_x.append(pt[0][k])
                out_y.append(10.0 ** pt[1][k])
    return gapped(out_x), gapped(out_y)


def regimes_figure(d_grid: np.ndarray, branches: dict[str, tuple[list, list]], days_end: float) -> go.Figure:
    """Left: steady tumour sizes against the effector death rate d. Right: one time course."""
    fig = make_subplots(rows=1, cols=2, column_widths=[0.55, 0.45], horizontal_spacing=0.13, subplot_titles=(
        "Steady tumour sizes as d changes", "Your tumour over time"))
    fig.update_layout(template=make_template(), height=540, margin=dict(t=100, l=80, b=150),
                      legend=dict(orientation="h", x=0, y=-0.22, yanchor="top"),
                      title=dict(text="Elimination, equilibrium, escape: regimes of the Kuznetsov model", y=0.98))
    styles = {"stable": dict(color=STABLE_COLOUR, width=3), "unstable": dict(color=UNSTABLE_COLOUR, width=2, dash="dot")}
    # Lines, not one marker per steady state: a redraw replots every trace, and hundreds of markers
    # made this figure miss the browser budget (make bench).
    for name, (xs, ys) in branches.items():
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=f"{name} steady state", line=styles[name],
                                 hovertemplate="d %{x:.3g}/day: %{y:.3g} cells"), row=1, col=1)
    fig.add_trace(go.Scatter(name="your d", mode="lines", line=dict(color=OKABE_ITO["orange"], width=2)),
                  row=1, col=1)
    fig.add_trace(go.Scatter(name="tumour cells", mode="lines", line=dict(color=TUMOUR_COLOUR, width=3)),
                  row=1, col=2)
    fig.update_xaxes(type="log", title_text="effector death rate d (per day, log scale)",
                     range=[np.log10(d_grid[0]), np.log10(d_grid[-1])], row=1, col=1)
    fig.update_xaxes(title_text="time (days)", range=[0, days_end], row=1, col=2)
    for col in (1, 2):
        _log_cells_axis(fig, "tumour cells (log scale)", row=1, col=col)
    fig.add_annotation(text="tumour-free state (0 cells) drawn at 1 cell", xref="x domain", yref="y domain",
                       x=0.02, y=0.03, yanchor="bottom", xanchor="left", showarrow=False,
                       font=dict(size=11, color="#555555"))
    set_description(fig, (
        "Two panels. Left: a bifurcation diagram. For each effector death rate d (horizontal, logarithmic) the "
        "lines mark the tumour sizes at which the model is at rest: solid black lines are stable states, "
        "dotted grey lines unstable ones; the tumour-free state is drawn along the bottom at one cell. At low d the "
        "tumour-free state is stable (elimination); at intermediate d a small stable tumour (dormancy, the "
        "equilibrium phase) coexists with a large one (escape); at high d only the large one is left. An orange "
        "line marks the chosen d. Right: the tumour's course over time from the chosen start at that d."))
    return fig


def regime_branches(d: np.ndarray, tumour_cells: np.ndarray, stable: np.ndarray, d_elimination: float,
                    d_range: tuple[float, float]) -> dict:
    """Stable and unstable steady states as line data (None between pieces) over ``d_range``.

    ``d``, ``tumour_cells``, ``stable`` trace the tumour-bearing states along one curve; the
    tumour-free state, drawn at 1 cell, is stable below ``d_elimination``.
    """
    out = {"stable": ([], []), "unstable": ([], [])}
    inside = (d >= d_range[0]) & (d <= d_range[1])
    for i in range(len(d)):
        if not inside[i]:
            continue
        key = "stable" if stable[i] else "unstable"
        xs, ys = out[key]
        if i == 0 or not inside[i - 1] or stable[i - 1] != stable[i]:
            xs.append(None)
            ys.append(None)
        xs.append(float(d[i]))
        ys.append(float(tumour_cells[i]))
    split = min(max(d_elimination, d_range[0]), d_range[1])
    out["stable"][0].extend([None, d_range[0], split])
    out["stable"][1].extend([None, 1.0, 1.0])
    out["unstable"][0].extend([None, split, d_range[1]])
    out["unstable"][1].extend([None, 1.0, 1.0])
    return {k: (with_gaps(xs), with_gaps(ys)) for k, (xs, ys) in out.items()}
