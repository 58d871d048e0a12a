"""Safety, delivery and personalised therapy figures (lesson 08).

* :func:`adverse_events_figure` / :func:`set_adverse_events_data`: immune-related adverse events (irAEs) of the
  three CheckMate 067 arms by organ, and their typical time of onset, from ``course/data/irae.csv``;
* :func:`toxicity_comparison_figure`: severe adverse events with a checkpoint inhibitor and with chemotherapy in the
  randomised trials of ``course/data/treatment_toxicity.csv``;
* :func:`release_figure` / :func:`set_release_data`: a drug depot at the tumour against an intravenous bolus of the
  same dose (``course.models.drug_release``): site and plasma concentrations against reference levels;
* :func:`matcher_figure` / :func:`set_matcher_data`: published response rates of the therapies whose trial
  population a patient profile fits (``course.personalised``).

The adverse-event and matcher figures belong to explainers whose controls are all dropdowns, so every state is
drawn ahead of time; the release figure is redrawn live and is made of scatter traces with fixed axes only.
"""

from __future__ import annotations

import functools
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from course import personalised
from course.data import load
from course.figures.theme import GREY, OKABE_ITO, add_source, assign_changed, make_template, rounded, set_description

# ======================================================================================
# 1. Immune-related adverse events by organ and time of onset
# ======================================================================================

#: CheckMate 067 arms: short name -> (regimen as in irae.csv, colour)
ARMS = {
    "ipilimumab": ("ipilimumab 3 mg/kg", OKABE_ITO["orange"]),
    "nivolumab": ("nivolumab 3 mg/kg", OKABE_ITO["sky_blue"]),
    "nivolumab + ipilimumab": ("nivolumab 1 mg/kg + ipilimumab 3 mg/kg", OKABE_ITO["vermillion"]),
}
#: irae.csv key suffix -> row label (organ: event), top to bottom
CATEGORIES = {
    "all": "all organs: any irAE",
    "rash": "skin: rash",
    "diarrhoea": "gut: diarrhoea",
    "colitis": "gut: colitis",
    "hepatitis": "liver: hepatitis",
    "hypothyroidism": "endocrine: hypothyroidism",
    "discontinuation": "stopped treatment for an irAE",
}
_ARM_KEY = {"ipilimumab": "ipi", "nivolumab": "nivo", "nivolumab + ipilimumab": "combo"}
MEASURES = {"grade 3 or higher": "severe_pct", "any grade": "any_grade_pct"}
ONSET_ORGANS = ("skin", "gastrointestinal", "liver", "endocrine", "kidney")
ONSET_LABELS = {"skin": "skin", "gastrointestinal": "gut", "liver": "liver", "endocrine": "endocrine",
                "kidney": "kidney"}
AE_X_RANGE = (0.0, 105.0)
ONSET_X_RANGE = (0.0, 30.0)
# trace indices
AE_BARS = (0, 1, 2)            # one per arm, in ARMS order
AE_IPI_RANGES, AE_NIVO_MEDIANS, AE_COLITIS_MONO, AE_COLITIS_COMBO = 3, 4, 5, 6

LARKIN_2015 = "Larkin J et al. (2015) N Engl J Med 373:23, doi:10.1056/NEJMoa1504030"
CMAJ_2019 = "CMAJ review (2019) 191:E40, Table 2, doi:10.1503/cmaj.180870"
WEBER_2017 = "Weber JS et al. (2017) J Clin Oncol 35:785, doi:10.1200/JCO.2015.66.1389"
COLITIS_2018 = "Oncoimmunology (2018) 8:e1524695, doi:10.1080/2162402X.2018.1524695"
TRANSL_2015 = "Transl Res (2015) 166:412, Table 1, doi:10.1016/j.trsl.2015.06.005"


@functools.cache
def irae_table():
    return load("irae").set_index("key")


@functools.cache
def arm_rates(measure: str) -> dict[str, list[float]]:
    """% of each CheckMate 067 arm with each category (CATEGORIES order) for 'any grade' or 'grade 3 or higher'."""
    t, col = irae_table(), MEASURES[measure]
    return {arm: [float(t.loc[f"cm067_{_ARM_KEY[arm]}_{c}", col]) for c in CATEGORIES] for arm in ARMS}


