"""Lesson 03, cytokine therapy: serum IL-2 under two schedules, and what the trials of IL-2 and IFN-α reported.

Two builders, each with a companion ``set_*`` function that writes new data into an
existing figure (the explainer's ``go.Figure``), so the builder
and the explainer's redraw share one code path:

* :func:`il2_dosing_figure` / :func:`set_il2_data`: serum IL-2 against time on a log
  axis, with the IL-2 receptors' dissociation constants as reference lines;
* :func:`trials_figure` / :func:`set_trials_data`: published results of one therapy
  (rates, medians, hazard ratios), every number read from ``cytokine_trials.csv``.
"""

from __future__ import annotations

import math
import re
import textwrap
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from course.figures.theme import GREY, OKABE_ITO, add_source, make_template, new_figure, rounded, set_description
from course.models import il2_pk as pk

# ======================================================================================
# IL-2 dosing
# ======================================================================================

IL2_T_END_H = 72.0
# Fixed log10 range of the concentration axis (IU/mL): 0.01 to ~31,600 IU/mL holds the highest
# peak the explainer can draw (720,000 IU/kg every 4 h, ~13,000 IU/mL) and the receptor lines.
IL2_Y_LOG10_RANGE = (-2.0, 4.5)
PM_PER_IU_PER_ML = float(pk.iu_per_ml_to_pm(1.0))
KD_INTERMEDIATE_IU_PER_ML = float(pk.pm_to_iu_per_ml(pk.KD_INTERMEDIATE_AFFINITY_PM))
KD_HIGH_IU_PER_ML = tuple(float(pk.pm_to_iu_per_ml(k)) for k in pk.KD_HIGH_AFFINITY_PM)

BLANK = "\u00a0"
IL2_SOURCE = (
    "model: Konrad MW et al. (1990) Cancer Res 50:2009, PMID 2317789;<br>"
    "doses: Proleukin (aldesleukin) US label; Kd: Leuk Res (1990) 14:699, doi:10.1016/0145-2126(90)90097-s;<br>"
    "receptors by cell type: Trotta E et al. (2018) Nat Med 24:1005, doi:10.1038/s41591-018-0070-2;<br>"
    "infusion length and toxicity: J Clin Oncol (1988) 6:669, doi:10.1200/JCO.1988.6.4.669.")

_CHOSEN_WIDTH, _OTHER_WIDTH = 3.0, 1.5
_WINDOW_LABEL = "readout window"
# Trace indices of il2_dosing_figure.
IL2_WINDOW, IL2_BOLUS, IL2_CONTINUOUS, IL2_KD, IL2_BAND_LOW, IL2_BAND_HIGH, IL2_WINDOW_LABEL = range(7)


def il2_curve_styles(continuous_selected: bool) -> tuple[dict, dict]:
    """Line styles (bolus, continuous): the chosen schedule in colour, the other thin, grey and dashed."""
    chosen_bolus = dict(color=OKABE_ITO["blue"], width=_CHOSEN_WIDTH, dash="solid")
    chosen_cont = dict(color=OKABE_ITO["orange"], width=_CHOSEN_WIDTH, dash="solid")
    other = dict(color=GREY, width=_OTHER_WIDTH, dash="dash")
    return (other, chosen_cont) if continuous_selected else (chosen_bolus, other)


def _fmt_dose(x: float) -> str:
    return f"{x:,.0f}"


