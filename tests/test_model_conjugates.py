"""Radioimmunoconjugates (MIRD, ICRP 107) and antibody–drug conjugates (Shah et al. 2012)."""

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from course.models import conjugates as m

Y90, I131, LU177 = (m.RADIONUCLIDES[n] for n in ("Y-90", "I-131", "Lu-177"))
P = m.ADCParams()


# ======================================================================================
# Part 1 – radioimmunoconjugates
# ======================================================================================

# --- the published numbers ------------------------------------------------------------

def test_radionuclide_table_holds_the_icrp_107_values():
    assert Y90.half_life_h == 64.1                                   # "64.1 h"
    assert I131.half_life_h / 24 == pytest.approx(8.0207, abs=1e-9)  # 8.02 d
    assert LU177.half_life_h / 24 == pytest.approx(6.647, abs=1e-9)  # 6.65 d
    assert round(I131.half_life_h / 24, 2) == 8.02 and round(LU177.half_life_h / 24, 2) == 6.65
    assert (Y90.mean_beta_energy_mev, I131.mean_beta_energy_mev, LU177.mean_beta_energy_mev) == (
        0.9329, 0.1819, 0.1333)
    # Lu-177 cross-checked against two other tables built from the same evaluation:
    # "β particles mean energy 133.3 keV", "total electron energy per decay 147.9 keV"
    # (EJNMMI Phys 2020 Table 1); "Total IE e- energy 13.5", "AE and CK 1.13" keV/nt (Falzone 2015)
    assert LU177.mean_beta_energy_mev * 1e3 == pytest.approx(133.3, abs=0.05)
    assert LU177.electron_energy_mev * 1e3 == pytest.approx(147.9, abs=0.05)
    assert (LU177.electron_energy_mev - LU177.mean_beta_energy_mev) * 1e3 == pytest.approx(13.5 + 1.13, abs=0.1)
    # Y-90 is an almost pure β emitter; I-131 puts twice as much energy into photons as into β
    assert Y90.photon_energy_mev == 0 and I131.photon_energy_mev > 2 * I131.mean_beta_energy_mev
    rows = m.radionuclide_table()
    assert [r["nuclide"] for r in rows] == ["Y-90", "I-131", "Lu-177"]
    assert all("ICRP Publication 107" in r["source"] for r in rows)


def test_approved_products_are_the_two_anti_cd20_conjugates():
    z, b = m.APPROVED_RADIOIMMUNOCONJUGATES["Zevalin"], m.APPROVED_RADIOIMMUNOCONJUGATES["Bexxar"]
    assert (z["radionuclide"], z["target"], z["us_approval_year"]) == ("Y-90", "CD20", 2002)
    assert (b["radionuclide"], b["target"]) == ("I-131", "CD20")
    # label: 0.4 mCi/kg = 14.8 MBq/kg; maximum 32 mCi = 1184 MBq (1 mCi = 37 MBq)
    assert m.ZEVALIN_ACTIVITY_MBQ_PER_KG == pytest.approx(0.4 * 37)
    assert m.ZEVALIN_MAX_ACTIVITY_MBQ == pytest.approx(32 * 37)
    doses = m.ZEVALIN_ABSORBED_DOSE_CGY
    assert max(doses, key=doses.get) == "tumour"
    assert doses["tumour"] / doses["red marrow"] > 20      # the point of targeting


def test_effective_half_life_worked_example_from_the_zevalin_label():
    # serum effective half-life 28 h with T_phys = 64.1 h implies T_bio ≈ 49.7 h
    t_bio = m.biological_half_life(m.ZEVALIN_SERUM_EFFECTIVE_HALF_LIFE_H, Y90.half_life_h)
    assert t_bio == pytest.approx(1 / (1 / 28 - 1 / 64.1), rel=1e-12)
    assert t_bio == pytest.approx(49.72, abs=0.01)
    assert m.effective_half_life(Y90.half_life_h, t_bio) == pytest.approx(28.0, rel=1e-12)


