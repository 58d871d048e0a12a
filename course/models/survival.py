r"""Survival with a cured fraction: why checkpoint-inhibitor survival curves flatten.

A *mixture cure model* (Boag 1949; Berkson & Gage 1952; reviewed for clinicians by
Othus et al. 2012) splits a treated population in two.  A fraction :math:`\pi` is
"cured": in the trial's follow-up these patients do not die of their cancer.  The
remaining :math:`1 - \pi` die of it at a constant hazard :math:`\lambda` (exponential
latency, the simplest choice).  The population survival is

.. math::

    S(t) = \pi + (1 - \pi)\,e^{-\lambda t},

which falls from 1 and levels off at the plateau :math:`\pi` instead of falling to
zero.  The median survival :math:`m` of the whole population is where
:math:`S(m) = 1/2`; it exists only when :math:`\pi < 1/2`:

.. math::

    m = \frac{1}{\lambda}\,\ln\frac{1 - \pi}{1/2 - \pi}.

So a lesson can let a student set the two numbers a trial report gives — the plateau
and the median — and recover :math:`\lambda`.  The same median with a higher plateau
needs faster early deaths among the non-cured: two curves can share a median and
differ completely at five years, which is why immunotherapy trials report landmark
survival (e.g. "5-year overall survival 52 %") next to medians.

Time is in months throughout, as trials report it.  Background mortality is ignored.

References
----------
Boag JW (1949) J R Stat Soc B 11:15–53. doi:10.1111/j.2517-6161.1949.tb00020.x
Berkson J, Gage RP (1952) J Am Stat Assoc 47:501–515. doi:10.1080/01621459.1952.10501187
Othus M, Barlogie B, LeBlanc ML, Crowley JJ (2012) Clin Cancer Res 18:3731–3736.
doi:10.1158/1078-0432.CCR-11-2859
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

REFERENCES = (
    "Boag JW (1949) Maximum likelihood estimates of the proportion of patients cured by cancer therapy. "
    "J R Stat Soc B 11:15-53. doi:10.1111/j.2517-6161.1949.tb00020.x",
    "Berkson J, Gage RP (1952) Survival curve for cancer patients following treatment. "
    "J Am Stat Assoc 47:501-515. doi:10.1080/01621459.1952.10501187",
    "Othus M, Barlogie B, LeBlanc ML, Crowley JJ (2012) Cure models as a useful statistical tool for analyzing "
    "survival. Clin Cancer Res 18:3731-3736. doi:10.1158/1078-0432.CCR-11-2859",
)


@dataclass(frozen=True)
class CureModel:
    """Mixture cure model with exponential latency.

    Attributes
    ----------
    plateau : float
        Cured fraction :math:`\\pi`, 0 ≤ π < 1 (no unit).
    hazard_per_month : float
        Constant death rate :math:`\\lambda` of the non-cured, per month (> 0).
    """

    plateau: float
    hazard_per_month: float

    def __post_init__(self):
        p, lam = self.plateau, self.hazard_per_month
        if not (isinstance(p, (int, float)) and math.isfinite(p) and 0.0 <= p < 1.0):
            raise ValueError(f"plateau must be a fraction in [0, 1), got {p!r}")
        if not (isinstance(lam, (int, float)) and math.isfinite(lam) and lam > 0.0):
            raise ValueError(f"hazard_per_month must be a positive number, got {lam!r}")

    @classmethod
    def from_plateau_and_median(cls, plateau: float, median_months: float) -> "CureModel":
        """The model whose survival levels off at ``plateau`` and halves at ``median_months``."""
        if not (isinstance(median_months, (int, float)) and math.isfinite(median_months) and median_months > 0):
            raise ValueError(f"median_months must be a positive number, got {median_months!r}")
        if not (isinstance(plateau, (int, float)) and 0.0 <= plateau < 0.5):
            raise ValueError(f"a median exists only for a plateau below 0.5, got {plateau!r}")
        return cls(plateau, math.log((1.0 - plateau) / (0.5 - plateau)) / median_months)

    def survival(self, t_months) -> np.ndarray:
        """Fraction alive at ``t_months`` (array or scalar)."""
        t = np.asarray(t_months, dtype=float)
        return self.plateau + (1.0 - self.plateau) * np.exp(-self.hazard_per_month * t)

    @property
    def median_months(self) -> float:
        """Median overall survival, months; ``inf`` when the plateau is at or above one half."""
        if self.plateau >= 0.5:
            return math.inf
        return math.log((1.0 - self.plateau) / (0.5 - self.plateau)) / self.hazard_per_month

    @property
    def median_of_non_cured_months(self) -> float:
        """Median survival of the patients who are not cured, months (ln 2 / λ)."""
        return math.log(2.0) / self.hazard_per_month

    def hazard(self, t_months) -> np.ndarray:
        """Population hazard h(t) = −S'(t)/S(t), per month: it falls towards 0 as the cured dominate."""
        t = np.asarray(t_months, dtype=float)
        dying = (1.0 - self.plateau) * np.exp(-self.hazard_per_month * t)
        return self.hazard_per_month * dying / (self.plateau + dying)


def fit(times_months, survival_fraction) -> CureModel:
    """Least-squares fit of a cure model to landmark survival points (fractions, not percent).

    Parameters
    ----------
    times_months, survival_fraction : sequences of equal length ≥ 2
        Landmark points read from a trial report, e.g. ``[12, 24, 60]`` and ``[0.73, 0.64, 0.52]``.
    """
    t = np.asarray(times_months, dtype=float)
    s = np.asarray(survival_fraction, dtype=float)
    if t.shape != s.shape or t.ndim != 1 or t.size < 2:
        raise ValueError("give at least two landmark times and as many survival fractions")
    if not (np.all(np.isfinite(t)) and np.all(t > 0) and np.all((s > 0) & (s < 1))):
        raise ValueError("times must be positive months and survival fractions strictly between 0 and 1")

    def residual(theta):
        return CureModel(float(theta[0]), float(theta[1])).survival(t) - s

    start = np.array([min(0.9 * s.min(), 0.5), math.log(2.0) / float(np.median(t))])
    solution = least_squares(residual, start, bounds=([0.0, 1e-6], [0.999, 10.0]))
    return CureModel(float(solution.x[0]), float(solution.x[1]))
