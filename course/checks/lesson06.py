"""Checks for lesson 06's exercises.  Expected answers come from the models and the data, never typed in."""

from __future__ import annotations

import functools
from dataclasses import replace

from course.checks.core import ChoiceCheck, NumberCheck, register
from course.data import load
from course.models import hpv_cervical as hpv
from course.models import prime_boost as pb
from course.models import tumour_vaccine as tv

#: The HPV exercise's programme: 80 % of girls vaccinated at 12 with the model's default efficacy.
HPV_COVERAGE, HPV_AGE = 0.8, 12.0


def hpv_reduction_percent() -> float:
    """% fewer cervical cancers before 80 (all types) for the exercise's programme."""
    return 100.0 * hpv.simulate(None, HPV_COVERAGE, HPV_AGE).reduction_by_80


def future2_gap_points() -> float:
    """FUTURE II: per-protocol minus intention-to-treat efficacy against HPV16/18 CIN2+, percentage points."""
    t = load("hpv_vaccine_impact").set_index("result_id")
    return float(t.loc["future2_pp", "value"] - t.loc["future2_itt", "value"])


def booster_gain_at_5_years() -> float:
    """Titre 5 years after priming with the trial's booster divided by the titre without it (White et al. 2015)."""
    p = pb.Params()
    boosted = pb.simulate(p, pb.TRIAL_BOOST_DAY)
    alone = pb.simulate(p, None)
    return float(pb.level_at_years(boosted, 5.0) / pb.level_at_years(alone, 5.0))


#: The tumour-vaccine exercise's scenario: a fast tumour and 100-times-stronger Treg suppression (as in the lesson).
def strong_suppression() -> tv.Params:
    p = tv.Params()
    return replace(p, r=1e-3, k_r=100.0 * p.k_r)


@functools.cache
def threshold_without_blockade() -> float:
    """Smallest dose per injection (vaccine cells) that controls the tumour in that scenario, no blockade."""
    return float(tv.control_threshold(strong_suppression(), rel_tol=0.01))


@register("06.1")
def _hpv_reduction():
    return NumberCheck(
        expected=hpv_reduction_percent(), rel_tol=0.01, close_tol=0.1, unit="%", minimum=0, maximum=100,
        hint_close="Compare the cumulative risks before the 80th birthday, with and without vaccination.",
        hint_wrong="Use the Projection's reduction_by_80 (a fraction: × 100 for %), or the explainer's readout "
                   "'… % fewer cancers'. Count all cervical cancers, not only those caused by HPV16/18.",
        explanation="Even with every girl vaccinated the model cannot prevent the cancers caused by other HPV "
                    "types, and it has no herd protection: the reduction is proportional to coverage.")


@register("06.2")
def _per_protocol_gap():
    return NumberCheck(
        expected=future2_gap_points(), rel_tol=0.01, close_tol=0.1, unit="percentage points", minimum=0,
        maximum=100,
        hint_close="Subtract the intention-to-treat efficacy from the per-protocol one, both in %.",
        hint_wrong="Read the rows 'future2_pp' and 'future2_itt' of hpv_vaccine_impact and subtract their values.",
        explanation="Same vaccine, same trial: the intention-to-treat population includes women already infected "
                    "when vaccinated, whom a preventive vaccine cannot protect.")


@register("06.3")
def _booster_gain():
    return NumberCheck(
        expected=booster_gain_at_5_years(), rel_tol=0.01, close_tol=0.1, unit="times", minimum=0,
        hint_close="Divide the boosted titre by the priming-only titre, both at exactly 5 years.",
        hint_wrong="Run pb.simulate twice (booster at pb.TRIAL_BOOST_DAY, and None) and compare "
                   "pb.level_at_years(..., 5.0); the ratio is boosted / priming only.",
        explanation="The booster's response has a larger long-lived part (plasma cells that last), so its "
                    "advantage grows with time even though its peak is lower than the priming series'.")


@register("06.4")
def _threshold_dose():
    return NumberCheck(
        expected=threshold_without_blockade(), rel_tol=0.05, close_tol=0.5, unit="cells per injection",
        minimum=0,
        hint_close="Refine the dose around the point where the readout switches from 'progressing' to "
                   "'controlled' or 'eliminated', or read the control threshold in the readout.",
        hint_wrong="Choose the scenario 'fast tumour, Tregs 100× more suppressive' with no blockade and find the "
                   "smallest dose that stops the tumour from growing (the readout gives the control threshold), or "
                   "call tv.control_threshold.",
        explanation="Strong Treg suppression raises the dose a vaccine needs many-fold; blocking the suppression "
                    "brings it back down.")


@register("06.5")
def _why_combine():
    return ChoiceCheck(
        options={"A": "The vaccine primes and expands T cells against the tumour; the checkpoint inhibitor keeps "
                      "them working inside a tumour that switches them off",
                 "B": "The checkpoint inhibitor is itself an antigen that makes the vaccine stronger",
                 "C": "The checkpoint inhibitor kills tumour cells directly, so the vaccine faces a smaller tumour"},
        correct="A",
        why={"A": "Vaccination supplies tumour-specific T cells; PD-1/PD-L1 and other brakes in the tumour "
                  "microenvironment switch them off, and blocking the brake lets them act.",
             "B": "A checkpoint inhibitor is an antibody that blocks a receptor; it is not the antigen the T "
                  "cells are trained against.",
             "C": "Checkpoint inhibitors do not kill tumour cells themselves: they release T cells that can."})
