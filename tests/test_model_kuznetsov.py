"""The Kuznetsov et al. (1994) effector–tumour model against the paper it comes from.

Kuznetsov VA, Makalkin IA, Taylor MA, Perelson AS (1994) Bull Math Biol 56:295-321,
doi:10.1007/BF02460644.  Where a number is checked, the comment says where it comes from:
- the parameter values stated by the paper (as listed in the module), and the dimensional
  ones as curated in BioModels BIOMD0000000762 (SBML parameters s, p, g, m, n, d, a, b);
- positions read by eye off the paper's figures (Figs. 1, 3, 7, 8, 9): those get
  tolerances of a few per cent of the axis, and say "read off Fig. N";
- the caption of Fig. 6: "(a) before, (b) during, and (c) after; the heteroclinic
  connection between steady states A and C. Portions of the basins of attraction for
  attractors B and D are the white and shaded regions, respectively."
"""

import dataclasses
import math

import numpy as np
import pytest

from course.models import kuznetsov as k

PAPER = k.Params()
FIG8 = dataclasses.replace(PAPER, mu=k.FIG8_MU)
FIG9 = dataclasses.replace(PAPER, mu=0.0021)  # see test_fig9_...


def by_kind(params):
    return [(e.kind, e) for e in k.equilibria(params)]


# ---------------------------------------------------------------- parameters and scales

def test_defaults_are_the_papers_stated_nondimensional_values():
    assert dataclasses.astuple(PAPER) == (0.1181, 1.131, 20.19, 0.00311, 0.3743, 1.636, 0.002)


def test_dimensional_estimates_are_the_curated_ones():
    # BioModels BIOMD0000000762: p=0.1245, g=2.019E7, m=3.422E-10, n=1.101E-7, d=0.0412,
    # s=13000, a=0.18, b=2E-9; the paper's scales E0 = T0 = 1e6 cells.
    d = k.DimensionalParams()
    assert (d.s, d.p, d.g, d.m, d.d, d.a, d.b, d.n) == (1.3e4, 0.1245, 2.019e7, 3.422e-10,
                                                        0.0412, 0.18, 2.0e-9, 1.101e-7)
    assert d.E0 == d.T0 == k.CELL_SCALE == 1e6


def test_nondimensionalisation_reproduces_the_papers_values():
    """σ, ρ, η, μ, β round exactly to the paper's figures; the paper's δ = 0.3743 and
    α = 1.636 are 0.03 % and 0.07 % above d/(nT0) = 0.37421 and a/(nT0) = 1.6349."""
    nd = k.DimensionalParams().to_nondimensional()
    assert round(nd.sigma, 4) == 0.1181
    assert round(nd.rho, 3) == 1.131
    assert round(nd.eta, 2) == 20.19
    assert round(nd.mu, 5) == 0.00311
    assert round(nd.beta, 6) == 0.002
    assert nd.delta == pytest.approx(0.3743, rel=1e-3)
    assert nd.alpha == pytest.approx(1.636, rel=1e-3)
    for name in ("sigma", "rho", "eta", "mu", "delta", "alpha", "beta"):
        assert getattr(nd, name) == pytest.approx(getattr(PAPER, name), rel=1e-3), name


def test_time_scale_is_one_over_n_T0():
    # τ = n T0 t with n = 1.101e-7 /(cell·day), T0 = 1e6 cells: one unit of τ is 9.083 days.
    assert k.TIME_SCALE_DAYS == pytest.approx(9.0827, rel=1e-4)
    assert k.DimensionalParams().time_scale_days == pytest.approx(k.TIME_SCALE_DAYS, rel=1e-12)
    assert k.to_days(1.0) == pytest.approx(9.0827, rel=1e-4)


def test_conversions_round_trip():
    v = np.array([0.0, 1e-6, 0.32, 8.19, 447.0])
    assert np.allclose(k.from_cells(k.to_cells(v)), v, rtol=1e-14, atol=0)
    assert np.allclose(k.from_days(k.to_days(v)), v, rtol=1e-14, atol=0)
    assert k.to_cells(1.0) == 1e6 and k.from_cells(5e5) == 0.5
    assert k.from_days(600) == pytest.approx(600 / 9.0827, rel=1e-4)


