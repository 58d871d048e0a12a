"""cytokine_trials.csv: published numbers as the sources state them; a broken copy is refused."""

from importlib import resources

import pandas as pd
import pytest

from course import data

NAME = "cytokine_trials"


@pytest.fixture(scope="module")
def trials():
    return data.load(NAME).set_index("result_id")


def _raw() -> pd.DataFrame:
    """The shipped file as text, exactly as the loader reads it before validation."""
    with resources.files("course.data").joinpath(f"{NAME}.csv").open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


def test_loads_validates_and_covers_the_required_trials(trials):
    assert len(trials) >= 15
    text = " ".join(data.sources(NAME))
    for needle in ("Atkins MB", "(1999) J Clin Oncol 17:2105",   # HD IL-2, metastatic melanoma
                   "Fyfe G", "(1995) J Clin Oncol 13:688",       # HD IL-2, metastatic RCC
                   "Klapper JA", "(2008) Cancer 113:293",        # long-term durability, RCC
                   "Kirkwood JM, Strawderman MH", "(1996) J Clin Oncol 14:7",   # E1684
                   "Mocellin S", "(2010) J Natl Cancer Inst 102:493"):          # meta-analysis
        assert needle in text, needle
    assert set(trials["setting"]) == {"metastatic", "adjuvant"}


def test_every_row_names_a_year_and_a_doi_or_pmid(trials):
    for src in trials["source"]:
        assert data._CITATION.search(src), src
        assert data._IDENTIFIER.search(src), src


def test_atkins_1999_melanoma_numbers(trials):
    orr = trials.loc["atkins1999_orr"]
    assert (orr.value, orr.unit, orr.n_patients) == (16, "%", 270)
    assert (orr.ci_low, orr.ci_high, orr.ci_level_percent) == (12, 21, 95)
    assert trials.loc["atkins1999_cr", "value"] == 6
    assert trials.loc["atkins1999_pr", "value"] == 10
    assert trials.loc["atkins1999_pr_duration", ["value", "unit"]].tolist() == [5.9, "months"]
    assert trials.loc["atkins1999_cr_progression_free", "value"] == 59


def test_fyfe_1995_and_klapper_2008_renal_numbers(trials):
    orr = trials.loc["fyfe1995_orr"]
    assert (orr.value, orr.n_patients, orr.ci_low, orr.ci_high) == (14, 255, 10, 19)
    assert orr.ci_level_percent == 90  # Fyfe et al. give a 90% interval, not 95%
    assert trials.loc["fyfe1995_pr_duration", "value"] == 19.0
    assert trials.loc["klapper2008_orr", ["value", "n_patients"]].tolist() == [20, 259]
    assert trials.loc["klapper2008_cr_recurred", ["value", "n_patients"]].tolist() == [4, 23]


def test_interferon_numbers(trials):
    rfs, os_ = trials.loc["e1684_median_rfs"], trials.loc["e1684_median_os"]
    assert (rfs.value, rfs.comparator_value, rfs.unit) == (1.7, 1.0, "years")
    assert (os_.value, os_.comparator_value, os_.n_patients) == (3.8, 2.8, 287)
    assert trials.loc["e1690_rfs_5y", ["value", "comparator_value"]].tolist() == [44, 35]
    dfs, death = trials.loc["mocellin2010_dfs_hr"], trials.loc["mocellin2010_os_hr"]
    assert (dfs.value, dfs.ci_low, dfs.ci_high) == (0.82, 0.77, 0.87)
    assert (death.value, death.ci_low, death.ci_high) == (0.89, 0.83, 0.96)


@pytest.mark.parametrize("prefix,n,counts", [
    ("atkins1999", 270, {"cr": 17, "pr": 26}),   # "17 complete responses (6%) and 26 partial responses (10%)"
    ("fyfe1995", 255, {"cr": 12, "pr": 24}),     # "12 (5%) complete responses and 24 (9%) partial responses"
])
def test_reported_percentages_follow_from_the_reported_counts(trials, prefix, n, counts):
    for kind, count in counts.items():
        assert round(100 * count / n) == trials.loc[f"{prefix}_{kind}", "value"]
    assert round(100 * sum(counts.values()) / n) == trials.loc[f"{prefix}_orr", "value"]


def test_klapper_counts_give_the_reported_response_rate(trials):
    cr, pr = trials.loc["klapper2008_cr", "value"], trials.loc["klapper2008_pr", "value"]
    orr = trials.loc["klapper2008_orr"]
    assert round(100 * (cr + pr) / orr.n_patients) == orr.value


def test_rows_are_internally_consistent(trials):
    pct = trials[trials.unit == "%"]
    assert (pct.value <= 100).all() and (pct.comparator_value.dropna() <= 100).all()
    counts = trials[trials.unit == "patients"]
    assert (counts.value <= counts.n_patients).all()
    has_ci = trials.ci_low.notna()
    assert (has_ci == trials.ci_high.notna()).all() and (has_ci == trials.ci_level_percent.notna()).all()
    with_ci = trials[has_ci]
    assert ((with_ci.ci_low <= with_ci.value) & (with_ci.value <= with_ci.ci_high)).all()
    # a comparator value needs a named comparator
    assert (trials.comparator[trials.comparator_value.notna()] != "").all()
    hr = trials[trials.unit == "hazard ratio"]
    assert len(hr) == 2 and (hr.value < 1).all() and (hr.ci_high < 1).all()


@pytest.mark.parametrize("column,bad,message", [
    ("value", "sixteen", "non-numeric 'value'"),
    ("value", "-3", "'value' below"),
    ("unit", "percent", "'unit' must be one of"),
    ("setting", "neoadjuvant", "'setting' must be one of"),
    ("n_patients", "270.5", "whole numbers"),
    ("ci_level_percent", "100", "'ci_level_percent' above"),
    ("statement", "", "empty 'statement'"),
    ("source", "Atkins MB et al., J Clin Oncol", "DOI or PMID"),
])
def test_a_broken_copy_is_refused(tmp_path, column, bad, message):
    broken = _raw()
    broken.loc[0, column] = bad
    path = tmp_path / f"{NAME}.csv"
    broken.to_csv(path, index=False)
    reread = pd.read_csv(path, dtype=str, keep_default_na=False)
    with pytest.raises(data.DataError, match=message):
        data.validate(NAME, reread)


def test_duplicate_ids_and_missing_columns_are_refused():
    dup = _raw()
    dup.loc[1, "result_id"] = dup.loc[0, "result_id"]
    with pytest.raises(data.DataError, match="duplicate result_id"):
        data.validate(NAME, dup)
    with pytest.raises(data.DataError, match="columns"):
        data.validate(NAME, _raw().drop(columns="statement"))


def test_the_unbroken_raw_copy_passes():
    assert len(data.validate(NAME, _raw())) == len(data.load(NAME))
