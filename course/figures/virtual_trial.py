"""Lesson 09 figures: a virtual clinical trial read the way a real one is read.

One figure, :func:`trial_figure`, with its companion :func:`set_trial_data` that writes a new trial
into the existing traces (the builder and the explainer's redraw share one code path):

* top, a **waterfall plot**: each patient's best percent change of a diameter-like measure from
  baseline, sorted from worst to best, coloured by best response (CR, PR, SD, PD);
* bottom left, a **spider plot**: the same measure over time for a fixed subset of patients;
* bottom right, **Kaplan–Meier progression-free survival** of the regimen against no treatment.

Scatter traces only, fixed axis ranges and a legend that never changes (category colours are
legend-only proxy traces), so that the browser redraws a new trial by moving points
(live_figure.py's animated path).

The trial's shared settings (cohort size and seed, integration step, toxicity budget, the
exercise's dose ceilings) live here too, so that the explainer and the lesson's checks run the
same trial.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from course.figures.theme import GREY, OKABE_ITO, add_source, assign_changed, gap_if_empty, new_figure, rounded
from course.models import virtual_trial as vt

# ======================================================================================
# The lesson's trial (course choices, stated in the lesson)
# ======================================================================================

#: Virtual patients in the lesson's cohort and the seed that draws them (same seed → same cohort).
N_PATIENTS = 200
SEED = 0
#: Integration step of the lesson's trials (days).  The model's default is 0.5 day; 1 day halves the
#: cost (≈ 4 ms for 200 patients over 730 days here) and moves each cohort's response rate by at most a
#: few patients (measured in tests/test_virtual_trial_explainers.py).
TRIAL_DT = 1.0
TRIAL_DAYS = 730.0
#: Toxicity proxy budget (course assumption, in the model's units: 1 = the largest dose of a therapy
#: with weight 1 for 28 days).  The readout gives the cohort's mean and the share of patients above it.
TOXICITY_BUDGET = 3.0
#: Patients shown in the spider plot, chosen once from the seed.
N_SPIDER = 20

CATEGORY_COLOURS = {"CR": OKABE_ITO["bluish_green"], "PR": OKABE_ITO["sky_blue"], "SD": OKABE_ITO["orange"],
                    "PD": OKABE_ITO["vermillion"]}
CATEGORY_NAMES = {"CR": "complete response (CR)", "PR": "partial response (PR)", "SD": "stable disease (SD)",
                  "PD": "progressive disease (PD)"}

EISENHAUER_2009 = ("Eisenhauer EA et al. (2009) Eur J Cancer 45:228 (RECIST 1.1), doi:10.1016/j.ejca.2008.10.026")
SEYMOUR_2017 = "Seymour L et al. (2017) Lancet Oncol 18:e143 (iRECIST), doi:10.1016/S1470-2045(17)30074-8"
KIRSCHNER_PANETTA_1998 = "Kirschner D, Panetta JC (1998) J Math Biol 37:235, doi:10.1007/s002850050127"

#: Axis ranges (fixed): waterfall and spider in % change of the diameter-like measure.
CHANGE_RANGE = (-105.0, 155.0)
CHANGE_CLIP = 150.0
#: Days between a spider line's points. The trial explainer stores its trials at this spacing: the
#: scans, every 56 days, fall on whole weeks, and daily points cost twice the time for nothing drawn.
SPIDER_DAYS = 7.0
PFS_RANGE = (0.0, 1.02)

# Trace indices of trial_figure. Every trace costs the browser's redraw time whether it changed or
# not (plotly redraws the whole figure when data changes), so the figure has as few as its colours
# and legend need: 18.
W_LINES = 0
W_CATEGORY = {"CR": 1, "PR": 2, "SD": 3, "PD": 4}
W_HOVER = 5
W_LABEL = 6
S_START = 7
#: Spider lines: one trace per best-response category, its patients' lines separated by gaps, so that
#: the figure has few traces to redraw whatever the number of patients shown.
S_CATEGORY = {cat: S_START + k for k, cat in enumerate(vt.CATEGORIES)}
BAR_HALF_WIDTH = 0.42
S_LINES = S_START + len(S_CATEGORY)
KM_UNTREATED = S_LINES + 1
KM_REGIMEN = KM_UNTREATED + 1


def spider_patients(n_patients: int = N_PATIENTS, seed: int = SEED, k: int = N_SPIDER) -> np.ndarray:
    """Indices of the ``k`` patients of the spider plot, drawn once from ``seed`` (sorted)."""
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n_patients, size=min(k, n_patients), replace=False))


def trial_description() -> str:
    return (
        f"A virtual clinical trial of {N_PATIENTS} patients, each the Kirschner–Panetta tumour–immune model "
        "with their own antigenicity, tumour growth rate, killing rate, checkpoint brake and starting tumour size, "
        "drawn from stated distributions with a fixed seed; checkpoint blockade and the vaccine are course "
        "assumptions added to the paper's model. Tumours are 'scanned' every 56 days; the measure is "
        "diameter-like (the cube root of the number of tumour cells), as RECIST measures diameters. "
        "Top, the waterfall plot: one bar per patient, the best percent change from baseline, sorted from the "
        "largest growth on the left to complete disappearance (−100 %) on the right, coloured by best response. "
        "Dotted lines mark −30 % (partial response) and +20 % (progression, measured from the smallest size seen). "
        f"Bars above +{CHANGE_CLIP:g} % are cut at +{CHANGE_CLIP:g} %. "
        f"Bottom left, the spider plot: the same measure over two years for {N_SPIDER} patients chosen once from the "
        "seed, one line per patient coloured by their best response; a line that rises and then falls to −100 % is "
        "a delayed response. Bottom right, Kaplan–Meier progression-free survival: the share of patients not yet "
        "progressed against time, for the chosen regimen (blue) and for no treatment (grey, computed once). "
        "Patients who never progress are censored at the last scan.")


def trial_figure() -> go.Figure:
    """Waterfall (top), spider (bottom left) and progression-free survival (bottom right).

    Data is written by :func:`set_trial_data`.  Traces: 0 the −30 % and +20 % lines of the waterfall;
    1-4 bars by category (CR, PR, SD, PD); 5 the bar tops, for hover; 6 a text label with ORR and DCR;
    7-10 the spider lines by category; 11 the spider's −30 %/+20 % lines; 12-13 the untreated and the
    regimen's PFS curves; last, four legend-only entries for the categories.
    """
    fig = new_figure(
        "A virtual clinical trial: best response, tumour course and progression-free survival",
        trial_description(), height=780, hovermode="closest",
        legend=dict(orientation="h", x=0, y=1.06, yanchor="bottom", traceorder="normal", font=dict(size=12)),
        margin=dict(l=80, r=30, t=140), title_y=0.985, title_yanchor="top")
    fig = make_subplots(rows=2, cols=2, specs=[[{"colspan": 2}, None], [{}, {}]], row_heights=[0.48, 0.52],
                        vertical_spacing=0.14, horizontal_spacing=0.1, figure=fig,
                        subplot_titles=("Waterfall: best change from baseline per patient",
                                        f"Spider: {N_SPIDER} patients over time",
                                        "Progression-free survival (Kaplan–Meier)"))
    fig.add_trace(_response_lines(N_PATIENTS + 1.0), row=1, col=1)
    # Bars: one filled outline per category that runs along the zero line from bar to bar (zero area
    # there), so that each category is one trace of plain numbers; undrawn points (mode "none") on the
    # bar tops carry the hover text, in their category's colour: drawing 200 invisible markers cost
    # the browser ~6 ms per redraw.
    for cat in vt.CATEGORIES:
        fig.add_trace(go.Scatter(name=CATEGORY_NAMES[cat], mode="lines", showlegend=False, legendgroup=cat,
                                 fill="toself", fillcolor=CATEGORY_COLOURS[cat], line=dict(width=0),
                                 hoverinfo="skip"), row=1, col=1)
    fig.add_trace(go.Scatter(name="best response", mode="none", showlegend=False,
                             hovertemplate="patient %{customdata[0]}: %{text}, best change "
                                           "%{customdata[1]:+.1f} %<extra></extra>"), row=1, col=1)
    # the smallest changes are on the right, so the top right corner stays free for the label
    fig.add_trace(go.Scatter(name="response rates", mode="text", x=[N_PATIENTS * 0.99], y=[CHANGE_RANGE[1] * 0.85],
                             textposition="middle left", textfont=dict(size=13), showlegend=False,
                             hoverinfo="skip"), row=1, col=1)
    for cat in vt.CATEGORIES:
        fig.add_trace(go.Scatter(name=CATEGORY_NAMES[cat], mode="lines", showlegend=False, legendgroup=cat,
                                 line=dict(width=1.6, color=CATEGORY_COLOURS[cat]),
                                 hovertemplate=f"patient %{{customdata}}, day %{{x}}: %{{y:.3g}} %<extra>{cat}</extra>"),
                      row=2, col=1)
    fig.add_trace(_response_lines(TRIAL_DAYS), row=2, col=1)
    hover_k = "day %{x}: %{y:.3f} progression-free<extra>%{fullData.name}</extra>"
    fig.add_trace(go.Scatter(name="no treatment", mode="lines", line=dict(color=GREY, width=2.5, shape="hv"),
                             hovertemplate=hover_k), row=2, col=2)
    fig.add_trace(go.Scatter(name="chosen regimen", mode="lines",
                             line=dict(color=OKABE_ITO["blue"], width=3, shape="hv"), hovertemplate=hover_k),
                  row=2, col=2)
    for cat in vt.CATEGORIES:
        fig.add_trace(go.Scatter(x=[None], y=[None], name=CATEGORY_NAMES[cat], mode="lines", legendgroup=cat,
                                 line=dict(color=CATEGORY_COLOURS[cat], width=6), hoverinfo="skip"))
    fig.update_xaxes(title=dict(text="patients, sorted by best change", standoff=4), range=[0, N_PATIENTS + 1],
                     showticklabels=False, ticks="", row=1, col=1)
    fig.update_yaxes(title_text="best change from baseline (%)", range=list(CHANGE_RANGE), dtick=50, row=1, col=1)
    fig.update_xaxes(title_text="days since the first dose", range=[0, TRIAL_DAYS], dtick=112, row=2, col=1)
    fig.update_yaxes(title_text="change from baseline (%)", range=list(CHANGE_RANGE), dtick=50, row=2, col=1)
    fig.update_xaxes(title_text="days since the first dose", range=[0, TRIAL_DAYS], dtick=112, row=2, col=2)
    fig.update_yaxes(title_text="progression-free (fraction)", range=list(PFS_RANGE), dtick=0.25, row=2, col=2)
    add_source(fig, f"virtual patients: {KIRSCHNER_PANETTA_1998}, with checkpoint blockade, vaccine, cohort "
                    f"distributions and toxicity proxy as course assumptions (no real patients); response categories: "
                    f"{EISENHAUER_2009}; {SEYMOUR_2017}, both simplified as stated in the lesson.")
    return fig


def _response_lines(x_end: float) -> go.Scatter:
    """The −30 % (partial response) and +20 % (progression) lines from 0 to ``x_end``, as one trace."""
    return go.Scatter(x=[0.0, x_end, None, 0.0, x_end],
                      y=[100 * vt.RECIST_PR, 100 * vt.RECIST_PR, None, 100 * vt.RECIST_PD, 100 * vt.RECIST_PD],
                      mode="lines", line=dict(color=GREY, width=1.2, dash="dot"), hoverinfo="skip",
                      showlegend=False, name="−30 % and +20 %")


def km_steps(event_day, event_observed) -> tuple[np.ndarray, np.ndarray]:
    """Kaplan–Meier estimate as (days, fraction) points for a step line ("hv"), ending at the last scan."""
    times, survival = vt.kaplan_meier(event_day, event_observed)
    last = float(np.max(event_day))
    x = np.append(times, max(last, times[-1]))
    y = np.append(survival, survival[-1])
    return rounded(x), rounded(y)


def _clipped(change) -> np.ndarray:
    """% changes held inside the waterfall's and spider's fixed axis range."""
    return np.clip(np.asarray(change, dtype=float), CHANGE_RANGE[0] + 5, CHANGE_CLIP)


def _bars(sorted_change: np.ndarray, sorted_cats: np.ndarray, cat: str):
    """One category's bars as a filled outline (x, y); bar k (from 1) is the k-th patient in sorted order."""
    rank = np.flatnonzero(sorted_cats == cat)
    if rank.size == 0:
        return gap_if_empty(np.zeros(0, dtype=np.float32)), gap_if_empty(np.zeros(0, dtype=np.float32))
    centre = rank + 1.0
    top = _clipped(sorted_change[rank])
    zero = np.zeros(rank.size)
    x = np.column_stack([centre - BAR_HALF_WIDTH, centre - BAR_HALF_WIDTH, centre + BAR_HALF_WIDTH,
                         centre + BAR_HALF_WIDTH]).ravel()
    y = np.column_stack([zero, top, top, zero]).ravel()
    # float32 halves the message (bar edges and tops are drawn, not read: pixels need no more digits)
    return rounded(x).astype(np.float32), rounded(y).astype(np.float32)