@pytest.mark.parametrize("fn", [k.to_cells, k.from_cells, k.to_days, k.from_days])
@pytest.mark.parametrize("bad", [-1.0, np.nan, np.inf, [1.0, -2.0], "ten"])
def test_conversions_refuse_impossible_values(fn, bad):
    with pytest.raises(ValueError, match="≥ 0"):
        fn(bad)


@pytest.mark.parametrize("field,value,message", [
    ("sigma", -0.1, "Params.sigma must be a finite number ≥ 0"),
    ("mu", np.nan, "Params.mu must be a finite number ≥ 0"),
    ("rho", np.inf, "Params.rho"),
    ("delta", 0.0, "Params.delta must be a finite number > 0"),
    ("beta", 0.0, "Params.beta must be a finite number > 0"),
    ("eta", -1.0, "Params.eta"),
    ("alpha", "1.6", "Params.alpha"),
    ("alpha", True, "Params.alpha"),
])
def test_impossible_parameters_are_refused(field, value, message):
    with pytest.raises(ValueError, match=message):
        k.Params(**{field: value})


def test_dimensional_parameters_are_checked():
    with pytest.raises(ValueError, match="DimensionalParams.n"):
        k.DimensionalParams(n=0.0)
    with pytest.raises(ValueError, match="E0 == T0"):
        k.DimensionalParams(E0=1e5)


# ---------------------------------------------------------------- equilibria

def test_four_steady_states_at_the_estimates_as_in_fig3():
    """Fig. 3 of the paper (estimated parameters) marks A (open circle at (0.32, 0)), the
    spiral centre B near (1.6, 8) (log-scale panel b), the open circle C near (0.76, 268) and
    the filled circle D near (0.17, 445): read off Fig. 3.  A and C are saddles, B the
    focus that trajectories spiral into, D the attracting escape state."""
    eqs = k.equilibria(PAPER)
    assert [e.kind for e in eqs] == ["saddle", "stable focus", "saddle", "stable node"]
    a, b, c, d = eqs
    assert (a.x, a.y) == (pytest.approx(0.1181 / 0.3743, rel=1e-12), 0.0)
    assert (b.x, b.y) == (pytest.approx(1.6, abs=0.05), pytest.approx(8.2, abs=1.0))
    assert (c.x, c.y) == (pytest.approx(0.76, abs=0.05), pytest.approx(268, abs=10))
    assert (d.x, d.y) == (pytest.approx(0.17, abs=0.05), pytest.approx(445, abs=10))
    assert [e.stable for e in eqs] == [False, True, False, True]
    assert a.tumour_free and not b.tumour_free
    # in cells: dormant tumour ≈ 8.2e6 cells, escaped ≈ 4.5e8 cells (capacity 5e8)
    assert k.to_cells(b.y) == pytest.approx(8.19e6, rel=1e-3)
    assert k.to_cells(d.y) == pytest.approx(4.47e8, rel=1e-3)


@pytest.mark.parametrize("params", [PAPER, FIG8, FIG9, k.DimensionalParams().to_nondimensional(),
                                    k.Params(sigma=0.0), k.Params(mu=0.0), k.Params(sigma=2.0),
                                    k.Params(alpha=0.0)])
def test_every_equilibrium_is_a_zero_of_the_vector_field(params):
    eqs = k.equilibria(params)
    assert eqs[0].tumour_free and [e.y for e in eqs] == sorted(e.y for e in eqs)
    for e in eqs:
        assert e.x >= 0 and 0 <= e.y <= 1 / params.beta
        assert e.kind in k.KINDS
        dx, dy = k.rhs(params, e.x, e.y)
        assert abs(dx) < 1e-10 and abs(dy) < 1e-10 * max(1.0, e.y)