@functools.cache
def onset_data() -> dict:
    """Times of onset in weeks by organ: ipilimumab ranges, nivolumab medians, steroid-requiring colitis."""
    t = irae_table()
    ipi = {r.organ: (float(r.onset_low_weeks), float(r.onset_high_weeks))
           for r in t[t.index.str.startswith("transl2015_ipi_onset")].itertuples()}
    nivo = {r.organ: float(r.onset_weeks) for r in t[t.index.str.startswith("weber2017_nivo_onset")].itertuples()}
    return {"ipilimumab": ipi, "nivolumab": nivo,
            "colitis_mono": float(t.loc["colitis2018_mono_onset", "onset_weeks"]),
            "colitis_combo": float(t.loc["colitis2018_combo_onset", "onset_weeks"])}


def adverse_events_description() -> str:
    return (
        "Left: percent of patients in each arm of the randomised CheckMate 067 trial in previously untreated "
        "advanced melanoma (ipilimumab 3 mg/kg, an anti-CTLA-4 antibody; nivolumab 3 mg/kg, an anti-PD-1 antibody; "
        "and the two together) with an immune-related adverse event, by organ, at any grade or at grade 3 or "
        "higher (severe; CTCAE grading), and the percent who stopped treatment because of one. The rates were "
        "quoted second-hand from a review table (CMAJ 2019), not read in the trial report; the table gives no "
        "pneumonitis (lung) row. Right: when the events typically start, in weeks after the first dose: the "
        "orange bars are the ranges a 2015 review gives for ipilimumab by organ; the blue diamonds are the median "
        "onset of skin and kidney events in a pooled analysis of nivolumab in melanoma (Weber et al. 2017); the "
        "circles are the onset of colitis that needed systemic steroids in a single-institution series, after "
        "anti-PD-1 alone or with ipilimumab (summary statistic not stated in the abstract). The onset data come "
        "from different studies and populations than the rates on the left.")


def adverse_events_figure() -> go.Figure:
    """Frequency by organ (left, bars per arm) and time of onset (right). Data: :func:`set_adverse_events_data`."""
    fig = make_subplots(rows=1, cols=2, column_widths=[0.58, 0.42], horizontal_spacing=0.2,
                        subplot_titles=("How often: % of patients (CheckMate 067)", "When: weeks after the first dose"))
    fig.update_layout(template=make_template(), height=640, barmode="group", bargap=0.25,
                      title=dict(text="Immune-related adverse events: by regimen, organ and time of onset"),
                      legend=dict(orientation="h", x=0, yref="container", y=0.93, yanchor="top", font=dict(size=12)),
                      margin=dict(l=210, r=30, t=165), title_y=0.985, title_yanchor="top")
    labels = list(CATEGORIES.values())
    for arm, (_, colour) in ARMS.items():
        fig.add_trace(go.Bar(name=arm, orientation="h", y=labels, marker_color=colour, textposition="outside",
                             texttemplate="%{x:.0f} %", cliponaxis=False,
                             hovertemplate="%{y}: %{x} % of the arm<extra>" + arm + "</extra>"), row=1, col=1)
    fig.add_trace(go.Scatter(name="ipilimumab: typical onset range (review)", mode="lines",
                             line=dict(color=OKABE_ITO["orange"], width=9), legendgroup="ipilimumab",
                             hovertemplate="%{y}: week %{x}<extra>ipilimumab range</extra>"), row=1, col=2)
    fig.add_trace(go.Scatter(name="nivolumab: median onset (pooled, Weber 2017)", mode="markers",
                             marker=dict(symbol="diamond", size=13, color=OKABE_ITO["sky_blue"],
                                         line=dict(color="black", width=1)),
                             hovertemplate="%{y}: median week %{x}<extra>nivolumab</extra>"), row=1, col=2)
    fig.add_trace(go.Scatter(name="steroid-requiring colitis: anti-PD-1 alone", mode="markers",
                             marker=dict(symbol="circle-open", size=13, color=OKABE_ITO["blue"], line=dict(width=3)),
                             hovertemplate="colitis: week %{x}<extra>anti-PD-1 alone</extra>"), row=1, col=2)
    fig.add_trace(go.Scatter(name="steroid-requiring colitis: anti-PD-1 + ipilimumab", mode="markers",
                             marker=dict(symbol="circle", size=12, color=OKABE_ITO["vermillion"]),
                             hovertemplate="colitis: week %{x}<extra>anti-PD-1 + ipilimumab</extra>"), row=1, col=2)
    fig.update_xaxes(title_text="patients with the event (% of the arm)", range=list(AE_X_RANGE), row=1, col=1)
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=labels, row=1, col=1)
    organs = [ONSET_LABELS[o] for o in ONSET_ORGANS]
    fig.update_xaxes(title_text="time of onset (weeks after the first dose)", range=list(ONSET_X_RANGE), dtick=5,
                     row=1, col=2)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=organs, range=[len(organs) - 0.5, -0.5],
                     row=1, col=2)
    add_source(fig, f"rates: CheckMate 067, {LARKIN_2015}, quoted second-hand from the {CMAJ_2019}; onset: "
                    f"ipilimumab ranges {TRANSL_2015}; nivolumab medians {WEBER_2017}; steroid-requiring colitis "
                    f"{COLITIS_2018}.")
    fig.update_layout(margin=dict(b=215))
    set_description(fig, adverse_events_description())
    return fig