def test_effective_half_life_limits_and_arithmetic():
    tp = np.array([1.0, 64.1, 192.5])
    assert m.effective_half_life(math.inf, tp) == pytest.approx(tp)       # T_phys → ∞: T_eff = T_bio
    assert m.effective_half_life(1e12, 49.7) == pytest.approx(49.7, rel=1e-9)
    assert m.effective_half_life(tp, math.inf) == pytest.approx(tp)       # no clearance: T_eff = T_phys
    assert m.effective_half_life(10.0, 10.0) == pytest.approx(5.0)
    te = m.effective_half_life(tp, 30.0)
    assert np.all(te < np.minimum(tp, 30.0))
    assert m.effective_half_life(64.1, 30.0) == pytest.approx(m.effective_half_life(30.0, 64.1))
    assert m.biological_half_life(64.1, 64.1) == math.inf


# --- time-activity curve and cumulated activity ------------------------------------------

def test_single_exponential_activity_and_cumulated_activity():
    k = m.TissueKinetics(uptake_fraction=0.02, biological_half_life_h=100.0, mass_g=50.0)
    te = m.effective_half_life(Y90.half_life_h, 100.0)
    assert m.activity(0.0, 1000.0, Y90, k) == pytest.approx(20.0)
    assert m.activity(te, 1000.0, Y90, k) == pytest.approx(10.0)
    assert m.activity(2 * te, 1000.0, Y90, k) == pytest.approx(5.0)
    # Ã = A0 f T_eff / ln 2
    assert m.cumulated_activity(1000.0, Y90, k) == pytest.approx(1000 * 0.02 * te / math.log(2), rel=1e-12)


@pytest.mark.parametrize("uptake_h, bio_h, until_h", [
    (0.0, 100.0, math.inf),
    (24.0, 100.0, math.inf),
    (24.0, 100.0, 48.0),
    (30.0, 30.0, math.inf),      # λ_u = λ_b: the Bateman form's removable singularity
    (30.0, 30.00001, 200.0),
    (80.0, 20.0, math.inf),      # uptake slower than clearance
    (12.0, math.inf, 300.0),     # never leaves
])
def test_cumulated_activity_is_the_integral_of_the_activity_curve(uptake_h, bio_h, until_h):
    k = m.TissueKinetics(0.05, bio_h, 20.0, uptake_half_time_h=uptake_h)
    end = until_h if math.isfinite(until_h) else 40 * max(Y90.half_life_h, 1.0)
    t = np.linspace(0.0, end, 400_001)
    numeric = np.trapezoid(m.activity(t, 1000.0, Y90, k), t)
    assert m.cumulated_activity(1000.0, Y90, k, until_h=until_h) == pytest.approx(numeric, rel=1e-7)


def test_uptake_phase_costs_the_fraction_that_decays_on_the_way():
    # Ã(with uptake) / Ã(instant) = λ_u/(λ_u + λ_p): worse for a short-lived label
    for nuc in (Y90, I131, LU177):
        slow = m.time_integrated_activity_coefficient(nuc.half_life_h, 120.0, 48.0)
        fast = m.time_integrated_activity_coefficient(nuc.half_life_h, 120.0, 0.0)
        lu, lp = math.log(2) / 48.0, math.log(2) / nuc.half_life_h
        assert slow / fast == pytest.approx(lu / (lu + lp), rel=1e-10)
    loss = [1 - m.time_integrated_activity_coefficient(n.half_life_h, 120.0, 48.0)
            / m.time_integrated_activity_coefficient(n.half_life_h, 120.0, 0.0) for n in (Y90, LU177)]
    assert loss[0] > loss[1] > 0       # 64 h Y-90 loses more during a 2-day uptake than 6.6 d Lu-177


def test_matching_the_physical_half_life_to_the_residence_time():
    tp = np.geomspace(1.0, 1e5, 20_001)
    frac = m.fraction_of_decays_in_tissue(tp, 100.0, 24.0, uptake_fraction=0.1)
    best = tp[np.argmax(frac)]
    assert best == pytest.approx(m.best_physical_half_life(24.0, 100.0), rel=1e-3)
    assert m.best_physical_half_life(24.0, 100.0) == pytest.approx(math.sqrt(2400.0))
    assert frac[0] < 0.2 * frac.max() and frac[-1] < 0.2 * frac.max()     # too short, too long both lose
    assert np.all(frac <= 0.1)                                            # never more than was taken up
    # per MBq administered, a longer physical half-life always gives more decays in the tissue
    per_mbq = m.time_integrated_activity_coefficient(tp, 100.0, 24.0)
    assert np.all(np.diff(per_mbq) > 0)
    assert per_mbq[-1] == pytest.approx(100.0 / math.log(2), rel=2e-3)    # → biological mean life
    assert m.time_integrated_activity_coefficient(math.inf, 100.0, 24.0) == pytest.approx(100.0 / math.log(2))


