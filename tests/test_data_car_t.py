"""CD19 CAR-T clinical data (lesson 05): the pivotal trials and the cited CRS risk relations.

The point of these files is that every number is quoted the way its source states it: the population the
percentage is of (enrolled, infused, evaluable, responders), the measure (CR + CRi, best overall response,
landmark or median) and, for toxicity, the grading scale.  The spot checks quote the sentence each number was
read in; the consistency checks are arithmetic a typo would break.
"""

import math

import pytest

from course import data

TRIALS = "car_t_trials"
TOX = "car_t_toxicity"

TOXICITY_WORDS = ("CRS", "neurologic", "adverse events")
# Kaplan-Meier landmarks and medians are estimates, not crude proportions of n_patients.
ESTIMATES = ("survival", "median")


@pytest.fixture(scope="module")
def trials():
    return data.load(TRIALS).set_index("key")


@pytest.fixture(scope="module")
def tox():
    return data.load(TOX).set_index("key")


def _achievable(value: float, n: int, decimals: int) -> bool:
    """Is some whole number of patients k out of n equal to value once rounded to the stated decimals?"""
    return any(abs(round(100 * k / n, decimals) - value) < 1e-9 for k in range(n + 1))


# --- the loader accepts the files; coverage --------------------------------------------------------------

def test_both_files_load_and_cover_the_pivotal_trials(trials, tox):
    assert set(trials.trial) == {"ELIANA", "ZUMA-1", "JULIET", "TRANSCEND NHL 001"}
    assert set(trials["product"]) == {"tisagenlecleucel", "axicabtagene ciloleucel", "lisocabtagene maraleucel"}
    text = " ".join(data.sources(TRIALS))
    for needle in ("Maude SL", "(2018) N Engl J Med 378:439",        # ELIANA
                   "Laetsch TW", "(2023) J Clin Oncol 41:1664",       # ELIANA 3-year update
                   "Neelapu SS", "(2017) N Engl J Med 377:2531",      # ZUMA-1
                   "(2023) Blood 141:2307",                           # ZUMA-1 5-year
                   "Schuster SJ", "(2019) N Engl J Med 380:45",       # JULIET
                   "Abramson JS", "(2020) Lancet 396:839"):           # TRANSCEND NHL 001
        assert needle in text, needle
    tox_sources = " ".join(data.sources(TOX))
    for needle in ("Hay KA", "Park JH", "Frey NV", "Teachey DT", "Pennisi M"):
        assert needle in tox_sources, needle
    # each trial has efficacy and toxicity rows, and at least one follow-up beyond the primary analysis
    for trial, rows in trials.groupby("trial"):
        assert rows.measure.str.contains("response|remission").any(), trial
        assert rows.measure.str.startswith("CRS").any(), trial
    assert trials.analysis.str.contains("5-year|3-year|long-term").sum() >= 3


# --- every row is checkable ---------------------------------------------------------------------------------

def test_every_trial_row_says_whom_it_counts_and_how_it_was_read(trials):
    assert (trials.n_patients >= 1).all()
    assert (trials.population_detail.str.len() > 10).all()
    assert (trials.statement.str.len() > 15).all() and (trials.verified_from.str.len() > 20).all()
    # the stated count in population_detail is the denominator (e.g. "75 patients who received an infusion")
    for key, row in trials.iterrows():
        assert str(row.n_patients) in row.population_detail, key
    # a denominator derived from a stated rate says so
    derived = trials[trials.population_detail.str.contains("derived")]
    assert set(derived.population) == {"responders"}


def test_toxicity_rows_name_their_scale_and_efficacy_rows_do_not(trials, tox):
    is_tox = trials.measure.apply(lambda m: any(w in m for w in TOXICITY_WORDS))
    assert (trials.grading_scale[is_tox] != "not applicable").all()
    assert (trials.grading_scale[~is_tox] == "not applicable").all()
    # the scales the lesson contrasts are present: Penn (JULIET) and Lee 2014 (ZUMA-1)
    crs = trials[trials.measure.str.startswith("CRS")]
    assert crs.groupby("trial").grading_scale.apply(set)["JULIET"] == {"Penn"}
    assert "Lee 2014" in set(crs[crs.trial == "ZUMA-1"].grading_scale)
    crs_rows = tox[tox.measure.str.contains("CRS|ICANS") & (tox.unit != "association")]
    assert (crs_rows.scale != "not applicable").all()
    assert (tox.n_patients >= 1).all() and (tox.population.str.len() > 5).all()
    assert (tox.verified_from.str.len() > 20).all()


