"""Immune-related adverse events and immunotherapy-versus-chemotherapy toxicity (lesson 08).

Two files: ``irae`` (rates by regimen and organ, and times of onset) and ``treatment_toxicity`` (severe adverse
events per trial arm, checkpoint inhibitor against chemotherapy).  Every number is quoted the way its source states
it: which grades the severe rate counts (3-4, >=3 or 3-5), which population, whether the figure is a median or a
range.  The spot checks quote the sentence or table entry each number was read in; the consistency checks are
arithmetic or orderings a typo would break.
"""

import pandas as pd
import pytest

from course import data

IRAE = "irae"
TOX = "treatment_toxicity"
ARMS = ("ipi", "nivo", "combo")  # CheckMate 067: ipilimumab, nivolumab, nivolumab + ipilimumab


@pytest.fixture(scope="module")
def irae():
    return data.load(IRAE).set_index("key")


@pytest.fixture(scope="module")
def tox():
    return data.load(TOX).set_index("key")


def _cm067(irae, event, column):
    return {arm: irae.loc[f"cm067_{arm}_{event}", column] for arm in ARMS}


# --- the loader accepts the files; coverage --------------------------------------------------------------

def test_both_files_load_and_cover_the_regimens_and_organs(irae, tox):
    assert set(irae.drug_class) == {"anti-CTLA-4", "anti-PD-1", "anti-PD-1 + anti-CTLA-4"}
    assert {"all organs", "skin", "gastrointestinal", "liver", "endocrine", "kidney"} <= set(irae.organ)
    # the like-for-like comparison: the same seven categories for each of the three CheckMate 067 arms
    cm067 = irae[irae.study == "CheckMate 067"]
    assert len(cm067) == 21 and (cm067.groupby("regimen").size() == 7).all()
    assert set(tox.trial) == {"KEYNOTE-024", "KEYNOTE-045", "CheckMate 017", "CheckMate 067"}
    text = " ".join(data.sources(IRAE) + data.sources(TOX))
    for needle in ("Larkin J", "(2015) Combined nivolumab and ipilimumab", "Weber JS", "J Clin Oncol 35:785",
                   "Reck M", "N Engl J Med 375:1823", "Bellmunt J", "N Engl J Med 376:1015",
                   "Brahmer J", "N Engl J Med 373:123"):
        assert needle in text, needle


def test_every_row_says_what_it_counts_and_how_it_was_read(irae, tox):
    for frame in (irae, tox):
        assert (frame.statement.str.len() > 15).all() and (frame.verified_from.str.len() > 20).all()
        assert (frame.population.str.len() > 10).all()
    # the CheckMate 067 organ rates were read in a review table, not in Larkin 2015: marked SECONDARY everywhere
    for frame in (irae, tox):
        cm067 = frame[frame.index.str.startswith("cm067")]
        assert len(cm067) and cm067.verified_from.str.startswith("SECONDARY").all()
    assert irae.loc["weber2017_nivo_trae", "verified_from"].startswith("abstract read")
    # a source whose author list was not read says so, in the source and in verified_from
    anonymous = irae[irae.source.str.startswith("Authors not read")]
    assert len(anonymous) >= 4
    assert anonymous.verified_from.str.contains("authors not read|author list was not", case=False).all()
    # severe rates say which grades they count, as the sources state them
    assert set(tox.loc[["kn024_pembro", "kn045_chemo"], "severe_grades"]) == {"3-5"}
    assert tox.loc["cm017_docetaxel", "severe_grades"] == "3-4"
    assert set(irae.loc[irae.study == "CheckMate 067", "severe_grades"]) == {"≥3"}


def test_onset_rows_are_plausible_weeks_after_the_first_dose(irae):
    onset = irae[irae.measure.str.contains("onset")]
    assert len(onset) >= 8
    weeks = onset[["onset_weeks", "onset_low_weeks", "onset_high_weeks"]].stack().dropna()
    # irAEs of these regimens begin within the first months
    assert len(weeks) >= 12 and ((weeks > 0) & (weeks < 52)).all()


# --- internal consistency that a typo would break -----------------------------------------------------------

def test_severe_rates_never_exceed_any_grade_rates(irae, tox):
    checked = 0
    for frame in (irae, tox):
        both = frame[frame.any_grade_pct.notna() & frame.severe_pct.notna()]
        assert (both.severe_pct <= both.any_grade_pct).all()
        checked += len(both)
    assert checked >= 28


