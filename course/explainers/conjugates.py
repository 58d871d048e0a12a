"""Monoclonal antibodies with a payload: a radionuclide's dose to the tumour, and where an ADC's drug ends up.

* :class:`RadioConjugateDose`: the radionuclide on an antibody (Y-90, I-131, Lu-177), the
  antibody's biological half-life in the tumour and its uptake half-time → activity in the
  tumour over time, the share of decays that happen there, and the absorbed dose (MIRD).
* :class:`ADCDelivery`: the dose of an antibody–drug conjugate, the tumour's antigen density
  and the drug-to-antibody ratio → payload in tumour and healthy tissue and their ratio
  (Shah et al. 2012 model), read off a grid solved once and cached.
"""

from __future__ import annotations

import functools
import inspect
import math

import numpy as np
from scipy.interpolate import RectBivariateSpline

from course.explainers.base import Control, Explainer, significant
from course.figures import conjugates as figs
from course.models import conjugates as m


def _percent(fraction: float, digits: int = 2) -> str:
    return f"{significant(100.0 * fraction, digits)} %"


# ======================================================================================
# Radioimmunoconjugates
# ======================================================================================

NUCLIDES = tuple(m.RADIONUCLIDES)                      # ("Y-90", "I-131", "Lu-177")
_Y90 = m.RADIONUCLIDES["Y-90"]
#: Default biological half-life: the only measured residence time the model holds for an
#: antibody is Zevalin's *serum* effective half-life (28 h, Swiss product information); with
#: Y-90's physical half-life (64.1 h) it implies a biological half-life of 49.7 h
#: (:func:`course.models.conjugates.biological_half_life`).  It stands in for the tumour here.
DEFAULT_BIO_HALF_LIFE_H = float(m.biological_half_life(m.ZEVALIN_SERUM_EFFECTIVE_HALF_LIFE_H, _Y90.half_life_h))
#: Default uptake half-time: one day, an illustrative value chosen here (not from a source;
#: neither the model nor the label gives one).  It has to be > 0 for an optimum half-life to exist.
DEFAULT_UPTAKE_HALF_TIME_H = 24.0
BIO_HALF_LIFE_RANGE_H = (5.0, 1000.0)      # from a fast-clearing fragment to an antibody kept for weeks
UPTAKE_HALF_TIME_MAX_H = 96.0

#: Reference activity: the Zevalin label's maximum, 1184 MBq (32 mCi), i.e. 14.8 MBq/kg for
#: a patient of 80 kg (the weight at which the per-kg activity reaches the cap).
REFERENCE_ACTIVITY_MBQ = m.ZEVALIN_MAX_ACTIVITY_MBQ
REFERENCE_WEIGHT_KG = m.ZEVALIN_MAX_ACTIVITY_MBQ / m.ZEVALIN_ACTIVITY_MBQ_PER_KG
#: The label's mean estimated tumour dose at 14.8 MBq/kg, Gy.
LABEL_TUMOUR_DOSE_GY = m.ZEVALIN_ABSORBED_DOSE_CGY["tumour"] / 100.0
#: Doses are computed for one gram of tumour: at a fixed uptake per gram the mass cancels
#: (a 10 g tumour that takes up ten times as much gets the same dose).
TUMOUR_MASS_G = 1.0
#: Fraction of the administered activity one gram of tumour would take up if nothing left it,
#: calibrated so that Y-90 at the default half-lives gives the label's mean tumour dose.
UPTAKE_FRACTION_PER_G = LABEL_TUMOUR_DOSE_GY / float(m.absorbed_dose_gy(
    REFERENCE_ACTIVITY_MBQ, _Y90,
    m.TissueKinetics(1.0, DEFAULT_BIO_HALF_LIFE_H, TUMOUR_MASS_G, DEFAULT_UPTAKE_HALF_TIME_H)))

