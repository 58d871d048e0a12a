"""hpv_vaccine_impact.csv and vaccine_trials.csv: published numbers as their sources state them.

The files must load, cover what the vaccine lesson (06) relies on, agree with themselves and with what the papers
say about how their numbers relate (age at vaccination, analysis populations, arms and counts), and a broken copy
must be refused by the loader.
"""


import pandas as pd
import pytest

from course import data

HPV, TRIALS = "hpv_vaccine_impact", "vaccine_trials"


@pytest.fixture(scope="module")
def hpv():
    return data.load(HPV).set_index("result_id")


@pytest.fixture(scope="module")
def trials():
    return data.load(TRIALS).set_index("result_id")


# --- coverage -----------------------------------------------------------------------------------------

def test_hpv_file_covers_the_cohorts_and_trials_of_the_lesson(hpv):
    text = " ".join(data.sources(HPV))
    for needle in ("Lei J", "(2020) N Engl J Med 383:1340", "doi:10.1056/NEJMoa1917338",        # Sweden
                   "Falcaro M", "(2021) Lancet 398:2084", "doi:10.1016/S0140-6736(21)02178-4",  # England
                   "Palmer TJ", "doi:10.1093/jnci/djad263",                                   # Scotland
                   "FUTURE II Study Group (2007) N Engl J Med 356:1915", "doi:10.1056/NEJMoa061741",
                   "Paavonen J", "(2009) Lancet 374:301", "doi:10.1016/S0140-6736(09)61248-4",
                   "Joura EA"):
        assert needle in text, needle
    assert {"Sweden", "England", "Scotland", "FUTURE II", "PATRICIA"} <= set(hpv.setting)
    assert set(hpv.study_type) == {"cohort", "randomised trial"}
    patricia = set(hpv.analysis_set[hpv.setting == "PATRICIA"])
    assert patricia == {"per-protocol", "intention-to-treat", "naive subset of intention-to-treat"}
    sweden = hpv[(hpv.source.str.startswith("Lei J, Ploner A")) & (hpv.measure == "incidence rate ratio")]
    assert set(sweden.adjusted) == {"yes"} and sweden.adjusted_for.nunique() == 2  # age-only and full adjustment


def test_trials_file_covers_each_kind_of_vaccine(trials):
    assert set(trials.vaccine_kind) >= {"preventive", "dendritic cell", "oncolytic virus", "mRNA neoantigen"}
    text = " ".join(data.sources(TRIALS))
    for needle in ("Kantoff PW", "doi:10.1056/NEJMoa1001294", "Chang MH", "doi:10.1056/NEJM199706263362602",
                   "Weber JS", "(2024) Lancet 403:632", "Rojas LA", "Andtbacka RHI"):
        assert needle in text, needle


# --- spot values, each quoted from its source --------------------------------------------------------

def test_sweden_lei_2020(hpv):
    # "After adjustment for age at follow-up, the incidence rate ratio ... was 0.51 (95% CI, 0.32 to 0.82).
    #  After additional adjustment for other covariates, the incidence rate ratio was 0.37 (95% CI, 0.21 to 0.57)."
    assert hpv.loc["lei2020_irr_all_age_adjusted", ["value", "ci_low", "ci_high"]].tolist() == [0.51, 0.32, 0.82]
    assert hpv.loc["lei2020_irr_all_full", ["value", "ci_low", "ci_high"]].tolist() == [0.37, 0.21, 0.57]
    # "the incidence rate ratio was 0.12 (95% CI, 0.00 to 0.34) among women who had been vaccinated before the age
    #  of 17 years and 0.47 (95% CI, 0.27 to 0.75) among women who had been vaccinated at the age of 17 to 30 years"
    before17, later = hpv.loc["lei2020_irr_before17_full"], hpv.loc["lei2020_irr_17to30_full"]
    assert (before17.value, before17.ci_low, before17.ci_high, before17.age_at_vaccination_max) == (0.12, 0.0, 0.34, 16)
    assert (later.value, later.ci_low, later.ci_high) == (0.47, 0.27, 0.75)
    assert (later.age_at_vaccination_min, later.age_at_vaccination_max) == (17, 30)
    # a 2026 review restates them as "an 88% lower risk" before 17 and "a 53% reduction" at 17-30: 1 - IRR
    assert round(100 * (1 - before17.value)) == 88 and round(100 * (1 - later.value)) == 53
    # "19 women who had received the quadrivalent HPV vaccine and ... 538 women who had not"; "47 cases per
    #  100,000 persons among women who had been vaccinated and 94 cases per 100,000 persons among those who had not"
    assert hpv.loc["lei2020_cases_vaccinated", "value"] == 19 and hpv.loc["lei2020_cases_unvaccinated", "value"] == 538
    assert hpv.loc["lei2020_cuminc_vaccinated", "value"] == 47 and hpv.loc["lei2020_cuminc_unvaccinated", "value"] == 94


