"""Checks for lesson 08's exercises.  Expected answers come from the models and the data, never typed in."""

from __future__ import annotations

from course import personalised
from course.checks.core import ChoiceCheck, NumberCheck, register
from course.data import load
from course.models import drug_release as dr

#: Exercise 08.2's depot: the label dose, first-order release with a 3-day half-time (the lesson states both).
DEPOT_HALF_TIME_D = 3.0
#: Exercise 08.3's nanoparticle dose (mg), a round number the lesson states.
NANOPARTICLE_DOSE_MG = 100.0
#: Exercise 08.4's patient.
PATIENT_084 = personalised.Patient("endometrial cancer", True, dmmr_msi_high=False, tmb_mut_per_mb=14.0)
OPTIONS_084 = {"A": "pembro_tmb_10", "B": "pembro_dmmr", "C": "tisacel_ball_cd19", "D": None}


def combination_fold() -> float:
    """Grade >= 3 irAEs in CheckMate 067: nivolumab + ipilimumab over nivolumab alone."""
    t = load("irae").set_index("key")
    return float(t.loc["cm067_combo_all", "severe_pct"] / t.loc["cm067_nivo_all", "severe_pct"])


def depot_days_above() -> float:
    """Days the site stays above the label trough (19.4 µg/mL) for the 08.2 depot."""
    k = dr.release_constant("first_order", DEPOT_HALF_TIME_D)
    sim = dr.simulate(dr.Params(), "first_order", k, t_end_d=60.0, n_points=241)
    return dr.site_time_above(sim, dr.IPILIMUMAB_CMIN_SS_3MG_KG_UG_PER_ML)


def nanoparticle_mg_in_tumour() -> float:
    """Wilhelm et al. 2016's median delivery efficiency applied to the 08.3 dose."""
    pct = float(load("delivery_studies").set_index("key").loc["wilhelm2016_median", "value"])
    return NANOPARTICLE_DOSE_MG * pct / 100.0


def matching_letter() -> str:
    """The option whose rule the 08.4 patient fits (the first, if several did)."""
    matched = {m.rule_id for m in personalised.match(PATIENT_084)}
    return next((k for k, v in OPTIONS_084.items() if v in matched), "D")


@register("08.1")
def _combination_fold():
    return NumberCheck(
        expected=combination_fold(), rel_tol=0.02, close_tol=0.2, unit="times", minimum=0,
        hint_close="Use the grade 3 or higher rates of the 'all organs' row, not any grade.",
        hint_wrong="Divide the combination arm's rate by the nivolumab arm's rate (both in %).",
        explanation="Adding ipilimumab to nivolumab more than triples the severe immune-related events; the "
                    "combination also had the highest response rate in the same trial.")


@register("08.2")
def _depot_days():
    return NumberCheck(
        expected=depot_days_above(), rel_tol=0.03, close_tol=0.2, unit="days", minimum=0, maximum=60,
        hint_close="Set exactly 210 mg, 3 days and the first-order law, and read the depot's number.",
        hint_wrong="Read 'days above the illustrative efficacy level … depot' in the explainer's readout.",
        explanation="The bolus never brings the site to this level: released at the tumour, the same dose stays "
                    "above it for weeks while the plasma peak is lower.")


@register("08.3")
def _nanoparticles():
    return NumberCheck(
        expected=nanoparticle_mg_in_tumour(), rel_tol=0.02, close_tol=0.5, unit="mg", minimum=0,
        maximum=NANOPARTICLE_DOSE_MG,
        hint_close="Use the median, not the mean, and divide the percentage by 100.",
        hint_wrong="Delivery efficiency is a percentage of the injected dose: multiply the dose by it.",
        explanation="Less than one part in a hundred: after intravenous injection most nanoparticles end up in "
                    "the liver and spleen, not in the tumour.")


@register("08.4")
def _matching():
    return ChoiceCheck(
        options={"A": "Pembrolizumab, as in KEYNOTE-158 (tumour mutational burden at least 10 mutations per megabase)",
                 "B": "Pembrolizumab, as in Le et al. 2017 (mismatch-repair deficiency)",
                 "C": "Tisagenlecleucel (anti-CD19 CAR T cells)",
                 "D": "None of the course's therapies"},
        correct=matching_letter(),
        why={"A": "A previously treated solid tumour with a TMB of 14 mutations per megabase meets KEYNOTE-158's "
                  "threshold of 10.",
             "B": "This tumour is mismatch-repair proficient: the rule needs dMMR/MSI-H.",
             "C": "CAR T cells need their antigen, CD19, on the cancer cells: a B-cell leukaemia, not an "
                  "endometrial cancer.",
             "D": "One rule does fit: compare the TMB with the threshold in the biomarker rules."})
