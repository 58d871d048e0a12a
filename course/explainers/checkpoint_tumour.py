"""Immune checkpoints: blocking PD-1 in the Nikolopoulou et al. (2018) T cell–tumour model.

Two controls: the share of PD-1 blocked by an anti-PD-1 antibody (converted to the
model's antibody level A with :func:`~course.models.checkpoint_tumour.level_for_blockade`)
and the tumour's density at the start.  T cells always start at the level of the
model's encoding (0.006 g/cm³).  The model is bistable: untreated, small tumours are
eliminated and large ones escape; blockade raises the size a tumour needs to escape,
and above the critical blockade (:func:`~course.models.checkpoint_tumour.critical_level`,
58 % of PD-1) no tumour escapes.

Which starting tumours escape is found here by simulation, not from the saddle alone:
the saddle's tumour density (0.072 g/cm³ untreated) is where the two basins meet only
for T cells at the saddle's own level, and from T = 0.006 g/cm³ tumours from
0.048 g/cm³ up already escape.  The map of the figure does not depend on the controls
and is computed once; the threshold at the chosen blockade is cached per blockade.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import lru_cache

import numpy as np

from course.explainers.base import Control, Explainer
from course.figures import checkpoint_tumour as figs
from course.models import checkpoint_tumour as model

P = model.Params()  # the encoded parameters, untreated
T0 = model.ENCODED_T0
DAYS_END = 365.0
N_POINTS = 293  # one output every 1.25 days
TUMOUR_MIN, TUMOUR_MAX = 1e-3, 0.8  # g/cm³: small ones eliminated, large ones escape untreated
# Blockade stops at 85 % of PD-1.  The model has no crowding of T cells: PD-1 is their only
# brake, so near complete blockade their tumour-free level climbs beyond what tissue can hold
# (0.25 g/cm³ at 85 %, 0.31 at 90 %, 3 at 99.9 %) and at 100 % they grow without bound.
# 85 % keeps every run physiological while reaching well past the critical 58 %.
BLOCKADE_MAX = 85.0

# Tolerances for the escape/elimination test only (the drawn runs use the model's defaults).
# Measured when this was written, at every 5 % of blockade up to 55 %: the threshold found with
# them over 365 days is within 0.2 % (about the bisection's resolution) of the one found with the
# model's default tolerances over 730 days.
_TEST_RTOL, _TEST_ATOL = 1e-5, 1e-7
_BISECTIONS = 12  # on log10 of the starting density: 2.9 decades / 2^12 < 0.001 decade


def params_for(blockade_percent: float) -> model.Params:
    """The model's parameters with the antibody level that blocks ``blockade_percent`` % of PD-1."""
    return replace(P, A=model.level_for_blockade(P, blockade_percent / 100.0))


@lru_cache(maxsize=256)
def _dividing_density(blockade_percent: float) -> float | None:
    """log10 of the saddle's tumour density (a run ending above it has escaped); None if none.

    With no saddle the tumour-free state is the only attractor (None), or, if it is
    unstable, every tumour escapes (-inf: any density is above it).
    """
    eqs = model.equilibria(params_for(blockade_percent))
    saddles = [e for e in eqs if e.kind == "saddle" and not e.tumour_free]
    if saddles:
        return math.log10(saddles[0].C)
    free = [e for e in eqs if e.tumour_free]
    return None if free and free[0].stable else -math.inf


def escapes(blockade_percent: float, tumour_start: float) -> bool:
    """True if a tumour starting at ``tumour_start`` g/cm³ (T cells at T0) ends a year above the saddle."""
    divide = _dividing_density(blockade_percent)
    if divide is None:
        return False
    run = model.simulate(params_for(blockade_percent), T0=T0, C0=tumour_start, t_end=DAYS_END, n_points=2,
                         rtol=_TEST_RTOL, atol=_TEST_ATOL)
    return bool(run.log10_C[-1] > divide)


@lru_cache(maxsize=256)
def escape_threshold(blockade_percent: float) -> float | None:
    """Smallest starting tumour (g/cm³) in [TUMOUR_MIN, TUMOUR_MAX] that escapes at this blockade.

    ``TUMOUR_MIN`` if every tumour in the range escapes, ``None`` if none does.  The tumours that
    escape form one interval reaching up to ``TUMOUR_MAX`` (checked on a grid of starts and blockades
    when this was written), so bisection on log10 of the density finds its lower end.
    """
    if not escapes(blockade_percent, TUMOUR_MAX):
        return None
    lo, hi = math.log10(TUMOUR_MIN), math.log10(TUMOUR_MAX)
    if escapes(blockade_percent, TUMOUR_MIN):
        return TUMOUR_MIN
    for _ in range(_BISECTIONS):
        mid = 0.5 * (lo + hi)
        if escapes(blockade_percent, 10.0 ** mid):
            hi = mid
        else:
            lo = mid
    return 10.0 ** hi


@lru_cache(maxsize=1)
def escape_boundary() -> tuple[np.ndarray, np.ndarray]:
    """The lower edge of the escape region of the map: (percent blocked, threshold g/cm³).

    Runs up to the blockade at which the largest starting tumour stops escaping (found by
    bisection to 0.01 %), on a 5 % grid refined to 0.5 % over the last 5 %, where the threshold
    rises steeply.  Empty if no tumour in range escapes even untreated.
    """
    if not escapes(0.0, TUMOUR_MAX):
        return np.array([]), np.array([])
    if escapes(BLOCKADE_MAX, TUMOUR_MAX):
        end = BLOCKADE_MAX
    else:
        lo, hi = 0.0, BLOCKADE_MAX
        while hi - lo > 0.01:
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if escapes(mid, TUMOUR_MAX) else (lo, mid)
        end = lo
    coarse = np.arange(0.0, max(end - 5.0, 0.0), 5.0)
    fine = np.arange(coarse[-1] + 0.5 if coarse.size else 0.0, end, 0.5)
    percents = np.concatenate([coarse, fine, [end]])
    thresholds = np.array([escape_threshold(float(p)) for p in percents], dtype=float)
    return percents, thresholds


