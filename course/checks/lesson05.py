"""Checks for lesson 05's exercises.  Expected answers come from the models and the data, never typed in."""

from __future__ import annotations

import math

from course.checks.core import ChoiceCheck, NumberCheck, register
from course.data import load
from course.models import car_t_kinetics as km
from course.models import car_t_tumour as lt


def doubling_time_days() -> float:
    """Doubling time during expansion of the typical patient: ln 2 / (ln(foldx) / Tmax) (Stein et al. 2019)."""
    p = km.Params()
    return math.log(2) / (math.log(p.fold_expansion) / p.t_max_days)


def level_at_one_year() -> float:
    """Transgene level (copies/µg) at day 365 for the typical patient: the two phases after the peak."""
    p = km.Params()
    s = 365.0 - p.t_max_days
    return p.c_max_copies_per_ug * ((1 - p.fraction_persisting) * math.exp(-p.alpha_per_day * s)
                                    + p.fraction_persisting * math.exp(-p.beta_per_day * s))


def eliana_enrolled_remission_percent() -> float:
    """ELIANA's responders (ASH 2018 update) as a percentage of all enrolled patients (intention to treat)."""
    row = load("car_t_trials").set_index("key").loc["eliana_ash2018_crcri_enrolled"]
    return 100.0 * float(row["n_events"]) / float(row["n_patients"])


def eliana_infused_remission_percent() -> float:
    row = load("car_t_trials").set_index("key").loc["eliana_ash2018_crcri_infused"]
    return 100.0 * float(row["n_events"]) / float(row["n_patients"])


def _not_infused_statement() -> str:
    return str(load("car_t_trials").set_index("key").loc["eliana_ash2018_not_infused", "statement"])


NEGATIVE_FRACTION = 1e-6


def cd19_negative_detection_day(fraction: float = NEGATIVE_FRACTION) -> float:
    """Day on which CD19-negative cells alone reach the remission threshold (10⁻⁴ of the leukaemia at
    infusion), growing as f·L0·exp(ρ_L t) from a fraction f of the leukaemia: t = ln(10⁻⁴/f)/ρ_L."""
    return math.log(lt.MRD_DETECTION_FRACTION / fraction) / lt.Params().rho_l


@register("05.1")
def _doubling_time():
    return NumberCheck(
        expected=doubling_time_days(), rel_tol=0.02, close_tol=0.15, unit="days", minimum=0,
        hint_close="Keep more digits of ln(3900) and of the expansion rate before dividing.",
        hint_wrong="The level grows 3,900-fold in 9.3 days: the rate is ρ = ln(3900)/9.3 per day, and a doubling "
                   "takes ln 2/ρ days.",
        explanation=f"Stein et al. (2019) report {km.STEIN_DOUBLING_TIME_DAYS:g} days: the CAR-T cells double "
                    f"about every {24 * doubling_time_days():.0f} hours while they meet CD19-positive cells.")


@register("05.2")
def _level_at_one_year():
    return NumberCheck(
        expected=level_at_one_year(), rel_tol=0.02, close_tol=0.2, unit="copies/µg", minimum=0,
        hint_close="Count the days from the peak (day 9.3), not from the infusion.",
        hint_wrong="After the peak the level is the sum of two exponentials: (1 − F_B)·Cmax·e^(−α s) + "
                   "F_B·Cmax·e^(−β s), with s the days since the peak. At one year only the slow term is left.",
        explanation=f"The fast effector phase has long gone; what remains is the persisting (memory) part, "
                    f"{100 * level_at_one_year() / km.Params().c_max_copies_per_ug:.2f} % of the peak, falling with "
                    f"a half-life of about {km.STEIN_TERMINAL_HALF_LIFE_DAYS:.0f} days.")


@register("05.3")
def _intention_to_treat():
    return NumberCheck(
        expected=eliana_enrolled_remission_percent(), rel_tol=0.01, close_tol=0.1, unit="%", minimum=0, maximum=100,
        hint_close="Give a percentage with one decimal, computed from the two counts.",
        hint_wrong=f"That is not the share of the enrolled patients. {eliana_infused_remission_percent():.0f} % is "
                   "the share of the infused patients; divide the responders by everyone enrolled instead.",
        explanation="Counted among everyone who enrolled, fewer patients are in remission than among those who "
                    "received their cells. The source: " + _not_infused_statement() + ".")


@register("05.4")
def _antigen_negative_relapse():
    return NumberCheck(
        expected=cd19_negative_detection_day(), rel_tol=0.02, close_tol=0.15, unit="days", minimum=0,
        hint_close="The explainer's relapse day counts CD19-positive cells too; here only the CD19-negative "
                   "cells count. Use t = ln(10⁻⁴ / f) / ρ_L.",
        hint_wrong="The CD19-negative cells grow from f·L0 as e^(ρ_L t) with ρ_L = 1/30 per day; find when they "
                   "reach 10⁻⁴·L0 (L0 cancels).",
        explanation="However few antigen-negative cells there are, they grow undisturbed: ten times fewer only "
                    f"delays the relapse by ln(10)/ρ_L, about {math.log(10) / lt.Params().rho_l:.0f} days.")


@register("05.5")
def _what_sets_expansion():
    return ChoiceCheck(
        options={"A": "The number of CD19-positive cells it meets: leukaemic and normal B cells",
                 "B": "The dose: ten times more cells give a ten times higher peak",
                 "C": "Nothing: every patient's CAR T cells expand by the same factor"},
        correct="A",
        why={"A": "CAR T cells divide when they meet CD19: the paper's estimate of the peak, C0 + k(L0 + B0 − "
                  "1/(ρ_C τ_C)), grows with the CD19-positive cells and hardly with the dose.",
             "B": "In the model a ten-fold dose gives an earlier, not a higher, peak: the cells multiply until the "
                  "CD19-positive cells run out. The trials saw no clear dose–peak relation either.",
             "C": "The fold expansion depends on how many CD19-positive cells there are: try a small leukaemic "
                  "burden in the toxicity-window explainer."})