def il2_description(weight_kg: float, height_cm: float) -> str:
    lo, hi = pk.KD_HIGH_AFFINITY_PM
    return (
        f"Serum interleukin-2 (IL-2) over the first {IL2_T_END_H:g} hours of treatment, on a logarithmic vertical "
        "axis (left: international units per mL; right: the same scale in picomolar). One curve shows 15-minute "
        "intravenous infusions repeated at the chosen interval (the label's high dose is "
        f"{_fmt_dose(pk.HD_DOSE_IU_PER_KG)} IU/kg every {pk.HD_INTERVAL_H:g} hours): it spikes after each dose and "
        f"falls within hours (half-lives {pk.KONRAD_T_HALF_ALPHA_MIN:g} and {pk.KONRAD_T_HALF_BETA_MIN:g} minutes). "
        "The other shows the same daily dose given as a constant infusion, which levels off at a steady "
        "concentration. The chosen schedule is drawn in colour, the other as a thin dashed grey line. Both come "
        "from a linear two-compartment model built on Konrad et al. (1990), for an illustrative patient of "
        f"{weight_kg:g} kg and {height_cm:g} cm. The dotted horizontal line marks the dissociation constant "
        f"(Kd, about {pk.KD_INTERMEDIATE_AFFINITY_PM / 1000:g} nM) of the intermediate-affinity receptor IL-2Rβγ, "
        "found mostly on antigen-experienced CD8 T cells and natural killer cells, the killers high-dose IL-2 is "
        f"meant to drive; the shaded band marks the high-affinity receptor IL-2Rαβγ (Kd {lo:g}–{hi:g} pM), which "
        "regulatory T cells express at high levels (as do recently activated effector T cells) (Trotta et al. "
        "2018). Above a receptor's Kd most of those receptors are occupied. A light grey column marks the last "
        "full dosing interval, the window the readout summarises. No published serum IL-2 concentration that "
        "marks the onset of toxicity was found, so none is drawn; in one comparison at the same daily dose, a "
        "continuous 24-hour infusion caused more fluid retention, weight gain and azotaemia than 2-hour or "
        "15-minute infusions (J Clin Oncol 1988), so a lower peak alone does not mean less toxicity.")


