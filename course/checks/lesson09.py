"""Checks for lesson 09's exercises (the capstone).  Expected answers come from the models, never typed in.

Every check runs the lesson's trial (:mod:`course.figures.virtual_trial`'s settings: 200 patients, seed 0,
730 days, 1-day steps), the same one the explainer shows, so a student's explainer numbers and the check
agree.  The comparison arms are computed once and cached.
"""

from __future__ import annotations

import functools
import math
import numbers
from dataclasses import dataclass, fields

import numpy as np

from course.checks.core import CLOSE, CORRECT, INVALID, WRONG, Check, NumberCheck, _type_name, register
from course.figures import virtual_trial as settings
from course.models import virtual_trial as vt

#: Exercise 09.1: the highest dose of each therapy the (imaginary) phase I study allowed (course
#: assumption), and the criteria the trial is read with.
DOSE_CEILING = {"aci": 1e5, "il2": 3e7, "checkpoint": 0.9, "vaccine": 1e-4}
EXERCISE_CRITERIA = "iRECIST"
#: Exercise 09.2 and 09.3: the regimen whose non-responders are examined.
BLOCKADE_99 = vt.Regimen(checkpoint=0.99)
PARAMETERS = {"c": "antigenicity", "r2": "tumour growth rate", "a": "killing rate", "q": "checkpoint brake",
              "T0": "baseline tumour size"}


def cohort() -> vt.Cohort:
    return vt.draw_cohort(settings.N_PATIENTS, seed=settings.SEED)


@functools.lru_cache(maxsize=64)
def trial(regimen: vt.Regimen, criteria: str = EXERCISE_CRITERIA) -> vt.TrialResult:
    """The lesson's trial of ``regimen`` (cached)."""
    return vt.run_trial(cohort(), regimen, settings.TRIAL_DAYS, dt=settings.TRIAL_DT, criteria=criteria)


def monotherapy_arms() -> dict[str, vt.Regimen]:
    """Each therapy alone at its ceiling dose, in the default schedule (8 courses of 21 days)."""
    return {name: vt.Regimen(**{name: dose}) for name, dose in DOSE_CEILING.items()}


@functools.cache
def best_monotherapy() -> tuple[str, float, float]:
    """(therapy, ORR, mean toxicity) of the monotherapy arm with the highest ORR."""
    arms = [(name, vt.objective_response_rate(trial(reg)), float(trial(reg).toxicity.mean()))
            for name, reg in monotherapy_arms().items()]
    return max(arms, key=lambda arm: arm[1])


def example_regimen() -> vt.Regimen:
    """A regimen that passes 09.1: blockade and vaccine at their ceilings, four courses."""
    return vt.Regimen(checkpoint=DOSE_CEILING["checkpoint"], vaccine=DOSE_CEILING["vaccine"], n_doses=4)


def _as_regimen(answer) -> vt.Regimen | str:
    """A Regimen from ``answer`` (a Regimen or a dict of its fields), or a message saying what is wrong."""
    names = [f.name for f in fields(vt.Regimen)]
    if isinstance(answer, vt.Regimen):
        return answer
    if isinstance(answer, dict):
        unknown = [k for k in answer if k not in names]
        if unknown:
            return f"{unknown} are not parts of a Regimen; its fields are {names}"
        try:
            return vt.Regimen(**answer)
        except (TypeError, ValueError) as err:
            return f"this dict does not make a Regimen: {err}"
    return (f"you gave {_type_name(answer)}; give a Regimen, e.g. Regimen(checkpoint=0.5, vaccine=5e-5, "
            "n_doses=4)")


@dataclass(frozen=True)
class RegimenCheck(Check):
    """A regimen within the dose ceilings and the toxicity budget that beats the best monotherapy's ORR."""

    def evaluate(self, answer):
        reg = _as_regimen(answer)
        if isinstance(reg, str):
            return INVALID, reg
        over = [f"{name} {getattr(reg, name):g} > {ceiling:g}" for name, ceiling in DOSE_CEILING.items()
                if getattr(reg, name) > ceiling * (1 + 1e-9)]
        if over:
            return INVALID, f"above the dose ceilings of this exercise: {', '.join(over)}; lower them"
        if reg.start_day + reg.n_doses * reg.interval_days > settings.TRIAL_DAYS or not reg.therapies:
            return INVALID, (f"give at least one therapy, with every course over by day "
                             f"{settings.TRIAL_DAYS:g} (the end of the trial)")
        result = trial(reg)
        orr = vt.objective_response_rate(result)
        tox = float(result.toxicity.mean())
        name, mono_orr, mono_tox = best_monotherapy()
        budget = settings.TOXICITY_BUDGET
        numbers_text = (f"your regimen: ORR {100 * orr:.1f} % ({EXERCISE_CRITERIA}), mean toxicity {tox:.2f} "
                        f"(budget {budget:g}); best monotherapy ({name} at its ceiling): ORR {100 * mono_orr:.1f} %, "
                        f"mean toxicity {mono_tox:.2f}.")
        if tox > budget:
            return WRONG, (f"too toxic: {numbers_text} Fewer or shorter courses lower the toxicity proxy; a "
                           "combination can work at lower doses of each therapy.")
        if orr <= mono_orr:
            return WRONG, (f"not better than monotherapy: {numbers_text} Combine therapies that act on different "
                           "steps (e.g. more antigen and a released brake).")
        return CORRECT, (f"good: {numbers_text} RECIST 1.1 would give ORR "
                         f"{100 * vt.objective_response_rate(trial(reg, 'RECIST1.1')):.1f} % for the same patients.")


