"""Lesson 09 explainers: a virtual clinical trial of the course's therapies, and one patient's course in it.

Speed: a 200-patient trial is one compiled run of :func:`course.models.virtual_trial.run_trial` at
``TRIAL_DT`` = 1 day, storing weekly points (≈ 4-8 ms here); runs are cached by regimen, the
untreated arm is computed once, and a switch of response criteria re-reads the same run's scans.
"""

from __future__ import annotations

import functools

import numpy as np

from course.explainers.base import Control, Explainer
from course.figures import virtual_trial as figs
from course.models import virtual_trial as vt

#: Slider ends that mean "not given" (the log sliders cannot reach 0).
OFF = {"aci": 10.0, "il2": 1e4, "vaccine": 1e-6}
CRITERIA = {"RECIST 1.1": "RECIST1.1", "iRECIST": "iRECIST"}
COURSE_DAYS = 21.0


def cohort() -> vt.Cohort:
    """The lesson's cohort (cached by the model)."""
    return vt.draw_cohort(figs.N_PATIENTS, seed=figs.SEED)


def regimen(aci: float = 0.0, il2: float = 0.0, checkpoint_percent: float = 0.0, vaccine: float = 0.0,
            courses: int = 8) -> vt.Regimen:
    """A regimen of ``courses`` continuous 21-day courses from day 0; slider ends in :data:`OFF` mean none."""
    def dose(name, value):
        value = float(value)
        if name in OFF and value <= OFF[name] * (1 + 1e-9):
            return 0.0
        return min(value, vt.MAX_DOSE[name])
    return vt.Regimen(aci=dose("aci", aci), il2=dose("il2", il2),
                      checkpoint=min(max(float(checkpoint_percent), 0.0), 100.0) / 100.0,
                      vaccine=dose("vaccine", vaccine), interval_days=COURSE_DAYS, course_days=COURSE_DAYS,
                      n_doses=int(courses))


@functools.lru_cache(maxsize=128)
def run(reg: vt.Regimen, criteria: str = "RECIST1.1", output_days: float = 1.0) -> vt.TrialResult:
    """The lesson's trial of ``reg`` (cached): 200 patients, 730 days, steps of :data:`figs.TRIAL_DT`.

    ``output_days`` apart are the stored tumour courses; the scans, responses and toxicity do not
    depend on it. Other criteria re-read the RECIST 1.1 trial's scans (:func:`vt.assess`):
    switching criteria simulates no patient again.
    """
    if criteria != "RECIST1.1":
        return vt.assess(run(reg, "RECIST1.1", output_days), criteria)
    return vt.run_trial(cohort(), reg, figs.TRIAL_DAYS, dt=figs.TRIAL_DT, output_every_days=output_days,
                        criteria=criteria)


def untreated(criteria: str = "RECIST1.1", output_days: float = 1.0) -> vt.TrialResult:
    return run(vt.Regimen(n_doses=0), criteria, output_days)


def dose_text(reg: vt.Regimen) -> str:
    parts = [f"ACI {_dose(reg.aci)} cells/day" if reg.aci else "no ACI",
             f"IL-2 {_dose(reg.il2)} units/day" if reg.il2 else "no IL-2",
             f"{100 * reg.checkpoint:.0f} % of PD-1 blocked" if reg.checkpoint else "no checkpoint blockade",
             f"vaccine {_dose(reg.vaccine)} per day" if reg.vaccine else "no vaccine"]
    end = reg.start_day + reg.n_doses * reg.interval_days
    return (", ".join(parts) + f"; {reg.n_doses} course{'s' if reg.n_doses != 1 else ''} of "
            f"{reg.course_days:g} days (days {reg.start_day:g}–{end:g})")


def _dose(x: float) -> str:
    return f"{x:.2g}" if x < 1e3 else f"{x:.2g}".replace("e+0", "e").replace("e+", "e")


def _pct(fraction: float) -> str:
    return f"{100 * fraction:.1f} %"


def trial_numbers(result: vt.TrialResult) -> dict:
    """ORR, DCR, median PFS and toxicity of one trial, as the readout and the checks state them."""
    cats = result.best_response
    counts = {c: int(np.sum(cats == c)) for c in vt.CATEGORIES}
    tox = np.asarray(result.toxicity, dtype=float)
    return {"orr": vt.objective_response_rate(result), "dcr": vt.disease_control_rate(result), "counts": counts,
            "median_pfs": vt.median_survival(result.event_day, result.event_observed),
            "tox_mean": float(tox.mean()), "tox_over": float(np.mean(tox > figs.TOXICITY_BUDGET)), "n": int(cats.size)}