def il2_dosing_figure(t_h, bolus_iu_per_ml, continuous_iu_per_ml, *, continuous_selected: bool,
                      window_h: tuple[float, float], weight_kg: float, height_cm: float) -> go.Figure:
    """Serum IL-2 (IU/mL, log) vs time for 15-min infusions and a continuous infusion of the same daily dose.

    Traces: 0 the readout window; 1 bolus curve, 2 continuous curve (both on ``y``, IU/mL); 3
    intermediate-affinity Kd; 4–5 the high-affinity Kd band (on ``y2``, pM, aligned with ``y``); 6 the
    window's label; then the legend entries.
    """
    lo, hi = IL2_Y_LOG10_RANGE
    shift = math.log10(PM_PER_IU_PER_ML)
    fig = new_figure(
        "Serum IL-2: 15-minute infusions vs continuous infusion of the same daily dose",
        il2_description(weight_kg, height_cm), height=560,
        # traceorder: a filled trace (the Kd band) would otherwise make plotly.js list the legend reversed
        legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom", traceorder="normal"),
        margin=dict(l=80, r=90, t=150),
        xaxis=dict(title=dict(text="time since the first dose (hours)"), range=[0, IL2_T_END_H], dtick=12),
        yaxis=dict(title=dict(text="serum IL-2 (IU/mL, log scale)"), type="log", range=[lo, hi], dtick=1),
        yaxis2=dict(title=dict(text="serum IL-2 (pM, log scale)"), type="log", range=[lo + shift, hi + shift],
                    dtick=1, overlaying="y", side="right", showgrid=False, showline=True, ticks="outside"),
    )
    fig.update_layout(title_y=0.985, title_yanchor="top")  # above the legend's band, not on it
    # The readout window is a filled scatter trace under the curves and its label a text trace, not a
    # layout shape and annotation: a shape that moves makes plotly.js recompute the whole figure.
    fig.add_trace(go.Scatter(name=_WINDOW_LABEL, mode="lines", fill="toself", fillcolor="rgba(153,153,153,0.15)",
                             line=dict(width=0), showlegend=False, hoverinfo="skip"))
    # The curves restyle when the schedule changes; their legend entries (added last) do not, so the
    # browser can redraw a change of schedule without its legend (live_figure.py's animated path).
    fig.add_trace(go.Scatter(name="15-min infusion per dose (bolus)", mode="lines", showlegend=False,
                             hovertemplate="%{x:.2f} h: %{y:.3g} IU/mL<extra>15-min infusions</extra>"))
    fig.add_trace(go.Scatter(name="continuous infusion, same daily dose", mode="lines", showlegend=False,
                             hovertemplate="%{x:.2f} h: %{y:.3g} IU/mL<extra>continuous</extra>"))
    kd_colour, band_colour = OKABE_ITO["black"], OKABE_ITO["reddish_purple"]
    ends = [0.0, IL2_T_END_H]
    fig.add_trace(go.Scatter(x=ends, y=[pk.KD_INTERMEDIATE_AFFINITY_PM] * 2, yaxis="y2", mode="lines",
                             name="intermediate-affinity IL-2Rβγ Kd", showlegend=False, hoverinfo="skip",
                             line=dict(color=kd_colour, dash="dot", width=2)))
    band_lo, band_hi = pk.KD_HIGH_AFFINITY_PM
    fig.add_trace(go.Scatter(x=ends, y=[band_lo] * 2, yaxis="y2", mode="lines", showlegend=False,
                             hoverinfo="skip", line=dict(width=0, color=band_colour), name="high-affinity Kd (low)"))
    fig.add_trace(go.Scatter(x=ends, y=[band_hi] * 2, yaxis="y2", mode="lines", fill="tonexty", showlegend=False,
                             hoverinfo="skip", fillcolor="rgba(204,121,167,0.18)",
                             line=dict(width=0, color=band_colour), name="high-affinity IL-2Rαβγ Kd"))
    # Labels just under their lines, on a half-transparent ground so crossing curves stay visible.
    label = dict(x=1.0, xref="x", xanchor="left", yanchor="top", yref="y2", yshift=-2, showarrow=False,
                 bgcolor="rgba(255,255,255,0.6)")
    fig.add_annotation(y=math.log10(pk.KD_INTERMEDIATE_AFFINITY_PM), font=dict(size=12, color=kd_colour), **label,
                       text=(f"intermediate-affinity IL-2Rβγ Kd ≈ {pk.KD_INTERMEDIATE_AFFINITY_PM / 1000:g} nM "
                             f"(≈ {KD_INTERMEDIATE_IU_PER_ML:.0f} IU/mL): NK and CD8 T cells"))
    fig.add_annotation(y=math.log10(band_hi), font=dict(size=12, color="#8A3A6E"), **label,
                       text=(f"high-affinity IL-2Rαβγ Kd {band_lo:g}–{band_hi:g} pM "
                             f"({KD_HIGH_IU_PER_ML[0]:.1f}–{KD_HIGH_IU_PER_ML[1]:.0f} IU/mL): regulatory T cells"))
    fig.add_trace(go.Scatter(name=f"{_WINDOW_LABEL} (label)", mode="text", text=[_WINDOW_LABEL + " "],
                             textposition="bottom left", textfont=dict(size=11, color="#555555"), showlegend=False,
                             hoverinfo="skip"))
    bolus_style, _ = il2_curve_styles(False)
    other_style, continuous_style = il2_curve_styles(True)
    for rank, (name, style) in enumerate((("15-min infusion per dose (bolus), when chosen", bolus_style),
                                          ("continuous infusion, same daily dose, when chosen", continuous_style),
                                          ("the schedule not chosen, for comparison", other_style)), start=1):
        fig.add_trace(go.Scatter(x=[None], y=[None], name=name, mode="lines", line=style, legendrank=rank,
                                 hoverinfo="skip"))
    add_source(fig, IL2_SOURCE)
    set_il2_data(fig, t_h, bolus_iu_per_ml, continuous_iu_per_ml, continuous_selected=continuous_selected,
                 window_h=window_h)
    return fig


def set_il2_data(fig, t_h, bolus_iu_per_ml, continuous_iu_per_ml, *, continuous_selected: bool,
                 window_h: tuple[float, float]) -> None:
    """Write both curves, their styles and the readout window into ``fig`` (built by :func:`il2_dosing_figure`)."""
    # t = 0 (nothing infused yet, 0 IU/mL) has no place on a log axis: start at the first sample after it.
    keep = np.asarray(t_h) > 0
    t = rounded(np.asarray(t_h)[keep])
    bolus, continuous = fig.data[IL2_BOLUS], fig.data[IL2_CONTINUOUS]
    # Plain assignments, and styles and window only when they change: nested ``update`` calls cost
    # several milliseconds per redraw in plotly's property machinery.
    bolus.x = t
    bolus.y = rounded(np.asarray(bolus_iu_per_ml)[keep])
    continuous.x = t
    continuous.y = rounded(np.asarray(continuous_iu_per_ml)[keep])
    style_b, style_c = il2_curve_styles(continuous_selected)
    if bolus.line.width != style_b["width"]:
        bolus.line = style_b
        continuous.line = style_c
    x0, x1 = float(window_h[0]), float(window_h[1])
    window = fig.data[IL2_WINDOW]
    if window.x is None or (window.x[0], window.x[2]) != (x0, x1):
        bottom, top = (10 ** v for v in IL2_Y_LOG10_RANGE)
        window.x = [x0, x0, x1, x1, x0]
        window.y = [bottom, top, top, bottom, bottom]
        fig.data[IL2_WINDOW_LABEL].x = [x0]
        fig.data[IL2_WINDOW_LABEL].y = [top]


