"""Lesson 02: the Kuznetsov et al. (1994) effector–tumour model as three explainers."""

from __future__ import annotations

import dataclasses
from functools import lru_cache

import numpy as np

from course.explainers.base import Control, Explainer
from course.figures import tumour_dynamics as figs
from course.figures.theme import gap_if_empty, gapped, rounded
from course.models import kuznetsov as model

PAPER = model.DimensionalParams()
DAYS_END = 600.0
PHASE_TAU_END = 200.0  # non-dimensional time of a phase-plane path (≈ 5 years)
# ≈ 7.5 years: long enough to see where a start ends. Over 324 starts on a grid (three values of m)
# it classified every one as model.outcome's default of 1000 does, at half the cost.
FATE_TAU_END = 300.0
M_UNIT = 1e-10  # the inactivation slider is in units of 10^-10 per cell per day

START_TUMOUR = Control("tumour_cells", "Tumour cells at the start", default=1e6, min=1e2, max=5e8, step=0.01,
                       log=True, unit="cells",
                       help="size of the tumour when the simulation starts (the paper's carrying capacity "
                            "is 1/b = 5×10⁸ cells)")
INACTIVATION = Control("m", "Effector inactivation by tumour m", default=PAPER.m / M_UNIT, min=0.0, max=8.0,
                       step=0.01, unit="×10⁻¹⁰ per cell per day",
                       help=f"how fast tumour cells switch effectors off (paper's estimate {PAPER.m / M_UNIT:.3f}; "
                            f"at {model.FIG8_MU * PAPER.n / M_UNIT:.2f} small tumours sneak through, as in the "
                            "paper's Fig. 8)")


def _cells(v: float) -> str:
    """A cell count as a student reads it: '8.2 million', '3,200', 'less than one'."""
    if v < 1:
        return "less than one"
    if v < 1e4:
        return f"{v:,.0f}"
    if v < 1e9:
        return f"{v / 1e6:.3g} million"
    return f"{v / 1e9:.3g} billion"


def _params(**changes) -> model.Params:
    """Non-dimensional parameters from the paper's dimensional ones with some changed."""
    return dataclasses.replace(PAPER, **changes).to_nondimensional()


@lru_cache(maxsize=256)
def _direction_field(params: model.Params):
    return figs.direction_field(params)


@lru_cache(maxsize=256)
def _separatrix(params: model.Params):
    # Backward integration of the saddle's stable manifold takes ~15 ms: worth caching per parameter set.
    # 60 points a branch draw the curve smoothly and keep the redraw's lists short.
    return model.separatrix(params, x_range=figs.PHASE_X_RANGE, n_points=60)


