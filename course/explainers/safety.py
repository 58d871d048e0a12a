"""Safety, delivery and personalised therapy (lesson 08): immune-related adverse events by regimen and organ, a
drug depot at the tumour against an intravenous bolus, and matching the course's therapies to a patient profile."""

from __future__ import annotations

import functools
import math
from dataclasses import replace

import numpy as np

from course import personalised
from course.explainers.base import Control, Explainer, significant
from course.figures import safety as figs
from course.models import drug_release as dr

# ======================================================================================
# Adverse events by regimen, organ and onset
# ======================================================================================

#: dropdown option -> CheckMate 067 arms shown
REGIMEN_OPTIONS = {
    "all three arms": tuple(figs.ARMS),
    "ipilimumab (anti-CTLA-4)": ("ipilimumab",),
    "nivolumab (anti-PD-1)": ("nivolumab",),
    "nivolumab + ipilimumab": ("nivolumab + ipilimumab",),
}


class AdverseEvents(Explainer):
    title = "Immune-related adverse events: how often, where, and when"
    controls = (
        Control("measure", "Severity", default="grade 3 or higher", options=tuple(figs.MEASURES),
                help="any grade counts every immune-related adverse event; grade 3 or higher (CTCAE) counts the "
                     "severe ones: in hospital, or limiting self-care"),
        Control("regimen", "Regimen", default="all three arms", options=tuple(REGIMEN_OPTIONS),
                help="the three arms of the randomised CheckMate 067 trial in untreated advanced melanoma: "
                     "ipilimumab 3 mg/kg, nivolumab 3 mg/kg, or nivolumab 1 mg/kg + ipilimumab 3 mg/kg"),
    )

    def build_figure(self):
        return figs.adverse_events_figure()

    def compute(self, measure, regimen):
        rates = figs.arm_rates(measure)
        return {"measure": measure, "arms": REGIMEN_OPTIONS[regimen], "rates": rates, "onset": figs.onset_data()}

    def redraw(self, fig, r):
        figs.set_adverse_events_data(fig, measure=r["measure"], arms=r["arms"])

    def summary(self, r):
        cats = list(figs.CATEGORIES)
        rates, arms = r["rates"], r["arms"]
        i_all, i_stop = cats.index("all"), cats.index("discontinuation")
        parts = [f"{arm} {rates[arm][i_all]:g} %" for arm in arms]
        text = (f"CheckMate 067, immune-related adverse events, {r['measure']} (quoted from a review table): "
                + ", ".join(parts) + ".")
        for arm in arms:
            organ = max((c for c in cats if c not in ("all", "discontinuation")),
                        key=lambda c: rates[arm][cats.index(c)])
            text += (f" {arm.capitalize()}: most often {figs.CATEGORIES[organ]} ({rates[arm][cats.index(organ)]:g} %);"
                     f" {rates[arm][i_stop]:g} % stopped treatment for an irAE.")
        if len(arms) == 3 and rates["nivolumab"][i_all] > 0:
            combo, nivo, ipi = (rates[a][i_all] for a in ("nivolumab + ipilimumab", "nivolumab", "ipilimumab"))
            text += (f" The combination: {combo / nivo:.1f} times the nivolumab rate and {combo / ipi:.1f} times the "
                     "ipilimumab rate.")
        onset = r["onset"]
        if "ipilimumab" in arms:
            lo = min(v[0] for v in onset["ipilimumab"].values())
            hi = max(v[1] for v in onset["ipilimumab"].values())
            text += f" Ipilimumab events typically start in weeks {lo:g}-{hi:g} (skin first)."
        if "nivolumab" in arms:
            text += (f" Nivolumab: median onset week {onset['nivolumab']['skin']:g} for skin, "
                     f"{onset['nivolumab']['kidney']:g} for kidney; steroid-requiring colitis at week "
                     f"{onset['colitis_mono']:g} after anti-PD-1 alone.")
        if "nivolumab + ipilimumab" in arms:
            text += f" Steroid-requiring colitis after the combination: week {onset['colitis_combo']:g}."
        return text


# ======================================================================================
# Release from a depot at the tumour against an intravenous bolus
# ======================================================================================