def critical_percent() -> float:
    """The critical blockade as a percentage of PD-1 (math.inf if no blockade stops every tumour)."""
    level = model.critical_level(P)
    if not math.isfinite(level):
        return math.inf
    return 100.0 * model.blockade_fraction(replace(P, A=level))


CRITICAL_PERCENT = critical_percent()

OUTCOME_TEXT = {
    "eliminated": "the T cells eliminate the tumour (below about one cancer cell per cm³ from day {day:.0f} on)",
    "shrinking": "the tumour is still shrinking on day {end:.0f}",
    "controlled": "the T cells hold the tumour at a small steady size, {final}",
    "escaped": "the tumour escapes the T cells and settles at {final}, {capacity:.0f} % of its carrying capacity",
    "growing": "the tumour is still growing on day {end:.0f}",
    "settling": "the tumour is still settling on day {end:.0f}",
    "runaway": "T cells grow without bound, far beyond anything physiological",
}


def _density(log10_value: float) -> str:
    if log10_value < math.log10(model.ELIMINATED_C):
        return "below 10⁻⁹ g/cm³ (less than one cancer cell per cm³)"
    return f"{10.0 ** log10_value:.3g} g/cm³"


def _elimination_day(run: model.Result) -> float:
    """First day from which the tumour stays below model.ELIMINATED_C."""
    above = np.flatnonzero(run.log10_C >= math.log10(model.ELIMINATED_C))
    return float(run.t[0] if above.size == 0 else run.t[min(above[-1] + 1, run.t.size - 1)])


@lru_cache(maxsize=128)
def untreated_run(tumour_start: float) -> model.Result:
    """The same tumour with no antibody (cached: it does not depend on the blockade)."""
    return model.simulate(P, T0=T0, C0=tumour_start, t_end=DAYS_END, n_points=N_POINTS)


class CheckpointTumour(Explainer):
    title = "Blocking PD-1: when do T cells win?"
    controls = (
        Control("blockade", "PD-1 blocked by anti-PD-1", default=0.0, min=0.0, max=BLOCKADE_MAX, step=1.0,
                unit="%",
                help="share of the T cells' PD-1 receptors held by the antibody, so that PD-L1 on tumour and T "
                     f"cells cannot switch the T cells off. Stops at {BLOCKADE_MAX:g} %: the model has no brake on "
                     "T cells other than PD-1, so near complete blockade they grow without bound"),
        Control("tumour_start", "Tumour density at the start", default=model.ENCODED_C0, min=TUMOUR_MIN,
                max=TUMOUR_MAX, step=0.01, log=True, unit="g/cm³",
                help="grams of cancer cells per cm³ of tissue on day 0 (1 g/cm³ is about tissue packed with "
                     f"cells; the model's carrying capacity is {P.C_K:.2g} g/cm³; the default "
                     f"{model.ENCODED_C0:.3g} is the initial state of the model's BioModels encoding). T cells "
                     f"start at {T0:g} g/cm³"),
    )

    def build_figure(self):
        return figs.checkpoint_figure(days_end=DAYS_END, T0=T0, tumour_range=(TUMOUR_MIN, TUMOUR_MAX),
                                      blockade_max=BLOCKADE_MAX, escape_boundary=escape_boundary(),
                                      critical_percent=CRITICAL_PERCENT)

    def compute(self, blockade, tumour_start):
        run = model.simulate(params_for(blockade), T0=T0, C0=tumour_start, t_end=DAYS_END, n_points=N_POINTS)
        return {"blockade": blockade, "tumour_start": tumour_start, "run": run, "outcome": model.outcome(run),
                "untreated": untreated_run(tumour_start) if blockade > 0 else None,
                "threshold": escape_threshold(blockade)}

    def redraw(self, fig, r):
        persists = bool(r["run"].log10_C[-1] >= math.log10(model.ELIMINATED_C))
        figs.set_data(fig, r["run"], r["untreated"], r["threshold"], r["blockade"], r["tumour_start"], persists)

    def summary(self, r):
        run, blockade = r["run"], r["blockade"]
        final = _density(run.log10_C[-1])
        text = OUTCOME_TEXT[r["outcome"]].format(day=_elimination_day(run), end=DAYS_END, final=final,
                                                 capacity=100.0 * run.C[-1] / run.params.C_K)
        head = (f"{blockade:g} % of PD-1 blocked, tumour starting at {r['tumour_start']:.3g} g/cm³: {text}. "
                f"Day {DAYS_END:.0f}: tumour {final}, T cells {run.T[-1]:.3g} g/cm³.")
        thr = r["threshold"]
        if thr is None:
            if blockade > CRITICAL_PERCENT:
                where = "At this blockade no tumour can escape."
            else:
                where = (f"At this blockade no tumour starting below {TUMOUR_MAX:g} g/cm³ escapes (with T cells "
                         f"starting at {T0:g} g/cm³).")
        elif thr <= TUMOUR_MIN:
            where = f"At this blockade every tumour from {TUMOUR_MIN:g} g/cm³ up escapes."
        else:
            where = f"At this blockade, tumours starting above {thr:.2g} g/cm³ escape."
        if math.isfinite(CRITICAL_PERCENT):
            crit = (f"Critical blockade: {CRITICAL_PERCENT:.1f} % of PD-1; above it no tumour of any size can "
                    f"escape.")
        else:
            crit = "No blockade, however complete, stops every tumour in this model."
        return f"{head} {where} {crit}"