def test_units_fit_the_measures(trials):
    medians = trials.measure.str.startswith("median")
    assert (trials.unit[medians] == "months").all() and (trials.unit[~medians] != "months").all()
    landmarks = trials.measure.str.contains("survival") & ~medians
    assert trials.timepoint_months[landmarks].notna().all() and (trials.unit[landmarks] == "%").all()
    assert trials.timepoint_months[~landmarks].isna().all()
    pct = trials[trials.unit == "%"]
    assert ((pct.value >= 0) & (pct.value <= 100)).all()


# --- internal consistency that a typo would break -----------------------------------------------------------

def _same_report(frame):
    return frame.groupby(["trial", "analysis", "population", "n_patients", "timepoint"])


def test_complete_response_never_exceeds_overall_response(trials):
    checked = 0
    for group, rows in _same_report(trials):
        by = dict(zip(rows.measure, rows.value))
        overall = [v for m, v in by.items() if "(CR + PR)" in m or "(CR + CRi)" in m]
        if "complete response" in by and overall:
            assert by["complete response"] <= min(overall), group
            checked += 1
    assert checked >= 5  # ZUMA-1 (primary, 15.4 months, 5 years), JULIET (primary, long term), TRANSCEND


def test_zuma1_complete_plus_partial_is_the_objective_response(trials):
    # "The ORR in the mITT analysis set of 101 pts was 82% (CR 54%, PR 28%)"
    cr, pr, orr = (trials.loc[f"zuma1_primary_{k}", "value"] for k in ("cr", "pr", "orr"))
    assert cr + pr == orr


def test_grade_3_or_worse_never_exceeds_any_grade_on_the_same_scale(trials):
    checked = 0
    tox = trials[trials.measure.str.contains("CRS|neurologic")].copy()
    tox["event"] = tox.measure.str.split(" ").str[0]
    for group, rows in tox.groupby(["trial", "analysis", "event", "grading_scale", "n_patients"]):
        any_grade = rows[rows.measure.str.endswith("any grade")].value
        severe = rows[rows.measure.str.contains("grade 3-4|grade ≥3")].value
        if len(any_grade) and len(severe):
            assert severe.max() <= any_grade.min(), group
            checked += 1
    assert checked >= 5  # JULIET CRS and neurologic events, ZUMA-1 CRS, TRANSCEND CRS and neurologic events


def test_counts_and_percentages_agree_where_both_are_stated(trials, tox):
    # e.g. JULIET "53.0% (95% CI 43.5-62.4; 61 of 115 patients)"; Park "14 of 53 patients (26%...)"
    raw = {**data.read_raw(TRIALS).set_index("key").value.to_dict(), **data.read_raw(TOX).set_index("key").value.to_dict()}
    checked = 0
    for frame in (trials, tox):
        both = frame[(frame.unit == "%") & frame.n_events.notna()]
        for key, row in both.iterrows():
            decimals = len(raw[key].split(".")[1]) if "." in raw[key] else 0
            assert round(100 * row.n_events / row.n_patients, decimals) == row.value, key
            checked += 1
    assert checked >= 7


def test_crude_percentages_are_possible_with_their_denominator(trials, tox):
    """A crude rate of n patients can only take the values k/n; a typo (e.g. 34% of 9) usually cannot."""
    raw = {**data.read_raw(TRIALS).set_index("key").value.to_dict(), **data.read_raw(TOX).set_index("key").value.to_dict()}
    # Two stated numbers are not plain k/n roundings, and the test pins why:
    # Hay 2017: "62.5% with grade 1 to 3 CRS (grade 1, 26%; grade 2, 32%; grade 3, 4.5%)" is the sum of the
    # rounded grade percentages, not a recount of 133 patients (83/133 = 62.4%, 84/133 = 63.2%).
    assert not _achievable(62.5, 133, 1) and tox.loc["hay2017_crs_g1_3", "value"] == 26 + 32 + 4.5
    # Pennisi 2020: CRS "77% in the ... DLBCL groups" of 49 matches 38/49 = 77.55% cut, not rounded, to 77.
    assert not _achievable(77, 49, 0) and math.floor(100 * 38 / 49) == 77
    exempt = {"hay2017_crs_g1_3", "pennisi2020_crs_dlbcl"}
    checked = 0
    for frame in (trials, tox):
        crude = frame[(frame.unit == "%") & ~frame.measure.str.contains("|".join(ESTIMATES))]
        for key, row in crude.drop(index=[k for k in exempt if k in crude.index]).iterrows():
            if "assumed" in str(frame.loc[key].get("population_detail", "")):
                continue
            decimals = len(raw[key].split(".")[1]) if "." in raw[key] else 0
            assert _achievable(row.value, int(row.n_patients), decimals), (key, row.value, row.n_patients)
            checked += 1
    assert checked >= 40


