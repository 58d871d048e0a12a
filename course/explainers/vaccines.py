"""Lesson 06 explainers: HPV vaccination and cervical cancer, prime and boost, and what cancer vaccines achieved."""

from __future__ import annotations

import functools
from dataclasses import replace

import numpy as np
import pandas as pd

from course import data
from course.explainers.base import Control, Explainer
from course.figures import vaccines as figs
from course.models import hpv_cervical as hpv
from course.models import prime_boost as pb
from course.models import tumour_vaccine as tv

# ======================================================================================
# HPV vaccination and cervical cancer
# ======================================================================================

#: Ages at vaccination drawn in the right panel: the licensed 9-26 years and on to 30, where the cohorts stop.
HPV_CURVE_AGES = np.arange(9.0, 30.01, 0.5)


@functools.cache
def hpv_cohorts() -> pd.DataFrame:
    """The national cohort studies' cervical-cancer results by age at vaccination (see figs.cohort_results)."""
    return figs.cohort_results(data.load("hpv_vaccine_impact"))


@functools.cache
def _cohort_readouts() -> tuple[tuple[float, float, str], ...]:
    """(lowest age, highest age, readout text) of each cohort result; open band ends are ±inf."""
    out = []
    for row in hpv_cohorts().itertuples():
        lo = -np.inf if pd.isna(row.age_at_vaccination_min) else float(row.age_at_vaccination_min)
        hi = np.inf if pd.isna(row.age_at_vaccination_max) else float(row.age_at_vaccination_max)
        who = f"{figs.short_source(row.source).split(' (')[0]} {row.source.split('(')[1][:4]}"
        out.append((lo, hi, f"{row.setting}, {row.band}: {row.stated} ({who})"))
    return tuple(out)


def cohort_results_at(age: float) -> list[str]:
    """Readout texts of the cohort results whose age band contains ``age`` (open bands: 'or younger' / 'or
    older'). A band 'before 17' (highest age 16) covers ages up to 17, as a band of whole years of age does."""
    return [text for lo, hi, text in _cohort_readouts() if lo <= age < hi + 1.0]


def _per_100k(risk: float) -> str:
    return f"{1e5 * risk:,.0f}"


