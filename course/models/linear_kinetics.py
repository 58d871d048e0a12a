r"""Superposition for linear multi-exponential kinetics with zero-order infusions.

A linear compartment model's response to a unit bolus is :math:`\sum_i c_i e^{-\lambda_i t}`.
An infusion of dose :math:`D` over :math:`T` is that response convolved with a box; any
regimen is the sum of its doses.  Shared by the IL-2 (hours, IU) and antibody (days, mg)
pharmacokinetic models, which pass their own :math:`\lambda_i`, :math:`c_i` and units.
"""

from __future__ import annotations

import math

import numpy as np


def dose_sum(lam, coef, dose: float, starts: np.ndarray, infusion_time: float, t: np.ndarray, *,
             strict: bool, integral: bool) -> np.ndarray:
    """Sum over doses and exponentials of the concentration at ``t`` (or its integral up to ``t``).

    ``strict`` leaves out a dose that starts exactly at ``t`` (used for troughs).
    """
    T = infusion_time
    s = t[..., None] - starts                                  # (..., n_doses)
    active = s > 0 if strict else s >= 0
    s = np.where(active, s, 0.0)
    u = np.minimum(s, T)
    v = s - u
    total = np.zeros(t.shape)
    for l, c in zip(lam, coef):
        if T > 0:
            g = -np.expm1(-l * u) / (l * T)                    # fraction of the dose delivered, decayed
            h = (u + np.expm1(-l * u) / l) / T                 # its integral during the infusion (× λ)
        else:
            g = active.astype(float)
            h = np.zeros_like(s)
        term = (h + g * -np.expm1(-l * v)) / l if integral else g * np.exp(-l * v)
        total += dose * c * np.where(active, term, 0.0).sum(axis=-1)
    return total


def accumulation_factors(lam, interval: float) -> np.ndarray:
    r"""Per-exponential accumulation :math:`1/(1 - e^{-\lambda_i\tau})`."""
    return 1.0 / -np.expm1(-np.asarray(lam) * interval)


def steady_state_profile(lam, coef, dose: float, infusion_time: float, interval: float,
                         t: np.ndarray) -> np.ndarray:
    """Concentration at ``0 ≤ t ≤ interval`` after a dose, once the regimen has repeated forever."""
    T, tau = infusion_time, interval
    out = np.zeros(t.shape)
    for l, c, acc in zip(lam, coef, accumulation_factors(lam, tau)):
        u = np.minimum(t, T)
        g_now = -np.expm1(-l * u) / (l * T) if T > 0 else np.ones_like(t)
        g_full = -math.expm1(-l * T) / (l * T) if T > 0 else 1.0
        # this dose, plus every earlier one (fully infused), decayed by whole intervals
        out += dose * c * (g_now * np.exp(-l * (t - u)) + g_full * np.exp(-l * (t - T)) * math.exp(-l * tau) * acc)
    return out
