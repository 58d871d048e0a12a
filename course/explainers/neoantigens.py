"""Lesson 01: how many neoantigens does a tumour offer T cells, and does it show in response rates?"""

from __future__ import annotations

import numpy as np

from course.data import load
from course.explainers.base import Control, Explainer
from course.figures.neoantigens import curve, neoantigen_figure
from course.figures.theme import rounded
from course.models import neoantigens as model

_DATA = load("tmb_response")
_FIT = model.fit_response_vs_tmb(_DATA.median_tmb_mut_per_mb, _DATA.orr_percent)
_DEFAULT = model.NeoantigenParams()


class NeoantigenExplainer(Explainer):
    title = "Mutations → neoantigens → response"
    controls = (
        Control("tmb", "Tumour mutational burden", default=model.TMB_HIGH_CUTOFF, min=0.5, max=100.0, step=0.01,
                log=True, unit="mutations/Mb",
                help="mutations per megabase of coding DNA, as a clinical sequencing panel reports it"),
        Control("immunogenic_percent", "Recognised per mutation", default=100 * _DEFAULT.immunogenic_fraction,
                min=0.5, max=10.0, step=0.1, unit="%",
                help="chance that one non-synonymous mutation gives a neoantigen T cells recognise "
                     "(1.6 % measured by Parkhurst et al. 2019)"),
    )

    def build_figure(self):
        return neoantigen_figure(self.values["tmb"], self._params(self.values["immunogenic_percent"]), _DATA, _FIT)

    @staticmethod
    def _params(percent: float) -> model.NeoantigenParams:
        return model.NeoantigenParams(nonsynonymous_per_tmb=_DEFAULT.nonsynonymous_per_tmb,
                                      immunogenic_fraction=percent / 100)

    def compute(self, tmb, immunogenic_percent):
        params = self._params(immunogenic_percent)
        distance = np.abs(np.log(_DATA.median_tmb_mut_per_mb) - np.log(tmb))
        nearest = _DATA.iloc[np.argsort(distance.to_numpy(), kind="stable")[:2]]
        return {
            "tmb": tmb,
            "params": params,
            "nonsyn": float(model.nonsynonymous_mutations(tmb, params)),
            "lam": float(model.expected_recognised(tmb, params)),
            "p_any": float(model.probability_at_least_one(tmb, params)),
            "orr_fit": float(_FIT.predict([tmb])[0]),
            "nearest": nearest,
        }

    def redraw(self, fig, r):
        fig.data[0].y = curve(r["params"])
        fig.data[1].x, fig.data[1].y = [r["tmb"]], rounded([r["lam"]])
        fig.data[4].x, fig.data[4].y = [r["tmb"]], rounded([r["orr_fit"]])

    def summary(self, r):
        near = "; ".join(f"{row.cancer_type} ({row.median_tmb_mut_per_mb:g} mut/Mb, ORR {row.orr_percent:g}%)"
                         for row in r["nearest"].itertuples())
        lam = f"{r['lam']:.0f}" if r["lam"] >= 10 else f"{r['lam']:.2g}"
        lo, hi = _DATA.median_tmb_mut_per_mb.min(), _DATA.median_tmb_mut_per_mb.max()
        beyond = "" if lo <= r["tmb"] <= hi else f" (outside the data's {lo:g}–{hi:g} mut/Mb: an extrapolation)"
        return (f"At {r['tmb']:.3g} mutations/Mb: about {r['nonsyn']:.0f} non-synonymous mutations, "
                f"{lam} expected T-cell-recognised neoantigens, chance of at least one "
                f"{100 * r['p_any']:.0f}%. The fit across {_FIT.n} cancer types gives a response rate of "
                f"{r['orr_fit']:.0f}%{beyond}; closest cancer types by median TMB: {near}.")
