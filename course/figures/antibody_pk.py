"""Antibody pharmacology figures: receptor occupancy, serum levels under the label doses, and
target-mediated drug disposition (lessons 04 and 07).

Three builders, each with a companion ``set_*`` function that writes new trace data into an
existing figure (the explainer's ``go.Figure``), so the builder and the
explainer's redraw share one code path:

* :func:`occupancy_figure` / :func:`set_occupancy_data`: % of PD-1 or PD-L1 bound against the
  antibody concentration, one curve per published Kd of the chosen antibody;
* :func:`dosing_figure` / :func:`set_dosing_data`: serum antibody and PD-1 occupancy over 24
  weeks of a label regimen (linear two-compartment model);
* :func:`tmdd_figure` / :func:`set_tmdd_data`: free drug after one dose with and without its
  target (quasi-steady-state TMDD), and the apparent half-life against the dose.

Every builder fixes its axis ranges; a redraw only assigns trace data (and, in the occupancy
figure, the top nM axis when the molecular weight changes).
"""

from __future__ import annotations

import math
import re

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from course.figures.theme import GREY, OKABE_ITO, add_source, assign_changed, gap_if_empty, new_figure, rounded
from course.models import antibody_pk as pk

# ======================================================================================
# Shared: short citations and number formats
# ======================================================================================

#: Population-PK sources of the linear model (module docstring of ``course.models.antibody_pk``).
AHAMADI_2017 = "Ahamadi M et al. (2017) CPT Pharmacometrics Syst Pharmacol 6:49, doi:10.1002/psp4.12139"
BAJAJ_2017 = "Bajaj G et al. (2017) CPT Pharmacometrics Syst Pharmacol 6:58, doi:10.1002/psp4.12143"
STEIN_PELETIER_2018 = "Stein AM, Peletier LA (2018) CPT Pharmacometrics Syst Pharmacol 7:670, doi:10.1002/psp4.12316"
GIBIANSKY_2008 = "Gibiansky L et al. (2008) J Pharmacokinet Pharmacodyn 35:573, doi:10.1007/s10928-008-9102-8"

_YEAR = re.compile(r"\((\d{4})\)")


def short_citation(citation: str) -> str:
    """'Liu J, Wang G, … (2019) …' → 'Liu et al. 2019' (first author's surname and the year)."""
    first = citation.split(",")[0].split()[0]
    year = _YEAR.search(citation)
    return f"{first} et al. {year.group(1)}" if year else first


def reference(b: pk.BindingAffinity) -> str:
    """Short reference with DOI for a source line: 'Liu et al. 2019, doi:…'."""
    return f"{short_citation(b.citation)}, doi:{b.doi}"


def format_kd(kd_nm: float) -> str:
    """27 pM below 1 nM, 1.45 nM above."""
    return f"{kd_nm * 1000:.3g} pM" if kd_nm < 1 else f"{kd_nm:.3g} nM"


def short_assay(b: pk.BindingAffinity) -> str:
    if "surface plasmon resonance" in b.assay:
        return "SPR"
    if "review table" in b.assay:
        return "review table, assay not stated"
    return "assay not stated"


def affinity_label(b: pk.BindingAffinity) -> str:
    """One dropdown entry: antibody, Kd, source and method, and whether the value was read in the source."""
    checked = "" if b.verified else ", value not checked in source"
    return f"{b.antibody} · Kd {format_kd(b.kd_nm)} · {short_citation(b.citation)} ({short_assay(b)}{checked})"


# ======================================================================================
# 1. Receptor occupancy against concentration (lesson 04)
# ======================================================================================

#: Concentration axis (µg/mL, log10): 0.0001 to 300 µg/mL with a little margin for the marker.
OCC_X_LOG10_RANGE = (-4.2, 2.6)
OCC_GRID_UG_PER_ML = np.geomspace(10 ** OCC_X_LOG10_RANGE[0], 10 ** OCC_X_LOG10_RANGE[1], 300)
OCC_Y_RANGE = (0.0, 102.0)
# Trace indices of occupancy_figure.
OCC_CHOSEN, OCC_BAND, OCC_HALF, OCC_KD, OCC_MARKER = 0, 1, 2, 3, 4
OCC_OTHERS_START = 5


