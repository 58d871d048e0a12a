r"""Antibodies that carry a payload: radioimmunoconjugates and antibody–drug conjugates.

An antibody on its own is a targeting device.  Hang a radionuclide on it (a
*radioimmunoconjugate*) or a cytotoxic drug (an *antibody–drug conjugate*, ADC) and the
antibody's preference for antigen-positive cells becomes a preference in where the
payload ends up.  This module has two small models of that, one for each kind of payload.

**Part 1 – radioimmunoconjugates (MIRD formalism).**  In a tissue that takes up a
fraction :math:`f` of the administered activity :math:`A_0` with first-order uptake
(rate :math:`\lambda_u`) and biological clearance (rate :math:`\lambda_b`), while the
label decays physically (rate :math:`\lambda_p`),

.. math::

    A(t) = A_0 f\,\frac{\lambda_u}{\lambda_u - \lambda_b}
           \left(e^{-\lambda_b t} - e^{-\lambda_u t}\right) e^{-\lambda_p t},
    \qquad \lambda_x = \frac{\ln 2}{T_x}.

Instant uptake (:math:`\lambda_u\to\infty`) leaves one exponential with the effective
decay constant :math:`\lambda_\mathrm{eff} = \lambda_p + \lambda_b`, i.e.

.. math::

    \frac{1}{T_\mathrm{eff}} = \frac{1}{T_\mathrm{phys}} + \frac{1}{T_\mathrm{bio}},
    \qquad \tilde A = \int_0^\infty A\,dt = \frac{A_0 f\,T_\mathrm{eff}}{\ln 2}.

With an uptake phase the time-integrated ("cumulated") activity becomes

.. math::

    \tilde A = \frac{A_0 f\,\lambda_u}{(\lambda_b + \lambda_p)(\lambda_u + \lambda_p)}
             = \frac{A_0 f\,T_\mathrm{eff}}{\ln 2}\cdot\frac{\lambda_u}{\lambda_u + \lambda_p},

so the last factor is what a nuclide loses by decaying while the antibody is still on its
way.  Of all the labelled atoms injected, the fraction that decays inside the tissue is
:math:`\lambda_p\tilde A/A_0 = f\lambda_p\lambda_u/((\lambda_b+\lambda_p)(\lambda_u+\lambda_p))`,
largest when :math:`T_\mathrm{phys} = \sqrt{T_\mathrm{up}T_\mathrm{bio}}`: a physical
half-life matched to the antibody's residence time (a derivation made here, not a quoted
result).  The mean absorbed dose follows the MIRD schema (Bolch et al. 2009),
:math:`D = \tilde A\,S` with :math:`S = \sum_i E_i Y_i \phi_i / m`; here only the electrons
(β particles, internal-conversion and Auger electrons) are counted, with an absorbed
fraction :math:`\phi` (default 1: they stop in the tissue) and photons escape.

**Part 2 – antibody–drug conjugates (Shah, Haddish-Berhane & Betts 2012).**  Their
tumour-disposition model, "an adapted version of a published, clinically translatable
tumor disposition model" (the Krogh-cylinder analysis of Schmidt & Wittrup 2009 and
Thurber, Schmidt & Wittrup 2008), moves ADC between plasma and the tumour at the rate

.. math::

    k_\mathrm{ex} = \frac{2 P R_\mathrm{cap}}{R_\mathrm{Krogh}^2} + \frac{6D}{R_\mathrm{tumour}^2},
    \qquad \frac{dF}{dt} = k_\mathrm{ex}(\varepsilon C_p - F) - k_\mathrm{on}F(Ag - B) + k_\mathrm{off}B,

    \frac{dB}{dt} = k_\mathrm{on}F(Ag - B) - k_\mathrm{off}B - k_\mathrm{int}B,

(their Eqs. 13–14; :math:`F` free and :math:`B` antigen-bound ADC per litre of tumour,
:math:`\varepsilon` the void fraction, total antigen :math:`Ag` held constant).  Payload
is released inside the tumour by internalisation of bound ADC and by deconjugation,
:math:`\mathrm{DAR}(t)(k_\mathrm{int}B + k_\mathrm{dis}(F + B))` with
:math:`\mathrm{DAR}(t) = \mathrm{DAR}_0e^{-k_\mathrm{dis}t}` (their Eqs. 10, 15, 17).  The
rest of the body receives the payload of catabolised and deconjugated plasma ADC,
:math:`\mathrm{DAR}(t)(CL\,C_p + k_\mathrm{dis}V_1C_p)` (their Eq. 18), which is the
"non-targeted fraction".  Because :math:`k_\mathrm{on}Ag` (≈ 10³ per day) is far faster
than every other rate (≈ 1 per day), binding is taken to be at equilibrium: with
:math:`T = F + B`,

.. math::

    B = \frac{Ag\,F}{K_d + F},\qquad
    \frac{dT}{dt} = k_\mathrm{ex}(\varepsilon C_p - F) - k_\mathrm{int}B,

a single non-stiff equation per tumour that is integrated for a whole grid of doses and
antigen densities at once (the tests check it against Shah's full equations).  At low
dose the tumour captures almost everything that leaves the vessels: uptake is limited by
delivery, :math:`\le k_\mathrm{ex}\varepsilon\int C_p\,dt`, and is proportional to dose.
At high dose the binding sites fill: uptake is limited by antigen,
:math:`\le Ag(1 + k_\mathrm{int}t)`, and the fraction of the dose per gram falls.

This is the dichotomy of Thurber & Weissleder (2011): "The lower dose is subsaturating, so
uptake is limited by delivery from the vasculature with similar uptake in both tumors. At
saturating doses, the uptake is limited by the number of binding sites".

Units: part 1 in hours, MBq, grams and gray; part 2 in days, nM (nmol per litre of plasma
or of tumour), mg/kg and pmol of payload per gram of tissue (= nmol/kg).  Part 2 ignores
the tumour as a sink for plasma ADC (a 4 cm³ tumour in a 70 kg patient), spatial gradients
inside the tumour (the binding-site barrier itself), the payload's own redistribution
after release, and antigen shedding; "healthy tissue" is the average gram of the rest of
the body, not one organ.

References
----------
* Bolch WE, Eckerman KF, Sgouros G, Thomas SR (2009) MIRD pamphlet no. 21: a generalized
  schema for radiopharmaceutical dosimetry – standardization of nomenclature.
  J Nucl Med 50:477-484, doi:10.2967/jnumed.108.056036.
* ICRP (2008) Nuclear decay data for dosimetric calculations. ICRP Publication 107.
  Ann ICRP 38(3).
* Dillman RO (2006) Radioimmunotherapy of B-cell lymphoma with radiolabelled anti-CD20
  monoclonal antibodies. Clin Exp Med 6:1-12, doi:10.1007/s10238-006-0087-6.
* Zevalin (ibritumomab tiuxetan) US prescribing information, and Swiss product
  information (Fachinformation).
* Shah DK, Haddish-Berhane N, Betts A (2012) Bench to bedside translation of antibody
  drug conjugates using a multiscale mechanistic PK/PD model: a case study with
  brentuximab-vedotin. J Pharmacokinet Pharmacodyn 39:643-659,
  doi:10.1007/s10928-012-9276-y.
* Schmidt MM, Wittrup KD (2009) A modeling analysis of the effects of molecular size and
  binding affinity on tumor targeting. Mol Cancer Ther 8:2861-2871,
  doi:10.1158/1535-7163.MCT-09-0195.
* Thurber GM, Schmidt MM, Wittrup KD (2008) Antibody tumor penetration: transport opposed
  by systemic and antigen-mediated clearance. Adv Drug Deliv Rev 60:1421-1434,
  doi:10.1016/j.addr.2008.04.012.
* Thurber GM, Weissleder R (2011) A systems approach for tumor pharmacokinetics.
  PLoS ONE 6:e24696, doi:10.1371/journal.pone.0024696 (Fig. 3 legend).
* ADCETRIS (brentuximab vedotin) US prescribing information.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp

__all__ = [
    # radioimmunoconjugates
    "Radionuclide", "RADIONUCLIDES", "APPROVED_RADIOIMMUNOCONJUGATES", "TissueKinetics",
    "ZEVALIN_ACTIVITY_MBQ_PER_KG", "ZEVALIN_MAX_ACTIVITY_MBQ", "ZEVALIN_SERUM_EFFECTIVE_HALF_LIFE_H",
    "ZEVALIN_ABSORBED_DOSE_CGY", "MEV_TO_J",
    "effective_half_life", "biological_half_life", "activity", "time_integrated_activity_coefficient",
    "cumulated_activity", "fraction_of_decays_in_tissue", "best_physical_half_life",
    "absorbed_dose_gy", "radionuclide_table",
    # antibody-drug conjugates
    "ADCParams", "AVOGADRO", "SHAH_IN_VITRO_CELLS_PER_ML", "SHAH_IN_VITRO_ANTIGEN_NM",
    "SHAH_XENOGRAFT_ANTIGEN_NM", "SHAH_PATIENT_ANTIGEN_NM", "SHAH_MOUSE_DECONJUGATION_PER_DAY",
    "SHAH_KON_PER_NM_PER_DAY", "SHAH_KOFF_PER_DAY", "BRENTUXIMAB_VEDOTIN_DOSE_MG_PER_KG",
    "T_DM1_DAR",
    "antigen_concentration_nm", "dose_nmol_per_kg", "plasma_concentration_nm", "plasma_auc_nm_day",
    "free_adc_nm", "uptake_limits", "ADCSimulation", "simulate_adc", "PayloadDelivery",
    "payload_delivery",
]

LN2 = math.log(2.0)

#: 1 MeV in joules (exact, SI 2019 value of the elementary charge × 10⁶).
MEV_TO_J = 1.602176634e-13

#: Avogadro constant, 1/mol (exact, SI 2019).
AVOGADRO = 6.02214076e23


# ======================================================================================
# Validation helpers
# ======================================================================================

def _number(value, name: str, unit: str, *, zero: bool = False, inf: bool = False) -> float:
    """``value`` as a float > 0 (or ≥ 0 with ``zero``; ∞ allowed with ``inf``), else ValueError."""
    bound = "≥ 0" if zero else "> 0"
    kind = "a number" if inf else "a finite number"
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    v = float(value) if ok else math.nan
    if not ok or math.isnan(v) or (math.isinf(v) and not inf) or v < 0 or (v == 0 and not zero):
        raise ValueError(f"{name} must be {kind} {bound} ({unit}); got {value!r}")
    return v


def _fraction(value, name: str, *, zero: bool = True) -> float:
    v = _number(value, name, "a fraction between 0 and 1", zero=zero)
    if v > 1:
        raise ValueError(f"{name} must be a fraction between 0 and 1; got {value!r}")
    return v


def _array(x, name: str, unit: str, *, zero: bool = True, inf: bool = False) -> np.ndarray:
    """A float array whose every element is ≥ 0 (> 0 without ``zero``), finite unless ``inf``."""
    try:
        a = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers ({unit}); got {x!r}") from None
    bad = np.isnan(a) | (a < 0) | (False if zero else a == 0) | (False if inf else np.isinf(a))
    if np.any(bad):
        bound = "≥ 0" if zero else "> 0"
        raise ValueError(f"{name} must be {'' if inf else 'finite '}numbers {bound} ({unit}); "
                         f"got {x!r}")
    return a


# ======================================================================================
# Part 1 – radioimmunoconjugates
# ======================================================================================

@dataclass(frozen=True)
class Radionuclide:
    """Decay data of one radionuclide, from ICRP Publication 107.

    Attributes
    ----------
    name : str
        Nuclide, e.g. ``"Y-90"``.
    half_life_h : float
        Physical half-life, hours.
    mean_beta_energy_mev : float
        Mean energy of the β⁻ particles emitted per decay, MeV (Σ yield × mean energy
        over the β⁻ branches).
    electron_energy_mev : float
        Energy per decay carried by all electrons (β⁻ + internal-conversion + Auger),
        MeV: the non-penetrating radiation that stops within millimetres.
    photon_energy_mev : float
        Energy per decay carried by γ- and X-rays, MeV (mostly escapes a tumour).
    """

    name: str
    half_life_h: float
    mean_beta_energy_mev: float
    electron_energy_mev: float
    photon_energy_mev: float

    def __post_init__(self):
        _number(self.half_life_h, "half_life_h", "hours")
        _number(self.mean_beta_energy_mev, "mean_beta_energy_mev", "MeV per decay", zero=True)
        _number(self.electron_energy_mev, "electron_energy_mev", "MeV per decay", zero=True)
        _number(self.photon_energy_mev, "photon_energy_mev", "MeV per decay", zero=True)
        if self.electron_energy_mev < self.mean_beta_energy_mev:
            raise ValueError("electron_energy_mev includes the β energy, so it cannot be smaller "
                             "than mean_beta_energy_mev")

    @property
    def decay_constant_per_h(self) -> float:
        return LN2 / self.half_life_h


#: Radionuclides of radioimmunotherapy.  Source: ICRP (2008) Nuclear decay data for
#: dosimetric calculations, ICRP Publication 107, Ann ICRP 38(3) – the nuclide files of
#: its supplemental data as distributed in the ``icrp107-database`` package (0.0.3).
#: Energies are Σ(energy × yield) over the listed emissions, rounded to 4 significant
#: figures.  Half-lives: Y-90 64.1 h; I-131 8.0207 d; Lu-177 6.647 d.  Cross-checks
#: found in print: Lu-177 "β particles mean energy 133.3 keV", "total electron energy per
#: decay 147.9 keV" (EJNMMI Phys 2020, doi:10.1186/s40658-020-00301-2, Table 1) and "total
#: β⁻ energy 133 keV/nt", half-life 6.65 d (Falzone et al. 2015 J Nucl Med, reproduced in
#: Front Pharmacol 2018 9:996, doi:10.3389/fphar.2018.00996, Table 1).
RADIONUCLIDES: dict[str, Radionuclide] = {
    "Y-90": Radionuclide("Y-90", 64.1, 0.9329, 0.9331, 0.0),
    "I-131": Radionuclide("I-131", 8.0207 * 24.0, 0.1819, 0.1918, 0.3828),
    "Lu-177": Radionuclide("Lu-177", 6.647 * 24.0, 0.1333, 0.1479, 0.03510),
}

#: The two radioimmunoconjugates approved in the USA, both anti-CD20 antibodies for
#: B-cell non-Hodgkin lymphoma: Dillman RO (2006) Radioimmunotherapy of B-cell lymphoma
#: with radiolabelled anti-CD20 monoclonal antibodies. Clin Exp Med 6:1-12,
#: doi:10.1007/s10238-006-0087-6 ("Y-90 ibritumomab tiuxetan (Zevalin) and I-131
#: tositumomab (Bexxar)"; "Dose-limiting toxicity for both ... is reversible bone marrow
#: suppression").  Zevalin's first US approval, 2002: its US prescribing information
#: ("Initial U.S. Approval: 2002").  Bexxar's approval year is not given here: it could
#: not be checked against a primary text.
APPROVED_RADIOIMMUNOCONJUGATES = {
    "Zevalin": {"conjugate": "yttrium-90 ibritumomab tiuxetan", "radionuclide": "Y-90",
                "target": "CD20", "antibody": "ibritumomab", "us_approval_year": 2002},
    "Bexxar": {"conjugate": "iodine-131 tositumomab", "radionuclide": "I-131",
               "target": "CD20", "antibody": "tositumomab", "us_approval_year": None},
}

#: Zevalin US prescribing information (highlights): "administer 0.4 mCi/kg (14.8 MBq per
#: kg) Y-90 Zevalin" (platelets ≥ 150,000/mm³); "Do not exceed 32 mCi (1184 MBq)".
ZEVALIN_ACTIVITY_MBQ_PER_KG = 14.8
ZEVALIN_MAX_ACTIVITY_MBQ = 1184.0

#: Zevalin Swiss product information (Fachinformation, Pharmakokinetik): after 250 mg/m²
#: rituximab and 14.8 MBq/kg ⁹⁰Y-Zevalin, "Die mittlere effektive Halbwertszeit von
#: Yttrium-90-markiertem Zevalin im Serum liegt dabei bei 28 Std." – the average
#: effective half-life in serum, 28 h.
ZEVALIN_SERUM_EFFECTIVE_HALF_LIFE_H = 28.0

#: Same source: average estimated absorbed doses (cGy) at 14.8 MBq/kg, normal organs and
#: tumour ("Die mittlere geschätzte Strahlendosis an Tumorgewebe lag bei 1480 cGy").
ZEVALIN_ABSORBED_DOSE_CGY = {
    "tumour": 1480.0, "spleen": 742.0, "liver": 450.0, "lungs": 211.0, "urinary bladder wall": 87.0,
    "red marrow": 62.0, "bone surfaces": 54.0, "thyroid": 40.0, "kidneys": 23.0,
}


@dataclass(frozen=True)
class TissueKinetics:
    """How a radiolabelled antibody enters and leaves one tissue (tumour or organ).

    There are no defaults: residence times differ between antibodies, tissues and
    patients, and the lesson sets them.  :func:`biological_half_life` turns a measured
    effective half-life (e.g. :data:`ZEVALIN_SERUM_EFFECTIVE_HALF_LIFE_H`) into one.

    Attributes
    ----------
    uptake_fraction : float
        Fraction :math:`f` of the administered antibody that the tissue would hold if
        nothing left it (dimensionless, 0–1).
    biological_half_life_h : float
        Half-time of biological clearance from the tissue, hours (``math.inf`` = kept
        for ever).
    mass_g : float
        Tissue mass, grams.
    uptake_half_time_h : float
        Half-time of the uptake phase, hours; 0 (default) = instantaneous uptake.
    absorbed_fraction : float
        Fraction :math:`\\phi` of the electron energy absorbed in the tissue itself
        (default 1: β range ≪ tissue size).
    """

    uptake_fraction: float
    biological_half_life_h: float
    mass_g: float
    uptake_half_time_h: float = 0.0
    absorbed_fraction: float = 1.0

    def __post_init__(self):
        _fraction(self.uptake_fraction, "uptake_fraction")
        _number(self.biological_half_life_h, "biological_half_life_h", "hours", inf=True)
        _number(self.mass_g, "mass_g", "grams")
        _number(self.uptake_half_time_h, "uptake_half_time_h", "hours; 0 = instantaneous", zero=True)
        _fraction(self.absorbed_fraction, "absorbed_fraction")


def _half_lives(x, name: str) -> np.ndarray:
    return _array(x, name, "hours, > 0; math.inf allowed", zero=False, inf=True)


def effective_half_life(physical_half_life_h, biological_half_life_h):
    r"""Effective half-life, :math:`1/T_\mathrm{eff} = 1/T_\mathrm{phys} + 1/T_\mathrm{bio}` (hours).

    Vectorised; either argument may be ``inf`` (then the other one is returned).
    """
    tp = _half_lives(physical_half_life_h, "physical half-life")
    tb = _half_lives(biological_half_life_h, "biological half-life")
    return 1.0 / (1.0 / tp + 1.0 / tb)


def biological_half_life(effective_half_life_h, physical_half_life_h):
    r"""Biological half-life implied by a measured effective one,
    :math:`T_\mathrm{bio} = 1/(1/T_\mathrm{eff} - 1/T_\mathrm{phys})` (hours)."""
    te = _half_lives(effective_half_life_h, "effective half-life")
    tp = _half_lives(physical_half_life_h, "physical half-life")
    if np.any(te > tp):
        raise ValueError("an effective half-life cannot be longer than the physical half-life")
    with np.errstate(divide="ignore"):
        return 1.0 / (1.0 / te - 1.0 / tp)


def _phi(y):
    """(1 − e^{−y})/y, = 1 at y = 0, stable for small y (y ≥ 0)."""
    y = np.asarray(y, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = -np.expm1(-y) / y
    return np.where(y == 0, 1.0, out)


def _h(x, tau):
    """∫₀^τ e^{−x t} dt = (1 − e^{−xτ})/x for x ≥ 0, τ ≤ ∞."""
    x = np.asarray(x, dtype=float)
    tau = np.asarray(tau, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        finite = tau * _phi(x * np.where(np.isinf(tau), 0.0, tau))
        infinite = 1.0 / x
    return np.where(np.isinf(tau), infinite, finite)


def _bateman_integral(a, b, tau):
    """∫₀^τ (e^{−a t} − e^{−b t})/(b − a) dt, continuous through a = b (a, b ≥ 0)."""
    a, b, tau = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (a, b, tau)))
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    mid = 0.5 * (lo + hi)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        gap = (_h(lo, tau) - _h(hi, tau)) / (hi - lo)
        # −dh/dx at the midpoint: (1 − e^{−xτ} − xτ e^{−xτ})/x², or 1/x² for τ = ∞
        xt = mid * np.where(np.isinf(tau), 0.0, tau)
        deriv_finite = np.where(xt < 1e-6, 0.5 * tau ** 2,
                                (-np.expm1(-xt) - xt * np.exp(-xt)) / mid ** 2)
        deriv = np.where(np.isinf(tau), 1.0 / mid ** 2, deriv_finite)
    close = (hi - lo) <= 1e-4 * np.maximum(hi, 1e-300)
    return np.where(close, deriv, gap)


def _rates(physical_half_life_h, biological_half_life_h, uptake_half_time_h):
    tp = _half_lives(physical_half_life_h, "physical half-life")
    tb = _half_lives(biological_half_life_h, "biological half-life")
    tu = _array(uptake_half_time_h, "uptake half-time", "hours, ≥ 0 (0 = instantaneous)")
    lp, lb = LN2 / tp, LN2 / tb
    with np.errstate(divide="ignore"):
        lu = np.where(tu == 0, np.inf, LN2 / np.where(tu == 0, 1.0, tu))
    return lp, lb, lu


def time_integrated_activity_coefficient(physical_half_life_h, biological_half_life_h,
                                         uptake_half_time_h=0.0, uptake_fraction=1.0,
                                         until_h=math.inf):
    r"""Decays in the tissue per unit administered activity, :math:`\tilde a = \tilde A/A_0` (hours).

    MIRD's "time-integrated activity coefficient" (formerly "residence time"):

    .. math::

        \tilde a(\tau) = f\,\lambda_u \int_0^\tau
            \frac{e^{-(\lambda_b+\lambda_p)t} - e^{-(\lambda_u+\lambda_p)t}}{\lambda_u - \lambda_b}\,dt
        \;\xrightarrow{\tau\to\infty}\;
        \frac{f\,\lambda_u}{(\lambda_b+\lambda_p)(\lambda_u+\lambda_p)},

    and :math:`f\,(1 - e^{-\lambda_\mathrm{eff}\tau})/\lambda_\mathrm{eff}` for instant
    uptake.  All arguments broadcast, so a whole curve against the physical half-life is
    one call.
    """
    lp, lb, lu = _rates(physical_half_life_h, biological_half_life_h, uptake_half_time_h)
    f = _array(uptake_fraction, "uptake fraction", "0–1")
    if np.any(f > 1):
        raise ValueError("uptake fraction must be between 0 and 1")
    tau = _array(until_h, "integration time", "hours, ≥ 0; math.inf = complete decay", inf=True)
    a = lb + lp
    instant = f * _h(a, tau)
    b = np.where(np.isinf(lu), 0.0, lu) + lp
    with np.errstate(invalid="ignore"):
        slow = f * np.where(np.isinf(lu), 0.0, lu) * _bateman_integral(a, b, tau)
    return np.where(np.isinf(lu), instant, slow)


def activity(t_h, administered_mbq: float, nuclide: Radionuclide, kinetics: TissueKinetics):
    r"""Activity in the tissue (MBq) at times ``t_h`` (hours after injection).

    :math:`A(t) = A_0 f\,g(t)\,e^{-\lambda_p t}`, with :math:`g = e^{-\lambda_b t}` for instant
    uptake and the Bateman form :math:`\lambda_u(e^{-\lambda_b t}-e^{-\lambda_u t})/(\lambda_u-\lambda_b)`
    otherwise.
    """
    t = _array(t_h, "times", "hours after injection, ≥ 0")
    a0 = _number(administered_mbq, "administered activity", "MBq", zero=True)
    lp, lb, lu = _rates(nuclide.half_life_h, kinetics.biological_half_life_h,
                        kinetics.uptake_half_time_h)
    if np.isinf(lu):
        retained = np.exp(-lb * t)
    else:
        lo, d = np.minimum(lb, lu), np.abs(lu - lb)
        retained = lu * np.exp(-lo * t) * t * _phi(d * t)
    return a0 * kinetics.uptake_fraction * retained * np.exp(-lp * t)


def cumulated_activity(administered_mbq: float, nuclide: Radionuclide, kinetics: TissueKinetics,
                       until_h=math.inf):
    """Time-integrated ("cumulated") activity in the tissue, MBq·h (1 MBq·h = 3.6×10⁹ decays)."""
    a0 = _number(administered_mbq, "administered activity", "MBq", zero=True)
    return a0 * time_integrated_activity_coefficient(
        nuclide.half_life_h, kinetics.biological_half_life_h, kinetics.uptake_half_time_h,
        kinetics.uptake_fraction, until_h)


def fraction_of_decays_in_tissue(physical_half_life_h, biological_half_life_h,
                                 uptake_half_time_h=0.0, uptake_fraction=1.0):
    r"""Of all labelled atoms injected, the fraction that decays inside the tissue,
    :math:`\lambda_p\tilde a(\infty)`.  Vectorised; see :func:`best_physical_half_life`."""
    lp, _, _ = _rates(physical_half_life_h, biological_half_life_h, uptake_half_time_h)
    return lp * time_integrated_activity_coefficient(
        physical_half_life_h, biological_half_life_h, uptake_half_time_h, uptake_fraction)


def best_physical_half_life(uptake_half_time_h, biological_half_life_h):
    r"""Physical half-life that maximises :func:`fraction_of_decays_in_tissue`:
    :math:`\sqrt{T_\mathrm{up}T_\mathrm{bio}}` (hours).

    Setting :math:`d/d\lambda_p` of :math:`\lambda_p\lambda_u/((\lambda_b+\lambda_p)(\lambda_u+\lambda_p))`
    to zero gives :math:`\lambda_p^2 = \lambda_u\lambda_b`.
    """
    tu = _array(uptake_half_time_h, "uptake half-time", "hours, > 0", zero=False)
    tb = _array(biological_half_life_h, "biological half-life", "hours, > 0", zero=False)
    return np.sqrt(tu * tb)


def absorbed_dose_gy(administered_mbq: float, nuclide: Radionuclide, kinetics: TissueKinetics,
                     until_h=math.inf):
    r"""Mean absorbed dose to the tissue from its own activity (Gy), MIRD schema.

    .. math::

        D = \tilde A\cdot\frac{\phi\,\bar E_e}{m},

    with :math:`\tilde A` in decays (MBq·h × 3.6×10⁹), :math:`\bar E_e` the electron
    energy per decay (:attr:`Radionuclide.electron_energy_mev`, converted to joules),
    :math:`\phi` the absorbed fraction and :math:`m` the tissue mass in kg.  Photons and
    cross-irradiation from other organs are left out.
    """
    decays = cumulated_activity(administered_mbq, nuclide, kinetics, until_h) * 1e6 * 3600.0
    energy_j = kinetics.absorbed_fraction * nuclide.electron_energy_mev * MEV_TO_J
    return decays * energy_j / (kinetics.mass_g * 1e-3)


def radionuclide_table() -> list[dict]:
    """The radionuclide table as rows (name, half-life in h and d, energies in MeV)."""
    return [{"nuclide": r.name, "half_life_h": r.half_life_h, "half_life_d": r.half_life_h / 24.0,
             "mean_beta_energy_mev": r.mean_beta_energy_mev,
             "electron_energy_mev": r.electron_energy_mev, "photon_energy_mev": r.photon_energy_mev,
             "source": "ICRP Publication 107 (2008)"} for r in RADIONUCLIDES.values()]


# ======================================================================================
# Part 2 – antibody–drug conjugates
# ======================================================================================

#: Shah DK, Haddish-Berhane N, Betts A (2012) Bench to bedside translation of antibody
#: drug conjugates using a multiscale mechanistic PK/PD model: a case study with
#: brentuximab-vedotin. J Pharmacokinet Pharmacodyn 39:643-659,
#: doi:10.1007/s10928-012-9276-y.  Table 2 and text:
#: in vitro, "5 × 10⁵ cancer cells/ml" and "a single cell volume of one picoliter";
#: total CD30 "0.49 (L540cy), 0.24 (Karpas299)" nM in culture, "976 (L540cy), 483
#: (Karpas299)" nM in xenografts, "166" nM in patients ("Calculated from [21]").
SHAH_IN_VITRO_CELLS_PER_ML = 5e5
SHAH_IN_VITRO_ANTIGEN_NM = {"L540cy": 0.49, "Karpas299": 0.24}
SHAH_XENOGRAFT_ANTIGEN_NM = {"L540cy": 976.0, "Karpas299": 483.0}
SHAH_PATIENT_ANTIGEN_NM = 166.0
#: Same Table 2: kon "6.22" 1/nM/day (assumed from ref 36), koff "12.5" 1/day "Based on
#: Kd of 2 nM"; mouse deconjugation kdis "0.12" 1/day ("dissociation half life of MMAE
#: ~6 days").
SHAH_KON_PER_NM_PER_DAY = 6.22
SHAH_KOFF_PER_DAY = 12.5
SHAH_MOUSE_DECONJUGATION_PER_DAY = 0.12

#: ADCETRIS (brentuximab vedotin) US prescribing information: "The recommended dose as
#: monotherapy is 1.8 mg/kg up to a maximum of 180 mg every 3 weeks".
BRENTUXIMAB_VEDOTIN_DOSE_MG_PER_KG = 1.8

#: Trastuzumab emtansine (KADCYLA): "average of 3.5 DM1 molecules per antibody", the US
#: label's wording as quoted by a third party; the label itself was not read here.
T_DM1_DAR = 3.5


@dataclass(frozen=True)
class ADCParams:
    """Parameters of the ADC model: brentuximab vedotin (anti-CD30–vc–MMAE) in patients.

    Sources: Shah, Haddish-Berhane & Betts 2012 (Table 2), unless stated.

    Attributes
    ----------
    clearance_l_per_day_per_kg : float
        Linear plasma clearance of the ADC, L/day/kg.  0.025 (Table 2, step 6: clinical PK).
    central_volume_l_per_kg : float
        Central volume :math:`V_1`, L/kg.  0.054 (step 6).
    distribution_clearance_l_per_day_per_kg : float
        Inter-compartmental clearance, L/day/kg.  0.036 (step 6).
    peripheral_volume_l_per_kg : float
        Peripheral volume :math:`V_2`, L/kg.  0.1 (step 6).
    deconjugation_per_day : float
        First-order loss of payload from the antibody, :math:`k_\\mathrm{dis}`, 1/day.
        0.072 in human plasma (step 6, "Derived from [5]").
    dar : float
        Drug-to-antibody ratio at injection, :math:`\\mathrm{DAR}_0` (payloads per
        antibody).  4.4 (step 1, "From [8]": Okeley et al. 2010).
    molecular_weight_g_per_mol : float
        Mass of one ADC, g/mol, to turn mg/kg into nmol/kg.  150,000: the usual round
        figure for an IgG – an assumption, not a value from Shah et al.
    permeability_um_per_day : float
        Capillary permeability of the ADC, :math:`P`, µm/day.  334 (step 4,
        "http://tumormodel.org").
    diffusivity_cm2_per_day : float
        Diffusion coefficient, :math:`D`, cm²/day, for exchange across the tumour surface.
        0.022 (step 4).
    void_fraction : float
        Tumour void volume accessible to the ADC, :math:`\\varepsilon`.  0.24 (step 4).
    capillary_radius_um : float
        :math:`R_\\mathrm{cap}`, µm.  8 (step 2, "From [10]": Schmidt & Wittrup 2009).
    krogh_radius_um : float
        :math:`R_\\mathrm{Krogh}`, µm: Shah's "average distance between two capillaries",
        the radius of tissue one capillary supplies.  75 (step 2, "From [10]").
    tumour_radius_cm : float
        Radius of the (spherical) tumour, cm.  1.0: "The initial tumor diameter was chosen
        to be 2 cm" for the clinical simulations (step 7).
    kd_nm : float
        ADC–antigen dissociation constant, nM.  koff/kon = 12.5/6.22 ≈ 2.0 ("Based on Kd
        of 2 nM").
    internalisation_per_day : float
        Internalisation rate of antigen-bound ADC, :math:`k_\\mathrm{int}`, 1/day.  0.61
        (step 1, "Derived from [37]").
    cells_per_ml : float
        Tumour cells per mL of tumour, to turn antigens per cell into nM.  10⁹: one
        picolitre per cell; with it Shah's in-vitro antigen concentrations (5 × 10⁵
        cells/mL) become their xenograft values (976 and 483 nM) to within 1 %.
    """

    clearance_l_per_day_per_kg: float = 0.025
    central_volume_l_per_kg: float = 0.054
    distribution_clearance_l_per_day_per_kg: float = 0.036
    peripheral_volume_l_per_kg: float = 0.1
    deconjugation_per_day: float = 0.072
    dar: float = 4.4
    molecular_weight_g_per_mol: float = 150_000.0
    permeability_um_per_day: float = 334.0
    diffusivity_cm2_per_day: float = 0.022
    void_fraction: float = 0.24
    capillary_radius_um: float = 8.0
    krogh_radius_um: float = 75.0
    tumour_radius_cm: float = 1.0
    kd_nm: float = SHAH_KOFF_PER_DAY / SHAH_KON_PER_NM_PER_DAY
    internalisation_per_day: float = 0.61
    cells_per_ml: float = 1e9

    def __post_init__(self):
        _number(self.clearance_l_per_day_per_kg, "clearance_l_per_day_per_kg", "L/day/kg")
        _number(self.central_volume_l_per_kg, "central_volume_l_per_kg", "L/kg")
        _number(self.distribution_clearance_l_per_day_per_kg, "distribution_clearance_l_per_day_per_kg",
                "L/day/kg", zero=True)
        _number(self.peripheral_volume_l_per_kg, "peripheral_volume_l_per_kg", "L/kg")
        _number(self.deconjugation_per_day, "deconjugation_per_day", "1/day", zero=True)
        _number(self.dar, "dar", "payloads per antibody")
        _number(self.molecular_weight_g_per_mol, "molecular_weight_g_per_mol", "g/mol")
        _number(self.permeability_um_per_day, "permeability_um_per_day", "µm/day", zero=True)
        _number(self.diffusivity_cm2_per_day, "diffusivity_cm2_per_day", "cm²/day", zero=True)
        _fraction(self.void_fraction, "void_fraction", zero=False)
        _number(self.capillary_radius_um, "capillary_radius_um", "µm")
        _number(self.krogh_radius_um, "krogh_radius_um", "µm")
        if self.krogh_radius_um <= self.capillary_radius_um:
            raise ValueError("krogh_radius_um must be larger than capillary_radius_um (the Krogh "
                             "cylinder surrounds the capillary)")
        _number(self.tumour_radius_cm, "tumour_radius_cm", "cm")
        _number(self.kd_nm, "kd_nm", "nM")
        _number(self.internalisation_per_day, "internalisation_per_day", "1/day", zero=True)
        _number(self.cells_per_ml, "cells_per_ml", "cells per mL of tumour")
        if self.exchange_rate_per_day == 0:
            raise ValueError("permeability and diffusivity cannot both be 0: nothing would reach "
                             "the tumour")

    # derived rates ----------------------------------------------------------------------
    @property
    def vascular_exchange_per_day(self) -> float:
        r""":math:`2PR_\mathrm{cap}/R_\mathrm{Krogh}^2`, 1/day."""
        return 2.0 * self.permeability_um_per_day * self.capillary_radius_um / self.krogh_radius_um ** 2

    @property
    def surface_exchange_per_day(self) -> float:
        r""":math:`6D/R_\mathrm{tumour}^2`, 1/day."""
        return 6.0 * self.diffusivity_cm2_per_day / self.tumour_radius_cm ** 2

    @property
    def exchange_rate_per_day(self) -> float:
        r""":math:`k_\mathrm{ex}`, the plasma ⇄ tumour exchange rate constant, 1/day."""
        return self.vascular_exchange_per_day + self.surface_exchange_per_day

    def plasma_exponents(self) -> tuple[np.ndarray, np.ndarray]:
        r"""(λ₁, λ₂) in 1/day and (c₁, c₂) with :math:`C_p = (D/V_1)\sum c_i e^{-\lambda_i t}`."""
        v1 = self.central_volume_l_per_kg
        k10 = self.clearance_l_per_day_per_kg / v1
        k12 = self.distribution_clearance_l_per_day_per_kg / v1
        k21 = self.distribution_clearance_l_per_day_per_kg / self.peripheral_volume_l_per_kg
        s = k10 + k12 + k21
        root = math.sqrt(s * s - 4.0 * k10 * k21)
        alpha, beta = 0.5 * (s + root), 0.5 * (s - root)
        if alpha == beta:  # no distribution (CLD = 0): one exponential
            return np.array([k10, k10]), np.array([1.0, 0.0])
        return np.array([alpha, beta]), np.array([(alpha - k21) / (alpha - beta),
                                                  (k21 - beta) / (alpha - beta)])


def antigen_concentration_nm(antigens_per_cell, cells_per_ml: float = 1e9):
    """Antigen per litre of tumour, nM = antigens/cell × cells/mL × 1000 mL/L ÷ N_A × 10⁹."""
    n = _array(antigens_per_cell, "antigens per cell", "molecules per cell, ≥ 0")
    c = _number(cells_per_ml, "cells_per_ml", "cells per mL")
    return n * c * 1e3 / AVOGADRO * 1e9


def dose_nmol_per_kg(dose_mg_per_kg, molecular_weight_g_per_mol: float = 150_000.0):
    """mg/kg of ADC → nmol/kg."""
    d = _array(dose_mg_per_kg, "dose", "mg/kg, ≥ 0")
    mw = _number(molecular_weight_g_per_mol, "molecular weight", "g/mol")
    return d * 1e6 / mw


def plasma_concentration_nm(params: ADCParams, t_days, dose_mg_per_kg):
    r"""Plasma ADC after an intravenous bolus, nM: :math:`C_p = (D/V_1)(c_1e^{-\lambda_1t} + c_2e^{-\lambda_2t})`.

    ``t_days`` and ``dose_mg_per_kg`` broadcast.
    """
    t = _array(t_days, "times", "days after the dose, ≥ 0")
    dose = dose_nmol_per_kg(dose_mg_per_kg, params.molecular_weight_g_per_mol)
    lam, c = params.plasma_exponents()
    shape = np.exp(-np.multiply.outer(t, lam)) @ c
    return dose / params.central_volume_l_per_kg * shape


def plasma_auc_nm_day(params: ADCParams, dose_mg_per_kg, days=math.inf):
    """Area under the plasma curve from 0 to ``days`` (nM·day); ``D/CL`` when ``days`` = ∞."""
    tau = _array(days, "time window", "days, ≥ 0; math.inf allowed", inf=True)
    dose = dose_nmol_per_kg(dose_mg_per_kg, params.molecular_weight_g_per_mol)
    lam, c = params.plasma_exponents()
    return dose / params.central_volume_l_per_kg * sum(ci * _h(li, tau) for li, ci in zip(lam, c))


def free_adc_nm(total_nm, antigen_nm, kd_nm: float):
    r"""Free ADC :math:`F` when binding is at equilibrium with total :math:`T = F + B` (nM).

    Root of :math:`F^2 + (Ag + K_d - T)F - K_dT = 0`, written so that it is accurate
    whether :math:`F` is a tiny or a large part of :math:`T`.
    """
    t = np.asarray(total_nm, dtype=float)
    ag = np.asarray(antigen_nm, dtype=float)
    b = ag + kd_nm - t
    disc = np.sqrt(b * b + 4.0 * kd_nm * np.maximum(t, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        small = 2.0 * kd_nm * t / (b + disc)
    return np.where(b > 0, small, 0.5 * (disc - b))


def _healthy_payload(params: ADCParams, dose_nmol, t):
    """Cumulative payload released outside the tumour, pmol/g, at times t (Shah Eq. 18)."""
    lam, c = params.plasma_exponents()
    kd = params.deconjugation_per_day
    v1 = params.central_volume_l_per_kg
    integral = sum(ci * _h(li + kd, t) for li, ci in zip(lam, c))  # ∫ e^{-kdis s} Cp/(D/V1) ds
    sink = params.clearance_l_per_day_per_kg + kd * v1
    return params.dar * sink * np.multiply.outer(dose_nmol / v1, integral)


def _integrate_tumour(params: ADCParams, dose_nmol, antigen_nm, t_eval):
    """Rapid-binding tumour model for every (dose, antigen) pair.

    ``dose_nmol`` and ``antigen_nm`` are 1-D of equal length N.  Returns three (N, len(t_eval))
    arrays: total ADC in the tumour T (nM), payload released in the tumour (pmol/g) and ADC
    internalised so far, ∫ k_int B dt (nM).
    """
    lam, c = params.plasma_exponents()
    scale = dose_nmol / params.central_volume_l_per_kg
    kex, eps = params.exchange_rate_per_day, params.void_fraction
    kint, kdis, kd, dar0 = (params.internalisation_per_day, params.deconjugation_per_day,
                            params.kd_nm, params.dar)
    n = dose_nmol.size

    def rhs(t, y):
        total = y[:n]
        cp = scale * (c[0] * math.exp(-lam[0] * t) + c[1] * math.exp(-lam[1] * t))
        free = free_adc_nm(total, antigen_nm, kd)
        bound = total - free
        d_total = kex * (eps * cp - free) - kint * bound
        d_payload = dar0 * math.exp(-kdis * t) * (kint * bound + kdis * total)
        return np.concatenate([d_total, d_payload, kint * bound])

    if float(t_eval[-1]) == 0:
        return tuple(np.zeros((n, t_eval.size)) for _ in range(3))
    atol = 1e-9 * max(1.0, float(np.max(scale, initial=0.0)))
    sol = solve_ivp(rhs, (0.0, float(t_eval[-1])), np.zeros(3 * n), method="RK45", t_eval=t_eval,
                    rtol=1e-7, atol=atol)
    if not sol.success:  # pragma: no cover - the system is smooth and non-stiff
        raise RuntimeError(f"ADC tumour integration failed: {sol.message}")
    return sol.y[:n], sol.y[n:2 * n], sol.y[2 * n:]


def uptake_limits(params: ADCParams, dose_mg_per_kg, antigens_per_cell, days: float = 21.0):
    r"""The two ceilings on tumour ADC uptake over ``days`` (nM), Thurber/Wittrup style.

    Returns ``(delivery, binding)``: everything that could extravasate,
    :math:`k_\mathrm{ex}\varepsilon\int_0^\tau C_p\,dt`, and everything the antigen could
    hold and internalise, :math:`Ag(1 + k_\mathrm{int}\tau)`.  ADC taken up (internalised
    plus still in the tumour) is below both; at low dose it approaches the first, at high
    dose the second.
    """
    tau = _number(days, "days", "days")
    delivery = (params.exchange_rate_per_day * params.void_fraction
                * plasma_auc_nm_day(params, dose_mg_per_kg, tau))
    ag = antigen_concentration_nm(antigens_per_cell, params.cells_per_ml)
    binding = ag * (1.0 + params.internalisation_per_day * tau)
    return np.broadcast_arrays(delivery, binding)


@dataclass(frozen=True)
class ADCSimulation:
    """Time courses after one bolus of ADC.

    Times in days; ADC in nM (per litre of plasma or of tumour); payloads cumulative, in pmol
    per g of tissue; ``internalised_nm`` is the ADC internalised so far, ∫ k_int B dt (nM);
    ``dar`` the mean drug-to-antibody ratio of circulating ADC.
    """

    t_days: np.ndarray
    plasma_nm: np.ndarray
    tumour_total_nm: np.ndarray
    tumour_bound_nm: np.ndarray
    antigen_nm: float
    tumour_payload_pmol_per_g: np.ndarray
    healthy_payload_pmol_per_g: np.ndarray
    dar: np.ndarray
    internalised_nm: np.ndarray

    @property
    def occupancy(self) -> np.ndarray:
        """Fraction of the tumour's antigen bound by ADC."""
        if self.antigen_nm == 0:
            return np.zeros_like(self.tumour_bound_nm)
        return self.tumour_bound_nm / self.antigen_nm