def test_time_integrated_activity_coefficient_broadcasts_and_handles_limits():
    a = m.time_integrated_activity_coefficient(np.array([[64.1], [192.5]]), np.array([10.0, 50.0, 1e3]))
    assert a.shape == (2, 3) and np.all(np.diff(a, axis=1) > 0)
    assert m.time_integrated_activity_coefficient(math.inf, math.inf, 0.0, 1.0, 10.0) == pytest.approx(10.0)
    # no decay, no clearance, uptake half-time 5 h: ∫₀¹⁰ (1 − e^{−λ_u t}) dt
    lu = math.log(2) / 5
    assert m.time_integrated_activity_coefficient(math.inf, math.inf, 5.0, 1.0, 10.0) == pytest.approx(
        10 - (1 - math.exp(-10 * lu)) / lu, rel=1e-10)
    assert m.time_integrated_activity_coefficient(64.1, 50.0, 0.0, 0.0) == 0.0


# --- MIRD absorbed dose --------------------------------------------------------------------

def test_absorbed_dose_is_decays_times_energy_over_mass():
    # 1 GBq of Y-90 held for ever in 1 kg: Ã = 10⁹ Bq × 64.1 h × 3600 s/h / ln 2 decays
    k = m.TissueKinetics(1.0, math.inf, 1000.0)
    decays = 1e9 * 64.1 * 3600 / math.log(2)
    expected = decays * 0.9331 * 1.602176634e-13 / 1.0
    assert m.absorbed_dose_gy(1000.0, Y90, k) == pytest.approx(expected, rel=1e-12)
    assert m.absorbed_dose_gy(1000.0, Y90, k) == pytest.approx(49.77, abs=0.01)
    # linear in activity and absorbed fraction, inverse in mass
    half = m.TissueKinetics(1.0, math.inf, 2000.0, absorbed_fraction=0.5)
    assert m.absorbed_dose_gy(2000.0, Y90, half) == pytest.approx(0.5 * expected)
    # per MBq, I-131's 8-day half-life makes up for its 5× smaller electron energy only partly
    per_mbq = {n.name: m.absorbed_dose_gy(1.0, n, m.TissueKinetics(0.001, 100.0, 20.0, 24.0))
               for n in (Y90, I131, LU177)}
    assert per_mbq["Y-90"] > per_mbq["I-131"] > per_mbq["Lu-177"] > 0


# ======================================================================================
# Part 2 – antibody–drug conjugates
# ======================================================================================

# --- the published numbers ------------------------------------------------------------

def test_parameters_reproduce_shah_2012_table_2():
    assert P.kd_nm == pytest.approx(2.0, abs=0.01)                        # "Based on Kd of 2 nM"
    assert math.log(2) / m.SHAH_MOUSE_DECONJUGATION_PER_DAY == pytest.approx(6.0, abs=0.25)  # "~6 days"
    # vascular exchange 2 P Rcap / RKrogh² = 2 × 334 × 8 / 75² per day
    assert P.vascular_exchange_per_day == pytest.approx(2 * 334 * 8 / 75 ** 2)
    assert P.surface_exchange_per_day == pytest.approx(6 * 0.022 / 1.0 ** 2)
    assert P.dar == 4.4 and m.T_DM1_DAR == 3.5


def test_one_picolitre_cells_turn_shah_in_vitro_antigen_into_their_tumour_antigen():
    """Shah et al.: 0.49 and 0.24 nM CD30 at 5 × 10⁵ cells/mL in culture; 976 and 483 nM in tumours."""
    for line in ("L540cy", "Karpas299"):
        per_cell = m.SHAH_IN_VITRO_ANTIGEN_NM[line] * 1e-9 * m.AVOGADRO / (m.SHAH_IN_VITRO_CELLS_PER_ML * 1e3)
        assert m.antigen_concentration_nm(per_cell, P.cells_per_ml) == pytest.approx(
            m.SHAH_XENOGRAFT_ANTIGEN_NM[line], rel=0.01)
    # the patients' 166 nM is 10⁵ CD30 per cell
    assert m.antigen_concentration_nm(1e5) == pytest.approx(m.SHAH_PATIENT_ANTIGEN_NM, rel=0.002)