class VirtualTrial(Explainer):
    title = "A virtual clinical trial: 200 patients, your regimen"
    # Each new regimen simulates the whole cohort (~6 ms at 1-day steps here) before drawing it, so
    # its in-process budget is the course's plus that; in the browser it has the course's 100 ms.
    update_budget_ms = 25.0
    controls = (
        Control("aci", "Adoptive cell transfer", default=OFF["aci"], min=OFF["aci"], max=vt.MAX_DOSE["aci"],
                step=0.1, unit="effector cells/day", log=True,
                help="cells infused per day during each course (Kirschner–Panetta's s1). The left end (10) means "
                     "none. Against tumours of about 10⁸ cells it takes around 10⁵–10⁶ cells/day"),
        Control("il2", "IL-2 infusion", default=OFF["il2"], min=OFF["il2"], max=vt.MAX_DOSE["il2"], step=0.1,
                unit="IL-2 units/day", log=True,
                help="IL-2 infused per day during each course (the paper's s2). The left end (10⁴) means none; "
                     "the right end is twice the dose above which effector cells grow without bound (capillary "
                     "leak in the toxicity proxy)"),
        Control("checkpoint_percent", "PD-1 blocked", default=90.0, min=0.0, max=100.0, step=1.0, unit="%",
                help="share of PD-1 blocked by an antibody during each course (course assumption after "
                     "Nikolopoulou et al. 2018): it releases a brake on antigen-driven recruitment, so it helps "
                     "most where the brake is strong and the tumour is antigenic"),
        Control("vaccine", "Therapeutic vaccine", default=OFF["vaccine"], min=OFF["vaccine"],
                max=vt.MAX_DOSE["vaccine"], step=0.1, unit="added antigenicity per day", log=True,
                help="antigen-driven recruitment added during each course (course assumption). The left end "
                     "(10⁻⁶) means none; the effect saturates above about 0.002 per day"),
        Control("courses", "Number of 21-day courses", default=8, min=1, max=24, step=1, unit="courses",
                integer=True, help="continuous treatment in courses of 21 days from day 0; more courses add "
                                   "toxicity and keep the pressure on the tumour longer"),
        Control("criteria", "Response criteria", default="RECIST 1.1", options=tuple(CRITERIA),
                help="RECIST 1.1 ends the assessment at the first progression; iRECIST (simplified) asks for "
                     "progression to be confirmed at the next scan, so delayed responses count"),
    )

    def build_figure(self):
        fig = figs.trial_figure()
        self._draw(fig, self.compute(**self.values))
        return fig

    def compute(self, aci, il2, checkpoint_percent, vaccine, courses, criteria):
        reg = regimen(aci, il2, checkpoint_percent, vaccine, courses)
        crit = CRITERIA[criteria]
        # weekly points: what the spider draws, at about half the cost of daily ones
        result = run(reg, crit, figs.SPIDER_DAYS)
        other_name = next(k for k in CRITERIA if k != criteria)
        other = run(reg, CRITERIA[other_name], figs.SPIDER_DAYS)
        return {"regimen": reg, "criteria": criteria, "result": result, "numbers": trial_numbers(result),
                "untreated": trial_numbers(untreated(crit, figs.SPIDER_DAYS)), "other_name": other_name,
                "other_orr": vt.objective_response_rate(other)}

    @staticmethod
    def _draw(fig, r):
        result = r["result"]
        idx = figs.spider_patients()
        burden = result.burden[idx]  # weekly points (see compute): one per spider point
        measured = np.where(burden >= result.detection_cells, burden, 0.0)
        spider = vt.percent_change(measured, result.cohort.T0[idx][:, None])
        n = r["numbers"]
        label = f"{r['criteria']}: ORR {_pct(n['orr'])} · DCR {_pct(n['dcr'])}"
        figs.set_trial_data(fig, best_change=result.best_change, categories=result.best_response, spider_days=result.t,
                            spider_change=spider, spider_patients=idx, spider_categories=result.best_response[idx],
                            untreated_km=_untreated_km(CRITERIA[r["criteria"]]),
                            regimen_km=figs.km_steps(result.event_day, result.event_observed), label=label)

    def redraw(self, fig, r):
        self._draw(fig, r)

    def summary(self, r):
        n, u, reg = r["numbers"], r["untreated"], r["regimen"]
        c = n["counts"]
        return (f"{dose_text(reg)}. {n['n']} virtual patients (seed {figs.SEED}), {r['criteria']}: "
                f"ORR {_pct(n['orr'])} ({c['CR'] + c['PR']}/{n['n']}: {c['CR']} CR, {c['PR']} PR), "
                f"DCR {_pct(n['dcr'])} ({c['SD']} SD), median PFS {figs.format_days(n['median_pfs'])} "
                f"(untreated: ORR {_pct(u['orr'])}, median PFS {figs.format_days(u['median_pfs'])}). "
                f"Read with {r['other_name']} the same patients give ORR {_pct(r['other_orr'])}. "
                f"Toxicity proxy: mean {n['tox_mean']:.2f}; {_pct(n['tox_over'])} of patients above the budget of "
                f"{figs.TOXICITY_BUDGET:g}. [ORR: share with best response CR or PR; DCR: CR, PR or SD; PFS: "
                "days to the first (iRECIST: confirmed) progression, Kaplan–Meier; toxicity proxy (course "
                "assumption): per therapy, weight × dose/largest dose × treated days/28, plus days of IL-2-driven "
                "effector runaway/28.]")


