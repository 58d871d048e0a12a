"""Mutational burden → neoantigens, next to response rate by cancer type."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from course.figures.theme import GREY, OKABE_ITO, add_source, make_template, new_figure, rounded, set_description
from course.models import neoantigens as model

TMB_GRID = np.geomspace(0.5, 100.0, 120)  # mutations per megabase
# Left axis spans every curve the explainer can draw: the lowest point at 0.5 % recognised per
# mutation and the highest at 10 % (the ends of its slider).
LAMBDA_AXIS_MIN = 0.03
LAMBDA_AXIS_FRACTION = 0.10
RESPONSE_SOURCE = ("Wang S et al. (2019) eLife 8:e49020, doi:10.7554/eLife.49020 — objective response rate<br>"
                   "to anti-PD-1/PD-L1 monotherapy pooled from published trials; median TMB from<br>"
                   "Foundation Medicine profiling. Dashed line: least-squares fit. TMB-high cut-off:<br>"
                   "Marabelle A et al. (2020) Lancet Oncol 21:1353, doi:10.1016/S1470-2045(20)30445-9.")


def curve(params: model.NeoantigenParams) -> np.ndarray:
    return rounded(model.expected_recognised(TMB_GRID, params))


def neoantigen_figure(tmb: float, params: model.NeoantigenParams, data: pd.DataFrame,
                      fit: model.LogLinearFit) -> go.Figure:
    """Left: expected recognised neoantigens vs TMB. Right: ORR vs median TMB across cancer types."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12, subplot_titles=(
        "Model: recognised neoantigens", "Data: response by cancer type"))
    # No legend, labels only at powers of ten, no minor grid and fixed margins: text measurement and
    # margin recomputation dominate a redraw in the browser (make bench, browser section). Traces
    # are named on hover.
    fig.update_layout(template=make_template(), height=520, showlegend=False, margin=dict(t=100, l=80),
                      title=dict(text="Mutational burden, neoantigens and response", y=0.97))
    lam = float(model.expected_recognised(tmb, params))
    fig.add_trace(go.Scatter(x=rounded(TMB_GRID), y=curve(params), mode="lines", name="expected recognised neoantigens",
                             line=dict(color=OKABE_ITO["blue"], width=3)), row=1, col=1)
    fig.add_trace(go.Scatter(x=[tmb], y=rounded([lam]), mode="markers", name="your tumour",
                             marker=dict(size=14, color=OKABE_ITO["vermillion"], symbol="diamond")), row=1, col=1)
    add_response_traces(fig, data, fit, row=1, col=2)
    fig.add_trace(go.Scatter(x=[tmb], y=rounded(fit.predict([tmb])), mode="markers", name="fit at your TMB",
                             marker=dict(size=14, color=OKABE_ITO["vermillion"], symbol="diamond"), showlegend=False),
                  row=1, col=2)
    for col in (1, 2):
        fig.add_vline(x=model.TMB_HIGH_CUTOFF, line=dict(color=OKABE_ITO["orange"], dash="dot"), row=1, col=col)
        fig.update_xaxes(type="log", title_text="mutational burden (mutations/Mb, log scale)",
                         range=[np.log10(TMB_GRID[0]), np.log10(TMB_GRID[-1])], dtick=1,
                         title_font=dict(size=13), automargin=False,
                         row=1, col=col)
    # Fixed ranges: an autoranged axis makes every redraw recompute and re-lay-out the axis.
    lam_max = model.expected_recognised(TMB_GRID[-1], model.NeoantigenParams(immunogenic_fraction=LAMBDA_AXIS_FRACTION))
    fig.update_yaxes(type="log", range=[np.log10(LAMBDA_AXIS_MIN), np.log10(lam_max)], dtick=1,
                     automargin=False,
                     title_text="recognised neoantigens (expected, log scale)", title_font=dict(size=13), row=1, col=1)
    fig.add_hline(y=1.0, line=dict(color=GREY, dash="dot"), row=1, col=1)
    fig.update_yaxes(title_text="objective response rate (%)", title_font=dict(size=13), range=[0, 55],
                     automargin=False, row=1, col=2)
    fig.add_annotation(x=np.log10(model.TMB_HIGH_CUTOFF), y=1.0, yref="y2 domain", xref="x2",
                       text="TMB-high ≥ 10 (FDA 2020) ", showarrow=False, font=dict(size=11), xanchor="right")
    add_source(fig, RESPONSE_SOURCE)
    set_description(fig, (
        "Two panels. Left: the course model's expected number of neoantigens recognised by T cells rises in "
        "proportion to tumour mutational burden, a straight line on these logarithmic axes (0.5 to 100 mutations "
        "per megabase); a grey dotted line marks one expected neoantigen and a red diamond the chosen tumour. Right: each green dot is a cancer type, placed by its median "
        "mutational burden and the pooled objective response rate to anti-PD-1 or anti-PD-L1 antibodies "
        f"(data of Wang et al. 2019, {len(data)} cancer types); the dashed grey line is a least-squares fit of "
        "response rate against the logarithm of burden. An orange dotted line marks the FDA's TMB-high cut-off "
        "of 10 mutations per megabase in both panels."))
    return fig


