"""Lesson 05 explainers: CAR-T kinetics in the blood, CAR T cells against leukaemia and normal B cells, the
toxicity window, and what the pivotal trials reported."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from course import data
from course.explainers.base import Control, Explainer, significant
from course.figures import car_t as figs
from course.figures.car_t import superscript_power as cells
from course.models import car_t_kinetics as km
from course.models import car_t_tumour as lt


# ======================================================================================
# 1. CAR-T kinetics (Stein et al. 2019)
# ======================================================================================

_KP = km.Params()
TYPICAL_DOUBLING_DAYS = _KP.doubling_time_days           # 0.7787 days at the paper's parameters
PEAK_RULES = {
    f"expansion lasts {_KP.t_max_days:g} days (the peak grows with dose and rate)": "fixed_tmax",
    f"expansion stops at the typical peak of {_KP.c_max_copies_per_ug:,.0f} copies/µg (the day of the peak moves)":
        "fixed_cmax",
}


def expansion_rate(doubling_time_days: float) -> float:
    """ρ (1/day) for a doubling time; the slider's 0.78 days is the paper's own ρ (doubling time 0.7796 days)."""
    if abs(doubling_time_days - TYPICAL_DOUBLING_DAYS) < 0.005:
        return _KP.expansion_rate_per_day
    return km.rate_from_doubling_time(doubling_time_days)


def _parts(sim: km.Simulation) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return sim.t_days, sim.effector, sim.memory


@functools.cache
def _reference_curves():
    early = km.simulate(_KP, t_end_days=figs.KIN_EARLY_DAYS, n_points=170)
    late = km.simulate(_KP, t_end_days=figs.KIN_LATE_DAYS, n_points=300)
    return _parts(early), _parts(late)


def kinetics_run(dose_per_kg: float, doubling_time_days: float, peak_rule: str) -> dict:
    """The course, its curves (first six weeks, first year) and the model's readouts."""
    rho = expansion_rate(doubling_time_days)
    kwargs = dict(expansion_rate_per_day=rho, peak_rule=peak_rule)
    c = km.course(_KP, dose_per_kg, **kwargs)
    early = km.simulate(_KP, dose_per_kg, t_end_days=figs.KIN_EARLY_DAYS, n_points=170, **kwargs)
    late = km.simulate(_KP, dose_per_kg, t_end_days=figs.KIN_LATE_DAYS, n_points=300, **kwargs)
    return {"course": c, "early": _parts(early), "late": _parts(late), "readouts": km.readouts(c),
            "dose": dose_per_kg, "doubling": doubling_time_days, "rule": peak_rule}