def test_random_parameters_find_every_equilibrium():
    """Cross-check the cubic against a brute-force sign scan of the interior condition."""
    rng = np.random.default_rng(1994)
    for _ in range(40):
        p = k.Params(sigma=rng.uniform(0, 1), rho=rng.uniform(0, 3), eta=rng.uniform(1, 50),
                     mu=rng.uniform(0, 0.02), delta=rng.uniform(0.05, 1), alpha=rng.uniform(0.1, 3),
                     beta=rng.uniform(0.001, 0.01))
        y = np.linspace(1e-9, 1 / p.beta, 200_001)
        dx, _ = k.rhs(p, p.alpha * (1 - p.beta * y), y)
        crossings = int(np.sum(np.sign(dx[1:]) != np.sign(dx[:-1])))
        assert len(k.equilibria(p)) - 1 == crossings


def test_sigma_zero_has_the_untreated_tumour_at_capacity():
    eqs = k.equilibria(k.Params(sigma=0.0))
    assert (eqs[0].x, eqs[0].y) == (0.0, 0.0)
    assert any(e.x == pytest.approx(0.0, abs=1e-12) and e.y == pytest.approx(500.0) for e in eqs)


def test_fig9_lower_mu_leaves_only_the_dormant_state():
    """Fig. 9: with weaker effector inactivation only A and B remain, and the start at about
    (0.1, 110) first swells to y ≈ 360 near x ≈ 0.45 before spiralling into B (read off
    Fig. 9a).  μ = 0.0021 is the value of the Fig. 9 reproduction; its overshoot matching
    the figure's is the check of it."""
    eqs = k.equilibria(FIG9)
    assert [e.kind for e in eqs] == ["saddle", "stable focus"]
    traj = k.simulate(FIG9, 0.1, 110, 300, 3001)
    i = int(np.argmax(traj.y))
    assert traj.y[i] == pytest.approx(360, abs=15) and traj.x[i] == pytest.approx(0.45, abs=0.05)
    assert k.outcome(FIG9, 0.1, 110) == "dormancy"
    assert k.separatrix(FIG9) == []


def _crossings(values):
    return int(np.sum(np.diff(np.sign(values)) != 0))


@pytest.mark.parametrize("params", [PAPER, FIG8, FIG9])
def test_eigenvalue_kinds_agree_with_short_simulations(params):
    for e in k.equilibria(params):
        values, vectors = np.linalg.eig(k._jacobian(params, e.x, e.y))
        scale = 1e-4 * max(1.0, e.y)
        if e.kind == "saddle":
            stable_v = np.real(vectors[:, np.argmin(values.real)])
            unstable_v = np.real(vectors[:, np.argmax(values.real)])
            for v, grows in ((stable_v, False), (unstable_v, True)):
                v = v if v[1] >= 0 else -v  # stay in y ≥ 0
                start = np.array([e.x, e.y]) + scale * v
                t_short = 3.0 / min(abs(values.real))
                tr = k.simulate(params, *start, t_short, 50)
                d0 = math.hypot(start[0] - e.x, start[1] - e.y)
                d1 = math.hypot(tr.x[-1] - e.x, tr.y[-1] - e.y)
                assert (d1 > 5 * d0) if grows else (d1 < d0 / 5), (e, grows)
        else:
            assert e.stable and e.kind in ("stable focus", "stable node")
            for angle in np.linspace(0, 2 * np.pi, 6, endpoint=False):
                start = (e.x + scale * math.cos(angle), e.y + scale * math.sin(angle))
                tr = k.simulate(params, *start, 200.0, 4001)
                d = np.hypot(tr.x - e.x, tr.y - e.y)
                assert d[-1] < d[0] / 20
                # count sign changes of y - y_eq while the deviation is well above solver noise:
                # a focus spirals (again and again); a node's a·e^(λ1 t) + b·e^(λ2 t) has ≤ 1 zero
                resolved = d > 1e-3 * d[0]
                turns = _crossings((tr.y - e.y)[resolved])
                assert (turns >= 6) if e.kind == "stable focus" else (turns <= 1), (e, turns)


