"""The expected answers of lesson 06's exercises agree with the models and data they come from."""

import math

import pytest

from course.checks import check
from course.checks import lesson06
from course.data import load
from course.explainers import vaccines as ex
from course.models import hpv_cervical as hpv
from course.models import prime_boost as pb
from course.models import tumour_vaccine as tv


def test_hpv_reduction_is_the_models_and_below_the_vaccine_type_share():
    value = lesson06.hpv_reduction_percent()
    _, r = hpv.reduction_by_vaccination_age(None, [lesson06.HPV_AGE], lesson06.HPV_COVERAGE, by_age=80)
    assert value == pytest.approx(100 * r[0], rel=1e-6)
    assert value < 100 * hpv.DEFAULT.hpv1618_share * lesson06.HPV_COVERAGE


def test_per_protocol_gap_reads_the_two_future_ii_rows():
    t = load("hpv_vaccine_impact").set_index("result_id")
    assert t.loc["future2_pp", "analysis_set"] == "per-protocol"
    assert t.loc["future2_itt", "analysis_set"] == "intention-to-treat"
    assert lesson06.future2_gap_points() == pytest.approx(54.0)


def test_booster_gain_is_a_ratio_above_one():
    gain = lesson06.booster_gain_at_5_years()
    assert 1.5 < gain < 5
    p = pb.Params()
    boosted = pb.simulate(p, pb.TRIAL_BOOST_DAY)
    assert pb.level_at_years(boosted, 5.0) == pytest.approx(gain * pb.level_at_years(pb.simulate(p, None), 5.0))


def test_threshold_is_the_explainers_and_separates_outcomes():
    threshold = lesson06.threshold_without_blockade()
    assert threshold == pytest.approx(ex.control_thresholds("fast tumour, Tregs 100× more suppressive")[0])
    p = lesson06.strong_suppression()
    assert tv.classify(tv.simulate(p, threshold * 1.05)) != "progressing"
    assert tv.classify(tv.simulate(p, threshold / 1.05)) == "progressing"


@pytest.mark.parametrize("exercise, answer", [
    ("06.1", lesson06.hpv_reduction_percent()), ("06.2", lesson06.future2_gap_points()),
    ("06.3", lesson06.booster_gain_at_5_years()), ("06.4", lesson06.threshold_without_blockade()),
    ("06.5", "A")])
def test_right_answers_are_correct_and_malformed_ones_explained(exercise, answer):
    assert check(exercise, answer).status == "correct"
    for bad in (None, "abc", float("nan"), -1.0, [1, 2], math.inf, ..., {"a": 1}):
        feedback = check(exercise, bad)
        assert feedback.status in ("invalid answer", "wrong", "not answered") and feedback.message


def test_common_slips_are_not_correct():
    # a fraction instead of a percentage, and the HPV16/18-only reduction instead of all cancers
    assert check("06.1", lesson06.hpv_reduction_percent() / 100).status != "correct"
    proj = hpv.simulate(None, lesson06.HPV_COVERAGE, lesson06.HPV_AGE)
    assert check("06.1", 100 * hpv.relative_reduction(proj, 80, hpv1618_only=True)).status != "correct"
    # the booster's fold rise at the injection is not the gain at 5 years
    res = pb.simulate(pb.Params(), pb.TRIAL_BOOST_DAY)
    assert check("06.3", pb.fold_boost(res)).status != "correct"
    assert check("06.5", "b").status == "wrong"