def set_adverse_events_data(fig, *, measure: str, arms: tuple[str, ...]) -> None:
    """Show ``measure`` ('any grade' / 'grade 3 or higher') for the chosen arms (the others are emptied)."""
    rates, labels = arm_rates(measure), list(CATEGORIES.values())
    for i, arm in enumerate(ARMS):
        shown = arm in arms
        assign_changed(fig, AE_BARS[i], x=rates[arm] if shown else [], y=labels if shown else [])
    onset = onset_data()
    xs, ys = [], []
    if "ipilimumab" in arms:
        for organ in ONSET_ORGANS:
            if organ in onset["ipilimumab"]:
                lo, hi = onset["ipilimumab"][organ]
                xs += [lo, hi, None]
                ys += [ONSET_LABELS[organ]] * 2 + [None]
    assign_changed(fig, AE_IPI_RANGES, x=xs, y=ys)
    nivo = [(v, ONSET_LABELS[o]) for o, v in onset["nivolumab"].items()] if "nivolumab" in arms else []
    assign_changed(fig, AE_NIVO_MEDIANS, x=[v for v, _ in nivo], y=[o for _, o in nivo])
    mono = "nivolumab" in arms
    assign_changed(fig, AE_COLITIS_MONO, x=[onset["colitis_mono"]] if mono else [], y=["gut"] if mono else [])
    combo = "nivolumab + ipilimumab" in arms
    assign_changed(fig, AE_COLITIS_COMBO, x=[onset["colitis_combo"]] if combo else [], y=["gut"] if combo else [])
    title = f"patients with the event, {measure} (% of the arm)"
    if fig.layout.xaxis.title.text != title:
        fig.layout.xaxis.title.text = title


# ======================================================================================
# 2. Checkpoint inhibitor against chemotherapy: severe adverse events
# ======================================================================================

def toxicity_rows():
    """Rows of treatment_toxicity in trial order, chemotherapy arms after their checkpoint arm."""
    return load("treatment_toxicity")


def toxicity_comparison_description() -> str:
    return (
        "Percent of patients with a severe adverse event (grade 3 or higher; each bar says which grades its trial "
        "counted: 3-4, 3-5 or ≥3) in each arm of four randomised trials. Three compared a PD-1 antibody with "
        "chemotherapy (KEYNOTE-024: first-line lung cancer with PD-L1 on at least half the tumour cells; "
        "KEYNOTE-045: urothelial cancer after platinum; CheckMate 017: squamous lung cancer after chemotherapy): "
        "in each the antibody arm had far fewer severe treatment-related events. CheckMate 067 had no "
        "chemotherapy arm: its three bars are immune-related events of anti-CTLA-4, anti-PD-1 and the combination, "
        "and comparing them with the other trials' chemotherapy arms is a comparison across trials, not a "
        "randomised one (different cancers, lines of therapy, and event definitions).")


