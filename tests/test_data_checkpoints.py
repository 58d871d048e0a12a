"""checkpoint_trials.csv and checkpoint_survival.csv: published numbers as their sources state them.

The files must load, cover the trials the checkpoint lesson relies on, agree with themselves and with each
other, and a broken copy must be refused by the loader.
"""


import pandas as pd
import pytest

from course import data

TRIALS, SURVIVAL = "checkpoint_trials", "checkpoint_survival"
RATE_ENDPOINTS = {"overall survival rate": "OS", "progression-free survival rate": "PFS"}
MEDIAN_ENDPOINTS = {"median overall survival": "OS", "median progression-free survival": "PFS"}


@pytest.fixture(scope="module")
def trials():
    return data.load(TRIALS).set_index("result_id")


@pytest.fixture(scope="module")
def survival():
    return data.load(SURVIVAL).set_index("point_id")


# --- coverage -----------------------------------------------------------------------------------------

def test_trials_cover_the_lesson(trials):
    text = " ".join(data.sources(TRIALS))
    for needle in ("Hodi FS", "(2010) N Engl J Med 363:711",        # ipilimumab vs gp100
                   "Schadendorf D", "(2015) J Clin Oncol 33:1889",   # pooled ipilimumab plateau
                   "Larkin J", "(2015) N Engl J Med 373:23",         # CheckMate 067 primary
                   "(2019) N Engl J Med 381:1535",                   # CheckMate 067 5-year
                   "(2022) J Clin Oncol 40:127",                     # CheckMate 067 6.5-year
                   "Reck M", "(2016) N Engl J Med 375:1823",         # KEYNOTE-024
                   "(2021) J Clin Oncol 39:2339",                    # KEYNOTE-024 5-year
                   "Bellmunt J", "(2017) N Engl J Med 376:1015",     # KEYNOTE-045
                   "Le DT", "(2015) N Engl J Med 372:2509"):         # mismatch-repair deficiency
        assert needle in text, needle
    names = " ".join(trials.trial)
    for trial in ("MDX010-20", "CheckMate 067", "KEYNOTE-006", "KEYNOTE-024", "KEYNOTE-045"):
        assert trial in names, trial
    assert {"melanoma", "non-small-cell lung cancer", "urothelial carcinoma"} <= set(trials.cancer)
    assert {"CTLA-4", "PD-1", "PD-1+CTLA-4"} <= set(trials.target)


def test_adverse_event_rows_cover_each_checkmate_067_arm_and_the_pd1_trials(trials):
    ae = trials[trials.endpoint.str.startswith("treatment-related adverse events")]
    cm067 = ae[ae.trial.str.startswith("CheckMate 067")]
    assert set(cm067.target) == {"CTLA-4", "PD-1", "PD-1+CTLA-4"}
    for trial in ("KEYNOTE-024", "KEYNOTE-045"):
        bands = set(ae[ae.trial.str.startswith(trial)].endpoint)
        assert {"treatment-related adverse events, any grade", "treatment-related adverse events, grade 3-5"} <= bands
    assert (ae.assessment == "not applicable").all() and (ae.unit == "%").all()
    assert ae.population.str.contains("treated patients").all()  # safety rows say whom they count


def test_survival_points_cover_each_arm_of_the_main_trials(survival):
    arms = survival.groupby("trial").arm.unique().map(set)
    assert arms["CheckMate 067"] == {"nivolumab + ipilimumab", "nivolumab", "ipilimumab"}
    assert len(arms["KEYNOTE-024"]) == 2 and len(arms["KEYNOTE-045"]) == 2 and len(arms["KEYNOTE-006"]) == 2
    cm = survival[(survival.trial == "CheckMate 067") & (survival.endpoint == "OS") & (survival.measure == "landmark")]
    for arm, group in cm.groupby("arm"):
        assert {36, 48, 60} <= set(group.time_months), arm
    kn024 = survival[(survival.trial == "KEYNOTE-024") & (survival.endpoint == "OS")]
    assert {6, 60} <= set(kn024.time_months)
    assert "pooled ipilimumab studies" in set(survival.trial)


# --- spot values, each quoted from its source --------------------------------------------------------