class HPVVaccination(Explainer):
    title = "HPV vaccination: coverage, age at vaccination and cervical cancer over a lifetime"
    controls = (
        Control("coverage", "Girls vaccinated", default=80.0, min=0.0, max=100.0, step=1.0, unit="%",
                help="the share of the birth cohort that is vaccinated; the model has no herd protection, so the "
                     "cancers prevented are exactly proportional to coverage"),
        Control("vaccination_age", "Age at vaccination", default=12.0, min=hpv.VACCINATION_AGE_RANGE[0],
                max=hpv.VACCINATION_AGE_RANGE[1], step=0.5, unit="years",
                help="the vaccines are licensed from 9 years; the vaccine protects only against infections that "
                     "have not happened yet, so the later the age, the more girls are already infected"),
        Control("efficacy", "Efficacy against HPV16/18 infection", default=round(100 * hpv.DEFAULT.vaccine_efficacy, 1),
                min=0.0, max=100.0, step=0.1, unit="%",
                help="protection of a vaccinated girl not yet infected; the default is the according-to-protocol "
                     "efficacy against persistent HPV16/18 infection of the Costa Rica trial (Herrero et al. 2011), "
                     "assumed lifelong"),
    )

    def build_figure(self):
        sources = list(dict.fromkeys(figs.short_source(s) for s in hpv_cohorts()["source"]))
        reference = hpv.simulate(None, 0.0).reference_incidence_per_100k
        fig = figs.hpv_figure(hpv_cohorts(), reference, sources)
        self.redraw(fig, self.compute(**self.values))
        return fig

    def compute(self, coverage, vaccination_age, efficacy):
        cov, eff = coverage / 100.0, efficacy / 100.0
        proj = hpv.simulate(None, cov, vaccination_age, eff)
        _, r80 = hpv.reduction_by_vaccination_age(None, HPV_CURVE_AGES, cov, eff, by_age=80)
        _, r30 = hpv.reduction_by_vaccination_age(None, HPV_CURVE_AGES, cov, eff, by_age=30)
        return {
            "coverage": coverage, "age": vaccination_age, "efficacy": efficacy, "projection": proj,
            "r80": 100.0 * r80, "r30": 100.0 * r30,
            "risk80": proj.risk_by_80, "risk80_ref": hpv.cumulative_risk(proj, 80, vaccinated=False),
            "reduction80": 100.0 * proj.reduction_by_80,
            "reduction80_hpv1618": 100.0 * hpv.relative_reduction(proj, 80, hpv1618_only=True),
            "reduction30": 100.0 * hpv.relative_reduction(proj, 30),
            "never_infected": float(np.interp(vaccination_age, np.arange(hpv.AGE_START, hpv.AGE_END + 1),
                                              hpv.never_infected_fraction())),
            "cohorts": cohort_results_at(vaccination_age),
        }

    def redraw(self, fig, r):
        figs.set_hpv_data(fig, incidence_per_100k=r["projection"].incidence_per_100k,
                          vaccination_ages=HPV_CURVE_AGES, reduction_80_percent=r["r80"],
                          reduction_30_percent=r["r30"], chosen_age=r["age"],
                          chosen_reduction_80_percent=r["reduction80"])

    def summary(self, r):
        text = (f"Model, {r['coverage']:.0f} % of girls vaccinated at {r['age']:g} years with {r['efficacy']:.1f} % "
                f"efficacy ({100 * r['never_infected']:.1f} % of girls still uninfected with HPV16/18 at that age): "
                f"risk of cervical cancer before 80 falls from {_per_100k(r['risk80_ref'])} to "
                f"{_per_100k(r['risk80'])} per 100,000 women, {r['reduction80']:.1f} % fewer cancers "
                f"({r['reduction80_hpv1618']:.1f} % of the HPV16/18 cancers; cancers before 30: "
                f"{r['reduction30']:.1f} % fewer). ")
        parts = r["cohorts"]
        if parts:
            text += "Cohort studies for this age at vaccination (all cervical cancers, women under about 30): " + \
                "; ".join(parts) + "."
        else:
            text += "No national cohort study reports cervical cancer for this age at vaccination."
        return text


# ======================================================================================
# Prime and boost
# ======================================================================================

PRIME_BOOST = pb.Params()


