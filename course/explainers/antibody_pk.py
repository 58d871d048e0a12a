"""Antibody pharmacology: receptor occupancy and the label doses of the anti-PD-1 antibodies (lesson 04),
and target-mediated drug disposition (lesson 07)."""

from __future__ import annotations

import functools
import math
from dataclasses import replace

import numpy as np

from course.explainers.base import Control, Explainer, significant
from course.figures import antibody_pk as figs
from course.models import antibody_pk as pk


def percent(fraction: float) -> str:
    """A bound fraction as a percentage with enough decimals to tell it from 100 % (71.3 %, 99.986 %)."""
    pct = 100.0 * float(fraction)
    if pct < 99.0:
        return f"{pct:.1f} %"
    decimals = min(4, max(1, 1 - math.floor(math.log10(max(100.0 - pct, 1e-12)))))
    text = f"{pct:.{decimals}f}"
    return "more than 99.9999 %" if float(text) >= 100.0 else f"{text} %"


# ======================================================================================
# Receptor occupancy (lesson 04)
# ======================================================================================

_P, _N = pk.PEMBROLIZUMAB_AHAMADI_2017, pk.NIVOLUMAB_BAJAJ_2017
#: The approved flat doses per antibody with a population-PK model in the course.
LABEL_REGIMENS = {
    "pembrolizumab": (_P, figs.AHAMADI_2017, (("200 mg every 3 weeks", pk.PEMBROLIZUMAB_200MG_Q3W),
                                              ("400 mg every 6 weeks", pk.PEMBROLIZUMAB_400MG_Q6W))),
    "nivolumab": (_N, figs.BAJAJ_2017, (("240 mg every 2 weeks", pk.NIVOLUMAB_240MG_Q2W),
                                        ("480 mg every 4 weeks", pk.NIVOLUMAB_480MG_Q4W))),
}
TARGETS = {b.antibody: b.target for b in pk.BINDING_AFFINITIES}


def molecular_weight(antibody: str) -> float:
    """g/mol: the label value where the course has a PK model, else a typical IgG's 150 kDa."""
    if antibody in LABEL_REGIMENS:
        return LABEL_REGIMENS[antibody][0].molecular_weight_g_per_mol
    return pk.GENERIC_IGG_MW_G_PER_MOL


def _ordered_affinities() -> tuple[pk.BindingAffinity, ...]:
    """Grouped by antibody (in table order), values read in their source first."""
    out = []
    for antibody in dict.fromkeys(b.antibody for b in pk.BINDING_AFFINITIES):
        entries = pk.affinities_for(antibody)
        out += [b for b in entries if b.verified] + [b for b in entries if not b.verified]
    return tuple(out)


#: dropdown label -> published Kd entry
AFFINITY_OPTIONS = {figs.affinity_label(b): b for b in _ordered_affinities()}
_MOST_PER_ANTIBODY = max(len(pk.affinities_for(a)) for a in TARGETS)


@functools.cache
def _troughs(antibody: str) -> tuple[tuple[str, float], ...]:
    """(regimen, steady-state trough in µg/mL) of the label doses; empty without a PK model."""
    if antibody not in LABEL_REGIMENS:
        return ()
    params, _, regimens = LABEL_REGIMENS[antibody]
    return tuple((label, pk.steady_state_trough(params, reg)) for label, reg in regimens)


@functools.cache
def trough_occupancies(option: str) -> tuple[tuple[str, float, float], ...]:
    """(regimen, trough µg/mL, fraction bound at the trough) for one Kd entry (model numbers)."""
    b = AFFINITY_OPTIONS[option]
    if b.antibody not in LABEL_REGIMENS:
        return ()
    params, _, regimens = LABEL_REGIMENS[b.antibody]
    return tuple((label, pk.steady_state_trough(params, reg), pk.steady_state_trough_occupancy(params, reg, b.kd_nm))
                 for label, reg in regimens)