# --- plasma and the healthy tissue ----------------------------------------------------------

def test_plasma_pharmacokinetics_closed_forms():
    dose = m.BRENTUXIMAB_VEDOTIN_DOSE_MG_PER_KG
    d_nmol = m.dose_nmol_per_kg(dose)
    assert d_nmol == pytest.approx(1.8e6 / 150_000)
    assert m.plasma_concentration_nm(P, 0.0, dose) == pytest.approx(d_nmol / 0.054)
    assert m.plasma_auc_nm_day(P, dose) == pytest.approx(d_nmol / 0.025, rel=1e-12)   # AUC = D/CL
    t = np.linspace(0.0, 21.0, 200_001)
    numeric = np.trapezoid(m.plasma_concentration_nm(P, t, dose), t)
    assert m.plasma_auc_nm_day(P, dose, 21.0) == pytest.approx(numeric, rel=1e-8)
    lam, _ = P.plasma_exponents()
    assert lam[0] > lam[1] > 0
    assert math.log(2) / lam[1] == pytest.approx(5.7, abs=0.1)          # terminal half-life, days


def test_healthy_payload_is_the_catabolised_and_deconjugated_plasma_adc():
    dose, days = 1.8, 21.0
    t = np.linspace(0.0, days, 200_001)
    cp = m.plasma_concentration_nm(P, t, dose)
    rate = P.dar * np.exp(-P.deconjugation_per_day * t) * (P.clearance_l_per_day_per_kg
                                                          + P.deconjugation_per_day * P.central_volume_l_per_kg) * cp
    sim = m.simulate_adc(P, dose, 1e5, days=days)
    assert sim.healthy_payload_pmol_per_g[-1] == pytest.approx(np.trapezoid(rate, t), rel=1e-8)
    # it does not depend on the tumour's antigen, and it is linear in dose
    d = m.payload_delivery(P, np.array([[0.5], [1.0], [2.0]]), np.array([0.0, 1e4, 1e6]))
    assert np.ptp(d.healthy_pmol_per_g, axis=1) == pytest.approx(0.0, abs=1e-12)
    assert d.healthy_pmol_per_g[:, 0] == pytest.approx(np.array([0.5, 1.0, 2.0]) * d.healthy_pmol_per_g[1, 0])
    # and it can never exceed the payload injected
    assert np.all(d.healthy_pmol_per_g < d.injected_pmol_per_g)


# --- the tumour ---------------------------------------------------------------------------

def _shah_full_equations(params, dose_mg_per_kg, antigens_per_cell, days):
    """Shah et al. Eqs. 13-15/17 with their kon and koff (no rapid-binding assumption)."""
    lam, c = params.plasma_exponents()
    scale = m.dose_nmol_per_kg(dose_mg_per_kg) / params.central_volume_l_per_kg
    ag = float(m.antigen_concentration_nm(antigens_per_cell))
    kon, koff = m.SHAH_KON_PER_NM_PER_DAY, m.SHAH_KOFF_PER_DAY
    kex, eps, kint, kdis = (params.exchange_rate_per_day, params.void_fraction,
                            params.internalisation_per_day, params.deconjugation_per_day)

    def rhs(t, y):
        free, bound, _ = y
        cp = scale * float(c @ np.exp(-lam * t))
        bind = kon * free * (ag - bound) - koff * bound
        dar = params.dar * math.exp(-kdis * t)
        return [kex * (eps * cp - free) - bind, bind - kint * bound,
                dar * (kint * bound + kdis * (free + bound))]

    def jac(t, y):
        free, bound, _ = y
        dar = params.dar * math.exp(-kdis * t)
        return [[-kex - kon * (ag - bound), kon * free + koff, 0.0],
                [kon * (ag - bound), -kon * free - koff - kint, 0.0],
                [dar * kdis, dar * (kint + kdis), 0.0]]

    sol = solve_ivp(rhs, (0.0, days), [0.0, 0.0, 0.0], method="Radau", jac=jac, rtol=1e-8, atol=1e-10)
    return sol.y[2, -1]