class CarTKinetics(Explainer):
    title = "CAR-T cells in the blood after one infusion: expansion, contraction, persistence"
    controls = (
        Control("dose", "Dose", default=km.STEIN_MEDIAN_DOSE_PER_KG, min=7e4, max=5e6, step=0.05,
                unit="CAR⁺ T cells/kg", log=True,
                help=f"CAR-positive viable T cells per kg of body weight. The Kymriah label for children and young "
                     f"adults up to {km.LABEL_ALL_WEIGHT_LIMIT_KG:g} kg allows "
                     f"{km.LABEL_ALL_DOSE_PER_KG[0] / 1e6:g}-{km.LABEL_ALL_DOSE_PER_KG[1] / 1e6:g} million/kg; the "
                     f"default is the median dose of the patients Stein et al. modelled "
                     f"({km.STEIN_MEDIAN_DOSE_PER_KG / 1e6:g} million/kg). Course assumption: the starting level in "
                     "the blood is proportional to the dose"),
        Control("doubling_time", "Doubling time during expansion", default=0.78, min=0.5, max=2.5, step=0.01,
                unit="days", log=True,
                help=f"how fast the CAR-T cells multiply after meeting CD19-positive cells; Stein et al. 2019 found "
                     f"{km.STEIN_DOUBLING_TIME_DAYS:g} days in the typical patient (between patients it varies "
                     "widely)"),
        Control("peak_rule", "What ends the expansion", default=next(iter(PEAK_RULES)), options=tuple(PEAK_RULES),
                help="the paper's model has one fixed duration and peak for the typical patient; to vary the dose "
                     "the course must say what ends the expansion: a fixed time (then a bigger dose gives a "
                     "higher peak) or reaching the typical peak (then a bigger dose only gets there sooner). The "
                     "trials found no clear link between dose and peak, which sides with the second rule"),
    )

    def build_figure(self):
        fig = figs.kinetics_figure()
        self._draw(fig, self.compute(**self.values))
        return fig

    def compute(self, dose, doubling_time, peak_rule):
        return kinetics_run(float(dose), float(doubling_time), PEAK_RULES[peak_rule])

    @staticmethod
    def _draw(fig, r):
        ref_early, ref_late = _reference_curves()
        ro = r["readouts"]
        days = [ro["t_max_days"], 28.0, 365.0]
        levels = [ro["c_max_copies_per_ug"], ro["level_day_28_copies_per_ug"], ro["level_year_1_copies_per_ug"]]
        figs.set_kinetics(fig, early=r["early"], late=r["late"], reference_early=ref_early,
                          reference_late=ref_late, marks_days=days, marks_levels=levels,
                          marks_text=["peak", "day 28", "1 year"],
                          rule_end_day=_KP.t_max_days if r["rule"] == "fixed_tmax" else None,
                          rule_ceiling=_KP.c_max_copies_per_ug)

    def redraw(self, fig, r):
        self._draw(fig, r)

    def summary(self, r):
        ro, c = r["readouts"], r["course"]
        rule = (f"expansion lasts a fixed {_KP.t_max_days:g} days" if r["rule"] == "fixed_tmax"
                else "expansion stops at the typical peak")
        text = (f"Dose {significant(r['dose'] / 1e6, 2)} million CAR⁺ T cells/kg, doubling time "
                f"{ro['doubling_time_days']:.2f} days, {rule}: peak {significant(ro['c_max_copies_per_ug'])} copies/µg on "
                f"day {ro['t_max_days']:.1f} ({significant(ro['fold_expansion'])}-fold expansion). Day 28: "
                f"{significant(ro['level_day_28_copies_per_ug'])} copies/µg ({100 * ro['fraction_of_peak_day_28']:.2g} % "
                f"of the peak); 1 year: {significant(ro['level_year_1_copies_per_ug'])} copies/µg "
                f"({100 * ro['fraction_of_peak_year_1']:.2g} % of the peak). Contraction half-life "
                f"{ro['contraction_half_life_days']:.1f} days, persistence half-life "
                f"{ro['persistence_half_life_days']:.0f} days; memory cells carry most of the level from day "
                f"{ro['memory_dominant_from_days']:.0f} (Stein et al. 2019 model).")
        if r["rule"] == "fixed_tmax" and abs(c.dose_cells_per_kg / _KP.reference_dose_cells_per_kg - 1) > 0.05:
            text += (" Under this rule the peak is proportional to the dose; the trials did not see that (Stein et "
                     "al. 2019 found no covariate, dose included, that changed the peak significantly).")
        return text


# ======================================================================================
# 2. CAR T cells vs leukaemia and normal B cells (León-Triana et al. 2021)
# ======================================================================================

_LP = lt.Params()
#: dropdown label -> fraction of the leukaemia at infusion that lacks CD19 (course extension)
CD19_NEGATIVE_FRACTIONS = {"none: every leukaemic cell carries CD19": 0.0}
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
CD19_NEGATIVE_FRACTIONS.update({f"1 in {10 ** e:,} (10{str(-e).translate(_SUPERSCRIPT)})": 10.0 ** -e
                                for e in range(8, 0, -1)})


@functools.lru_cache(maxsize=256)
def leukaemia_run(dose: float, cd19_negative_fraction: float, tau_c: float) -> lt.Trajectory:
    params = _LP if tau_c == _LP.tau_c else lt.Params(tau_c=tau_c)
    return lt.simulate(params, dose, cd19_negative_fraction, t_end=figs.LEUK_DAYS, n_points=366)