# ======================================================================================
# Published trial results
# ======================================================================================

RESPONSE_ENDPOINTS = ("objective response", "complete response", "partial response")
PERCENT_UNITS = ("%", "patients")
TIME_UNITS = ("months", "years")
HR_UNIT = "hazard ratio"
PANELS = ("pct", "time", "hr")
_LABEL_WIDTH = 34
_HOVER_WIDTH = 70
# Trace indices of trials_figure. Row labels and "nothing to show" messages are text traces and
# rows sit at numeric positions 0, 1, 2…: a redraw then only sets trace data, which plotly's
# plotly.js redraws faster when the layout stays the same (see explainers/live_figure.py).
(CR, PR, OTHER_PCT, ORR, ORR_CI, PCT_COMPARATOR, PCT_LABELS, PCT_EMPTY,
 TIME, TIME_COMPARATOR, TIME_LABELS, TIME_EMPTY,
 HR, HR_CI, HR_LABELS, HR_EMPTY) = range(16)
LABELS = {"pct": PCT_LABELS, "time": TIME_LABELS, "hr": HR_LABELS}
EMPTY = {"pct": PCT_EMPTY, "time": TIME_EMPTY, "hr": HR_EMPTY}
_SOURCE_NAME = "source"


@dataclass(frozen=True)
class Citation:
    """A source string of the CSV, shortened for labels, hover text and the source line."""

    label: str      # "Atkins 1999"
    short: str      # "Atkins et al. 1999"
    reference: str  # "Atkins MB et al. (1999) J Clin Oncol 17:2105-2116. doi:…"


_SOURCE_RE = re.compile(r"^(?P<authors>.+?)\s+\((?P<year>\d{4})\)\s+(?P<rest>.+)$")


def citation(source: str) -> Citation:
    """Split 'Authors (year) journal… doi/PMID' into a label, a short citation and a one-line reference."""
    m = _SOURCE_RE.match(source.strip())
    if m is None:
        raise ValueError(f"cannot read authors and year from source {source!r}")
    authors = [a.strip() for a in m["authors"].split(",") if a.strip()]
    first = authors[0]
    surname = first.split()[0]
    etal = " et al." if len(authors) > 1 else ""
    return Citation(label=f"{surname} {m['year']}", short=f"{surname}{etal} {m['year']}",
                    reference=f"{first}{etal} ({m['year']}) {m['rest']}")


def _wrap(text: str, width: int) -> str:
    return "<br>".join(textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False)) or text


def _num(x) -> str:
    return f"{float(x):g}"


def _unit_suffix(unit: str) -> str:
    return "%" if unit == "%" else ("" if unit == HR_UNIT else f" {unit}")


def _has_ci(row) -> bool:
    return not (pd.isna(row.ci_low) or pd.isna(row.ci_high))


def _ci_text(row) -> str:
    if not _has_ci(row):
        return ""
    return (f" ({_num(row.ci_level_percent)}% CI {_num(row.ci_low)}–{_num(row.ci_high)}"
            f"{_unit_suffix(row.unit)})")


def percent_of_patients(row) -> tuple[float, str]:
    """(value in % of patients, how the source states it): a count becomes a % of its stated denominator."""
    n = int(row.n_patients)
    if row.unit == "%":
        return float(row.value), f"{_num(row.value)}% of {n} patients"
    if row.unit == "patients":
        pct = 100.0 * float(row.value) / n
        return pct, f"{_num(row.value)} of {n} patients ({pct:.1f}%, computed here)"
    raise ValueError(f"{row.result_id}: unit {row.unit!r} is not a proportion of patients")


