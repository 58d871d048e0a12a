"""Lesson 05 figures: what a CAR is made of, CAR-T kinetics in the blood, CAR T cells against leukaemia and
normal B cells, the toxicity window, and the pivotal trials' results.

Builders and their companion ``set_*`` functions (the builder draws the traces once with fixed axis ranges,
``set_*`` writes new data into them, so a builder and an explainer's redraw share one code path):

* :func:`car_structure_figure`: a static diagram of first-, second- (CD28 or 4-1BB) and third-generation CARs;
* :func:`kinetics_figure` / :func:`set_kinetics`: transgene level after one infusion (Stein et al. 2019 model);
* :func:`leukaemia_figure` / :func:`set_leukaemia`: CAR T cells, CD19⁺ and CD19⁻ leukaemia and normal B cells
  (León-Triana et al. 2021 model, with the course's CD19-negative extension);
* :func:`toxicity_figure` / :func:`set_toxicity`: peak CAR-T expansion and a stated proxy of cytokine release
  against the tumour burden, dose and schedule, next to Hay et al. 2017's CRS grades;
* :func:`evidence_figure` / :func:`set_evidence`: one bar per published result, coloured by whom it is of.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from course.figures.theme import GREY, OKABE_ITO, add_source, assign_changed, gap_if_empty, new_figure, rounded, wrap_source
from course.models import car_t_tumour as lt

STEIN_2019 = ("Stein AM, Grupp SA, Levine JE, et al. (2019) CPT Pharmacometrics Syst Pharmacol 8:285-295, "
              "doi:10.1002/psp4.12388")
LEON_TRIANA_2021 = ("León-Triana O, Sabir S, Calvo GF, et al. (2021) Commun Nonlinear Sci Numer Simul 94:105570, "
                    "doi:10.1016/j.cnsns.2020.105570")


def superscript_power(x: float, digits: int = 2) -> str:
    """A cell number as '1.6 × 10¹⁰' (plain '740' below 1,000; '0' for zero)."""
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else str(x)
    if abs(x) < 1000:
        return f"{float(f'{x:.{digits}g}'):g}"
    exponent = int(math.floor(math.log10(abs(x))))
    mantissa = x / 10 ** exponent
    if round(mantissa, digits - 1) >= 10:
        mantissa, exponent = mantissa / 10, exponent + 1
    sup = str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    m = f"{mantissa:.{digits - 1}f}".rstrip("0").rstrip(".")
    return f"10{sup}" if m == "1" else f"{m} × 10{sup}"


# ======================================================================================
# 1. CAR structure (static)
# ======================================================================================

#: Colours of the CAR parts, shared by every generation.
PART_COLOURS = {
    "scFv": OKABE_ITO["sky_blue"], "hinge": GREY, "transmembrane": OKABE_ITO["black"],
    "CD28": OKABE_ITO["orange"], "4-1BB": OKABE_ITO["bluish_green"], "CD3ζ": OKABE_ITO["vermillion"],
}
PART_TEXT = {
    "scFv": "single-chain variable fragment: the VH and VL of an antibody joined by a linker; it binds the "
            "antigen (CD19) directly, without MHC",
    "hinge": "hinge (spacer): lets the scFv reach its epitope",
    "transmembrane": "transmembrane domain: anchors the receptor in the T-cell membrane",
    "CD28": "CD28 co-stimulatory domain (signal 2)",
    "4-1BB": "4-1BB (CD137) co-stimulatory domain (signal 2)",
    "CD3ζ": "CD3ζ chain with three ITAMs: the activating signal (signal 1) of the T-cell receptor",
}
#: The intracellular parts of each design, from the membrane inwards.
GENERATIONS = (
    ("1st generation", ("CD3ζ",)),
    ("2nd generation, CD28", ("CD28", "CD3ζ")),
    ("2nd generation, 4-1BB", ("4-1BB", "CD3ζ")),
    ("3rd generation", ("CD28", "4-1BB", "CD3ζ")),
)
#: CD19 CAR-T products of the course's trials, by design: axicabtagene ciloleucel carries CD19-CD28ζ and
#: tisagenlecleucel CD19-4-1BBζ (Majzner et al. 2020, Cancer Discov 10:702, abstract); lisocabtagene maraleucel
#: (4-1BB) is left out because no source naming it was read here.
PRODUCTS = {
    "1st generation": "none of the approved<br>CD19 products",
    "2nd generation, CD28": "axicabtagene ciloleucel<br>(ZUMA-1)",
    "2nd generation, 4-1BB": "tisagenlecleucel<br>(ELIANA, JULIET)",
    "3rd generation": "none of the approved<br>CD19 products",
}
_MEMBRANE = (-0.35, 0.35)  # y of the membrane band
_BOX_H = 0.9


def _poly(x0, x1, y0, y1):
    return [x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0]


def _ellipse(cx, cy, rx, ry, n=41):
    t = np.linspace(0, 2 * np.pi, n)
    return list(np.round(cx + rx * np.cos(t), 4)), list(np.round(cy + ry * np.sin(t), 4))


def car_structure_figure() -> go.Figure:
    """Four CAR designs side by side across a T-cell membrane: scFv, hinge, transmembrane domain and the
    intracellular signalling domains."""
    fig = new_figure(
        "What a chimeric antigen receptor (CAR) is made of",
        "A schematic, not to scale, of four CAR designs standing in the membrane of a T cell (the grey band; "
        "outside the cell is up). Every CAR has the same outside part: an antibody's two variable domains (VH "
        "and VL, light blue ovals) joined into a single-chain variable fragment (scFv) that binds the antigen "
        "directly, a hinge (grey) and a transmembrane domain (black). Inside the cell, a first-generation CAR "
        "carries only the CD3ζ chain (red, with three ITAM motifs), the activating signal of the T-cell "
        "receptor. A second-generation CAR adds one co-stimulatory domain, CD28 (orange) or 4-1BB (green), the "
        "second signal a T cell needs to divide and survive; a third-generation CAR has two. Under each design: "
        "the approved CD19 products of this lesson's trials that use it.",
        height=500, showlegend=False, hovermode="closest",
        xaxis=dict(visible=False, range=[-1.3, 4 * 2.2 - 0.9]), yaxis=dict(visible=False, range=[-4.6, 3.9]),
        margin=dict(l=20, r=20, t=70, b=20),
    )
    x_all = [-1.3, 4 * 2.2 - 0.9]
    xs, ys = _poly(x_all[0], x_all[1], *_MEMBRANE)
    fig.add_trace(go.Scatter(x=xs, y=ys, fill="toself", mode="lines", line=dict(width=0),
                             fillcolor="rgba(153,153,153,0.25)", hoverinfo="skip", name="membrane"))
    fig.add_annotation(x=x_all[1] - 0.05, y=1.0, text="outside the T cell", showarrow=False, xanchor="right",
                       font=dict(size=11, color="#555555"))
    fig.add_annotation(x=x_all[1] - 0.05, y=-0.65, text="inside", showarrow=False, xanchor="right",
                       font=dict(size=11, color="#555555"))

    def part(name, xs, ys, label=None):
        fig.add_trace(go.Scatter(x=xs, y=ys, fill="toself", mode="lines", fillcolor=PART_COLOURS[name],
                                 line=dict(color="white", width=1), name=name, hoveron="fills",
                                 text=f"<b>{label or name}</b><br>{PART_TEXT[name]}", hoverinfo="text"))

    for i, (title, inside) in enumerate(GENERATIONS):
        cx = i * 2.2
        # scFv: VL and VH ovals on top of the hinge
        for dx, dom in ((-0.28, "VL"), (0.28, "VH")):
            ex, ey = _ellipse(cx + dx, 2.9, 0.27, 0.5)
            part("scFv", ex, ey, f"scFv ({dom})")
            fig.add_annotation(x=cx + dx, y=2.9, text=dom, showarrow=False, font=dict(size=10, color="white"))
        part("hinge", *_poly(cx - 0.06, cx + 0.06, _MEMBRANE[1], 2.4))
        part("transmembrane", *_poly(cx - 0.1, cx + 0.1, *_MEMBRANE))
        y = _MEMBRANE[0]
        for name in inside:
            top, bottom = y - 0.08, y - 0.08 - _BOX_H
            part(name, *_poly(cx - 0.34, cx + 0.34, bottom, top))
            if name == "CD3ζ":  # three ITAMs
                for k in range(3):
                    yy = top - (k + 1) * _BOX_H / 4
                    fig.add_trace(go.Scatter(x=[cx + 0.34, cx + 0.5], y=[yy, yy], mode="lines",
                                             line=dict(color=PART_COLOURS["CD3ζ"], width=3), hoverinfo="skip"))
            fig.add_annotation(x=cx, y=(top + bottom) / 2, text=name, showarrow=False,
                               font=dict(size=11, color="white" if name != "4-1BB" else "black"))
            y = bottom
        fig.add_annotation(x=cx, y=3.65, text=f"<b>{title}</b>", showarrow=False, font=dict(size=13))
        fig.add_annotation(x=cx, y=-4.0, text=PRODUCTS[title], showarrow=False, font=dict(size=11), align="center")
    for y, text in ((2.9, "scFv"), (1.4, "hinge"), (0.0, "transmembrane"), (-1.5, "signalling<br>domains")):
        fig.add_annotation(x=-1.25, y=y, text=text, showarrow=False, xanchor="left", align="left",
                           font=dict(size=10, color="#555555"))
    return fig


# ======================================================================================
# 2. CAR-T kinetics in the blood (Stein et al. 2019)
# ======================================================================================

KIN_EARLY_DAYS = 42.0
KIN_LATE_DAYS = 365.0
KIN_Y_LOG10_RANGE = (-2.5, 7.0)   # copies/µg: holds every slider combination (see the explainer tests)
# Trace indices of kinetics_figure.
(KIN_TOTAL_E, KIN_EFF_E, KIN_MEM_E, KIN_REF_E, KIN_TOTAL_L, KIN_EFF_L, KIN_MEM_L, KIN_REF_L,
 KIN_MARKS, KIN_RULE) = range(10)


def kinetics_description() -> str:
    return (
        "The CAR transgene in the blood after one infusion of tisagenlecleucel, in copies per microgram of genomic "
        "DNA on a logarithmic axis, in the cellular kinetic model of Stein et al. (2019) fitted to children and "
        "young adults with B-cell acute lymphoblastic leukaemia. Left: the first six weeks; right: the whole "
        "first year. The thick blue curve is the measured level, the sum of an effector part (orange, dashed), "
        "which grows exponentially until the peak and then contracts with a half-life of days, and a memory part "
        "(green, dotted), which starts at the peak and persists with a half-life of months. The grey dashed curve "
        "is the model's typical patient at the modelled median dose, for comparison. Diamonds mark the peak, day "
        "28 and one year. How the dose changes the curve is a stated teaching assumption (the paper's model has "
        "no dose): the starting level is proportional to the dose, and expansion ends either after a fixed time "
        "or at a fixed peak level; the black dotted line shows which (a fixed day, or a fixed ceiling)."
    )


def kinetics_figure() -> go.Figure:
    """Transgene level against days after the infusion: first six weeks (left) and one year (right)."""
    fig = new_figure(
        "CAR-T cells in the blood: expansion, contraction and persistence", kinetics_description(), height=560,
        hovermode="closest",
        legend=dict(orientation="h", x=0, y=1.08, yanchor="bottom", traceorder="normal", font=dict(size=12)),
        margin=dict(l=85, r=30, t=150), title_y=0.985, title_yanchor="top")
    fig = make_subplots(rows=1, cols=2, column_widths=[0.45, 0.55], horizontal_spacing=0.07, shared_yaxes=True,
                        figure=fig, subplot_titles=("First six weeks", "First year"))
    hover = "day %{x:.1f}: %{y:.3g} copies/µg<extra>%{fullData.name}</extra>"
    for col in (1, 2):
        show = col == 1
        fig.add_trace(go.Scatter(name="measured level (effector + memory)", mode="lines", showlegend=show,
                                 line=dict(color=OKABE_ITO["blue"], width=3), hovertemplate=hover,
                                 legendgroup="total"), row=1, col=col)
        fig.add_trace(go.Scatter(name="effector part (expands, then contracts)", mode="lines", showlegend=show,
                                 line=dict(color=OKABE_ITO["orange"], width=2, dash="dash"), hovertemplate=hover,
                                 legendgroup="eff"), row=1, col=col)
        fig.add_trace(go.Scatter(name="memory part (persists)", mode="lines", showlegend=show,
                                 line=dict(color=OKABE_ITO["bluish_green"], width=2, dash="dot"),
                                 hovertemplate=hover, legendgroup="mem"), row=1, col=col)
        fig.add_trace(go.Scatter(name="typical patient, median dose (Stein et al. 2019)", mode="lines",
                                 showlegend=show, line=dict(color=GREY, width=1.5, dash="dash"), hovertemplate=hover,
                                 legendgroup="ref"), row=1, col=col)
    fig.add_trace(go.Scatter(name="peak, day 28, year 1", mode="markers+text",
                             textposition=["top center", "top right", "top left"],
                             marker=dict(symbol="diamond", size=10, color=OKABE_ITO["vermillion"]),
                             textfont=dict(size=11), hovertemplate=hover, showlegend=False), row=1, col=2)
    # The rule's value is a label on the line, not in the legend, which the browser's quick redraws
    # leave as it is (live_figure.py).
    fig.add_trace(go.Scatter(name="what ends the expansion", mode="lines+text", hoverinfo="skip",
                             textposition="bottom right", textfont=dict(size=11),
                             line=dict(color=OKABE_ITO["black"], width=1.2, dash="dot")), row=1, col=1)
    fig.update_xaxes(title_text="days after the infusion", range=[0, KIN_EARLY_DAYS], dtick=7, row=1, col=1)
    fig.update_xaxes(title_text="days after the infusion", range=[0, KIN_LATE_DAYS], dtick=60, row=1, col=2)
    fig.update_yaxes(title_text="CAR transgene in blood (copies/µg DNA, log)", type="log",
                     range=list(KIN_Y_LOG10_RANGE), dtick=1, tickformat="~g", row=1, col=1)
    fig.update_yaxes(type="log", range=list(KIN_Y_LOG10_RANGE), dtick=1, tickformat="~g", row=1, col=2)
    add_source(fig, f"model and typical parameters: {STEIN_2019} (ELIANA and ENSIGN, 90 patients; Table 1 read in "
                    "the nlmixr2lib encoding). Dose scaling and the two peak rules: course assumptions.")
    return fig


def set_kinetics(fig, *, early, late, reference_early, reference_late, marks_days, marks_levels,
                 marks_text, rule_end_day: float | None = None, rule_ceiling: float | None = None) -> None:
    """Write one course into a figure built by :func:`kinetics_figure`.

    ``early``/``late`` and the references are (days, effector, memory) arrays; the memory part is drawn
    only from the peak on (it is 0 before, which a log axis cannot show).
    """
    for (t, e, m), (total_i, eff_i, mem_i) in ((early, (KIN_TOTAL_E, KIN_EFF_E, KIN_MEM_E)),
                                                (late, (KIN_TOTAL_L, KIN_EFF_L, KIN_MEM_L))):
        days = rounded(t)
        assign_changed(fig, total_i, x=days, y=rounded(np.asarray(e) + np.asarray(m)))
        assign_changed(fig, eff_i, x=days, y=rounded(e))
        positive = np.asarray(m) > 0
        assign_changed(fig, mem_i, x=days[positive], y=rounded(np.asarray(m)[positive]))
    for (t, e, m), i in ((reference_early, KIN_REF_E), (reference_late, KIN_REF_L)):
        assign_changed(fig, i, x=rounded(t), y=rounded(np.asarray(e) + np.asarray(m)))
    assign_changed(fig, KIN_MARKS, x=rounded(marks_days), y=rounded(marks_levels), text=list(marks_text))
    if rule_end_day is not None:   # expansion ends on a fixed day
        assign_changed(fig, KIN_RULE, x=rounded([rule_end_day, rule_end_day]), y=[10 ** v for v in KIN_Y_LOG10_RANGE[::-1]],
                text=[f" expansion ends on day {rule_end_day:g}", ""])
    else:                          # expansion ends at a fixed ceiling
        assign_changed(fig, KIN_RULE, x=[0.0, KIN_EARLY_DAYS], y=rounded([rule_ceiling, rule_ceiling]),
                text=[f" expansion ends at {rule_ceiling:,.0f} copies/µg", ""])


# ======================================================================================
# 3. CAR T cells vs leukaemia and normal B cells (León-Triana et al. 2021)
# ======================================================================================

LEUK_DAYS = 730.0
LEUK_Y_LOG10_RANGE = (0.0, 12.0)   # cells: curves that leave this range are clipped, never rescaled
(LEUK_CAR_T, LEUK_POS, LEUK_NEG, LEUK_B, LEUK_MRD, LEUK_APLASIA, LEUK_EVENTS) = range(7)


def leukaemia_description() -> str:
    mrd = round(1 / lt.MRD_DETECTION_FRACTION)
    return (
        "Cell numbers in the whole body, on a logarithmic axis, over two years after one infusion of CD19 CAR T "
        "cells, in the model of León-Triana et al. (2021) for B-cell acute lymphoblastic leukaemia: CAR T cells "
        "(blue), CD19-positive leukaemic cells (red), CD19-negative leukaemic cells (purple, dashed; a course "
        "extension: a fraction of the leukaemia that lacks the antigen, grows like the rest and is not killed) "
        "and normal B cells (green). CAR T cells multiply when they meet CD19 on leukaemic and normal B cells and "
        "kill both; so the leukaemia falls and the normal B cells vanish too (B-cell aplasia), and return only "
        "when the CAR T cells have contracted. The black dotted line is the course's remission threshold (the "
        f"leukaemia at 1 in {mrd:,} of its size at infusion, the sensitivity of minimal-residual-disease tests); "
        f"the green dotted line the aplasia threshold ({100 * lt.APLASIA_FRACTION:g} % of the normal B cells at "
        "infusion). Diamonds mark "
        "remission and relapse. Curves that leave the plotted range are cut at its edge."
    )


def leukaemia_figure() -> go.Figure:
    """Cell numbers against days after the infusion (log y)."""
    fig = new_figure(
        "CAR T cells against leukaemia and normal B cells", leukaemia_description(), height=560,
        hovermode="closest",
        legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom", traceorder="normal", font=dict(size=12)),
        margin=dict(l=85, r=30, t=130), title_y=0.985, title_yanchor="top")
    hover = "day %{x:.0f}: %{y:.3g} cells<extra>%{fullData.name}</extra>"
    fig.add_trace(go.Scatter(name="CAR T cells", mode="lines", line=dict(color=OKABE_ITO["blue"], width=3),
                             hovertemplate=hover))
    fig.add_trace(go.Scatter(name="CD19⁺ leukaemia", mode="lines", hovertemplate=hover,
                             line=dict(color=OKABE_ITO["vermillion"], width=2.5)))
    fig.add_trace(go.Scatter(name="CD19⁻ leukaemia (course extension)", mode="lines",
                             line=dict(color=OKABE_ITO["reddish_purple"], width=2.5, dash="dash"), hovertemplate=hover))
    fig.add_trace(go.Scatter(name="normal B cells", mode="lines", line=dict(color=OKABE_ITO["bluish_green"], width=2.5),
                             hovertemplate=hover))
    fig.add_trace(go.Scatter(name=f"remission threshold (1 in {round(1 / lt.MRD_DETECTION_FRACTION):,} of the "
                                  "leukaemia at infusion)", mode="lines",
                             line=dict(color=OKABE_ITO["black"], width=1.2, dash="dot"), hoverinfo="skip"))
    fig.add_trace(go.Scatter(name=f"aplasia threshold ({100 * lt.APLASIA_FRACTION:g} % of the B cells at infusion)",
                             mode="lines",
                             line=dict(color=OKABE_ITO["bluish_green"], width=1.2, dash="dot"), hoverinfo="skip"))
    fig.add_trace(go.Scatter(name="remission and relapse", mode="markers+text", textposition="top center",
                             marker=dict(symbol="diamond", size=11, color=OKABE_ITO["black"]), textfont=dict(size=11),
                             hovertemplate="%{text}: day %{x:.0f}<extra></extra>", showlegend=False))
    fig.update_xaxes(title_text="days after the infusion", range=[0, LEUK_DAYS], dtick=90)
    fig.update_yaxes(title_text="cells in the body (log)", type="log", range=list(LEUK_Y_LOG10_RANGE), dtick=2,
                     exponentformat="power")
    add_source(fig, f"model: {LEON_TRIANA_2021} (Eqs. 3; point values of BioModels BIOMD0000001011/1012). "
                    "CD19-negative fraction, remission and aplasia thresholds: course extensions.")
    return fig


def set_leukaemia(fig, *, days, car_t, cd19_pos, cd19_neg, b_cells, mrd_cells, aplasia_cells, event_days,
                  event_levels, event_text) -> None:
    d = rounded(days)
    assign_changed(fig, LEUK_CAR_T, x=d, y=rounded(car_t))
    assign_changed(fig, LEUK_POS, x=d, y=rounded(cd19_pos))
    neg = np.asarray(cd19_neg, dtype=float)
    some = np.any(neg > 0)
    assign_changed(fig, LEUK_NEG, x=gap_if_empty(d if some else []), y=gap_if_empty(rounded(neg) if some else []))
    assign_changed(fig, LEUK_B, x=d, y=rounded(b_cells))
    assign_changed(fig, LEUK_MRD, x=[0.0, LEUK_DAYS], y=rounded([mrd_cells, mrd_cells]))
    assign_changed(fig, LEUK_APLASIA, x=[0.0, LEUK_DAYS], y=rounded([aplasia_cells, aplasia_cells]))
    assign_changed(fig, LEUK_EVENTS, x=gap_if_empty(rounded(event_days) if len(event_days) else []),
                   y=gap_if_empty(rounded(event_levels) if len(event_levels) else []), text=list(event_text))


# ======================================================================================
# 4. The toxicity window
# ======================================================================================

TOX_DAYS = 90.0
REFERENCE_TEXT = (f"{superscript_power(lt.DEFAULT_LEUKAEMIA0)} leukaemic cells, {superscript_power(lt.DEFAULT_DOSE)} "
                  "CAR T cells, one infusion")
TOX_CAR_T_LOG10_RANGE = (5.0, 11.5)
TOX_RATE_LOG10_RANGE = (5.0, 11.5)
(TOX_CAR_T, TOX_CAR_T_REF, TOX_CAR_T_PEAK, TOX_RATE, TOX_RATE_REF, TOX_RATE_PEAK, TOX_HAY, TOX_INFUSIONS,
 TOX_HAY_BARS) = range(9)


def toxicity_description() -> str:
    return (
        "Left and middle: the model of León-Triana et al. (2021) over the first 90 days after CAR T cells are "
        "infused, for the chosen leukaemic burden at infusion, dose and schedule (solid) and for the paper's "
        f"reference case, {REFERENCE_TEXT} (grey, dashed). Left: CAR T "
        "cells, with a diamond at the peak of expansion; orange ticks at the bottom mark the infusions. Middle: a "
        "course proxy for cytokine release, not a CRS grade: the number of new CAR T cells made per day by "
        "stimulation on CD19-positive cells, ρ_C·(L⁺ + B)·C, which is a fixed multiple (k) of the number of "
        "CD19-positive cells killed per day; a diamond marks its peak. Right: what was measured, the share of the "
        "adults given CD19 CAR-T cells who had each grade of cytokine release syndrome in Hay et al. (2017), and the baseline "
        "factors that study's multivariable analysis found to predict CRS independently."
    )


def toxicity_figure(hay_grades: pd.DataFrame, hay_predictors: list[str], hay_scale: str, hay_source: str,
                    schedule_source: str) -> go.Figure:
    """CAR T cells (left) and the activation proxy (middle) over 90 days; Hay 2017 CRS grades (right)."""
    fig = new_figure(
        "The toxicity window: tumour burden, dose, schedule and cytokine release", toxicity_description(),
        height=600, hovermode="closest",
        legend=dict(orientation="h", x=0, y=1.09, yanchor="bottom", traceorder="normal", font=dict(size=12)),
        margin=dict(l=80, r=30, t=150), title_y=0.985, title_yanchor="top")
    fig = make_subplots(rows=1, cols=3, column_widths=[0.34, 0.34, 0.32], horizontal_spacing=0.085, figure=fig,
                        subplot_titles=("CAR T cells (model)", "Activation proxy (model)",
                                        "CRS, measured (Hay et al. 2017)"))
    hover = "day %{x:.1f}: %{y:.3g}<extra>%{fullData.name}</extra>"
    fig.add_trace(go.Scatter(name="your case", mode="lines", line=dict(color=OKABE_ITO["blue"], width=3),
                             hovertemplate=hover, legendgroup="you"), row=1, col=1)
    fig.add_trace(go.Scatter(name=f"reference: {REFERENCE_TEXT}", mode="lines",
                             line=dict(color=GREY, width=2, dash="dash"), hovertemplate=hover, legendgroup="ref"),
                  row=1, col=1)
    fig.add_trace(go.Scatter(name="peak", mode="markers", showlegend=False, hovertemplate=hover,
                             marker=dict(symbol="diamond", size=11, color=OKABE_ITO["vermillion"])), row=1, col=1)
    fig.add_trace(go.Scatter(name="your case", mode="lines", line=dict(color=OKABE_ITO["blue"], width=3),
                             hovertemplate=hover, legendgroup="you", showlegend=False), row=1, col=2)
    fig.add_trace(go.Scatter(name="reference", mode="lines", line=dict(color=GREY, width=2, dash="dash"),
                             hovertemplate=hover, legendgroup="ref", showlegend=False), row=1, col=2)
    fig.add_trace(go.Scatter(name="peak", mode="markers", showlegend=False, hovertemplate=hover,
                             marker=dict(symbol="diamond", size=11, color=OKABE_ITO["vermillion"])), row=1, col=2)
    # The measured grades are drawn as filled rectangles of a scatter trace, not as a bar chart: plotly.js
    # animates a slider's redraw only in figures made of scatter traces (see live_figure.py).
    grades = [float(label) for label in hay_grades["label"]]
    values = [float(v) for v in hay_grades["value"]]
    fig.add_trace(go.Scatter(x=grades, y=rounded(values), name="Hay et al. 2017", mode="text", showlegend=False,
                             text=[f"{v:g} %" for v in values], textposition="top center", cliponaxis=False,
                             hovertext=list(hay_grades["statement"]), hovertemplate="%{hovertext}<extra></extra>"),
                  row=1, col=3)
    fig.add_trace(go.Scatter(name="infusion", mode="markers", showlegend=False,
                             hovertemplate="infusion on day %{x:g}<extra></extra>",
                             marker=dict(symbol="triangle-up", size=12, color=OKABE_ITO["orange"])), row=1, col=1)
    fig.update_xaxes(title_text="days after the first infusion", range=[0, TOX_DAYS], dtick=15, row=1, col=1)
    fig.update_xaxes(title_text="days after the first infusion", range=[0, TOX_DAYS], dtick=15, row=1, col=2)
    fig.update_yaxes(title_text="CAR T cells in the body (log)", type="log", range=list(TOX_CAR_T_LOG10_RANGE),
                     dtick=1, exponentformat="power", row=1, col=1)
    fig.update_yaxes(title_text="new CAR T cells per day (log)", type="log",
                     range=list(TOX_RATE_LOG10_RANGE), dtick=1, exponentformat="power", row=1, col=2)
    half = 0.35
    corners_x = [x for g in grades for x in (g - half, g - half, g + half, g + half, g - half, None)]
    corners_y = [y for v in rounded(values) for y in (0.0, v, v, 0.0, 0.0, None)]
    fig.add_trace(go.Scatter(x=corners_x, y=corners_y, name="Hay et al. 2017 (bars)", mode="lines", fill="toself",
                             fillcolor=OKABE_ITO["reddish_purple"], line=dict(width=0), showlegend=False,
                             hoverinfo="skip"), row=1, col=3)
    fig.update_yaxes(title_text="patients with CRS of this grade (%)", range=[0, 100], dtick=20, row=1, col=3)
    fig.update_xaxes(title_text="CRS grade", range=[grades[0] - 0.6, grades[-1] + 0.6], tickvals=grades,
                     ticktext=list(hay_grades["label"]), showgrid=False, row=1, col=3)
    listed = "<br>".join("· " + wrap_source(p, 40).replace("<br>", "<br>  ") for p in hay_predictors)
    fig.add_annotation(text=f"Grading scale: {hay_scale}.<br><b>Independent predictors of CRS</b><br>"
                            f"(multivariable analysis):<br>{listed}",
                       xref="x3 domain", yref="y3 domain", x=0.02, y=0.98, xanchor="left", yanchor="top",
                       showarrow=False, align="left", font=dict(size=10), bgcolor="rgba(255,255,255,0.85)")
    add_source(fig, f"model: {LEON_TRIANA_2021}; split schedule: {schedule_source}; CRS grades and predictors: "
                    f"{hay_source}. The activation proxy is a course choice, not a published CRS model.")
    return fig


def set_toxicity(fig, *, days, car_t, rate, ref_days, ref_car_t, ref_rate, peak_day, peak_car_t, rate_day,
                 peak_rate, infusion_days) -> None:
    d = rounded(days)
    assign_changed(fig, TOX_CAR_T, x=d, y=rounded(car_t))
    assign_changed(fig, TOX_RATE, x=d, y=rounded(rate))
    rd = rounded(ref_days)
    assign_changed(fig, TOX_CAR_T_REF, x=rd, y=rounded(ref_car_t))
    assign_changed(fig, TOX_RATE_REF, x=rd, y=rounded(ref_rate))
    assign_changed(fig, TOX_CAR_T_PEAK, x=rounded([peak_day]), y=rounded([peak_car_t]))
    assign_changed(fig, TOX_RATE_PEAK, x=rounded([rate_day]), y=rounded([peak_rate]))
    low = 10 ** (TOX_CAR_T_LOG10_RANGE[0] + 0.15)
    assign_changed(fig, TOX_INFUSIONS, x=rounded(infusion_days), y=rounded([low] * len(infusion_days)))


# ======================================================================================
# 5. The pivotal trials
# ======================================================================================

POPULATION_COLOURS = {
    "enrolled": OKABE_ITO["vermillion"], "leukapheresed": OKABE_ITO["orange"], "infused": OKABE_ITO["blue"],
    "evaluable": OKABE_ITO["sky_blue"], "responders": OKABE_ITO["bluish_green"],
}
POPULATIONS = tuple(POPULATION_COLOURS)


def short_source(source: str) -> str:
    """'Maude SL, … (2018) N Engl J Med 378:439-448. doi:…' → 'Maude et al. (2018) N Engl J Med, doi:…'."""
    first = source.split(",")[0].split()[0]
    year = re.search(r"\((\d{4})\)", source)
    journal = re.split(r"\s\d|\s\(|\.\s", source.split(")", 1)[1].strip())[0].rstrip(".") if year else ""
    found = re.search(r"doi:\s*\S+?(?=[;\s]|$)", source) or re.search(r"PMID:?\s*\d+", source)
    out = f"{first} et al. ({year.group(1) if year else ''}) {journal}".strip()
    return f"{out}, {found.group(0)}" if found else out


def evidence_description() -> str:
    return (
        "Horizontal bars: each bar is one result of the pivotal trials of CD19 CAR-T cells (ELIANA in children "
        "and young adults with B-cell acute lymphoblastic leukaemia; ZUMA-1, JULIET and TRANSCEND NHL 001 in "
        "adults with large B-cell lymphoma), for the selected measure, as a percentage of the patients the "
        "source counted it among. The colour says who those patients are: all enrolled, all leukapheresed, "
        "those who received the infusion, those evaluable for efficacy, or only those who responded. The same "
        "responders are a larger share of the infused than of the enrolled patients, because some enrolled "
        "patients never receive their cells. Each label names the trial and the analysis; hover to read the "
        "source's own statement. Where a source gave counts only, the percentage is computed and says so; a "
        "dagger (†) marks a number read in a secondary source (a review, news summary or abstract), not in the "
        "cited paper."
    )


def evidence_figure(rows, measure_label: str) -> go.Figure:
    """One horizontal bar per result, one trace per population type (for the colour legend); ``rows`` as
    :func:`set_evidence` takes them."""
    fig = new_figure(
        "CD19 CAR-T cells in the pivotal trials", evidence_description(), height=800, hovermode="closest",
        legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom", title_text="percentage of the patients: "),
        margin=dict(l=250, t=110, r=40), title_y=0.985, title_yanchor="top", bargap=0.25,
    )
    for population in POPULATIONS:
        fig.add_trace(go.Bar(orientation="h", x=[], y=[], name=population, marker_color=POPULATION_COLOURS[population],
                             hovertemplate="%{hovertext}<extra></extra>", text=[], textposition="outside",
                             cliponaxis=False))
    fig.update_yaxes(autorange=False, showgrid=False, ticks="")
    fig.update_xaxes(range=[0, 115], dtick=20)
    add_source(fig, "")
    set_evidence(fig, rows, measure_label)
    return fig


def set_evidence(fig, rows, measure_label: str) -> None:
    """Write one measure's results into a figure built by :func:`evidence_figure`.

    ``rows`` are the rows of :func:`course.explainers.car_t.evidence_rows` as records
    (``DataFrame.itertuples()``), read by attribute.
    """
    y = list(range(len(rows)))
    for i, population in enumerate(POPULATIONS):
        mine = [(k, r) for k, r in zip(y, rows) if r.population == population]
        bars = fig.data[i]
        bars.x = rounded([r.percent for _, r in mine]) if mine else []
        bars.y = [k for k, _ in mine]
        bars.text = [r.bar_text for _, r in mine]
        bars.hovertext = [r.statement for _, r in mine]
    fig.layout.yaxis.tickvals = y
    fig.layout.yaxis.ticktext = [r.label for r in rows]
    fig.layout.yaxis.range = [len(rows) - 0.5, -0.5]
    fig.layout.xaxis.title.text = f"{measure_label} (% of the patients counted)"
    sources = list(dict.fromkeys(short_source(r.source) for r in rows))
    fig.layout.annotations[-1].text = wrap_source("Source: " + "<br>".join(sources))
    fig.layout.margin.b = 85 + 14 * (fig.layout.annotations[-1].text.count("<br>") + 1)