def occupancy_description() -> str:
    return (
        "Percent of receptors (PD-1 for the anti-PD-1 antibodies pembrolizumab and nivolumab, PD-L1 for "
        "atezolizumab, durvalumab and avelumab) bound by the antibody, against the antibody concentration on a "
        "logarithmic axis: µg/mL at the bottom, the same scale in nanomolar at the top (for the antibody's "
        "molecular weight). The thick blue curve uses the dissociation constant (Kd) chosen above; thin dashed "
        "grey curves use the other published Kd values of the same antibody, which differ with the method "
        "(surface plasmon resonance on recombinant protein, cell binding, review tables that give no method). "
        "Each curve is the law of mass action, bound fraction = C / (C + Kd): it assumes the antibody is in "
        "large excess over its receptor (binding does not deplete the free drug), that binding has reached "
        "equilibrium, and that each binding arm acts independently. The curve crosses 50 % (dotted line) where "
        "the concentration equals the Kd, marked by the vertical dotted line. The red dot is the chosen "
        "concentration. The orange band spans the steady-state trough concentrations of the approved "
        "flat doses (pembrolizumab 400 mg every 6 weeks to 200 mg every 3 weeks; nivolumab 480 mg every 4 weeks "
        "to 240 mg every 2 weeks) in the published population-pharmacokinetic models of a typical patient; no band "
        "is drawn for antibodies without such a model in the course. Serum troughs are an upper bound for "
        "the concentration in a tumour, where antibody levels are lower.")


def occupancy_figure(n_other_curves: int) -> go.Figure:
    """Occupancy (%) vs concentration (µg/mL, log; nM on the top axis), with ``n_other_curves`` slots for
    the other Kd values of the chosen antibody. Data is written by :func:`set_occupancy_data`.

    Traces: 0 chosen Kd curve; 1 trough band; 2 the 50 % line; 3 the Kd (on ``x2``, nM); 4 the chosen
    concentration; 5… the other Kd curves (one gap when the antibody has fewer).
    """
    lo, hi = OCC_X_LOG10_RANGE
    fig = new_figure(
        "How much of the receptor does the antibody occupy?", occupancy_description(), height=640,
        # the legend hangs from the title (container coordinates), above the top axis and its title
        legend=dict(orientation="h", x=0, yref="container", y=0.925, yanchor="top", traceorder="normal",
                    font=dict(size=12)),
        margin=dict(l=80, r=40, t=175), title_y=0.985, title_yanchor="top", hovermode="closest",
        xaxis=dict(title=dict(text="antibody concentration (µg/mL, log scale)"), type="log", range=[lo, hi],
                   dtick=1, tickformat="~g"),
        xaxis2=dict(title=dict(text="the same concentration in nM (for this antibody's molecular weight)",
                               standoff=4), type="log", overlaying="x", side="top", range=[lo, hi], dtick=1,
                    tickformat="~g", showgrid=False, showline=True, ticks="outside"),
        yaxis=dict(title=dict(text="receptors bound (%)"), range=list(OCC_Y_RANGE), dtick=25),
    )
    # Legend entries never change with the antibody (the values are labels on the Kd line, in the
    # readout and on hover): the browser's quick redraws leave the legend as it is (live_figure.py).
    hover = "%{x:.3g} µg/mL = %{customdata:.3g} nM: %{y:.4g} % bound<extra>%{fullData.name}</extra>"
    fig.add_trace(go.Scatter(name="chosen published Kd", mode="lines", line=dict(color=OKABE_ITO["blue"], width=3),
                             hovertemplate=hover, legendrank=1))
    band = dict(fill="toself", fillcolor="rgba(230,159,0,0.28)", line=dict(color=OKABE_ITO["orange"], width=1))
    fig.add_trace(go.Scatter(name="steady-state troughs of the label doses (model)", mode="lines", **band,
                             hoveron="fills", hoverinfo="text", showlegend=False, legendgroup="troughs"))
    fig.add_trace(go.Scatter(x=[10 ** lo, 10 ** hi], y=[50, 50], name="50 % bound", mode="lines", showlegend=False,
                             hoverinfo="skip", line=dict(color=GREY, width=1, dash="dot")))
    fig.add_trace(go.Scatter(name="Kd (concentration for 50 % bound)", mode="lines+text", xaxis="x2", hoverinfo="skip",
                             textposition="bottom right", textfont=dict(size=12, color=OKABE_ITO["blue"]),
                             line=dict(color=OKABE_ITO["blue"], width=1.5, dash="dot"), legendrank=4))
    fig.add_trace(go.Scatter(name="chosen concentration", mode="markers", legendrank=5,
                             marker=dict(color=OKABE_ITO["vermillion"], size=13, line=dict(color="white", width=1.5)),
                             hovertemplate="%{x:.3g} µg/mL: %{y:.4g} % bound<extra>chosen</extra>"))
    others = dict(color=GREY, width=1.5, dash="dash")
    for i in range(n_other_curves):
        fig.add_trace(go.Scatter(name="other published Kd of this antibody", mode="lines", legendgroup="others",
                                 showlegend=False, hovertemplate=hover, line=others))
    # legend entries that stay whether or not this antibody has other Kd values or a label-dose model
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", **band, legendgroup="troughs", legendrank=3,
                             name="steady-state troughs of the label doses (model; pembrolizumab, nivolumab)",
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=[None], y=[None], name="other published Kd values of this antibody (if any)",
                             mode="lines", legendgroup="others", legendrank=2, hoverinfo="skip", line=others))
    sources = list(dict.fromkeys(reference(b) for b in pk.BINDING_AFFINITIES))
    lines = ["; ".join(sources[i:i + 2]) for i in range(0, len(sources), 2)]
    add_source(fig, "Kd: " + ";<br>".join(lines) + ";<br>troughs: " + AHAMADI_2017 + ";<br>" + BAJAJ_2017
               + "; doses: KEYTRUDA and OPDIVO US labels.")
    fig.update_layout(margin=dict(b=190))
    return fig