class CarTVersusLeukaemia(Explainer):
    title = "CAR T cells against CD19⁺ leukaemia and normal B cells: remission, B-cell aplasia, relapse"
    controls = (
        Control("dose", "CAR T cells infused", default=lt.DEFAULT_DOSE, min=1e5, max=1e10, step=0.1,
                unit="cells", log=True,
                help=f"the whole dose, in cells. The paper's reference case is {cells(lt.DEFAULT_DOSE)} cells into a "
                     f"body with {cells(lt.DEFAULT_LEUKAEMIA0)} leukaemic cells and {cells(lt.DEFAULT_B_CELLS0)} "
                     "normal B cells; its authors found that the dose hardly changes the outcome, because the cells "
                     "multiply until the CD19-positive cells run out"),
        Control("cd19_negative", "Leukaemic cells without CD19 at infusion",
                default=next(iter(CD19_NEGATIVE_FRACTIONS)), options=tuple(CD19_NEGATIVE_FRACTIONS),
                help="a course extension of the model: this fraction of the leukaemia lacks the antigen, grows like "
                     "the rest and is invisible to the CAR T cells. A few such cells are enough for an "
                     "antigen-negative relapse; fewer only make it later"),
        Control("tau_c", "Lifetime of activated CAR T cells", default=_LP.tau_c, min=14.0, max=30.0, step=1.0,
                unit="days",
                help="how long an activated CAR T cell lives (the slider spans the paper's range): longer-lived cells "
                     "expand further, hold the leukaemia down longer, and keep normal B cells away longer"),
    )

    def build_figure(self):
        fig = figs.leukaemia_figure()
        self._draw(fig, self.compute(**self.values))
        return fig

    def compute(self, dose, cd19_negative, tau_c):
        return leukaemia_run(float(dose), CD19_NEGATIVE_FRACTIONS[cd19_negative], float(tau_c))

    @staticmethod
    def _draw(fig, tr: lt.Trajectory):
        ro = tr.readouts
        days, levels, text = [], [], []
        if ro.remission_day is not None:
            days.append(ro.remission_day), levels.append(ro.detection_threshold_cells), text.append("remission")
        if ro.relapse_day is not None:
            days.append(ro.relapse_day), levels.append(ro.detection_threshold_cells)
            text.append(f"{ro.relapse_antigen} relapse")
        figs.set_leukaemia(fig, days=tr.days, car_t=tr.car_t, cd19_pos=tr.cd19_pos, cd19_neg=tr.cd19_neg,
                           b_cells=tr.b_cells, mrd_cells=ro.detection_threshold_cells,
                           aplasia_cells=ro.aplasia_threshold_cells, event_days=days, event_levels=levels,
                           event_text=text)

    def redraw(self, fig, tr):
        self._draw(fig, tr)

    def summary(self, tr: lt.Trajectory):
        ro = tr.readouts
        f = tr.cd19_negative_fraction
        lacking = "none lacking CD19" if f == 0 else f"1 in {round(1 / f):,} of them lacking CD19"
        text = (f"{cells(tr.dose)} CAR T cells (lifetime {tr.params.tau_c:g} days) into {cells(tr.leukaemia0)} "
                f"leukaemic cells ({lacking}): CAR T cells peak at {cells(ro.peak_car_t_cells)} on day "
                f"{ro.peak_car_t_day:.0f} ({significant(ro.expansion_fold)}-fold expansion). ")
        if ro.remission:
            text += (f"Remission (below {cells(ro.detection_threshold_cells)} leukaemic cells) on day "
                     f"{ro.remission_day:.0f}; ")
        else:
            text += (f"no remission: the leukaemia falls at most to {cells(ro.nadir_cells)} cells (day "
                     f"{ro.nadir_day:.0f}), above the detection level of {cells(ro.detection_threshold_cells)}; ")
        if ro.aplasia_start_day is None:
            text += "no B-cell aplasia. "
        elif ro.aplasia_ongoing:
            text += f"B-cell aplasia from day {ro.aplasia_start_day:.0f}, still ongoing at 2 years. "
        else:
            text += (f"B-cell aplasia from day {ro.aplasia_start_day:.0f} to day {ro.aplasia_end_day:.0f} "
                     f"({ro.aplasia_days:.0f} days). ")
        if ro.relapse_day is not None:
            text += f"Relapse on day {ro.relapse_day:.0f}, {ro.relapse_antigen}."
        elif ro.remission:
            text += "No relapse within 2 years."
        else:
            text += "No remission, so no relapse to date."
        return text + " (León-Triana et al. 2021 model; CD19-negative cells: course extension.)"


# ======================================================================================
# 3. The toxicity window
# ======================================================================================