class PrimeBoost(Explainer):
    title = "Prime and boost: antibody titres after a priming series and a booster"
    controls = (
        Control("boost_month", "Booster given", default=round(pb.TRIAL_BOOST_DAY / pb.MONTH_DAYS), min=1.0, max=60.0,
                step=1.0, unit="months after the priming series",
                help="the RTS,S trial gave its booster 18 months after the third priming dose; a booster later than "
                     "five years falls outside the window shown"),
        Control("boost_dose", "Booster dose", default=1.0, min=0.0, max=2.0, step=0.05, unit="× the trial's dose",
                help="scales the peak of the booster's response in proportion (a course assumption: the paper "
                     "has no dose term); 0 means no booster"),
    )

    def build_figure(self):
        fig = figs.prime_boost_figure(PRIME_BOOST)
        self.redraw(fig, self.compute(**self.values))
        return fig

    def compute(self, boost_month, boost_dose):
        day = boost_month * pb.MONTH_DAYS
        res = pb.simulate(PRIME_BOOST, day, boost_dose, days=figs.PRIME_BOOST_YEARS * pb.YEAR_DAYS, n_points=360)
        prime = pb.simulate(PRIME_BOOST, None, days=figs.PRIME_BOOST_YEARS * pb.YEAR_DAYS, n_points=360)
        a50 = pb.titre_for_efficacy(PRIME_BOOST, 0.5)
        return {
            "month": boost_month, "dose": boost_dose, "result": res, "a50": a50,
            "peak_prime": pb.peak_after_prime(res), "before": pb.pre_boost_titre(res),
            "after": pb.peak_after_boost(res), "fold": pb.fold_boost(res),
            "levels": pb.level_at_years(res, (1.0, 5.0)), "prime_levels": pb.level_at_years(prime, (1.0, 5.0)),
            "days_above": pb.days_above(res, a50), "prime_days_above": pb.days_above(prime, a50),
            "efficacy_5y": float(pb.efficacy_against_infection(PRIME_BOOST, pb.level_at_years(res, 5.0))),
            "prime_efficacy_5y": float(pb.efficacy_against_infection(PRIME_BOOST, pb.level_at_years(prime, 5.0))),
        }

    def redraw(self, fig, r):
        res = r["result"]
        figs.set_prime_boost_data(
            fig, t_days=res.t_days, titre=res.titre_eu_per_ml, prime_only=res.prime_only_eu_per_ml,
            efficacy_percent=100.0 * res.efficacy,
            prime_efficacy_percent=100.0 * np.asarray(pb.efficacy_against_infection(PRIME_BOOST,
                                                                                   res.prime_only_eu_per_ml)),
            boost_day=res.boost_day, before=r["before"], after=r["after"])

    def summary(self, r):
        l1, l5 = r["levels"]
        p1, p5 = r["prime_levels"]
        text = f"Peak after the priming series {r['peak_prime']:.0f} EU/mL. "
        if r["dose"] == 0:
            text += "No booster (dose 0): the priming series alone. "
        else:
            months = f"{r['month']:.0f} month" + ("" if r["month"] == 1 else "s")
            text += (f"Booster at {months}, {r['dose']:g} × the trial's dose: {r['before']:.3g} EU/mL "
                     f"just before, {r['after']:.3g} just after ({r['fold']:.3g}-fold). ")
        text += (f"Titre at 1 year {l1:.3g} EU/mL (priming only {p1:.3g}), at 5 years {l5:.3g} EU/mL (priming only "
                 f"{p5:.3g}). Above the 50 %-protective titre ({r['a50']:.0f} EU/mL) for {r['days_above'] / pb.MONTH_DAYS:.1f} "
                 f"months of the 5 years (priming only {r['prime_days_above'] / pb.MONTH_DAYS:.1f}); modelled protection "
                 f"against infection at 5 years {100 * r['efficacy_5y']:.0f} % (priming only "
                 f"{100 * r['prime_efficacy_5y']:.0f} %). Model: White et al. 2015, RTS,S malaria vaccine.")
        return text


# ======================================================================================
# What cancer vaccines achieved: the published numbers
# ======================================================================================

HPV_TRIALS_VIEW = "HPV vaccine trials: efficacy against high-grade cervical lesions, by analysis population"
HBV_VIEW = "Hepatitis B vaccination in Taiwan: liver cancer in children"
RATIO_VIEW = "Therapeutic vaccines: hazard ratios, vaccine vs comparator"
MEDIAN_VIEW = "Therapeutic vaccines: median overall survival, arm by arm"
LANDMARK_VIEW = "Therapeutic vaccines: survival and recurrence at a time point, arm by arm"
RESPONSE_VIEW = "Therapeutic vaccines: tumour and T-cell responses, arm by arm"
VIEWS = (HPV_TRIALS_VIEW, HBV_VIEW, RATIO_VIEW, MEDIAN_VIEW, LANDMARK_VIEW, RESPONSE_VIEW)
_COMPARATOR_ARMS = ("placebo arm", "GM-CSF arm", "pembrolizumab arm")


def _small(text: str) -> str:
    return f"<span style='font-size:11px'>{text}</span>"


_ANALYSIS = {"per-protocol": "per-protocol", "intention-to-treat": "intention-to-treat",
             "naive subset of intention-to-treat": "HPV-naive part of the ITT"}


def _cut(text: str, n: int = 72) -> str:
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


def _trial_name(trial: str, vaccine: str) -> str:
    name = trial.split(" (")[0]
    if name.startswith("phase") or len(name) > 30:
        name = vaccine.split(" (")[0]
    return name.split(" / ")[0]