def occupancy_curve_percent(kd_nm: float, molecular_weight: float) -> tuple[np.ndarray, np.ndarray]:
    """(% bound, nM) along :data:`OCC_GRID_UG_PER_ML` for one Kd and molecular weight."""
    c_nm = pk.ug_per_ml_to_nm(OCC_GRID_UG_PER_ML, molecular_weight)
    return 100.0 * pk.occupancy(c_nm, kd_nm), c_nm


def set_occupancy_data(fig, *, chosen: pk.BindingAffinity, others: list[pk.BindingAffinity],
                       molecular_weight: float, concentration_ug_per_ml: float,
                       trough_range_ug_per_ml: tuple[float, float] | None, trough_text: str = "") -> None:
    """Write one selection into a figure built by :func:`occupancy_figure`."""
    x = rounded(OCC_GRID_UG_PER_ML)
    y, c_nm = occupancy_curve_percent(chosen.kd_nm, molecular_weight)
    c_nm = rounded(c_nm)
    assign_changed(fig, OCC_CHOSEN, x=x, y=rounded(y), customdata=c_nm)
    for i in range(len(fig.data) - OCC_OTHERS_START - 2):  # the last two are legend entries
        if i < len(others):
            yo, _ = occupancy_curve_percent(others[i].kd_nm, molecular_weight)
            assign_changed(fig, OCC_OTHERS_START + i, x=x, y=rounded(yo), customdata=c_nm)
        else:
            gap = gap_if_empty([])
            assign_changed(fig, OCC_OTHERS_START + i, x=gap, y=gap, customdata=gap)
    if trough_range_ug_per_ml is None:
        assign_changed(fig, OCC_BAND, x=gap_if_empty([]), y=gap_if_empty([]), text="")
    else:
        a, b = trough_range_ug_per_ml
        if b / a < 1.06:  # one regimen: a narrow band centred on its trough
            a, b = a / 1.03, b * 1.03
        assign_changed(fig, OCC_BAND, x=rounded([a, a, b, b, a]), y=[0.0, 100.0, 100.0, 0.0, 0.0], text=trough_text)
    # The top axis shows the same concentrations in nM: shifted by log10(10^6 / molecular weight).
    shift = math.log10(1e6 / molecular_weight)
    top = [round(v + shift, 6) for v in OCC_X_LOG10_RANGE]
    if list(fig.layout.xaxis2.range) != top:  # a layout change only when the molecular weight changes
        fig.layout.xaxis2.range = top
    assign_changed(fig, OCC_KD, x=rounded([chosen.kd_nm, chosen.kd_nm]), y=[100.0, 0.0],
            text=[f" Kd {format_kd(chosen.kd_nm)} ({short_citation(chosen.citation)})", ""])
    c = float(concentration_ug_per_ml)
    assign_changed(fig, OCC_MARKER, x=rounded([c]),
            y=rounded(100.0 * pk.occupancy(pk.ug_per_ml_to_nm([c], molecular_weight), chosen.kd_nm)))