_FREY = data.load("car_t_toxicity").set_index("key").loc["frey2020_low_dose_cr"]
#: dropdown label -> ((day, fraction of the dose), ...).  The split is Frey et al. 2020's fractionated
#: tisagenlecleucel schedule for adults with ALL (10 %, 30 %, 60 % on three consecutive days, "day 1, 2, 3"
#: there, days 0, 1, 2 after the first infusion here), which let doses 2 and 3 be held for early CRS.
SCHEDULES = {
    "one infusion on day 0": ((0.0, 1.0),),
    "split over 3 days: 10 %, 30 %, 60 % (days 0, 1, 2)": ((0.0, 0.1), (1.0, 0.3), (2.0, 0.6)),
    "split, doses 2 and 3 held for early CRS: 10 % only": ((0.0, 0.1),),
}
TOX_STEP_DAYS = 0.125        # output grid of the simulation; the figure shows every second point
REFERENCE = (lt.DEFAULT_LEUKAEMIA0, lt.DEFAULT_DOSE, next(iter(SCHEDULES)))


def infuse(params: lt.Params, dose: float, leukaemia0: float, schedule: tuple[tuple[float, float], ...],
           t_end: float = figs.TOX_DAYS, step: float = TOX_STEP_DAYS) -> dict:
    """Several infusions: the model's own :func:`~course.models.car_t_tumour.simulate`, restarted at each
    infusion from the state the previous segment reached with the new cells added.

    The model's state is (C, L⁺, B) and its progenitor pool is a function of C, so a restart with
    ``dose = C + new cells``, ``leukaemia0 = L⁺`` and ``b_cells0 = B`` continues the same trajectory exactly.
    No CD19-negative cells here. Returns days and the three populations on a grid of ``step`` days.
    """
    days, car_t, pos, b = [], [], [], []
    c, leuk, bc = 0.0, leukaemia0, lt.DEFAULT_B_CELLS0
    times = [t for t, _ in schedule] + [t_end]
    for (start, fraction), stop in zip(schedule, times[1:]):
        c += fraction * dose
        n = int(round((stop - start) / step)) + 1
        tr = lt.simulate(params, c, 0.0, leukaemia0=leuk, b_cells0=bc, t_end=stop - start, n_points=n)
        keep = slice(None) if stop == t_end else slice(None, -1)  # the next segment starts with the new cells
        days.append(tr.days[keep] + start), car_t.append(tr.car_t[keep])
        pos.append(tr.cd19_pos[keep]), b.append(tr.b_cells[keep])
        c, leuk, bc = float(tr.car_t[-1]), float(tr.cd19_pos[-1]), float(tr.b_cells[-1])
    return {"days": np.concatenate(days), "car_t": np.concatenate(car_t), "cd19_pos": np.concatenate(pos),
            "b_cells": np.concatenate(b)}


def activation_rate(params: lt.Params, run: dict) -> np.ndarray:
    """The course's proxy for cytokine release: new CAR T cells per day from stimulation on CD19⁺ leukaemic and
    normal B cells, ρ_C·(L⁺ + B)·C (k times the number of CD19⁺ cells killed per day, α·(L⁺ + B)·C)."""
    return params.rho_c * (run["cd19_pos"] + run["b_cells"]) * run["car_t"]


@functools.lru_cache(maxsize=256)
def toxicity_run(leukaemia0: float, dose: float, schedule: str) -> dict:
    run = infuse(_LP, dose, leukaemia0, SCHEDULES[schedule])
    rate = activation_rate(_LP, run)
    i, j = int(np.argmax(run["car_t"])), int(np.argmax(rate))
    return {**run, "rate": rate, "peak_car_t": float(run["car_t"][i]), "peak_day": float(run["days"][i]),
            "peak_rate": float(rate[j]), "rate_day": float(run["days"][j]), "leukaemia0": leukaemia0, "dose": dose,
            "schedule": schedule, "infusion_days": [t for t, _ in SCHEDULES[schedule]]}


def _hay():
    table = data.load("car_t_toxicity")
    hay = table[table["key"].str.startswith("hay2017")]
    grades = hay[hay["measure"].str.fullmatch(r"CRS grade \d")].copy()
    grades["label"] = grades["measure"].str.replace("CRS grade ", "", regex=False)
    predictors = list(hay.loc[hay["unit"] == "association", "stratum"])
    return grades, predictors, str(grades["scale"].iloc[0]), str(grades["source"].iloc[0])


_HAY_GRADES, HAY_PREDICTORS, HAY_SCALE, HAY_SOURCE = _hay()