def test_hodi_2010_and_pooled_ipilimumab(trials, survival):
    # "median overall survival was 10.0 months ... as compared with 6.4 months ... (hazard ratio for death, 0.68)"
    med = trials.loc["hodi2010_os_median_ipi_gp100"]
    assert (med.value, med.comparator_value, med.n_patients) == (10.0, 6.4, 403)
    assert trials.loc["hodi2010_os_hr_ipi_gp100", "value"] == 0.68
    assert trials.loc["hodi2010_os_median_ipi", "value"] == 10.1
    # "median OS was 11.4 months (95% CI, 10.7 to 12.1 months) ... Three-year survival rates were 22%, 26%, and 20%"
    pooled = trials.loc["schadendorf2015_os_median"]
    assert (pooled.value, pooled.ci_low, pooled.ci_high, pooled.n_patients) == (11.4, 10.7, 12.1, 1861)
    assert [trials.loc[f"schadendorf2015_os_3y_{k}", "value"] for k in ("all", "naive", "pretreated")] == [22, 26, 20]
    assert survival.loc["pooled_ipi_eap_os_36", "survival_percent"] == 21


def test_checkmate_067_numbers(trials, survival):
    # PFS 11.5 (8.9 to 16.7) vs 2.9 months; HR 0.42 with a 99.5% interval, not 95%
    hr = trials.loc["larkin2015_pfs_hr_nivo_ipi"]
    assert (hr.value, hr.ci_low, hr.ci_high, hr.ci_level_percent) == (0.42, 0.31, 0.57, 99.5)
    assert trials.loc["larkin2015_pfs_median_nivo_ipi", ["value", "ci_low", "ci_high"]].tolist() == [11.5, 8.9, 16.7]
    # 5-year OS 52%, 44%, 26%; ORR 58%, 45%, 19% (4-year update)
    assert [trials.loc[f"larkin2019_os_5y_{k}", "value"] for k in ("nivo_ipi", "nivo", "ipi")] == [52, 44, 26]
    assert [trials.loc[f"hodi2018_orr_{k}", "value"] for k in ("nivo_ipi", "nivo", "ipi")] == [58, 45, 19]
    # median OS 72.1, 36.9 and 19.9 months at 6.5 years
    assert [survival.loc[f"cm067_{k}_os_median", "time_months"] for k in ("nivo_ipi", "nivo", "ipi")] == [72.1, 36.9, 19.9]
    assert [trials.loc[f"larkin2015_trae_g34_{k}", "value"] for k in ("nivo_ipi", "nivo", "ipi")] == [55.0, 16.3, 27.3]


def test_keynote_024_and_045_numbers(trials, survival):
    # "Median progression-free survival was 10.3 months ... versus 6.0 months ... (hazard ratio ... 0.50)"
    pfs = trials.loc["reck2016_pfs_median"]
    assert (pfs.value, pfs.comparator_value, pfs.assessment) == (10.3, 6.0, "blinded independent central review")
    assert trials.loc["reck2016_pfs_hr", ["value", "ci_low", "ci_high"]].tolist() == [0.50, 0.37, 0.68]
    assert trials.loc["reck2016_orr", ["value", "comparator_value"]].tolist() == [44.8, 27.8]
    # "5-year OS rate were 31.9% for the pembrolizumab group and 16.3% for the chemotherapy group"
    assert trials.loc["reck2021_os_5y", ["value", "comparator_value", "timepoint_months"]].tolist() == [31.9, 16.3, 60]
    assert survival.loc["kn024_chemo_os_60", "survival_percent"] == 16.3
    # KEYNOTE-045: median OS 10.3 vs 7.4 months, HR 0.73 (0.59 to 0.91); ORR 21.1% vs 11.4%
    os_ = trials.loc["bellmunt2017_os_median"]
    assert (os_.value, os_.comparator_value, os_.ci_low, os_.ci_high) == (10.3, 7.4, 8.0, 11.8)
    assert trials.loc["bellmunt2017_os_hr", ["value", "ci_low", "ci_high"]].tolist() == [0.73, 0.59, 0.91]
    assert trials.loc["bellmunt2017_orr", ["value", "comparator_value"]].tolist() == [21.1, 11.4]
    assert trials.loc["bellmunt2017_trae_g35", ["value", "comparator_value"]].tolist() == [15.0, 49.4]