def panel_of(row) -> str:
    """Which panel a CSV row belongs in: 'response' (a stacked bar), 'pct', 'time' or 'hr'."""
    if row.unit in PERCENT_UNITS:
        return "response" if row.endpoint in RESPONSE_ENDPOINTS else "pct"
    if row.unit in TIME_UNITS:
        return "time"
    if row.unit == HR_UNIT:
        return "hr"
    raise ValueError(f"{row.result_id}: no panel for unit {row.unit!r}")


def _hover(row, cite: Citation, what: str) -> str:
    return (f"<b>{cite.short}</b>, {_wrap(row.trial, _HOVER_WIDTH)}<br>{what}<br>"
            f"“{_wrap(row.statement, _HOVER_WIDTH)}”")


@dataclass
class _Points:
    """One trace's data: positions, values and hover text (``None`` in x/y separates line segments)."""

    x: list = field(default_factory=list)
    y: list = field(default_factory=list)
    text: list = field(default_factory=list)

    def add(self, slot: int, value, text: str = "") -> None:
        self.x.append(float(value))
        self.y.append(slot)
        self.text.append(text)

    def segment(self, slot: int, low: float, high: float) -> None:
        self.x += [float(low), float(high), None]
        self.y += [slot, slot, None]


@dataclass
class TrialPanels:
    """Everything the trials figure draws for one set of CSV rows."""

    rows: dict = field(default_factory=lambda: {p: [] for p in PANELS})  # panel -> row labels, top first
    time_unit: str | None = None
    traces: dict = field(default_factory=dict)  # trace index -> _Points
    sources: list = field(default_factory=list)
    has_comparator: bool = False

    def empty_message(self, panel: str) -> str:
        if panel == "hr":
            why = "" if self.has_comparator else ":<br>none of these studies had a control arm"
            return f"no hazard ratio reported{why}"
        return {"pct": "no proportion of patients reported", "time": "no median reported"}[panel]


def trial_panels(rows: pd.DataFrame) -> TrialPanels:
    """Sort CSV rows into the three panels; the response rows of one source share one stacked bar."""
    out = TrialPanels(traces={i: _Points() for i in range(HR_EMPTY + 1)})
    response_slot: dict[str, int] = {}

    def new_row(panel: str, label: str) -> int:
        out.rows[panel].append(_wrap(label, _LABEL_WIDTH))
        return len(out.rows[panel]) - 1

    for row in rows.itertuples(index=False):
        cite = citation(row.source)
        if row.source not in out.sources:
            out.sources.append(row.source)
        if isinstance(row.comparator, str) and row.comparator.strip():
            out.has_comparator = True
        panel = panel_of(row)
        if panel == "response":
            if row.source not in response_slot:
                response_slot[row.source] = new_row("pct", f"{cite.label}: objective response (complete + partial)")
            slot = response_slot[row.source]
            pct, stated = percent_of_patients(row)
            if row.endpoint == "objective response":
                out.traces[ORR].add(slot, pct, _hover(row, cite, f"objective response: {stated}{_ci_text(row)}"))
                if _has_ci(row):
                    out.traces[ORR_CI].segment(slot, row.ci_low, row.ci_high)
            else:
                index = CR if row.endpoint == "complete response" else PR
                out.traces[index].add(slot, pct, _hover(row, cite, f"{row.endpoint}: {stated}"))
        elif panel == "pct":
            slot = new_row("pct", f"{cite.label}: {row.endpoint}")
            pct, stated = percent_of_patients(row)
            out.traces[OTHER_PCT].add(slot, pct, _hover(row, cite, f"{row.endpoint}: {stated}"))
            if not pd.isna(row.comparator_value):
                out.traces[PCT_COMPARATOR].add(slot, row.comparator_value, _hover(
                    row, cite, f"{row.comparator}: {_num(row.comparator_value)}{_unit_suffix(row.unit)}"))
        elif panel == "time":
            if out.time_unit not in (None, row.unit):
                raise ValueError(f"one therapy's medians must share a unit; got {out.time_unit!r} and {row.unit!r}")
            out.time_unit = row.unit
            slot = new_row("time", f"{cite.label}: {row.endpoint}")
            out.traces[TIME].add(slot, row.value, _hover(row, cite, f"{row.endpoint}: {_num(row.value)} {row.unit}"))
            if not pd.isna(row.comparator_value):
                out.traces[TIME_COMPARATOR].add(slot, row.comparator_value, _hover(
                    row, cite, f"{row.comparator}: {_num(row.comparator_value)} {row.unit}"))
        else:
            slot = new_row("hr", f"{cite.label}: {row.endpoint}")
            out.traces[HR].add(slot, row.value, _hover(
                row, cite, f"{row.endpoint}: {_num(row.value)}{_ci_text(row)} vs {row.comparator}"))
            if _has_ci(row):
                out.traces[HR_CI].segment(slot, row.ci_low, row.ci_high)
    return out