def _spider_lines(days: np.ndarray, change: np.ndarray, patients: np.ndarray):
    """Several patients' lines as one trace: (x, y, patient per point), each line ended by a gap (NaN).

    float32: whole days, patient numbers and 3-significant-digit percentages are exact or nearly so,
    and the message to the browser is half as long.
    """
    n, m = change.shape
    x = np.full((n, m + 1), np.nan, dtype=np.float32)
    y = np.full((n, m + 1), np.nan, dtype=np.float32)
    who = np.full((n, m + 1), np.nan, dtype=np.float32)
    x[:, :m], y[:, :m], who[:, :m] = days, change, patients[:, None]
    return x.ravel(), y.ravel(), who.ravel()


def set_trial_data(fig, *, best_change, categories, spider_days, spider_change, spider_patients,
                   spider_categories, untreated_km, regimen_km, label: str) -> None:
    """Write one trial into a figure built by :func:`trial_figure`.

    ``best_change`` and ``categories`` are per patient; ``spider_change`` is (patients of the spider,
    times) in % change, ``spider_patients`` their numbers and ``spider_categories`` their best
    responses; the KM arguments are (days, fraction) pairs from :func:`km_steps`.
    """
    change = np.asarray(best_change, dtype=float)
    cats = np.asarray(categories)
    order = np.argsort(-change, kind="stable")
    sorted_change, sorted_cats = change[order], cats[order]
    for cat, index in W_CATEGORY.items():
        x, y = _bars(sorted_change, sorted_cats, cat)
        assign_changed(fig, index, x=x, y=y)
    assign_changed(fig, W_HOVER, x=np.arange(1.0, change.size + 1.0), y=rounded(_clipped(sorted_change)),
                   customdata=np.column_stack([order.astype(float), rounded(sorted_change)]),
                   text=sorted_cats.tolist(), hoverlabel={"bgcolor": [CATEGORY_COLOURS[c] for c in sorted_cats]})
    assign_changed(fig, W_LABEL, text=label)
    days = rounded(spider_days)
    spider = rounded(_clipped(spider_change))
    spider_cats = np.asarray(spider_categories)
    patients = np.asarray(spider_patients)
    for cat, index in S_CATEGORY.items():
        rows = np.flatnonzero(spider_cats == cat)
        x, y, who = map(gap_if_empty, _spider_lines(days, spider[rows], patients[rows]))
        assign_changed(fig, index, x=x, y=y, customdata=who)
    assign_changed(fig, KM_UNTREATED, x=untreated_km[0], y=untreated_km[1])
    assign_changed(fig, KM_REGIMEN, x=regimen_km[0], y=regimen_km[1])