class ReceptorOccupancy(Explainer):
    title = "Receptor occupancy: how much PD-1 or PD-L1 does the antibody bind?"
    controls = (
        Control("antibody", "Antibody and published Kd", default=next(iter(AFFINITY_OPTIONS)),
                options=tuple(AFFINITY_OPTIONS),
                help="each entry is one published dissociation constant (Kd) with its source and method; the same "
                     "antibody has several, because values differ with the assay and the source (surface plasmon "
                     "resonance on recombinant PD-1, review tables that give no method), and some are only quoted "
                     "second-hand ('value not checked in source')"),
        Control("concentration", "Antibody concentration", default=0.01, min=1e-4, max=300.0, step=0.05,
                unit="µg/mL", log=True,
                help="free antibody in serum or tissue fluid, in µg/mL (= mg/L); the readout also gives nM. The "
                     "label doses of pembrolizumab and nivolumab keep serum troughs around 20-60 µg/mL"),
    )

    def build_figure(self):
        fig = figs.occupancy_figure(_MOST_PER_ANTIBODY - 1)
        figs.set_occupancy_data(fig, **self._figure_data(self.compute(**self.values)))
        return fig

    def compute(self, antibody, concentration):
        b = AFFINITY_OPTIONS[antibody]
        mw = molecular_weight(b.antibody)
        c_nm = float(pk.ug_per_ml_to_nm(concentration, mw))
        others = [o for o in pk.affinities_for(b.antibody) if o is not b]
        return {
            "option": antibody, "affinity": b, "others": others, "mw": mw,
            "c_ug": float(concentration), "c_nm": c_nm,
            "bound": float(pk.occupancy(c_nm, b.kd_nm)),
            "others_bound": [float(pk.occupancy(c_nm, o.kd_nm)) for o in others],
            "troughs": _troughs(b.antibody),
            "trough_occupancy": trough_occupancies(antibody),
        }

    @staticmethod
    def _figure_data(r) -> dict:
        troughs = [c for _, c in r["troughs"]]
        text = "<br>".join(f"{label}: steady-state trough {significant(c)} µg/mL" for label, c in r["troughs"])
        return dict(chosen=r["affinity"], others=r["others"], molecular_weight=r["mw"],
                    concentration_ug_per_ml=r["c_ug"],
                    trough_range_ug_per_ml=(min(troughs), max(troughs)) if troughs else None, trough_text=text)

    def redraw(self, fig, r):
        figs.set_occupancy_data(fig, **self._figure_data(r))

    def summary(self, r):
        b = r["affinity"]
        name = b.antibody.capitalize()
        second_hand = "" if b.verified else "; the value is quoted second-hand, not read in that source"
        mw_note = "" if b.antibody in LABEL_REGIMENS else ", taking a typical IgG's 150 kDa"
        text = (f"{name} at {significant(r['c_ug'])} µg/mL = {significant(r['c_nm'])} nM{mw_note}: {percent(r['bound'])} of "
                f"{b.target} bound at equilibrium, with Kd = {format_kd_both(b.kd_nm)} from "
                f"{figs.short_citation(b.citation)} [assay: {b.assay}{second_hand}].")
        if r["others"]:
            parts = [f"{percent(f)} (Kd {figs.format_kd(o.kd_nm)}, {figs.short_citation(o.citation)})"
                     for o, f in zip(r["others"], r["others_bound"])]
            listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
            text += f" The other published Kd values of {b.antibody} give {listed} at this concentration."
        if r["trough_occupancy"]:
            source = figs.short_citation(LABEL_REGIMENS[b.antibody][1])
            text += (f" At the steady-state troughs of the label doses ({source} model, typical patient) this Kd "
                     "gives " + "; ".join(f"{percent(f)} bound for {label} (trough {significant(c)} µg/mL)"
                                          for label, c, f in r["trough_occupancy"]) + ".")
        else:
            text += (f" No population-PK model of {b.antibody} is stored in the course, so no steady-state "
                     "trough is drawn.")
        return text


def format_kd_both(kd_nm: float) -> str:
    """'27 pM = 0.027 nM' below 1 nM; '1.45 nM' above."""
    return f"{figs.format_kd(kd_nm)} = {kd_nm:.3g} nM" if kd_nm < 1 else figs.format_kd(kd_nm)


# ======================================================================================
# Label doses over 24 weeks (lesson 04)
# ======================================================================================