def _hpv_trial_rows() -> pd.DataFrame:
    t = data.load("hpv_vaccine_impact")
    rows = t[t["study_type"] == "randomised trial"].copy()
    order = {o: i for i, o in enumerate(dict.fromkeys(rows["outcome"]))}
    rows = rows.sort_values(["outcome", "setting"], key=lambda s: s.map(order) if s.name == "outcome" else s,
                            kind="stable")
    rows["category"] = rows["analysis_set"]
    rows["label"] = [f"{r.setting}: {_ANALYSIS[r.analysis_set]}<br>{_small(_cut(r.outcome + '; ' + r.group))}"
                     for r in rows.itertuples()]
    rows["text"] = [figs.ratio_text(r.value, r.ci_low, r.ci_high, "%") for r in rows.itertuples()]
    rows["plain"] = [f"{r.setting}, {r.analysis_set} ({r.outcome})" for r in rows.itertuples()]
    return rows.reset_index(drop=True)


def _trial_rows(view: str) -> pd.DataFrame:
    t = data.load("vaccine_trials")
    pick = {
        HBV_VIEW: t["measure"] == "hepatocellular carcinoma incidence",
        RATIO_VIEW: t["measure"].str.startswith("hazard ratio"),
        MEDIAN_VIEW: t["measure"] == "median overall survival",
        LANDMARK_VIEW: t["measure"].str.endswith("survival rate") | (t["measure"] == "patients with recurrence or death"),
        RESPONSE_VIEW: t["measure"].str.endswith("response rate") | (t["measure"] == "patients with vaccine-expanded T cells"),
    }[view]
    rows = t[pick].copy()
    if view == RATIO_VIEW:  # one hazard ratio per comparison: the adjusted (first listed) one
        rows = rows.drop_duplicates(["trial", "measure"])
    rows["name"] = [_trial_name(a, b) for a, b in zip(rows["trial"], rows["vaccine"])]

    def category(r) -> str:
        if r.vaccine_kind == "preventive":
            return "before the programme" if ("before the programme" in r.group or "1981-1986" in r.group) \
                else "during the programme"
        if " vs " in r.group:
            return "comparison"
        return "comparator arm" if r.group in _COMPARATOR_ARMS else "vaccine arm"

    rows["category"] = [category(r) for r in rows.itertuples()]

    def when(r) -> str:
        return f", {r.timepoint_months:g} months" if pd.notna(r.timepoint_months) else ""

    rows["label"] = [f"{r.name}: {_cut(r.group, 48)}<br>{_small(_cut(r.measure + when(r) + '; ' + r.disease))}"
                     for r in rows.itertuples()]
    rows["plain"] = [f"{r.name}, {r.group} ({r.measure}{when(r)})" for r in rows.itertuples()]
    if view == RESPONSE_VIEW:  # T-cell responders as a share of the patients vaccinated, labelled with the count
        tcell = rows["unit"] == "patients"
        rows["text"] = [f"{r.value:g} of {r.n_patients} patients" if r.unit == "patients"
                        else figs.ratio_text(r.value, r.ci_low, r.ci_high, r.unit) for r in rows.itertuples()]
        rows.loc[tcell, "value"] = 100.0 * rows.loc[tcell, "value"] / rows.loc[tcell, "n_patients"].astype(float)
    else:
        rows["text"] = [figs.ratio_text(r.value, r.ci_low, r.ci_high, r.unit) for r in rows.itertuples()]
    return rows.reset_index(drop=True)


#: view -> (axis title, x range, reference line)
_AXES = {
    HPV_TRIALS_VIEW: ("vaccine efficacy (%), as each trial reported it", (0.0, 145.0), None),
    HBV_VIEW: ("hepatocellular carcinoma, new cases per 100,000 children per year", (0.0, 1.0), None),
    RATIO_VIEW: ("hazard ratio, vaccine vs comparator (below 1 favours the vaccine)", (0.0, 1.6), 1.0),
    MEDIAN_VIEW: ("median overall survival (months)", (0.0, 42.0), None),
    LANDMARK_VIEW: ("% of patients", (0.0, 125.0), None),
    RESPONSE_VIEW: ("% of patients", (0.0, 75.0), None),
}


