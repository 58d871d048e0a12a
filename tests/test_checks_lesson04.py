"""The expected answers of lesson 04's exercises agree with the models and data they come from."""

import math
from dataclasses import replace

import pytest

from course.checks import check
from course.checks import lesson04
from course.models import checkpoint_tumour as ct
from course.models.survival import CureModel


def test_trough_conversion_uses_the_molecular_weight():
    # 1 µg/mL of a 149 kDa antibody is 1e-3 g/L / 149,000 g/mol = 6.71 nM
    assert lesson04.trough_nm() / lesson04.trough_ug_per_ml() == pytest.approx(1e6 / 149_000, rel=1e-9)


def test_trough_occupancy_is_near_saturation_as_the_lesson_claims():
    assert 99.0 < lesson04.trough_occupancy_percent() < 100.0


def test_ipilimumab_plateau_reproduces_both_published_numbers():
    plateau = lesson04.ipilimumab_plateau_percent() / 100
    model = CureModel.from_plateau_and_median(plateau, 19.9)  # CheckMate 067 ipilimumab median OS (Wolchok 2022)
    assert model.survival(60.0) == pytest.approx(0.26, abs=1e-6)  # 5-year OS 26 % (Larkin 2019)
    assert 0.15 < plateau < 0.26


def test_critical_blockade_separates_escape_from_control():
    base = ct.Params()
    critical = ct.critical_level(base)
    below = ct.equilibria(replace(base, A=0.95 * critical))
    above = ct.equilibria(replace(base, A=1.05 * critical))
    assert any(not e.tumour_free for e in below)  # a tumour state still exists below the critical level
    assert len(above) < len(below)
    assert lesson04.critical_blockade_percent() == pytest.approx(58.0, abs=0.5)


@pytest.mark.parametrize("exercise, answer", [
    ("04.1", lesson04.trough_nm()), ("04.2", lesson04.trough_occupancy_percent()),
    ("04.3", lesson04.ipilimumab_plateau_percent()), ("04.4", lesson04.critical_blockade_percent()),
    ("04.5", "A")])
def test_right_answers_are_correct_and_malformed_ones_explained(exercise, answer):
    assert check(exercise, answer).status == "correct"
    for bad in (None, "abc", float("nan"), -1.0, [1, 2], math.inf):
        feedback = check(exercise, bad)
        assert feedback.status in ("invalid answer", "wrong") and feedback.message


def test_a_fraction_instead_of_a_percentage_is_not_correct():
    assert check("04.2", lesson04.trough_occupancy_percent() / 100).status != "correct"
