"""The expected answers of lessons 02 and 03's exercises agree with the models they come from."""

import dataclasses

import pytest

from course.checks import check
from course.checks import lesson02
from course.models import kuznetsov as k


def _tumour_free(params):
    return next(e for e in k.equilibria(params) if e.tumour_free)


def test_elimination_threshold_is_where_the_tumour_free_state_turns_stable():
    d_star = lesson02.elimination_death_rate()
    paper = k.DimensionalParams()
    below = dataclasses.replace(paper, d=0.98 * d_star).to_nondimensional()
    above = dataclasses.replace(paper, d=1.02 * d_star).to_nondimensional()
    assert _tumour_free(below).stable and not _tumour_free(above).stable


def test_sneaking_through_answer_is_escape_dormancy_escape():
    # The phenomenon the exercise teaches; if the model stopped showing it, the exercise would be wrong.
    assert lesson02.sneaking_through_outcomes() == ("escape", "dormancy", "escape")


def test_dormant_state_is_the_paper_state_b():
    assert lesson02.dormant_tumour_cells() == pytest.approx(8.19e6, rel=0.01)


@pytest.mark.parametrize("exercise,answer", [
    ("02.1", k.TIME_SCALE_DAYS), ("02.2", lesson02.dormant_tumour_cells()),
    ("02.3", ["escape", "dormancy", "escape"]), ("02.4", lesson02.elimination_death_rate())])
def test_right_answers_are_correct_and_malformed_ones_explained(exercise, answer):
    assert check(exercise, answer).status == "correct"
    for bad in (None, "abc", float("nan"), -1.0, [1, 2]):
        feedback = check(exercise, bad)
        assert feedback.status in ("invalid answer", "wrong") and feedback.message


def test_il2_alone_answer_is_what_the_model_does():
    from course.models import kirschner_panetta as kp
    params = kp.Params(c=5e-5, s2=1.1 * kp.il2_runaway_threshold(kp.Params(c=5e-5)))
    result = kp.simulate(params, E0=1.0, T0=1.0, IL0=1.0, t_end=1000.0)
    assert kp.outcome(result) == "runaway" and result.T[-1] < 1
    assert check("03.2", "B").status == "correct"


def test_lesson03_numbers_follow_their_sources():
    from course.checks import lesson03
    assert lesson03.atkins_responders() == pytest.approx(43, abs=0.5)  # "43 of 270" (Atkins et al. 1999)
    assert 0.01 < lesson03.fraction_left_after_interval() < 0.03
    assert check("03.1", 540.0).status == "correct"  # Kirschner & Panetta's s1 threshold r2·g2·μ2/a