def test_england_falcaro_2021_and_its_update(hpv):
    # "34% (95% CI 25-41) for age 16-18 years (school year 12-13), 62% (52-71) for age 14-16 years (school year
    #  10-11), and 87% (72-94) for age 12-13 years (school year 8)"
    cancer = [hpv.loc[f"falcaro2021_cancer_rr_{b}", ["value", "ci_low", "ci_high"]].tolist()
              for b in ("12to13", "14to16", "16to18")]
    assert cancer == [[87, 72, 94], [62, 52, 71], [34, 25, 41]]
    # CIN3: "39% (95% CI = 36%-41%) for age 16 to 18, 75% (95% CI = 72%-77%) for age 14 to 16, and 97% (95% CI =
    #  96%-98%) for age 12 to 13"
    cin3 = [hpv.loc[f"falcaro2021_cin3_rr_{b}", ["value", "ci_low", "ci_high"]].tolist()
            for b in ("12to13", "14to16", "16to18")]
    assert cin3 == [[97, 96, 98], [75, 72, 77], [39, 36, 41]]
    # "crude incidence rates were 0.3/100,000 women-years for cervical cancer and 2.0/100,000 women-years for CIN3"
    assert hpv.loc["falcaro2021_cancer_crude_12to13", "value"] == 0.3
    assert hpv.loc["falcaro2021_cin3_crude_12to13", "value"] == 2.0
    # 2024 update: "83.9% (95% confidence interval (CI) 63.8% to 92.8%) and 94.3% (92.6% to 95.7%) lower"
    assert hpv.loc["falcaro2024_cancer_rr_12to13", ["value", "ci_low", "ci_high"]].tolist() == [83.9, 63.8, 92.8]
    assert hpv.loc["falcaro2024_cin3_rr_12to13", ["value", "ci_low", "ci_high"]].tolist() == [94.3, 92.6, 95.7]


def test_scotland_and_denmark(hpv):
    # "No cases of invasive cancer were recorded in women immunized at 12 or 13 years of age"
    scot = hpv.loc["palmer2024_cases_12to13"]
    assert scot.value == 0 and (scot.age_at_vaccination_min, scot.age_at_vaccination_max) == (12, 13)
    # "0.14 (95% CI = 0.04 to 0.53) and 0.32 (95% CI = 0.08 to 1.28)"; "(IRR = 1.19, 95% CI = 0.80 to 1.79)"
    dk = [hpv.loc[f"kjaer2021_irr_{b}", ["value", "ci_low", "ci_high"]].tolist() for b in ("16orless", "17to19", "20to30")]
    assert dk == [[0.14, 0.04, 0.53], [0.32, 0.08, 1.28], [1.19, 0.80, 1.79]]