# ---------------------------------------------------------------- simulations vs the figures

def test_fig7_damped_oscillation_into_dormancy():
    """Fig. 7 (time in days, 600 days): from (x, y) = (5, 50) the tumour first drops to
    ~1.5e-2 near day 40, then peaks at ~60 near day 130 and again near days 240, 345, 445,
    545, each peak lower, towards the dormant state (read off Fig. 7).  (5, 50) is the start
    used by the Fig. 7 reproduction.  The day positions check the time scale 1/(nT0)."""
    traj = k.simulate(PAPER, 5.0, 50.0, float(k.from_days(600)), 6001)
    y, days = traj.y, traj.days
    first_min = int(np.argmin(y[days < 100]))
    assert days[first_min] == pytest.approx(40, abs=8)
    assert 0.008 < y[first_min] < 0.03
    peaks = [i for i in range(1, len(y) - 1) if y[i - 1] < y[i] > y[i + 1]]
    assert np.allclose(days[peaks], [130, 240, 345, 445, 545], atol=10)
    assert 45 < y[peaks[0]] < 80 and np.all(np.diff(y[peaks]) < 0)
    b = k.equilibria(PAPER)[1]
    # the linear period at B, 2π/Im(λ) = 10.9 τ ≈ 99 days: "a 3-4 month" cycle
    period_days = 2 * np.pi / abs(b.eigenvalues[0].imag) * k.TIME_SCALE_DAYS
    assert period_days == pytest.approx(99, abs=3)
    assert np.mean(np.diff(days[peaks])) == pytest.approx(period_days, rel=0.06)


def test_fig1_curve2_rises_then_regresses():
    """Fig. 1a, curve 2 (model fit to BCL1 in chimeric mice): from 5e5 tumour cells the
    model rises to about 10^7.9 cells and then falls back by more than an order of magnitude
    (read off Fig. 1a).  Effectors start at 3.2e5 cells, the BioModels initial value."""
    traj = k.simulate(PAPER, float(k.from_cells(3.2e5)), float(k.from_cells(5e5)),
                      float(k.from_days(150)), 1501)
    log_t = np.log10(traj.tumour_cells)
    peak = int(np.argmax(log_t))
    assert log_t[peak] == pytest.approx(7.9, abs=0.15)
    assert log_t[peak:].min() < log_t[peak] - 1.5


def test_fig3_trajectories_end_where_the_paper_draws_them():
    """Fig. 3 starts (i) ≈ (0.55, 60) and (iii) ≈ (1.5, 470) end in the dormant state B,
    (ii) ≈ (0.1, 110) and (iv) ≈ (0.8, 460) in the escape state D (read off Fig. 3a)."""
    assert k.outcome(PAPER, 0.55, 60) == "dormancy"
    assert k.outcome(PAPER, 0.1, 110) == "escape"
    assert k.outcome(PAPER, 1.5, 470) == "dormancy"
    assert k.outcome(PAPER, 0.8, 460) == "escape"


# ---------------------------------------------------------------- separatrix and sneaking through

def _tumour_free_unstable_start(params, size=1e-5):
    """A point just off A along its unstable direction (y = size, i.e. 10 cells)."""
    xa = params.sigma / params.delta
    slope = (params.rho * xa / params.eta - params.mu * xa) / (params.alpha - xa + params.delta)
    return xa + slope * size, size


def test_at_the_estimates_small_tumours_do_not_sneak_through():
    """Figs. 3 and 6a: at the estimated parameters the unstable manifold of A (dashed from A
    in Fig. 3) winds into B, so a small tumour seeded at the tumour-free effector level is held
    dormant; only a large one escapes.  The paper's "sneaking through" is therefore NOT present
    at the estimates (no start with x ≥ 0 has escape below dormancy in y)."""
    x_free = PAPER.sigma / PAPER.delta
    assert k.outcome(PAPER, *_tumour_free_unstable_start(PAPER)) == "dormancy"
    for y0 in (1e-5, 1e-3, 0.1, 10):
        assert k.outcome(PAPER, x_free, y0) == "dormancy"
        assert k.outcome(PAPER, 1.0, y0) == "dormancy"
    assert k.outcome(PAPER, x_free, 100) == "escape"
    assert k.outcome(PAPER, 1.0, 450) == "escape"