@pytest.mark.parametrize("dose, antigens", [(1.8, 1e5), (30.0, 1e5), (0.05, 1e6)])
def test_rapid_binding_reduction_matches_shah_full_equations(dose, antigens):
    full = _shah_full_equations(P, dose, antigens, 21.0)
    reduced = m.payload_delivery(P, dose, antigens, days=21.0).tumour_pmol_per_g
    assert reduced == pytest.approx(full, rel=0.01)


def test_free_adc_solves_the_binding_equilibrium():
    total = np.geomspace(1e-6, 1e5, 60)
    for ag, kd in [(166.0, 2.0), (0.0, 2.0), (1e4, 0.01), (5.0, 1e3)]:
        free = m.free_adc_nm(total, ag, kd)
        bound = total - free
        assert np.all((free >= 0) & (free <= total * (1 + 1e-12)))
        assert bound == pytest.approx(ag * free / (kd + free), rel=1e-9, abs=1e-15)


def test_more_antigen_more_payload_until_delivery_limits_it():
    antigens = np.geomspace(1e3, 1e7, 9)
    d = m.payload_delivery(P, np.array([[0.01], [1.8], [30.0]]), antigens)
    assert np.all(np.diff(d.tumour_pmol_per_g, axis=1) > 0)
    low, high = d.tumour_pmol_per_g[0], d.tumour_pmol_per_g[2]
    i5, i6 = np.searchsorted(antigens, [1e5, 1e6])
    # Thurber & Weissleder 2011 (Fig. 3): at a subsaturating dose uptake is delivery-limited and
    # similar whatever the expression; at a saturating dose it follows the number of binding sites
    assert low[i6] / low[i5] < 1.05
    assert high[i6] / high[i5] > 1.4
    assert d.peak_occupancy[2, i5] > 0.95 > 0.01 > d.peak_occupancy[0, i5]


def test_percent_injected_dose_per_gram_is_flat_then_falls_once_sites_saturate():
    doses = np.array([0.001, 0.01, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0])
    d = m.payload_delivery(P, doses, 1e5)
    pid = d.percent_injected_dose_per_g(70.0)
    assert pid[:3] == pytest.approx(np.full(3, pid[0]), rel=1e-3)   # linear regime: uptake ∝ dose
    assert np.all(np.diff(pid) <= 1e-9 * pid[0])
    assert pid[-1] < 0.5 * pid[0]
    assert 1e-3 < pid[0] < 0.1          # %ID/g of the order seen for IgG in human tumours
    assert np.all(np.diff(d.tumour_pmol_per_g) > 0)                  # absolute uptake still rises
    ratio = d.tumour_to_healthy
    assert ratio[0] > 5 and ratio[-1] < 0.5 * ratio[0]              # selectivity is lost at high dose
    assert d.tumour_enrichment == pytest.approx(pid / 100 * 70e3)


def test_uptake_stays_under_both_ceilings_and_meets_each_at_its_extreme():
    days = 21.0
    for dose in (0.01, 1.8, 100.0):
        sim = m.simulate_adc(P, dose, 1e5, days=days, n_points=50)
        taken_up = sim.internalised_nm[-1] + sim.tumour_total_nm[-1]
        delivery, binding = m.uptake_limits(P, dose, 1e5, days=days)
        assert taken_up <= delivery * (1 + 1e-6)
        assert sim.internalised_nm[-1] <= P.internalisation_per_day * sim.antigen_nm * days * (1 + 1e-6)
        assert taken_up <= binding
        if dose == 0.01:
            assert taken_up > 0.9 * delivery        # extravasation-limited
        if dose == 100.0:
            assert taken_up > 0.8 * binding          # binding-site-limited
            assert taken_up < 0.5 * delivery