# ======================================================================================
# 2. Serum levels and PD-1 occupancy over 24 weeks of a label regimen (lesson 04)
# ======================================================================================

DOSING_WEEKS = 24.0
DOSING_DAYS = DOSING_WEEKS * 7.0
DOSING_Y_LOG10_RANGE = (-3.0, 3.0)  # 0.001 to 1000 µg/mL: a tenth of a percent of a dose up to twice the 480 mg
DOSING_OCC_RANGE = (0.0, 102.0)
# Trace indices of dosing_figure.
DOSE_CURVE, DOSE_TROUGHS, DOSE_KD, DOSE_OCC, DOSE_OCC_TROUGHS = range(5)


def dosing_description() -> str:
    return (
        f"Top: serum concentration of an anti-PD-1 antibody (µg/mL, logarithmic axis) over the first "
        f"{DOSING_WEEKS:g} weeks of the chosen regimen, each dose a 30-minute intravenous infusion, in a linear "
        "two-compartment model of a typical patient (pembrolizumab: Ahamadi et al. 2017; nivolumab: Bajaj et al. "
        "2017, without its slow fall in clearance over months). Each dose makes a peak; the level then falls, "
        "first quickly as the antibody spreads into tissues, then with a half-life of about three weeks. Because "
        "the next dose comes before the last one is gone, peaks and troughs (diamonds, just before each dose) "
        "climb towards a steady state over about four months. The dotted line is the antibody's dissociation "
        "constant (Kd) for PD-1, converted to µg/mL: at the label doses the troughs stay hundreds (nivolumab) to "
        "thousands (pembrolizumab) of times above it. "
        "Bottom: percent of PD-1 bound at equilibrium, C / (C + Kd), assuming the antibody is in large excess "
        "over the receptor; it stays near 100 % unless the dose is cut far below the label dose with the "
        "slider. These are serum levels: in tumour tissue antibody concentrations are lower, so serum occupancy "
        "is an upper bound.")