def _window(days, n_points):
    tau = _number(days, "days", "days")
    if isinstance(n_points, bool) or not isinstance(n_points, numbers.Integral) or n_points < 2:
        raise ValueError(f"n_points must be a whole number ≥ 2; got {n_points!r}")
    return tau, np.linspace(0.0, tau, int(n_points))


def simulate_adc(params: ADCParams, dose_mg_per_kg: float, antigens_per_cell: float,
                 days: float = 21.0, n_points: int = 200) -> ADCSimulation:
    """Plasma, tumour ADC and cumulative payload in tumour and healthy tissue for one dose."""
    dose = dose_nmol_per_kg(_number(dose_mg_per_kg, "dose", "mg/kg", zero=True),
                            params.molecular_weight_g_per_mol)
    ag = antigen_concentration_nm(_number(antigens_per_cell, "antigens per cell",
                                          "molecules per cell", zero=True), params.cells_per_ml)
    _, t = _window(days, n_points)
    total, payload, internalised = (x[0] for x in _integrate_tumour(
        params, np.atleast_1d(dose), np.atleast_1d(ag), t))
    bound = total - free_adc_nm(total, ag, params.kd_nm)
    return ADCSimulation(
        t_days=t,
        plasma_nm=plasma_concentration_nm(params, t, dose_mg_per_kg),
        tumour_total_nm=total,
        tumour_bound_nm=bound,
        antigen_nm=float(ag),
        tumour_payload_pmol_per_g=payload,
        healthy_payload_pmol_per_g=_healthy_payload(params, np.asarray(dose), t),
        dar=params.dar * np.exp(-params.deconjugation_per_day * t),
        internalised_nm=internalised,
    )