def test_payload_scales_with_dar_and_without_deconjugation_equals_dar_times_internalised():
    p0 = m.ADCParams(deconjugation_per_day=0.0)
    sim = m.simulate_adc(p0, 1.8, 1e5, days=21.0, n_points=30)
    assert sim.tumour_payload_pmol_per_g == pytest.approx(p0.dar * sim.internalised_nm, rel=1e-6, abs=1e-9)
    d1 = m.payload_delivery(P, 1.8, 1e5)
    d2 = m.payload_delivery(m.ADCParams(dar=m.T_DM1_DAR), 1.8, 1e5)
    assert d2.tumour_pmol_per_g / d1.tumour_pmol_per_g == pytest.approx(3.5 / 4.4, rel=1e-6)
    assert d2.healthy_pmol_per_g / d1.healthy_pmol_per_g == pytest.approx(3.5 / 4.4, rel=1e-12)
    assert d2.tumour_to_healthy == pytest.approx(d1.tumour_to_healthy, rel=1e-6)


def test_simulation_agrees_with_the_grid_summary_and_behaves():
    sim = m.simulate_adc(P, 1.8, 1e5, days=21.0, n_points=120)
    d = m.payload_delivery(P, 1.8, 1e5, days=21.0)
    assert sim.tumour_payload_pmol_per_g[-1] == pytest.approx(d.tumour_pmol_per_g, rel=1e-6)
    assert sim.healthy_payload_pmol_per_g[-1] == pytest.approx(d.healthy_pmol_per_g, rel=1e-12)
    assert sim.occupancy.max() == pytest.approx(d.peak_occupancy, rel=0.02)
    assert np.all(np.diff(sim.tumour_payload_pmol_per_g) >= 0)
    assert np.all(np.diff(sim.plasma_nm) < 0)
    assert np.all((sim.tumour_bound_nm >= 0) & (sim.tumour_bound_nm <= sim.antigen_nm))
    assert sim.dar[0] == P.dar and sim.dar[-1] == pytest.approx(P.dar * math.exp(-0.072 * 21))
    assert sim.tumour_payload_pmol_per_g[-1] > 5 * sim.healthy_payload_pmol_per_g[-1]
    # an antigen-negative tumour still receives some payload (leaky vessels, deconjugation), far less
    neg = m.simulate_adc(P, 1.8, 0.0, days=21.0, n_points=10)
    assert np.all(neg.occupancy == 0)
    assert neg.tumour_payload_pmol_per_g[-1] < 0.1 * sim.tumour_payload_pmol_per_g[-1]
    zero = m.payload_delivery(P, 0.0, 1e5)
    assert zero.tumour_pmol_per_g == 0 and zero.healthy_pmol_per_g == 0


def test_grid_broadcasting():
    d = m.payload_delivery(P, np.geomspace(0.1, 10, 5)[:, None], np.geomspace(1e4, 1e6, 4)[None, :])
    assert d.tumour_pmol_per_g.shape == d.healthy_pmol_per_g.shape == d.peak_occupancy.shape == (5, 4)
    assert d.dose_mg_per_kg.shape == (5, 4) and d.antigens_per_cell[0, 3] == pytest.approx(1e6)
    assert np.all(np.isfinite(d.tumour_to_healthy))


# ======================================================================================
# Bad input
# ======================================================================================

@pytest.mark.parametrize("kwargs, message", [
    ({"clearance_l_per_day_per_kg": -0.025}, "clearance_l_per_day_per_kg"),
    ({"clearance_l_per_day_per_kg": 0.0}, "clearance_l_per_day_per_kg"),
    ({"central_volume_l_per_kg": float("nan")}, "central_volume_l_per_kg"),
    ({"peripheral_volume_l_per_kg": float("inf")}, "peripheral_volume_l_per_kg"),
    ({"dar": 0.0}, "dar"),
    ({"dar": "4"}, "dar"),
    ({"dar": True}, "dar"),
    ({"deconjugation_per_day": -0.1}, "deconjugation_per_day"),
    ({"void_fraction": 0.0}, "void_fraction"),
    ({"void_fraction": 1.5}, "void_fraction"),
    ({"krogh_radius_um": 5.0}, "larger than capillary_radius_um"),
    ({"kd_nm": 0.0}, "kd_nm"),
    ({"tumour_radius_cm": -1.0}, "tumour_radius_cm"),
    ({"cells_per_ml": float("nan")}, "cells_per_ml"),
    ({"permeability_um_per_day": 0.0, "diffusivity_cm2_per_day": 0.0}, "cannot both be 0"),
])
def test_impossible_adc_parameters_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        m.ADCParams(**kwargs)