def toxicity_comparison_figure() -> go.Figure:
    t = toxicity_rows()
    colours = {"chemotherapy": GREY, "PD-1 inhibitor": OKABE_ITO["sky_blue"], "CTLA-4 inhibitor": OKABE_ITO["orange"],
               "PD-1 + CTLA-4 inhibitors": OKABE_ITO["vermillion"]}
    fig = go.Figure(layout=dict(template=make_template(), height=560,
                                title=dict(text="Severe adverse events: checkpoint inhibitor against chemotherapy"),
                                margin=dict(l=330, r=60, t=120),
                                xaxis=dict(title=dict(text="patients with a severe adverse event (% of the arm)"),
                                           range=[0, 70]),
                                yaxis=dict(autorange="reversed"), showlegend=True,
                                legend=dict(orientation="h", x=0, yref="container", y=0.93, yanchor="top"),
                                title_y=0.985, title_yanchor="top"))
    labels = [f"{r.trial}: {r.regimen[:38]}" for r in t.itertuples()]
    for cls, colour in colours.items():
        rows = [i for i, r in enumerate(t.itertuples()) if r.arm_class == cls]
        fig.add_trace(go.Bar(name=cls, orientation="h", marker_color=colour,
                             y=[labels[i] for i in rows], x=[float(t.iloc[i].severe_pct) for i in rows],
                             text=[f"{t.iloc[i].severe_pct:g} % (grade {t.iloc[i].severe_grades})" for i in rows],
                             textposition="outside", cliponaxis=False))
    fig.update_yaxes(categoryorder="array", categoryarray=labels)
    sources = "; ".join(dict.fromkeys(s.split(". ")[0].split(",")[0] + " et al. " + s.split("(")[1][:4]
                                      + ", doi:" + s.split("doi:")[1].split(".", 1)[0] + "."
                                      + s.split("doi:")[1].split(".", 1)[1].split(".")[0]
                                      for s in t.source))
    add_source(fig, f"{sources}; CheckMate 067 rates quoted second-hand from the {CMAJ_2019}. Treatment-related "
                    "events in the first three trials, immune-related events in CheckMate 067; not a randomised "
                    "comparison across trials.")
    set_description(fig, toxicity_comparison_description())
    return fig


# ======================================================================================
# 3. Release from a depot against a bolus
# ======================================================================================

RELEASE_DAYS = 60.0
RELEASE_POINTS = 241
SITE_Y_LOG10 = (-2.0, 5.3)
PLASMA_Y_LOG10 = (-2.0, 2.7)
# trace indices
REL_SITE_DEPOT, REL_SITE_BOLUS, REL_EFFICACY, REL_PLASMA_DEPOT, REL_PLASMA_BOLUS, REL_TOXICITY = range(6)


def release_description() -> str:
    return (
        "Top: drug concentration at the tumour site (µg/mL, logarithmic axis) over 60 days when the whole dose is "
        "placed in a depot at the tumour (a hydrogel or mesoporous-silica implant; blue) or given as one "
        "intravenous bolus (grey dashed). The depot releases the drug by the chosen law (first order, Higuchi's "
        "square-root law, the Korsmeyer–Peppas power law with the Fickian exponent of a cylinder, or zero order); "
        "released drug drains from the site into the blood within about a day. The dotted green line is an "
        "illustrative efficacy level: ipilimumab's mean steady-state trough in serum at its label dose, a course "
        "choice, not a measured threshold in tumours. Bottom: plasma concentration, which drives side effects "
        "throughout the body; the dotted red line is a systemic reference level: the model's peak plasma "
        "concentration after the label dose (3 mg/kg, 210 mg for 70 kg) given intravenously. The plasma "
        "half-life and clearance are ipilimumab's label values; the tumour site's volume (10 mL), the half-life "
        "of drug leaving it (24 h) and its partition with plasma (0.1) are course assumptions without a source, "
        "so read the shapes, not the exact numbers.")