def dosing_figure() -> go.Figure:
    """Concentration (top, µg/mL, log) and PD-1 occupancy (bottom, %) against weeks.

    Traces: 0 concentration; 1 troughs; 2 the Kd in µg/mL; 3 occupancy; 4 occupancy at the troughs.
    """
    fig = new_figure(
        f"Anti-PD-1 antibody in the blood over {DOSING_WEEKS:g} weeks, and PD-1 bound", dosing_description(),
        height=700, hovermode="closest",
        legend=dict(orientation="h", x=0, y=1.03, yanchor="bottom", traceorder="normal", font=dict(size=12)),
        margin=dict(l=85, r=30, t=120), title_y=0.985, title_yanchor="top")
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.62, 0.38], vertical_spacing=0.08,
                        figure=fig)
    hover_c = "week %{x:.2f}: %{y:.3g} µg/mL<extra>%{fullData.name}</extra>"
    fig.add_trace(go.Scatter(name="serum antibody", mode="lines", line=dict(color=OKABE_ITO["blue"], width=2.5),
                             hovertemplate=hover_c), row=1, col=1)
    fig.add_trace(go.Scatter(name="trough (just before a dose)", mode="markers", hovertemplate=hover_c,
                             marker=dict(symbol="diamond", size=9, color=OKABE_ITO["vermillion"])), row=1, col=1)
    fig.add_trace(go.Scatter(name="Kd for PD-1 (in µg/mL)", mode="lines", hovertemplate=hover_c,
                             line=dict(color=OKABE_ITO["black"], width=1.5, dash="dot")), row=1, col=1)
    hover_o = "week %{x:.2f}: %{y:.4g} % bound<extra>%{fullData.name}</extra>"
    fig.add_trace(go.Scatter(name="PD-1 bound (%)", mode="lines", line=dict(color=OKABE_ITO["bluish_green"], width=2.5),
                             hovertemplate=hover_o), row=2, col=1)
    fig.add_trace(go.Scatter(name="PD-1 bound at the troughs", mode="markers", hovertemplate=hover_o, showlegend=False,
                             marker=dict(symbol="diamond", size=9, color=OKABE_ITO["vermillion"])), row=2, col=1)
    fig.update_xaxes(range=[0, DOSING_WEEKS], dtick=3, row=1, col=1)
    fig.update_xaxes(title_text="weeks since the first dose", range=[0, DOSING_WEEKS], dtick=3, row=2, col=1)
    fig.update_yaxes(title_text="antibody (µg/mL, log)", type="log", range=list(DOSING_Y_LOG10_RANGE),
                     dtick=1, tickformat="~g", row=1, col=1)
    fig.update_yaxes(title_text="PD-1 bound (%)", range=list(DOSING_OCC_RANGE), dtick=25, row=2, col=1)
    add_source(fig, f"PK: {AHAMADI_2017} (pembrolizumab);<br>{BAJAJ_2017} (nivolumab);<br>doses: KEYTRUDA and "
                    "OPDIVO US labels; Kd: Liu J et al. (2019) Sci Rep 9, doi:10.1038/s41598-019-54231-w.")
    fig.update_layout(margin=dict(b=160))
    return fig


def set_dosing_data(fig, *, t_days, c_ug_per_ml, trough_days, trough_ug_per_ml, kd_ug_per_ml: float,
                    occupancy_percent, trough_occupancy_percent) -> None:
    """Write one regimen into a figure built by :func:`dosing_figure` (t = 0, with no drug yet, is left out)."""
    t = np.asarray(t_days, dtype=float)
    keep = t > 0
    weeks = rounded(t[keep] / 7.0)
    tw = rounded(np.asarray(trough_days, dtype=float) / 7.0)
    assign_changed(fig, DOSE_CURVE, x=weeks, y=rounded(np.asarray(c_ug_per_ml)[keep]))
    assign_changed(fig, DOSE_TROUGHS, x=tw, y=rounded(trough_ug_per_ml))
    assign_changed(fig, DOSE_KD, x=[0.0, DOSING_WEEKS], y=rounded([kd_ug_per_ml, kd_ug_per_ml]))
    assign_changed(fig, DOSE_OCC, x=weeks, y=rounded(np.asarray(occupancy_percent)[keep]))
    assign_changed(fig, DOSE_OCC_TROUGHS, x=tw, y=rounded(trough_occupancy_percent))


# ======================================================================================
# 3. Target-mediated drug disposition (lesson 07)
# ======================================================================================

TMDD_DAYS = 84.0
TMDD_Y_LOG10_RANGE = (-3.0, 4.0)   # nM: 0.001 to 10,000 nM holds the highest dose's peak (~2,400 nM)
TMDD_HL_RANGE = (0.0, 25.0)        # days
# Trace indices of tmdd_figure.
TMDD_FREE, TMDD_LINEAR, TMDD_CCRIT, TMDD_KSS, TMDD_HALVING, TMDD_HL_CURVE, TMDD_HL_LINEAR, TMDD_HL_MARKER = range(8)