@dataclass(frozen=True)
class PayloadDelivery:
    """Payload delivered over a window, on the broadcast grid of doses × antigen densities.

    Attributes
    ----------
    dose_mg_per_kg, antigens_per_cell : numpy.ndarray
        The inputs, broadcast against each other.
    days : float
        The window after the dose, days.
    tumour_pmol_per_g : numpy.ndarray
        Payload released in the tumour (pmol per g of tumour = nmol/kg).
    healthy_pmol_per_g : numpy.ndarray
        Payload released in the rest of the body, per g (body average).
    injected_pmol_per_g : numpy.ndarray
        Payload injected per g of body weight, DAR₀ × dose (nmol/kg).
    peak_occupancy : numpy.ndarray
        Largest fraction of tumour antigen bound during the window (0 where there is no
        antigen).
    """

    dose_mg_per_kg: np.ndarray
    antigens_per_cell: np.ndarray
    days: float
    tumour_pmol_per_g: np.ndarray
    healthy_pmol_per_g: np.ndarray
    injected_pmol_per_g: np.ndarray
    peak_occupancy: np.ndarray

    @property
    def tumour_to_healthy(self) -> np.ndarray:
        """Payload per gram of tumour ÷ per gram of healthy tissue (nan at zero dose)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.tumour_pmol_per_g / self.healthy_pmol_per_g

    @property
    def tumour_enrichment(self) -> np.ndarray:
        """Tumour payload per gram ÷ payload injected per gram of body (dimensionless)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.tumour_pmol_per_g / self.injected_pmol_per_g

    def percent_injected_dose_per_g(self, body_weight_kg: float = 70.0) -> np.ndarray:
        """Tumour payload as % of the injected payload per gram of tumour (%ID/g)."""
        w = _number(body_weight_kg, "body_weight_kg", "kg")
        return 100.0 * self.tumour_enrichment / (w * 1e3)


