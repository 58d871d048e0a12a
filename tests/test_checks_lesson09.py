"""Lesson 09's checks: expected answers from the virtual-trial model, feedback on any input, never an exception."""

import math

import numpy as np
import pytest

from course.checks import check
from course.checks import lesson09
from course.explainers import virtual_trial as ex
from course.figures import virtual_trial as settings
from course.models import virtual_trial as vt


def test_checks_run_the_explainers_trial():
    # the student reads numbers from the explainer and the check must agree with them
    reg = vt.Regimen(checkpoint=0.9, vaccine=1e-4, n_doses=4)
    a, b = lesson09.trial(reg, "iRECIST"), ex.run(reg, "iRECIST")
    np.testing.assert_array_equal(a.best_response, b.best_response)
    np.testing.assert_array_equal(a.toxicity, b.toxicity)


def test_best_monotherapy_is_the_best_of_the_four_arms():
    name, orr, tox = lesson09.best_monotherapy()
    arms = {k: vt.objective_response_rate(lesson09.trial(r)) for k, r in lesson09.monotherapy_arms().items()}
    assert set(arms) == set(vt.THERAPIES) and orr == max(arms.values()) and arms[name] == orr
    assert orr < 0.5  # at the ceilings, no single therapy reaches half of the patients


def test_the_example_regimen_beats_monotherapy_within_budget():
    result = lesson09.trial(lesson09.example_regimen())
    assert result.toxicity.mean() <= settings.TOXICITY_BUDGET
    assert vt.objective_response_rate(result) > lesson09.best_monotherapy()[1]
    assert check("09.1", lesson09.example_regimen()).status == "correct"
    # the same regimen as a dict works too
    assert check("09.1", dict(checkpoint=0.9, vaccine=1e-4, n_doses=4)).status == "correct"


def test_too_toxic_and_not_better_are_told_apart():
    too_toxic = check("09.1", vt.Regimen(checkpoint=0.9, vaccine=1e-4, n_doses=8))
    assert too_toxic.status == "wrong" and "too toxic" in too_toxic.message
    weak = check("09.1", vt.Regimen(aci=1e4, n_doses=2))
    assert weak.status == "wrong" and "not better than monotherapy" in weak.message
    over = check("09.1", vt.Regimen(vaccine=1e-2))
    assert over.status == "invalid answer" and "ceiling" in over.message


def test_the_non_responders_parameter_is_the_strongest_separator():
    ranking = lesson09.non_responder_ranking()
    best, direction, strength = ranking[0]
    assert (best, direction) == ("q", "low") and strength > ranking[1][2]
    # blockade multiplies recruitment by (1+q)/(1+q(1-f)): a weak brake leaves little to release
    result = lesson09.trial(lesson09.BLOCKADE_99)
    responded = np.isin(result.best_response, ("CR", "PR"))
    assert np.median(result.cohort.q[~responded]) < np.median(result.cohort.q[responded])
    assert check("09.2", ("q", "low")).status == "correct"
    assert check("09.2", ("q", "high")).status == "wrong"
    assert check("09.2", (ranking[1][0], ranking[1][1])).status == "close"


def test_pseudo_progression_count_is_the_gap_between_the_criteria():
    n = lesson09.pseudo_progression_count()
    reg = lesson09.BLOCKADE_99
    gap = (vt.objective_response_rate(lesson09.trial(reg, "iRECIST"))
           - vt.objective_response_rate(lesson09.trial(reg, "RECIST1.1"))) * settings.N_PATIENTS
    assert n == pytest.approx(gap) and n > 50
    assert check("09.3", n).status == "correct"


BAD = [None, "abc", float("nan"), -1.0, [1, 2], math.inf, {"aci": -5}, {"surgery": 1}, ("q",), (1, "low"),
       {"n_doses": 2.5}, object(), np.array([1.0, 2.0]), vt.Regimen(n_doses=0), {"aci": "1e5"}]


@pytest.mark.parametrize("exercise", ["09.1", "09.2", "09.3"])
def test_malformed_answers_are_explained_never_raised(exercise):
    assert check(exercise, ...).status == "not answered"
    for bad in BAD:
        feedback = check(exercise, bad)
        assert feedback.status in ("invalid answer", "wrong") and feedback.message, (bad, feedback)