def test_mismatch_repair_counts_give_the_stated_percentages(trials):
    # "40% (4 of 10 patients) and 78% (7 of 9 patients) ... 0% (0 of 18 patients) and 11% (2 of 18 patients)"
    orr, pfs = trials.loc["le2015_irorr_dmmr_crc"], trials.loc["le2015_irpfs20w_dmmr_crc"]
    assert round(100 * 4 / orr.n_patients) == orr.value and orr.comparator_value == round(100 * 0 / 18)
    assert round(100 * 7 / pfs.n_patients) == pfs.value and pfs.comparator_value == round(100 * 2 / 18)
    assert trials.loc["le2015_irorr_dmmr_noncrc", "value"] == round(100 * 5 / 7)
    assert trials.loc["le2017_orr", ["value", "n_patients"]].tolist() == [53, 86]


# --- internal consistency ----------------------------------------------------------------------------

def test_trial_rows_are_internally_consistent(trials):
    pct = trials[trials.unit == "%"]
    assert (pct.value <= 100).all() and (pct.comparator_value.dropna() <= 100).all()
    has_ci = trials.ci_low.notna()
    assert (has_ci == trials.ci_high.notna()).all() and (has_ci == trials.ci_level_percent.notna()).all()
    ci = trials[has_ci]
    assert ((ci.ci_low <= ci.value) & (ci.value <= ci.ci_high)).all()
    assert (trials.comparator[trials.comparator_value.notna()] != "").all()
    hr = trials[trials.endpoint.str.startswith("hazard ratio")]
    assert (hr.unit == "hazard ratio").all() and (hr.comparator != "").all() and hr.comparator_value.isna().all()
    assert (trials.unit[~trials.endpoint.str.startswith("hazard ratio")] != "hazard ratio").all()
    rates = trials[trials.endpoint.isin(list(RATE_ENDPOINTS))]
    assert rates.timepoint_months.notna().all() and (rates.unit == "%").all()
    assert trials.timepoint_months[~trials.endpoint.isin(list(RATE_ENDPOINTS))].isna().all()
    medians = trials[trials.endpoint.isin(list(MEDIAN_ENDPOINTS))]
    assert (medians.unit == "months").all()
    assert (trials.verified_from.str.len() > 20).all()


def test_grade_3_or_worse_never_exceeds_any_grade(trials):
    ae = trials[trials.endpoint.str.startswith("treatment-related adverse events")].copy()
    ae["arm"] = ae.trial + " | " + ae.regimen
    for arm, group in ae.groupby("arm"):
        by_band = dict(zip(group.endpoint, group.value))
        severe = [v for band, v in by_band.items() if "grade 3" in band]
        if "treatment-related adverse events, any grade" in by_band and severe:
            assert max(severe) <= by_band["treatment-related adverse events, any grade"], arm


def test_survival_rows_are_internally_consistent(survival):
    medians, landmarks = survival[survival.measure == "median"], survival[survival.measure == "landmark"]
    assert (medians.survival_percent == 50).all()
    has_ci = survival.ci_low.notna()
    assert (has_ci == survival.ci_high.notna()).all()
    m = medians[medians.ci_low.notna()]
    assert ((m.ci_low <= m.time_months) & (m.time_months <= m.ci_high)).all()
    lm = landmarks[landmarks.ci_low.notna()]
    assert ((lm.ci_low <= lm.survival_percent) & (lm.survival_percent <= lm.ci_high)).all()
    assert (survival.verified_from.str.len() > 20).all()


def test_survival_never_rises_over_time_within_an_arm(survival):
    for (trial, arm, endpoint), curve in survival.groupby(["trial", "arm", "endpoint"]):
        curve = curve.sort_values(["time_months", "survival_percent"], ascending=[True, False])
        steps = curve.survival_percent.diff().dropna()
        assert (steps <= 0).all(), f"{trial} / {arm} / {endpoint}:\n{curve[['time_months', 'survival_percent']]}"