def test_derived_responder_denominators_are_the_only_counts_the_stated_rates_allow(trials):
    # "59% of responders remaining relapse-free at 12 months" needs the number of responders: 81% of 75 infused
    for child, parent in (("eliana2018_rfs_12mo", "eliana2018_or_3mo"), ("laetsch2023_rfs_36mo_censored", "laetsch2023_or")):
        n, p = trials.loc[child, "n_patients"], trials.loc[parent]
        fits = [k for k in range(p.n_patients + 1) if round(100 * k / p.n_patients) == p.value]
        assert fits == [n], (child, fits)


def test_intervals_contain_their_values(trials, tox):
    for frame in (trials, tox):
        ci = frame[frame.ci_low.notna()]
        assert (frame.ci_low.notna() == frame.ci_high.notna()).all()
        assert ((ci.ci_low <= ci.value) & (ci.value <= ci.ci_high)).all()


def test_landmark_survival_falls_with_time_and_events_precede_death(trials):
    landmarks = trials[trials.measure.isin(["event-free survival", "overall survival"])]
    for (trial, analysis, measure), curve in landmarks.groupby(["trial", "analysis", "measure"]):
        curve = curve.sort_values("timepoint_months")
        assert (curve.value.diff().dropna() <= 0).all(), (trial, analysis, measure)
    for (trial, analysis, t), rows in landmarks.groupby(["trial", "analysis", "timepoint_months"]):
        by = dict(zip(rows.measure, rows.value))
        if len(by) == 2:
            assert by["event-free survival"] <= by["overall survival"], (trial, analysis, t)


# --- the denominators the lesson is about -------------------------------------------------------------------

def test_eliana_remission_depends_on_the_denominator(trials):
    # ASH 2018 update: "113 pts were screened and 97 enrolled ... Infusions were not given in 18 pts ...
    # 79 pts ... CR/CRi was achieved by 65 pts"
    infused, enrolled = trials.loc["eliana_ash2018_crcri_infused"], trials.loc["eliana_ash2018_crcri_enrolled"]
    not_infused = trials.loc["eliana_ash2018_not_infused"]
    assert enrolled.n_patients - infused.n_patients == not_infused.value == 18
    per_infused = 100 * infused.value / infused.n_patients
    per_enrolled = 100 * enrolled.value / enrolled.n_patients
    # 65/79 = 82%, the rate the 3-year update reports for the 79 infused patients ("The overall remission rate was 82%")
    assert round(per_infused) == trials.loc["laetsch2023_or", "value"] == 82
    # counted against everyone enrolled, the same 65 responders are 67%: 15 points lower
    assert round(per_enrolled) == 67 and per_infused - per_enrolled > 10
    # the primary 81% is of infused patients: "75 patients received an infusion ... The overall remission rate
    # within 3 months was 81%"
    primary = trials.loc["eliana2018_or_3mo"]
    assert (primary.value, primary.population, primary.n_patients) == (81, "infused", 75)


def test_zuma1_82_percent_is_quoted_for_two_populations(trials):
    # "With an ORR of 82% (n = 92; P<.0001) the study met the primary endpoint. The ORR in the mITT analysis set
    # of 101 pts was 82% (CR 54%, PR 28%)"
    a, b = trials.loc["zuma1_primary_orr_92"], trials.loc["zuma1_primary_orr"]
    assert a.value == b.value == 82 and (a.n_patients, b.n_patients) == (92, 101)
    assert (a.population, b.population) == ("evaluable", "infused")
    # "111 pts ... were enrolled; 101 pts (91%) received axi-cel"
    infused = trials.loc["zuma1_primary_infused"]
    assert (infused.n_patients, infused.n_events, infused.value) == (111, 101, 91)


