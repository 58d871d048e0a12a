"""The expected answers of lesson 05's exercises agree with the models and data they come from."""

import math

import pytest

from course.checks import check
from course.checks import lesson05
from course.data import load
from course.models import car_t_kinetics as km
from course.models import car_t_tumour as lt


def test_doubling_time_is_the_papers():
    assert lesson05.doubling_time_days() == pytest.approx(km.Params().doubling_time_days, rel=1e-12)
    assert round(lesson05.doubling_time_days(), 2) == km.STEIN_DOUBLING_TIME_DAYS


def test_level_at_one_year_is_the_models():
    assert lesson05.level_at_one_year() == pytest.approx(float(km.level(km.course(), [365.0])[0]), rel=1e-12)


def test_intention_to_treat_uses_the_enrolled_denominator():
    trials = load("car_t_trials").set_index("key")
    assert trials.loc["eliana_ash2018_crcri_enrolled", "population"] == "enrolled"
    assert lesson05.eliana_enrolled_remission_percent() == pytest.approx(100 * 65 / 97)
    assert lesson05.eliana_infused_remission_percent() == pytest.approx(100 * 65 / 79)


def test_antigen_negative_cells_alone_reach_the_threshold_after_the_model_relapse():
    day = lesson05.cd19_negative_detection_day()
    p = lt.Params()
    f = lesson05.NEGATIVE_FRACTION
    assert f * math.exp(p.rho_l * day) == pytest.approx(lt.MRD_DETECTION_FRACTION)
    relapse = lt.simulate(cd19_negative_fraction=f).readouts
    # with the CD19-positive survivors added, the total leukaemia is detectable a little earlier
    assert relapse.relapse_antigen == "CD19-negative" and relapse.relapse_day < day < 1.2 * relapse.relapse_day


@pytest.mark.parametrize("exercise, answer", [
    ("05.1", lesson05.doubling_time_days()), ("05.2", lesson05.level_at_one_year()),
    ("05.3", lesson05.eliana_enrolled_remission_percent()), ("05.4", lesson05.cd19_negative_detection_day()),
    ("05.5", "A")])
def test_right_answers_are_correct_and_malformed_ones_explained(exercise, answer):
    assert check(exercise, answer).status == "correct"
    assert check(exercise, ...).status == "not answered"
    for bad in (None, "abc", float("nan"), -1.0, [1, 2], math.inf):
        feedback = check(exercise, bad)
        assert feedback.status in ("invalid answer", "wrong") and feedback.message


def test_common_mistakes_get_their_hint():
    infused = check("05.3", lesson05.eliana_infused_remission_percent())
    assert infused.status == "wrong" and "infused" in infused.message
    model_relapse = check("05.4", lt.simulate(cd19_negative_fraction=lesson05.NEGATIVE_FRACTION).readouts.relapse_day)
    assert model_relapse.status == "close" and "CD19-positive" in model_relapse.message
    assert check("05.5", "B").status == "wrong"