def _nice_ceiling(x: float, headroom: float = 1.1) -> float:
    """A round axis end above ``x`` plus headroom: a multiple of half its power of ten (64.9 → 65, 4.18 → 4.5)."""
    target = x * headroom
    step = 10.0 ** math.floor(math.log10(target)) / 2
    return float(math.ceil(target / step) * step)


@dataclass(frozen=True)
class TrialScales:
    """Fixed axis ranges and panel sizes shared by every selection (no autorange on redraw)."""

    pct_max: float
    time_max: dict   # unit -> axis end
    hr_range: tuple
    slots: dict      # panel -> rows reserved (the most any selection needs)

    @classmethod
    def from_data(cls, data: pd.DataFrame, groups: list[pd.DataFrame]) -> "TrialScales":
        pct_values, time_max, hr_values = [], {}, [1.0]
        for row in data.itertuples(index=False):
            panel = panel_of(row)
            if panel in ("response", "pct"):
                pct_values.append(percent_of_patients(row)[0])
                pct_values += [float(v) for v in (row.ci_high, row.comparator_value) if not pd.isna(v)]
            elif panel == "time":
                top = max(float(v) for v in (row.value, row.comparator_value) if not pd.isna(v))
                time_max[row.unit] = max(time_max.get(row.unit, 0.0), top)
            else:
                hr_values += [float(v) for v in (row.value, row.ci_low, row.ci_high) if not pd.isna(v)]
        panels = [trial_panels(g) for g in groups]
        slots = {p: max([1] + [len(x.rows[p]) for x in panels]) for p in PANELS}
        # hazard-ratio axis: a tenth beyond the data on both sides, always showing 1 (no difference)
        hr_range = (round(math.floor(10 * min(hr_values)) / 10 - 0.1, 1),
                    round(math.ceil(10 * max(hr_values)) / 10 + 0.1, 1))
        return cls(pct_max=_nice_ceiling(max(pct_values)), time_max={u: _nice_ceiling(v) for u, v in time_max.items()},
                   hr_range=hr_range, slots=slots)


TRIALS_TITLE = "Cytokine therapy in the clinic: what the trials reported"


def trials_description() -> str:
    return (
        "Published results of one cytokine therapy (high-dose interleukin-2 or adjuvant interferon-α, chosen "
        "above the figure), as each source reports them, in three panels stacked from top to bottom. Top, "
        "percent of patients: for each study a stacked bar splits the objective response rate into complete "
        "responses (dark blue) and partial responses (light blue), with a black diamond at the overall response "
        "rate and a black whisker for its confidence interval where the source gives one (at the level the "
        "source used); green bars show other proportions such as deaths from adverse events or responders still "
        "free of progression, and grey diamonds a comparison arm. Results given as patient counts are drawn as "
        "a percentage of the stated number of patients. Middle, medians: green bars for the treated arm (in "
        "months or years, as reported) and grey diamonds for the comparison arm. Bottom, hazard ratios against a "
        "control arm with their confidence intervals; the dotted vertical line at 1 means no difference, and "
        "values below 1 favour the therapy. A panel with nothing to show says why (single-arm studies, for "
        "example, report no hazard ratio). Hovering over a bar or diamond quotes the source's own sentence; the "
        "sources, with DOI or PMID, are printed under the figure.")