def test_counts_and_percentages_agree_where_both_are_stated(irae):
    # "The incidence was 3.2% (30/937) and 24.4% (79/324) in the monotherapy and combination therapy cohorts"
    raw = data.read_raw(IRAE).set_index("key").any_grade_pct
    both = irae[irae.n_events.notna() & irae.any_grade_pct.notna()]
    for key, row in both.iterrows():
        decimals = len(raw[key].split(".")[1]) if "." in raw[key] else 0
        assert round(100 * row.n_events / row.n_patients, decimals) == row.any_grade_pct, key
    assert len(both) == 2
    # the onset rows of the colitis cohort are of the patients who had colitis
    for arm in ("mono", "combo"):
        cases = irae.loc[f"colitis2018_{arm}_incidence", "n_events"]
        assert irae.loc[f"colitis2018_{arm}_onset", "n_patients"] == cases


def test_the_two_files_agree_on_checkmate_067(irae, tox):
    for arm in ARMS:
        row = tox.loc[f"cm067_{arm}"]
        assert (row.any_grade_pct, row.severe_pct) == (irae.loc[f"cm067_{arm}_all", "any_grade_pct"],
                                                       irae.loc[f"cm067_{arm}_all", "severe_pct"])
        assert row.discontinuation_pct == irae.loc[f"cm067_{arm}_discontinuation", "any_grade_pct"]


def test_arms_of_one_trial_share_their_description(tox):
    for trial, arms in tox.groupby("trial"):
        for column in ("comparison", "design", "cancer", "line_of_therapy", "source", "severe_grades"):
            assert arms[column].nunique() == 1, (trial, column)
        chemo = (arms.arm_class == "chemotherapy").sum()
        assert chemo == (0 if trial == "CheckMate 067" else 1), trial


# --- facts the lesson relies on -------------------------------------------------------------------------------

def test_checkmate_067_combination_has_the_most_severe_events(irae):
    # CMAJ Table 2 (quoting CheckMate 067): "All immune-related adverse events 86 27 82 16 96 55"
    # (any grade / grade >=3 for ipilimumab, nivolumab, ipilimumab + nivolumab)
    severe, any_grade = _cm067(irae, "all", "severe_pct"), _cm067(irae, "all", "any_grade_pct")
    assert severe == {"ipi": 27, "nivo": 16, "combo": 55} and any_grade == {"ipi": 86, "nivo": 82, "combo": 96}
    assert severe["combo"] > severe["ipi"] > severe["nivo"]
    # Larkin 2015 as quoted in a public reference table: "G3-4 TRAE 16.3% nivolumab, 55.0% nivolumab + ipilimumab";
    # the review's whole-number rates are those, rounded
    assert (round(16.3), round(55.0)) == (severe["nivo"], severe["combo"])
    # "Discontinuation owing to immune-related adverse events 15 13 8 5 36 30"
    stop = _cm067(irae, "discontinuation", "any_grade_pct")
    assert stop == {"ipi": 15, "nivo": 8, "combo": 36} and stop["combo"] > stop["ipi"] + stop["nivo"]


def test_colitis_and_diarrhoea_are_more_frequent_with_ipilimumab_than_with_nivolumab(irae):
    # "Colitis 12 9 1 1 12 8"; "Diarrhea 33 6 20 2 44 10"
    for event in ("colitis", "diarrhoea"):
        any_grade, severe = _cm067(irae, event, "any_grade_pct"), _cm067(irae, event, "severe_pct")
        assert any_grade["ipi"] > any_grade["nivo"] and severe["ipi"] > severe["nivo"], event
    assert _cm067(irae, "colitis", "severe_pct") == {"ipi": 9, "nivo": 1, "combo": 8}
    # colitis cohort: steroid-requiring colitis "3.2% (30/937) and 24.4% (79/324)" without and with ipilimumab
    mono, combo = (irae.loc[f"colitis2018_{a}_incidence", "any_grade_pct"] for a in ("mono", "combo"))
    assert (mono, combo) == (3.2, 24.4) and combo / mono > 7


def test_rash_is_common_with_every_regimen_and_hepatitis_mainly_with_the_combination(irae):
    # "Rash 33 2 26 1 40 5"; "Hepatitis 4 2 4 1 18 8"
    rash, hepatitis = _cm067(irae, "rash", "any_grade_pct"), _cm067(irae, "hepatitis", "any_grade_pct")
    assert rash == {"ipi": 33, "nivo": 26, "combo": 40}
    assert hepatitis["combo"] > 4 * max(hepatitis["ipi"], hepatitis["nivo"])
    # rash is more frequent than hypothyroidism in every arm
    for arm in ARMS:
        rash, thyroid = (irae.loc[f"cm067_{arm}_{e}", "any_grade_pct"] for e in ("rash", "hypothyroidism"))
        assert rash >= thyroid, arm


