r"""T cells, tumour cells and the PD-1/PD-L1 checkpoint: the Nikolopoulou et al. (2018) model.

Nikolopoulou E, Johnson LR, Harris D, Nagy JD, Stites EC, Kuang Y (2018)
Tumour-immune dynamics with an immune checkpoint inhibitor. Letters in
Biomathematics 5(sup1):S137–S159, doi:10.1080/23737867.2018.1440978.

Two populations, both as mass densities in the tumour (g/cm³): activated T cells
:math:`T` and cancer cells :math:`C`.  Naive T cells :math:`T_N` are activated by
IL-12 and activated T cells proliferate under IL-2, but both only in so far as the
PD-1/PD-L1 complex :math:`Q` lets them; T cells kill cancer cells, which grow
logistically:

.. math::

    \frac{dT}{dt} &= \left(\lambda_{TI_{12}} T_N \frac{I_{12}}{K_{I_{12}} + I_{12}}
        + \lambda_{TI_2} T \frac{I_2}{K_{I_2} + I_2}\right)
        \frac{1}{1 + Q/K_{TQ}} - d_T T \\
    \frac{dC}{dt} &= \lambda_C C \left(1 - \frac{C}{C_K}\right) - \eta T C

PD-1 sits on T cells, PD-L1 on T cells and (ε_C times more per unit mass) on cancer
cells, and the complex forms in proportion to both:

.. math::

    P = (\rho_P - \gamma A)\,T, \qquad L = \rho_L (T + \varepsilon_C C), \qquad
    Q = \sigma P L .

:math:`A` is the anti-PD-1 antibody.  It removes :math:`\gamma A` of PD-1 per unit of
T cells, so :math:`\gamma A/\rho_P` is the blocked fraction of PD-1
(:func:`blockade_fraction`); at :math:`A \ge \rho_P/\gamma` all PD-1 is blocked and
:math:`P = 0` (the clip at zero is added here: the formula alone would go
negative).  Writing :math:`a_1 = \lambda_{TI_{12}} T_N I_{12}/(K_{I_{12}}+I_{12})`,
:math:`a_2 = \lambda_{TI_2} I_2/(K_{I_2}+I_2)` and
:math:`a_3 = \sigma\rho_L\max(\rho_P - \gamma A, 0)/K_{TQ}`, the T-cell equation reads
:math:`dT/dt = (a_1 + a_2 T)/(1 + a_3 T (T + \varepsilon_C C)) - d_T T`, the form in
which Shi, Huang & Kuang (2021) analyse it.

Sources, and what could not be checked
---------------------------------------
The paper's full text could not be read here; only its abstract (in a library
catalogue record, ccpl.org) was.  The abstract calls the drug anti-PD-1 (the
BioModels description says anti-PD-L1); in the equations it removes PD-1, so it
is called anti-PD-1 here.  The equations and every parameter value are taken from the SBML
encoding of the paper in BioModels, **MODEL1908270001** "Nikolopoulou2018 -
Tumour-immune dynamics with an immune checkpoint inhibitor" (encoded in COPASI by
J. Meyer, EMBL-EBI, 2019-08-22; a *non-curated* entry), read in the copy at
github.com/Biosimulant/models-immunology,
``labs/nikolopoulou2018-tumour-immune-dynamics-with-an-immune-checkpoint/models/core/data/MODEL1908270001.xml``.
The file itself checks the formulas above: the values it stores for its assigned
quantities at the initial state (κ = σρ_L = 2.323e-9, P = 3.504e-9,
Q = 1.631572467648e-16, 1/(1+Q/K_TQ) = 0.00829675029876899) are what the formulas
give (see the tests).  Not verified:

* **Units.**  The SBML gives time in days (its time unit is 86 400 s) but no unit
  per parameter.  The units below follow from the equations if cells and proteins
  are mass densities in g/cm³, the convention of Friedman and co-workers'
  tumour–immune models (e.g. Lai & Friedman 2017, PLoS ONE 12:e0178479), whose
  notation the encoding's symbols appear to follow (λ_TI12, K_TQ, ρ_P, ρ_L, ε_C,
  μ_PA); they are inferred, not read.
* **The drug equation.**  The SBML has A as a variable with three reactions:
  depletion by binding PD-1 (μ_PA P A, μ_PA = 1.05954e8), natural decay
  (d_A A, d_A = 0.7115/day) and a source whose rate law reads just ``A``, which
  keeps A at 0 from A(0) = 0.  The file lists a dose parameter γ_A = 1e-10 that no
  rate law uses; presumably the source should be the dosing γ_A(t) of the paper's
  continuous and intermittent treatments, but this cannot be confirmed.  So this
  module does not integrate A: the antibody is held at a **constant level**
  ``Params.A`` (as under continuous infusion at steady state), which is how the
  T-cell equation sees it.  :func:`sustained_level_bound` gives the most a
  constant dose rate can sustain whatever the binding term (γ_A/d_A, since binding
  only removes drug): 1.4e-10 g/cm³, i.e. 0.24 % of PD-1 blocked, for the encoded
  γ_A.
* **Figures and thresholds of the paper.**  None could be read.  The statements
  tested are the abstract's ("a normally functioning immune system may control
  tumour"; "treatment with anti-PD-1 alone may not be sufficient to eradicate
  tumour cells") and those of the abstract of Shi S, Huang J, Kuang Y (2021)
  Global dynamics in a tumor-immune model with an immune checkpoint inhibitor,
  DCDS-B 26(2):1149–1170, doi:10.3934/dcdsb.2020157, which analyses this model
  without the drug: a unique tumour-free equilibrium and at most two tumorous
  ones; no tumorous equilibrium ⇒ the tumour-free one is globally stable; a
  saddle-node of tumorous equilibria as the carrying capacity C_K varies and
  bistability when two exist; a critical T-cell death rate d_T0 above which (for
  small C_K) the single tumorous equilibrium is globally stable.  Their critical
  values are named there but not given; the thresholds computed here
  (:func:`critical_level`, :func:`critical_death_rate`,
  :func:`critical_carrying_capacity`) are derived from the equations.

What the model does (all numbers computed here from the encoded parameters)
---------------------------------------------------------------------------
* Untreated, there are three steady states: tumour-free with T = 0.1006 g/cm³
  (stable: the tumour eigenvalue is λ_C − ηT = −5.36/day), a saddle at
  C = 0.072, T = 0.0068, and a large tumour at C = 0.641 g/cm³ (73 % of C_K) with
  T cells suppressed to 0.0020 (a stable node).  The system is bistable: a small
  tumour is eliminated, a large one escapes.  From the encoded initial state
  (C = 0.3968, T = 0.006) the tumour grows to the large state within ~200 days.
* Blocking PD-1 lowers :math:`a_3`; the two tumorous states approach each other
  and vanish together (a saddle-node) when 58.0 % of PD-1 is blocked
  (A = 3.39e-8 g/cm³, :func:`critical_level`).  Above that, no tumorous state is
  left and every tumour is eliminated.
* The model has no crowding of T cells: PD-1 is their only brake.  Their
  tumour-free level rises steeply with blockade (0.31 g/cm³ at 90 %, 3 g/cm³ at
  99.9 %, more than tissue can hold), and with no PD-1 left (A ≥ ρ_P/γ) and
  IL-2-driven proliferation faster than death (a₂ = 0.25 > d_T = 0.025 /day) they
  grow without bound and there is no tumour-free steady state at all.  Read
  blockades far above the critical one qualitatively.

Numerics
--------
During elimination C falls at ~5/day, to 10⁻²⁰⁰ g/cm³ and below in a few months:
an absolute tolerance on C would turn all of that into noise.  :func:`simulate`
therefore integrates :math:`u = \ln T` and :math:`v = \ln C`,

.. math::

    \frac{du}{dt} = \frac{a_1 + a_2 e^u}{e^u\,(1 + a_3 e^u (e^u + \varepsilon_C e^v))} - d_T,
    \qquad
    \frac{dv}{dt} = \lambda_C (1 - e^v/C_K) - \eta e^u ,

which keeps both positive and resolves them to the same relative accuracy at every
size, with LSODA (:func:`scipy.integrate.odeint`) and an analytic Jacobian.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, fields, replace

import numpy as np
from scipy.integrate import odeint
from scipy.optimize import brentq, minimize_scalar

from course.models import stability as _stability

__all__ = [
    "Params",
    "Result",
    "Equilibrium",
    "KINDS",
    "OUTCOMES",
    "ENCODED_T0",
    "ENCODED_C0",
    "ENCODED_GAMMA_A",
    "ENCODED_D_A",
    "ENCODED_MU_PA",
    "ELIMINATED_C",
    "ESCAPE_FRACTION",
    "RTOL",
    "ATOL",
    "derivatives",
    "jacobian",
    "inhibition",
    "blockade_fraction",
    "level_for_blockade",
    "sustained_level_bound",
    "simulate",
    "equilibria",
    "tumour_free_equilibrium",
    "critical_level",
    "critical_death_rate",
    "critical_carrying_capacity",
    "outcome",
]

#: Initial state stored in the SBML encoding (species T and C, g/cm³).
ENCODED_T0 = 0.006
ENCODED_C0 = 0.3968

#: The encoding's drug parameters (see the module docstring: its drug equation is
#: not usable as written, so A is held constant here).  γ_A: dose rate
#: (g/cm³/day); d_A: decay rate of the antibody (/day); μ_PA: rate of depletion
#: by binding PD-1 (cm³/(g·day)).
ENCODED_GAMMA_A = 1e-10
ENCODED_D_A = 0.7115
ENCODED_MU_PA = 1.05954e8

#: Below this density (g/cm³), and not rising, a tumour counts as eliminated:
#: about one cancer cell per cm³ for cells of ~1 ng (an order-of-magnitude
#: assumption made here, not a value from the paper).
ELIMINATED_C = 1e-9

#: A steady tumour above this fraction of the carrying capacity C_K has "escaped";
#: below it, it is "controlled" (a choice made here for the labels of outcome()).
ESCAPE_FRACTION = 0.1

#: Default relative and absolute tolerances of :func:`simulate`; both apply to
#: (ln T, ln C), so ATOL is a relative accuracy of T and C.  Tightening both
#: 1000-fold changes log10 T by < 1e-5 decade, and log10 C by < 1e-5 of its value
#: (< 1e-6 decade while the tumour persists; see the tests).
RTOL = 1e-7
ATOL = 1e-9

#: The possible values of :attr:`Equilibrium.kind` ("non-hyperbolic": exactly at a
#: bifurcation).
KINDS = ("stable node", "stable focus", "unstable node", "unstable focus", "saddle",
         "non-hyperbolic")


def _real(value, name: str, meaning: str, *, positive: bool = False) -> float:
    bound = "> 0" if positive else "≥ 0"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a finite number {bound} ({meaning}); got {value!r}")
    v = float(value)
    if not math.isfinite(v) or v < 0 or (positive and v == 0):
        raise ValueError(f"{name} must be a finite number {bound} ({meaning}); got {value!r}")
    return v


@dataclass(frozen=True)
class Params:
    r"""Parameters of the model; defaults are the values of the SBML encoding.

    Every default is the value of the parameter of the same name in BioModels
    MODEL1908270001 (the encoding of Nikolopoulou et al. 2018); the paper's own
    table could not be read.  Units are inferred (cells and
    proteins as g/cm³, time in days; see the module docstring).
    ``dataclasses.replace(Params(), A=2e-8)`` gives a treated variant.

    Attributes
    ----------
    lambda_C : float
        Growth rate of cancer cells (/day).  0.425.
    C_K : float
        Carrying capacity of cancer cells (g/cm³).  0.8725.  Must be > 0.
    eta : float
        Killing rate of cancer cells by T cells (cm³/(g·day)).  57.5.
    lambda_TI12 : float
        Activation rate of naive T cells by IL-12 (/day).  8.81.
    T_N : float
        Density of naive T cells (g/cm³), held constant.  6e-4.
    I_12 : float
        IL-12 concentration (g/cm³), held constant.  1.5e-10.
    K_I12 : float
        IL-12 level of half-maximal activation (g/cm³).  1.5e-10 (= I_12: activation
        runs at half its maximum).  Must be > 0.
    lambda_TI2 : float
        IL-2-driven proliferation rate of activated T cells (/day).  0.5.
    I_2 : float
        IL-2 concentration (g/cm³), held constant.  2.37e-11.
    K_I2 : float
        IL-2 level of half-maximal proliferation (g/cm³).  2.37e-11 (= I_2).
        Must be > 0.
    K_TQ : float
        Level of the PD-1/PD-L1 complex that halves activation and proliferation
        (g/cm³).  1.365e-18.  Must be > 0.
    rho_L : float
        PD-L1 per unit mass of T cells (dimensionless).  1.1615e-6.
    rho_P : float
        PD-1 per unit mass of T cells (dimensionless).  5.84e-7.
    epsilon_C : float
        PD-L1 on cancer cells relative to T cells (dimensionless).  50.5.
    d_T : float
        Death rate of activated T cells (/day).  0.025.  Must be > 0.
    sigma : float
        Association constant of PD-1 with PD-L1 (cm³/g).  0.002.
    gamma : float
        PD-1 blocked per unit of antibody (cm³/g): P = (ρ_P − γA)T.  10.
    A : float
        Anti-PD-1 antibody level (g/cm³), held constant (see the module docstring).
        0 = untreated.  Blockade is complete at ρ_P/γ = 5.84e-8.
    """

    lambda_C: float = 0.425
    C_K: float = 0.8725
    eta: float = 57.5
    lambda_TI12: float = 8.81
    T_N: float = 6e-4
    I_12: float = 1.5e-10
    K_I12: float = 1.5e-10
    lambda_TI2: float = 0.5
    I_2: float = 2.37e-11
    K_I2: float = 2.37e-11
    K_TQ: float = 1.365e-18
    rho_L: float = 1.1615e-6
    rho_P: float = 5.84e-7
    epsilon_C: float = 50.5
    d_T: float = 0.025
    sigma: float = 0.002
    gamma: float = 10.0
    A: float = 0.0

    def __post_init__(self):
        meanings = {
            "lambda_C": "cancer growth rate, /day", "C_K": "carrying capacity, g/cm³",
            "eta": "killing rate, cm³/(g·day)", "lambda_TI12": "IL-12 activation rate, /day",
            "T_N": "naive T cells, g/cm³", "I_12": "IL-12, g/cm³",
            "K_I12": "IL-12 half-saturation, g/cm³", "lambda_TI2": "IL-2 proliferation rate, /day",
            "I_2": "IL-2, g/cm³", "K_I2": "IL-2 half-saturation, g/cm³",
            "K_TQ": "PD-1/PD-L1 inhibition constant, g/cm³", "rho_L": "PD-L1 per T cell mass",
            "rho_P": "PD-1 per T cell mass", "epsilon_C": "PD-L1 on cancer cells relative to T cells",
            "d_T": "T cell death rate, /day", "sigma": "PD-1/PD-L1 association, cm³/g",
            "gamma": "PD-1 blocked per antibody, cm³/g", "A": "anti-PD-1 level, g/cm³",
        }
        positive = {"C_K", "K_I12", "K_I2", "K_TQ", "d_T"}
        for f in fields(self):
            v = _real(getattr(self, f.name), f"Params.{f.name}", meanings[f.name],
                      positive=f.name in positive)
            object.__setattr__(self, f.name, v)

    # Lumped coefficients of the T-cell equation (Shi, Huang & Kuang's a1, a2, a3).
    @property
    def a1(self) -> float:
        """IL-12 activation of naive T cells at no inhibition, λ_TI12 T_N I12/(K_I12+I12) (g/cm³/day)."""
        return self.lambda_TI12 * self.T_N * self.I_12 / (self.K_I12 + self.I_12)

    @property
    def a2(self) -> float:
        """IL-2 proliferation rate at no inhibition, λ_TI2 I2/(K_I2+I2) (/day)."""
        return self.lambda_TI2 * self.I_2 / (self.K_I2 + self.I_2)

    @property
    def a3(self) -> float:
        """Checkpoint strength σ ρ_L max(ρ_P − γA, 0)/K_TQ ((cm³/g)²): Q/K_TQ = a3 T (T + ε_C C)."""
        return self.sigma * self.rho_L * max(self.rho_P - self.gamma * self.A, 0.0) / self.K_TQ


@dataclass(frozen=True, eq=False)  # holds arrays: compare fields, not objects
class Result:
    """A simulated course (read-only arrays).

    Attributes
    ----------
    t : ndarray
        Time (days).
    T : ndarray
        Activated T cells (g/cm³).
    C : ndarray
        Cancer cells (g/cm³).  Underflows to 0 far below any cell; ``log10_C`` keeps
        the value.
    log10_T, log10_C : ndarray
        log₁₀ of T and C from the integrated logarithms (finite where C has
        underflowed; ``log10_C`` is -inf only if C0 = 0).
    params : Params
    """

    t: np.ndarray
    T: np.ndarray
    C: np.ndarray
    log10_T: np.ndarray
    log10_C: np.ndarray
    params: Params


@dataclass(frozen=True)
class Equilibrium:
    """A steady state (T, C) in g/cm³ with the eigenvalues (/day) of its Jacobian and its kind."""

    T: float
    C: float
    eigenvalues: tuple
    kind: str

    @property
    def stable(self) -> bool:
        """True when both eigenvalues have negative real part (locally stable)."""
        return all(complex(e).real < 0 for e in self.eigenvalues)

    @property
    def tumour_free(self) -> bool:
        return self.C == 0.0


def _check_params(params) -> Params:
    if not isinstance(params, Params):
        raise ValueError(f"params must be a checkpoint_tumour.Params, got {type(params).__name__}")
    return params


def inhibition(params: Params, T, C):
    """The factor 1/(1 + Q/K_TQ) by which the checkpoint slows T-cell activation and proliferation."""
    p = _check_params(params)
    return 1.0 / (1.0 + p.a3 * T * (T + p.epsilon_C * C))


def derivatives(params: Params, T, C):
    """Right-hand side (dT/dt, dC/dt) in g/cm³/day."""
    p = _check_params(params)
    dT = (p.a1 + p.a2 * T) * inhibition(p, T, C) - p.d_T * T
    dC = p.lambda_C * C * (1.0 - C / p.C_K) - p.eta * T * C
    return dT, dC


def jacobian(params: Params, T: float, C: float) -> np.ndarray:
    """Jacobian of :func:`derivatives` with respect to (T, C), /day."""
    p = _check_params(params)
    N = p.a1 + p.a2 * T
    D = 1.0 + p.a3 * T * (T + p.epsilon_C * C)
    return np.array([
        [p.a2 / D - N * p.a3 * (2.0 * T + p.epsilon_C * C) / D**2 - p.d_T,
         -N * p.a3 * p.epsilon_C * T / D**2],
        [-p.eta * C, p.lambda_C * (1.0 - 2.0 * C / p.C_K) - p.eta * T],
    ])


def blockade_fraction(params: Params) -> float:
    """Fraction of PD-1 blocked by the antibody, min(γA/ρ_P, 1) (0 with no PD-1 at all)."""
    p = _check_params(params)
    if p.rho_P == 0:
        return 0.0
    return min(p.gamma * p.A / p.rho_P, 1.0)


def level_for_blockade(params: Params, fraction: float) -> float:
    """Antibody level A (g/cm³) that blocks ``fraction`` (0–1) of PD-1: fraction·ρ_P/γ."""
    p = _check_params(params)
    f = _real(fraction, "fraction", "blocked fraction of PD-1, 0 to 1")
    if f > 1:
        raise ValueError(f"fraction must be between 0 and 1, got {fraction!r}")
    if p.gamma == 0:
        raise ValueError("with gamma = 0 the antibody blocks nothing; no level gives a blockade")
    return f * p.rho_P / p.gamma


def sustained_level_bound(gamma_A: float = ENCODED_GAMMA_A, d_A: float = ENCODED_D_A) -> float:
    r"""Highest antibody level (g/cm³) a constant dose rate γ_A can hold, γ_A/d_A.

    In the encoding, A decays at d_A and is depleted by binding PD-1
    (μ_PA P A ≥ 0), so with a source γ_A, :math:`dA/dt \le \gamma_A - d_A A`
    and A never stays above γ_A/d_A.  For the encoded γ_A = 1e-10 and
    d_A = 0.7115/day: 1.41e-10 g/cm³, 0.24 % of PD-1.
    """
    g = _real(gamma_A, "gamma_A", "dose rate, g/cm³/day")
    d = _real(d_A, "d_A", "antibody decay rate, /day", positive=True)
    return g / d


# ------------------------------------------------------------------------------ simulation

def _log_system(p: Params, tumour_present: bool):
    a1, a2, a3, eps, dT = p.a1, p.a2, p.a3, p.epsilon_C, p.d_T
    lam, CK, eta = p.lambda_C, p.C_K, p.eta
    exp = math.exp

    def state(y):
        u, v = y.tolist()
        # exp() of more than ~709 overflows; such values occur only in rejected trial steps
        # (or in the unbounded T-cell growth of complete blockade, after ~8 years).
        T = exp(u if u < 700.0 else 700.0)
        C = exp(v if v < 700.0 else 700.0) if tumour_present else 0.0
        return T, C

    def rhs(y, _t):
        T, C = state(y)
        N = a1 + a2 * T
        D = 1.0 + a3 * T * (T + eps * C)
        return (N / (T * D) - dT,
                (lam * (1.0 - C / CK) - eta * T) if tumour_present else 0.0)

    def jac(y, _t):
        T, C = state(y)
        N = a1 + a2 * T
        D = 1.0 + a3 * T * (T + eps * C)
        du_du = a2 / D - N / (T * D) - N * a3 * (2.0 * T + eps * C) / (D * D)
        du_dv = -N * a3 * eps * C / (D * D)
        if not tumour_present:
            return ((du_du, 0.0), (0.0, 0.0))
        return ((du_du, du_dv), (-eta * T, -lam * C / CK))

    return rhs, jac


def simulate(params: Params, T0: float = ENCODED_T0, C0: float = ENCODED_C0, t_end: float = 200.0,
             n_points: int = 201, *, rtol: float = RTOL, atol: float = ATOL) -> Result:
    r"""Integrate the model from (T0, C0) over [0, t_end] days at the antibody level ``params.A``.

    Parameters
    ----------
    params : Params
    T0 : float
        Initial activated T cells (g/cm³, > 0).  Default: the encoding's 0.006.
    C0 : float
        Initial cancer cells (g/cm³, ≥ 0; 0 stays tumour-free).  Default: the
        encoding's 0.3968.
    t_end : float
        Length of the run (days, > 0).
    n_points : int
        Number of equally spaced output times including 0 and ``t_end``.
    rtol, atol : float
        Tolerances of LSODA on (ln T, ln C) (both relative accuracies of T and C).

    Returns
    -------
    Result

    Notes
    -----
    LSODA through :func:`scipy.integrate.odeint` with an analytic Jacobian, in the
    log variables of the module docstring.  ``odeint`` calls its Fortran core
    directly: measured here, a 200-day run with 201 output points took 0.5 ms,
    against 3.9 ms with ``solve_ivp(method="LSODA")`` and 25 ms with BDF.  The
    state is only mildly stiff (the tumour relaxes at up to ~5/day, the T cells at
    ~0.05/day).
    """
    p = _check_params(params)
    T0 = _real(T0, "T0", "initial activated T cells, g/cm³", positive=True)
    C0 = _real(C0, "C0", "initial cancer cells, g/cm³")
    t_end = _real(t_end, "t_end", "days", positive=True)
    if isinstance(n_points, bool) or not isinstance(n_points, numbers.Integral) or n_points < 2:
        raise ValueError(f"n_points must be an integer ≥ 2, got {n_points!r}")
    for name, tol in (("rtol", rtol), ("atol", atol)):
        if isinstance(tol, bool) or not isinstance(tol, numbers.Real) or not (0 < tol < 1):
            raise ValueError(f"{name} must be a number between 0 and 1, got {tol!r}")

    tumour_present = C0 > 0
    rhs, jac = _log_system(p, tumour_present)
    t = np.linspace(0.0, t_end, int(n_points))
    y0 = [math.log(T0), math.log(C0) if tumour_present else 0.0]
    y, info = odeint(rhs, y0, t, Dfun=jac, rtol=float(rtol), atol=float(atol), mxstep=50_000,
                     full_output=True)
    if info["message"] != "Integration successful.":
        raise RuntimeError(f"integration failed: {info['message']} (params={p})")

    ln10 = math.log(10.0)
    log10_T = y[:, 0] / ln10
    T = np.exp(np.minimum(y[:, 0], 700.0))
    if tumour_present:
        log10_C = y[:, 1] / ln10
        C = np.exp(np.minimum(y[:, 1], 700.0))
    else:
        log10_C = np.full(t.shape, -np.inf)
        C = np.zeros_like(t)
    arrays = [t, T, C, log10_T, log10_C]
    for arr in arrays:
        arr.flags.writeable = False
    return Result(*arrays, params=p)


# ------------------------------------------------------------------------------ equilibria

def _equilibrium(p: Params, T: float, C: float) -> Equilibrium:
    ev = np.linalg.eigvals(jacobian(p, T, C)).astype(complex)
    ev = tuple(complex(e) for e in sorted(ev, key=lambda e: (e.real, e.imag)))
    return Equilibrium(float(T), float(C), ev, _stability.classify(ev))


def _T_steady(p: Params, C: float = 0.0) -> float | None:
    """The T-cell level at which dT/dt = 0 for a fixed C, or None if T grows without bound.

    Solves a1 + a2 T = d_T T (1 + a3 T (T + ε_C C)): the right side minus the left is
    convex in T ≥ 0 and starts at −a1 ≤ 0, so there is one root if a3 > 0.
    """
    a1, a2, a3, dT, eps = p.a1, p.a2, p.a3, p.d_T, p.epsilon_C
    if a3 == 0.0:
        return a1 / (dT - a2) if dT > a2 else None
    if a1 == 0.0 and a2 <= dT:
        return 0.0  # no activation and no net proliferation: no T cells

    def h(T):
        return dT * T * (1.0 + a3 * T * (T + eps * C)) - a2 * T - a1

    lo = 0.0
    if a1 == 0.0:  # T = 0 is a root too; take the positive one
        lo = (a2 - dT) / (dT * a3 * (1.0 + eps * C)) * 1e-3
        while h(lo) >= 0.0:
            lo *= 1e-3
    hi = 1.0
    while h(hi) <= 0.0:
        hi *= 2.0
    return brentq(h, lo, hi, xtol=1e-15, rtol=1e-14)


def tumour_free_equilibrium(params: Params) -> Equilibrium | None:
    r"""The steady state with C = 0, or None if the T cells grow without bound.

    T solves :math:`a_1 + a_2 T = d_T T (1 + a_3 T^2)`, which has exactly one
    positive root when :math:`a_3 > 0` (Shi, Huang & Kuang 2021: "a unique
    tumour-free equilibrium").  It is stable exactly when the T cells kill the
    tumour faster than it grows, :math:`\eta T > \lambda_C` (the other eigenvalue
    is always negative).  With complete blockade (:math:`a_3 = 0`) and
    :math:`a_2 > d_T` there is none: proliferation outruns death.
    """
    p = _check_params(params)
    T = _T_steady(p)
    return None if T is None else _equilibrium(p, T, 0.0)


def _nullcline_T(p: Params, C):
    """T on the tumour nullcline C > 0: η T = λ_C (1 − C/C_K)."""
    return p.lambda_C / p.eta * (1.0 - C / p.C_K)


def _tumorous_residual(s, p: Params, a3: float):
    """The T equation on the tumour nullcline at C = s·C_K (numerator form, no poles)."""
    C = s * p.C_K
    T = _nullcline_T(p, C)
    return p.a1 + (p.a2 - p.d_T) * T - p.d_T * a3 * T * T * (T + p.epsilon_C * C)


def _grid():
    # dense near both ends of (0, C_K), where the equilibria can sit very close to the boundary
    half = np.geomspace(1e-12, 0.5, 1500)
    return np.concatenate([half, 1.0 - half[::-1][1:]])


_S = _grid()


def equilibria(params: Params) -> list[Equilibrium]:
    r"""Every non-negative steady state: tumour-free first, then tumorous by increasing C.

    A tumorous steady state lies on the tumour nullcline
    :math:`T = (\lambda_C/\eta)(1 - C/C_K)`, so needs :math:`\eta > 0` and
    :math:`0 < C < C_K`; substituting it into the T equation leaves one equation
    in C, whose roots are bracketed on a grid of ~3000 points (logarithmically
    dense towards both ends of the interval) and refined with Brent's method.  A
    double root exactly at a saddle-node can be missed.  Shi, Huang & Kuang (2021)
    prove there are at most two.

    Degenerate cases: with η = 0 nothing kills the tumour and its only steady state
    is at the carrying capacity, C = C_K; with λ_C = 0 the tumour cannot grow and no
    tumorous steady state is returned; with no activation of naive T cells
    (a₁ = 0), T = 0, C = C_K is one more.
    """
    p = _check_params(params)
    found = []
    tf = tumour_free_equilibrium(p)
    if tf is not None:
        found.append(tf)
    if p.lambda_C == 0:
        return found
    if p.eta == 0:
        T = _T_steady(p, p.C_K)
        return found if T is None else found + [_equilibrium(p, T, p.C_K)]
    a3 = p.a3
    values = _tumorous_residual(_S, p, a3)
    roots = []
    for i in np.flatnonzero(np.sign(values[:-1]) * np.sign(values[1:]) < 0):
        roots.append(brentq(_tumorous_residual, _S[i], _S[i + 1], args=(p, a3), xtol=1e-15, rtol=1e-14))
    roots.extend(_S[values == 0.0])
    for s in sorted(set(roots)):
        C = s * p.C_K
        found.append(_equilibrium(p, _nullcline_T(p, C), C))
    if p.a1 == 0:  # without activation of naive T cells, a tumour at capacity with no T cells
        found.append(_equilibrium(p, 0.0, p.C_K))
    return found


def _a3_for_tumour_at(s, p: Params):
    """The checkpoint strength a3 at which C = s·C_K is a tumorous steady state."""
    C = s * p.C_K
    T = _nullcline_T(p, C)
    return (p.a1 + (p.a2 - p.d_T) * T) / (p.d_T * T * T * (T + p.epsilon_C * C))


def _lowest_a3_with_tumour(p: Params) -> float:
    """Infimum over 0 < C < C_K of the a3 that makes C a tumorous steady state."""
    values = _a3_for_tumour_at(_S, p)
    i = int(np.argmin(values))
    if i == 0:
        return float(_a3_for_tumour_at(0.0, p))  # the infimum is the limit C → 0
    lo, hi = _S[max(i - 1, 0)], _S[min(i + 1, len(_S) - 1)]
    r = minimize_scalar(_a3_for_tumour_at, bounds=(lo, hi), args=(p,), method="bounded",
                        options={"xatol": 1e-14})
    return float(min(r.fun, values[i]))


def critical_level(params: Params) -> float:
    r"""Antibody level A (g/cm³) above which no tumorous steady state is left.

    A tumour at density C (with T on its nullcline) is a steady state for exactly
    one checkpoint strength,

    .. math::

        a_3(C) = \frac{a_1 + (a_2 - d_T) T}{d_T T^2 (T + \varepsilon_C C)}, \qquad
        T = \frac{\lambda_C}{\eta}\left(1 - \frac{C}{C_K}\right),

    so tumorous states exist only while the actual :math:`a_3` is at least
    :math:`\min_C a_3(C)`.  Blocking PD-1 lowers :math:`a_3` in proportion to
    :math:`\rho_P - \gamma A`; the level at which it reaches that minimum is
    returned.  At it the two tumorous states merge (a saddle-node) and above it
    the tumour-free state is the only one left, globally stable by Shi, Huang &
    Kuang (2021).  Derived here from the equations.  With the encoded parameters:
    3.39e-8 g/cm³, 58.0 % of PD-1 blocked.

    Returns 0 if there is no tumorous state even untreated (``params.A`` is
    ignored), and ``math.inf`` if one survives complete blockade (or the antibody
    does nothing, γ = 0).
    """
    p = _check_params(params)
    if p.lambda_C == 0:
        return 0.0  # a tumour that cannot grow has no steady state to lose
    if p.eta == 0:
        return math.inf  # nothing kills the tumour, whatever the T cells do
    a3_full = p.sigma * p.rho_L * p.rho_P / p.K_TQ  # untreated checkpoint strength
    a3_min = _lowest_a3_with_tumour(p)
    if a3_min > a3_full:
        return 0.0
    if a3_min <= 0.0 or p.gamma == 0 or a3_full == 0:
        return math.inf
    return (1.0 - a3_min / a3_full) * p.rho_P / p.gamma


def critical_death_rate(params: Params) -> float:
    r"""T-cell death rate d_T (/day) above which the tumour-free state is unstable.

    The tumour-free state is stable while :math:`\eta T^* > \lambda_C`; its T-cell
    level falls as :math:`d_T` rises, and equals :math:`\lambda_C/\eta` at

    .. math::

        d_{T0} = \frac{a_1 + a_2 T_c}{T_c (1 + a_3 T_c^2)}, \qquad T_c = \lambda_C/\eta .

    Shi, Huang & Kuang (2021) name a critical death rate :math:`d_{T0}` above which
    (for small :math:`C_K`) the single tumorous state is globally stable; this is
    presumably it, derived here.  Encoded parameters: 0.576/day (23 times the
    encoded d_T = 0.025).  0 if nothing kills the tumour (η = 0, λ_C > 0: never
    stable); ``math.inf`` if the tumour cannot grow (λ_C = 0: always stable).
    """
    p = _check_params(params)
    if p.eta == 0:
        return 0.0 if p.lambda_C > 0 else math.inf
    Tc = p.lambda_C / p.eta
    if Tc == 0:
        return math.inf
    return (p.a1 + p.a2 * Tc) / (Tc * (1.0 + p.a3 * Tc * Tc))


def critical_carrying_capacity(params: Params) -> float:
    r"""Carrying capacity C_K (g/cm³) below which no tumorous steady state exists.

    The saddle-node of tumorous states in :math:`C_K` of Shi, Huang & Kuang (2021),
    computed here (at the other parameters, including ``params.A``) by bisection on
    whether :math:`\min_C a_3(C)` (see :func:`critical_level`) exceeds :math:`a_3`.
    Returns ``math.nan`` if the tumour-free state is unstable (then a tumorous state
    exists for every :math:`C_K`) and ``math.inf`` if the tumour cannot grow
    (λ_C = 0: none for any :math:`C_K`).  Encoded parameters: 0.366 g/cm³ (42 % of the
    encoded 0.8725).
    """
    p = _check_params(params)
    if p.lambda_C == 0:
        return math.inf
    tf = tumour_free_equilibrium(p)
    if tf is None or not tf.stable:
        return math.nan

    def margin(CK):
        q = replace(p, C_K=CK)
        return _lowest_a3_with_tumour(q) - q.a3

    hi = p.C_K
    while margin(hi) > 0:
        hi *= 2.0
        if hi > 1e12:
            return math.inf
    lo = hi / 2.0
    while margin(lo) <= 0:
        lo /= 2.0
        if lo < 1e-300:
            return 0.0
    return brentq(margin, lo, hi, xtol=1e-12, rtol=1e-10)


# ------------------------------------------------------------------------------ outcome

#: The labels :func:`outcome` returns.
OUTCOMES = ("eliminated", "shrinking", "controlled", "escaped", "growing", "settling", "runaway")

_SETTLED_DECADES = 0.01  # log10 C and log10 T vary by less than this over the last quarter


def outcome(result: Result) -> str:
    """Classify a run by its last quarter (see :data:`OUTCOMES`).

    ``"runaway"``
        The T cells rise at every output step of the last quarter and there is no
        tumour-free steady state to stop them (complete blockade with IL-2-driven
        proliferation above the death rate, see :func:`tumour_free_equilibrium`).
        The tumour is gone too, but the run is outside anything physiological.
    ``"eliminated"``
        The tumour ends below :data:`ELIMINATED_C` (≈ one cell per cm³) and is not
        rising over the last quarter (or there was none).
    ``"escaped"`` / ``"controlled"``
        The run has settled (log₁₀ C and log₁₀ T each vary by < 0.01 decade over
        the last quarter) at a tumour above / below :data:`ESCAPE_FRACTION` (10 %)
        of the carrying capacity C_K.
    ``"shrinking"`` / ``"growing"``
        Not settled, and C falls / rises at every output step of the last quarter:
        run longer to see where it goes.
    ``"settling"``
        Anything else: C turns over in the last quarter (it spirals into a steady
        state).  Shi, Huang & Kuang (2021) rule out periodic orbits, so every run
        ends at a steady state; only the run is too short to tell.
    """
    r = result
    if not isinstance(r, Result):
        raise ValueError(f"expected a checkpoint_tumour.Result, got {type(r).__name__}")
    if r.t.size < 20:
        raise ValueError("need at least 20 output points to classify a run; raise n_points")
    quarter = int(np.searchsorted(r.t, r.t[0] + 0.75 * (r.t[-1] - r.t[0])))
    x = np.maximum(r.log10_C, -1e300)[quarter:]
    y = r.log10_T[quarter:]
    if np.all(np.diff(y) > 0) and tumour_free_equilibrium(r.params) is None:
        return "runaway"
    if x[-1] < math.log10(ELIMINATED_C) and x[-1] <= x[0]:
        return "eliminated"
    if np.ptp(x) < _SETTLED_DECADES and np.ptp(y) < _SETTLED_DECADES:
        return "escaped" if r.C[-1] >= ESCAPE_FRACTION * r.params.C_K else "controlled"
    steps = np.diff(x)
    if np.all(steps < 0):
        return "shrinking"
    if np.all(steps > 0):
        return "growing"
    return "settling"
