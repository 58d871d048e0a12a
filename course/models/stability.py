"""The kind of a steady state of a planar ODE, from the eigenvalues of its Jacobian.

Shared by the two-variable tumour–immune models (Kuznetsov et al. 1994; Nikolopoulou et al. 2018).
"""

from __future__ import annotations

import numpy as np


def classify(eigenvalues) -> str:
    """'saddle', 'stable node', 'unstable focus', … or 'non-hyperbolic' (a real part ≈ 0)."""
    ev = np.asarray(eigenvalues, dtype=complex)
    tol = 1e-10 * max(1.0, float(np.max(np.abs(ev))))
    re = ev.real
    if np.any(np.abs(re) <= tol):
        return "non-hyperbolic"
    if re[0] * re[1] < 0:
        return "saddle"
    shape = "focus" if np.any(np.abs(ev.imag) > tol) else "node"
    return ("stable " if re[0] < 0 else "unstable ") + shape