def test_skin_events_start_before_endocrine_gut_and_liver_events(irae):
    # ipilimumab review table: dermatologic "2-3 weeks"; colitis/diarrhea "6-7 weeks"; endocrine "6-9 weeks";
    # hepatotoxicity "6-7 weeks"
    ipi = irae[irae.index.str.startswith("transl2015_ipi_onset")].set_index("organ")
    assert tuple(ipi.loc["skin", ["onset_low_weeks", "onset_high_weeks"]]) == (2, 3)
    assert tuple(ipi.loc["endocrine", ["onset_low_weeks", "onset_high_weeks"]]) == (6, 9)
    later = ipi.drop(index="skin")
    assert ipi.loc["skin", "onset_high_weeks"] < later.onset_low_weeks.min()
    assert ipi.loc["endocrine", "onset_high_weeks"] == ipi.onset_high_weeks.max()
    # nivolumab pool: "Median time to onset of select AEs ranged from 5 weeks for skin to 15 weeks for renal AEs."
    nivo = irae[irae.index.str.startswith("weber2017_nivo_onset")].set_index("organ").onset_weeks
    assert dict(nivo) == {"skin": 5, "kidney": 15} and (irae.loc[irae.measure == "median time to onset",
                                                                  "onset_weeks"] >= nivo["skin"]).all()


def test_combination_colitis_starts_earlier_than_anti_pd1_colitis(irae):
    # "Patients with colitis from combination therapy had significantly earlier symptom onset (7.2 weeks vs 25.4 weeks"
    combo, mono = (irae.loc[f"colitis2018_{a}_onset", "onset_weeks"] for a in ("combo", "mono"))
    assert (combo, mono) == (7.2, 25.4) and combo < mono / 3


def test_pooled_nivolumab_safety(irae):
    # "Among 576 patients, 71% ... experienced any-grade treatment-related AEs ... and 10% ... grade 3 to 4";
    # "Select AEs (occurring in 49% of patients) ... grade 3 to 4 select AEs occurred in 4% of patients."
    trae, select = irae.loc["weber2017_nivo_trae"], irae.loc["weber2017_nivo_select"]
    assert (trae.any_grade_pct, trae.severe_pct, trae.n_patients) == (71, 10, 576)
    assert (select.any_grade_pct, select.severe_pct) == (49, 4)
    # select AEs are a subset of treatment-related AEs
    assert select.any_grade_pct <= trae.any_grade_pct and select.severe_pct <= trae.severe_pct


def test_pd1_monotherapy_has_fewer_severe_events_than_chemotherapy(tox):
    # KEYNOTE-024: "any grade ... (73.4% vs. 90.0%) ... grade 3, 4, or 5 treatment-related adverse events
    # (26.6% vs. 53.3%)"
    assert tuple(tox.loc[["kn024_pembro", "kn024_chemo"], "severe_pct"]) == (26.6, 53.3)
    assert tuple(tox.loc[["kn024_pembro", "kn024_chemo"], "any_grade_pct"]) == (73.4, 90.0)
    # KEYNOTE-045: "(60.9% vs. 90.2%) ... grade 3, 4, or 5 severity ... (15.0% vs. 49.4%)"
    assert tuple(tox.loc[["kn045_pembro", "kn045_chemo"], "severe_pct"]) == (15.0, 49.4)
    # CheckMate 017: "grade 3 or 4 were reported in 7% of the patients in the nivolumab group as compared with 55%"
    assert tuple(tox.loc[["cm017_nivo", "cm017_docetaxel"], "severe_pct"]) == (7, 55)
    checked = 0
    for trial, arms in tox[tox.trial != "CheckMate 067"].groupby("trial"):
        pd1, chemo = arms[arms.arm_class == "PD-1 inhibitor"].iloc[0], arms[arms.arm_class == "chemotherapy"].iloc[0]
        assert chemo.severe_pct >= 2 * pd1.severe_pct, trial  # at least twice as many severe events with chemotherapy
        if pd.notna(chemo.any_grade_pct) and pd.notna(pd1.any_grade_pct):  # both stated
            assert pd1.any_grade_pct < chemo.any_grade_pct, trial
        checked += 1
    assert checked == 3


