"""The mixture cure model: its closed forms, its limits and its fit to landmark points."""

import math

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.optimize import brentq

from course.models.survival import CureModel, fit


@pytest.mark.parametrize("plateau, median", [(0.0, 12.0), (0.2, 20.0), (0.45, 36.0), (0.3, 5.5)])
def test_median_from_plateau_and_median_is_where_half_are_alive(plateau, median):
    model = CureModel.from_plateau_and_median(plateau, median)
    assert model.survival(median) == pytest.approx(0.5, abs=1e-12)
    assert model.median_months == pytest.approx(median, rel=1e-12)
    # and a numerical root of S(t) = 1/2 agrees with the closed form
    assert brentq(lambda t: model.survival(t) - 0.5, 1e-9, 1e4) == pytest.approx(median, rel=1e-9)


def test_without_a_cure_fraction_it_is_the_exponential_with_median_ln2_over_lambda():
    model = CureModel(0.0, 0.05)
    assert model.median_months == pytest.approx(math.log(2) / 0.05)
    assert model.median_months == pytest.approx(model.median_of_non_cured_months)


def test_survival_levels_off_at_the_plateau_and_the_hazard_falls_to_zero():
    model = CureModel.from_plateau_and_median(0.3, 18.0)
    t = np.linspace(0, 600, 2001)
    s = model.survival(t)
    assert s[0] == pytest.approx(1.0) and np.all(np.diff(s) <= 0) and np.all(np.diff(s[:200]) < 0)
    assert s[-1] == pytest.approx(0.3, abs=1e-9)
    h = model.hazard(t)
    assert h[0] == pytest.approx(model.hazard_per_month * 0.7) and h[-1] < 1e-6 and np.all(np.diff(h) <= 0)
    # the hazard is −d ln S / dt: integrating it gives back the survival
    assert math.exp(-quad(lambda u: float(model.hazard(u)), 0, 48)[0]) == pytest.approx(float(model.survival(48)))


def test_same_median_higher_plateau_more_alive_late_fewer_alive_early():
    low, high = CureModel.from_plateau_and_median(0.1, 20.0), CureModel.from_plateau_and_median(0.4, 20.0)
    assert high.survival(60) > low.survival(60) + 0.2
    assert high.survival(6) < low.survival(6)


def test_no_median_when_half_or_more_are_cured():
    assert CureModel(0.5, 0.1).median_months == math.inf
    with pytest.raises(ValueError, match="below 0.5"):
        CureModel.from_plateau_and_median(0.6, 12.0)


@pytest.mark.parametrize("bad", [dict(plateau=-0.1, hazard_per_month=0.1), dict(plateau=1.0, hazard_per_month=0.1),
                                 dict(plateau=float("nan"), hazard_per_month=0.1),
                                 dict(plateau=0.2, hazard_per_month=0.0), dict(plateau=0.2, hazard_per_month=-1),
                                 dict(plateau="0.2", hazard_per_month=0.1)])
def test_invalid_parameters_are_refused_with_a_message(bad):
    with pytest.raises(ValueError, match="plateau|hazard"):
        CureModel(**bad)


def test_fit_recovers_a_known_curve_from_its_landmarks():
    truth = CureModel.from_plateau_and_median(0.35, 30.0)
    t = np.array([6.0, 12, 24, 36, 48, 60, 72])
    fitted = fit(t, truth.survival(t))
    assert fitted.plateau == pytest.approx(0.35, abs=1e-4)
    assert fitted.hazard_per_month == pytest.approx(truth.hazard_per_month, rel=1e-3)


@pytest.mark.parametrize("times, surv", [([12], [0.5]), ([12, 24], [0.5]), ([12, -24], [0.5, 0.4]),
                                         ([12, 24], [0.5, 1.2]), ([12, float("nan")], [0.5, 0.4])])
def test_fit_refuses_points_it_cannot_use(times, surv):
    with pytest.raises(ValueError):
        fit(times, surv)