def test_trial_efficacy_numbers(hpv):
    # FUTURE II: "98% (95.89% confidence interval [CI], 86 to 100) in the per-protocol susceptible population and
    #  44% (95% ..." in the intention-to-treat population
    pp = hpv.loc["future2_pp"]
    assert (pp.value, pp.ci_low, pp.ci_high, pp.ci_level_percent) == (98, 86, 100, 95.89)
    assert hpv.loc["future2_itt", "value"] == 44 and pd.isna(hpv.loc["future2_itt", "ci_low"])
    # Combined FUTURE I/II: "99% for the primary endpoint (95% CI 93-100)"; intention to treat "44% (95% CI 31-55)"
    assert hpv.loc["ault2007_pp", ["value", "ci_low", "ci_high"]].tolist() == [99, 93, 100]
    assert hpv.loc["ault2007_itt", ["value", "ci_low", "ci_high"]].tolist() == [44, 31, 55]
    # PATRICIA: "92.9% (96.1% CI 79.9-98.3) in the primary analysis"; TVC "52.8% (37.5, 64.7)";
    #  TVC-naive "98.4% (90.4, 100)"
    atp = hpv.loc["paavonen2009_atp"]
    assert (atp.value, atp.ci_low, atp.ci_high, atp.ci_level_percent) == (92.9, 79.9, 98.3, 96.1)
    assert hpv.loc["apter2015_tvc_cin2_hpv1618", ["value", "ci_low", "ci_high"]].tolist() == [52.8, 37.5, 64.7]
    assert hpv.loc["apter2015_naive_cin2_hpv1618", ["value", "ci_low", "ci_high"]].tolist() == [98.4, 90.4, 100]
    # 9-valent: "96.7 (80.9-99.8)" against the quadrivalent vaccine, 1 vs 30 cases
    nine = hpv.loc["joura2015_pp"]
    assert (nine.value, nine.ci_low, nine.ci_high) == (96.7, 80.9, 99.8) and "quadrivalent" in nine.vaccine


def test_vaccine_trial_numbers(trials):
    # IMPACT: "hazard ratio, 0.78; 95% confidence interval [CI], 0.61 to 0.98 ... (25.8 months in the sipuleucel-T
    #  group vs. 21.7 months in the placebo group). The 36-month survival probability was 31.7% ... versus 23.0%"
    assert trials.loc["kantoff2010_os_hr", ["value", "ci_low", "ci_high", "n_patients"]].tolist() == [0.78, 0.61, 0.98, 512]
    assert trials.loc["kantoff2010_os_median_sipt", "value"] == 25.8
    assert trials.loc["kantoff2010_os_median_placebo", "value"] == 21.7
    assert [trials.loc[f"kantoff2010_os_36m_{a}", "value"] for a in ("sipt", "placebo")] == [31.7, 23.0]
    # OPTiM final: "Median OS was 23.3 months (95% CI, 19.5-29.6) and 18.9 months (95% CI, 16.0-23.7) ...
    #  (unstratified hazard ratio, 0.79; 95% CI, 0.62-1.00"; "ORR was 31.5 and 6.4%"
    assert trials.loc["optim_final_os_median_tvec", ["value", "ci_low", "ci_high"]].tolist() == [23.3, 19.5, 29.6]
    assert trials.loc["optim_final_os_hr", ["value", "ci_low", "ci_high"]].tolist() == [0.79, 0.62, 1.00]
    assert [trials.loc[f"optim_final_orr_{a}", "value"] for a in ("tvec", "gmcsf")] == [31.5, 6.4]
    # Taiwan: "declined from 0.70 per 100,000 children between 1981 and 1986 to 0.57 between 1986 and 1990, and to
    #  0.36 between 1990 and 1994"; 6-9 years "from 0.52 for those born between 1974 and 1984 to 0.13"
    periods = [trials.loc[f"chang1997_hcc_6to14_{p}", "value"] for p in ("1981_86", "1986_90", "1990_94")]
    assert periods == [0.70, 0.57, 0.36]
    assert [trials.loc[f"chang1997_hcc_6to9_born_{c}", "value"] for c in ("1974_84", "1984_86")] == [0.52, 0.13]
    # KEYNOTE-942: "hazard ratio for recurrence-free survival ... 0.561 (95% CI = 0.309-1.017, P = .053); rates at
    #  12 and 18 months were 83% vs 77% and 79% vs 62%"
    assert trials.loc["weber2024_rfs_hr", ["value", "ci_low", "ci_high", "n_patients"]].tolist() == [0.561, 0.309, 1.017, 157]
    assert [trials.loc[f"weber2024_rfs_18m_{a}", "value"] for a in ("combo", "pembro")] == [79, 62]
    assert trials.loc["weber2024_dmfs_hr", ["value", "ci_low", "ci_high"]].tolist() == [0.347, 0.145, 0.828]