def _source_text(panels: TrialPanels) -> str:
    return "<br>".join(citation(s).reference for s in panels.sources)


def trials_figure(panels: TrialPanels, scales: TrialScales) -> go.Figure:
    """Three stacked panels (percent of patients, medians, hazard ratios) for one therapy's results."""
    slots = [scales.slots[p] for p in PANELS]
    fig = make_subplots(rows=3, cols=1, row_heights=[s / sum(slots) for s in slots], vertical_spacing=0.15,
                        subplot_titles=("Percent of patients",
                                        "Medians: treated arm (bars) vs comparison arm (grey)",
                                        "Hazard ratio vs control (below 1 favours the therapy)"))
    fig.update_layout(template=make_template(), height=900, barmode="stack", bargap=0.35, hovermode="closest",
                      title=dict(text=TRIALS_TITLE, y=0.99, yanchor="top"), margin=dict(l=270, r=40, t=190),
                      legend=dict(orientation="h", x=0, y=1.035, yanchor="bottom", font=dict(size=12)))
    set_description(fig, trials_description())
    hover = "%{hovertext}<extra></extra>"
    arm, black, red = OKABE_ITO["bluish_green"], OKABE_ITO["black"], OKABE_ITO["vermillion"]
    comparator = dict(symbol="diamond", size=12, color=GREY, line=dict(color="white", width=1))
    caps = dict(symbol="line-ns", size=10, line=dict(width=2))

    def labels():
        return go.Scatter(mode="text", textposition="middle left", cliponaxis=False, showlegend=False,
                          hoverinfo="skip", textfont=dict(size=12, color="#222222"), name="row labels")

    def message():
        return go.Scatter(mode="text", textposition="middle center", showlegend=False, hoverinfo="skip",
                          textfont=dict(size=13, color="#555555"), name="nothing to show")

    add = fig.add_trace
    add(go.Bar(orientation="h", name="complete response", marker_color=OKABE_ITO["blue"], hovertemplate=hover), 1, 1)
    add(go.Bar(orientation="h", name="partial response", marker_color=OKABE_ITO["sky_blue"], hovertemplate=hover),
        1, 1)
    add(go.Bar(orientation="h", name="treated arm or single-arm result", marker_color=arm, legendgroup="arm",
               hovertemplate=hover), 1, 1)
    add(go.Scatter(mode="markers", name="objective response rate (whisker: confidence interval)",
                   marker=dict(symbol="diamond", size=11, color=black), hovertemplate=hover), 1, 1)
    add(go.Scatter(mode="lines+markers", name="confidence interval", showlegend=False, hoverinfo="skip",
                   line=dict(color=black, width=2), marker=dict(color=black, **caps)), 1, 1)
    add(go.Scatter(mode="markers", name="comparison arm (observation or control)", legendgroup="comparator",
                   marker=comparator, hovertemplate=hover), 1, 1)
    add(labels(), 1, 1)
    add(message(), 1, 1)
    add(go.Bar(orientation="h", name="treated arm", marker_color=arm, legendgroup="arm", showlegend=False,
               hovertemplate=hover), 2, 1)
    add(go.Scatter(mode="markers", name="comparison arm", legendgroup="comparator", showlegend=False,
                   marker=comparator, hovertemplate=hover), 2, 1)
    add(labels(), 2, 1)
    add(message(), 2, 1)
    add(go.Scatter(mode="markers", name="hazard ratio (whisker: confidence interval)",
                   marker=dict(symbol="circle", size=11, color=red), hovertemplate=hover), 3, 1)
    add(go.Scatter(mode="lines+markers", name="confidence interval", showlegend=False, hoverinfo="skip",
                   line=dict(color=red, width=2), marker=dict(color=red, **caps)), 3, 1)
    add(labels(), 3, 1)
    add(message(), 3, 1)
    for r, n in zip((1, 2, 3), slots):
        # rows 0, 1, 2… from the top; the range is fixed to the largest selection so bars keep their size
        fig.update_yaxes(range=[n - 0.5, -0.5], showticklabels=False, ticks="", showgrid=False, zeroline=False,
                         row=r, col=1)
    fig.update_xaxes(title_text="% of patients", range=[0, scales.pct_max], row=1, col=1)
    fig.update_xaxes(title_text="median", range=[0, 1], row=2, col=1)
    fig.update_xaxes(title_text="hazard ratio (no unit; whisker: confidence interval)", range=list(scales.hr_range),
                     row=3, col=1)
    fig.add_vline(x=1.0, line=dict(color=GREY, dash="dot"), row=3, col=1)
    add_source(fig, _source_text(panels))
    fig.layout.annotations[-1].name = _SOURCE_NAME
    fig.update_layout(margin=dict(b=150))
    set_trials_data(fig, panels, scales)
    return fig