RADIO_DAYS = 21.0
RADIO_T_H = np.linspace(0.0, RADIO_DAYS * 24.0, 169)            # every 3 h
HALF_LIFE_GRID_H = np.logspace(*figs.HALF_LIFE_LOG10_RANGE, 201)
# Highest activity any setting can draw: all of it in the tumour at t = 0 (instant uptake).
_ACTIVITY_MAX = math.ceil(10 * 1.05 * REFERENCE_ACTIVITY_MBQ * UPTAKE_FRACTION_PER_G) / 10


def _nuclide_help() -> str:
    parts = [f"{n.name}: physical half-life {significant(n.half_life_h)} h ({significant(n.half_life_h / 24)} days), "
             f"{significant(n.electron_energy_mev * 1000)} keV of electrons per decay" for n in m.RADIONUCLIDES.values()]
    approved = " and ".join(f"{name} ({p['radionuclide']} on {p['antibody']}, anti-{p['target']})"
                            for name, p in m.APPROVED_RADIOIMMUNOCONJUGATES.items())
    return ("the radioactive label on the antibody (ICRP Publication 107 decay data). " + "; ".join(parts)
            + f". The two radioimmunoconjugates approved in the USA: {approved}")


class RadioConjugateDose(Explainer):
    title = "Radioimmunoconjugates: which radionuclide suits the antibody?"
    controls = (
        Control("nuclide", "Radionuclide", default="Y-90", options=NUCLIDES, help=_nuclide_help()),
        Control("bio_half_life", "Biological half-life in the tumour", default=DEFAULT_BIO_HALF_LIFE_H,
                min=BIO_HALF_LIFE_RANGE_H[0], max=BIO_HALF_LIFE_RANGE_H[1], step=0.01, log=True, unit="h",
                help=f"how fast the antibody leaves the tumour, leaving decay aside. The default, "
                     f"{DEFAULT_BIO_HALF_LIFE_H:.1f} h, is what Zevalin's effective half-life in serum "
                     f"({m.ZEVALIN_SERUM_EFFECTIVE_HALF_LIFE_H:g} h, Swiss product information) implies after "
                     f"removing Y-90's decay: a serum value standing in for the tumour"),
        Control("uptake_half_time", "Uptake half-time into the tumour", default=DEFAULT_UPTAKE_HALF_TIME_H,
                min=0.0, max=UPTAKE_HALF_TIME_MAX_H, step=1.0, unit="h",
                help="how fast the antibody accumulates in the tumour after injection (0 = at once). The default, "
                     f"{DEFAULT_UPTAKE_HALF_TIME_H:g} h, is illustrative, not a measured value. Atoms that decay "
                     "before their antibody arrives irradiate the blood and marrow instead"),
    )

    def build_figure(self):
        return figs.radio_figure(
            RADIO_T_H / 24.0, HALF_LIFE_GRID_H, nuclides={n: r.half_life_h for n, r in m.RADIONUCLIDES.items()},
            chosen=self.values["nuclide"], activity_max_mbq_per_g=_ACTIVITY_MAX,
            reference_activity_mbq=REFERENCE_ACTIVITY_MBQ, uptake_percent_per_g=100 * UPTAKE_FRACTION_PER_G)

    @staticmethod
    def kinetics(bio_half_life: float, uptake_half_time: float) -> m.TissueKinetics:
        """One gram of tumour, with the calibrated uptake."""
        return m.TissueKinetics(UPTAKE_FRACTION_PER_G, bio_half_life, TUMOUR_MASS_G, uptake_half_time)

    def compute(self, nuclide, bio_half_life, uptake_half_time):
        kin = self.kinetics(bio_half_life, uptake_half_time)
        nuclides = m.RADIONUCLIDES
        half_lives = np.array([r.half_life_h for r in nuclides.values()])
        fractions = m.fraction_of_decays_in_tissue(half_lives, bio_half_life, uptake_half_time)
        chosen = nuclides[nuclide]
        optimum = float(m.best_physical_half_life(uptake_half_time, bio_half_life)) if uptake_half_time > 0 else None
        return {
            "nuclide": nuclide,
            "bio_half_life": bio_half_life,
            "uptake_half_time": uptake_half_time,
            "physical_half_life": chosen.half_life_h,
            "effective_half_life": float(m.effective_half_life(chosen.half_life_h, bio_half_life)),
            "activity": {n: m.activity(RADIO_T_H, REFERENCE_ACTIVITY_MBQ, r, kin) for n, r in nuclides.items()},
            "dose_gy": {n: float(m.absorbed_dose_gy(REFERENCE_ACTIVITY_MBQ, r, kin)) for n, r in nuclides.items()},
            "tiac_h": float(m.time_integrated_activity_coefficient(
                chosen.half_life_h, bio_half_life, uptake_half_time, UPTAKE_FRACTION_PER_G)),
            "half_lives": half_lives,
            "fractions": dict(zip(nuclides, (float(f) for f in fractions))),
            "fraction_curve": m.fraction_of_decays_in_tissue(HALF_LIFE_GRID_H, bio_half_life, uptake_half_time),
            "optimum_h": optimum,
            "optimum_fraction": (None if optimum is None else
                                 float(m.fraction_of_decays_in_tissue(optimum, bio_half_life, uptake_half_time))),
        }

    def redraw(self, fig, r):
        label = "" if r["optimum_h"] is None else f"best {significant(r['optimum_h'])} h"
        figs.set_radio_data(fig, activity=r["activity"], chosen=r["nuclide"], fraction_curve=r["fraction_curve"],
                            nuclide_half_lives=r["half_lives"], nuclide_fractions=list(r["fractions"].values()),
                            optimum_h=r["optimum_h"], optimum_label=label)

    def summary(self, r):
        n = r["nuclide"]
        uptake = (f"enters the tumour with an uptake half-time of {r['uptake_half_time']:g} h"
                  if r["uptake_half_time"] > 0 else "enters the tumour at once")
        if r["optimum_h"] is None:
            best = "with instant uptake there is no optimum: the shorter the physical half-life, the larger the share"
        else:
            best = (f"the best physical half-life here, √({r['uptake_half_time']:g} × {significant(r['bio_half_life'])}) = "
                    f"{significant(r['optimum_h'])} h, would give {_percent(r['optimum_fraction'])}")
        doses = r["dose_gy"]
        most = max(doses, key=doses.get)
        share = max(r["fractions"], key=r["fractions"].get)
        others = ", ".join(f"{k} {significant(v)} Gy" for k, v in doses.items() if k != n)
        share_text = ("it also puts the largest share of its decays in the tumour" if share == most else
                      f"{share} puts the largest share of its decays in the tumour "
                      f"({_percent(r['fractions'][share])}), but fewer and weaker electrons")
        return (f"{n} (physical half-life {significant(r['physical_half_life'])} h) on an antibody that {uptake} and leaves "
                f"it with a biological half-life of {significant(r['bio_half_life'])} h: effective half-life "
                f"{significant(r['effective_half_life'])} h. Of the labelled antibodies headed for the tumour, "
                f"{_percent(r['fractions'][n])} decay inside it ({best}). "
                f"Tumour dose after {significant(REFERENCE_ACTIVITY_MBQ, 4)} MBq (the Zevalin label's maximum): "
                f"{n} {significant(doses[n])} Gy, vs {others} at the same activity. {most} delivers most; {share_text}. "
                f"Uptake is set to {significant(100 * UPTAKE_FRACTION_PER_G, 2)} % of the injected activity per gram of "
                f"tumour so that Y-90 at the default settings gives the label's mean tumour dose, "
                f"{significant(LABEL_TUMOUR_DOSE_GY)} Gy; electrons only, photons escape.")