def test_the_combination_is_where_immunotherapy_is_not_gentler(tox):
    # Cross-trial, not randomised: CheckMate 067's nivolumab + ipilimumab (grade >=3: 55%) against the chemotherapy
    # arms of the other trials (grade 3-5 53.3% and 49.4%, grade 3-4 55%).
    combo = tox.loc["cm067_combo", "severe_pct"]
    chemo = tox[tox.arm_class == "chemotherapy"].severe_pct
    pd1 = tox[tox.arm_class == "PD-1 inhibitor"].severe_pct
    assert combo >= chemo.max() and combo > 2 * pd1.max()
    assert "no chemotherapy arm" in tox.loc["cm067_combo", "comparison"]


# --- a broken copy is refused --------------------------------------------------------------------------------

def _refused(name, broken, message):
    with pytest.raises(data.DataError, match=message):
        data.validate(name, broken)


@pytest.mark.parametrize("key,column,bad,message", [
    ("cm067_combo_all", "any_grade_pct", "196", "'any_grade_pct' above 100"),
    ("cm067_combo_all", "severe_pct", "101", "'severe_pct' above 100"),
    ("cm067_nivo_colitis", "severe_pct", "5", "grade ≥3 rate 5.0% above its any-grade rate 1.0%"),
    ("weber2017_nivo_trae", "severe_pct", "72", "grade 3-4 rate 72.0% above its any-grade rate 71.0%"),
    ("weber2017_nivo_trae", "source", "", "empty 'source'"),
    ("weber2017_nivo_trae", "source", "Weber JS et al. (2017) J Clin Oncol 35:785", "DOI or PMID"),
    ("cm067_ipi_rash", "organ", "eye", "'organ' must be one of"),
    ("cm067_ipi_rash", "drug_class", "anti-PD-1", "ipilimumab 3 mg/kg is not anti-PD-1"),
    ("cm067_ipi_rash", "severe_grades", "", "severe rate needs severe_grades"),
    ("cm067_ipi_rash", "severe_grades", "3+", "'severe_grades' must be one of"),
    ("cm067_ipi_rash", "measure", "incidence", "'measure' must be one of"),
    ("cm067_ipi_rash", "onset_weeks", "3", "an onset row gives weeks and no rate"),
    ("weber2017_nivo_onset_skin", "any_grade_pct", "20", "an onset row gives weeks and no rate"),
    ("weber2017_nivo_onset_skin", "onset_weeks", "", "an onset row gives weeks and no rate"),
    ("transl2015_ipi_onset_skin", "onset_low_weeks", "4", "low <= high"),
    ("transl2015_ipi_onset_skin", "onset_high_weeks", "", "both ends of an onset range"),
    ("colitis2018_mono_incidence", "n_events", "938", "n_events 938 needs an n_patients"),
    ("weber2017_nivo_trae", "n_patients", "576.5", "whole numbers"),
    ("weber2017_nivo_trae", "verified_from", "", "empty 'verified_from'"),
])
def test_a_broken_irae_copy_is_refused(key, column, bad, message):
    broken = data.read_raw(IRAE)
    assert (broken.key == key).sum() == 1
    broken.loc[broken.key == key, column] = bad
    _refused(IRAE, broken, message)


@pytest.mark.parametrize("key,column,bad,message", [
    ("kn024_pembro", "severe_pct", "126.6", "'severe_pct' above 100"),
    ("kn024_pembro", "any_grade_pct", "173.4", "'any_grade_pct' above 100"),
    ("kn024_pembro", "severe_pct", "80", "grade 3-5 rate 80.0% above its any-grade rate 73.4%"),
    ("cm017_nivo", "severe_pct", "", "empty 'severe_pct'"),
    ("kn024_chemo", "source", "", "empty 'source'"),
    ("cm017_nivo", "arm_class", "immunotherapy", "'arm_class' must be one of"),
    ("cm017_nivo", "severe_grades", "3+", "'severe_grades' must be one of"),
    ("kn045_pembro", "verified_from", "", "empty 'verified_from'"),
])
def test_a_broken_toxicity_copy_is_refused(key, column, bad, message):
    broken = data.read_raw(TOX)
    assert (broken.key == key).sum() == 1
    broken.loc[broken.key == key, column] = bad
    _refused(TOX, broken, message)


@pytest.mark.parametrize("name", [IRAE, TOX])
def test_duplicate_keys_and_missing_columns_are_refused(name):
    dup = data.read_raw(name)
    dup.loc[1, "key"] = dup.loc[0, "key"]
    _refused(name, dup, "duplicate key")
    _refused(name, data.read_raw(name).drop(columns="verified_from"), "columns")


@pytest.mark.parametrize("name", [IRAE, TOX])
def test_the_unbroken_raw_copy_passes(name):
    assert len(data.validate(name, data.read_raw(name))) == len(data.load(name))
