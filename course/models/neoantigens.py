r"""From tumour mutational burden to neoantigens that T cells can recognise.

A deliberately simple, stated model.  A tumour's panel-measured mutational
burden :math:`\mathrm{TMB}` (mutations per megabase) is turned into the number of
non-synonymous mutations in its exome, and each of those independently yields a
T-cell-recognised neoantigen with a small probability :math:`q`:

.. math::

    N_\mathrm{ns} = k \cdot \mathrm{TMB}, \qquad
    \lambda = q \, N_\mathrm{ns}, \qquad
    P(\text{at least one}) = 1 - e^{-\lambda}

The last step is the Poisson limit of many independent, rare events: it is an
assumption of the model, not a measurement.  The module also fits the
across-cancer relation between objective response rate and TMB,
:math:`\mathrm{ORR} = a + b \ln \mathrm{TMB}` (the form Yarchoan et al. 2017 used).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: FDA tissue-agnostic approval of pembrolizumab for TMB-high tumours, 16 June 2020:
#: TMB ≥ 10 mutations/Mb by FoundationOne CDx (Marabelle A et al. (2020) Lancet Oncol
#: 21:1353-1365, doi:10.1016/S1470-2045(20)30445-9; Strickler JH et al. (2021) Clin
#: Cancer Res 27:1236-1241, doi:10.1158/1078-0432.CCR-20-3054).
TMB_HIGH_CUTOFF = 10.0  # mutations per megabase


@dataclass(frozen=True)
class NeoantigenParams:
    """Parameters of the neoantigen model.

    Attributes
    ----------
    nonsynonymous_per_tmb : float
        Non-synonymous exome mutations per 1 mutation/Mb of panel TMB
        (mutations per (mutations/Mb)).  20 follows from the statement that the
        proposed TMB thresholds of 10 mut/Mb "approximate 200 non-synonymous
        somatic mutations by whole exome sequencing": Chan TA et al. (2019) Ann
        Oncol 30:44-56, doi:10.1093/annonc/mdy495.  Colli LM et al. (2016) Cancer
        Res 76:3767-3772 (doi:10.1158/0008-5472.CAN-16-0170) found a similar cut-off
        of 192 non-synonymous mutations.
    immunogenic_fraction : float
        Probability that one non-synonymous mutation yields a neoantigen recognised
        by the patient's T cells (dimensionless).  0.016: "1.6% of the gene products
        encoded by somatic non-synonymous mutations were immunogenic" in tumour-
        infiltrating lymphocytes of 75 patients with gastrointestinal cancers,
        Parkhurst MR et al. (2019) Cancer Discov 9:1022-1035,
        doi:10.1158/2159-8290.CD-18-1494.
    """

    nonsynonymous_per_tmb: float = 20.0
    immunogenic_fraction: float = 0.016

    def __post_init__(self):
        if not self.nonsynonymous_per_tmb > 0:
            raise ValueError("nonsynonymous_per_tmb must be positive")
        if not 0 <= self.immunogenic_fraction <= 1:
            raise ValueError("immunogenic_fraction must be a probability between 0 and 1")


def _tmb_array(tmb) -> np.ndarray:
    a = np.asarray(tmb, dtype=float)
    if np.any(~np.isfinite(a)) or np.any(a < 0):
        raise ValueError("tumour mutational burden must be a finite number ≥ 0 (mutations per megabase)")
    return a


def nonsynonymous_mutations(tmb, params: NeoantigenParams = NeoantigenParams()):
    """Expected non-synonymous exome mutations for a panel TMB (mut/Mb)."""
    return params.nonsynonymous_per_tmb * _tmb_array(tmb)


def expected_recognised(tmb, params: NeoantigenParams = NeoantigenParams()):
    """Expected number λ of T-cell-recognised neoantigens."""
    return params.immunogenic_fraction * nonsynonymous_mutations(tmb, params)


def probability_at_least_one(tmb, params: NeoantigenParams = NeoantigenParams()):
    """Probability that the tumour carries at least one recognised neoantigen (Poisson)."""
    return -np.expm1(-expected_recognised(tmb, params))


def tmb_for_expected(count: float, params: NeoantigenParams = NeoantigenParams()) -> float:
    """The TMB (mut/Mb) at which the expected number of recognised neoantigens equals ``count``."""
    if params.immunogenic_fraction == 0:
        return float("inf")
    return float(count) / (params.nonsynonymous_per_tmb * params.immunogenic_fraction)


@dataclass(frozen=True)
class LogLinearFit:
    """ORR (%) = intercept + slope · ln(TMB), fitted by least squares."""

    intercept: float
    slope: float
    r: float  # Pearson correlation of ORR with ln(TMB)
    n: int

    def predict(self, tmb):
        """Fitted ORR in %, clipped to the possible range 0–100."""
        return np.clip(self.intercept + self.slope * np.log(_tmb_array(tmb)), 0.0, 100.0)


def fit_response_vs_tmb(tmb, orr_percent) -> LogLinearFit:
    """Least-squares fit of ORR (%) against the natural log of median TMB (mut/Mb)."""
    x = np.log(_tmb_array(tmb))
    y = np.asarray(orr_percent, dtype=float)
    if x.shape != y.shape or x.size < 3:
        raise ValueError("need at least three (TMB, ORR) pairs of equal length")
    slope, intercept = np.polyfit(x, y, 1)
    r = float(np.corrcoef(x, y)[0, 1])
    return LogLinearFit(float(intercept), float(slope), r, int(x.size))
