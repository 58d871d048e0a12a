"""Figure for the Kirschner & Panetta (1998) tumour–effector–IL-2 model."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from course.figures.theme import OKABE_ITO, GREY, make_template, rounded, set_description
from course.models import kirschner_panetta as model

LOG_CELLS_RANGE = (-3.0, 10.0)  # log10 cells; smaller tumours are drawn on the floor
LOG_IL2_RANGE = (-2.0, 9.0)     # log10 IL-2 units


def model_figure(days_end: float) -> go.Figure:
    """Tumour and effector cells (top) and IL-2 (bottom) against days; data filled in by :func:`traces`."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.68, 0.32], vertical_spacing=0.06)
    fig.update_layout(template=make_template(), height=600, margin=dict(t=70, l=90, b=120),
                      legend=dict(orientation="h", x=0, y=-0.15, yanchor="top"),
                      title=dict(text="Tumour, effector cells and IL-2 (Kirschner & Panetta 1998 model)", y=0.98))
    fig.add_trace(go.Scatter(name="tumour cells", mode="lines", line=dict(color=OKABE_ITO["vermillion"], width=3)),
                  row=1, col=1)
    fig.add_trace(go.Scatter(name="effector cells", mode="lines", line=dict(color=OKABE_ITO["blue"], width=3)),
                  row=1, col=1)
    fig.add_trace(go.Scatter(name="IL-2", mode="lines", line=dict(color=OKABE_ITO["bluish_green"], width=2)),
                  row=2, col=1)
    fig.add_hline(y=1.0, line=dict(color=GREY, dash="dash"), row=1, col=1)
    fig.update_yaxes(type="log", range=list(LOG_CELLS_RANGE), dtick=2, exponentformat="power",
                     title_text="cells (log scale)", row=1, col=1)
    fig.update_yaxes(type="log", range=list(LOG_IL2_RANGE), dtick=3, exponentformat="power",
                     title_text="IL-2 (model units)", row=2, col=1)
    fig.update_xaxes(range=[0, days_end], row=1, col=1)
    fig.update_xaxes(range=[0, days_end], title_text="time (days)", row=2, col=1)
    set_description(fig, (
        "Two panels against days since the start. Top, on a logarithmic axis: tumour cells (red) and effector "
        "cells (blue); a dashed grey line marks one cell, and a tumour smaller than a thousandth of a cell is drawn "
        "along the bottom edge. Bottom: the concentration of interleukin-2 in the model's units, also logarithmic. "
        "The model is that of Kirschner and Panetta (1998) with the parameters of its Table 1; the antigenicity c "
        "and the two treatments, adoptive cell transfer s1 and IL-2 infusion s2, are set by the controls."))
    return fig


def traces(result: model.Result) -> dict:
    """Rounded trace data; the tumour is floored at the axis bottom so that 10^-5000 cells stays drawable."""
    floor = 10.0 ** LOG_CELLS_RANGE[0]
    tumour = 10.0 ** np.maximum(result.log10_T, LOG_CELLS_RANGE[0])
    return {"days": rounded(result.t), "tumour": rounded(np.maximum(tumour, floor)),
            "effector": rounded(np.maximum(result.E, floor)),
            "il2": rounded(np.maximum(result.IL, 10.0 ** LOG_IL2_RANGE[0]))}