# ======================================================================================
# Antibody–drug conjugates
# ======================================================================================

ADC = m.ADCParams()
DOSE_RANGE_MG_PER_KG = (0.01, 100.0)       # a tenth of a percent of the label dose to far above saturation
ANTIGEN_RANGE_PER_CELL = (1e3, 1e6)        # antigen-low to antigen-high tumours
DAR_RANGE = (1.0, 8.0)
#: Shah et al.'s CD30 in patients, 166 nM, as antigens per cell (≈ 10⁵ with one-picolitre cells).
DEFAULT_ANTIGENS_PER_CELL = m.SHAH_PATIENT_ANTIGEN_NM / float(m.antigen_concentration_nm(1.0, ADC.cells_per_ml))
#: Peak occupancy taken to mean "binding sites saturated" (a definition made here).
SATURATED_OCCUPANCY = 0.9
#: Body weight behind %ID/g: the model's default.
BODY_WEIGHT_KG = inspect.signature(m.PayloadDelivery.percent_injected_dose_per_g).parameters["body_weight_kg"].default
REFERENCE_ANTIGENS = (1e3, 1e4, 1e5, 1e6)
GRID_POINTS_PER_DECADE = 16                # interpolation error ~10⁻⁴ (tested against direct solves)
DISPLAY_DOSES = np.geomspace(*DOSE_RANGE_MG_PER_KG, 161)


