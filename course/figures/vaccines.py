"""Cancer-vaccine figures (lesson 06): HPV vaccination and cervical cancer, antibody titres after a prime and a
boost, and the published results of preventive and therapeutic cancer vaccines.

Each builder has a companion ``set_*`` function that writes new trace data into an existing figure, so the
builder and an explainer's redraw share one code path:

* :func:`hpv_figure` / :func:`set_hpv_data`: cervical-cancer incidence by age in one birth cohort with and
  without vaccination (left), and the reduction of the lifetime risk against the age at vaccination (right), next
  to the national cohort studies' results by age at vaccination;
* :func:`prime_boost_figure` / :func:`set_prime_boost_data`: antibody titre (log axis) and modelled protection
  over five years after a priming series, with and without a booster;
* :func:`evidence_figure` / :func:`set_evidence_data`: one published number per row, with its interval, for one
  group of results (HPV trial efficacy by analysis population, hepatitis B and liver cancer, therapeutic vaccines).

Axis ranges are fixed where the model's scale allows; only the evidence figure changes its axis with the view.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from course.figures.theme import GREY, OKABE_ITO, add_source, assign_changed, new_figure, rounded, wrap_source
from course.models import hpv_cervical as hpv
from course.models import prime_boost as pb

# ======================================================================================
# Shared helpers
# ======================================================================================

_YEAR = re.compile(r"\((\d{4})\)")


def short_source(source: str) -> str:
    """'Lei J, Ploner A, … (2020) N Engl J Med 383:1340. doi:…' → 'Lei et al. (2020) N Engl J Med, doi:…'."""
    year = _YEAR.search(source)
    authors = source[:year.start()] if year else source
    first = authors.split(",")[0].split(";")[0].strip()
    who = first if "Group" in first else f"{first.split()[0]} et al."
    journal = ""
    if year:
        journal = re.split(r"\s\d|\.\s|;", source[year.end():].strip(), maxsplit=1)[0].rstrip(".").strip()
    ident = re.search(r"doi:\s*\S+?(?=[;\s]|$)", source) or re.search(r"PMID:?\s*\d+", source)
    parts = [f"{who} ({year.group(1)}) {journal}".strip() if year else who]
    if ident:
        parts.append(ident.group(0).replace("doi: ", "doi:").rstrip("."))
    return ", ".join(parts)


def _band_text(lo, hi) -> str:
    if pd.notna(lo) and pd.notna(hi):
        return f"{int(lo)}-{int(hi)} years"
    if pd.notna(hi):
        return f"{int(hi)} years or younger"
    return f"{int(lo)} years or older"


# ======================================================================================
# 1. HPV vaccination and cervical cancer
# ======================================================================================

HPV_MODEL_SOURCE = (
    "model: course.models.hpv_cervical (infection: Insinga et al. (2007) doi:10.1158/1055-9965.EPI-06-0846; "
    "clearance: Rodríguez et al. (2008) doi:10.1093/jnci/djn044; CIN2/3 to cancer: Vink et al. (2013) "
    "doi:10.1093/aje/kwt077; lifetime risk: Canfell et al. (2004) doi:10.1038/sj.bjc.6602002; efficacy: Herrero et "
    "al. (2011) doi:10.1158/2159-8290.CD-11-0131)")
#: Colours of the national cohort studies in the right panel.
COHORT_COLOURS = {"Sweden": OKABE_ITO["blue"], "England": OKABE_ITO["vermillion"], "Denmark": OKABE_ITO["bluish_green"]}
HPV_REDUCTION_RANGE = (-85.0, 100.0)
# Trace indices of hpv_figure.
HPV_REF, HPV_VAC, HPV_CURVE_80, HPV_CURVE_30, HPV_MARKER, HPV_COHORTS = range(6)


def cohort_results(table: pd.DataFrame) -> pd.DataFrame:
    """Cervical-cancer results by age at vaccination from the national cohorts, on one scale.

    Rows of ``hpv_vaccine_impact`` with an incidence rate ratio or a relative reduction for one age band (the
    results for all ages together are left out). ``protection`` is the relative reduction as reported, or
    1 − IRR, in %; ``protection_low``/``high`` its interval on the same scale; ``x`` the middle of the age band
    (or its only given end).
    """
    rows = table[(table["study_type"] == "cohort") & (table["outcome"] == "invasive cervical cancer")
                 & table["measure"].isin(["incidence rate ratio", "relative reduction %"])
                 & ~table["group"].str.contains("any age")].copy()
    irr = rows["measure"] == "incidence rate ratio"
    rows["protection"] = np.where(irr, 100.0 * (1.0 - rows["value"]), rows["value"])
    rows["protection_low"] = np.where(irr, 100.0 * (1.0 - rows["ci_high"]), rows["ci_low"])
    rows["protection_high"] = np.where(irr, 100.0 * (1.0 - rows["ci_low"]), rows["ci_high"])
    lo = rows["age_at_vaccination_min"].astype(float)
    hi = rows["age_at_vaccination_max"].astype(float)
    rows["x"] = np.where(lo.notna() & hi.notna(), (lo + hi) / 2.0, np.where(hi.notna(), hi, lo))
    rows["half_width"] = np.where(lo.notna() & hi.notna(), (hi - lo) / 2.0, 0.0)
    rows["band"] = [_band_text(a, b) for a, b in zip(rows["age_at_vaccination_min"], rows["age_at_vaccination_max"])]

    def stated(r) -> str:
        ci = (f" ({r.ci_low:g}-{r.ci_high:g})" if pd.notna(r.ci_low) else " (no interval read)")
        head = "IRR" if r.measure == "incidence rate ratio" else "relative reduction"
        unit = "" if r.measure == "incidence rate ratio" else " %"
        return f"{head} {r.value:g}{unit}{ci}"

    rows["stated"] = [stated(r) for r in rows.itertuples()]
    return rows.reset_index(drop=True)


def hpv_description() -> str:
    return (
        "Left: new cervical cancers per 100,000 women per year, by age, in one birth cohort of girls followed from "
        "age 9 to 85 without screening, in a natural-history model of HPV16/18 infection, persistence, CIN2/3 "
        "(high-grade precancer) and invasive cancer built from published rates. The dashed grey curve is the "
        "cohort without vaccination; the blue curve is the same cohort when the chosen share of girls is "
        "vaccinated at the chosen age with the chosen efficacy. Cancers appear decades after infection, so the "
        "curves only separate from the late twenties on, and the 30 % of cancers caused by other HPV types remain. "
        "Right: how much of the risk is prevented (in %) against the age at vaccination: the solid curve counts "
        "cancers before age 80, the dashed curve cancers before 30, the ages the national cohort studies could "
        "follow. The dot is the chosen age. The coloured markers are the published results of the cohort studies "
        "(Sweden, England, Denmark) for cervical cancer by age at (first, or offered) vaccination: relative "
        "reductions as reported, incidence rate ratios (IRR) shown as 1 − IRR, with their 95 % intervals "
        "(vertical bars) and age bands (horizontal bars); hover for each study's own statement. The model has no "
        "screening, no herd protection and no cross-protection, so its curves are a teaching device, not a "
        "forecast.")


def hpv_figure(cohorts: pd.DataFrame, reference_incidence_per_100k, cohort_sources: list[str]) -> go.Figure:
    """Incidence by age (left) and reduction against age at vaccination (right), with the cohort results.

    Traces: 0 incidence without vaccination (fixed); 1 with vaccination; 2 reduction before 80 against age at
    vaccination; 3 reduction before 30; 4 the chosen age; 5 the cohort results, coloured by country (fixed).
    """
    fig = new_figure(
        "HPV vaccination and cervical cancer: one cohort over a lifetime, and the age at vaccination",
        hpv_description(), height=600, hovermode="closest",
        legend=dict(orientation="h", x=0, y=1.08, yanchor="bottom", traceorder="normal", font=dict(size=12)),
        margin=dict(l=75, r=30, t=150), title_y=0.985, title_yanchor="top")
    fig = make_subplots(rows=1, cols=2, column_widths=[0.52, 0.48], horizontal_spacing=0.11, figure=fig,
                        subplot_titles=("Cervical cancer incidence by age", "Risk prevented, by age at vaccination"))
    ages = rounded(hpv.AGES + 0.5)
    hover_i = "age %{x:.0f}: %{y:.3g} per 100,000 woman-years<extra>%{fullData.name}</extra>"
    fig.add_trace(go.Scatter(x=ages, y=rounded(reference_incidence_per_100k), mode="lines", name="no vaccination",
                             line=dict(color=GREY, width=2.5, dash="dash"), hovertemplate=hover_i), row=1, col=1)
    fig.add_trace(go.Scatter(x=ages, y=[], mode="lines", name="with vaccination (model)",
                             line=dict(color=OKABE_ITO["blue"], width=3), hovertemplate=hover_i), row=1, col=1)
    hover_r = "vaccinated at %{x:.1f} years: %{y:.3g} % prevented<extra>%{fullData.name}</extra>"
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="model: cancers before 80 prevented",
                             line=dict(color=OKABE_ITO["blue"], width=2.5), hovertemplate=hover_r), row=1, col=2)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="model: cancers before 30 prevented",
                             line=dict(color=OKABE_ITO["sky_blue"], width=2, dash="dash"), hovertemplate=hover_r),
                  row=1, col=2)
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="chosen age", showlegend=False, hovertemplate=hover_r,
                             marker=dict(color=OKABE_ITO["blue"], size=12, line=dict(color="white", width=1.5))),
                  row=1, col=2)
    rows = cohorts[cohorts["setting"].isin(list(COHORT_COLOURS))]
    fig.add_trace(go.Scatter(
        x=rounded(rows["x"]), y=rounded(rows["protection"]), mode="markers",
        name="cohort results, 95 % CI: " + ", ".join(f"<span style='color:{c}'>◆</span> {k}"
                                                     for k, c in COHORT_COLOURS.items()),
        marker=dict(symbol="diamond", size=11, color=[COHORT_COLOURS[k] for k in rows["setting"]],
                    line=dict(color="white", width=1)),
        error_y=dict(type="data", symmetric=False, color=GREY, thickness=1.5, width=3,
                     array=rounded((rows["protection_high"] - rows["protection"]).fillna(0.0)),
                     arrayminus=rounded((rows["protection"] - rows["protection_low"]).fillna(0.0))),
        error_x=dict(type="data", array=rounded(rows["half_width"]), color=GREY, thickness=1.5, width=0),
        hovertext=[f"{r.setting}, {r.band}: {r.stated}<br>{r.statement}<br>{short_source(r.source)}"
                   for r in rows.itertuples()],
        hovertemplate="%{hovertext}<extra></extra>"), row=1, col=2)
    top = float(np.max(reference_incidence_per_100k))
    fig.update_xaxes(title_text="age (years)", range=[hpv.AGE_START, hpv.AGE_END], dtick=10, row=1, col=1)
    fig.update_yaxes(title_text="new cervical cancers per 100,000 women per year", range=[0, round(1.1 * top, 1)],
                     row=1, col=1)
    fig.update_xaxes(title_text="age at vaccination (years)", range=[8.5, 31.0], dtick=2, row=1, col=2)
    fig.update_yaxes(title_text="cancers prevented (%)", range=list(HPV_REDUCTION_RANGE), dtick=20, row=1, col=2)
    fig.add_hline(y=0, line=dict(color="#444444", width=1), row=1, col=2)
    add_source(fig, f"{HPV_MODEL_SOURCE}; cohorts: " + "; ".join(cohort_sources) + ".")
    return fig


def set_hpv_data(fig, *, incidence_per_100k, vaccination_ages, reduction_80_percent, reduction_30_percent,
                 chosen_age: float, chosen_reduction_80_percent: float) -> None:
    """Write one coverage, age and efficacy into a figure built by :func:`hpv_figure`."""
    assign_changed(fig, HPV_VAC, y=rounded(incidence_per_100k))
    x = rounded(vaccination_ages)
    assign_changed(fig, HPV_CURVE_80, x=x, y=rounded(reduction_80_percent))
    assign_changed(fig, HPV_CURVE_30, x=x, y=rounded(reduction_30_percent))
    assign_changed(fig, HPV_MARKER, x=rounded([chosen_age]), y=rounded([chosen_reduction_80_percent]))


# ======================================================================================
# 2. Antibody titres after a prime and a boost
# ======================================================================================

WHITE_2015 = "White MT et al. (2015) Lancet Infect Dis 15:1450, doi:10.1016/S1473-3099(15)00239-X"
PRIME_BOOST_YEARS = 5.0
PRIME_BOOST_Y_LOG10_RANGE = (0.0, 3.5)     # 1 to ~3,200 EU/mL: twice the trial's peaks, down to the 5-year level
# Trace indices of prime_boost_figure.
PB_BOOSTED, PB_PRIME, PB_PROTECTIVE, PB_BOOST_MARK, PB_EFF_BOOSTED, PB_EFF_PRIME = range(6)


def prime_boost_description(params: pb.Params) -> str:
    a50 = pb.titre_for_efficacy(params, 0.5)
    return (
        "Top: antibody titre (ELISA units per mL, logarithmic axis) against years after a three-dose priming "
        "series, in the biphasic model of White et al. (2015), fitted to the anti-circumsporozoite antibodies of "
        "children given the RTS,S/AS01 malaria vaccine: a protein vaccine, used here as a published, general "
        "prime-boost antibody model (no cancer vaccine has such a fitted model in the course). Each dose starts "
        "a response at its peak that decays as the sum of a short-lived part (half-life about six weeks, antibody "
        "from short-lived plasma cells) and a long-lived part (half-life about a year and a half). The dashed grey "
        "curve is the priming series alone; the blue curve adds a booster at the chosen time and dose (relative "
        "to the trial's dose). The booster's response has a larger long-lived part, so it lasts longer. The dotted "
        f"line is the titre at which the model's protection against infection is 50 % ({a50:.0f} EU/mL). Bottom: "
        "that modelled protection against infection (%), with and without the booster. The peak is placed at the "
        "dose (the model does not describe the rise over the first weeks), and dose scales the peak in "
        "proportion: a course assumption, not part of the paper.")


def prime_boost_figure(params: pb.Params) -> go.Figure:
    """Titre (top, log) and protection (bottom) over five years.

    Traces: 0 titre with booster; 1 priming series alone; 2 the 50 %-protective titre (fixed); 3 the booster
    (titre just before and just after); 4 protection with booster; 5 protection without.
    """
    fig = new_figure(
        "Prime and boost: antibody titres over five years", prime_boost_description(params), height=650,
        hovermode="closest",
        legend=dict(orientation="h", x=0, y=1.03, yanchor="bottom", traceorder="normal", font=dict(size=12)),
        margin=dict(l=85, r=30, t=120), title_y=0.985, title_yanchor="top")
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.64, 0.36], vertical_spacing=0.08,
                        figure=fig)
    hover_t = "year %{x:.2f}: %{y:.3g} EU/mL<extra>%{fullData.name}</extra>"
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="prime + boost", hovertemplate=hover_t,
                             line=dict(color=OKABE_ITO["blue"], width=3)), row=1, col=1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="priming series only", hovertemplate=hover_t,
                             line=dict(color=GREY, width=2, dash="dash")), row=1, col=1)
    a50 = pb.titre_for_efficacy(params, 0.5)
    fig.add_trace(go.Scatter(x=[0.0, PRIME_BOOST_YEARS], y=rounded([a50, a50]), mode="lines", hoverinfo="skip",
                             name=f"titre for 50 % protection ({a50:.0f} EU/mL)",
                             line=dict(color=OKABE_ITO["black"], width=1.5, dash="dot")), row=1, col=1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers+lines", name="booster: just before and just after",
                             hovertemplate=hover_t, marker=dict(color=OKABE_ITO["vermillion"], size=9),
                             line=dict(color=OKABE_ITO["vermillion"], width=1, dash="dot")), row=1, col=1)
    hover_e = "year %{x:.2f}: %{y:.3g} % protected<extra>%{fullData.name}</extra>"
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="protection, prime + boost", showlegend=False,
                             hovertemplate=hover_e, line=dict(color=OKABE_ITO["blue"], width=2.5)), row=2, col=1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="protection, priming only", showlegend=False,
                             hovertemplate=hover_e, line=dict(color=GREY, width=2, dash="dash")), row=2, col=1)
    fig.update_xaxes(range=[0, PRIME_BOOST_YEARS], dtick=0.5, showticklabels=False, row=1, col=1)
    fig.update_xaxes(title_text="years after the priming series (third dose)", range=[0, PRIME_BOOST_YEARS],
                     dtick=0.5, row=2, col=1)
    fig.update_yaxes(title_text="antibody titre (EU/mL, log)", type="log", range=list(PRIME_BOOST_Y_LOG10_RANGE),
                     dtick=1, tickformat=",~g", row=1, col=1)
    fig.update_yaxes(title_text="protected (%)", range=[0, 100], dtick=25, row=2, col=1)
    add_source(fig, f"model and fitted values: {WHITE_2015}, as encoded in malariasimulation (mrc-ide, commit "
                    f"{pb.ENCODING_COMMIT[:7]}); dose scaling: course assumption.")
    return fig


def set_prime_boost_data(fig, *, t_days, titre, prime_only, efficacy_percent, prime_efficacy_percent,
                         boost_day: float | None, before: float | None, after: float | None) -> None:
    """Write one course into a figure built by :func:`prime_boost_figure`."""
    years = rounded(np.asarray(t_days, dtype=float) / pb.YEAR_DAYS)
    assign_changed(fig, PB_BOOSTED, x=years, y=rounded(np.maximum(titre, 1e-3)))
    assign_changed(fig, PB_PRIME, x=years, y=rounded(np.maximum(prime_only, 1e-3)))
    if boost_day is None or before is None or after is None:
        assign_changed(fig, PB_BOOST_MARK, x=[], y=[])
    else:
        yb = round(boost_day / pb.YEAR_DAYS, 6)
        assign_changed(fig, PB_BOOST_MARK, x=[yb, yb], y=rounded([max(before, 1e-3), max(after, 1e-3)]))
    assign_changed(fig, PB_EFF_BOOSTED, x=years, y=rounded(efficacy_percent))
    assign_changed(fig, PB_EFF_PRIME, x=years, y=rounded(prime_efficacy_percent))


# ======================================================================================
# 3. Published results, one row per number
# ======================================================================================

#: Colours by category (analysis population of an HPV trial, or the kind of row elsewhere).
CATEGORY_COLOURS = {
    "per-protocol": OKABE_ITO["blue"],
    "naive subset of intention-to-treat": OKABE_ITO["sky_blue"],
    "intention-to-treat": OKABE_ITO["vermillion"],
    "vaccine arm": OKABE_ITO["blue"],
    "comparator arm": GREY,
    "comparison": OKABE_ITO["reddish_purple"],
    "before the programme": GREY,
    "during the programme": OKABE_ITO["bluish_green"],
}


def evidence_description() -> str:
    return (
        "One published number per row, with its confidence interval where the source gives one (the whiskers), "
        "for the chosen group of results. HPV vaccine trials: vaccine efficacy against high-grade cervical lesions "
        "(CIN2+ or CIN3+), coloured by the population it was computed in: per-protocol (women who received every "
        "dose and had no infection with the vaccine types up to the end of vaccination; dark blue), the HPV-naive "
        "part of the vaccinated cohort (light blue), or intention-to-treat (every woman randomised, including "
        "those already infected; vermillion). Hepatitis B: liver-cancer incidence in Taiwanese children before "
        "and after universal infant vaccination began in July 1984. Therapeutic vaccines: results of the "
        "randomised trials of sipuleucel-T, talimogene laherparepvec (T-VEC), the mRNA neoantigen vaccine mRNA-4157 "
        "with pembrolizumab, and the neoantigen T-cell responses to autogene cevumeran, arm by arm (vaccine arm in "
        "blue, comparator in grey) or as a comparison between arms (hazard or odds ratios; a hazard ratio below 1 "
        "favours the vaccine, the dotted line marks 1). Every number is shown with its measure and time point as "
        "the source states it; hover over a bar for the source's own sentence.")


def evidence_figure() -> go.Figure:
    """Horizontal bars with intervals. Traces: 0 bars; 1 reference line (ratio = 1); 2 the values as stated."""
    fig = new_figure("What cancer vaccines achieved: published results", evidence_description(), height=600,
                     hovermode="closest", showlegend=False, margin=dict(l=430, t=80, r=40))
    fig.add_trace(go.Bar(orientation="h", x=[], y=[], marker_color=[],
                         hovertemplate="%{hovertext}<extra></extra>", name="published value",
                         error_x=dict(type="data", symmetric=False, array=[], arrayminus=[], color="#444444",
                                      thickness=1.5, width=4)))
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", hoverinfo="skip", name="no difference (ratio 1)",
                             line=dict(color=OKABE_ITO["black"], width=1.5, dash="dot")))
    fig.add_trace(go.Scatter(x=[], y=[], mode="text", text=[], textposition="middle right", hoverinfo="skip",
                             name="value as stated", cliponaxis=False, textfont=dict(size=12)))
    fig.update_yaxes(autorange=False, showgrid=False, ticks="", tickfont=dict(size=12))
    add_source(fig, "")
    return fig


def set_evidence_data(fig, rows: pd.DataFrame, *, axis_title: str, x_range: tuple[float, float],
                      reference: float | None) -> None:
    """Write one view's rows into a figure built by :func:`evidence_figure`.

    ``rows`` needs the columns ``label``, ``value``, ``ci_low``, ``ci_high``, ``category``, ``text``,
    ``statement`` and ``source``.
    """
    n = len(rows)
    y = list(range(n))
    # plain arrays: pandas arithmetic on these few rows cost more than the rest of the redraw
    value, low, high = (rows[k].to_numpy(dtype=float) for k in ("value", "ci_low", "ci_high"))
    bars = fig.data[0]
    bars.x = rounded(value)
    bars.y = y
    bars.marker.color = [CATEGORY_COLOURS.get(c, OKABE_ITO["blue"]) for c in rows["category"]]
    bars.hovertext = [f"{s}<br>{short_source(src)}" for s, src in zip(rows["statement"], rows["source"])]
    has = ~np.isnan(low) & ~np.isnan(high)
    bars.error_x.array = rounded(np.where(has, high - value, 0.0))
    bars.error_x.arrayminus = rounded(np.where(has, value - low, 0.0))
    labels = fig.data[2]
    labels.x = rounded(np.where(has, np.fmax(high, value), value))
    labels.y = y
    labels.text = [f" {t}" for t in rows["text"]]
    ref = fig.data[1]
    if reference is None:
        ref.x, ref.y = [], []
    else:
        ref.x, ref.y = [reference, reference], [-0.5, n - 0.5]
    fig.layout.yaxis.tickvals = y
    fig.layout.yaxis.ticktext = list(rows["label"])
    fig.layout.yaxis.range = [n - 0.5, -0.5]
    fig.layout.xaxis.title.text = axis_title
    fig.layout.xaxis.range = list(x_range)
    fig.layout.height = max(420, 150 + 46 * n)
    sources = list(dict.fromkeys(short_source(s) for s in rows["source"]))
    fig.layout.annotations[-1].text = wrap_source("Source: " + "; ".join(sources))
    fig.layout.margin.b = 85 + 14 * (fig.layout.annotations[-1].text.count("<br>") + 1)


def ratio_text(value: float, low, high, unit: str) -> str:
    """'0.78 (0.61-0.98)' or '25.8 months' — the number as the source states it."""
    unit_text = "" if unit in ("hazard ratio", "odds ratio", "patients") else (" %" if unit == "%" else f" {unit}")
    ci = f" ({low:g}-{high:g})" if pd.notna(low) and pd.notna(high) else ""
    return f"{value:g}{unit_text}{ci}"


# ======================================================================================
# 4. A therapeutic vaccine against a tumour (Kronik et al. 2010)
# ======================================================================================

KRONIK_2010 = "Kronik N et al. (2010) PLoS ONE 5:e15482, doi:10.1371/journal.pone.0015482"
TV_TUMOUR_LOG10_RANGE = (-1.0, 16.0)     # cells: below one cell (eliminated) up to the fastest tumour after 2 years
TV_IMMUNE_LOG10_RANGE = (0.0, 8.0)       # cells: CTLs and Tregs up to the largest dose with full blockade
TV_DOSE_LOG10_RANGE = (2.0, 9.0)         # vaccine cells per injection (the explainer's slider)
#: Colours of the scenarios in the threshold panel.
SCENARIO_COLOURS = (OKABE_ITO["bluish_green"], OKABE_ITO["orange"], OKABE_ITO["reddish_purple"])
# Trace indices of tumour_vaccine_figure.
TV_TUMOUR, TV_UNTREATED, TV_ONE_CELL, TV_INJECTIONS, TV_CTL, TV_TREG, TV_CHOSEN, TV_THRESHOLDS_START = range(8)


def tumour_vaccine_description(days: float) -> str:
    return (
        "Top left: tumour cells (logarithmic axis) over "
        f"{days:g} days of monthly vaccination (12 injections, then a year without) in the model of Kronik et al. "
        "(2010), built for a whole-cell vaccine against prostate cancer: vaccine cells are taken up by dendritic "
        "cells in the skin, which carry the antigen to the lymph node, present it and activate cytotoxic T cells "
        "(CTLs); later they turn regulatory and recruit regulatory T cells (Tregs), which switch CTLs off. CTLs "
        "kill tumour cells. The blue curve is the tumour under the chosen dose and blockade; the dashed grey curve "
        "is the same tumour without vaccine; the dotted line is one cell, below which the tumour counts as "
        "eliminated; the short marks on it are the injections. Bottom left: CTLs and Tregs (logarithmic axis): each "
        "injection gives a pulse of CTLs that fades within weeks. Right: the smallest dose per injection that "
        "stops the tumour from growing over the run (the control threshold) against the share of Treg "
        "suppression that a blocking treatment removes, for three scenarios: the encoded model, a fast-growing "
        "tumour, and a fast tumour with 100-times-stronger Treg suppression. The dot is the chosen dose and "
        "blockade: above the threshold curve of its scenario the vaccine controls the tumour. Blocking "
        "suppression only lowers the threshold where suppression is strong.")


def tumour_vaccine_figure(days: float, scenario_names, blockade_percent, thresholds) -> go.Figure:
    """Tumour and immune cells over time (left) and the control threshold against blockade (right).

    Traces: 0 tumour; 1 tumour without vaccine; 2 one cell (fixed); 3 injection days; 4 CTLs; 5 Tregs; 6 the chosen
    dose and blockade; 7… one threshold curve per scenario (fixed; ``thresholds[i]`` against ``blockade_percent``).
    """
    fig = new_figure(
        "A therapeutic vaccine against a tumour: dose, immunosuppression and blockade",
        tumour_vaccine_description(days), height=650, hovermode="closest",
        legend=dict(orientation="h", x=0, y=1.06, yanchor="bottom", traceorder="normal", font=dict(size=12)),
        margin=dict(l=80, r=30, t=150), title_y=0.985, title_yanchor="top")
    fig = make_subplots(rows=2, cols=2, column_widths=[0.56, 0.44], row_heights=[0.6, 0.4], horizontal_spacing=0.12,
                        vertical_spacing=0.12, specs=[[{}, {"rowspan": 2}], [{}, None]], figure=fig,
                        subplot_titles=("Tumour", "Control threshold", "T cells"))
    hover = "day %{x:.0f}: %{y:.3g} cells<extra>%{fullData.name}</extra>"
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="tumour, vaccinated", hovertemplate=hover,
                             line=dict(color=OKABE_ITO["blue"], width=3)), row=1, col=1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="tumour, no vaccine", hovertemplate=hover,
                             line=dict(color=GREY, width=2, dash="dash")), row=1, col=1)
    fig.add_trace(go.Scatter(x=[0.0, days], y=[1.0, 1.0], mode="lines", name="one cell (eliminated below)",
                             hoverinfo="skip", line=dict(color=OKABE_ITO["black"], width=1, dash="dot")), row=1, col=1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="injections",
                             hovertemplate="injection on day %{x:.0f}<extra></extra>",
                             marker=dict(symbol="line-ns-open", size=12, color=OKABE_ITO["vermillion"],
                                         line=dict(width=2))), row=1, col=1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="cytotoxic T cells (CTLs)", hovertemplate=hover,
                             line=dict(color=OKABE_ITO["bluish_green"], width=2)), row=2, col=1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="regulatory T cells (Tregs)", hovertemplate=hover,
                             line=dict(color=OKABE_ITO["reddish_purple"], width=2, dash="dash")), row=2, col=1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="chosen dose and blockade", showlegend=False,
                             hovertemplate="%{y:.3g} cells per injection, %{x:.0f} % blocked<extra></extra>",
                             marker=dict(color=OKABE_ITO["blue"], size=13, line=dict(color="white", width=1.5))),
                  row=1, col=2)
    for name, colour, th in zip(scenario_names, SCENARIO_COLOURS, thresholds):
        fig.add_trace(go.Scatter(x=rounded(blockade_percent), y=rounded(th), mode="lines+markers", name=name,
                                 showlegend=False, line=dict(color=colour, width=2.5), marker=dict(size=7),
                                 hovertemplate="%{x:.0f} % blocked: threshold %{y:.3g} cells per injection"
                                               f"<extra>{name}</extra>"), row=1, col=2)
        fig.add_annotation(x=float(blockade_percent[0]), y=math.log10(float(th[0])), xref="x2", yref="y2",
                           text=name.split(":")[0], showarrow=False, xanchor="left", yanchor="bottom",
                           font=dict(size=11, color=colour))
    fig.update_xaxes(range=[0, days], dtick=90, showticklabels=False, row=1, col=1)
    fig.update_xaxes(title_text="days since the first injection", range=[0, days], dtick=90, row=2, col=1)
    fig.update_yaxes(title_text="tumour (cells, log)", type="log", range=list(TV_TUMOUR_LOG10_RANGE), dtick=3,
                     tickformat=".0e", row=1, col=1)
    fig.update_yaxes(title_text="T cells (cells, log)", type="log", range=list(TV_IMMUNE_LOG10_RANGE), dtick=2,
                     tickformat=".0e", row=2, col=1)
    fig.update_xaxes(title_text="Treg suppression blocked (%)", range=[-5, 105], dtick=25, row=1, col=2)
    fig.update_yaxes(title_text="vaccine cells per injection (log)", type="log", range=list(TV_DOSE_LOG10_RANGE),
                     dtick=1, tickformat=".0e", row=1, col=2)
    add_source(fig, f"model: {KRONIK_2010}, equations and parameters from the BioModels encoding MODEL2001130003 "
                    "(time read as hours); schedule, blockade and scenarios: course additions (see "
                    "course.models.tumour_vaccine).")
    return fig


def set_tumour_vaccine_data(fig, *, days, tumour_log10, untreated_log10, injection_days, ctl, treg,
                            blockade_percent: float, dose: float) -> None:
    """Write one run into a figure built by :func:`tumour_vaccine_figure`."""
    d = rounded(days)
    lo, hi = TV_TUMOUR_LOG10_RANGE[0], TV_TUMOUR_LOG10_RANGE[1] + 1.0
    assign_changed(fig, TV_TUMOUR, x=d, y=rounded(10.0 ** np.clip(tumour_log10, lo, hi)))
    assign_changed(fig, TV_UNTREATED, x=d, y=rounded(10.0 ** np.clip(untreated_log10, lo, hi)))
    assign_changed(fig, TV_INJECTIONS, x=rounded(injection_days), y=[1.0] * len(injection_days))
    assign_changed(fig, TV_CTL, x=d, y=rounded(np.clip(ctl, 1.0, None)))
    assign_changed(fig, TV_TREG, x=d, y=rounded(np.clip(treg, 1.0, None)))
    assign_changed(fig, TV_CHOSEN, x=rounded([blockade_percent]), y=rounded([dose]))