def test_sneaking_through_once_mu_passes_the_heteroclinic_connection():
    """Fig. 6 caption: "(a) before, (b) during, and (c) after; the heteroclinic connection
    between steady states A and C"; in (c) the shaded basin of D reaches along the x-axis.
    Fig. 8 shows the result: with more effector inactivation (μ = FIG8_MU) and the same
    effector level x0 = 1, a small tumour (1,000 cells) escapes, a medium one (1e6 cells) is
    held dormant and a large one (3e8 cells) escapes: sneaking through."""
    assert k.outcome(FIG8, *_tumour_free_unstable_start(FIG8)) == "escape"
    assert k.outcome(FIG8, 1.0, 1e-3) == "escape"
    assert k.outcome(FIG8, 1.0, 1.0) == "dormancy"
    assert k.outcome(FIG8, 1.0, 300) == "escape"

    def a_goes_to_d(mu):
        p = dataclasses.replace(PAPER, mu=mu)
        return k.outcome(p, *_tumour_free_unstable_start(p), t_end=3000) == "escape"

    lo, hi = PAPER.mu, FIG8.mu  # bisect the heteroclinic connection (Fig. 6b)
    assert not a_goes_to_d(lo) and a_goes_to_d(hi)
    for _ in range(12):
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if a_goes_to_d(mid) else (mid, hi)
    assert 0.0045 < lo < 0.0055  # between the estimate 0.00311 and Fig. 8's 0.0061


def test_fig8_positions_and_its_sneaking_trajectory():
    """Fig. 8 (read off): saddle C ≈ (1.25, 110), D ≈ (0.05, 480), the dormant basin reaches
    down to y ≈ 0.025 (panel b); the start near (5.9, 130) is pushed down to y ≈ 3e-3 near
    x ≈ 1.7, below that basin, and then escapes; of the two starts near (2.9, 470) and
    (3.4, 470) the left one escapes, the right one goes dormant."""
    _, b, c, d = k.equilibria(FIG8)
    assert (c.x, c.y) == (pytest.approx(1.25, abs=0.06), pytest.approx(110, abs=8))
    assert (d.x, d.y) == (pytest.approx(0.05, abs=0.05), pytest.approx(480, abs=10))
    (sep,) = k.separatrix(FIG8, x_range=(0.0, 6.0), y_range=(1e-4, 600.0))
    assert sep.y.min() == pytest.approx(0.025, rel=0.25)
    traj = k.simulate(FIG8, 5.9, 130, 400, 8001)
    i = int(np.argmin(traj.y))
    assert 1.5e-3 < traj.y[i] < 6e-3 and traj.x[i] == pytest.approx(1.7, abs=0.15)
    assert k.outcome(FIG8, 5.9, 130) == "escape"
    assert k.outcome(FIG8, 2.9, 470) == "escape" and k.outcome(FIG8, 3.4, 470) == "dormancy"