def _logit(p):
    p = np.clip(np.asarray(p, dtype=float), 1e-12, 1 - 1e-12)
    return np.log(p / (1 - p))


class ADCGrid:
    """Payload delivery solved once on a dose × antigen grid (one ODE solve), then interpolated.

    log(tumour payload) and logit(peak occupancy) are smooth in (log dose, log antigens), so a
    bicubic spline on 16 points per decade reproduces direct model calls to ~10⁻⁴.  Healthy
    payload and injected payload are exactly proportional to the dose; every payload is
    proportional to the DAR (Shah's clearance does not depend on it).
    """

    def __init__(self, params: m.ADCParams = ADC):
        self.params = params
        lo, hi = (math.log10(v) for v in DOSE_RANGE_MG_PER_KG)
        alo, ahi = (math.log10(v) for v in ANTIGEN_RANGE_PER_CELL)
        self.log_doses = np.linspace(lo, hi, round((hi - lo) * GRID_POINTS_PER_DECADE) + 1)
        self.log_antigens = np.linspace(alo, ahi, round((ahi - alo) * GRID_POINTS_PER_DECADE) + 1)
        doses = 10.0 ** self.log_doses
        grid = m.payload_delivery(params, doses[:, None], 10.0 ** self.log_antigens[None, :])
        self.days = grid.days
        per_dose = grid.healthy_pmol_per_g[:, 0] / doses
        if not np.allclose(per_dose, per_dose[0], rtol=1e-9):
            raise RuntimeError("healthy payload is expected to be proportional to the dose")
        self.healthy_per_mg_per_kg = float(per_dose[0])
        self._tumour = RectBivariateSpline(self.log_doses, self.log_antigens, np.log(grid.tumour_pmol_per_g))
        self._occupancy = RectBivariateSpline(self.log_doses, self.log_antigens, _logit(grid.peak_occupancy))
        self.tumour_range = (float(grid.tumour_pmol_per_g.min()), float(grid.tumour_pmol_per_g.max()))
        self.healthy_range = (float(grid.healthy_pmol_per_g.min()), float(grid.healthy_pmol_per_g.max()))
        self.ratio_max = float(np.max(grid.tumour_to_healthy))

    def tumour(self, dose, antigens):
        """Tumour payload at DAR₀ of the parameters, pmol/g (broadcast)."""
        return np.exp(self._tumour.ev(np.log10(dose), np.log10(antigens)))

    def occupancy(self, dose, antigens):
        return 1.0 / (1.0 + np.exp(-self._occupancy.ev(np.log10(dose), np.log10(antigens))))

    def delivery(self, dose, antigens, dar: float) -> m.PayloadDelivery:
        """What :func:`course.models.conjugates.payload_delivery` returns, read off the grid."""
        dose, antigens = np.broadcast_arrays(np.asarray(dose, dtype=float), np.asarray(antigens, dtype=float))
        scale = dar / self.params.dar
        return m.PayloadDelivery(
            dose_mg_per_kg=dose.copy(), antigens_per_cell=antigens.copy(), days=self.days,
            tumour_pmol_per_g=scale * self.tumour(dose, antigens),
            healthy_pmol_per_g=scale * self.healthy_per_mg_per_kg * dose,
            injected_pmol_per_g=dar * m.dose_nmol_per_kg(dose, self.params.molecular_weight_g_per_mol),
            peak_occupancy=self.occupancy(dose, antigens))


