"""The neoantigen model against the statements its parameters come from."""

import math

import numpy as np
import pytest

from course.data import load
from course.models import neoantigens as m


def test_ten_mutations_per_mb_is_about_200_nonsynonymous_mutations():
    # Chan et al. 2019: TMB thresholds of 10 mut/Mb "approximate 200 non-synonymous somatic mutations by WES";
    # Colli et al. 2016 found a cut-off of 192.
    assert m.nonsynonymous_mutations(m.TMB_HIGH_CUTOFF) == pytest.approx(200)
    assert m.nonsynonymous_mutations(m.TMB_HIGH_CUTOFF) == pytest.approx(192, rel=0.05)


def test_recognised_fraction_is_parkhurst_1_6_percent():
    nonsyn = m.nonsynonymous_mutations(25.0)
    assert m.expected_recognised(25.0) / nonsyn == pytest.approx(0.016)


def test_poisson_probability():
    tmb = m.tmb_for_expected(1.0)
    assert m.expected_recognised(tmb) == pytest.approx(1.0)
    assert m.probability_at_least_one(tmb) == pytest.approx(1 - math.exp(-1))
    assert m.probability_at_least_one(0.0) == 0.0
    grid = np.geomspace(0.1, 1000, 50)
    p = m.probability_at_least_one(grid)
    assert np.all(np.diff(p) >= 0) and p[0] < 0.05 < 0.99 < p[-1] and np.all((p >= 0) & (p <= 1))


def test_zero_recognition_never_gives_a_neoantigen():
    params = m.NeoantigenParams(immunogenic_fraction=0.0)
    assert m.expected_recognised(50, params) == 0
    assert m.tmb_for_expected(1.0, params) == math.inf


@pytest.mark.parametrize("bad", [-1, np.nan, np.inf, [1, -2]])
def test_impossible_tmb_is_refused(bad):
    with pytest.raises(ValueError, match="mutational burden"):
        m.expected_recognised(bad)


@pytest.mark.parametrize("kwargs", [{"immunogenic_fraction": 1.5}, {"immunogenic_fraction": -0.1},
                                    {"nonsynonymous_per_tmb": 0}])
def test_impossible_parameters_are_refused(kwargs):
    with pytest.raises(ValueError):
        m.NeoantigenParams(**kwargs)


def test_response_rate_rises_with_log_tmb_as_published():
    """Yarchoan et al. 2017 reported that TMB explained 55 % of the variation in response rate across
    27 cancer types; Wang et al. 2019 reported 50.5 % for their compilation (25 types with all their
    scores).  The fit on the 27 rows shipped here must show an association of that strength."""
    data = load("tmb_response")
    fit = m.fit_response_vs_tmb(data.median_tmb_mut_per_mb, data.orr_percent)
    assert fit.n == 27
    assert fit.slope > 0
    assert 0.45 < fit.r ** 2 < 0.56
    predicted = fit.predict([1.0, 10.0, 100.0])
    assert np.all(np.diff(predicted) > 0) and np.all((predicted >= 0) & (predicted <= 100))


def test_fit_recovers_a_known_line_and_refuses_bad_input():
    tmb = np.array([1.0, 2.0, 5.0, 20.0])
    fit = m.fit_response_vs_tmb(tmb, 3.0 + 7.0 * np.log(tmb))
    assert (fit.intercept, fit.slope, fit.r) == pytest.approx((3.0, 7.0, 1.0))
    with pytest.raises(ValueError):
        m.fit_response_vs_tmb([1, 2], [3, 4])