@functools.cache
def evidence_rows(view: str) -> pd.DataFrame:
    """The rows one view shows, with label, value, interval, category, text, statement and source."""
    if view not in VIEWS:
        raise ValueError(f"view must be one of {list(VIEWS)}, got {view!r}")
    return _hpv_trial_rows() if view == HPV_TRIALS_VIEW else _trial_rows(view)


class VaccineEvidence(Explainer):
    title = "What cancer vaccines achieved: the published numbers, as each source states them"
    controls = (
        Control("view", "Results", default=HPV_TRIALS_VIEW, options=VIEWS,
                help="each group of results has its own measure and axis; each bar is one number with its interval "
                     "where the source gives one, and hovering shows the source's own sentence"),
    )

    def build_figure(self):
        fig = figs.evidence_figure()
        self.redraw(fig, self.compute(**self.values))
        return fig

    def compute(self, view):
        return {"view": view, "rows": evidence_rows(view)}

    def redraw(self, fig, r):
        title, x_range, reference = _AXES[r["view"]]
        figs.set_evidence_data(fig, r["rows"], axis_title=title, x_range=x_range, reference=reference)

    def summary(self, r):
        rows = r["rows"]
        if r["view"] == HPV_TRIALS_VIEW:
            main = rows[rows["outcome"] == "CIN2+ (HPV16/18-related)"]
            parts = []
            for analysis in ("per-protocol", "naive subset of intention-to-treat", "intention-to-treat"):
                v = main.loc[main["analysis_set"] == analysis, "value"]
                if len(v):
                    parts.append(f"{analysis} {v.min():g}-{v.max():g} %" if v.min() != v.max() else f"{analysis} {v.min():g} %")
            trials = ", ".join(dict.fromkeys(main["setting"]))
            return (f"Efficacy against HPV16/18-related CIN2+ ({trials}): " + "; ".join(parts) +
                    ". The same vaccines: per-protocol counts women uninfected when vaccinated, intention-to-treat "
                    "counts everyone randomised, including women already infected.")
        items = [f"{p}: {t}" for p, t in zip(rows["plain"], rows["text"])]
        return f"{r['view']}. " + "; ".join(items) + "."


# ======================================================================================
# A therapeutic vaccine against a tumour (Kronik et al. 2010)
# ======================================================================================

_KRONIK = tv.Params()
#: label -> parameters. The encoded model, then two course scenarios that change one thing at a time.
SCENARIOS = {
    "encoded model (Kronik et al. 2010)": _KRONIK,
    f"fast tumour (doubles in {replace(_KRONIK, r=1e-3).doubling_time_days:.0f} days)": replace(_KRONIK, r=1e-3),
    "fast tumour, Tregs 100× more suppressive": replace(_KRONIK, r=1e-3, k_r=100.0 * _KRONIK.k_r),
}
#: Blockade levels of the slider (%): the control threshold is computed once for each.
BLOCKADE_STEPS = (0.0, 25.0, 50.0, 75.0, 100.0)
TV_DAYS = tv.DEFAULT_DAYS
#: Tolerance of the slow tumour variable in the explainer's runs: 1e-4 keeps log10(tumour) within ~0.002 of the
#: model's default 1e-6 and a fast tumour's run near 10 ms instead of 25 ms.
TV_RTOL = 1e-4


@functools.cache
def control_thresholds(scenario: str) -> tuple[float, ...]:
    """Smallest dose per injection (vaccine cells) that keeps the tumour from growing, at each blockade step."""
    p = SCENARIOS[scenario]
    return tuple(tv.control_threshold(p, blockade=b / 100.0, rel_tol=0.01) for b in BLOCKADE_STEPS)