def _label_x(scales: TrialScales, panel: str) -> float:
    """Row labels end at the panel's axis line (drawn outside the plot area: cliponaxis=False)."""
    return scales.hr_range[0] if panel == "hr" else 0.0


_GAP = "\u00a0\u00a0"  # no-break spaces keep labels off the axis line (plain spaces would be collapsed)


def _spaced(label: str) -> str:
    return label.replace("<br>", _GAP + "<br>") + _GAP if label else ""


def _axis_middle(scales: TrialScales, panel: str, unit: str | None) -> float:
    if panel == "hr":
        return sum(scales.hr_range) / 2
    end = scales.pct_max if panel == "pct" else (scales.time_max[unit] if unit else 1.0)
    return end / 2


def set_trials_data(fig, panels: TrialPanels, scales: TrialScales) -> None:
    """Write one selection's results into a figure built by :func:`trials_figure`.

    Plain assignments (no nested ``update``), and only of what differs from the selection drawn
    last (remembered on the figure): each property set costs a fraction of a millisecond of
    plotly's validation, and an unchanged layout lets the browser take its faster redraw.
    """
    last = getattr(fig, "_course_trials_drawn", {})
    drawn: dict = {}
    data = fig.data
    unit = panels.time_unit

    def put(index: int, x, y, text, prop: str = "hovertext") -> None:
        key = (tuple(x), tuple(y), tuple(text))
        drawn[index] = key
        if last.get(index) == key:
            return
        trace = data[index]
        gaps = any(v is None for v in x)
        trace.x = list(x) if gaps else np.asarray(x, dtype=float)
        trace.y = list(y) if gaps else np.asarray(y, dtype=float)
        if prop:
            setattr(trace, prop, list(text))

    def put_text(index: int, x, y, text) -> None:
        where = (tuple(x), tuple(y))
        drawn[index] = (where, tuple(text))
        previous = last.get(index)
        if previous is None or previous[0] != where:
            data[index].x, data[index].y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        if previous is None or previous[1] != tuple(text):
            data[index].text = list(text)

    for index, points in panels.traces.items():
        if index in (ORR_CI, HR_CI):
            put(index, points.x, points.y, (), prop="")
        elif index not in LABELS.values() and index not in EMPTY.values():
            put(index, points.x, points.y, points.text)
    for panel in PANELS:
        # Label and message traces keep fixed positions (one per reserved row, one mid-panel); only
        # their text changes, "" where there is nothing to write.
        rows = panels.rows[panel]
        # A no-break space, not "": plotly.js draws no text node for an empty label and a later
        # restyle that fills it in was not drawn in JupyterLab (browser suite screenshot).
        labels = [_spaced(r) for r in rows] + [BLANK] * (scales.slots[panel] - len(rows))
        put_text(LABELS[panel], [_label_x(scales, panel)] * len(labels), range(len(labels)), labels)
        put_text(EMPTY[panel], [_axis_middle(scales, panel, unit)], [(scales.slots[panel] - 1) / 2],
                 [BLANK if rows else panels.empty_message(panel)])
    drawn["unit"] = unit
    if last.get("unit", "not drawn") != unit:
        xaxis2 = fig.layout.xaxis2
        xaxis2.title.text = f"median ({unit})" if unit else "median"
        xaxis2.range = [0, scales.time_max[unit]] if unit else [0, 1]
    drawn["sources"] = tuple(panels.sources)
    if last.get("sources") != drawn["sources"]:
        for annotation in fig.layout.annotations:
            if annotation.name == _SOURCE_NAME:
                annotation.text = "Source: " + _source_text(panels)
    fig._course_trials_drawn = drawn