def release_figure(efficacy_ug_per_ml: float, toxicity_ug_per_ml: float) -> go.Figure:
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=("at the tumour site", "in plasma (the whole body)"))
    fig.update_layout(template=make_template(), height=720, title=dict(text="Local depot or intravenous bolus?"),
                      legend=dict(orientation="h", x=0, yref="container", y=0.935, yanchor="top", font=dict(size=12)),
                      margin=dict(l=80, r=30, t=150), hovermode="closest", title_y=0.985, title_yanchor="top")
    blue, grey = OKABE_ITO["blue"], GREY
    t = [0.0, RELEASE_DAYS]
    fig.add_trace(go.Scatter(name="depot at the tumour", mode="lines", line=dict(color=blue, width=3),
                             legendgroup="depot", hovertemplate="day %{x:.3g}: %{y:.3g} µg/mL<extra>depot, site</extra>"),
                  row=1, col=1)
    fig.add_trace(go.Scatter(name="intravenous bolus", mode="lines", line=dict(color=grey, width=3, dash="dash"),
                             legendgroup="bolus", hovertemplate="day %{x:.3g}: %{y:.3g} µg/mL<extra>bolus, site</extra>"),
                  row=1, col=1)
    fig.add_trace(go.Scatter(name=f"illustrative efficacy level ({efficacy_ug_per_ml:g} µg/mL)", x=t,
                             y=[efficacy_ug_per_ml] * 2, mode="lines", hoverinfo="skip",
                             line=dict(color=OKABE_ITO["bluish_green"], width=2, dash="dot")), row=1, col=1)
    fig.add_trace(go.Scatter(name="depot at the tumour", mode="lines", line=dict(color=blue, width=3),
                             legendgroup="depot", showlegend=False,
                             hovertemplate="day %{x:.3g}: %{y:.3g} µg/mL<extra>depot, plasma</extra>"), row=2, col=1)
    fig.add_trace(go.Scatter(name="intravenous bolus", mode="lines", line=dict(color=grey, width=3, dash="dash"),
                             legendgroup="bolus", showlegend=False,
                             hovertemplate="day %{x:.3g}: %{y:.3g} µg/mL<extra>bolus, plasma</extra>"), row=2, col=1)
    fig.add_trace(go.Scatter(name=f"systemic reference: IV label-dose peak ({toxicity_ug_per_ml:.3g} µg/mL)", x=t,
                             y=[round(toxicity_ug_per_ml, 4)] * 2, mode="lines", hoverinfo="skip",
                             line=dict(color=OKABE_ITO["vermillion"], width=2, dash="dot")), row=2, col=1)
    fig.update_xaxes(range=[0, RELEASE_DAYS], dtick=10, row=1, col=1)
    fig.update_xaxes(title_text="days after the dose", range=[0, RELEASE_DAYS], dtick=10, row=2, col=1)
    fig.update_yaxes(title_text="site (µg/mL)", type="log", range=list(SITE_Y_LOG10), dtick=1, row=1, col=1)
    fig.update_yaxes(title_text="plasma (µg/mL)", type="log", range=list(PLASMA_Y_LOG10), dtick=1, row=2, col=1)
    add_source(fig, "release laws: Ritger PL, Peppas NA (1987) J Control Release 5:23, doi:10.1016/0168-3659(87)90034-4; "
                    "ipilimumab half-life, clearance and trough: YERVOY label via the FDA approval summary, Oncologist "
                    "(2021) 26:797, doi:10.1002/onco.13819; site volume, exit half-life and partition: course "
                    "assumptions (course.models.drug_release).")
    set_description(fig, release_description())
    return fig


def _floor(values, floor: float = 1e-3):
    """Concentrations for a log axis: values below ``floor`` µg/mL (including 0) drawn at the floor."""
    return rounded(np.maximum(np.asarray(values, dtype=float), floor))


def set_release_data(fig, *, t_d, site_depot, site_bolus, plasma_depot, plasma_bolus) -> None:
    x = rounded(t_d)
    for i, y in ((REL_SITE_DEPOT, site_depot), (REL_SITE_BOLUS, site_bolus), (REL_PLASMA_DEPOT, plasma_depot),
                 (REL_PLASMA_BOLUS, plasma_bolus)):
        assign_changed(fig, i, x=x, y=_floor(y))