#: dropdown label -> (PK parameters, label regimen)
DOSING_REGIMENS = {
    "pembrolizumab 200 mg every 3 weeks": (_P, pk.PEMBROLIZUMAB_200MG_Q3W),
    "pembrolizumab 400 mg every 6 weeks": (_P, pk.PEMBROLIZUMAB_400MG_Q6W),
    (f"pembrolizumab 2 mg/kg every 3 weeks (weight-based; {_P.reference_weight_kg:g} kg: "
     f"{2 * _P.reference_weight_kg:g} mg)"): (_P, pk.Regimen.weight_based(2.0, _P.reference_weight_kg, 21.0,
                                                                          n_doses=35)),
    "nivolumab 240 mg every 2 weeks": (_N, pk.NIVOLUMAB_240MG_Q2W),
    "nivolumab 480 mg every 4 weeks": (_N, pk.NIVOLUMAB_480MG_Q4W),
}


def verified_kd(antibody: str) -> pk.BindingAffinity:
    """The first Kd of an antibody that was read in its cited source (table order)."""
    return next(b for b in pk.affinities_for(antibody) if b.verified)


def dosing_regimen(option: str, dose_percent: float) -> tuple[pk.TwoCompartmentParams, pk.Regimen]:
    """The PK parameters and the option's regimen at ``dose_percent`` of its dose, every dose started within
    the 24 weeks shown."""
    params, base = DOSING_REGIMENS[option]
    n = int(math.floor(figs.DOSING_DAYS / base.interval_days + 1e-9)) + 1
    return params, replace(base, dose_mg=base.dose_mg * dose_percent / 100.0, n_doses=n)


class AntibodyDosing(Explainer):
    title = "Anti-PD-1 antibodies at their label doses: serum levels and PD-1 bound"
    controls = (
        Control("regimen", "Regimen", default=next(iter(DOSING_REGIMENS)), options=tuple(DOSING_REGIMENS),
                help="the approved doses of pembrolizumab (KEYTRUDA) and nivolumab (OPDIVO), each a 30-minute "
                     "intravenous infusion, in the published population-PK model of a typical patient; the "
                     "weight-based 2 mg/kg dose is shown for the model's reference patient"),
        Control("dose_percent", "Dose, % of the label dose", default=100.0, min=0.1, max=200.0, step=0.05,
                unit="%", log=True,
                help="scale every dose (same schedule) from 0.1 % to twice the label dose, to see how far the dose "
                     "can fall before PD-1 is no longer saturated at the trough"),
    )

    def build_figure(self):
        fig = figs.dosing_figure()
        self._draw(fig, self.compute(**self.values))
        return fig

    def compute(self, regimen, dose_percent):
        params, reg = dosing_regimen(regimen, dose_percent)
        kd = verified_kd(params.name.split()[0])
        sim = pk.simulate(params, reg, figs.DOSING_DAYS, n_points=400)
        trough_days = reg.dose_times_days[1:]
        trough_c = pk.troughs(params, reg)
        mw = params.molecular_weight_g_per_mol
        return {
            "option": regimen, "percent": dose_percent, "params": params, "regimen": reg, "kd": kd,
            "t": sim.t_days, "c": sim.concentration_ug_per_ml, "occupancy": sim.occupancy(kd.kd_nm),
            "trough_days": trough_days, "trough_c": trough_c,
            "trough_occupancy": pk.occupancy(pk.ug_per_ml_to_nm(trough_c, mw), kd.kd_nm),
            "kd_ug": float(pk.nm_to_ug_per_ml(kd.kd_nm, mw)),
            "cmax_first": pk.cmax_first_dose(params, reg),
            "ss_trough": pk.steady_state_trough(params, reg),
            "ss_trough_occupancy": pk.steady_state_trough_occupancy(params, reg, kd.kd_nm),
            "accumulation": pk.accumulation_ratio(params, reg),
            "half_life": params.terminal_half_life_days,
        }

    @staticmethod
    def _draw(fig, r):
        figs.set_dosing_data(fig, t_days=r["t"], c_ug_per_ml=r["c"], trough_days=r["trough_days"],
                             trough_ug_per_ml=r["trough_c"], kd_ug_per_ml=r["kd_ug"],
                             occupancy_percent=100.0 * r["occupancy"],
                             trough_occupancy_percent=100.0 * r["trough_occupancy"])

    def redraw(self, fig, r):
        self._draw(fig, r)

    def summary(self, r):
        params, reg, kd = r["params"], r["regimen"], r["kd"]
        antibody = params.name.split()[0]
        mw = params.molecular_weight_g_per_mol
        trough_nm = float(pk.ug_per_ml_to_nm(r["ss_trough"], mw))
        ratio = trough_nm / kd.kd_nm
        model = "Ahamadi et al. 2017" if params is _P else "Bajaj et al. 2017"
        dose = f"{significant(reg.dose_mg, 4)} mg every {reg.interval_days / 7:g} weeks"
        scaled = "" if r["percent"] == 100.0 else f" ({significant(r['percent'])} % of the label dose)"
        text = (f"{antibody.capitalize()} {dose}{scaled}, typical patient ({model}): Cmax after the first dose "
                f"{significant(r['cmax_first'])} µg/mL; steady-state trough {significant(r['ss_trough'])} µg/mL "
                f"({significant(trough_nm)} nM); accumulation {r['accumulation']:.2f}-fold (AUC over one interval, steady "
                f"state vs first dose); terminal half-life {r['half_life']:.1f} days. PD-1 bound at the "
                f"steady-state trough: {percent(r['ss_trough_occupancy'])} (Kd {format_kd_both(kd.kd_nm)}, "
                f"{figs.short_citation(kd.citation)}). ")
        if r["ss_trough_occupancy"] >= 0.95:
            text += (f"Why a flat dose works: a half-life of weeks keeps even the trough {significant(ratio)} times above "
                     "the Kd, so PD-1 in serum stays saturated between doses.")
        else:
            text += (f"At this dose the trough is only {significant(ratio)} times the Kd: PD-1 is no longer saturated "
                     "before each dose.")
        return text