def _run(params: model.Params, x0: float, y0: float, tau_shown: float, points_shown: int):
    """One simulation long enough to tell the fate, and its first ``tau_shown`` thinned for drawing."""
    long = model.simulate(params, x0, y0, FATE_TAU_END, n_points=model.outcome_points(FATE_TAU_END))
    shown = int(np.searchsorted(long.t, tau_shown, side="right"))
    stride = max(1, shown // points_shown)
    picked = slice(0, shown, stride)
    return model.Trajectory(long.t[picked], long.x[picked], long.y[picked]), model.classify(params, long)


def _stable_tumour_sizes(params: model.Params) -> list[float]:
    return [e.y * model.CELL_SCALE for e in model.equilibria(params) if e.stable and not e.tumour_free]


def _fate_sentence(fate: str, params: model.Params) -> str:
    sizes = _stable_tumour_sizes(params)
    if fate == "elimination":
        return "the tumour falls below one cell: eliminated"
    if fate == "dormancy":
        return f"the tumour is held dormant, settling towards the small stable state of {_cells(min(sizes))} cells"
    return (f"the tumour escapes towards the large stable state of {_cells(max(sizes))} cells" if sizes
            else "the tumour escapes")


class KuznetsovTimeCourse(Explainer):
    title = "Tumour and effector cells over time"
    controls = (
        START_TUMOUR,
        Control("effector_millions", "Effector cells at the start", default=round(PAPER.s / PAPER.d / 1e6, 2),
                min=0.0, max=4.0, step=0.01, unit="millions",
                help=f"the normal level without a tumour is s/d = {PAPER.s / PAPER.d / 1e6:.2f} million; more "
                     "means an immune system already primed against the tumour"),
        Control("a", "Tumour growth rate a", default=PAPER.a, min=0.05, max=0.4, step=0.005, unit="per day",
                help="the tumour's maximal growth rate without immune attack (paper's estimate 0.18 per day)"),
        Control("p", "Effector recruitment by tumour p", default=PAPER.p, min=0.0, max=0.3, step=0.0005,
                unit="per day",
                help="how strongly the tumour's presence recruits and stimulates effectors (paper's estimate "
                     "0.1245 per day)"),
        INACTIVATION,
    )

    def build_figure(self):
        return figs.time_course_figure(DAYS_END)

    def compute(self, tumour_cells, effector_millions, a, p, m):
        params = _params(a=a, p=p, m=m * M_UNIT)
        x0 = effector_millions * 1e6 / model.CELL_SCALE
        y0 = model.from_cells(tumour_cells)
        traj, fate = _run(params, x0, y0, model.from_days(DAYS_END), 300)
        return {"params": params, "traj": traj, "x0": x0, "tumour_cells": tumour_cells, "fate": fate,
                "stable": _stable_tumour_sizes(params)}

    def redraw(self, fig, r):
        d = figs.time_course_data(r["traj"], r["stable"], DAYS_END)
        fig.data[0].x, fig.data[0].y = d["days"], d["tumour"]
        fig.data[1].x, fig.data[1].y = d["days"], d["effector"]
        fig.data[2].x, fig.data[2].y = d["levels_x"], d["levels_y"]

    def summary(self, r):
        tumour, days = r["traj"].tumour_cells, r["traj"].days
        low = int(np.argmin(tumour))
        return (f"Start: {_cells(r['tumour_cells'])} tumour cells, {_cells(r['x0'] * model.CELL_SCALE)} effector "
                f"cells. In the long run {_fate_sentence(r['fate'], r['params'])}. "
                f"Over {DAYS_END:.0f} days the tumour peaks at {_cells(tumour.max())} cells, is smallest on day "
                f"{days[low]:.0f} ({_cells(tumour[low])}) and ends at {_cells(tumour[-1])} cells.")


class PhasePlane(Explainer):
    title = "Phase plane: where does a tumour end?"
    controls = (
        Control("effector_millions", "Effector cells at the start", default=1.0, min=0.0, max=4.0, step=0.01,
                unit="millions", help="cytotoxic effector cells when the path starts"),
        START_TUMOUR,
        INACTIVATION,
    )

    def build_figure(self):
        return figs.phase_plane_figure()

    def compute(self, effector_millions, tumour_cells, m):
        params = _params(m=m * M_UNIT)
        x0, y0 = effector_millions * 1e6 / model.CELL_SCALE, model.from_cells(tumour_cells)
        traj, fate = _run(params, x0, y0, PHASE_TAU_END, 400)
        return {"params": params, "x0": x0, "tumour_cells": tumour_cells, "traj": traj, "fate": fate,
                "equilibria": model.equilibria(params),
                "separatrix": _separatrix(params),
                "null": model.nullclines(params, np.geomspace(10 ** figs.PHASE_LOG_Y_RANGE[0],
                                                              10 ** figs.PHASE_LOG_Y_RANGE[1], 80)
                                         / model.CELL_SCALE)}

    _drawn_params = None

    def redraw(self, fig, r):
        traj = r["traj"]
        fig.data[4].x, fig.data[4].y = rounded(traj.x), rounded(traj.tumour_cells)
        fig.data[5].x, fig.data[5].y = rounded([r["x0"]]), rounded([r["tumour_cells"]])
        if r["params"] == self._drawn_params:
            return  # moving the start leaves the map alone; rewriting its long lists is most of a redraw's cost
        self._drawn_params = r["params"]
        fig.data[0].x, fig.data[0].y = _direction_field(r["params"])
        null, cells = r["null"], rounded(r["null"].y * model.CELL_SCALE)
        for trace, x in ((fig.data[1], gapped(null.x_nullcline)), (fig.data[2], gapped(null.y_nullcline))):
            trace.x, trace.y = x, np.where(np.isnan(x), np.nan, cells)  # a gap where the nullcline has no point
        # the separatrices as one line, each ended by a gap
        gap = [np.full(1, np.nan)]
        sx = np.concatenate([np.zeros(0)] + [part for c in r["separatrix"] for part in (c.x, *gap)])
        sy = np.concatenate([np.zeros(0)] + [part for c in r["separatrix"] for part in (c.y * model.CELL_SCALE, *gap)])
        fig.data[3].x, fig.data[3].y = gap_if_empty(gapped(sx)), gap_if_empty(gapped(sy))
        for trace, stable in ((fig.data[6], True), (fig.data[7], False)):
            chosen = [e for e in r["equilibria"] if e.stable is stable and not e.tumour_free]
            trace.x = gap_if_empty(rounded([e.x for e in chosen]))
            trace.y = gap_if_empty(rounded([e.y * model.CELL_SCALE for e in chosen]))

    def summary(self, r):
        states = "; ".join(f"{e.kind} at {_cells(e.y * model.CELL_SCALE)} tumour and "
                           f"{_cells(e.x * model.CELL_SCALE)} effector cells"
                           for e in r["equilibria"] if not e.tumour_free)
        free = next(e for e in r["equilibria"] if e.tumour_free)
        return (f"Start: {_cells(r['x0'] * model.CELL_SCALE)} effector and {_cells(r['tumour_cells'])} tumour "
                f"cells → {r['fate']}: {_fate_sentence(r['fate'], r['params'])}. Equilibria with a tumour: "
                f"{states or 'none'}; the tumour-free state (0 tumour cells) is "
                f"{'stable' if free.stable else 'unstable'}.")


D_GRID = np.geomspace(0.003, 0.3, 160)  # effector death rate d, per day


@lru_cache(maxsize=1)
def _branches():
    branch = model.delta_branch(model.Params(), np.geomspace(1e-4, 1 / model.Params().beta, 600))
    d = branch.delta * PAPER.n * PAPER.T0  # δ = d / (n T0)
    return figs.regime_branches(d, model.to_cells(branch.y), branch.stable, model.elimination_death_rate(PAPER),
                                (float(D_GRID[0]), float(D_GRID[-1])))


def regime(params: model.Params) -> str:
    """Which phases of immunoediting the model allows at these parameters."""
    states = model.equilibria(params)
    if any(e.stable and e.tumour_free for e in states):
        return "elimination"
    sizes = sorted(e.y for e in states if e.stable and not e.tumour_free)
    if len(sizes) >= 2:
        return "equilibrium or escape"
    return "escape" if not sizes or sizes[0] >= 0.5 / params.beta else "equilibrium"


REGIME_TEXT = {
    "elimination": "the tumour-free state is stable: effectors at their normal level remove small tumours "
                   "(elimination)",
    "equilibrium or escape": "a small tumour state (dormancy, the equilibrium phase) and a large one (escape) are "
                             "both stable: the start decides",
    "equilibrium": "only a small tumour state is stable: the tumour is held dormant (equilibrium)",
    "escape": "only a large tumour state is stable: the tumour escapes whatever its start",
}


class Immunoediting(Explainer):
    title = "Immunoediting: elimination, equilibrium and escape"
    controls = (
        Control("d", "Effector death rate d", default=PAPER.d, min=float(D_GRID[0]), max=float(D_GRID[-1]),
                step=0.001, log=True, unit="per day",
                help="how fast effectors die or are exhausted (paper's estimate 0.0412 per day); an edited, "
                     "immunosuppressive tumour raises it"),
        START_TUMOUR,
    )

    def build_figure(self):
        return figs.regimes_figure(D_GRID, _branches(), DAYS_END)

    def compute(self, d, tumour_cells):
        params = _params(d=d)
        x0, y0 = params.sigma / params.delta, model.from_cells(tumour_cells)
        traj, fate = _run(params, x0, y0, model.from_days(DAYS_END), 300)
        return {"d": d, "params": params, "tumour_cells": tumour_cells, "regime": regime(params),
                "traj": traj, "fate": fate}

    def redraw(self, fig, r):
        fig.data[2].x, fig.data[2].y = [r["d"], r["d"]], [10 ** figs.CELLS_RANGE[0], 10 ** figs.CELLS_RANGE[1]]
        fig.data[3].x, fig.data[3].y = rounded(r["traj"].days), rounded(r["traj"].tumour_cells)

    def summary(self, r):
        return (f"At d = {r['d']:.3g} per day {REGIME_TEXT[r['regime']]}. A tumour of {_cells(r['tumour_cells'])} "
                f"cells meeting effectors at their normal level ends in {r['fate']}.")