def tmdd_description(params: pk.QSSParams, t_ref_days: float) -> str:
    return (
        "Left: free mavrilimumab (an antibody against the GM-CSF receptor α) in serum, in nanomolar on a "
        f"logarithmic axis, over {TMDD_DAYS:g} days after one 30-minute intravenous dose, in the "
        "quasi-steady-state target-mediated drug disposition (TMDD) model fitted by Stein & Peletier (2018). The "
        "blue curve includes binding to the receptor, which is internalised and degraded with the antibody on "
        "it; the dashed orange curve is the same antibody with no target (the linear two-compartment part of "
        "the model). At high doses the target is saturated and the two curves run together; at low doses, and "
        "at the end of every dose once the level has fallen, the target adds its own clearance and the free "
        "drug drops much faster. The dotted black line is Stein & Peletier's critical concentration "
        f"(Vmax/CL = {pk.critical_concentration_nm(params):.3g} nM), below which target-mediated elimination "
        f"is comparable to or faster than the linear route; the dotted purple line is Kss "
        f"({params.kss_nm:g} nM), at which half of the target is bound. The two red dots mark day "
        f"{t_ref_days:g} and the day the free drug has halved from it: the apparent half-life. Right: that "
        "apparent half-life against the dose (logarithmic axis), computed once for the whole range; it climbs "
        "from a few days at low doses towards the value without target (dashed line) at high doses. The red "
        "dot is the chosen dose.")