class ToxicityWindow(Explainer):
    title = "The toxicity window: what sets the size of the CAR-T response?"
    controls = (
        Control("leukaemia0", "Leukaemic cells at infusion", default=lt.DEFAULT_LEUKAEMIA0, min=1e9, max=2e11,
                step=0.05, unit="cells", log=True,
                help=f"the tumour burden when the CAR T cells arrive (the model's L₀; the paper's reference case is "
                     f"{cells(lt.DEFAULT_LEUKAEMIA0)}). Clinically, a high marrow tumour burden independently "
                     "predicted CRS (Hay et al. 2017)"),
        Control("dose", "CAR T cells infused (total)", default=lt.DEFAULT_DOSE, min=1e6, max=1e9, step=0.1,
                unit="cells", log=True,
                help="the whole dose, however it is split. Clinically, a higher CAR-T cell dose independently "
                     "predicted CRS (Hay et al. 2017)"),
        Control("schedule", "Schedule", default=next(iter(SCHEDULES)), options=tuple(SCHEDULES),
                help="one infusion, or Frey et al. 2020's fractionated schedule for adults with ALL (10 %, 30 % and "
                     "60 % of the dose on three consecutive days), which lets doses 2 and 3 be held if CRS starts "
                     "early; the third option is that case, with only the first 10 % given"),
    )

    def build_figure(self):
        fig = figs.toxicity_figure(_HAY_GRADES, HAY_PREDICTORS, HAY_SCALE, figs.short_source(HAY_SOURCE),
                                   figs.short_source(_FREY["source"]))
        self._draw(fig, self.compute(**self.values))
        return fig

    def compute(self, leukaemia0, dose, schedule):
        return {"run": toxicity_run(float(leukaemia0), float(dose), schedule), "reference": toxicity_run(*REFERENCE)}

    @staticmethod
    def _draw(fig, r):
        run, ref = r["run"], r["reference"]
        every = slice(None, None, 2)
        figs.set_toxicity(fig, days=run["days"][every], car_t=run["car_t"][every], rate=run["rate"][every],
                          ref_days=ref["days"][every], ref_car_t=ref["car_t"][every], ref_rate=ref["rate"][every],
                          peak_day=run["peak_day"], peak_car_t=run["peak_car_t"], rate_day=run["rate_day"],
                          peak_rate=run["peak_rate"], infusion_days=run["infusion_days"])

    def redraw(self, fig, r):
        self._draw(fig, r)

    def summary(self, r):
        run, ref = r["run"], r["reference"]
        given = sum(f for _, f in SCHEDULES[run["schedule"]]) * run["dose"]
        how = ("in one infusion" if len(run["infusion_days"]) == 1 and given == run["dose"]
               else f"given as {run['schedule']}, {cells(given)} cells in all")
        return (f"{cells(run['leukaemia0'])} leukaemic cells at infusion, {cells(run['dose'])} CAR T cells {how}: "
                f"CAR T cells peak at {cells(run['peak_car_t'])} on day {run['peak_day']:.1f} "
                f"({run['peak_car_t'] / ref['peak_car_t']:.2f} × the reference); the activation proxy for cytokine "
                f"release peaks at {cells(run['peak_rate'])} new CAR T cells per day on day {run['rate_day']:.1f} "
                f"({run['peak_rate'] / ref['peak_rate']:.2f} × the reference of {cells(ref['peak_rate'])}/day). "
                f"Measured (Hay et al. 2017, {int(_HAY_GRADES['n_patients'].iloc[0])} adults): high marrow tumour "
                f"burden and a higher CAR-T dose each independently predicted CRS.")


# ======================================================================================
# 4. The pivotal trials
# ======================================================================================

MEASURES = {
    "response (remission or objective response)": ("overall remission (CR + CRi)", "objective response (CR + PR)",
                                                   "best overall response (CR + PR)"),
    "complete response": ("complete response",),
    "received the infusion": ("received the CAR-T infusion", "enrolled but not infused"),
    "overall survival at a landmark": ("overall survival",),
    "cytokine release syndrome, any grade": ("CRS any grade",),
    "severe cytokine release syndrome (grade 3 or worse)": ("CRS grade 3-4", "CRS grade ≥3"),
    "neurologic events, any grade": ("neurologic events any grade",),
    "severe neurologic events (grade 3 or worse)": ("neurologic events grade 3-4", "neurologic events grade ≥3"),
}
_TOXICITY_WORDS = ("CRS", "neurologic")
DISEASE_SHORT = {"B-cell acute lymphoblastic leukaemia": "B-ALL", "large B-cell lymphoma": "LBCL",
                 "diffuse large B-cell lymphoma": "DLBCL"}


def _analysis(text: str) -> str:
    return text.split(" (")[0].split(",")[0]