def format_days(days: float) -> str:
    """'56 days', or 'not reached' for an infinite median."""
    return "not reached" if not math.isfinite(days) else f"{days:g} days"


# ======================================================================================
# One patient, with and without the regimen
# ======================================================================================

PATIENT_LOG_RANGE = (-1.2, 9.6)
PATIENT_FLOOR = -1.0
PATIENT_COURSE_BAR = 9.45  # height of the treatment-course bar (log10 cells), above the 10⁹ capacity
P_UNTREATED, P_TREATED, P_COURSES, P_DETECTION = range(4)
PATIENT_EVERY = 2  # one point every 2 days (366 points over 730 days)


def patient_description() -> str:
    return (
        "One virtual patient's tumour (number of tumour cells, log10 scale) over two years, with the chosen regimen "
        "(blue) and without treatment (grey), in the Kirschner–Panetta model with the course's checkpoint and "
        "vaccine terms. The thick orange segments at the top mark the treatment courses. The dotted line is one "
        "cell: below it the tumour has disappeared (the model keeps computing fractions of a cell, drawn here at the "
        "bottom of the axis). Scans are every 56 days (vertical grid lines); a tumour that grows past a scan and "
        "only then collapses is a delayed response.")


def patient_figure() -> go.Figure:
    """log10 tumour cells against days for one patient, treated and untreated; data by :func:`set_patient_data`."""
    fig = new_figure("One virtual patient: with and without the regimen", patient_description(), height=460,
                     hovermode="closest",
                     legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom", font=dict(size=12)),
                     margin=dict(l=80, r=30, t=110),
                     xaxis=dict(title=dict(text="days since the first dose"), range=[0, TRIAL_DAYS], dtick=56),
                     yaxis=dict(title=dict(text="tumour cells (log10)"), range=list(PATIENT_LOG_RANGE), dtick=1))
    hover = "day %{x}: 10^%{y:.2f} cells<extra>%{fullData.name}</extra>"
    fig.add_trace(go.Scatter(name="no treatment", mode="lines", line=dict(color=GREY, width=2.5),
                             hovertemplate=hover))
    fig.add_trace(go.Scatter(name="with the regimen", mode="lines", line=dict(color=OKABE_ITO["blue"], width=3),
                             hovertemplate=hover))
    fig.add_trace(go.Scatter(name="treatment courses", mode="lines", line=dict(color=OKABE_ITO["orange"], width=8),
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=[0.0, TRIAL_DAYS], y=[0.0, 0.0], name="one cell (disappeared below)", mode="lines",
                             line=dict(color=OKABE_ITO["black"], width=1.2, dash="dot"), hoverinfo="skip"))
    add_source(fig, f"model: {KIRSCHNER_PANETTA_1998}; checkpoint, vaccine and cohort: course assumptions.")
    return fig


def set_patient_data(fig, *, t, treated, untreated, on) -> None:
    """Write one patient (log10 cells at days ``t``; ``on`` marks treatment) into :func:`patient_figure`."""
    k = PATIENT_EVERY
    days = rounded(np.asarray(t)[::k])
    assign_changed(fig, P_UNTREATED, x=days, y=rounded(np.maximum(np.asarray(untreated)[::k], PATIENT_FLOOR)))
    assign_changed(fig, P_TREATED, x=days, y=rounded(np.maximum(np.asarray(treated)[::k], PATIENT_FLOOR)))
    on = np.asarray(on, dtype=bool)[::k]
    bar = [PATIENT_COURSE_BAR if o else None for o in on]
    assign_changed(fig, P_COURSES, x=list(days), y=bar)