# ======================================================================================
# 4. Therapy matcher
# ======================================================================================

MATCH_COLOURS = {"anti-PD-1 antibody": OKABE_ITO["sky_blue"], "anti-CTLA-4 antibody": OKABE_ITO["orange"],
                 "anti-PD-1 + anti-CTLA-4 antibodies": OKABE_ITO["vermillion"], "CAR T cells": OKABE_ITO["bluish_green"]}
MATCH_BARS, MATCH_MESSAGE = 0, 1


def _short_refs(sources) -> str:
    """'Reck M et al. (2016) doi:…; …' for each distinct source (first author, year, DOI or PMID)."""
    out = []
    for src in dict.fromkeys(sources):
        first = src.split(",")[0].split(" (")[0]
        year = src.split("(")[1][:4] if "(" in src else ""
        ident = ("doi:" + src.split("doi:")[1].split("; PMID")[0].split(". PMID")[0].rstrip(".")
                 if "doi:" in src else "PMID " + src.split("PMID:")[1].strip())
        out.append(f"{first} et al. ({year}) {ident}")
    return "; ".join(out)


def matcher_description() -> str:
    return (
        "For the chosen patient profile, the therapies of this course whose trial population the patient fits "
        "(tumour type, line of therapy and the biomarker the trial required: PD-L1 on at least 50 % of tumour cells "
        "for first-line pembrolizumab in lung cancer, mismatch-repair deficiency or a tumour mutational burden of at "
        "least 10 mutations per megabase for pembrolizumab in previously treated solid tumours, CD19 on the "
        "leukaemic cells for CAR T cells), each with the response rate its trial published, in the population "
        "and by the measure that trial used (objective response by imaging for solid tumours, remission within "
        "3 months for leukaemia). Rates from different trials are not comparable with each other, and a profile "
        "without a bar matches none of the course's rules: that does not mean no treatment exists. A teaching "
        "tool, not clinical decision support.")


def matcher_figure() -> go.Figure:
    fig = go.Figure(layout=dict(template=make_template(), height=470,
                                title=dict(text="Which therapies of the course fit this patient?"),
                                margin=dict(l=330, r=80, t=70),
                                xaxis=dict(title=dict(text="published response rate (% of the trial population)"),
                                           range=[0, 100], dtick=20),
                                yaxis=dict(autorange="reversed", type="category"), showlegend=False))
    fig.add_trace(go.Bar(orientation="h", textposition="outside", cliponaxis=False, texttemplate="%{x:.3g} %",
                         hovertemplate="%{y}: %{x} %<br>%{customdata}<extra></extra>"))
    fig.add_trace(go.Scatter(x=[50], y=[""], mode="text", textfont=dict(size=14, color="#444444"),
                             hoverinfo="skip"))
    add_source(fig, f"rules (course/data/biomarker_rules.csv): {_short_refs(r.source for r in personalised.rules().itertuples())}"
                    f"; response rates: {_short_refs(personalised.evidence_sources())} (KEYNOTE-158's rate quoted "
                    "second-hand). A teaching tool, not clinical decision support.")
    set_description(fig, matcher_description())
    return fig


def set_matcher_data(fig, matches, message: str = "") -> None:
    labels = [f"{m.therapy[:40]} ({m.trial.split(' (')[0].split(',')[0]})" for m in matches]
    bars = fig.data[MATCH_BARS]
    bars.y = labels
    bars.x = [m.response_pct for m in matches]
    bars.marker.color = [MATCH_COLOURS.get(m.therapy_class, GREY) for m in matches]
    bars.customdata = [f"{m.response_measure}; {m.response_population[:90]}; rule: {m.rule}" for m in matches]
    text = fig.data[MATCH_MESSAGE]
    if matches:
        text.x, text.y, text.text = [], [], []
    else:
        text.x, text.y, text.text = [50], [""], [message or "no therapy of the course fits this profile"]