@functools.cache
def _untreated(scenario: str) -> tv.Result:
    return tv.simulate(SCENARIOS[scenario], 0.0, days=TV_DAYS, rtol=TV_RTOL, atol=TV_RTOL)


class TumourVaccine(Explainer):
    title = "A therapeutic vaccine against a tumour: dose threshold, immunosuppression and blockade"
    controls = (
        Control("scenario", "Tumour and immune system", default=next(iter(SCENARIOS)), options=tuple(SCENARIOS),
                help="the encoded parameters of Kronik et al. (2010) describe a slowly growing prostate tumour "
                     "and weak regulatory T cells; the two other scenarios (course additions) make the tumour grow "
                     "fast, and then make the regulatory T cells 100 times more suppressive"),
        Control("vaccine_dose", "Vaccine dose", default=tv.DEFAULT_DOSE, min=1e2, max=1e9, step=0.1, log=True,
                unit="cells per injection",
                help="irradiated vaccine cells injected every 28 days, 12 times (the model's dose; the encoded "
                     "single dose is one million cells)"),
        Control("blockade", "Treg suppression blocked", default=0.0, min=0.0, max=100.0, step=25.0, unit="%",
                help="a treatment that weakens the regulatory T cells' brake on cytotoxic T cells for the whole "
                     "run (the course's addition to the model; the nearest analogue it has to anti-TGF-β or to "
                     "releasing a checkpoint brake, not a model of any particular drug)"),
    )

    def build_figure(self):
        thresholds = [control_thresholds(s) for s in SCENARIOS]
        plotted = [np.clip(np.asarray(t, dtype=float), 10.0 ** figs.TV_DOSE_LOG10_RANGE[0],
                           10.0 ** figs.TV_DOSE_LOG10_RANGE[1]) for t in thresholds]
        fig = figs.tumour_vaccine_figure(TV_DAYS, list(SCENARIOS), BLOCKADE_STEPS, plotted)
        self.redraw(fig, self.compute(**self.values))
        return fig

    def compute(self, scenario, vaccine_dose, blockade):
        p = SCENARIOS[scenario]
        res = tv.simulate(p, vaccine_dose, blockade=blockade / 100.0, days=TV_DAYS, rtol=TV_RTOL, atol=TV_RTOL)
        thresholds = control_thresholds(scenario)
        step = int(np.argmin([abs(b - blockade) for b in BLOCKADE_STEPS]))
        return {"scenario": scenario, "dose": vaccine_dose, "blockade": blockade, "result": res,
                "untreated": _untreated(scenario), "threshold": thresholds[step], "threshold0": thresholds[0]}

    def redraw(self, fig, r):
        res = r["result"]
        figs.set_tumour_vaccine_data(fig, days=res.days, tumour_log10=res.log10_tumour,
                                     untreated_log10=r["untreated"].log10_tumour, injection_days=res.dose_days,
                                     ctl=res.ctl, treg=res.treg, blockade_percent=r["blockade"], dose=r["dose"])

    def summary(self, r):
        res, untreated = r["result"], r["untreated"]
        th, th0 = r["threshold"], r["threshold0"]
        verdict = "above" if r["dose"] >= th else "below"
        scenario = r["scenario"][0].upper() + r["scenario"][1:]
        text = (f"{scenario}: {r['dose']:.3g} vaccine cells per injection every "
                f"{tv.DEFAULT_INTERVAL_DAYS:g} days ({tv.DEFAULT_N_DOSES} injections), {r['blockade']:.0f} % of Treg "
                f"suppression blocked: {tv.describe(res)}. Peak CTLs {res.ctl.max():.3g}, peak Tregs "
                f"{res.treg.max():.3g}. Without vaccine: {untreated.tumour[-1]:.3g} cells on day {TV_DAYS:g}. "
                f"Control threshold here: {th:.3g} cells per injection ({verdict} it)")
        if r["blockade"] > 0:
            text += f"; without blockade {th0:.3g} ({th0 / th:.3g}-fold higher)"
        return text + "."