@functools.lru_cache(maxsize=1)
def adc_grid() -> ADCGrid:
    """The cached grid (solved on first use, ~0.1 s)."""
    return ADCGrid()


def saturating_dose(doses, occupancy, threshold: float = SATURATED_OCCUPANCY) -> float | None:
    """Lowest dose at which ``occupancy`` (rising with the dose) reaches ``threshold``, interpolated
    in (log dose, logit occupancy); ``None`` if it never does within ``doses``."""
    occupancy = np.asarray(occupancy, dtype=float)
    above = np.flatnonzero(occupancy >= threshold)
    if above.size == 0:
        return None
    i = int(above[0])
    if i == 0:
        return float(doses[0])
    y0, y1, yt = _logit(occupancy[i - 1]), _logit(occupancy[i]), _logit(threshold)
    x0, x1 = math.log10(doses[i - 1]), math.log10(doses[i])
    return float(10.0 ** (x0 + (yt - y0) / (y1 - y0) * (x1 - x0)))


class ADCDelivery(Explainer):
    title = "Antibody–drug conjugates: how much drug reaches the tumour?"
    controls = (
        Control("dose", "Dose", default=m.BRENTUXIMAB_VEDOTIN_DOSE_MG_PER_KG, min=DOSE_RANGE_MG_PER_KG[0],
                max=DOSE_RANGE_MG_PER_KG[1], step=0.01, log=True, unit="mg/kg",
                help=f"milligrams of conjugate per kg of body weight, one intravenous dose. The ADCETRIS "
                     f"(brentuximab vedotin) label gives {m.BRENTUXIMAB_VEDOTIN_DOSE_MG_PER_KG:g} mg/kg every 3 "
                     f"weeks; the range runs far above it to show what happens once the antigen is saturated"),
        Control("antigens", "Target antigens per tumour cell", default=DEFAULT_ANTIGENS_PER_CELL,
                min=ANTIGEN_RANGE_PER_CELL[0], max=ANTIGEN_RANGE_PER_CELL[1], step=0.01, log=True,
                unit="molecules per cell",
                help=f"copies of the target (CD30 for brentuximab vedotin) on each cancer cell. The default, "
                     f"about {significant(DEFAULT_ANTIGENS_PER_CELL)}, is Shah et al.'s {m.SHAH_PATIENT_ANTIGEN_NM:g} nM "
                     f"in patients' tumours, with cells of one picolitre"),
        Control("dar", "Drug-to-antibody ratio (DAR)", default=ADC.dar, min=DAR_RANGE[0], max=DAR_RANGE[1],
                step=0.1, unit="drug molecules per antibody",
                help=f"payload molecules carried by each antibody at injection: {ADC.dar:g} for brentuximab "
                     f"vedotin in Shah et al., {m.T_DM1_DAR:g} on average for trastuzumab emtansine. The model "
                     "lets the antibody clear at the same rate whatever its DAR, so the DAR scales tumour and "
                     "healthy payload alike"),
    )

    def build_figure(self):
        grid = adc_grid()
        scale_lo, scale_hi = DAR_RANGE[0] / ADC.dar, DAR_RANGE[1] / ADC.dar
        lowest = min(grid.tumour_range[0], grid.healthy_range[0]) * scale_lo
        highest = max(grid.tumour_range[1], grid.healthy_range[1]) * scale_hi
        self._axes = figs.ADCAxes(dose_log10=tuple(math.log10(v) for v in DOSE_RANGE_MG_PER_KG),
                                  payload_log10=figs.nice_log10_range(lowest, highest),
                                  ratio_max=float(math.ceil(grid.ratio_max + 0.5)))
        ref = [grid.delivery(DISPLAY_DOSES, a, ADC.dar).tumour_to_healthy for a in REFERENCE_ANTIGENS]
        return figs.adc_figure(DISPLAY_DOSES, axes=self._axes, reference_antigens=REFERENCE_ANTIGENS,
                               reference_ratios=ref, days=grid.days, saturated_percent=100 * SATURATED_OCCUPANCY)

    def compute(self, dose, antigens, dar):
        grid = adc_grid()
        curve = grid.delivery(DISPLAY_DOSES, antigens, dar)
        point = grid.delivery(dose, antigens, dar)
        return {
            "dose": dose, "antigens": antigens, "dar": dar, "days": grid.days,
            "antigen_nm": float(m.antigen_concentration_nm(antigens, ADC.cells_per_ml)),
            "curve": curve,
            "point": point,
            "tumour": float(point.tumour_pmol_per_g),
            "healthy": float(point.healthy_pmol_per_g),
            "ratio": float(point.tumour_to_healthy),
            "percent_id_per_g": float(point.percent_injected_dose_per_g()),
            "occupancy": float(point.peak_occupancy),
            "saturated": float(point.peak_occupancy) >= SATURATED_OCCUPANCY,
            "saturating_dose": saturating_dose(DISPLAY_DOSES, curve.peak_occupancy),
            "low_dose_ratio": float(curve.tumour_to_healthy[0]),
        }

    def redraw(self, fig, r):
        c = r["curve"]
        figs.set_adc_data(fig, tumour=c.tumour_pmol_per_g, healthy=c.healthy_pmol_per_g, ratio=c.tumour_to_healthy,
                          dose=r["dose"], tumour_at_dose=r["tumour"], healthy_at_dose=r["healthy"],
                          ratio_at_dose=r["ratio"], saturating_dose=r["saturating_dose"], axes=self._axes)

    def summary(self, r):
        sat = r["saturating_dose"]
        threshold = _percent(SATURATED_OCCUPANCY)
        if r["saturated"]:
            state = (f"binding sites saturated (at least {threshold} occupied from about {significant(sat)} mg/kg at this "
                     f"antigen density): extra conjugate adds mostly to healthy tissue, and the ratio has fallen "
                     f"from {significant(r['low_dose_ratio'])} at low doses")
        elif sat is not None:
            state = (f"binding sites not saturated (uptake limited by delivery from the blood); they would be "
                     f"{threshold} occupied from about {significant(sat)} mg/kg")
        else:
            state = (f"binding sites not saturated (uptake limited by delivery from the blood), not even at "
                     f"{significant(DOSE_RANGE_MG_PER_KG[1])} mg/kg")
        return (f"One dose of {significant(r['dose'])} mg/kg of a brentuximab vedotin–like conjugate with DAR "
                f"{r['dar']:.1f}, tumour cells with {significant(r['antigens'])} antigens each "
                f"({significant(r['antigen_nm'])} nM in the tumour). Payload released over {r['days']:g} days: "
                f"{significant(r['tumour'])} pmol/g in the tumour, {significant(r['healthy'])} pmol/g in the average gram of "
                f"healthy tissue, a tumour-to-healthy ratio of {significant(r['ratio'])}; the tumour receives "
                f"{significant(r['percent_id_per_g'], 2)} % of the injected payload per gram (%ID/g, "
                f"{BODY_WEIGHT_KG:g} kg patient). Peak antigen occupancy {_percent(r['occupancy'])}: {state}.")