# --- spot checks against the quoted sentences ---------------------------------------------------------------

def test_eliana_numbers(trials):
    # "The rates of event-free survival and overall survival were 73% (95% CI, 60 to 82) and 90% (95% CI, 81 to 95),
    # respectively, at 6 months and 50% (95% CI, 35 to 64) and 76% (95% CI, 63 to 86) at 12 months."
    expected = {"eliana2018_efs_6mo": (73, 60, 82), "eliana2018_os_6mo": (90, 81, 95),
                "eliana2018_efs_12mo": (50, 35, 64), "eliana2018_os_12mo": (76, 63, 86)}
    for key, values in expected.items():
        assert tuple(trials.loc[key, ["value", "ci_low", "ci_high"]]) == values, key
    # "The cytokine release syndrome occurred in 77% of patients, 48% of whom received tocilizumab.
    # Neurologic events occurred in 40% of patients"
    assert trials.loc["eliana2018_crs_any", "value"] == 77 and "48% of whom" in trials.loc["eliana2018_crs_any", "statement"]
    assert trials.loc["eliana2018_neuro_any", "value"] == 40
    # 3-year update: "Event-free survival was 44% (95% CI, 31 to 57) and overall survival was 63% (95% CI, 51 to 73)
    # at 3 years"; RFS "52% (95% CI, 37 to 66) and 48% (95% CI, 34 to 60)" with and without censoring
    assert tuple(trials.loc["laetsch2023_efs_36mo", ["value", "ci_low", "ci_high"]]) == (44, 31, 57)
    assert tuple(trials.loc["laetsch2023_os_36mo", ["value", "ci_low", "ci_high"]]) == (63, 51, 73)
    assert trials.loc["laetsch2023_rfs_36mo_censored", "value"] > trials.loc["laetsch2023_rfs_36mo_uncensored", "value"]


def test_zuma1_numbers(trials):
    # Locke 2019: "89 (82%) of 108 assessable patients ... achieved an objective response, and complete responses
    # were noted in 63 (58%) patients"
    assert tuple(trials.loc["zuma1_15mo_orr", ["n_events", "n_patients", "value"]]) == (89, 108, 82)
    assert tuple(trials.loc["zuma1_15mo_cr", ["n_events", "n_patients", "value"]]) == (63, 108, 58)
    # 5-year: "The objective response rate in these 101 patients was 83% (58% complete response rate) ...
    # Median overall survival (OS) was 25.8 months, and the estimated 5-year OS rate was 42.6%."
    five = trials[trials.analysis.str.startswith("5-year")]
    assert dict(zip(five.measure, five.value))["objective response (CR + PR)"] == 83
    assert trials.loc["zuma1_5y_cr", "value"] == 58 and trials.loc["zuma1_5y_os_median", "value"] == 25.8
    assert trials.loc["zuma1_5y_os_60mo", "value"] == 42.6 and trials.loc["zuma1_5y_dss_60mo", "value"] == 51.0
    assert (five.assessment == "investigator").all()
    # 2-year: "grade ≥3 cytokine release syndrome and neurologic events occurred in 11% and 32% of patients"
    assert trials.loc["zuma1_2y_crs_g3plus", "value"] == 11 and trials.loc["zuma1_2y_neuro_g3plus", "value"] == 32


