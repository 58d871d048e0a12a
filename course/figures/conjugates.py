"""Antibodies that carry a payload: a radionuclide (radioimmunoconjugate) or a drug (ADC).

Two builders, each with a companion ``set_*`` function that writes new data into an
existing figure (the explainer's ``go.Figure``), so the builder
and the explainer's redraw share one code path.  Axis ranges are fixed when the figure is
built; a redraw assigns trace data only (plus the chosen nuclide's line style when it
changes).

* :func:`radio_figure` / :func:`set_radio_data`: activity of each radionuclide in the
  tumour against time (the chosen one in full colour), and the share of the tumour's
  labelled antibodies that decay there against the physical half-life, with the three
  nuclides and the best half-life √(T_up·T_bio) marked;
* :func:`adc_figure` / :func:`set_adc_data`: payload delivered to tumour and healthy tissue
  against the dose, and their ratio, for the chosen antigen density.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from course.figures.theme import GREY, OKABE_ITO, add_source, new_figure, rounded
from course.models import conjugates as model

# ======================================================================================
# Radioimmunoconjugates
# ======================================================================================

RADIO_SOURCE = (
    "decay data: ICRP Publication 107 (2008) Ann ICRP 38(3); absorbed dose: Bolch WE et al. (2009) "
    "J Nucl Med 50:477, doi:10.2967/jnumed.108.056036;<br>reference activity, serum half-life and mean tumour "
    "dose: Zevalin (ibritumomab tiuxetan) US prescribing information and Swiss product information.")

#: Colour of each radionuclide (Okabe–Ito).
NUCLIDE_COLOURS = {"Y-90": OKABE_ITO["blue"], "I-131": OKABE_ITO["vermillion"], "Lu-177": OKABE_ITO["bluish_green"]}
#: Physical half-life axis (log10 of hours): 1 h to 10,000 h (about 14 months).
HALF_LIFE_LOG10_RANGE = (0.0, 4.0)

# Trace indices of radio_figure: one activity curve per nuclide (in NUCLIDE_COLOURS order), then panel 2.
NUCLIDE_LINES, FRACTION_CURVE, OPTIMUM, NUCLIDE_MARKERS, CHOSEN_MARKER = 3, 4, 5, 6, 7
_CHOSEN = dict(width=3.5)
_OTHER = dict(width=1.5)
_FAINT = 0.35


def _curve_line(name: str, chosen: str) -> dict:
    """Full colour for the chosen nuclide, faint for the others: the faintness goes into the colour
    (plotly.js's animated redraw, which live_figure.py uses when only points and their styles change,
    did not reliably restyle opacity when last tried, 2026-11-23)."""
    if name == chosen:
        return dict(color=NUCLIDE_COLOURS[name], **_CHOSEN)
    hex_colour = NUCLIDE_COLOURS[name].lstrip("#")
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
    return dict(color=f"rgba({r},{g},{b},{_FAINT})", **_OTHER)
#: Side of its vertical line each nuclide's name is written on (Lu-177 and I-131 are close).
_LABEL_SIDE = {"Y-90": "right", "Lu-177": "right", "I-131": "left"}


def radio_description(reference_activity_mbq: float, uptake_percent_per_g: float, days: float) -> str:
    energy = {n: r.electron_energy_mev for n, r in model.RADIONUCLIDES.items()}
    times = sorted(energy["Y-90"] / e for n, e in energy.items() if n != "Y-90")
    return (
        "Two panels. Left: activity in one gram of tumour (megabecquerel per gram) over the first "
        f"{days:g} days after injecting {reference_activity_mbq:g} MBq of a radiolabelled antibody, of which the "
        f"tumour would take up {uptake_percent_per_g:.3g} % per gram if nothing left it. The antibody enters "
        "the tumour with the chosen uptake half-time and leaves with the chosen biological half-life, while the "
        "label decays with its own physical half-life; the chosen radionuclide is drawn in full colour and the "
        "other two faint, for comparison (yttrium-90 blue, iodine-131 red, lutetium-177 green). A short-lived "
        "label such as yttrium-90 (64 h) starts high and is gone within days; iodine-131 and lutetium-177 "
        "(about a week) decay more slowly, with fewer decays per hour for the same activity. Right: of the "
        "labelled antibodies headed for the tumour, the share that decays inside it, against the physical "
        "half-life of the label (logarithmic axis, hours). Too short a half-life and most atoms decay before "
        "the antibody arrives; too long and the antibody leaves before they decay. A dashed vertical line marks "
        "the best physical half-life, the geometric mean √(T_up·T_bio) of the uptake half-time and the "
        "biological half-life (no line when uptake is instantaneous: then the shorter the better). Dotted "
        "vertical lines mark the three radionuclides' half-lives, coloured dots where each lies on the curve "
        "and a ring the chosen one. The share of decays is not the whole story: the absorbed dose per decay "
        "also depends on the electron energy per decay, which is "
        f"{times[0]:.1f} to {times[-1]:.1f} times larger for yttrium-90 than for the other two (ICRP 107; the "
        "readout gives the doses).")


def radio_figure(t_days, tp_grid_h, *, nuclides: dict[str, float], chosen: str, activity_max_mbq_per_g: float,
                 reference_activity_mbq: float, uptake_percent_per_g: float) -> go.Figure:
    """Activity over time (left) and share of decays in the tumour vs physical half-life (right).

    ``nuclides`` maps each radionuclide's name (keys of :data:`NUCLIDE_COLOURS`) to its physical
    half-life in hours; ``t_days`` and ``tp_grid_h`` are the x values of every later redraw.
    Data are filled in by :func:`set_radio_data`.
    """
    days = float(np.max(t_days))
    fig = new_figure(
        "Radioimmunoconjugates: matching the radionuclide to the antibody",
        radio_description(reference_activity_mbq, uptake_percent_per_g, days), height=560, hovermode="closest",
        legend=dict(orientation="h", x=0, y=1.1, yanchor="bottom", font=dict(size=13)),
        margin=dict(t=150, l=80, r=30), title_y=0.98, title_yanchor="top")
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.13, figure=fig,
                        subplot_titles=("Activity in the tumour", "Share decaying in the tumour"))
    x = rounded(t_days)
    # The curves stay out of the legend: its entries (added last) keep one style, so choosing another
    # radionuclide restyles curves only, which the browser redraws without its legend (live_figure.py).
    for name, half_life in nuclides.items():
        fig.add_trace(go.Scatter(x=x, name=f"{name} (physical half-life {half_life:.3g} h)", mode="lines",
                                 line=_curve_line(name, chosen), showlegend=False, legendgroup=name,
                                 hovertemplate=f"day %{{x:.2f}}: %{{y:.3g}} MBq/g<extra>{name}</extra>"), row=1, col=1)
    # Static: a dotted vertical line at each nuclide's physical half-life, its name along it.
    lines_x, lines_y = [], []
    for half_life in nuclides.values():
        lines_x += [half_life, half_life, None]
        lines_y += [0.0, 1.05, None]
    fig.add_trace(go.Scatter(x=lines_x, y=lines_y, name="radionuclide half-lives", mode="lines", showlegend=False,
                             hoverinfo="skip", line=dict(color=GREY, width=1, dash="dot")), row=1, col=2)
    for name, half_life in nuclides.items():
        fig.add_annotation(x=math.log10(half_life), y=1.04, xref="x2", yref="y2", textangle=-90, showarrow=False,
                           xanchor=_LABEL_SIDE.get(name, "right"), yanchor="top", text=name,
                           font=dict(size=12, color=NUCLIDE_COLOURS[name]))
    fig.add_trace(go.Scatter(x=rounded(tp_grid_h), name="any label (share of decays in the tumour)", mode="lines",
                             line=dict(color=OKABE_ITO["black"], width=2),
                             hovertemplate="physical half-life %{x:.3g} h: %{y:.1%}<extra></extra>"), row=1, col=2)
    fig.add_trace(go.Scatter(name="best physical half-life", mode="lines+text", showlegend=False,
                             textposition="top right", textfont=dict(size=12),
                             line=dict(color=OKABE_ITO["black"], width=1.5, dash="dash"),
                             hovertemplate="best physical half-life %{x:.3g} h<extra></extra>"), row=1, col=2)
    names = list(nuclides)
    fig.add_trace(go.Scatter(name="radionuclides", mode="markers", showlegend=False, text=names,
                             marker=dict(size=11, color=[NUCLIDE_COLOURS[n] for n in names],
                                         line=dict(color="white", width=1)),
                             hovertemplate=("%{text}: half-life %{x:.3g} h, %{y:.1%} decay in the tumour"
                                            "<extra></extra>")),
                  row=1, col=2)
    fig.add_trace(go.Scatter(name="chosen radionuclide", mode="markers", showlegend=False, hoverinfo="skip",
                             marker=dict(size=20, symbol="circle-open", color=OKABE_ITO["black"],
                                         line=dict(width=2.5))),
                  row=1, col=2)
    for name, half_life in nuclides.items():
        fig.add_trace(go.Scatter(x=[None], y=[None], name=f"{name} (physical half-life {half_life:.3g} h)",
                                 mode="lines", legendgroup=name, legendrank=1, hoverinfo="skip",
                                 line=dict(color=NUCLIDE_COLOURS[name], width=_CHOSEN["width"])), row=1, col=1)
    # Fixed ranges and margins: an autoranged axis would re-lay-out on every redraw.
    fig.update_xaxes(range=[0, days], dtick=7 if days >= 14 else None, automargin=False,
                     title_text="time after injection (days)", row=1, col=1)
    fig.update_yaxes(range=[0, activity_max_mbq_per_g], automargin=False,
                     title_text="activity in the tumour (MBq per g)", row=1, col=1)
    fig.update_xaxes(type="log", range=list(HALF_LIFE_LOG10_RANGE), dtick=1, automargin=False,
                     title_text="physical half-life (h, log scale)", row=1, col=2)
    fig.update_yaxes(range=[0, 1.05], tickformat=".0%", automargin=False,
                     title_text="decays in tumour (share of uptake)", row=1, col=2)
    add_source(fig, RADIO_SOURCE)
    return fig


def set_radio_data(fig, *, activity: dict[str, np.ndarray], chosen: str, fraction_curve, nuclide_half_lives,
                   nuclide_fractions, optimum_h: float | None, optimum_label: str) -> None:
    """Write one state into a figure made by :func:`radio_figure`.

    ``activity`` maps each nuclide (in the figure's order) to MBq/g at the figure's times;
    ``fraction_curve`` is the share of decays at the figure's physical half-lives;
    ``nuclide_half_lives``/``nuclide_fractions`` place the three markers (same order);
    ``optimum_h`` is the best physical half-life (``None``: no line).
    """
    d = fig.data
    for i, (name, a) in enumerate(activity.items()):
        d[i].y = rounded(a)
        line = _curve_line(name, chosen)
        if d[i].line.width != line["width"]:  # style only when the choice changes
            d[i].line = line
    d[FRACTION_CURVE].y = rounded(fraction_curve)
    if optimum_h is None:
        empty = np.array([])
        d[OPTIMUM].x = d[OPTIMUM].y = empty
        d[OPTIMUM].text = []
    else:
        d[OPTIMUM].x = rounded([optimum_h, optimum_h])
        d[OPTIMUM].y = np.array([0.0, 1.05])
        d[OPTIMUM].text = [optimum_label, ""]
    d[NUCLIDE_MARKERS].x = rounded(nuclide_half_lives)
    d[NUCLIDE_MARKERS].y = rounded(nuclide_fractions)
    k = list(activity).index(chosen)
    d[CHOSEN_MARKER].x = rounded([nuclide_half_lives[k]])
    d[CHOSEN_MARKER].y = rounded([nuclide_fractions[k]])


# ======================================================================================
# Antibody–drug conjugates
# ======================================================================================

ADC_SOURCE = (
    "model and brentuximab vedotin parameters: Shah DK et al. (2012) J Pharmacokinet Pharmacodyn 39:643, "
    "doi:10.1007/s10928-012-9276-y;<br>dose: ADCETRIS (brentuximab vedotin) US prescribing information;<br>"
    "delivery- vs antigen-limited uptake: Thurber GM, Weissleder R (2011) PLoS ONE 6:e24696, "
    "doi:10.1371/journal.pone.0024696.")

TUMOUR_COLOUR, HEALTHY_COLOUR, SATURATION_COLOUR = OKABE_ITO["vermillion"], OKABE_ITO["blue"], OKABE_ITO["orange"]

# Trace indices of adc_figure.  Reference ratio curves come first (drawn under the chosen one).
(TUMOUR, HEALTHY, PAYLOAD_POINTS, SATURATION_LEFT, REFERENCE_RATIOS, RATIO, RATIO_POINT,
 SATURATION_RIGHT) = range(8)


@dataclass(frozen=True)
class ADCAxes:
    """Fixed axis ranges of :func:`adc_figure` (log10 for the log axes)."""

    dose_log10: tuple[float, float]
    payload_log10: tuple[float, float]
    ratio_max: float


def adc_description(days: float, saturated_percent: float, reference_antigens: tuple[float, ...]) -> str:
    refs = ", ".join(f"{a:,.0f}" for a in reference_antigens)
    return (
        "Two panels, both against the dose of antibody–drug conjugate (milligrams per kilogram of body weight, "
        "logarithmic axis). Left, on a logarithmic axis: the cytotoxic payload released in the tumour (red) and in "
        "the average gram of healthy tissue (blue, dashed) over the "
        f"{days:g} days after one dose, in picomoles per gram, for a tumour whose cells carry the chosen number of "
        "target antigens; dots mark the chosen dose. Right: the tumour-to-healthy ratio of those two numbers for "
        f"the chosen antigen density (black), with faint grey curves for {refs} antigens per cell for comparison, "
        "a ring at the chosen dose and a grey dotted line at a ratio of 1 (no advantage over healthy tissue). At "
        "low doses the tumour's binding sites are far from full: uptake is limited by how fast the conjugate "
        "leaves the blood vessels, the tumour payload rises in proportion to the dose and the ratio is flat. Once "
        "the dose saturates the antigen (a dotted orange vertical line marks the dose at which the peak "
        f"occupancy reaches {saturated_percent:g} %; absent when it is not reached), extra conjugate has nowhere "
        "to bind, the tumour payload levels off while the healthy payload keeps rising with the dose, and the "
        "ratio falls. More antigen per cell raises both the tumour payload and the dose at which saturation sets "
        "in. The model is that of Shah et al. (2012) for brentuximab vedotin in patients, with binding taken to "
        "be at equilibrium; it ignores gradients inside the tumour and the payload's own redistribution.")


def adc_figure(doses, *, axes: ADCAxes, reference_antigens: tuple[float, ...], reference_ratios,
               days: float, saturated_percent: float) -> go.Figure:
    """Payload vs dose (left) and tumour-to-healthy ratio vs dose (right); data via :func:`set_adc_data`.

    ``doses`` (mg/kg) are the x values of every later redraw; ``reference_ratios`` holds one
    ratio curve per entry of ``reference_antigens`` (antigens per cell), drawn faint and fixed.
    """
    fig = new_figure(
        "Antibody–drug conjugates: payload in tumour and healthy tissue",
        adc_description(days, saturated_percent, reference_antigens), height=560, hovermode="closest",
        legend=dict(orientation="h", x=0, y=1.1, yanchor="bottom", font=dict(size=13)),
        margin=dict(t=150, l=80, r=30), title_y=0.98, title_yanchor="top")
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.13, figure=fig,
                        subplot_titles=(f"Payload released over {days:g} days", "Tumour-to-healthy ratio"))
    x = rounded(doses)
    hover = "%{x:.3g} mg/kg: %{y:.3g} pmol/g<extra>%{fullData.name}</extra>"
    add = fig.add_trace
    add(go.Scatter(x=x, name="tumour", mode="lines", line=dict(color=TUMOUR_COLOUR, width=3), hovertemplate=hover),
        row=1, col=1)
    add(go.Scatter(x=x, name="healthy tissue (body average)", mode="lines",
                   line=dict(color=HEALTHY_COLOUR, width=2.5, dash="dash"), hovertemplate=hover), row=1, col=1)
    add(go.Scatter(name="chosen dose", mode="markers", showlegend=False, hoverinfo="skip",
                   marker=dict(size=11, color=[TUMOUR_COLOUR, HEALTHY_COLOUR], line=dict(color="white", width=1))),
        row=1, col=1)
    saturation = dict(color=SATURATION_COLOUR, width=2, dash="dot")
    add(go.Scatter(name=f"antigen {saturated_percent:g} % occupied", mode="lines", line=saturation,
                   legendgroup="saturation", hovertemplate="binding sites saturate from %{x:.3g} mg/kg<extra></extra>"),
        row=1, col=1)
    xs, ys = [], []
    for ratio in reference_ratios:
        xs += list(x) + [None]
        ys += list(rounded(ratio)) + [None]
    add(go.Scatter(x=xs, y=ys, name="other antigen densities", mode="lines", line=dict(color=GREY, width=1.2),
                   opacity=0.6, hoverinfo="skip"), row=1, col=2)
    add(go.Scatter(x=x, name="tumour-to-healthy ratio", mode="lines", line=dict(color=OKABE_ITO["black"], width=3),
                   hovertemplate="%{x:.3g} mg/kg: ratio %{y:.3g}<extra></extra>"), row=1, col=2)
    add(go.Scatter(name="chosen dose", mode="markers", showlegend=False, hoverinfo="skip",
                   marker=dict(size=14, symbol="circle-open", color=OKABE_ITO["black"], line=dict(width=2.5))),
        row=1, col=2)
    add(go.Scatter(name=f"antigen {saturated_percent:g} % occupied", mode="lines", line=saturation,
                   legendgroup="saturation", showlegend=False,
                   hovertemplate="binding sites saturate from %{x:.3g} mg/kg<extra></extra>"), row=1, col=2)
    # Each reference curve is labelled at the end (low or high dose) where it is furthest from the others;
    # fixed annotations, since these curves never change.
    ends = np.array([[r[0], r[-1]] for r in reference_ratios], dtype=float)
    for i, antigens in enumerate(reference_antigens):
        others = np.delete(ends, i, axis=0)
        gaps = np.abs(others - ends[i]).min(axis=0) if len(others) else np.array([1.0, 1.0])
        right = bool(gaps[1] >= gaps[0])
        below = bool(len(others)) and bool(np.any(others[:, int(right)] > ends[i, int(right)]))
        fig.add_annotation(x=axes.dose_log10[int(right)], y=float(rounded([ends[i, int(right)]])[0]), xref="x2",
                           yref="y2", xanchor="right" if right else "left", yanchor="top" if below else "bottom",
                           showarrow=False, text=f"{antigens:,.0f}/cell", font=dict(size=10, color="#777777"))
    fig.add_hline(y=1.0, line=dict(color=GREY, dash="dot", width=1.5), row=1, col=2)
    fig.add_annotation(x=axes.dose_log10[0], y=1.0, xref="x2", yref="y2", xanchor="left", yanchor="bottom",
                       showarrow=False, text="ratio 1: no advantage", font=dict(size=10, color="#777777"))
    fig.update_xaxes(type="log", range=list(axes.dose_log10), dtick=1, automargin=False,
                     title_text="dose (mg/kg, log scale)")
    fig.update_yaxes(type="log", range=list(axes.payload_log10), dtick=1, exponentformat="power", automargin=False,
                     title_text="payload (pmol per g, log scale)", row=1, col=1)
    fig.update_yaxes(range=[0, axes.ratio_max], automargin=False,
                     title_text="tumour ÷ healthy payload (no unit)", row=1, col=2)
    add_source(fig, ADC_SOURCE)
    return fig


def set_adc_data(fig, *, tumour, healthy, ratio, dose: float, tumour_at_dose: float, healthy_at_dose: float,
                 ratio_at_dose: float, saturating_dose: float | None, axes: ADCAxes) -> None:
    """Write one state into a figure made by :func:`adc_figure`.

    ``tumour``, ``healthy`` (pmol/g) and ``ratio`` are at the figure's doses; ``saturating_dose``
    (mg/kg) is where peak occupancy reaches the threshold (``None``: not within the axis).
    """
    d = fig.data
    d[TUMOUR].y = rounded(tumour)
    d[HEALTHY].y = rounded(healthy)
    d[PAYLOAD_POINTS].x = rounded([dose, dose])
    d[PAYLOAD_POINTS].y = rounded([tumour_at_dose, healthy_at_dose])
    d[RATIO].y = rounded(ratio)
    d[RATIO_POINT].x = rounded([dose])
    d[RATIO_POINT].y = rounded([ratio_at_dose])
    if saturating_dose is None:
        empty = np.array([])
        for i in (SATURATION_LEFT, SATURATION_RIGHT):
            d[i].x = d[i].y = empty
    else:
        x = rounded([saturating_dose, saturating_dose])
        d[SATURATION_LEFT].x, d[SATURATION_LEFT].y = x, 10.0 ** np.asarray(axes.payload_log10)
        d[SATURATION_RIGHT].x, d[SATURATION_RIGHT].y = x, np.array([0.0, axes.ratio_max])


def nice_log10_range(lo: float, hi: float, step: float = 0.5) -> tuple[float, float]:
    """log10 axis ends at multiples of ``step`` that hold ``lo``…``hi`` (both > 0)."""
    return (math.floor(math.log10(lo) / step) * step, math.ceil(math.log10(hi) / step) * step)