def test_the_numbers_the_abstracts_derive_from_others(trials):
    # IMPACT: "a relative reduction of 22% in the risk of death" (1 - HR) and "a 4.1-month improvement in median
    #  survival" (difference of the two medians)
    assert round(100 * (1 - trials.loc["kantoff2010_os_hr", "value"])) == 22
    diff = trials.loc["kantoff2010_os_median_sipt", "value"] - trials.loc["kantoff2010_os_median_placebo", "value"]
    assert round(diff, 1) == 4.1
    # OPTiM Table 1: durable response "57 (19.3)" of 295 and "2 (1.4)" of 141
    for rid, responders in (("optim_final_drr_tvec", 57), ("optim_final_drr_gmcsf", 2)):
        row = trials.loc[rid]
        assert round(100 * responders / row.n_patients, 1) == row.value, rid
    # KEYNOTE-942: "24 patients (22%) in the combination group vs 20 patients (40%) in the control group"
    for rid, events in (("weber2024_rfs_events_combo", 24), ("weber2024_rfs_events_pembro", 20)):
        row = trials.loc[rid]
        assert round(100 * events / row.n_patients) == row.value, rid
    # autogene cevumeran: vaccine-expanded T cells in half of the 16 vaccinated patients
    roj = trials.loc["rojas2023_responders"]
    assert roj.value / roj.n_patients == 0.5


# --- consistency that could fail ---------------------------------------------------------------------

@pytest.mark.parametrize("name", [HPV, TRIALS])
def test_every_interval_contains_its_estimate(name):
    frame = data.load(name)
    ci = frame[frame.ci_low.notna()]
    bad = ci[(ci.ci_low > ci.value) | (ci.value > ci.ci_high)]
    assert bad.empty, bad[["result_id", "ci_low", "value", "ci_high"]]
    assert (frame.verified_from.str.len() > 20).all() and (frame.statement.str.len() > 15).all()


def test_percentages_and_efficacies_stay_within_100(hpv, trials):
    pct = hpv[hpv.measure.isin(["relative reduction %", "vaccine efficacy %"])]
    assert (pct.value <= 100).all() and (pct.ci_high.dropna() <= 100).all()
    assert (trials.value[trials.unit == "%"] <= 100).all()
    # efficacy is what randomised trials measure; cohorts report rate ratios, reductions and counts
    assert (hpv.measure[hpv.study_type == "randomised trial"] == "vaccine efficacy %").all()
    assert (hpv.measure[hpv.study_type == "cohort"] != "vaccine efficacy %").all()


def _innermost_bands(group: pd.DataFrame) -> pd.DataFrame:
    """Drop rows whose age range contains another row's range (an 'any age' overall estimate)."""
    lo = group.age_at_vaccination_min.fillna(0).astype(float)
    hi = group.age_at_vaccination_max.fillna(100).astype(float)
    keep = []
    for i in group.index:
        inner = [(lo[j] >= lo[i]) and (hi[j] <= hi[i]) for j in group.index if j != i]
        keep.append(not any(inner))
    return group[keep]