def test_juliet_and_transcend_numbers(trials):
    # "the best overall response rate was 52% and the complete response rate was 40% in 93 evaluable adult patients"
    assert tuple(trials.loc["juliet2019_bor", ["value", "n_patients"]]) == (52, 93)
    assert trials.loc["juliet2019_cr", "value"] == 40
    # "the overall response rate was 53·0% (95% CI 43·5-62·4; 61 of 115 patients), with 45 (39%) patients having a
    # complete response"
    assert tuple(trials.loc["juliet2021_orr", ["value", "ci_low", "ci_high", "n_events", "n_patients"]]) == (
        53.0, 43.5, 62.4, 61, 115)
    assert tuple(trials.loc["juliet2021_cr", ["value", "n_events"]]) == (39, 45)
    # JULIET safety on the Penn scale: CRS any grade 58%, grade 3 or 4 22%
    assert tuple(trials.loc[["juliet2019_crs_any", "juliet2019_crs_g34"], "value"]) == (58, 22)
    # TRANSCEND: "The objective response rate was 73% (95% CI, 66.8-78.0); 53% (95% CI, 46.8-59.4) ...
    # The rate of CRS was 42%, with 2% of patients having grade 3 or higher CRS. Adverse neurological events
    # occurred in 30% of patients, with 10% ... grade 3 or higher"
    assert tuple(trials.loc["transcend2020_orr", ["value", "ci_low", "ci_high", "n_patients"]]) == (73, 66.8, 78.0, 256)
    assert tuple(trials.loc["transcend2020_cr", ["value", "ci_low", "ci_high"]]) == (53, 46.8, 59.4)
    assert [trials.loc[f"transcend2020_{k}", "value"] for k in ("crs_any", "crs_g3plus", "neuro_any", "neuro_g3plus")] == [
        42, 2, 30, 10]
    assert trials.loc["transcend2020_crs_any", "n_patients"] == 269


def test_secondary_numbers_are_marked_secondary(trials):
    for key in ("zuma1_primary_orr", "eliana2018_crs_g34", "juliet2019_crs_any", "transcend2020_orr", "zuma1_2y_crs_g3plus"):
        assert trials.loc[key, "verified_from"].startswith("SECONDARY"), key


# --- toxicity relations --------------------------------------------------------------------------------------

def test_hay_grade_distribution_adds_up(tox):
    # "CRS developed in 70% of patients, including 62.5% with grade 1 to 3 CRS (grade 1, 26%; grade 2, 32%;
    # grade 3, 4.5%), 3.8% with grade 4, and 3.8% with grade 5."
    g = {k: tox.loc[f"hay2017_crs_{k}", "value"] for k in ("any", "g1_3", "g1", "g2", "g3", "g4", "g5")}
    assert g["g1"] + g["g2"] + g["g3"] == pytest.approx(g["g1_3"])
    assert g["g1_3"] + g["g4"] + g["g5"] == pytest.approx(g["any"], abs=0.15)  # 70.1 of stated 70
    assert (tox.loc[[f"hay2017_crs_{k}" for k in g], "n_patients"] == 133).all()


def test_stated_risk_factors(tox):
    # Hay: "high marrow tumor burden, lymphodepletion using cyclophosphamide and fludarabine, higher CAR T-cell dose,
    # thrombocytopenia before lymphodepletion, and manufacturing of CAR T cells without selection of CD8+ central
    # memory T cells as independent predictors of CRS"
    hay = tox[tox.index.str.startswith("hay2017_predictor")]
    assert len(hay) == 5 and (hay.direction == "raises risk").all() and hay.value.isna().all()
    assert {"tumour burden", "dose level", "lymphodepletion"} <= set(hay.stratum_type)
    # Park: "Patients with a low disease burden (<5% bone marrow blasts) before treatment had markedly enhanced
    # remission duration and survival"
    park = tox.loc["park2018_low_burden_outcome"]
    assert park.direction == "better outcome" and "<5%" in park.stratum
    # "severe cytokine release syndrome occurred in 14 of 53 patients (26%; 95% confidence interval [CI], 15 to 40)"
    severe = tox.loc["park2018_severe_crs"]
    assert tuple(severe[["n_events", "n_patients", "value", "ci_low", "ci_high"]]) == (14, 53, 26, 15, 40)
    # Frey: "The low-dose cohort (n = 9) ... 33% complete remission (CR) rate. In the high-dose single infusion
    # cohort, 3 of 6 patients with refractory CRS concurrent with culture-positive [sepsis]"
    assert tuple(tox.loc["frey2020_low_dose_cr", ["n_patients", "value"]]) == (9, 33)
    assert tuple(tox.loc["frey2020_high_dose_single_refractory_crs", ["n_events", "n_patients"]]) == (3, 6)
    # Teachey: "we measured cytokines and clinical biomarkers in 51 CTL019-treated patients. Peak levels of 24
    # cytokines ... were highly associated with severe CRS"
    assert tuple(tox.loc["teachey2016_peak_cytokines", ["value", "n_patients"]]) == (24, 51)


