"""Lesson 03: antigenicity, adoptive cell transfer and IL-2 in the Kirschner & Panetta (1998) model."""

from __future__ import annotations

from course.explainers.base import Control, Explainer
from course.figures import kirschner_panetta as figs
from course.models import kirschner_panetta as model

TABLE_1 = model.Params()
DAYS_END = 1000.0
# Start with one tumour cell, one effector cell and one unit of IL-2, as the curated CellML
# encoding of the paper does (see course.models.kirschner_panetta).
START = dict(E0=1.0, T0=1.0, IL0=1.0)

OUTCOME_TEXT = {
    "cleared": "the tumour is cleared (below one cell for the last quarter of the run)",
    "clearing": "the tumour is being cleared (still shrinking at day {days:.0f}, and the tumour-free state is stable)",
    "controlled": "the tumour settles at a small steady size",
    "large tumour": "the tumour grows to a large steady size near its carrying capacity",
    "growing": "the tumour is still growing at day {days:.0f}",
    "oscillating": "tumour and immune cells oscillate: the tumour shrinks, relapses and shrinks again",
    "runaway": "effector cells grow without bound under IL-2 (in a patient: capillary leak, a toxic dose)",
}


def _cells(v: float) -> str:
    if v < 1:
        return "less than one"
    return f"{v:,.0f}" if v < 1e4 else f"{v:.2g}"


class KirschnerPanetta(Explainer):
    title = "Antigenicity, adoptive cells and IL-2"
    controls = (
        Control("c", "Antigenicity c", default=TABLE_1.c, min=0.0, max=0.05, step=0.0005, unit="per day",
                help="effector cells recruited per tumour cell per day: how visible the tumour is to the immune "
                     "system (Table 1 range 0–0.05)"),
        Control("s1", "Adoptive cell transfer s1", default=0.0, min=0.0, max=1000.0, step=10.0,
                unit="cells per day", help="effector cells infused per day (lymphokine-activated killer or "
                                           "tumour-infiltrating lymphocytes)"),
        Control("s2", "IL-2 infusion s2", default=0.0, min=0.0, max=1.0e8, step=1.0e6, unit="units per day",
                help="external IL-2 given per day, in the model's concentration units"),
    )

    def build_figure(self):
        return figs.model_figure(DAYS_END)

    def compute(self, c, s1, s2):
        params = model.Params(c=c, s1=s1, s2=s2)
        result = model.simulate(params, t_end=DAYS_END, n_points=500, **START)
        free = model.tumour_free_equilibrium(params)
        return {"params": params, "result": result, "outcome": model.outcome(result),
                "stats": model.oscillation_stats(result), "threshold": model.s1_clearance_threshold(params),
                "free": free}

    def redraw(self, fig, r):
        d = figs.traces(r["result"])
        fig.data[0].x, fig.data[0].y = d["days"], d["tumour"]
        fig.data[1].x, fig.data[1].y = d["days"], d["effector"]
        fig.data[2].x, fig.data[2].y = d["days"], d["il2"]

    def summary(self, r):
        p, result = r["params"], r["result"]
        text = OUTCOME_TEXT[r["outcome"]].format(days=DAYS_END)
        if r["outcome"] == "oscillating" and r["stats"] is not None:
            s = r["stats"]
            text += f", every {s.period:.0f} days, peaking near {_cells(10 ** s.log10_T_max)} cells"
        if r["free"] is None:
            cure = "this much IL-2 leaves no tumour-free steady state: effectors would grow without bound"
        else:
            cure = (f"with this IL-2, adoptive transfer above s1 = {r['threshold']:.0f} cells/day makes the "
                    f"tumour-free state stable; here it is {'stable' if r['free'].stable else 'unstable'}")
        return (f"c = {p.c:g}/day, s1 = {p.s1:g} cells/day, s2 = {p.s2:.3g} units/day: {text}. "
                f"On day {DAYS_END:.0f}: tumour cells {_cells(10 ** result.log10_T[-1])}, effector cells "
                f"{_cells(result.E[-1])}. {cure[0].upper() + cure[1:]}.")