@functools.cache
def _untreated_km(criteria: str):
    result = untreated(criteria, figs.SPIDER_DAYS)
    return figs.km_steps(result.event_day, result.event_observed)


# ======================================================================================
# One patient of the trial
# ======================================================================================

class PatientExplorer(Explainer):
    title = "One virtual patient: with and without the regimen, and why"
    controls = (
        Control("patient", "Patient number", default=0, min=0, max=figs.N_PATIENTS - 1, step=1, unit="patient",
                integer=True, help="a patient of the lesson's cohort (seed 0); the readout lists their parameters "
                                   "and the model's reasons for their response"),
        Control("regimen_name", "Regimen", default="PD-1 blockade 99 %", options=(
            "PD-1 blockade 99 %", "ACI 3×10⁵ cells/day", "PD-1 blockade 90 % + vaccine 10⁻⁴/day, 4 courses",
            "vaccine 3×10⁻⁴/day"),
                help="four regimens of the lesson, each in 21-day courses from day 0 (8 courses unless stated)"),
    )

    REGIMENS = {
        "PD-1 blockade 99 %": dict(checkpoint_percent=99.0),
        "ACI 3×10⁵ cells/day": dict(aci=3e5),
        "PD-1 blockade 90 % + vaccine 10⁻⁴/day, 4 courses": dict(checkpoint_percent=90.0, vaccine=1e-4, courses=4),
        "vaccine 3×10⁻⁴/day": dict(vaccine=3e-4),
    }

    def build_figure(self):
        fig = figs.patient_figure()
        self.redraw(fig, self.compute(**self.values))
        return fig

    def compute(self, patient, regimen_name):
        reg = regimen(**self.REGIMENS[regimen_name])
        result = run(reg, "iRECIST")
        i = int(patient)
        return {"i": i, "result": result, "untreated": untreated("iRECIST"),
                "explanation": vt.explain_patient(result, i), "name": regimen_name}

    def redraw(self, fig, r):
        i = r["i"]
        figs.set_patient_data(fig, t=r["result"].t, treated=r["result"].log10_burden[i],
                              untreated=r["untreated"].log10_burden[i], on=r["result"].regimen.on(r["result"].t))

    def summary(self, r):
        i, result = r["i"], r["result"]
        p = result.cohort.patient(i)
        params = (f"antigenicity c {p['c']:.3g}/day, growth rate r2 {p['r2']:.3g}/day, killing rate a "
                  f"{p['a']:.3g}/day, brake q {p['q']:.3g}, baseline tumour {p['T0']:.3g} cells")
        explanation = r["explanation"]
        reasons = list(explanation.reasons[1:])  # the first repeats the patient and their best response
        return (f"{r['name']}, iRECIST. Patient {i} ({params}): best response {explanation.best_response}. "
                + " ".join(reasons)).strip()
