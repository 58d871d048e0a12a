"""Lesson 04 figures: survival with a cured fraction against the trials' landmarks, and trial results by regimen."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from course.figures.theme import GREY, OKABE_ITO, add_source, new_figure, rounded, wrap_source
from course.models.survival import CureModel

MONTHS = np.linspace(0.0, 96.0, 193)  # eight years: the longest landmark in the data is 7 years
DRUGS = ("nivolumab", "ipilimumab", "pembrolizumab", "gp100")


def survival_figure(model: CureModel, points: pd.DataFrame, fitted: CureModel | None) -> go.Figure:
    """A cure-model curve set by the student, the best fit, and one trial arm's published points."""
    fig = new_figure(
        "Survival with a cured fraction",
        "Fraction of patients alive against months since the start of treatment. The blue curve is a mixture cure "
        "model whose plateau and median the student sets; the dashed grey curve is the cure model that best fits "
        "the selected trial arm's published points, which are drawn as diamonds (landmark survival rates and the "
        "median, with confidence intervals where the source gives them). A plateau means that some patients stay "
        "alive for years; the median alone does not show it.",
        height=520, hovermode="closest", legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"),
        margin=dict(t=110),
    )
    fig.add_trace(go.Scatter(x=rounded(MONTHS), y=[], mode="lines", name="your cure model",
                             line=dict(color=OKABE_ITO["blue"], width=3)))
    fig.add_trace(go.Scatter(x=rounded(MONTHS), y=[], mode="lines", name="best fit to the published points",
                             line=dict(color=GREY, width=2, dash="dash")))
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="published (median or landmark)",
                             marker=dict(symbol="diamond", size=12, color=OKABE_ITO["vermillion"]),
                             error_y=dict(type="data", symmetric=False, array=[], arrayminus=[], color=GREY),
                             hovertemplate="%{hovertext}<extra></extra>"))
    fig.add_trace(go.Scatter(x=rounded(MONTHS), y=[], mode="lines", name="plateau", hoverinfo="skip",
                             line=dict(color=OKABE_ITO["blue"], width=1, dash="dot"), showlegend=False))
    fig.update_xaxes(title_text="months since start of treatment", range=[0, MONTHS[-1]], dtick=12)
    fig.update_yaxes(title_text="alive (%)", range=[0, 101])
    add_source(fig, "")
    set_survival(fig, model, points, fitted)
    return fig


def set_survival(fig, model: CureModel, points: pd.DataFrame, fitted: CureModel | None) -> None:
    fig.data[0].y = rounded(100 * model.survival(MONTHS))
    fig.data[3].y = rounded(np.full(MONTHS.shape, 100 * model.plateau))
    fig.data[1].y = rounded(100 * fitted.survival(MONTHS)) if fitted is not None else []
    marks = fig.data[2]
    marks.x = rounded(points["time_months"])
    marks.y = rounded(points["survival_percent"])
    high = points["ci_high"].where(points["measure"] != "median")
    low = points["ci_low"].where(points["measure"] != "median")
    marks.error_y.array = rounded((high - points["survival_percent"]).fillna(0.0))
    marks.error_y.arrayminus = rounded((points["survival_percent"] - low).fillna(0.0))
    marks.hovertext = list(points["statement"])
    sources = list(dict.fromkeys(_short_source(s) for s in points["source"]))
    fig.layout.annotations[-1].text = wrap_source("Source: " + "<br>".join(sources))


def _short_source(source: str) -> str:
    """Authors' first name, year, journal and DOI: enough to find the paper, short enough for a figure."""
    first = source.split(",")[0]
    year = re.search(r"\((\d{4})\)", source)
    doi = re.search(r"doi:\s*\S+?(?=[;\s]|$)", source) or re.search(r"PMID:?\s*\d+", source)
    journal = source.split(")", 1)[1].split(".")[0].strip() if year else ""
    return f"{first} et al. ({year.group(1) if year else ''}) {journal}. {doi.group(0) if doi else ''}".strip()


def short_regimen(regimen: str) -> str:
    """'nivolumab 1 mg/kg + ipilimumab 3 mg/kg …' → 'nivolumab + ipilimumab'."""
    found = sorted((regimen.find(d), d) for d in DRUGS if d in regimen)
    return " + ".join(d for _, d in found) or regimen.split(",")[0]


def evidence_figure(rows: pd.DataFrame, measure_label: str) -> go.Figure:
    """One bar per trial arm for the selected measure; grey diamonds for the comparator arm where reported."""
    fig = new_figure(
        "Checkpoint inhibitors in the pivotal trials",
        "Horizontal bars: one published result per treated arm of the pivotal trials of checkpoint inhibitors in "
        "melanoma, non-small-cell lung cancer and urothelial cancer, for the selected measure (response rate, "
        "landmark overall survival, median overall survival or severe treatment-related adverse events). Grey "
        "diamonds: the comparison arm where the source reports it. Each bar's label names the trial, and hovering "
        "shows the source's own statement.",
        height=560, hovermode="closest", showlegend=False, margin=dict(l=330, t=80),
    )
    fig.add_trace(go.Bar(orientation="h", x=[], y=[], name="treated arm", marker_color=OKABE_ITO["blue"],
                         hovertemplate="%{hovertext}<extra></extra>", text=[], textposition="outside",
                         cliponaxis=False))
    fig.add_trace(go.Scatter(mode="markers", x=[], y=[], name="comparison arm", hovertemplate="%{hovertext}<extra></extra>",
                             marker=dict(symbol="diamond", size=12, color=GREY, line=dict(color="white", width=1))))
    fig.update_yaxes(autorange="reversed", showgrid=False, ticks="")
    add_source(fig, "")
    set_evidence(fig, rows, measure_label)
    return fig


def set_evidence(fig, rows: pd.DataFrame, measure_label: str) -> None:
    labels = [f"{short_regimen(r.regimen)}<br><span style='font-size:11px'>{getattr(r, 'trial_name', r.trial)}, "
              f"{r.cancer}{', ' + str(int(r.timepoint_months)) + ' mo' if pd.notna(r.timepoint_months) else ''}"
              f"</span>" for r in rows.itertuples()]
    y = list(range(len(rows)))
    bars, comp = fig.data[0], fig.data[1]
    bars.x, bars.y = rounded(rows["value"]), y
    bars.text = [f"{v:g}" for v in rows["value"]]
    bars.hovertext = list(rows["statement"])
    has = rows["comparator_value"].notna()
    comp.x = rounded(rows["comparator_value"][has])
    comp.y = [i for i, h in zip(y, has) if h]
    comp.hovertext = [f"{c}: {v:g}" for c, v in zip(rows["comparator"][has], rows["comparator_value"][has])]
    fig.layout.yaxis.tickvals = y
    fig.layout.yaxis.ticktext = labels
    fig.layout.yaxis.range = [len(rows) - 0.5, -0.5]
    unit = rows["unit"].iloc[0] if len(rows) else ""
    top = float(np.nanmax(np.r_[rows["value"], rows["comparator_value"].fillna(0)])) if len(rows) else 1.0
    fig.layout.xaxis.title.text = f"{measure_label} ({unit})"
    fig.layout.xaxis.range = [0, top * 1.15]
    sources = list(dict.fromkeys(_short_source(s) for s in rows["source"]))
    fig.layout.annotations[-1].text = wrap_source("Source: " + "<br>".join(sources))
    fig.layout.margin.b = 85 + 14 * (fig.layout.annotations[-1].text.count("<br>") + 1)