def test_pennisi_subgroups_average_to_the_whole_cohort(tox):
    # "According to ASTCT grading, 82% of patients had CRS, 87% in the B-ALL and 77% in the DLBCL groups ...
    # 50% of patients experienced ICANS, 55% in the B-ALL and 45% in the DLBCL groups"
    for event in ("crs", "icans"):
        whole, ball, dlbcl = (tox.loc[f"pennisi2020_{event}_{g}"] for g in ("all", "ball", "dlbcl"))
        assert whole.n_patients == ball.n_patients + dlbcl.n_patients == 102
        weighted = (ball.value * ball.n_patients + dlbcl.value * dlbcl.n_patients) / whole.n_patients
        assert abs(weighted - whole.value) < 1, event
    # "All grading systems agreed on CRS and ICANS diagnosis in 99% and 91% of cases ... only 25% and 54% of
    # patients had the same grade in each system"
    same = {k: tox.loc[f"pennisi2020_{k}", "value"] for k in
            ("crs_same_diagnosis", "crs_same_grade", "icans_same_diagnosis", "icans_same_grade")}
    assert same == {"crs_same_diagnosis": 99, "crs_same_grade": 25, "icans_same_diagnosis": 91, "icans_same_grade": 54}
    assert same["crs_same_grade"] < same["crs_same_diagnosis"] and same["icans_same_grade"] < same["icans_same_diagnosis"]


# --- a broken copy is refused --------------------------------------------------------------------------------

def _refused(name, broken, message):
    with pytest.raises(data.DataError, match=message):
        data.validate(name, broken)


@pytest.mark.parametrize("key,column,bad,message", [
    ("eliana2018_or_3mo", "value", "181", "percentage above 100"),
    ("laetsch2023_os_36mo", "ci_high", "103", "percentage above 100"),
    ("eliana2018_or_3mo", "population", "treated", "'population' must be one of"),
    ("eliana2018_or_3mo", "trial", "ELIANA-2", "'trial' must be one of"),
    ("juliet2019_crs_any", "grading_scale", "Lee", "'grading_scale' must be one of"),
    ("eliana2018_or_3mo", "measure", "ORR", "'measure' must be one of"),
    ("zuma1_primary_infused", "n_events", "112", "n_events 112 above n_patients"),
    ("eliana_ash2018_not_infused", "value", "19", "count row needs n_events equal to value"),
    ("juliet2021_orr", "ci_low", "54", "outside its interval"),
    ("eliana2018_or_3mo", "n_patients", "75.5", "whole numbers"),
    ("eliana2018_or_3mo", "source", "Maude SL et al. (2018) N Engl J Med 378:439", "DOI or PMID"),
    ("eliana2018_or_3mo", "verified_from", "", "empty 'verified_from'"),
])
def test_a_broken_trials_copy_is_refused(key, column, bad, message):
    broken = data.read_raw(TRIALS)
    broken.loc[broken.key == key, column] = bad
    _refused(TRIALS, broken, message)


@pytest.mark.parametrize("key,column,bad,message", [
    ("hay2017_crs_any", "value", "170", "percentage above 100"),
    ("hay2017_crs_any", "scale", "Hay", "'scale' must be one of"),
    ("hay2017_predictor_dose", "value", "12", "association row has no value"),
    ("hay2017_predictor_dose", "direction", "", "association row has no value"),
    ("park2018_severe_crs", "n_events", "54", "n_events 54 above n_patients"),
    ("park2018_severe_crs", "ci_high", "20", "outside its interval"),
    ("frey2020_low_dose_cr", "stratum_type", "dose", "'stratum_type' must be one of"),
    ("teachey2016_peak_cytokines", "source", "Teachey DT et al., Cancer Discov 6:664", "DOI or PMID"),
])
def test_a_broken_toxicity_copy_is_refused(key, column, bad, message):
    broken = data.read_raw(TOX)
    broken.loc[broken.key == key, column] = bad
    _refused(TOX, broken, message)


@pytest.mark.parametrize("name", [TRIALS, TOX])
def test_duplicate_keys_and_missing_columns_are_refused(name):
    dup = data.read_raw(name)
    dup.loc[1, "key"] = dup.loc[0, "key"]
    _refused(name, dup, "duplicate key")
    _refused(name, data.read_raw(name).drop(columns="verified_from"), "columns")


@pytest.mark.parametrize("name", [TRIALS, TOX])
def test_the_unbroken_raw_copy_passes(name):
    assert len(data.validate(name, data.read_raw(name))) == len(data.load(name))