def test_progression_free_survival_never_exceeds_overall_survival(survival):
    # progression or death ends PFS, so at any time PFS <= OS in the same arm of the same trial
    for (trial, arm), group in survival.groupby(["trial", "arm"]):
        os_ = group[group.endpoint == "OS"]
        pfs = group[group.endpoint == "PFS"]
        for _, point in pfs[pfs.measure == "landmark"].iterrows():
            same_time = os_[(os_.measure == "landmark") & (os_.time_months == point.time_months)]
            assert (point.survival_percent <= same_time.survival_percent).all(), (trial, arm, point.time_months)
        if (pfs.measure == "median").any() and (os_.measure == "median").any():
            assert pfs[pfs.measure == "median"].time_months.max() <= os_[os_.measure == "median"].time_months.min()


def test_every_survival_point_is_also_a_result_row_with_the_same_number(trials, survival):
    """A typo in either file breaks the match: each curve point must appear among the results of its source."""
    for pid, point in survival.iterrows():
        same_source = trials[trials.source == point.source]
        if point.measure == "landmark":
            rows = same_source[(same_source.endpoint.map(RATE_ENDPOINTS) == point.endpoint)
                               & (same_source.timepoint_months == point.time_months)]
            wanted = point.survival_percent
        else:
            rows = same_source[same_source.endpoint.map(MEDIAN_ENDPOINTS) == point.endpoint]
            wanted = point.time_months
        assert ((rows.value == wanted) | (rows.comparator_value == wanted)).any(), pid


# --- a broken copy is refused --------------------------------------------------------------------------

def _refused(name, broken, message, tmp_path):
    path = tmp_path / f"{name}.csv"
    broken.to_csv(path, index=False)
    reread = pd.read_csv(path, dtype=str, keep_default_na=False)
    with pytest.raises(data.DataError, match=message):
        data.validate(name, reread)


@pytest.mark.parametrize("column,bad,message", [
    ("source", "Larkin J et al. (2019) N Engl J Med 381:1535", "DOI or PMID"),   # no identifier
    ("source", "Larkin J et al., N Engl J Med. doi:10.1056/NEJMoa1910836", "DOI or PMID"),  # no year
    ("target", "PD-2", "'target' must be one of"),
    ("cancer", "melanome", "'cancer' must be one of"),
    ("endpoint", "overall survival", "'endpoint' must be one of"),
    ("unit", "percent", "'unit' must be one of"),
    ("value", "ten", "non-numeric 'value'"),
    ("n_patients", "403.5", "whole numbers"),
    ("ci_level_percent", "100", "'ci_level_percent' above"),
    ("statement", "", "empty 'statement'"),
    ("verified_from", "", "empty 'verified_from'"),
])
def test_a_broken_trials_copy_is_refused(tmp_path, column, bad, message):
    broken = data.read_raw(TRIALS)
    broken.loc[0, column] = bad
    _refused(TRIALS, broken, message, tmp_path)


@pytest.mark.parametrize("column,bad,message", [
    ("survival_percent", "120", "'survival_percent' above 100"),
    ("survival_percent", "-1", "'survival_percent' below"),
    ("time_months", "-6", "'time_months' below"),
    ("endpoint", "DFS", "'endpoint' must be one of"),
    ("measure", "mean", "'measure' must be one of"),
    ("target", "PD1", "'target' must be one of"),
    ("source", "Reck M et al. (2021) J Clin Oncol 39:2339", "DOI or PMID"),
    ("arm", "", "empty 'arm'"),
])
def test_a_broken_survival_copy_is_refused(tmp_path, column, bad, message):
    broken = data.read_raw(SURVIVAL)
    broken.loc[0, column] = bad
    _refused(SURVIVAL, broken, message, tmp_path)


@pytest.mark.parametrize("name,key", [(TRIALS, "result_id"), (SURVIVAL, "point_id")])
def test_duplicate_ids_and_missing_columns_are_refused(name, key):
    dup = data.read_raw(name)
    dup.loc[1, key] = dup.loc[0, key]
    with pytest.raises(data.DataError, match=f"duplicate {key}"):
        data.validate(name, dup)
    with pytest.raises(data.DataError, match="columns"):
        data.validate(name, data.read_raw(name).drop(columns="verified_from"))


@pytest.mark.parametrize("name", [TRIALS, SURVIVAL])
def test_the_unbroken_raw_copy_passes(name):
    assert len(data.validate(name, data.read_raw(name))) == len(data.load(name))
