"""Lesson 03, cytokine therapy: how the IL-2 schedule shapes serum levels, and what the trials reported."""

from __future__ import annotations

import math

from course.data import load
from course.explainers.base import Control, Explainer, significant
from course.figures import cytokines as figs
from course.models import il2_pk as pk

# ======================================================================================
# IL-2 dosing
# ======================================================================================

_PARAMS = pk.Params()
#: An illustrative adult, not a patient from any study: doses are per kg of body weight, the
#: model's volumes and clearance per m² of body surface (Mosteller), so the size matters.
PATIENT_WEIGHT_KG = 70.0
PATIENT_HEIGHT_CM = 170.0
PATIENT_BSA_M2 = pk.mosteller_bsa_m2(PATIENT_WEIGHT_KG, PATIENT_HEIGHT_CM)
T_END_H = figs.IL2_T_END_H
N_POINTS = 577  # an even grid every 0.125 h over 72 h (plus every dose's start and end)
BOLUS = "15-min infusion per dose (bolus)"
CONTINUOUS = "continuous infusion, same daily dose"
# The pooled trials of Fyfe et al. 1995 and Atkins et al. 1999 gave 600,000 or 720,000 IU/kg per dose.
DOSE_MAX_IU_PER_KG = 720_000.0
DOSE_MIN_IU_PER_KG = pk.HD_DOSE_IU_PER_KG / 10


class IL2Dosing(Explainer):
    title = "IL-2 dosing: bolus every 8 h vs continuous infusion"
    controls = (
        Control("schedule", "Schedule", default=BOLUS, options=(BOLUS, CONTINUOUS),
                help="15-minute intravenous infusions repeated at the chosen interval (the high-dose regimen), "
                     "or the same daily amount (dose × 24 h ÷ interval) run at a constant rate; the figure always "
                     "shows both, the chosen one in colour"),
        Control("dose", "Dose per infusion", default=pk.HD_DOSE_IU_PER_KG, min=DOSE_MIN_IU_PER_KG,
                max=DOSE_MAX_IU_PER_KG, step=10_000, unit="IU/kg",
                help=f"IU of aldesleukin per kg of body weight in each 15-min infusion. The Proleukin label's "
                     f"high dose is {pk.HD_DOSE_IU_PER_KG:,.0f} IU/kg every {pk.HD_INTERVAL_H:g} h, at most "
                     f"{pk.HD_MAX_DOSES_PER_CYCLE} doses a cycle; the pooled trials (Fyfe et al. 1995, Atkins et "
                     f"al. 1999) gave {pk.HD_DOSE_IU_PER_KG:,.0f} or {DOSE_MAX_IU_PER_KG:,.0f} IU/kg"),
        Control("interval", "Time between doses", default=pk.HD_INTERVAL_H, min=4.0, max=24.0, step=1.0, unit="h",
                help=f"hours from the start of one infusion to the next ({pk.HD_INTERVAL_H:g} h on the label); a "
                     "shorter interval also raises the daily dose"),
    )

    def build_figure(self):
        r = self.compute(**self.values)
        return figs.il2_dosing_figure(r["t"], r["bolus"]["c"], r["continuous"]["c"],
                                      continuous_selected=r["continuous_selected"], window_h=r["window"],
                                      weight_kg=PATIENT_WEIGHT_KG, height_cm=PATIENT_HEIGHT_CM)

    def compute(self, schedule, dose, interval):
        dose_m2 = pk.dose_iu_per_m2(dose, PATIENT_WEIGHT_KG, PATIENT_HEIGHT_CM)
        n_doses = math.ceil(T_END_H / interval - 1e-9)
        bolus = pk.Schedule(dose_m2, interval, n_doses, pk.HD_INFUSION_H)
        continuous = pk.Schedule.continuous(dose_m2 / interval, T_END_H)
        sim = pk.simulate(_PARAMS, bolus, T_END_H, n_points=N_POINTS)
        t = sim.t_h
        c_cont = pk.concentration(_PARAMS, t, continuous)
        # Readout window: the last whole dosing interval in the simulation (close to the periodic steady state).
        k = math.floor(T_END_H / interval + 1e-9) - 1
        window = (k * interval, (k + 1) * interval)
        inside = (t >= window[0] - 1e-9) & (t <= window[1] + 1e-9)
        return {
            "schedule": schedule,
            "continuous_selected": schedule == CONTINUOUS,
            "dose": dose,
            "interval": interval,
            "daily_dose": dose * 24.0 / interval,
            "t": t,
            "window": window,
            "bolus": self._exposure(bolus, t, sim.concentration_iu_per_ml, inside, window, interval),
            "continuous": self._exposure(continuous, t, c_cont, inside, window, interval),
        }

    @staticmethod
    def _exposure(schedule, t, c, inside, window, interval) -> dict:
        per_day = 24.0 / interval
        sim = pk.Simulation(t[inside], c[inside], schedule, _PARAMS)
        return {
            "c": c,
            "peak": float(c[inside].max()),
            "trough": float(c[inside].min()),
            "auc_24h": pk.auc(_PARAMS, schedule, *window) * per_day,
            "hours_above_kd": pk.time_above(sim, figs.KD_INTERMEDIATE_IU_PER_ML) * per_day,
        }

    def redraw(self, fig, r):
        figs.set_il2_data(fig, r["t"], r["bolus"]["c"], r["continuous"]["c"],
                          continuous_selected=r["continuous_selected"], window_h=r["window"])

    @staticmethod
    def _exposure_text(e: dict, continuous: bool) -> str:
        if continuous and e["peak"] <= 1.01 * e["trough"]:
            level = f"a steady {significant(e['peak'])} IU/mL"
        else:
            level = f"peak {significant(e['peak'])} IU/mL, trough {significant(e['trough'])} IU/mL"
        return f"{level}, AUC {significant(e['auc_24h'])} IU·h/mL per 24 h, {e['hours_above_kd']:.1f} h a day above"

    def summary(self, r):
        a, b = r["window"]
        kd = f"the intermediate-affinity Kd ({figs.KD_INTERMEDIATE_IU_PER_ML:.0f} IU/mL)"
        first, second = ("continuous", "bolus") if r["continuous_selected"] else ("bolus", "continuous")
        names = {"bolus": f"15-min infusions every {r['interval']:g} h",
                 "continuous": "a continuous infusion of the same daily dose"}
        ratio = r["bolus"]["peak"] / r["continuous"]["peak"]
        return (f"Illustrative patient of {PATIENT_WEIGHT_KG:g} kg and {PATIENT_HEIGHT_CM:g} cm "
                f"({PATIENT_BSA_M2:.2f} m²): {r['dose']:,.0f} IU/kg every {r['interval']:g} h, "
                f"{significant(r['daily_dose'])} IU/kg a day. Over the last full dosing interval ({a:g}–{b:g} h), "
                f"{names[first]}: {self._exposure_text(r[first], first == 'continuous')} {kd}. "
                f"{names[second].capitalize()}: {self._exposure_text(r[second], second == 'continuous')} it. "
                f"Same daily AUC, but the 15-min infusions peak {significant(ratio, 2)} times higher.")