def test_younger_age_at_vaccination_protects_more_in_every_cohort_study(hpv):
    """Each cohort paper reports the strongest protection in its youngest band (Lei, Falcaro, Kjaer, Wu)."""
    cohorts = hpv[(hpv.study_type == "cohort")
                  & hpv.measure.isin(["incidence rate ratio", "relative reduction %"])]
    checked = 0
    for key, group in cohorts.groupby(["source", "outcome", "measure", "adjusted_for"]):
        bands = _innermost_bands(group)
        if len(bands) < 2:
            continue
        bands = bands.assign(start=bands.age_at_vaccination_min.fillna(0).astype(float)).sort_values("start")
        assert bands.start.is_monotonic_increasing and bands.start.is_unique, key
        if key[2] == "incidence rate ratio":   # a lower ratio is more protection
            assert bands.value.is_monotonic_increasing and bands.value.is_unique, (key, bands.value.tolist())
        else:                                  # a larger reduction is more protection
            assert bands.value.is_monotonic_decreasing and bands.value.is_unique, (key, bands.value.tolist())
        checked += 1
    assert checked >= 5  # Sweden 2020 and 2026, England cancer and CIN3, Denmark


def test_the_overall_swedish_estimate_lies_between_its_age_bands(hpv):
    overall = hpv.loc["lei2020_irr_all_full", "value"]
    assert hpv.loc["lei2020_irr_before17_full", "value"] < overall < hpv.loc["lei2020_irr_17to30_full", "value"]


def _efficacy_by_set(hpv):
    trials = hpv[hpv.study_type == "randomised trial"]
    for (setting, outcome), group in trials.groupby(["setting", "outcome"]):
        yield setting, outcome, {s: group.value[group.analysis_set == s].tolist() for s in group.analysis_set.unique()}


def test_per_protocol_and_naive_efficacy_exceed_intention_to_treat(hpv):
    """Women already infected (counted in intention-to-treat) gain little, so efficacy is lower there."""
    compared = 0
    for setting, outcome, sets in _efficacy_by_set(hpv):
        itt = sets.get("intention-to-treat", [])
        for better in ("per-protocol", "naive subset of intention-to-treat"):
            for value in sets.get(better, []):
                for low in itt:
                    assert value >= low, (setting, outcome, better, value, low)
                    compared += 1
    assert compared >= 6  # FUTURE II, FUTURE I/II, PATRICIA (HPV16/18 CIN2+, any-type CIN2+ and CIN3+)


def test_patricia_naive_cohort_exceeds_even_the_per_protocol_cohort(hpv):
    """Not a rule: per-protocol is not always the highest. PATRICIA's HPV-naive total vaccinated cohort (98.4%,
    Apter 2015) beats the according-to-protocol primary analysis (92.9%, Paavonen 2009), so the lesson must not
    say 'per-protocol efficacy is the upper bound'."""
    assert hpv.loc["apter2015_naive_cin2_hpv1618", "value"] > hpv.loc["paavonen2009_atp", "value"]


def test_hazard_and_odds_ratios_cover_both_arms(trials):
    ratios = trials[trials.unit.isin(["hazard ratio", "odds ratio"])]
    assert ratios.group.str.contains(" vs ").all()
    for rid, row in ratios.iterrows():
        arms = trials[(trials.source == row.source) & trials.group.str.endswith(" arm")]
        assert row.n_patients == arms.groupby("group").n_patients.first().sum(), rid


def test_survival_rates_fall_with_time_and_distant_metastasis_free_survival_is_higher(trials):
    rates = trials[trials.measure.str.endswith("survival rate")]
    for (source, group, measure), curve in rates.groupby(["source", "group", "measure"]):
        assert curve.sort_values("timepoint_months").value.is_monotonic_decreasing, (group, measure)
    # every distant metastasis (or death) also ends recurrence-free survival, so DMFS >= RFS at the same time
    kn = rates[rates.source.str.contains("Weber JS")]
    for (group, t), same in kn.groupby(["group", "timepoint_months"]):
        by = dict(zip(same.measure, same.value))
        if {"recurrence-free survival rate", "distant metastasis-free survival rate"} <= set(by):
            assert by["distant metastasis-free survival rate"] >= by["recurrence-free survival rate"], (group, t)


def test_childhood_liver_cancer_falls_after_hepatitis_b_vaccination(trials):
    hb = trials[trials.source.str.contains("Chang MH")]
    periods = hb[hb.group.str.startswith("children 6-14 years")].sort_values("group")
    assert periods.value.is_monotonic_decreasing and periods.value.is_unique
    born = hb[hb.group.str.startswith("children 6-9 years")].sort_values("group")
    assert born.value.iloc[-1] < born.value.iloc[0]