# ======================================================================================
# Target-mediated drug disposition (lesson 07)
# ======================================================================================

_Q = pk.MAVRILIMUMAB_STEIN_PELETIER_2018
T_REF_DAYS = 7.0           # apparent_half_life_days' default: after the infusion and most of distribution
TMDD_POINTS = 241          # every 0.35 day over 84 days (day 7 is on the grid)
DOSE_MIN_MG, DOSE_MAX_MG, DOSE_STEP_DECADES = 0.1, 1000.0, 0.1
#: The slider's stops (FloatLogSlider moves in steps of 0.1 in log10): precomputed once.
DOSE_GRID_MG = 10.0 ** np.round(np.arange(math.log10(DOSE_MIN_MG), math.log10(DOSE_MAX_MG) + 1e-9,
                                          DOSE_STEP_DECADES), 10)
#: The same measure of half-life for the antibody without its target (dose-independent).
LINEAR_APPARENT_HALF_LIFE_DAYS = pk.apparent_half_life_days(replace(_Q, target_synthesis_nm_per_day=0.0), 1.0,
                                                            t_ref_days=T_REF_DAYS)


def _on_grid(dose_mg: float) -> float | None:
    """The slider stop this dose is (up to rounding in the browser), or None."""
    e = math.log10(dose_mg)
    k = round((e - math.log10(DOSE_MIN_MG)) / DOSE_STEP_DECADES)
    if 0 <= k < DOSE_GRID_MG.size and abs(math.log10(DOSE_GRID_MG[k]) - e) < 1e-9:
        return float(DOSE_GRID_MG[k])
    return None


def _tmdd_run(dose_mg: float, half_life_days: float | None = None) -> dict:
    regimen = pk.Regimen(dose_mg, 1000.0, 1)
    sim = pk.simulate_tmdd(_Q, regimen, figs.TMDD_DAYS, n_points=TMDD_POINTS)
    linear = pk.ug_per_ml_to_nm(pk.concentration(_Q.linear_part, sim.t_days, regimen), _Q.molecular_weight_g_per_mol)
    i = int(np.argmin(np.abs(sim.t_days - T_REF_DAYS)))
    if abs(sim.t_days[i] - T_REF_DAYS) > 1e-9:  # pragma: no cover - guards TMDD_POINTS against edits
        raise RuntimeError(f"day {T_REF_DAYS:g} is not on the TMDD time grid; change TMDD_POINTS")
    if half_life_days is None:
        half_life_days = pk.apparent_half_life_days(_Q, dose_mg, t_ref_days=T_REF_DAYS)
    return {"t": sim.t_days, "free": sim.free_drug_nm, "linear": linear, "c_ref": float(sim.free_drug_nm[i]),
            "occupancy_ref": float(sim.occupancy[i]), "t_ref": T_REF_DAYS,
            "half_life": float(half_life_days)}


