"""Checks for lesson 02's exercises.  Expected answers come from the Kuznetsov model, never typed in."""

from __future__ import annotations

import dataclasses

from course.checks.core import NumberCheck, SequenceCheck, register
from course.models import kuznetsov as model

PAPER = model.DimensionalParams()
#: The starting tumour sizes (cells) of exercise 02.3, with effectors at one million cells.
SNEAK_STARTS = (1e3, 1e6, 3e8)
SNEAK_EFFECTORS = 1e6


def sneaking_through_params() -> model.Params:
    """The paper's parameters with μ raised to where its Fig. 8 shows sneaking through."""
    return dataclasses.replace(model.Params(), mu=model.FIG8_MU)


def sneaking_through_outcomes() -> tuple[str, ...]:
    p = sneaking_through_params()
    x0 = model.from_cells(SNEAK_EFFECTORS)
    return tuple(model.outcome(p, x0, model.from_cells(t)) for t in SNEAK_STARTS)


def dormant_tumour_cells() -> float:
    """Tumour cells at the smallest stable equilibrium with a tumour, paper's parameters."""
    stable = [e for e in model.equilibria(model.Params()) if e.stable and not e.tumour_free]
    return min(e.y for e in stable) * model.CELL_SCALE


def elimination_death_rate() -> float:
    return model.elimination_death_rate(PAPER)


@register("02.1")
def _time_scale():
    return NumberCheck(
        expected=model.TIME_SCALE_DAYS, rel_tol=0.01, close_tol=0.1, unit="days", minimum=0,
        hint_close="Use the paper's n and T0 exactly: 1 / (n × T0).",
        hint_wrong="Time is scaled by n·T0 (per day), so one unit of τ lasts 1/(n·T0) days; n is per cell per day.",
        explanation="So a simulation to τ = 100 covers about two and a half years.")


@register("02.2")
def _dormant_size():
    return NumberCheck(
        expected=dormant_tumour_cells(), rel_tol=0.01, close_tol=0.1, unit="cells", minimum=0,
        hint_close="Multiply the non-dimensional y by the cell scale, 10⁶ cells, without rounding y first.",
        hint_wrong="Take the stable equilibrium with the smallest tumour (not the tumour-free one) and convert y "
                   "to cells with model.to_cells.",
        explanation="A few million cells, far below what a clinician can detect: an occult, dormant tumour.")


@register("02.3")
def _sneaking_through():
    return SequenceCheck(
        expected=sneaking_through_outcomes(), vocabulary=("elimination", "dormancy", "escape"),
        hint_order="Run model.outcome for each start in the order given: smallest tumour first.",
        explanation="The smallest and the largest tumour escape while the middle one is held dormant: "
                    "the small one grows before it has recruited enough effectors. That is sneaking through.")


@register("02.4")
def _elimination_threshold():
    return NumberCheck(
        expected=elimination_death_rate(), rel_tol=0.02, close_tol=0.2, unit="per day", minimum=0,
        hint_close="Use the paper's dimensional values without rounding: s, n, T0, a and E0.",
        hint_wrong="The tumour-free state is stable when the normal effector level σ/δ exceeds α. Turn δ < σ/α "
                   "back into d with δ = d/(n·T0).",
        explanation=f"About {PAPER.d / elimination_death_rate():.0f} times below the paper's estimate of d: in this "
                    "lymphoma, elimination would need effectors that live much longer than they do.")