def evidence_rows(measure: str) -> pd.DataFrame:
    """One row per published result for ``measure``: percent of its denominator, label, bar text, hover text."""
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {list(MEASURES)}, got {measure!r}")
    table = data.load("car_t_trials")
    rows = table[table["measure"].isin(MEASURES[measure])].copy()
    out = []
    for r in rows.itertuples():
        n = int(r.n_patients)
        statement = r.statement
        if r.measure == "enrolled but not infused":   # turn 'not infused' into 'infused', saying so
            percent = 100.0 * (n - int(r.n_events)) / n
            bar = (f"{n - int(r.n_events)} of {n} {r.population} ({percent:.0f} %, computed: {n} − "
                   f"{int(r.n_events)} not infused)")
            statement = f"{statement}; infused = {n} − {int(r.n_events)} (computed here)"
        elif r.unit == "patients":
            percent = 100.0 * int(r.n_events) / n
            bar = f"{int(r.n_events)} of {n} {r.population} ({percent:.0f} %, computed)"
        else:
            percent = float(r.value)
            bar = f"{r.value:g} % of {n} {r.population}"
        when = f", {r.timepoint}" if measure == "overall survival at a landmark" else ""
        scale = ("" if not any(w in r.measure for w in _TOXICITY_WORDS) else ", scale not stated"
                 if r.grading_scale.startswith("not stated") else f", {r.grading_scale} scale")
        label = (f"{r.trial} ({DISEASE_SHORT[r.disease]})<br><span style='font-size:11px'>"
                 f"{_analysis(r.analysis)}{when}{scale}</span>")
        if r.verified_from.startswith("SECONDARY"):
            bar += " †"
            statement += " [† read in a secondary source, not in the cited paper]"
        out.append(dict(trial=r.trial, analysis=r.analysis, population=r.population, n=n, percent=percent,
                        bar_text=bar, label=label, statement=statement, source=r.source, timepoint=r.timepoint,
                        scale=r.grading_scale, measure=r.measure))
    return pd.DataFrame(out)


# Each measure's rows as records, made once: the table never changes, and DataFrame.itertuples() over
# this many columns costs ~1.5 ms a call, a third of a redraw.
_EVIDENCE = {m: tuple(evidence_rows(m).itertuples()) for m in MEASURES}


class CarTEvidence(Explainer):
    title = "What the pivotal CD19 CAR-T trials reported, and of whom"
    controls = (
        Control("measure", "Measure", default=next(iter(MEASURES)), options=tuple(MEASURES),
                help="each bar is one published number, as a percentage of the patients its source counted it "
                     "among: the colour says whether those are all enrolled patients, those infused, those "
                     "evaluable, or responders only; hover to read the source's own words"),
    )

    def build_figure(self):
        return figs.evidence_figure(_EVIDENCE[self.values["measure"]], self.values["measure"])

    def compute(self, measure):
        return {"measure": measure, "rows": _EVIDENCE[measure]}

    def redraw(self, fig, r):
        figs.set_evidence(fig, r["rows"], r["measure"])

    def summary(self, r):
        rows = r["rows"]
        toxicity = any(w in r["measure"] for w in ("cytokine", "neurologic"))

        def detail(row):
            out = [_analysis(row.analysis)]
            if toxicity:
                out.append("scale not stated" if row.scale.startswith("not stated") else f"{row.scale} scale")
            return ", ".join(out)

        parts = [f"{row.trial} {row.bar_text}" + (f" at {row.timepoint}" if r["measure"].startswith("overall")
                                                  else "") + f" ({detail(row)})"
                 for row in rows]
        text = f"{r['measure'].capitalize()}: " + "; ".join(parts) + "."
        if any(row.bar_text.endswith("†") for row in rows):
            text += " † read in a secondary source (review, news summary or abstract), not in the cited paper."
        return text


def grading_agreement() -> pd.DataFrame:
    """Pennisi et al. 2020's regrading of CRS and ICANS: rates by ASTCT grading and how often grading systems
    agree, as a table a student reads (from ``car_t_toxicity.csv``)."""
    table = data.load("car_t_toxicity")
    rows = table[table["key"].str.startswith("pennisi2020")]
    out = rows[["population", "measure", "value", "unit", "scale"]].rename(
        columns={"population": "patients", "value": "value (%)" if set(rows["unit"]) == {"%"} else "value"})
    return out.drop(columns="unit").reset_index(drop=True)
