"""Lesson 04 explainers: why survival curves flatten, and what the pivotal trials reported."""

from __future__ import annotations

import re

import pandas as pd

from course import data
from course.explainers.base import Control, Explainer
from course.figures import checkpoints as figs
from course.models.survival import CureModel, fit

LESSON_CANCERS = ("melanoma", "non-small-cell lung cancer", "urothelial carcinoma")
MEASURES = {
    "objective response rate": lambda t: t["endpoint"] == "objective response rate",
    "overall survival at the latest landmark": lambda t: t["endpoint"] == "overall survival rate",
    "median overall survival": lambda t: t["endpoint"] == "median overall survival",
    "severe treatment-related adverse events (grade 3 or worse)":
        lambda t: t["endpoint"].str.startswith("treatment-related adverse events, grade 3"),
}


def _year(source: str) -> int:
    return int(re.search(r"\((\d{4})\)", source).group(1))


def _short_trial(trial: str, source: str) -> str:
    """A trial's name, or its first author and year when it has no short name (a pooled analysis)."""
    name = trial.split(" (")[0]
    return name if len(name) <= 30 else f"{source.split()[0]} et al. {_year(source)}"


def evidence_rows(measure: str) -> pd.DataFrame:
    """One row per trial arm for ``measure``: its latest report, and for landmarks its longest follow-up."""
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {list(MEASURES)}, got {measure!r}")
    table = data.load("checkpoint_trials")
    rows = table[MEASURES[measure](table) & table["cancer"].isin(LESSON_CANCERS)].copy()
    rows["year"] = rows["source"].map(_year)
    rows["arm"] = rows["regimen"].map(figs.short_regimen)
    rows["trial_name"] = [_short_trial(t, src) for t, src in zip(rows["trial"], rows["source"])]
    # Among results of one report, the first listed is the source's main analysis (e.g. all patients
    # rather than a subgroup): the reversed row order makes it the one kept.
    rows["listed"] = -pd.RangeIndex(len(rows))
    rows = rows.sort_values(["year", "timepoint_months", "listed"], na_position="first")
    latest = rows.groupby(["trial_name", "arm"], sort=False).tail(1)
    order = {c: i for i, c in enumerate(LESSON_CANCERS)}
    return latest.sort_values(["cancer", "trial_name", "value"], key=lambda s: s.map(order) if s.name == "cancer"
                              else s, ascending=[True, True, False]).reset_index(drop=True)


def survival_arms() -> dict[str, pd.DataFrame]:
    """Trial arms with at least two published points, by a readable label."""
    table = data.load("checkpoint_survival")
    arms = {}
    for (trial, arm, endpoint), points in table.groupby(["trial", "arm", "endpoint"], sort=False):
        if len(points) >= 2:
            arms[f"{trial} · {arm} · {endpoint}"] = points.sort_values("time_months").reset_index(drop=True)
    return arms


_ARMS = survival_arms()
_DEFAULT_ARM = next(label for label in _ARMS if label.startswith("CheckMate 067 · nivolumab + ipilimumab · OS"))


def best_fit(points: pd.DataFrame) -> CureModel:
    return fit(points["time_months"], points["survival_percent"] / 100.0)


class CureSurvival(Explainer):
    title = "Why the survival curves of checkpoint inhibitors flatten"
    controls = (
        Control("arm", "Published trial arm", default=_DEFAULT_ARM, options=tuple(_ARMS),
                help="the diamonds are this arm's published median and landmark survival"),
        Control("plateau", "Long-term survivors (plateau)", default=30.0, min=0.0, max=49.0, step=1.0, unit="%",
                help="the fraction of patients who stay alive: where the curve levels off"),
        Control("median", "Median survival", default=20.0, min=3.0, max=90.0, step=0.5, unit="months",
                help="when half of all patients are still alive"),
    )

    def build_figure(self):
        r = self.compute(**self.values)
        return figs.survival_figure(r["model"], r["points"], r["fitted"])

    def compute(self, arm, plateau, median):
        points = _ARMS[arm]
        return {"arm": arm, "points": points, "fitted": _FITS[arm],
                "model": CureModel.from_plateau_and_median(plateau / 100.0, median)}

    def redraw(self, fig, r):
        figs.set_survival(fig, r["model"], r["points"], r["fitted"])

    def summary(self, r):
        model, fitted, points = r["model"], r["fitted"], r["points"]
        landmarks = points[points["measure"] != "median"]
        last = (landmarks if len(landmarks) else points).iloc[-1]
        five = 100 * float(model.survival(60.0))
        fit_median = "not reached" if fitted.plateau >= 0.5 else f"{fitted.median_months:.0f} months"
        return (f"Your curve: {100 * model.plateau:.0f} % long-term survivors, median {model.median_months:.1f} "
                f"months, {five:.0f} % alive at 5 years. Published ({r['arm']}): {last['survival_percent']:g} % "
                f"at {last['time_months']:g} months. Best-fitting cure model: plateau {100 * fitted.plateau:.0f} %, "
                f"median {fit_median}.")


_FITS = {label: best_fit(points) for label, points in _ARMS.items()}


class CheckpointEvidence(Explainer):
    title = "What the pivotal checkpoint-inhibitor trials reported"
    controls = (
        Control("measure", "Measure", default="objective response rate", options=tuple(MEASURES),
                help="each bar is one treated arm; hover to read the source's own statement"),
    )

    def build_figure(self):
        return figs.evidence_figure(_EVIDENCE[self.values["measure"]], self.values["measure"])

    def compute(self, measure):
        return {"measure": measure, "rows": _EVIDENCE[measure]}

    def redraw(self, fig, r):
        figs.set_evidence(fig, r["rows"], r["measure"])

    def summary(self, r):
        rows = r["rows"]
        best = rows.loc[rows["value"].idxmax()]
        unit = best["unit"]
        return (f"{r['measure'].capitalize()}: {len(rows)} treated arms; highest {best['value']:g} {unit} with "
                f"{best['arm']} ({best['trial_name']}, {best['cancer']}).")


_EVIDENCE = {m: evidence_rows(m) for m in MEASURES}
