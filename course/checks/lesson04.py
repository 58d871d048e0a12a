"""Checks for lesson 04's exercises.  Expected answers come from the models and the data, never typed in."""

from __future__ import annotations

import math
from dataclasses import replace

from scipy.optimize import brentq

from course.checks.core import ChoiceCheck, NumberCheck, register
from course.data import load
from course.models import antibody_pk as pk
from course.models import checkpoint_tumour as ct

PEMBRO = pk.PEMBROLIZUMAB_AHAMADI_2017
Q3W = pk.PEMBROLIZUMAB_200MG_Q3W


def verified_kd_nm(antibody: str = "pembrolizumab") -> float:
    """The first Kd for ``antibody`` whose number was read in its source (see antibody_pk.BINDING_AFFINITIES)."""
    return next(a.kd_nm for a in pk.affinities_for(antibody) if a.verified)


def trough_ug_per_ml() -> float:
    return float(pk.steady_state_trough(PEMBRO, Q3W))


def trough_nm() -> float:
    return float(pk.ug_per_ml_to_nm(trough_ug_per_ml(), pk.PEMBROLIZUMAB_MW_G_PER_MOL))


def trough_occupancy_percent() -> float:
    return 100.0 * float(pk.occupancy(trough_nm(), verified_kd_nm()))


def ipilimumab_plateau_percent() -> float:
    """Plateau of the cure model through CheckMate 067's ipilimumab arm: its median and its 5-year OS."""
    trials = load("checkpoint_trials").set_index("result_id")
    median = float(trials.loc["wolchok2022_os_median_ipi", "value"])
    five_year = float(trials.loc["larkin2019_os_5y_ipi", "value"]) / 100.0

    def miss(plateau):
        rate = math.log((1 - plateau) / (0.5 - plateau)) / median
        return plateau + (1 - plateau) * math.exp(-rate * 60.0) - five_year

    return 100.0 * brentq(miss, 0.0, five_year)


def critical_blockade_percent() -> float:
    base = ct.Params()
    return 100.0 * ct.blockade_fraction(replace(base, A=ct.critical_level(base)))


@register("04.1")
def _trough_in_nm():
    return NumberCheck(
        expected=trough_nm(), rel_tol=0.02, close_tol=0.2, unit="nM", minimum=0,
        hint_close="Check the molecular weight: pembrolizumab is about 149,000 g/mol (149 kDa).",
        hint_wrong="µg/mL is mg/L. Divide by the molecular weight in g/mol to get mmol/L… then convert to nmol/L "
                   "(× 1,000,000 from mol to nmol, ÷ 1,000 from mg to g).",
        explanation=f"About {trough_nm() / verified_kd_nm():,.0f} times the antibody's Kd for PD-1 "
                    f"({verified_kd_nm():g} nM).")


@register("04.2")
def _trough_occupancy():
    return NumberCheck(
        expected=trough_occupancy_percent(), rel_tol=0.001, close_tol=0.01, unit="%", minimum=0, maximum=100,
        hint_close="Give a percentage (0–100), not a fraction.",
        hint_wrong="Fraction bound = C / (C + Kd), with C and Kd in the same unit (nM).",
        explanation="PD-1 stays almost fully bound even at the lowest concentration between doses: this is why "
                    "a flat dose every three weeks is enough.")


@register("04.3")
def _ipilimumab_plateau():
    return NumberCheck(
        expected=ipilimumab_plateau_percent(), rel_tol=0.03, close_tol=0.25, unit="%", minimum=0, maximum=49,
        hint_close="Keep the median at the published value and move only the plateau.",
        hint_wrong="With the median fixed, a higher plateau lifts the curve at 60 months: find the plateau where "
                   "your curve meets the published 5-year survival.",
        explanation="The plateau sits just below the 5-year survival: most of the patients alive at 5 years are "
                    "long-term survivors.")


@register("04.4")
def _critical_blockade():
    return NumberCheck(
        expected=critical_blockade_percent(), rel_tol=0.03, close_tol=0.2, unit="% of PD-1 blocked", minimum=0,
        maximum=100,
        hint_close="Read the critical blockade from the explainer's readout, or move the slider in small steps.",
        hint_wrong="Start from a tumour that escapes without treatment and raise the blockade until the tumour no "
                   "longer escapes.",
        explanation="Below this blockade a large tumour state still exists and a big tumour escapes; above it "
                    "the T cells win from any start.")


@register("04.5")
def _who_responds():
    return ChoiceCheck(
        options={"A": "Tumours with many mutations, because they carry more neoantigens that T cells recognise",
                 "B": "Tumours with few mutations, because the immune system has not yet edited them",
                 "C": "Any tumour equally: PD-1 blockade acts on T cells, not on the tumour"},
        correct="A",
        why={"A": "Mismatch-repair-deficient tumours (Le et al. 2015) and high mutational burden go with more "
                  "responses: T cells need antigens to see before a released brake helps.",
             "B": "Few mutations mean few neoantigens: there is little for released T cells to attack.",
             "C": "Blocking PD-1 only helps T cells that already recognise the tumour; the tumour's antigens "
                  "decide whether such T cells exist."})