def _separation(regimen: vt.Regimen = BLOCKADE_99) -> dict[str, float]:
    """Per parameter, the probability that a non-responder's value exceeds a responder's (0.5 = no separation)."""
    result = trial(regimen)
    responded = np.isin(result.best_response, ("CR", "PR"))
    c = result.cohort
    out = {}
    for name in PARAMETERS:
        x = getattr(c, name)
        out[name] = float((x[~responded][:, None] > x[responded][None, :]).mean())
    return out


@functools.cache
def non_responder_ranking() -> tuple[tuple[str, str, float], ...]:
    """Parameters ordered by how well they separate non-responders to 99 % blockade: (name, low/high, strength)."""
    sep = _separation()
    ranked = sorted(sep.items(), key=lambda kv: -abs(kv[1] - 0.5))
    return tuple((name, "low" if p < 0.5 else "high", abs(p - 0.5)) for name, p in ranked)


@dataclass(frozen=True)
class NonResponderCheck(Check):
    """A (parameter, 'low'/'high') pair naming what the non-responders have in common."""

    def evaluate(self, answer):
        allowed = ", ".join(f"'{k}' ({v})" for k, v in PARAMETERS.items())
        if not isinstance(answer, (tuple, list)) or len(answer) != 2 or not all(isinstance(a, str) for a in answer):
            return INVALID, (f"you gave {_type_name(answer)}; give a pair of texts, a parameter and 'low' or "
                             f"'high', e.g. ('r2', 'high'). Parameters: {allowed}")
        name, direction = answer[0].strip(), answer[1].strip().lower()
        lookup = {k.lower(): k for k in PARAMETERS}
        if name.lower() not in lookup:
            return INVALID, f"{answer[0]!r} is not a parameter of the cohort; choose one of {allowed}"
        if direction not in ("low", "high"):
            return INVALID, f"the second text must be 'low' or 'high', not {answer[1]!r}"
        name = lookup[name.lower()]
        ranking = non_responder_ranking()
        by_name = {n: (d, s) for n, d, s in ranking}
        best, best_dir, _ = ranking[0]
        second, second_dir, _ = ranking[1]
        d, strength = by_name[name]
        sep = _separation()
        share = (f"a non-responder's {PARAMETERS[name]} is above a responder's in {100 * sep[name]:.0f} % of "
                 "pairs (50 % = no difference)")
        if name == best and direction == best_dir:
            return CORRECT, (f"{name} ({PARAMETERS[name]}) {direction}: {share}. Blockade multiplies "
                             "antigen-driven recruitment by (1 + q)/(1 + q(1 − f)): with a weak brake there is little "
                             "to release (and with little antigen little to multiply), so T cells build up slowly "
                             "and the tumour grows past two scans before it collapses, if it does: too late to count "
                             "as a response (explain_patient says which).")
        if name == second and direction == second_dir:
            return CLOSE, (f"{name} {direction} matters too ({share}), but another parameter separates the "
                           "non-responders more strongly: compare the brake and the antigenicity.")
        if direction != d and strength > 0.1:
            return WRONG, f"the other way round: {share}."
        return WRONG, (f"{name} hardly separates them: {share}. Look at what checkpoint blockade acts on in the "
                       "model.")


def pseudo_progression_count(regimen: vt.Regimen = BLOCKADE_99) -> int:
    """Patients who respond by iRECIST but are PD by RECIST 1.1 under ``regimen``."""
    irecist = np.isin(trial(regimen, "iRECIST").best_response, ("CR", "PR"))
    recist = np.isin(trial(regimen, "RECIST1.1").best_response, ("CR", "PR"))
    return int(np.sum(irecist & ~recist))


@register("09.1")
def _design_a_regimen():
    return RegimenCheck()


@register("09.2")
def _who_does_not_respond():
    return NonResponderCheck()


@register("09.3")
def _pseudo_progression():
    n = pseudo_progression_count()
    return NumberCheck(
        expected=float(n), rel_tol=1e-9, close_tol=0.1, unit="patients", minimum=0, maximum=settings.N_PATIENTS,
        hint_close="Count patients, not percent: a response by iRECIST and no response by RECIST 1.1.",
        hint_wrong="Run the trial twice, once with criteria='RECIST1.1' and once with 'iRECIST', and count the "
                   "patients whose best response is CR or PR only in the second.",
        explanation=f"{n} of {settings.N_PATIENTS} patients first grow past a scan and then respond: RECIST 1.1 "
                    "stops at the first progression, iRECIST waits for it to be confirmed.")
