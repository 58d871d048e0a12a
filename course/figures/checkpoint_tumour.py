"""Figure for the Nikolopoulou et al. (2018) T cell–tumour model with PD-1 blockade.

:func:`checkpoint_figure` builds the figure once (fixed axis ranges, every trace in
place); :func:`set_data` writes one run into it (the explainer's ``go.Figure``),
so the builder and the explainer's redraw
share one code path.

Left panel: tumour and T-cell densities against days (log axis), the treated run in
full colour over the untreated run drawn faint, and the smallest starting tumour
that escapes at the chosen blockade.  Right panel: a map of which starting
tumours escape at which blockade, with the critical blockade and the current run.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from course.figures.theme import GREY, OKABE_ITO, add_source, new_figure, rounded
from course.models import checkpoint_tumour as model

# Fixed log10 range of the time-course axis (g/cm³).  The bottom is a tenth of
# model.ELIMINATED_C (≈ one cancer cell per cm³); an eliminated tumour falls far below it
# (to 10^-1000 g/cm³ and less) and is drawn along the bottom edge.  The top holds the carrying
# capacity (0.87 g/cm³) and the T cells at the highest blockade of the explainer (0.25 g/cm³).
LOG_DENSITY_RANGE = (-10.0, 0.05)

SOURCE = ("Nikolopoulou E, Johnson LR, Harris D, Nagy JD, Stites EC, Kuang Y (2018) Lett Biomath 5(sup1):S137, "
          "doi:10.1080/23737867.2018.1440978;<br>equations and parameters from its BioModels encoding "
          "MODEL1908270001 (non-curated); anti-PD-1 held at a constant level.")

# Trace indices.  The untreated run and the threshold come first so the treated run is drawn on top.
UNTREATED_TUMOUR, UNTREATED_T, THRESHOLD, TUMOUR, T_CELLS, ESCAPE_REGION, CRITICAL, CURRENT = range(8)

ESCAPE_COLOUR = OKABE_ITO["vermillion"]
ELIMINATED_COLOUR = OKABE_ITO["bluish_green"]
ESCAPE_FILL = "rgba(213,94,0,0.16)"  # vermillion, faint
_FAINT = 0.45


def description(critical_percent: float, T0: float, days_end: float, blockade_max: float) -> str:
    crit = (f"at {critical_percent:.1f} % of PD-1 blocked" if math.isfinite(critical_percent)
            else "beyond complete blockade")
    return (
        "Two panels. Left, against days since the start on a logarithmic axis in grams per cubic centimetre of "
        "tissue: the density of cancer cells (red) and of activated T cells (blue) in the Nikolopoulou et al. "
        "(2018) model, at the chosen share of PD-1 blocked by an anti-PD-1 antibody and the chosen starting tumour; "
        f"T cells start at {T0:g} g/cm³. When part of PD-1 is blocked, the same tumour untreated is drawn as faint "
        "dashed lines. A dotted orange line marks the smallest starting tumour that escapes at this blockade "
        "(absent when none does); a dashed grey line marks about one cancer cell per cm³, and a tumour eliminated "
        f"far below it is drawn along the bottom edge. The run lasts {days_end:g} days. Right: a map of starting "
        "tumour density against the share of PD-1 blocked. Tumours starting in the shaded red region escape the T "
        "cells and grow to a large steady size; those below it are eliminated. The region shrinks as blockade "
        "rises, because T cells freed from PD-1 signalling multiply and more of them kill, and it closes before "
        f"the dashed vertical line, the critical blockade ({crit}), above which no tumour can escape whatever its "
        "size or the T cells' starting level. The open circle is the run on the left. Blockade stops at "
        f"{blockade_max:g} %: the model has no brake on T cells other than PD-1, so near complete blockade they "
        "grow without bound.")


def checkpoint_figure(*, days_end: float, T0: float, tumour_range: tuple[float, float], blockade_max: float,
                      escape_boundary: tuple[np.ndarray, np.ndarray], critical_percent: float) -> go.Figure:
    """The time courses (left) and the escape map (right); run data is filled in by :func:`set_data`.

    ``escape_boundary`` is (percent blocked, smallest starting tumour that escapes, g/cm³) along the
    lower edge of the escape region, which reaches up to ``tumour_range[1]``; an empty pair draws no
    region.  ``critical_percent`` may be ``math.inf`` (no blockade stops every tumour: no line drawn).
    """
    c_lo, c_hi = tumour_range
    fig = new_figure(
        "Blocking PD-1: T cells against a tumour (Nikolopoulou et al. 2018 model)",
        description(critical_percent, T0, days_end, blockade_max), height=600,
        legend=dict(orientation="h", x=0, y=1.11, yanchor="bottom", traceorder="normal", font=dict(size=13)),
        margin=dict(t=160, l=80, r=30), title_y=0.98, title_yanchor="top")
    fig = make_subplots(rows=1, cols=2, column_widths=[0.6, 0.4], horizontal_spacing=0.13, figure=fig,
                        subplot_titles=("Densities over time", "Which starting tumours escape"))
    line = dict(width=3)
    hover = "day %{x:.0f}: %{y:.3g} g/cm³<extra>%{fullData.name}</extra>"
    fig.add_trace(go.Scatter(name="tumour, untreated", mode="lines", legendrank=3, opacity=_FAINT, hovertemplate=hover,
                             line=dict(color=OKABE_ITO["vermillion"], width=2, dash="dash")), row=1, col=1)
    fig.add_trace(go.Scatter(name="T cells, untreated", mode="lines", legendrank=4, opacity=_FAINT, hovertemplate=hover,
                             line=dict(color=OKABE_ITO["blue"], width=2, dash="dash")), row=1, col=1)
    fig.add_trace(go.Scatter(name="smallest starting tumour that escapes", mode="lines", legendrank=5,
                             hovertemplate="tumours starting above %{y:.3g} g/cm³ escape<extra></extra>",
                             line=dict(color=OKABE_ITO["orange"], width=2, dash="dot")), row=1, col=1)
    fig.add_trace(go.Scatter(name="tumour (cancer cells)", mode="lines", legendrank=1, hovertemplate=hover,
                             line=dict(color=OKABE_ITO["vermillion"], **line)), row=1, col=1)
    fig.add_trace(go.Scatter(name="activated T cells", mode="lines", legendrank=2, hovertemplate=hover,
                             line=dict(color=OKABE_ITO["blue"], **line)), row=1, col=1)

    pct, thr = (np.asarray(a, dtype=float) for a in escape_boundary)
    if pct.size:
        xs = np.concatenate([pct, [pct[-1], pct[0]]])
        ys = np.concatenate([thr, [c_hi, c_hi]])
    else:
        xs = ys = np.array([])
    fig.add_trace(go.Scatter(x=rounded(xs), y=rounded(ys), name="starting tumours that escape", mode="lines",
                             fill="toself", fillcolor=ESCAPE_FILL, legendrank=6, hoverinfo="skip",
                             line=dict(color=ESCAPE_COLOUR, width=1.5)), row=1, col=2)
    crit_x = [critical_percent] * 2 if math.isfinite(critical_percent) and critical_percent <= blockade_max else []
    fig.add_trace(go.Scatter(x=rounded(crit_x), y=[c_lo, c_hi][:len(crit_x)], name="critical blockade", mode="lines",
                             showlegend=False, hovertemplate="critical blockade %{x:.1f} %<extra></extra>",
                             line=dict(color=OKABE_ITO["black"], width=2, dash="dash")), row=1, col=2)
    fig.add_trace(go.Scatter(name="this run", mode="markers", legendrank=7,
                             hovertemplate="%{x:g} % blocked, start %{y:.3g} g/cm³<extra>this run</extra>",
                             cliponaxis=False,  # a run at 0 % or 85 % sits on the axis edge
                             marker=dict(size=13, symbol="circle-open", line=dict(width=3), color=ESCAPE_COLOUR)),
                  row=1, col=2)

    if crit_x:
        fig.add_annotation(x=critical_percent, y=0.99, xref="x2", yref="y2 domain", xanchor="left", yanchor="top",
                           showarrow=False, text=f" critical<br> blockade<br> {critical_percent:.0f} %",
                           align="left", font=dict(size=12))
    label = dict(xref="x2", yref="y2", showarrow=False, bgcolor="rgba(255,255,255,0.6)")
    if pct.size:
        fig.add_annotation(x=0.35 * pct[-1], y=math.log10(c_hi) - 0.3, text="escape",
                           font=dict(size=13, color=ESCAPE_COLOUR), **label)
    fig.add_annotation(x=0.5 * blockade_max, y=math.log10(c_lo) + 0.3, text="eliminated",
                       font=dict(size=13, color=ELIMINATED_COLOUR), **label)

    fig.add_hline(y=model.ELIMINATED_C, line=dict(color=GREY, dash="dash", width=1.5), row=1, col=1)
    fig.add_annotation(x=days_end, y=math.log10(model.ELIMINATED_C), xref="x", yref="y", xanchor="right",
                       yanchor="bottom", showarrow=False, text="≈ 1 cancer cell per cm³",
                       font=dict(size=11, color="#555555"))
    # Fixed ranges and margins: an autoranged axis would re-lay-out on every redraw.
    fig.update_xaxes(range=[0, days_end], dtick=60 if days_end > 200 else None, automargin=False,
                     title_text="time (days)", row=1, col=1)
    fig.update_yaxes(type="log", range=list(LOG_DENSITY_RANGE), dtick=2, exponentformat="power", automargin=False,
                     title_text="density (g/cm³, log scale)", row=1, col=1)
    fig.update_xaxes(range=[0, blockade_max], dtick=20, automargin=False, title_text="PD-1 blocked (%)", row=1, col=2)
    fig.update_yaxes(type="log", range=[math.log10(c_lo), math.log10(c_hi)], dtick=1, exponentformat="power",
                     automargin=False, title_text="tumour at the start (g/cm³, log scale)", row=1, col=2)
    add_source(fig, SOURCE)
    return fig


def _floored(log10_values: np.ndarray) -> np.ndarray:
    """Densities from their log10, floored at the axis bottom so 10^-1000 g/cm³ stays drawable."""
    return rounded(10.0 ** np.maximum(np.asarray(log10_values, dtype=float), LOG_DENSITY_RANGE[0]))


def set_data(fig, run: model.Result, untreated: model.Result | None, threshold: float | None,
             blockade_percent: float, tumour_start: float, tumour_persists: bool) -> None:
    """Write one run into a figure made by :func:`checkpoint_figure`.

    ``untreated`` is drawn as the faint reference (``None`` at no blockade: the run itself is, hidden under it);
    ``threshold`` is the smallest starting tumour that escapes (``None``: none does); ``tumour_persists``
    colours the current-run marker (red: a tumour is left at the end; green: eliminated).
    """
    days = rounded(run.t)
    d = fig.data
    d[TUMOUR].x, d[TUMOUR].y = days, _floored(run.log10_C)
    d[T_CELLS].x, d[T_CELLS].y = days, _floored(run.log10_T)
    # With no blockade the untreated run is the run itself: drawn beneath it, it is hidden, and the
    # legend keeps its entries (a trace with no points would lose its entry and re-lay out the legend).
    ref = run if untreated is None else untreated
    d[UNTREATED_TUMOUR].x, d[UNTREATED_TUMOUR].y = rounded(ref.t), _floored(ref.log10_C)
    d[UNTREATED_T].x, d[UNTREATED_T].y = rounded(ref.t), _floored(ref.log10_T)
    if threshold is None:
        # nulls, not empty arrays: a trace with no points loses its legend entry and the legend re-lays out
        d[THRESHOLD].x, d[THRESHOLD].y = rounded([run.t[0], run.t[-1]]), [None, None]
    else:
        d[THRESHOLD].x, d[THRESHOLD].y = rounded([run.t[0], run.t[-1]]), rounded([threshold, threshold])
    d[CURRENT].x, d[CURRENT].y = rounded([blockade_percent]), rounded([tumour_start])
    d[CURRENT].marker.color = ESCAPE_COLOUR if tumour_persists else ELIMINATED_COLOUR