LAW_OPTIONS = {
    "first order (e.g. a degrading hydrogel)": "first_order",
    "Higuchi, square root of time (diffusion from a matrix)": "higuchi",
    "Korsmeyer-Peppas, Fickian cylinder n = 0.45": "korsmeyer_peppas",
    "zero order (constant rate)": "zero_order",
}
#: illustrative efficacy level: ipilimumab's label mean steady-state trough at 3 mg/kg (a course choice)
EFFICACY_UG_PER_ML = dr.IPILIMUMAB_CMIN_SS_3MG_KG_UG_PER_ML
LABEL_DOSE_MG = dr.Params().dose_mg
N_CYLINDER = dr.FICKIAN_EXPONENT["cylinder"]


@functools.cache
def systemic_reference_ug_per_ml() -> float:
    """Peak plasma concentration of the label dose (210 mg) given as an intravenous bolus, in the model."""
    sim = dr.simulate(dr.Params(), "first_order", 1.0, t_end_d=figs.RELEASE_DAYS, n_points=figs.RELEASE_POINTS)
    return dr.plasma_cmax(sim, "bolus")


@functools.lru_cache(maxsize=1024)
def _unit_run(half_time_d: float, law: str) -> dr.Simulation:
    """The model at the label dose for one release half-time and law (the model is linear in the dose)."""
    k = dr.release_constant(law, float(half_time_d), N_CYLINDER)
    return dr.simulate(dr.Params(), law, k, N_CYLINDER, t_end_d=figs.RELEASE_DAYS, n_points=figs.RELEASE_POINTS)


_SCALED = ("depot_mg", "site_mg", "plasma_mg", "eliminated_mg", "site_ug_per_ml", "plasma_ug_per_ml", "site_auc",
           "plasma_auc", "site_ug_per_ml_bolus", "plasma_ug_per_ml_bolus", "site_auc_bolus", "plasma_auc_bolus")


HALF_TIME_MIN_D, HALF_TIME_MAX_D, HALF_TIME_STEP_DECADES = 0.5, 60.0, 0.05
#: The release half-time slider's stops (a FloatLogSlider moves in steps of 0.05 in log10).
HALF_TIME_STOPS_D = np.append(10.0 ** (math.log10(HALF_TIME_MIN_D) + HALF_TIME_STEP_DECADES * np.arange(
    int(math.floor(math.log10(HALF_TIME_MAX_D / HALF_TIME_MIN_D) / HALF_TIME_STEP_DECADES + 1e-9)) + 1)),
    HALF_TIME_MAX_D)  # the slider's right end is its max, not a whole number of steps


def _on_stop(half_time_d: float) -> float:
    """The slider stop this half-time is (up to rounding in the browser), else the value itself."""
    i = int(np.argmin(np.abs(np.log10(HALF_TIME_STOPS_D) - math.log10(half_time_d))))
    stop = float(HALF_TIME_STOPS_D[i])
    return stop if abs(math.log10(stop / half_time_d)) < 1e-9 else float(half_time_d)


@functools.cache
def _warm(law: str) -> None:
    """Run every slider stop of one release law once (~40 runs, a fraction of a second), so moving the
    half-time slider afterwards only rescales and redraws."""
    for h in HALF_TIME_STOPS_D:
        _unit_run(float(h), law)


def release_run(dose_mg: float, half_time_d: float, law: str) -> dr.Simulation:
    """``dr.simulate`` for this dose, half-time and law: the label-dose run scaled by dose / label dose (exact,
    because release, exchange and elimination are all linear in the amount of drug)."""
    _warm(law)
    base = _unit_run(_on_stop(float(half_time_d)), law)
    f = float(dose_mg) / LABEL_DOSE_MG
    return replace(base, params=replace(base.params, dose_mg=float(dose_mg)),
                   **{name: getattr(base, name) * f for name in _SCALED})