# --- a broken copy is refused --------------------------------------------------------------------------

def _refused(name, broken, message, tmp_path):
    path = tmp_path / f"{name}.csv"
    broken.to_csv(path, index=False)
    reread = pd.read_csv(path, dtype=str, keep_default_na=False)
    with pytest.raises(data.DataError, match=message):
        data.validate(name, reread)


def _row(frame, rid):
    return frame.index[frame.result_id == rid][0]


@pytest.mark.parametrize("rid,column,bad,message", [
    ("lei2020_irr_before17_full", "source", "Lei J et al. (2020) N Engl J Med 383:1340", "DOI or PMID"),
    ("lei2020_irr_before17_full", "setting", "Sverige", "'setting' must be one of"),
    ("lei2020_irr_before17_full", "study_type", "registry", "'study_type' must be one of"),
    ("lei2020_irr_before17_full", "measure", "IRR", "'measure' must be one of"),
    ("lei2020_irr_before17_full", "adjusted", "partly", "'adjusted' must be one of"),
    ("lei2020_irr_before17_full", "adjusted", "no", "adjust for"),
    ("lei2020_irr_before17_full", "ci_high", "", "ci_low and ci_high"),
    ("lei2020_irr_before17_full", "age_at_vaccination_min", "20", "age_at_vaccination_min > age_at_vaccination_max"),
    ("lei2020_irr_before17_full", "age_at_vaccination_max", "16.5", "whole numbers"),
    ("lei2020_irr_before17_full", "analysis_set", "per-protocol", "trial analysis set"),
    ("future2_pp", "analysis_set", "not applicable (observational)", "trial analysis set"),
    ("future2_pp", "ci_level_percent", "100", "'ci_level_percent' above"),
    ("future2_pp", "verified_from", "", "empty 'verified_from'"),
])
def test_a_broken_hpv_copy_is_refused(tmp_path, rid, column, bad, message):
    broken = data.read_raw(HPV)
    broken.loc[_row(broken, rid), column] = bad
    _refused(HPV, broken, message, tmp_path)


@pytest.mark.parametrize("rid,column,bad,message", [
    ("kantoff2010_os_hr", "vaccine_kind", "cell therapy", "'vaccine_kind' must be one of"),
    ("kantoff2010_os_hr", "unit", "months", "is not measured in"),
    ("kantoff2010_os_median_sipt", "unit", "%", "is not measured in"),
    ("kantoff2010_os_36m_sipt", "timepoint_months", "", "survival rate needs timepoint_months"),
    ("kantoff2010_os_median_sipt", "timepoint_months", "12", "survival rate needs timepoint_months"),
    ("kantoff2010_os_hr", "ci_level_percent", "", "ci_low and ci_high"),
    ("kantoff2010_os_hr", "n_patients", "512.5", "whole numbers"),
    ("kantoff2010_os_hr", "value", "-0.2", "'value' below"),
    ("chang1997_hcc_6to14_1981_86", "source", "Chang MH et al., N Engl J Med 336:1855", "DOI or PMID"),
])
def test_a_broken_trials_copy_is_refused(tmp_path, rid, column, bad, message):
    broken = data.read_raw(TRIALS)
    broken.loc[_row(broken, rid), column] = bad
    _refused(TRIALS, broken, message, tmp_path)


@pytest.mark.parametrize("name", [HPV, TRIALS])
def test_duplicate_ids_and_missing_columns_are_refused_and_the_raw_copy_passes(name):
    dup = data.read_raw(name)
    dup.loc[1, "result_id"] = dup.loc[0, "result_id"]
    with pytest.raises(data.DataError, match="duplicate result_id"):
        data.validate(name, dup)
    with pytest.raises(data.DataError, match="columns"):
        data.validate(name, data.read_raw(name).drop(columns="verified_from"))
    assert len(data.validate(name, data.read_raw(name))) == len(data.load(name))