@pytest.mark.parametrize("params", [PAPER, FIG8])
def test_separatrix_divides_dormancy_from_escape(params):
    (sep,) = k.separatrix(params)
    c = [e for e in k.equilibria(params) if e.kind == "saddle" and e.y > 0][0]
    assert sep.saddle == c
    assert np.any((sep.x == c.x) & (sep.y == c.y))
    assert np.all(sep.x >= 0) and np.all(sep.x <= 6) and np.all(sep.y >= 1e-6) and np.all(sep.y <= 600)
    # it is the stable manifold: points on it flow into C
    mid = len(sep.x) // 2
    for i in (mid - 40, mid + 40):
        tr = k.simulate(params, sep.x[i], sep.y[i], 5.0, 2)
        assert math.hypot(tr.x[-1] - c.x, (tr.y[-1] - c.y) / c.y) < math.hypot(
            sep.x[i] - c.x, (sep.y[i] - c.y) / c.y)
    # starts a little to either side (in x) end in different states
    picked = np.linspace(0, len(sep.x) - 1, 14).astype(int)[1:-1]
    checked = 0
    for i in picked:
        x, y = sep.x[i], sep.y[i]
        if not (0.05 < x < 5.9 and y > 1e-3) or abs(y - c.y) < 1e-3 * c.y:
            continue
        sides = {k.outcome(params, x - 0.02, y, t_end=2000), k.outcome(params, x + 0.02, y, t_end=2000)}
        assert sides == {"dormancy", "escape"}, (x, y)
        checked += 1
    assert checked >= 4


def test_separatrix_box_and_inputs():
    (sep,) = k.separatrix(PAPER, x_range=(0.2, 1.5), y_range=(50.0, 400.0), n_points=50)
    assert len(sep.x) == 101
    assert sep.x.min() >= 0.2 and sep.x.max() <= 1.5 and sep.y.min() >= 50 and sep.y.max() <= 400
    assert k.separatrix(PAPER, x_range=(2.0, 3.0)) == []  # C lies outside the box
    with pytest.raises(ValueError, match="y_range"):
        k.separatrix(PAPER, y_range=(0.0, 500.0))
    with pytest.raises(ValueError, match="x_range"):
        k.separatrix(PAPER, x_range=(3.0, 1.0))


# ---------------------------------------------------------------- outcome, nullclines, simulate

def test_elimination_when_the_tumour_falls_below_one_cell():
    assert k.outcome(PAPER, 10.0, 1e-3) == "elimination"  # a large effector dose, small tumour
    assert k.outcome(PAPER, 1.0, 0.0) == "elimination"
    assert k.outcome(PAPER, 1.0, 0.5e-6) == "elimination"
    # the tumour-free state is an attractor when σ/δ > α: every small tumour is cleared
    strong = k.Params(sigma=1.0)
    assert k.equilibria(strong)[0].stable
    assert k.outcome(strong, 0.5, 1.0) == "elimination"
    assert k.outcome(PAPER, 5.0, 50.0) == "dormancy"  # dips to ~1.5e4 cells, not below one


def test_nullclines_pass_through_the_equilibria():
    y = np.linspace(0, 600, 6001)
    n = k.nullclines(PAPER, y)
    assert n.x_nullcline[0] == pytest.approx(PAPER.sigma / PAPER.delta)
    assert np.all(np.isnan(n.y_nullcline[y > 500])) and n.y_nullcline[0] == PAPER.alpha
    for e in k.equilibria(PAPER)[1:]:
        one = k.nullclines(PAPER, [e.y])
        assert one.x_nullcline[0] == pytest.approx(e.x, rel=1e-9)
        assert one.y_nullcline[0] == pytest.approx(e.x, rel=1e-9)
    finite = ~np.isnan(n.x_nullcline)
    dx, _ = k.rhs(PAPER, n.x_nullcline[finite], y[finite])
    assert np.allclose(dx, 0, atol=1e-12)
    # with strong stimulation the x-nullcline has no x ≥ 0 over a band of y (Fig. 8: μ=0.0061)
    assert np.any(np.isnan(k.nullclines(FIG8, y).x_nullcline))
    with pytest.raises(ValueError, match="tumour grid"):
        k.nullclines(PAPER, [-1.0, 2.0])


def test_rhs_is_vectorised_for_a_phase_plane():
    X, Y = np.meshgrid(np.linspace(0, 4, 21), np.linspace(0, 500, 31))
    dx, dy = k.rhs(PAPER, X, Y)
    assert dx.shape == dy.shape == X.shape
    i, j = 7, 9
    sx, sy = k.rhs(PAPER, float(X[i, j]), float(Y[i, j]))
    assert (dx[i, j], dy[i, j]) == (pytest.approx(sx), pytest.approx(sy))
    assert np.all(dy[0] == 0)  # y = 0 is invariant