@pytest.mark.parametrize("kwargs, message", [
    ({"uptake_fraction": 1.2, "biological_half_life_h": 10, "mass_g": 1}, "uptake_fraction"),
    ({"uptake_fraction": -0.1, "biological_half_life_h": 10, "mass_g": 1}, "uptake_fraction"),
    ({"uptake_fraction": 0.1, "biological_half_life_h": float("nan"), "mass_g": 1}, "biological_half_life_h"),
    ({"uptake_fraction": 0.1, "biological_half_life_h": 0.0, "mass_g": 1}, "biological_half_life_h"),
    ({"uptake_fraction": 0.1, "biological_half_life_h": 10, "mass_g": 0}, "mass_g"),
    ({"uptake_fraction": 0.1, "biological_half_life_h": 10, "mass_g": 1, "uptake_half_time_h": -1},
     "uptake_half_time_h"),
    ({"uptake_fraction": 0.1, "biological_half_life_h": 10, "mass_g": 1, "absorbed_fraction": 2}, "absorbed_fraction"),
])
def test_impossible_tissue_kinetics_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        m.TissueKinetics(**kwargs)


K = m.TissueKinetics(0.01, 50.0, 10.0)


@pytest.mark.parametrize("call, message", [
    (lambda: m.Radionuclide("X", 0.0, 0.1, 0.1, 0.0), "half_life_h"),
    (lambda: m.Radionuclide("X", 10.0, 0.2, 0.1, 0.0), "cannot be smaller"),
    (lambda: m.Radionuclide("X", 10.0, float("nan"), 0.1, 0.0), "mean_beta_energy_mev"),
    (lambda: m.effective_half_life(-1.0, 10.0), "physical half-life"),
    (lambda: m.effective_half_life(10.0, [5.0, float("nan")]), "biological half-life"),
    (lambda: m.effective_half_life(0.0, 10.0), "physical half-life"),
    (lambda: m.biological_half_life(70.0, 64.1), "cannot be longer"),
    (lambda: m.activity([-1.0, 2.0], 100.0, Y90, K), "times"),
    (lambda: m.activity(1.0, float("nan"), Y90, K), "administered activity"),
    (lambda: m.cumulated_activity(-5.0, Y90, K), "administered activity"),
    (lambda: m.time_integrated_activity_coefficient(64.1, 50.0, -1.0), "uptake half-time"),
    (lambda: m.time_integrated_activity_coefficient(64.1, 50.0, 0.0, 1.5), "uptake fraction"),
    (lambda: m.time_integrated_activity_coefficient(64.1, 50.0, 0.0, 1.0, float("nan")), "integration time"),
    (lambda: m.best_physical_half_life(0.0, 10.0), "uptake half-time"),
    (lambda: m.antigen_concentration_nm(-1.0), "antigens per cell"),
    (lambda: m.antigen_concentration_nm(1e5, 0.0), "cells_per_ml"),
    (lambda: m.dose_nmol_per_kg([1.0, -2.0]), "dose"),
    (lambda: m.dose_nmol_per_kg("a lot"), "dose"),
    (lambda: m.plasma_concentration_nm(P, float("inf"), 1.8), "times"),
    (lambda: m.simulate_adc(P, -1.0, 1e5), "dose"),
    (lambda: m.simulate_adc(P, 1.8, float("nan")), "antigens per cell"),
    (lambda: m.simulate_adc(P, 1.8, 1e5, days=0.0), "days"),
    (lambda: m.simulate_adc(P, 1.8, 1e5, n_points=1), "n_points"),
    (lambda: m.payload_delivery(P, [1.0, float("nan")], 1e5), "dose"),
    (lambda: m.payload_delivery(P, 1.0, [1e5, -1e5]), "antigens per cell"),
    (lambda: m.payload_delivery(P, 1.0, 1e5, days=-3), "days"),
    (lambda: m.payload_delivery(P, 1.0, 1e5).percent_injected_dose_per_g(0.0), "body_weight_kg"),
    (lambda: m.uptake_limits(P, 1.0, 1e5, days=float("inf")), "days"),
])
def test_bad_calls_are_refused_with_a_reason(call, message):
    with pytest.raises(ValueError, match=message):
        call()