# ======================================================================================
# Published trial results
# ======================================================================================

_TRIALS = load("cytokine_trials")
#: dropdown option -> (cancer, setting, the agent every selected row's therapy must name)
TRIAL_OPTIONS = {
    "high-dose IL-2, metastatic melanoma": ("melanoma", "metastatic", "IL-2"),
    "high-dose IL-2, metastatic renal cell carcinoma": ("renal cell carcinoma", "metastatic", "IL-2"),
    "adjuvant interferon-α, resected melanoma": ("melanoma", "adjuvant", "IFN"),
}
#: the rows the readout quotes (result_id), per option, in order
READOUT_ROWS = {
    "high-dose IL-2, metastatic melanoma": ("atkins1999_orr", "atkins1999_cr", "atkins1999_cr_progression_free"),
    "high-dose IL-2, metastatic renal cell carcinoma": ("fyfe1995_orr", "fyfe1995_cr", "klapper2008_orr",
                                                        "klapper2008_cr_recurred"),
    "adjuvant interferon-α, resected melanoma": ("e1684_median_rfs", "mocellin2010_dfs_hr", "mocellin2010_os_hr"),
}


def trial_rows(option: str):
    """The CSV rows behind one dropdown option, in file order."""
    cancer, setting, agent = TRIAL_OPTIONS[option]
    rows = _TRIALS[(_TRIALS.cancer == cancer) & (_TRIALS.setting == setting)]
    wrong = rows[~rows.therapy.str.contains(agent, regex=False)]
    if rows.empty or not wrong.empty:
        raise ValueError(f"cytokine_trials.csv: {option!r} should select rows naming {agent}; "
                         f"check {list(wrong.result_id) or 'the cancer/setting columns'}")
    return rows


def trial_readout(option: str) -> str:
    """The key results of one option, in each source's own words (the CSV's ``statement`` column)."""
    rows = _TRIALS.set_index("result_id").loc[list(READOUT_ROWS[option])]
    by_source: dict[str, list[str]] = {}
    for row in rows.itertuples():
        by_source.setdefault(row.source, []).append(row.statement)
    return " ".join(f"{figs.citation(src).short}: {'; '.join(statements)}." for src, statements in by_source.items())


_PANELS = {option: figs.trial_panels(trial_rows(option)) for option in TRIAL_OPTIONS}
_SCALES = figs.TrialScales.from_data(_TRIALS, [trial_rows(option) for option in TRIAL_OPTIONS])
_READOUTS = {option: trial_readout(option) for option in TRIAL_OPTIONS}


class CytokineTrials(Explainer):
    title = "Cytokine therapy in the clinic: what the trials reported"
    controls = (
        Control("therapy", "Therapy and setting", default=next(iter(TRIAL_OPTIONS)), options=tuple(TRIAL_OPTIONS),
                help="pick a treatment to see its published results; hover over a bar or diamond to read the "
                     "source's own sentence"),
    )

    def build_figure(self):
        option = self.values["therapy"]
        return figs.trials_figure(_PANELS[option], _SCALES)

    def compute(self, therapy):
        return {"option": therapy, "panels": _PANELS[therapy], "readout": _READOUTS[therapy]}

    def redraw(self, fig, r):
        figs.set_trials_data(fig, r["panels"], _SCALES)

    def summary(self, r):
        return r["readout"]