def test_tiny_tumours_stay_positive_and_the_tumour_free_line_is_exact():
    tr = k.simulate(PAPER, 30.0, 1e-6, 100.0)
    assert np.all(tr.y > 0) and tr.y.min() < 1e-20  # hit hard, far below one cell, never negative
    tr0 = k.simulate(PAPER, 2.0, 0.0, 50.0, 11)
    assert np.all(tr0.y == 0)
    assert np.allclose(tr0.x, PAPER.sigma / PAPER.delta
                       + (2.0 - PAPER.sigma / PAPER.delta) * np.exp(-PAPER.delta * tr0.t))
    assert tr0.t[0] == 0 and tr0.t[-1] == 50.0 and len(tr0.t) == 11
    with pytest.raises(ValueError):
        tr0.x[0] = 1.0  # read-only
    assert tr0.days[-1] == pytest.approx(50 * k.TIME_SCALE_DAYS)
    assert tr0.effector_cells[0] == 2e6


@pytest.mark.parametrize("params,start", [(PAPER, (0.32, 0.5)), (PAPER, (5.0, 50.0)),
                                          (FIG8, (1.0, 1e-3)), (FIG9, (0.1, 110.0))])
def test_tightening_tolerances_does_not_change_results(params, start):
    """Default tolerances (rtol 1e-7, atol 1e-9 on x and ln y) vs 1000x tighter: the whole
    trajectory agrees to 1e-5 relative over τ = 300 (≈ 7.5 years)."""
    a = k.simulate(params, *start, 300.0)
    b = k.simulate(params, *start, 300.0, rtol=1e-10, atol=1e-12)
    assert np.allclose(a.x, b.x, rtol=1e-5, atol=1e-8)
    assert np.allclose(a.y, b.y, rtol=1e-5, atol=0)


@pytest.mark.parametrize("kwargs,message", [
    ({"x0": -0.1}, "x0 must be a finite number ≥ 0"),
    ({"y0": np.nan}, "y0 must be a finite number ≥ 0"),
    ({"y0": "big"}, "y0"),
    ({"t_end": 0.0}, "t_end must be a finite number > 0"),
    ({"t_end": np.inf}, "t_end"),
    ({"n_points": 1}, "n_points must be an integer ≥ 2"),
    ({"n_points": 10.5}, "n_points"),
    ({"rtol": 0.0}, "rtol"),
])
def test_bad_simulation_inputs_are_refused(kwargs, message):
    args = {"x0": 1.0, "y0": 1.0, "t_end": 10.0} | kwargs
    with pytest.raises(ValueError, match=message):
        k.simulate(PAPER, **args)


def test_wrong_parameter_object_is_refused():
    with pytest.raises(TypeError, match="DimensionalParams"):
        k.simulate(k.DimensionalParams(), 1.0, 1.0, 10.0)
    with pytest.raises(ValueError, match="y0"):
        k.outcome(PAPER, 1.0, -1.0)


def test_delta_branch_points_are_equilibria_with_the_stability_equilibria_reports():
    branch = k.delta_branch(k.Params(), np.geomspace(1e-3, 499, 120))
    assert branch.delta.size > 100
    for y, delta, stable in zip(branch.y[::10], branch.delta[::10], branch.stable[::10]):
        params = dataclasses.replace(k.Params(), delta=float(delta))
        match = [e for e in k.equilibria(params) if not e.tumour_free and abs(e.y - y) < 1e-6 * max(1, y)]
        assert len(match) == 1 and match[0].stable == stable
    # At the paper's own δ the branch passes through B (stable), C (saddle) and D (stable).
    paper = k.Params().delta
    crossings = np.flatnonzero(np.diff(np.sign(branch.delta - paper)))
    assert len(crossings) == 3
    assert list(branch.stable[crossings]) == [True, False, True]
