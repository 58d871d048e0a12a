"""Checks for lesson 03's exercises.  Expected answers come from the models and the data, never typed in."""

from __future__ import annotations

from course.checks.core import ChoiceCheck, NumberCheck, register
from course.data import load
from course.models import il2_pk
from course.models import kirschner_panetta as kp

HOURS_BETWEEN_DOSES = il2_pk.HD_INTERVAL_H


def fraction_left_after_interval() -> float:
    """Fraction of IL-2 left one dosing interval later if it fell with the terminal half-life alone."""
    return 0.5 ** (HOURS_BETWEEN_DOSES * 60 / il2_pk.KONRAD_T_HALF_BETA_MIN)


def atkins_responders() -> float:
    row = load("cytokine_trials").set_index("result_id").loc["atkins1999_orr"]
    return float(row.n_patients * row.value / 100)


@register("03.1")
def _aci_threshold():
    return NumberCheck(
        expected=kp.s1_clearance_threshold(kp.Params()), rel_tol=0.01, close_tol=0.1, unit="cells per day",
        minimum=0,
        hint_close="Use Table 1's values exactly: r2, g2, mu2 and a from kp.Params().",
        hint_wrong="Without a tumour, effectors settle at s1/μ2. The tumour-free state is stable when those "
                   "effectors kill faster than the tumour grows: a·E/g2 > r2. Solve for s1.",
        explanation="Above this rate of adoptive transfer the tumour-free state is stable, whatever the antigenicity c.")


@register("03.2")
def _il2_alone():
    return ChoiceCheck(
        options={"A": "the tumour is cleared and effector cells return to their normal level",
                 "B": "the tumour is cleared but effector cells keep growing without bound",
                 "C": "nothing changes: IL-2 has no effect in the model"},
        correct="B",
        why={"A": "Look at the effector line after the tumour has gone: does it come back down?",
             "B": "IL-2 alone drives effector proliferation above their death rate: they grow without bound, "
                  "the model's picture of IL-2 toxicity (capillary leak).",
             "C": "IL-2 appears in the effector equation through p1·E·IL/(g1 + IL): it makes effectors divide."})


@register("03.3")
def _fraction_left():
    return NumberCheck(
        expected=fraction_left_after_interval(), rel_tol=0.02, close_tol=0.2, unit="", minimum=0, maximum=1,
        hint_close="Convert the interval to minutes before dividing by the half-life in minutes.",
        hint_wrong="After one half-life half is left, after two a quarter: the fraction is 0.5 ** (time / half-life).",
        explanation="About two per cent: each dose is nearly gone before the next, which is why high-dose IL-2 "
                    "is given every 8 hours.")


@register("03.4")
def _atkins_responders():
    return NumberCheck(
        expected=atkins_responders(), rel_tol=0.02, close_tol=0.1, unit="patients", minimum=0,
        hint_close="Round to whole patients only at the end.",
        hint_wrong="Multiply the number of patients by the response rate, written as a fraction (16 % is 0.16).",
        explanation="Atkins et al. report 43 responses among 270 patients: few, but some of them lasted for years.")