class DrugRelease(Explainer):
    title = "A depot at the tumour or an injection into the blood?"
    controls = (
        Control("dose", "Dose", default=float(LABEL_DOSE_MG), min=10.0, max=1000.0, step=0.05, unit="mg", log=True,
                help="the amount loaded in the depot, or given as one intravenous bolus; 210 mg is ipilimumab's "
                     "label dose of 3 mg/kg for a 70-kg adult"),
        Control("half_time", "Release half-time", default=7.0, min=HALF_TIME_MIN_D, max=HALF_TIME_MAX_D,
                step=HALF_TIME_STEP_DECADES, unit="days", log=True,
                help="time by which the depot has released half its load; set by the material (cross-linking of a "
                     "hydrogel, pore size of silica) and the release law"),
        Control("law", "Release law", default=next(iter(LAW_OPTIONS)), options=tuple(LAW_OPTIONS),
                help="how the released fraction grows with time: first order 1 - exp(-kt); Higuchi k·√t; "
                     "Korsmeyer-Peppas k·t^n (Ritger & Peppas 1987, n = 0.45 for a cylinder); zero order k·t"),
    )

    def build_figure(self):
        return figs.release_figure(EFFICACY_UG_PER_ML, systemic_reference_ug_per_ml())

    def compute(self, dose, half_time, law):
        sim = release_run(dose, half_time, LAW_OPTIONS[law])
        return {
            "sim": sim, "dose": float(dose), "half_time": float(half_time), "law": law,
            "days_depot": dr.site_time_above(sim, EFFICACY_UG_PER_ML, "depot"),
            "days_bolus": dr.site_time_above(sim, EFFICACY_UG_PER_ML, "bolus"),
            "cmax_depot": dr.plasma_cmax(sim, "depot"), "cmax_bolus": dr.plasma_cmax(sim, "bolus"),
            "ratio_depot": dr.local_to_systemic_ratio(sim, "depot"),
            "ratio_bolus": dr.local_to_systemic_ratio(sim, "bolus"),
            "released": float(sim.fraction_released[-1]),
        }

    def redraw(self, fig, r):
        s = r["sim"]
        figs.set_release_data(fig, t_d=s.t_d, site_depot=s.site_ug_per_ml, site_bolus=s.site_ug_per_ml_bolus,
                              plasma_depot=s.plasma_ug_per_ml, plasma_bolus=s.plasma_ug_per_ml_bolus)

    def summary(self, r):
        ref = systemic_reference_ug_per_ml()
        above = "above" if r["cmax_depot"] > ref else "below"
        return (f"{significant(r['dose'])} mg, release half-time {significant(r['half_time'])} days ({r['law'].split(' (')[0]}), "
                f"{100 * r['released']:.0f} % released by day {figs.RELEASE_DAYS:g}. At the tumour site, days above "
                f"the illustrative efficacy level of {EFFICACY_UG_PER_ML:g} µg/mL: depot {r['days_depot']:.1f}, "
                f"bolus {r['days_bolus']:.1f}. Plasma peak: depot {significant(r['cmax_depot'])} µg/mL ({above} the IV "
                f"label-dose peak of {significant(ref)} µg/mL), bolus {significant(r['cmax_bolus'])} µg/mL. "
                f"Site-to-plasma exposure ratio (AUC over 60 days): depot {significant(r['ratio_depot'])}, bolus "
                f"{significant(r['ratio_bolus'])}. Site parameters are course assumptions.")


# ======================================================================================
# Matching therapies to a patient
# ======================================================================================

class TherapyMatcher(Explainer):
    title = "Matching therapy to patient (a teaching tool, not clinical decision support)"
    controls = (
        Control("patient", "Patient profile", default=next(iter(personalised.EXAMPLE_PATIENTS)),
                options=tuple(personalised.EXAMPLE_PATIENTS),
                help="example profiles (course choices, not real patients): tumour type, whether it was treated "
                     "before, and the biomarkers tested: PD-L1 tumour proportion score (%), mismatch-repair status, "
                     "tumour mutational burden (mutations per megabase), CD19 on leukaemic cells"),
    )

    def build_figure(self):
        return figs.matcher_figure()

    def compute(self, patient):
        p = personalised.EXAMPLE_PATIENTS[patient]
        return {"patient": p, "matches": personalised.match(p), "unmet": personalised.unmet(p)}

    def redraw(self, fig, r):
        figs.set_matcher_data(fig, r["matches"])

    def summary(self, r):
        text = f"Profile: {personalised.describe(r['patient'])}. "
        if r["matches"]:
            text += "Fits the trial population of: " + "; ".join(
                f"{m.therapy} ({m.trial.split(' (')[0]}, {m.short_source()}; rule: {m.rule}): {m.response_measure} "
                f"{m.response_pct:g} %" for m in r["matches"]) + "."
        else:
            text += "No therapy of the course fits this profile."
        if r["unmet"]:
            text += " Not matched: " + "; ".join(r["unmet"]) + "."
        return text + " Teaching tool, not clinical advice."