def add_response_traces(fig: go.Figure, data: pd.DataFrame, fit: model.LogLinearFit, **where) -> None:
    """Cancer types as dots (median TMB, pooled ORR) and the log-linear fit as a dashed line."""
    fig.add_trace(go.Scatter(x=data.median_tmb_mut_per_mb, y=data.orr_percent, mode="markers",
                             name="cancer type (median TMB, pooled ORR)", text=data.cancer_type,
                             customdata=data.n_patients.astype(float).fillna(0),
                             hovertemplate="<b>%{text}</b><br>median TMB %{x} mut/Mb<br>ORR %{y}%"
                                           "<br>%{customdata:.0f} patients<extra></extra>",
                             marker=dict(size=10, color=OKABE_ITO["bluish_green"], line=dict(color="white", width=1))),
                  **where)
    fig.add_trace(go.Scatter(x=rounded(TMB_GRID), y=rounded(fit.predict(TMB_GRID)), mode="lines",
                             name=f"fit: ORR = {fit.intercept:.1f} + {fit.slope:.1f}·ln(TMB), r = {fit.r:.2f}",
                             line=dict(color=GREY, dash="dash")), **where)


def response_figure(data: pd.DataFrame, fit: model.LogLinearFit) -> go.Figure:
    """Objective response rate to anti-PD-1/PD-L1 against median TMB, one dot per cancer type."""
    fig = new_figure(
        "Response to anti-PD-1/PD-L1 antibodies by cancer type",
        f"A scatter plot of {len(data)} cancer types. The horizontal axis is the median tumour mutational "
        "burden (mutations per megabase, log scale, from Foundation Medicine profiling); the vertical axis is "
        "the objective response rate to anti-PD-1 or anti-PD-L1 monotherapy pooled from published trials. "
        "Hover over a dot for the cancer type and the number of patients. The dashed grey line is a "
        "least-squares fit of response rate against the logarithm of burden; the orange dotted line marks "
        "the FDA's TMB-high cut-off of 10 mutations per megabase. Data: Wang et al. (2019) eLife 8:e49020.",
        height=560, legend=dict(orientation="h", x=0, y=1.0, yanchor="bottom"))
    add_response_traces(fig, data, fit)
    add_source(fig, RESPONSE_SOURCE)
    fig.add_vline(x=model.TMB_HIGH_CUTOFF, line=dict(color=OKABE_ITO["orange"], dash="dot"))
    fig.update_xaxes(type="log", title_text="median tumour mutational burden (mutations/Mb, log scale)")
    fig.update_yaxes(title_text="objective response rate (%)", range=[0, 55])
    return fig