def tmdd_figure(params: pk.QSSParams, *, t_ref_days: float, dose_range_mg: tuple[float, float],
                curve_doses_mg, curve_half_lives_days, linear_half_life_days: float) -> go.Figure:
    """Free drug vs time with and without target (left) and apparent half-life vs dose (right).

    Traces: 0 TMDD free drug; 1 linear model; 2 critical concentration; 3 Kss; 4 the halving (day
    ``t_ref`` and half a half-life later); 5 half-life vs dose (fixed); 6 the linear half-life (fixed);
    7 the chosen dose. Data of 0, 1, 4 and 7 is written by :func:`set_tmdd_data`.
    """
    fig = new_figure(
        "Target-mediated drug disposition: the target speeds up elimination at low doses",
        tmdd_description(params, t_ref_days), height=580, hovermode="closest",
        legend=dict(orientation="h", x=0, y=1.1, yanchor="bottom", traceorder="normal", font=dict(size=12)),
        margin=dict(l=80, r=30, t=175), title_y=0.985, title_yanchor="top")
    fig = make_subplots(rows=1, cols=2, column_widths=[0.58, 0.42], horizontal_spacing=0.12, figure=fig,
                        subplot_titles=("Free drug after one dose", "Apparent half-life against the dose"))
    hover = "day %{x:.1f}: %{y:.3g} nM<extra>%{fullData.name}</extra>"
    fig.add_trace(go.Scatter(name="free drug, with target (QSS-TMDD)", mode="lines", hovertemplate=hover,
                             line=dict(color=OKABE_ITO["blue"], width=3)), row=1, col=1)
    fig.add_trace(go.Scatter(name="same antibody without target (linear)", mode="lines", hovertemplate=hover,
                             line=dict(color=OKABE_ITO["orange"], width=2, dash="dash")), row=1, col=1)
    ends = [0.0, TMDD_DAYS]
    c_crit = pk.critical_concentration_nm(params)
    fig.add_trace(go.Scatter(x=ends, y=rounded([c_crit, c_crit]), mode="lines", hoverinfo="skip",
                             name=f"critical concentration ({c_crit:.3g} nM)",
                             line=dict(color=OKABE_ITO["black"], width=1.5, dash="dot")), row=1, col=1)
    fig.add_trace(go.Scatter(x=ends, y=[params.kss_nm] * 2, mode="lines", hoverinfo="skip",
                             name=f"Kss ({params.kss_nm:g} nM): half the target bound",
                             line=dict(color=OKABE_ITO["reddish_purple"], width=1.5, dash="dot")), row=1, col=1)
    fig.add_trace(go.Scatter(name=f"day {t_ref_days:g} and the day the level has halved", mode="markers+lines",
                             marker=dict(color=OKABE_ITO["vermillion"], size=10),
                             line=dict(color=OKABE_ITO["vermillion"], width=1, dash="dot"),
                             hovertemplate=hover), row=1, col=1)
    fig.add_trace(go.Scatter(x=rounded(curve_doses_mg), y=rounded(curve_half_lives_days), mode="lines",
                             name="apparent half-life, with target", showlegend=False,
                             hovertemplate="%{x:.3g} mg: %{y:.3g} days<extra>with target</extra>",
                             line=dict(color=OKABE_ITO["blue"], width=2.5)), row=1, col=2)
    lo, hi = dose_range_mg
    fig.add_trace(go.Scatter(x=[lo, hi], y=rounded([linear_half_life_days] * 2), mode="lines", showlegend=False,
                             name="without target", hovertemplate="%{y:.3g} days<extra>without target</extra>",
                             line=dict(color=OKABE_ITO["orange"], width=2, dash="dash")), row=1, col=2)
    fig.add_trace(go.Scatter(name="chosen dose", mode="markers", showlegend=False,
                             hovertemplate="%{x:.3g} mg: %{y:.3g} days<extra>chosen dose</extra>",
                             marker=dict(color=OKABE_ITO["vermillion"], size=12, line=dict(color="white", width=1.5))),
                  row=1, col=2)
    fig.update_xaxes(title_text="days after the dose", range=[0, TMDD_DAYS], dtick=14, row=1, col=1)
    fig.update_yaxes(title_text="free drug in serum (nM, log)", type="log", range=list(TMDD_Y_LOG10_RANGE), dtick=1,
                     tickformat=",~g", row=1, col=1)
    margin = 0.1
    fig.update_xaxes(title_text="dose (mg, log)", type="log",
                     range=[math.log10(lo) - margin, math.log10(hi) + margin], dtick=1, tickformat=",~g", row=1,
                     col=2)
    fig.update_yaxes(title_text=f"apparent half-life after day {t_ref_days:g} (days)", range=list(TMDD_HL_RANGE),
                     dtick=5, row=1, col=2)
    add_source(fig, f"model and parameters: {STEIN_PELETIER_2018}, Table 1 (mavrilimumab, anti-GM-CSF receptor α;"
                    f"<br>read in the nlmixr2lib transcription); QSS approximation: {GIBIANSKY_2008}.")
    return fig


def set_tmdd_data(fig, *, t_days, free_nm, linear_nm, t_ref_days: float, c_ref_nm: float, half_life_days: float,
                  dose_mg: float) -> None:
    """Write one dose into a figure built by :func:`tmdd_figure` (t = 0, with no drug yet, is left out)."""
    t = np.asarray(t_days, dtype=float)
    keep = t > 0
    days = rounded(t[keep])
    assign_changed(fig, TMDD_FREE, x=days, y=rounded(np.asarray(free_nm)[keep]))
    assign_changed(fig, TMDD_LINEAR, x=days, y=rounded(np.asarray(linear_nm)[keep]))
    if math.isfinite(half_life_days):
        assign_changed(fig, TMDD_HALVING, x=rounded([t_ref_days, t_ref_days + half_life_days]),
                y=rounded([c_ref_nm, c_ref_nm / 2]))
    else:  # the level never halved within the model's horizon: only the starting point
        assign_changed(fig, TMDD_HALVING, x=rounded([t_ref_days]), y=rounded([c_ref_nm]))
    # an infinite half-life is drawn at the top of the panel (the readout says "more than 1000 days")
    assign_changed(fig, TMDD_HL_MARKER, x=rounded([dose_mg]), y=rounded([min(half_life_days, TMDD_HL_RANGE[1])]))