def payload_delivery(params: ADCParams, dose_mg_per_kg, antigens_per_cell,
                     days: float = 21.0) -> PayloadDelivery:
    """Payload in tumour and healthy tissue after ``days``, for every dose × antigen density.

    ``dose_mg_per_kg`` and ``antigens_per_cell`` broadcast (e.g. a column and a row give a
    grid); all tumours are integrated together, so a 40 × 40 grid is one ODE solve.
    """
    doses = _array(dose_mg_per_kg, "dose", "mg/kg, ≥ 0")
    antigens = _array(antigens_per_cell, "antigens per cell", "molecules per cell, ≥ 0")
    doses, antigens = np.broadcast_arrays(doses, antigens)
    tau, t = _window(days, 41)
    dose_nmol = dose_nmol_per_kg(doses, params.molecular_weight_g_per_mol).ravel()
    ag = antigen_concentration_nm(antigens, params.cells_per_ml).ravel()
    total, payload, _ = _integrate_tumour(params, dose_nmol, ag, t)
    bound = total - free_adc_nm(total, ag[:, None], params.kd_nm)
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.where(ag[:, None] > 0, bound / ag[:, None], 0.0).max(axis=1)
    healthy = _healthy_payload(params, dose_nmol, np.array([tau]))[:, 0]
    shape = doses.shape
    return PayloadDelivery(
        dose_mg_per_kg=doses.copy(), antigens_per_cell=antigens.copy(), days=tau,
        tumour_pmol_per_g=payload[:, -1].reshape(shape),
        healthy_pmol_per_g=healthy.reshape(shape),
        injected_pmol_per_g=(params.dar * dose_nmol).reshape(shape),
        peak_occupancy=occ.reshape(shape),
    )
