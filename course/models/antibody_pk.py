r"""Therapeutic antibodies in the blood: unit conversion, receptor occupancy, linear
two-compartment kinetics and target-mediated drug disposition.

This module is the shared pharmacology core of the lessons on immune checkpoints and on
monoclonal antibodies.  It has four parts.

**1. Units.**  Antibody levels are reported in µg/mL (= mg/L); binding constants in molar
units.  With the molecular weight :math:`M` (g/mol) of the antibody

.. math::

    C\,[\mathrm{nM}] = C\,[\mu\mathrm{g/mL}] \times \frac{10^6}{M},

so 1 µg/mL of pembrolizumab (about 149 kDa) is about 6.7 nM.

**2. Receptor occupancy.**  By the law of mass action, a receptor with dissociation
constant :math:`K_d` exposed to free antibody at concentration :math:`C` is bound to the
fraction

.. math::

    f = \frac{C}{C + K_d}, \qquad C_f = K_d\,\frac{f}{1 - f}

at equilibrium (:math:`C_f` is the concentration needed for occupancy :math:`f`).  This
assumes that the antibody is in large excess over its receptor, so binding does not
deplete the free antibody (:math:`C \approx C_\mathrm{total}`), that binding is at
equilibrium, and that one binding site behaves independently of the other (an IgG is
bivalent; cell-surface avidity makes the effective :math:`K_d` smaller).  Published
:math:`K_d` values of the same antibody differ several-fold with the method (surface
plasmon resonance on recombinant protein, binding to cells, solution assays), which is
why :data:`BINDING_AFFINITIES` records the assay and the source with every number.

**3. Linear two-compartment pharmacokinetics.**  At clinical doses the anti-PD-1
antibodies pembrolizumab and nivolumab follow linear kinetics (Ahamadi et al. 2017;
Bajaj et al. 2017).  With central volume :math:`V_1`, peripheral volume :math:`V_2`,
clearance :math:`CL` and intercompartmental clearance :math:`Q` the micro-constants are
:math:`k_{10} = CL/V_1`, :math:`k_{12} = Q/V_1`, :math:`k_{21} = Q/V_2`, and the
response to a bolus :math:`D` is bi-exponential,

.. math::

    C(t) = D\,(A\,e^{-\alpha t} + B\,e^{-\beta t}),\quad
    \alpha,\beta = \tfrac12\Big(k_{10}+k_{12}+k_{21} \pm
        \sqrt{(k_{10}+k_{12}+k_{21})^2 - 4 k_{10}k_{21}}\Big),\quad
    A = \frac{\alpha - k_{21}}{V_1(\alpha - \beta)},\;
    B = \frac{k_{21} - \beta}{V_1(\alpha - \beta)}.

The terminal half-life is :math:`\ln 2/\beta`.  A zero-order infusion of :math:`D` over
:math:`T` contributes, for each exponential :math:`c\,e^{-\lambda t}` and with
:math:`u = \min(s, T)`, :math:`v = s - u` at time :math:`s` after the start,

.. math::

    D\,c\,\frac{1 - e^{-\lambda u}}{\lambda T}\,e^{-\lambda v},

and a regimen is the sum of such terms (superposition); no ODE solver is needed.  Doses
repeated every :math:`\tau` accumulate: at steady state each exponential is multiplied by
:math:`1/(1 - e^{-\lambda \tau})`, and the area under the curve over one interval equals
:math:`D/CL` whatever :math:`\tau`.

**4. Target-mediated drug disposition (TMDD), quasi-steady-state form.**  When an
antibody binds a target that is internalised and degraded, binding is itself a route of
elimination, saturable because the target is limited (Mager & Jusko 2001).  In the
quasi-steady-state (QSS) approximation of Gibiansky et al. (2008) binding is fast
compared with the other processes, so free drug :math:`C`, free target :math:`R` and
complex :math:`RC` satisfy :math:`C\,R = K_{SS}\,RC` at every instant, with
:math:`K_{SS} = (k_\mathrm{off} + k_\mathrm{int})/k_\mathrm{on}`.  The state is the total
drug amount in the central compartment :math:`A_\mathrm{tot}`, the peripheral amount
:math:`A_p` (free drug only) and the total target concentration
:math:`R_\mathrm{tot} = R + RC`:

.. math::

    \frac{dA_\mathrm{tot}}{dt} &= \mathrm{In}(t) - (CL + Q)\,C + \frac{Q}{V_p}A_p
        - k_\mathrm{int}\,RC\,V_c, \\
    \frac{dA_p}{dt} &= Q\,C - \frac{Q}{V_p}A_p, \\
    \frac{dR_\mathrm{tot}}{dt} &= k_\mathrm{syn} - k_\mathrm{deg} R_\mathrm{tot}
        - (k_\mathrm{int} - k_\mathrm{deg})\,RC,

where, with :math:`C_\mathrm{tot} = A_\mathrm{tot}/V_c` and
:math:`b = C_\mathrm{tot} - R_\mathrm{tot} - K_{SS}`,

.. math::

    C = \tfrac12\Big(b + \sqrt{b^2 + 4 K_{SS} C_\mathrm{tot}}\Big), \qquad
    RC = \frac{R_\mathrm{tot}\,C}{K_{SS} + C}.

At high concentration the target is saturated, the target-mediated route is a constant
small flux, and the free drug follows the linear model; at low concentration that route
adds the first-order rate :math:`k_\mathrm{int}R_\mathrm{tot}/K_{SS}` and the drug
disappears faster.  Stein & Peletier (2018) showed that the switch happens around the
critical concentration :math:`C_\mathrm{crit} = V_\mathrm{max}/CL` with
:math:`V_\mathrm{max} = k_\mathrm{int}R_\mathrm{tot}V_c` (= :math:`k_\mathrm{syn}V_c/CL`
when :math:`k_\mathrm{int} = k_\mathrm{deg}`, as in their fits).  Target occupancy is
:math:`RC/R_\mathrm{tot} = C/(K_{SS} + C)`.  For comparison,
:func:`simulate_full_tmdd` integrates the full model with explicit binding.

Units: mg, L, day and µg/mL (= mg/L) in the linear model; nmol, L, day and nM in the
TMDD model.  Every function is pure: no plotting, no widgets, no printing.

References
----------
Ahamadi M et al. (2017) CPT Pharmacometrics Syst Pharmacol 6:49-57, doi:10.1002/psp4.12139.
Bajaj G et al. (2017) CPT Pharmacometrics Syst Pharmacol 6:58-66, doi:10.1002/psp4.12143.
Freshwater T et al. (2017) J Immunother Cancer 5:43, doi:10.1186/s40425-017-0242-5.
Gibiansky L, Gibiansky E, Kakkar T, Ma P (2008) J Pharmacokinet Pharmacodyn 35:573-591,
doi:10.1007/s10928-008-9102-8.
Mager DE, Jusko WJ (2001) J Pharmacokinet Pharmacodyn 28:507-532, doi:10.1023/A:1014414520282.
Stein AM, Peletier LA (2018) CPT Pharmacometrics Syst Pharmacol 7:670-677, doi:10.1002/psp4.12316.
KEYTRUDA (pembrolizumab) and OPDIVO (nivolumab) US prescribing information, section 12.3.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from numbers import Integral

import numpy as np
from scipy.integrate import solve_ivp

from course.models import linear_kinetics

# --------------------------------------------------------------------------------------
# Published numbers
# --------------------------------------------------------------------------------------

#: KEYTRUDA (pembrolizumab) US prescribing information, Description: a humanized IgG4
#: kappa antibody with "an approximate molecular weight of 149 kDa".
PEMBROLIZUMAB_MW_G_PER_MOL = 149_000.0
#: OPDIVO (nivolumab) US prescribing information, Description: "an IgG4 kappa
#: immunoglobulin that has a calculated molecular mass of 146 kDa".
NIVOLUMAB_MW_G_PER_MOL = 146_000.0
#: Stein & Peletier (2018) convert doses with "a 150 kDa antibody"; used for their fits.
GENERIC_IGG_MW_G_PER_MOL = 150_000.0

#: Both labels: "administered as an intravenous infusion over 30 minutes".
INFUSION_30_MIN_DAYS = 30.0 / (24.0 * 60.0)

#: KEYTRUDA label, Clinical Pharmacology 12.3 (population PK of 2993 patients):
#: "Pembrolizumab clearance (CV%) is approximately 23% lower [geometric mean, 195 mL/day
#: (40%)] at steady state than that after the first dose [252 mL/day (37%)]";
#: "volume of distribution at steady state is 6.0 L (20%) and for terminal half-life
#: (t1/2) is 22 days (32%)"; "Steady-state concentrations of pembrolizumab were reached
#: by 16 weeks of repeated dosing with an every 3-week regimen and the systemic
#: accumulation was 2.1-fold."
KEYTRUDA_LABEL_CL_STEADY_STATE_L_PER_DAY = 0.195
KEYTRUDA_LABEL_CL_FIRST_DOSE_L_PER_DAY = 0.252
KEYTRUDA_LABEL_VSS_L = 6.0
KEYTRUDA_LABEL_T_HALF_DAYS = 22.0
KEYTRUDA_LABEL_ACCUMULATION_Q3W = 2.1
KEYTRUDA_LABEL_WEEKS_TO_STEADY_STATE = 16.0

#: Freshwater T et al. (2017) J Immunother Cancer 5:43 (abstract): "Mean (% CV, n)
#: AUCss, 6-weeks was 1.87 (37%, 830), 1.38 (38%, 760) and 7.63 (35%, 1405) mg*day/mL in
#: patients receiving 200 mg, 2 mg/kg and 10 mg/kg Q3W pembrolizumab."  Individual
#: post-hoc exposures from the Ahamadi model; converted here to mg·day/L.
FRESHWATER_AUC_SS_6W_200MG_Q3W_MG_DAY_PER_L = 1870.0
FRESHWATER_AUC_SS_6W_2MGKG_Q3W_MG_DAY_PER_L = 1380.0
FRESHWATER_AUC_SS_6W_10MGKG_Q3W_MG_DAY_PER_L = 7630.0

#: OPDIVO label 12.3 (as quoted in Oncologist 2021;26:797, Table 1, PMC8417871): "The
#: geometric mean volume of distribution at steady state ... is 6.8 L (27.3%). The
#: geometric mean elimination half-life is 25 days (77.5%)"; "Steady-state
#: concentrations of nivolumab were reached by 12 weeks when administered at 3 mg/kg
#: every 2 weeks, and systemic accumulation was 3.7-fold."
OPDIVO_LABEL_VSS_L = 6.8
OPDIVO_LABEL_T_HALF_DAYS = 25.0
OPDIVO_LABEL_ACCUMULATION_3MGKG_Q2W = 3.7


# --------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------

def _is_number(x) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool)


def _check(name: str, value, *, low: float = 0.0, strict: bool = True, unit: str = "") -> float:
    """A finite real number above ``low`` (or at least ``low`` when not strict)."""
    ok = _is_number(value) and math.isfinite(value) and (value > low if strict else value >= low)
    if not ok:
        bound = f"> {low:g}" if strict else f"≥ {low:g}"
        unit_text = f" {unit}" if unit else ""
        raise ValueError(f"{name} must be a finite number{unit_text} {bound}, got {value!r}")
    return float(value)


def _finite_array(x, what: str) -> np.ndarray:
    try:
        a = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be numbers, got {x!r}") from None
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{what} must be finite numbers (got NaN or infinity)")
    return a


# --------------------------------------------------------------------------------------
# 1. Unit conversion
# --------------------------------------------------------------------------------------

def ug_per_ml_to_nm(c_ug_per_ml, molecular_weight_g_per_mol: float):
    r"""µg/mL (= mg/L) → nmol/L: :math:`C_\mathrm{nM} = C \cdot 10^6 / M`."""
    mw = _check("molecular weight", molecular_weight_g_per_mol, unit="g/mol")
    return _finite_array(c_ug_per_ml, "concentration") * (1e6 / mw)


def nm_to_ug_per_ml(c_nm, molecular_weight_g_per_mol: float):
    """nmol/L → µg/mL (inverse of :func:`ug_per_ml_to_nm`)."""
    mw = _check("molecular weight", molecular_weight_g_per_mol, unit="g/mol")
    return _finite_array(c_nm, "concentration") * (mw / 1e6)


def mg_to_nmol(amount_mg, molecular_weight_g_per_mol: float):
    """mg → nmol (1 mg of a 150 kDa antibody is 6.67 nmol)."""
    mw = _check("molecular weight", molecular_weight_g_per_mol, unit="g/mol")
    return _finite_array(amount_mg, "amount") * (1e6 / mw)


# --------------------------------------------------------------------------------------
# 2. Receptor occupancy and published affinities
# --------------------------------------------------------------------------------------

def occupancy(c_nm, kd_nm):
    r"""Equilibrium fraction of receptors bound, :math:`C/(C + K_d)` (both in nM).

    Law of mass action for a receptor in trace amount: the free antibody concentration
    is not depleted by binding (:math:`C \gg` receptor concentration).
    """
    c = _finite_array(c_nm, "concentration")
    kd = _finite_array(kd_nm, "Kd")
    if np.any(c < 0) or np.any(kd <= 0):
        raise ValueError("occupancy needs a concentration ≥ 0 and a Kd > 0 (both in nM)")
    return c / (c + kd)


def concentration_for_occupancy(fraction, kd_nm):
    r"""Free concentration (nM) giving occupancy :math:`f`: :math:`K_d\,f/(1 - f)`."""
    f = _finite_array(fraction, "occupancy")
    kd = _finite_array(kd_nm, "Kd")
    if np.any(f < 0) or np.any(f >= 1) or np.any(kd <= 0):
        raise ValueError("occupancy must lie in [0, 1) and Kd must be > 0 nM")
    return kd * f / (1.0 - f)


@dataclass(frozen=True)
class BindingAffinity:
    """One published dissociation constant of a therapeutic antibody for its target.

    Attributes
    ----------
    antibody : str
        International non-proprietary name.
    target : str
        Human target protein.
    kd_nm : float
        Equilibrium dissociation constant, nM.
    assay : str
        How it was measured (or "not stated" when the citing text gives no method).
    citation : str
        Authors, year, journal, volume:pages of the text the number was taken from.
    doi : str
        DOI of that text.
    verified : bool
        True if the number was read in the cited text (or in a verbatim quotation of it)
        when this module was written; False if it was only known second-hand.
    note : str
        Caveats, e.g. the original source when ``citation`` is a compilation.
    """

    antibody: str
    target: str
    kd_nm: float
    assay: str
    citation: str
    doi: str
    verified: bool
    note: str = ""

    def __post_init__(self):
        _check(f"Kd of {self.antibody}", self.kd_nm, unit="nM")


_YADAV_2024 = ("Yadav R, Khatkar R, Yap KC-H, et al. (2024) The miRNA and PD-1/PD-L1 signaling axis: "
               "an arsenal of immunotherapeutic targets against lung cancer. Cell Death Discov 10, Table 3")

#: Published Kd values.  They differ with the method (and with monovalent Fab versus
#: bivalent IgG, chip chemistry, temperature), so the lesson should present a range,
#: not one "true" affinity.
BINDING_AFFINITIES: tuple[BindingAffinity, ...] = (
    BindingAffinity(
        "pembrolizumab", "PD-1", 0.029,
        assay="surface plasmon resonance, recombinant human PD-1 (as compiled)",
        citation="Fessas P, Lee H, Ikemizu S, Janowitz T (2017) A molecular and preclinical "
                 "comparison of the PD-1-targeted T-cell checkpoint inhibitors nivolumab and "
                 "pembrolizumab. Semin Oncol 44:136-140, PMID 28923212",
        doi="10.1053/j.seminoncol.2017.06.002",
        verified=False,
        note="29 pM as given in the brief for this module; only the first page of Fessas et al. "
             "could be read, not the value itself. Liu et al. 2019 (next entry) quote 27 pM."),
    BindingAffinity(
        "pembrolizumab", "PD-1", 0.027,
        assay="not stated (literature value quoted in the introduction)",
        citation="Liu J, Wang G, Liu L, et al. (2019) Study of the interactions of a novel "
                 "monoclonal antibody, mAb059c, with the hPD-1 receptor. Sci Rep 9",
        doi="10.1038/s41598-019-54231-w",
        verified=True,
        note="'The dissociation constants of pembrolizumab and nivolumab on PD-1 are 27 pM and "
             "1.45 nM, respectively' (their refs 11-14)."),
    BindingAffinity(
        "nivolumab", "PD-1", 3.06,
        assay="surface plasmon resonance (Biacore), recombinant human PD-1",
        citation="Wang C, Thudium KB, Han M, et al. (2014) In vitro characterization of the "
                 "anti-PD-1 antibody nivolumab, BMS-936558, and in vivo toxicology in non-human "
                 "primates. Cancer Immunol Res 2:846-856, PMID 24872026",
        doi="10.1158/2326-6066.CIR-14-0040",
        verified=False,
        note="3.06 nM as given in the brief (also compiled by Fessas et al. 2017); only the "
             "abstract, which gives no number, could be read."),
    BindingAffinity(
        "nivolumab", "PD-1", 1.45,
        assay="not stated (literature value quoted in the introduction)",
        citation="Liu J, Wang G, Liu L, et al. (2019) Study of the interactions of a novel "
                 "monoclonal antibody, mAb059c, with the hPD-1 receptor. Sci Rep 9",
        doi="10.1038/s41598-019-54231-w",
        verified=True,
        note="Same sentence as the pembrolizumab 27 pM entry."),
    # One review table (Yadav et al. 2024, Table 3, column "Affinity (KD)") lists the approved
    # anti-PD-L1 antibodies.  It gives no assay, and its pembrolizumab value (400 pM) is far
    # from the 27-29 pM above: a reminder that compiled affinities need their primary source.
    BindingAffinity(
        "pembrolizumab", "PD-1", 0.4,
        assay="not stated (review table)",
        citation=_YADAV_2024, doi="10.1038/s41420-024-02182-1", verified=True,
        note="Outlier against the SPR values of 27-29 pM; primary source (their ref. 152) not checked."),
    BindingAffinity(
        "atezolizumab", "PD-L1", 1.75,
        assay="not stated (review table)",
        citation=_YADAV_2024, doi="10.1038/s41420-024-02182-1", verified=True,
        note="Primary source (their ref. 157) not checked."),
    BindingAffinity(
        "durvalumab", "PD-L1", 0.667,
        assay="not stated (review table)",
        citation=_YADAV_2024, doi="10.1038/s41420-024-02182-1", verified=True,
        note="Primary source (their ref. 160) not checked; Stewart R et al. 2015 Cancer Immunol Res "
             "3:1052 (MEDI4736) is the usual origin of this number."),
    BindingAffinity(
        "avelumab", "PD-L1", 0.046,
        assay="not stated (review table)",
        citation=_YADAV_2024, doi="10.1038/s41420-024-02182-1", verified=True,
        note="Primary source (their ref. 64) not checked."),
)


def affinities_for(antibody: str) -> tuple[BindingAffinity, ...]:
    """All entries of :data:`BINDING_AFFINITIES` for one antibody (case-insensitive)."""
    if not isinstance(antibody, str):
        raise ValueError(f"antibody must be a name such as 'pembrolizumab', got {antibody!r}")
    found = tuple(b for b in BINDING_AFFINITIES if b.antibody == antibody.strip().lower())
    if not found:
        names = sorted({b.antibody for b in BINDING_AFFINITIES})
        raise ValueError(f"no published Kd stored for {antibody!r}; known: {', '.join(names)}")
    return found


# --------------------------------------------------------------------------------------
# 3. Linear two-compartment model
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TwoCompartmentParams:
    """Typical-patient population-PK parameters of an antibody (linear clearance).

    The defaults are pembrolizumab's final model of Ahamadi et al. (2017), Table 3, for
    the reference patient (76.8 kg, albumin 39.6 g/L, tumour burden 89.6 mm, eGFR
    88.47 mL/min/1.73 m², male, melanoma, ECOG 0, ipilimumab-naive).  Those numbers
    agree with the compilation of Hurkmans et al. (2021) J Immunother Cancer 9:e002344,
    Table 5 ("2-comp, LE 0.22 3.48 4.06 0.795"); the covariate details were read only in
    the nlmixr2lib transcription of Table 3 (see the report of this module).

    How this relates to the KEYTRUDA label: the label's numbers (CL 252 mL/day after the
    first dose, 195 mL/day at steady state, Vss 6.0 L, t½ 22 days) come from a later
    model with clearance that falls over time (2993 patients; Li et al. 2017,
    J Pharmacokinet Pharmacodyn 44:403-414).  Ahamadi's time-invariant 220 mL/day lies
    between the label's first-dose and steady-state values; its typical-value terminal
    half-life (≈25.8 days, :attr:`terminal_half_life_days`) is longer than the label's
    22 days, which is a geometric mean of individual half-lives.  The label's 2.1-fold
    accumulation and Freshwater et al.'s steady-state AUC are reproduced within 5 %.

    Attributes
    ----------
    clearance_l_per_day : float
        Linear clearance CL, L/day.  Pembrolizumab: 0.22 (Ahamadi 2017, Table 3).
    central_volume_l : float
        Central volume V1, L.  Pembrolizumab: 3.48 (Ahamadi 2017, Table 3).
    intercompartmental_clearance_l_per_day : float
        Distribution clearance Q, L/day.  Pembrolizumab: 0.795 (Ahamadi 2017, Table 3).
    peripheral_volume_l : float
        Peripheral volume V2, L.  Pembrolizumab: 4.06 (Ahamadi 2017, Table 3).
    molecular_weight_g_per_mol : float
        For nM conversions, g/mol.  Pembrolizumab: 149,000 (KEYTRUDA label).
    reference_weight_kg : float
        Body weight the typical values refer to, kg.  Pembrolizumab: 76.8 (Ahamadi 2017,
        Table 3 footnote, the denominator of the allometric terms).
    cl_weight_exponent, q_weight_exponent : float
        Power of weight/reference on CL and on Q (dimensionless).  Pembrolizumab: 0.595
        for both (Ahamadi 2017, Table 3; the footnote equation and Freshwater et al.
        2017 give 0.578).
    v1_weight_exponent, v2_weight_exponent : float
        Power of weight/reference on V1 and on V2.  Pembrolizumab: 0.489 for both
        (Ahamadi 2017, Table 3).
    name : str
        Label used in readouts.
    """

    clearance_l_per_day: float = 0.22
    central_volume_l: float = 3.48
    intercompartmental_clearance_l_per_day: float = 0.795
    peripheral_volume_l: float = 4.06
    molecular_weight_g_per_mol: float = PEMBROLIZUMAB_MW_G_PER_MOL
    reference_weight_kg: float = 76.8
    cl_weight_exponent: float = 0.595
    q_weight_exponent: float = 0.595
    v1_weight_exponent: float = 0.489
    v2_weight_exponent: float = 0.489
    name: str = "pembrolizumab (Ahamadi et al. 2017, reference patient)"

    def __post_init__(self):
        for field, unit in (("clearance_l_per_day", "L/day"), ("central_volume_l", "L"),
                            ("intercompartmental_clearance_l_per_day", "L/day"),
                            ("peripheral_volume_l", "L"), ("molecular_weight_g_per_mol", "g/mol"),
                            ("reference_weight_kg", "kg")):
            _check(field, getattr(self, field), unit=unit)
        for field in ("cl_weight_exponent", "q_weight_exponent", "v1_weight_exponent",
                      "v2_weight_exponent"):
            value = getattr(self, field)
            if not (_is_number(value) and math.isfinite(value)):
                raise ValueError(f"{field} must be a finite number, got {value!r}")

    # micro- and macro-constants -------------------------------------------------------
    @property
    def micro_constants_per_day(self) -> dict[str, float]:
        r""":math:`k_{10} = CL/V_1`, :math:`k_{12} = Q/V_1`, :math:`k_{21} = Q/V_2` (1/day)."""
        return {"k10": self.clearance_l_per_day / self.central_volume_l,
                "k12": self.intercompartmental_clearance_l_per_day / self.central_volume_l,
                "k21": self.intercompartmental_clearance_l_per_day / self.peripheral_volume_l}

    @property
    def macro_constants(self) -> dict[str, float]:
        r"""Exponents :math:`\alpha > \beta` (1/day) and coefficients :math:`A, B` (1/L)."""
        k = self.micro_constants_per_day
        s = k["k10"] + k["k12"] + k["k21"]
        d = math.sqrt(s * s - 4.0 * k["k10"] * k["k21"])
        alpha = 0.5 * (s + d)
        beta = 2.0 * k["k10"] * k["k21"] / (s + d)        # = (s - d)/2 without cancellation
        v1 = self.central_volume_l
        return {"alpha": alpha, "beta": beta,
                "A": (alpha - k["k21"]) / (v1 * (alpha - beta)),
                "B": (k["k21"] - beta) / (v1 * (alpha - beta))}

    @property
    def terminal_half_life_days(self) -> float:
        r"""Terminal (elimination) half-life :math:`\ln 2/\beta`, days."""
        return math.log(2) / self.macro_constants["beta"]

    @property
    def distribution_half_life_days(self) -> float:
        r"""Distribution half-life :math:`\ln 2/\alpha`, days."""
        return math.log(2) / self.macro_constants["alpha"]

    @property
    def steady_state_volume_l(self) -> float:
        """Volume of distribution at steady state, V1 + V2 (L)."""
        return self.central_volume_l + self.peripheral_volume_l

    def _exponentials(self) -> tuple[np.ndarray, np.ndarray]:
        m = self.macro_constants
        return np.array([m["alpha"], m["beta"]]), np.array([m["A"], m["B"]])

    def scaled_to_weight(self, weight_kg: float) -> "TwoCompartmentParams":
        r"""The same model for another body weight: :math:`P\,(W/W_\mathrm{ref})^{\theta_P}`.

        Only the weight covariate is applied; the other covariates stay at reference.
        """
        w = _check("body weight", weight_kg, unit="kg") / self.reference_weight_kg
        return replace(
            self,
            clearance_l_per_day=self.clearance_l_per_day * w ** self.cl_weight_exponent,
            intercompartmental_clearance_l_per_day=(
                self.intercompartmental_clearance_l_per_day * w ** self.q_weight_exponent),
            central_volume_l=self.central_volume_l * w ** self.v1_weight_exponent,
            peripheral_volume_l=self.peripheral_volume_l * w ** self.v2_weight_exponent,
            reference_weight_kg=float(weight_kg),
            name=f"{self.name}, scaled to {float(weight_kg):g} kg")


#: Pembrolizumab, Ahamadi et al. (2017): the defaults of :class:`TwoCompartmentParams`.
PEMBROLIZUMAB_AHAMADI_2017 = TwoCompartmentParams()

#: Nivolumab, Bajaj et al. (2017) Table 1, reference patient (white female, 80 kg, eGFR
#: 90 mL/min/1.73 m², ECOG 0): CL 9.4 mL/h, VC 3.63 L, Q 32.1 mL/h, VP 2.78 L; weight
#: exponents 0.566 on CL and 0.597 on VC, none on Q and VP.  Table 1 was read only in the
#: nlmixr2lib transcription; CL, VC, VP and Q agree with Hurkmans et al. (2021) J
#: Immunother Cancer 9:e002344, Table 5 ("0.23 3.63 2.78 0.770").  This is the *baseline*
#: clearance: Bajaj's model lets CL fall over time (sigmoid Emax, maximal change
#: exp(-0.295) ≈ -26 %, T50 ≈ 59 days), which this time-invariant model leaves out; hence
#: its terminal half-life (≈21 days) is shorter than the OPDIVO label's 25 days.
NIVOLUMAB_BAJAJ_2017 = TwoCompartmentParams(
    clearance_l_per_day=9.4e-3 * 24.0,
    central_volume_l=3.63,
    intercompartmental_clearance_l_per_day=32.1e-3 * 24.0,
    peripheral_volume_l=2.78,
    molecular_weight_g_per_mol=NIVOLUMAB_MW_G_PER_MOL,
    reference_weight_kg=80.0,
    cl_weight_exponent=0.566,
    q_weight_exponent=0.0,
    v1_weight_exponent=0.597,
    v2_weight_exponent=0.0,
    name="nivolumab (Bajaj et al. 2017, reference patient, baseline clearance)",
)


@dataclass(frozen=True)
class Regimen:
    """Identical intravenous doses every ``interval_days``, each infused over ``infusion_days``.

    Attributes
    ----------
    dose_mg : float
        Amount per dose, mg (use :meth:`weight_based` for mg/kg doses).
    interval_days : float
        Time from the start of one infusion to the start of the next, days (τ).
    n_doses : int
        Number of doses.
    infusion_days : float
        Infusion duration, days; 0 is a bolus.  Default 30 minutes (both labels).
    start_day : float
        Start of the first infusion, days.
    """

    dose_mg: float
    interval_days: float
    n_doses: int = 1
    infusion_days: float = INFUSION_30_MIN_DAYS
    start_day: float = 0.0

    def __post_init__(self):
        _check("dose", self.dose_mg, strict=False, unit="mg")
        tau = _check("dosing interval", self.interval_days, unit="days")
        if isinstance(self.n_doses, bool) or not isinstance(self.n_doses, Integral) or self.n_doses < 1:
            raise ValueError(f"n_doses must be a whole number ≥ 1, got {self.n_doses!r}")
        T = self.infusion_days
        if not (_is_number(T) and math.isfinite(T) and 0 <= T <= tau):
            raise ValueError(f"infusion duration must be between 0 (bolus) and the dosing interval "
                             f"({tau:g} days), got {T!r}")
        if not (_is_number(self.start_day) and math.isfinite(self.start_day)):
            raise ValueError(f"start day must be a finite number, got {self.start_day!r}")

    @classmethod
    def weight_based(cls, dose_mg_per_kg: float, weight_kg: float, interval_days: float,
                     n_doses: int = 1, infusion_days: float = INFUSION_30_MIN_DAYS,
                     start_day: float = 0.0) -> "Regimen":
        """A mg/kg regimen for one patient: dose = mg/kg × body weight."""
        d = _check("dose", dose_mg_per_kg, strict=False, unit="mg/kg")
        w = _check("body weight", weight_kg, unit="kg")
        return cls(d * w, interval_days, n_doses, infusion_days, start_day)

    @property
    def dose_times_days(self) -> np.ndarray:
        return self.start_day + self.interval_days * np.arange(self.n_doses)

    @property
    def end_day(self) -> float:
        """When the last infusion ends."""
        return float(self.dose_times_days[-1] + self.infusion_days)


#: KEYTRUDA label: 200 mg every 3 weeks or 400 mg every 6 weeks, over 30 minutes.
PEMBROLIZUMAB_200MG_Q3W = Regimen(200.0, 21.0, n_doses=35)
PEMBROLIZUMAB_400MG_Q6W = Regimen(400.0, 42.0, n_doses=18)
#: OPDIVO label (single agent): 240 mg every 2 weeks or 480 mg every 4 weeks, over 30 minutes.
NIVOLUMAB_240MG_Q2W = Regimen(240.0, 14.0, n_doses=52)
NIVOLUMAB_480MG_Q4W = Regimen(480.0, 28.0, n_doses=26)


def _linear_terms(params: TwoCompartmentParams, regimen: Regimen, t, *, strict=False, integral=False):
    lam, coef = params._exponentials()
    return linear_kinetics.dose_sum(lam, coef, regimen.dose_mg, regimen.dose_times_days, regimen.infusion_days,
                       _finite_array(t, "times (days)"), strict=strict, integral=integral)


def concentration(params: TwoCompartmentParams, t_days, regimen: Regimen) -> np.ndarray:
    """Serum concentration (µg/mL = mg/L) at the given times (days), by superposition."""
    return _linear_terms(params, regimen, t_days)


@dataclass(frozen=True)
class PKSimulation:
    """Times (days) and serum antibody (µg/mL) for one regimen."""

    t_days: np.ndarray
    concentration_ug_per_ml: np.ndarray
    regimen: Regimen
    params: TwoCompartmentParams

    @property
    def concentration_nm(self) -> np.ndarray:
        return ug_per_ml_to_nm(self.concentration_ug_per_ml, self.params.molecular_weight_g_per_mol)

    def occupancy(self, kd_nm: float) -> np.ndarray:
        """Equilibrium receptor occupancy along the curve for a given Kd (nM)."""
        return occupancy(self.concentration_nm, kd_nm)


def _time_grid(t_end: float, n_points, edges: np.ndarray) -> np.ndarray:
    if isinstance(n_points, bool) or not isinstance(n_points, Integral) or n_points < 2:
        raise ValueError(f"n_points must be a whole number ≥ 2, got {n_points!r}")
    inside = edges[(edges >= 0) & (edges <= t_end)]
    return np.union1d(np.linspace(0.0, t_end, int(n_points)), inside)


def simulate(params: TwoCompartmentParams, regimen: Regimen, t_end_days: float,
             n_points: int = 400) -> PKSimulation:
    """Serum antibody on an even grid from 0 to ``t_end_days``, plus every infusion's start
    and end (so peaks and troughs are sampled exactly)."""
    t_end = _check("t_end_days", t_end_days, unit="days")
    starts = regimen.dose_times_days
    t = _time_grid(t_end, n_points, np.concatenate([starts, starts + regimen.infusion_days]))
    return PKSimulation(t, concentration(params, t, regimen), regimen, params)


def auc(params: TwoCompartmentParams, regimen: Regimen, start_day: float, end_day: float) -> float:
    """Exact area under the concentration curve between two times (mg·day/L)."""
    a, b = _finite_array([start_day, end_day], "AUC window (days)")
    if not b >= a:
        raise ValueError("the AUC window must end after it starts")
    F = _linear_terms(params, regimen, np.array([a, b]), integral=True)
    return float(F[1] - F[0])


def troughs(params: TwoCompartmentParams, regimen: Regimen) -> np.ndarray:
    """Concentration (µg/mL) just before each dose after the first."""
    return _linear_terms(params, regimen, regimen.dose_times_days[1:], strict=True)


def cmax_first_dose(params: TwoCompartmentParams, regimen: Regimen) -> float:
    """Concentration (µg/mL) at the end of the first infusion (the first peak)."""
    return float(concentration(params, regimen.start_day + regimen.infusion_days, regimen))


def accumulation_factors(params: TwoCompartmentParams, interval_days: float) -> np.ndarray:
    r"""Per-exponential accumulation :math:`1/(1 - e^{-\lambda\tau})` for :math:`\alpha, \beta`."""
    tau = _check("dosing interval", interval_days, unit="days")
    lam, _ = params._exponentials()
    return linear_kinetics.accumulation_factors(lam, tau)


def steady_state_profile(params: TwoCompartmentParams, regimen: Regimen, t_since_dose_days) -> np.ndarray:
    r"""Concentration (µg/mL) at :math:`0 \le t \le \tau` after a dose once the regimen has
    been repeated indefinitely (the limit ``n_doses`` → ∞; ``n_doses`` is ignored)."""
    t = _finite_array(t_since_dose_days, "times since the dose (days)")
    tau, T, D = regimen.interval_days, regimen.infusion_days, regimen.dose_mg
    if np.any(t < 0) or np.any(t > tau):
        raise ValueError("times since the dose must lie between 0 and the dosing interval")
    lam, coef = params._exponentials()
    return linear_kinetics.steady_state_profile(lam, coef, D, T, tau, t)


def steady_state_peak(params: TwoCompartmentParams, regimen: Regimen) -> float:
    """Steady-state concentration at the end of an infusion (µg/mL)."""
    return float(steady_state_profile(params, regimen, regimen.infusion_days))


def steady_state_trough(params: TwoCompartmentParams, regimen: Regimen) -> float:
    """Steady-state concentration just before the next dose (µg/mL)."""
    return float(steady_state_profile(params, regimen, regimen.interval_days))


def steady_state_auc(params: TwoCompartmentParams, regimen: Regimen) -> float:
    r"""AUC over one dosing interval at steady state, :math:`D/CL` (mg·day/L)."""
    return regimen.dose_mg / params.clearance_l_per_day


def accumulation_ratio(params: TwoCompartmentParams, regimen: Regimen, kind: str = "auc") -> float:
    r"""Steady state over first dose, for the AUC over one interval (default) or the trough.

    ``kind="auc"``: :math:`R = (D/CL)\,/\,\mathrm{AUC}_{0-\tau}` of the first dose, the
    usual meaning of "systemic accumulation" in a label; ``kind="trough"``:
    :math:`C_{\min,ss}/C_{\min,1}`.  Both are independent of the dose (linear model).
    """
    first = replace(regimen, n_doses=1, start_day=0.0)
    tau = regimen.interval_days
    if kind == "auc":
        if regimen.dose_mg == 0:
            raise ValueError("accumulation ratio needs a dose > 0")
        return steady_state_auc(params, regimen) / auc(params, first, 0.0, tau)
    if kind == "trough":
        c1 = float(concentration(params, tau, first))
        if c1 == 0:
            raise ValueError("accumulation ratio needs a dose > 0")
        return steady_state_trough(params, regimen) / c1
    raise ValueError(f"kind must be 'auc' or 'trough', got {kind!r}")


def steady_state_trough_occupancy(params: TwoCompartmentParams, regimen: Regimen, kd_nm: float) -> float:
    """Equilibrium receptor occupancy at the steady-state trough (serum, C ≫ receptor)."""
    c_nm = float(ug_per_ml_to_nm(steady_state_trough(params, regimen), params.molecular_weight_g_per_mol))
    return float(occupancy(c_nm, kd_nm))


# --------------------------------------------------------------------------------------
# 4. Target-mediated drug disposition (QSS approximation, and the full model)
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class QSSParams:
    """Two-compartment quasi-steady-state TMDD parameters (nmol, nM, L, day).

    Defaults: the typical-value fit of Stein & Peletier (2018), Table 1, to the
    phase 1 data of mavrilimumab (anti-GM-CSF receptor α; Burmester et al. 2011, Ann Rheum
    Dis 70:1542).  A real antibody with clearly visible target-mediated clearance, chosen
    because its target parameters were identifiable (for their efalizumab and romosozumab
    fits the target turnover of 4400 and 860 per day was practically unidentifiable).
    Table 1 was read only in the nlmixr2lib transcription (model
    ``Stein_2018_mavrilimumab``), not in the article itself.

    Attributes
    ----------
    clearance_l_per_day : float
        Linear (non-specific) clearance CL, L/day: 0.3.
    central_volume_l : float
        Central volume Vc, L: 2.8.
    intercompartmental_clearance_l_per_day : float
        Q, L/day: 1.7.
    peripheral_volume_l : float
        Vp, L: 5.6.
    target_synthesis_nm_per_day : float
        Target synthesis rate ksyn, nM/day: 2.4 (Stein & Peletier write it as Vmax/Vc).
        Zero removes the target and gives the linear model.
    kss_nm : float
        Quasi-steady-state constant Kss = (koff + kint)/kon, nM: 1.1.
    target_degradation_per_day : float
        Elimination rate of free target kdeg (their ke(R)), 1/day: 2.2.
    complex_internalization_per_day : float
        Elimination rate of the drug-target complex kint (their ke(CR)), 1/day: 2.2
        (fixed equal to kdeg in their fits).
    molecular_weight_g_per_mol : float
        For mg ↔ nmol, g/mol: 150,000 (Stein & Peletier's conversion).
    name : str
        Label used in readouts.
    """

    clearance_l_per_day: float = 0.3
    central_volume_l: float = 2.8
    intercompartmental_clearance_l_per_day: float = 1.7
    peripheral_volume_l: float = 5.6
    target_synthesis_nm_per_day: float = 2.4
    kss_nm: float = 1.1
    target_degradation_per_day: float = 2.2
    complex_internalization_per_day: float = 2.2
    molecular_weight_g_per_mol: float = GENERIC_IGG_MW_G_PER_MOL
    name: str = "mavrilimumab (Stein & Peletier 2018, Table 1)"

    def __post_init__(self):
        for field, unit in (("clearance_l_per_day", "L/day"), ("central_volume_l", "L"),
                            ("intercompartmental_clearance_l_per_day", "L/day"),
                            ("peripheral_volume_l", "L"), ("kss_nm", "nM"),
                            ("target_degradation_per_day", "1/day"),
                            ("complex_internalization_per_day", "1/day"),
                            ("molecular_weight_g_per_mol", "g/mol")):
            _check(field, getattr(self, field), unit=unit)
        _check("target_synthesis_nm_per_day", self.target_synthesis_nm_per_day, strict=False, unit="nM/day")

    @property
    def baseline_target_nm(self) -> float:
        """Target concentration before any drug, ksyn/kdeg (nM)."""
        return self.target_synthesis_nm_per_day / self.target_degradation_per_day

    @property
    def vmax_nmol_per_day(self) -> float:
        """Maximal target-mediated elimination at baseline target, kint·R0·Vc (nmol/day)."""
        return self.complex_internalization_per_day * self.baseline_target_nm * self.central_volume_l

    @property
    def linear_part(self) -> TwoCompartmentParams:
        """The same antibody without target (ksyn = 0), as a linear model (units: nmol, nM)."""
        return TwoCompartmentParams(
            clearance_l_per_day=self.clearance_l_per_day, central_volume_l=self.central_volume_l,
            intercompartmental_clearance_l_per_day=self.intercompartmental_clearance_l_per_day,
            peripheral_volume_l=self.peripheral_volume_l,
            molecular_weight_g_per_mol=self.molecular_weight_g_per_mol,
            name=f"{self.name}, linear part")

    def dose_nmol(self, dose_mg: float) -> float:
        return float(mg_to_nmol(dose_mg, self.molecular_weight_g_per_mol))


#: Mavrilimumab, Stein & Peletier (2018): the defaults of :class:`QSSParams`.
MAVRILIMUMAB_STEIN_PELETIER_2018 = QSSParams()


def critical_concentration_nm(params: QSSParams) -> float:
    r"""Stein & Peletier's (2018) :math:`C_\mathrm{crit} = V_\mathrm{max}/CL` (nM).

    Above it elimination is essentially linear; below it the target-mediated route is
    comparable to or faster than the linear one.  With :math:`k_\mathrm{int} =
    k_\mathrm{deg}` it equals :math:`k_\mathrm{syn}V_c/CL`.
    """
    return params.vmax_nmol_per_day / params.clearance_l_per_day


def free_drug_qss(total_drug_nm, total_target_nm, kss_nm):
    r"""Free drug (nM) from total drug and total target under the QSS relation.

    Positive root of :math:`C^2 - bC - K_{SS}C_\mathrm{tot} = 0`,
    :math:`b = C_\mathrm{tot} - R_\mathrm{tot} - K_{SS}`, written without cancellation.
    """
    ct = np.asarray(total_drug_nm, dtype=float)
    rt = np.asarray(total_target_nm, dtype=float)
    b = ct - rt - kss_nm
    s = np.sqrt(b * b + 4.0 * kss_nm * ct)
    with np.errstate(divide="ignore", invalid="ignore"):
        small = np.where(s - b > 0, 2.0 * kss_nm * ct / (s - b), 0.0)
    return np.where(b >= 0, 0.5 * (b + s), small)


def _free_scalar(ct: float, rt: float, kss: float) -> float:
    """Scalar version of :func:`free_drug_qss`, for the right-hand side of the ODE."""
    b = ct - rt - kss
    s = math.sqrt(b * b + 4.0 * kss * ct)
    if b >= 0:
        return 0.5 * (b + s)
    return 2.0 * kss * ct / (s - b) if s - b > 0 else 0.0


@dataclass(frozen=True)
class TMDDSimulation:
    """Result of a TMDD simulation (times in days, concentrations in nM, amounts in nmol).

    Attributes
    ----------
    t_days, free_drug_nm, total_drug_nm, total_target_nm, complex_nm : numpy.ndarray
        Central-compartment concentrations; ``total_drug_nm`` is free plus bound drug.
    peripheral_nmol : numpy.ndarray
        Drug amount in the peripheral compartment.
    eliminated_linear_nmol, eliminated_target_nmol : numpy.ndarray
        Cumulative drug eliminated by linear clearance and through the target.
    auc_free_nm_day : numpy.ndarray
        Running integral of the free concentration.
    dosed_nmol : numpy.ndarray
        Cumulative amount infused so far.
    """

    t_days: np.ndarray
    free_drug_nm: np.ndarray
    total_drug_nm: np.ndarray
    total_target_nm: np.ndarray
    complex_nm: np.ndarray
    peripheral_nmol: np.ndarray
    eliminated_linear_nmol: np.ndarray
    eliminated_target_nmol: np.ndarray
    auc_free_nm_day: np.ndarray
    dosed_nmol: np.ndarray
    params: QSSParams
    regimen: Regimen

    @property
    def free_target_nm(self) -> np.ndarray:
        return self.total_target_nm - self.complex_nm

    @property
    def occupancy(self) -> np.ndarray:
        """Fraction of the target bound, complex/total target."""
        return np.divide(self.complex_nm, self.total_target_nm,
                         out=np.zeros_like(self.complex_nm), where=self.total_target_nm > 0)

    @property
    def free_drug_ug_per_ml(self) -> np.ndarray:
        return nm_to_ug_per_ml(self.free_drug_nm, self.params.molecular_weight_g_per_mol)


def _qss_rhs(params: QSSParams):
    cl, vc, q, vp = (params.clearance_l_per_day, params.central_volume_l,
                     params.intercompartmental_clearance_l_per_day, params.peripheral_volume_l)
    ksyn, kss = params.target_synthesis_nm_per_day, params.kss_nm
    kdeg, kint = params.target_degradation_per_day, params.complex_internalization_per_day

    def rhs(t, y, rate):
        a_tot, a_p, r_tot = y[0], y[1], y[2]
        c = _free_scalar(a_tot / vc, r_tot, kss)
        rc = r_tot * c / (kss + c)
        return [rate - (cl + q) * c + q / vp * a_p - kint * rc * vc,
                q * c - q / vp * a_p,
                ksyn - kdeg * r_tot - (kint - kdeg) * rc,
                cl * c, kint * rc * vc, c, rate]

    def observe(y):
        r_tot = y[2]
        c = free_drug_qss(y[0] / vc, r_tot, kss)
        return c, y[0] / vc, r_tot, r_tot * c / (kss + c)

    y0 = [0.0, 0.0, params.baseline_target_nm, 0.0, 0.0, 0.0, 0.0]
    return rhs, observe, y0


def _full_rhs(params: QSSParams, kon: float):
    cl, vc, q, vp = (params.clearance_l_per_day, params.central_volume_l,
                     params.intercompartmental_clearance_l_per_day, params.peripheral_volume_l)
    ksyn, kdeg, kint = (params.target_synthesis_nm_per_day, params.target_degradation_per_day,
                        params.complex_internalization_per_day)
    koff = kon * params.kss_nm - kint

    def rhs(t, y, rate):
        a_free, a_p, r, rc = y[0], y[1], y[2], y[3]
        c = a_free / vc
        bind = kon * c * r - koff * rc
        return [rate - (cl + q) * c + q / vp * a_p - bind * vc,
                q * c - q / vp * a_p,
                ksyn - kdeg * r - bind,
                bind - kint * rc,
                cl * c, kint * rc * vc, c, rate]

    def observe(y):
        c = y[0] / vc
        return c, c + y[3], y[2] + y[3], y[3]

    y0 = [0.0, 0.0, params.baseline_target_nm, 0.0, 0.0, 0.0, 0.0, 0.0]
    return rhs, observe, y0


def _check_solver(method: str, rtol, atol) -> tuple[str, float, float]:
    if method not in ("LSODA", "BDF", "Radau"):
        raise ValueError(f"method must be 'LSODA', 'BDF' or 'Radau' (the model is stiff), got {method!r}")
    rtol = _check("rtol", rtol)
    atol = _check("atol", atol)
    if rtol >= 1e-3:
        raise ValueError(f"rtol must be < 1e-3 for trustworthy results, got {rtol!r}")
    return method, rtol, atol


def _integrate(rhs, y0, params: QSSParams, regimen: Regimen, t_end: float, t_grid: np.ndarray,
               method: str, rtol: float, atol: float) -> np.ndarray:
    """Integrate piecewise between infusion starts and ends; states on ``t_grid``."""
    if regimen.start_day < 0:
        raise ValueError("TMDD simulations start at day 0 with no drug; the regimen must start at day ≥ 0")
    dose = params.dose_nmol(regimen.dose_mg)
    starts = regimen.dose_times_days
    T = regimen.infusion_days
    cuts = np.union1d([0.0, t_end], np.concatenate([starts, starts + T]))
    cuts = cuts[(cuts >= 0) & (cuts <= t_end)]
    y = np.array(y0, dtype=float)
    out = np.empty((len(y0), t_grid.size))
    for i, (a, b) in enumerate(zip(cuts[:-1], cuts[1:])):
        if T == 0:
            n_bolus = int(np.sum(np.isclose(starts, a, rtol=0, atol=1e-12)))
            y[0] += n_bolus * dose
            y[-1] += n_bolus * dose
        mid = 0.5 * (a + b)
        rate = dose / T * np.sum((starts <= mid) & (mid < starts + T)) if T > 0 else 0.0
        last = i == len(cuts) - 2
        pick = (t_grid >= a) & ((t_grid <= b) if last else (t_grid < b))
        sol = solve_ivp(rhs, (a, b), y, method=method, rtol=rtol, atol=atol, args=(rate,),
                        t_eval=np.union1d(t_grid[pick], [b]))
        if not sol.success:  # pragma: no cover - defensive
            raise RuntimeError(f"ODE solver failed between day {a:g} and {b:g}: {sol.message}")
        out[:, pick] = sol.y[:, np.isin(sol.t, t_grid[pick])]
        y = sol.y[:, -1].copy()
    if T == 0 and np.any(np.isclose(starts, t_end, rtol=0, atol=1e-12)):
        out[0, -1] += dose
        out[-1, -1] += dose
    return out


def _tmdd_result(states, observe, params, regimen, t, offset=0) -> TMDDSimulation:
    c, c_tot, r_tot, rc = observe(states)
    return TMDDSimulation(
        t_days=t, free_drug_nm=np.asarray(c, dtype=float), total_drug_nm=np.asarray(c_tot, dtype=float),
        total_target_nm=np.asarray(r_tot, dtype=float), complex_nm=np.asarray(rc, dtype=float),
        peripheral_nmol=states[1], eliminated_linear_nmol=states[3 + offset],
        eliminated_target_nmol=states[4 + offset], auc_free_nm_day=states[5 + offset],
        dosed_nmol=states[6 + offset], params=params, regimen=regimen)


def simulate_tmdd(params: QSSParams, regimen: Regimen, t_end_days: float, n_points: int = 400, *,
                  method: str = "LSODA", rtol: float = 1e-8, atol: float = 1e-12) -> TMDDSimulation:
    """Quasi-steady-state TMDD model (see module docstring) for a regimen.

    The solver runs separately between infusion starts and ends (the input rate jumps
    there), on ``n_points`` even times plus those edges.  ``LSODA`` switches to a stiff
    method when needed (target turnover can be hundreds of times faster than drug
    elimination); ``rtol = 1e-8`` with ``atol = 1e-12`` nmol or nM makes the tolerance-
    tightening test pass to better than 1e-5 relative.
    """
    t_end = _check("t_end_days", t_end_days, unit="days")
    method, rtol, atol = _check_solver(method, rtol, atol)
    starts = regimen.dose_times_days
    t = _time_grid(t_end, n_points, np.concatenate([starts, starts + regimen.infusion_days]))
    rhs, observe, y0 = _qss_rhs(params)
    states = _integrate(rhs, y0, params, regimen, t_end, t, method, rtol, atol)
    return _tmdd_result(states, observe, params, regimen, t)


def simulate_full_tmdd(params: QSSParams, kon_per_nm_per_day: float, regimen: Regimen, t_end_days: float,
                       n_points: int = 400, *, method: str = "LSODA", rtol: float = 1e-8,
                       atol: float = 1e-12) -> TMDDSimulation:
    r"""Full TMDD model of Mager & Jusko (2001) with explicit binding in the central compartment.

    .. math::

        \frac{dC}{dt} &= \frac{\mathrm{In}(t)}{V_c} - (k_{10} + k_{12})C + k_{21}\frac{A_p}{V_c}
            - k_\mathrm{on}CR + k_\mathrm{off}RC, \\
        \frac{dR}{dt} &= k_\mathrm{syn} - k_\mathrm{deg}R - k_\mathrm{on}CR + k_\mathrm{off}RC, \\
        \frac{dRC}{dt} &= k_\mathrm{on}CR - (k_\mathrm{off} + k_\mathrm{int})RC,

    with :math:`k_\mathrm{off} = k_\mathrm{on}K_{SS} - k_\mathrm{int}` so that it has the
    same :math:`K_{SS}` as the QSS model; the QSS model is its limit of fast binding.
    Published fits identify only :math:`K_{SS}`, so ``kon_per_nm_per_day`` is a choice.
    """
    kon = _check("kon", kon_per_nm_per_day, unit="1/(nM·day)")
    if kon * params.kss_nm < params.complex_internalization_per_day:
        raise ValueError("kon is too small for this Kss: koff = kon·Kss − kint would be negative")
    t_end = _check("t_end_days", t_end_days, unit="days")
    method, rtol, atol = _check_solver(method, rtol, atol)
    starts = regimen.dose_times_days
    t = _time_grid(t_end, n_points, np.concatenate([starts, starts + regimen.infusion_days]))
    rhs, observe, y0 = _full_rhs(params, kon)
    states = _integrate(rhs, y0, params, regimen, t_end, t, method, rtol, atol)
    return _tmdd_result(states, observe, params, regimen, t, offset=1)


def apparent_half_life_days(params: QSSParams, dose_mg: float, *, t_ref_days: float = 7.0,
                            t_max_days: float = 1000.0, infusion_days: float = INFUSION_30_MIN_DAYS,
                            rtol: float = 1e-8, atol: float = 1e-12) -> float:
    r"""Time for the free drug to fall to half its value at ``t_ref_days`` after one dose.

    For a linear model after distribution this is the terminal half-life
    :math:`\ln 2/\beta` whatever the dose; under TMDD it is shorter at low doses and
    approaches the linear value at high doses.  Found with the solver's event location.
    Returns ``math.inf`` if the level does not halve before ``t_max_days``.
    """
    dose = _check("dose", dose_mg, unit="mg")
    t_ref = _check("t_ref_days", t_ref_days, unit="days")
    t_max = _check("t_max_days", t_max_days, unit="days")
    if not t_ref > infusion_days or not t_max > t_ref:
        raise ValueError("need infusion_days < t_ref_days < t_max_days")
    regimen = Regimen(dose, t_max, 1, infusion_days)
    rhs, observe, y0 = _qss_rhs(params)
    state = _integrate(rhs, y0, params, regimen, t_ref, np.array([t_ref]), "LSODA", rtol, atol)[:, 0]
    half = 0.5 * float(observe(state)[0])
    if half <= 0:
        raise ValueError("no drug left at t_ref_days")

    def halved(t, y, rate):
        return float(observe(y)[0]) - half
    halved.terminal, halved.direction = True, -1
    sol = solve_ivp(rhs, (t_ref, t_max), state, method="LSODA", rtol=rtol, atol=atol, args=(0.0,),
                    events=halved)
    return float(sol.t_events[0][0] - t_ref) if sol.t_events[0].size else math.inf


def half_life_vs_dose(params: QSSParams, doses_mg, **kwargs) -> np.ndarray:
    """:func:`apparent_half_life_days` for each dose (mg); keyword arguments are passed on."""
    doses = _finite_array(doses_mg, "doses (mg)")
    return np.array([apparent_half_life_days(params, float(d), **kwargs) for d in doses.ravel()]).reshape(doses.shape)