@functools.cache
def half_life_curve() -> np.ndarray:
    """Apparent half-life (days) at every slider stop (:data:`DOSE_GRID_MG`), from the model."""
    return pk.half_life_vs_dose(_Q, DOSE_GRID_MG, t_ref_days=T_REF_DAYS)


@functools.cache
def _grid_runs() -> dict[float, dict]:
    """Every slider stop's run, computed once (~0.5 s), so moving the slider only redraws."""
    return {float(d): _tmdd_run(float(d), float(h)) for d, h in zip(DOSE_GRID_MG, half_life_curve())}


@functools.lru_cache(maxsize=64)
def _off_grid_run(dose_mg: float) -> dict:
    return _tmdd_run(dose_mg)


def tmdd_run(dose_mg: float) -> dict:
    """Free drug with and without target, day-7 values and apparent half-life for one dose."""
    stop = _on_grid(dose_mg)
    return _grid_runs()[stop] if stop is not None else _off_grid_run(float(dose_mg))


class TargetMediatedDisposition(Explainer):
    title = "Target-mediated drug disposition: why a low dose disappears faster"
    controls = (
        Control("dose", "Single dose of mavrilimumab", default=100.0, min=DOSE_MIN_MG, max=DOSE_MAX_MG,
                step=DOSE_STEP_DECADES, unit="mg", log=True,
                help="one 30-minute intravenous infusion. Low doses: the GM-CSF receptor α binds a large part of "
                     "the antibody and removes it as it is internalised. High doses saturate the receptor and "
                     "the antibody is cleared like any IgG (half-life of about three weeks)"),
    )

    def build_figure(self):
        fig = figs.tmdd_figure(_Q, t_ref_days=T_REF_DAYS, dose_range_mg=(DOSE_MIN_MG, DOSE_MAX_MG),
                               curve_doses_mg=DOSE_GRID_MG, curve_half_lives_days=half_life_curve(),
                               linear_half_life_days=LINEAR_APPARENT_HALF_LIFE_DAYS)
        self._draw(fig, self.compute(**self.values))
        return fig

    def compute(self, dose):
        return {"dose": float(dose), **tmdd_run(float(dose))}

    @staticmethod
    def _draw(fig, r):
        figs.set_tmdd_data(fig, t_days=r["t"], free_nm=r["free"], linear_nm=r["linear"], t_ref_days=r["t_ref"],
                           c_ref_nm=r["c_ref"], half_life_days=r["half_life"], dose_mg=r["dose"])

    def redraw(self, fig, r):
        self._draw(fig, r)

    def summary(self, r):
        c_crit = pk.critical_concentration_nm(_Q)
        hl = r["half_life"]
        hl_text = (f"{hl:.1f} days" if math.isfinite(hl) else "more than 1000 days")
        return (f"Mavrilimumab (anti-GM-CSF receptor α), one 30-min infusion of {significant(r['dose'])} mg "
                f"({significant(_Q.dose_nmol(r['dose']))} nmol): apparent half-life {hl_text} (time for the free drug to "
                f"halve after day {T_REF_DAYS:g}), against {LINEAR_APPARENT_HALF_LIFE_DAYS:.1f} days for the same "
                f"antibody without its target (terminal half-life {_Q.linear_part.terminal_half_life_days:.1f} "
                f"days). On day {r['t_ref']:g}: free drug {significant(r['c_ref'])} nM, {significant(r['c_ref'] / c_crit)} times "
                f"the critical concentration of {significant(c_crit)} nM (below it the target adds its own, faster "
                f"elimination); {percent(r['occupancy_ref'])} of the target bound (Stein & Peletier 2018 model).")
