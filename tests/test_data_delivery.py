"""delivery_studies.csv (lesson 08): how much reaches a tumour, quoted as each source states it.

The spot checks quote the sentence each number was read in; the consistency checks are relations a typo would
break; a broken copy must be refused by the loader.
"""

import pytest

from course import data
from course.models import drug_release

NAME = "delivery_studies"


@pytest.fixture(scope="module")
def rows():
    return data.load(NAME).set_index("key")


# --- coverage ------------------------------------------------------------------------------------------

def test_file_loads_and_covers_the_lesson(rows):
    text = " ".join(data.sources(NAME))
    for needle in ("Wilhelm S", "Nat Rev Mater 1:16014", "Cheng YH", "ACS Nano 14:3075",
                   "Nat Biotechnol 33:64", "Sci Transl Med 10:eaan3682", "YERVOY"):
        assert needle in text, needle
    assert {"nanoparticle", "mesoporous silica", "hydrogel", "systemic bolus or infusion"} <= set(rows.platform)
    assert (rows.verified_from != "").all()


# --- the published numbers ------------------------------------------------------------------------------

def test_wilhelm_median_delivery_efficiency(rows):
    # "only 0.7% (median) of the administered nanoparticle dose is found to be delivered to a solid tumour"
    r = rows.loc["wilhelm2016_median"]
    assert (r.value, r.unit, r.statistic) == (0.7, "% injected dose", "median")
    # Cheng 2020 restates Wilhelm: "mean and median delivery efficiencies are only 1.48% and 0.70%"
    assert rows.loc["wilhelm2016_mean", "value"] == 1.48
    assert rows.loc["wilhelm2016_mean", "verified_from"].startswith("SECONDARY")


def test_cheng_pbpk_meta_analysis(rows):
    # "376 data sets ... mean and median delivery efficiencies at the last sampling time point of 2.23% and 0.76%ID
    # ... 2.24% and 0.76%ID at 24 h and were decreased to 1.23% and 0.35%ID at 168 h"
    expected = {"last": (2.23, 0.76), "24h": (2.24, 0.76), "168h": (1.23, 0.35)}
    for tp, (mean, median) in expected.items():
        assert rows.loc[f"cheng2020_{tp}_mean", "value"] == mean
        assert rows.loc[f"cheng2020_{tp}_median", "value"] == median
    cheng = rows[rows.index.str.startswith("cheng2020")]
    assert (cheng.n_datasets == 376).all() and (cheng.study_type == "meta-analysis").all()
    assert cheng.loc["cheng2020_24h_mean", "timepoint"].startswith("24 h")
    assert cheng.loc["cheng2020_168h_mean", "timepoint"].startswith("168 h")


def test_label_pharmacokinetics_agree_with_the_model(rows):
    # "terminal half-life was 15.4 days (34%) ... CL was 16.8 mL/h (38%)"; "19.4 mcg/mL at 3 mg/kg and 58.1 mcg/mL
    # at 10 mg/kg every 3 weeks"
    assert (rows.loc["ipilimumab_label_half_life", "value"], rows.loc["ipilimumab_label_half_life", "unit"]) == (15.4, "days")
    assert rows.loc["ipilimumab_label_clearance", "value"] == 16.8
    assert "34%" in rows.loc["ipilimumab_label_half_life", "statistic"]
    assert rows.loc["ipilimumab_label_half_life", "value"] == drug_release.IPILIMUMAB_HALF_LIFE_D
    assert rows.loc["ipilimumab_label_clearance", "value"] == drug_release.IPILIMUMAB_CLEARANCE_ML_PER_H
    assert rows.loc["ipilimumab_label_cmin_3mgkg", "value"] == drug_release.IPILIMUMAB_CMIN_SS_3MG_KG_UG_PER_ML
    assert rows.loc["ipilimumab_label_cmin_10mgkg", "value"] == drug_release.IPILIMUMAB_CMIN_SS_10MG_KG_UG_PER_ML


# --- facts that could fail ----------------------------------------------------------------------------

def test_median_delivery_is_below_one_percent_of_the_injected_dose(rows):
    medians = rows[(rows.unit == "% injected dose") & (rows.statistic == "median")]
    assert len(medians) >= 4 and (medians.value < 1).all()


def test_means_exceed_medians_skewed_by_a_few_high_studies(rows):
    for stem in ("wilhelm2016", "cheng2020_last", "cheng2020_24h", "cheng2020_168h"):
        assert rows.loc[f"{stem}_mean", "value"] > rows.loc[f"{stem}_median", "value"], stem


def test_delivery_falls_from_one_day_to_one_week(rows):
    for stat in ("mean", "median"):
        assert rows.loc[f"cheng2020_168h_{stat}", "value"] < rows.loc[f"cheng2020_24h_{stat}", "value"]


def test_trough_roughly_proportional_to_dose(rows):
    # the label calls ipilimumab pharmacokinetics linear from 0.3 to 10 mg/kg: troughs scale with dose within ~10 %
    ratio = rows.loc["ipilimumab_label_cmin_10mgkg", "value"] / rows.loc["ipilimumab_label_cmin_3mgkg", "value"]
    assert ratio == pytest.approx(10 / 3, rel=0.12)


def test_depot_rows_are_qualitative_mouse_findings(rows):
    depots = rows[rows.platform.isin(["mesoporous silica", "hydrogel"])]
    assert len(depots) == 2
    assert (depots.statistic == "qualitative finding").all() and depots.value.isna().all()
    assert (depots.species == "mouse").all()
    assert "bolus" in rows.loc["kim2015_msr_vaccine", "statement"]


# --- a broken copy is refused -------------------------------------------------------------------------

@pytest.mark.parametrize("key,column,bad,message", [
    ("wilhelm2016_median", "value", "170", "percentage of the injected dose above 100"),
    ("wilhelm2016_median", "unit", "", "qualitative finding has no value"),
    ("kim2015_msr_vaccine", "value", "3", "qualitative finding has no value"),
    ("wilhelm2016_median", "statistic", "qualitative finding", "qualitative finding has no value"),
    ("wilhelm2016_median", "platform", "liposome", "'platform' must be one of"),
    ("wilhelm2016_median", "unit", "%ID/g", "'unit' must be one of"),
    ("wilhelm2016_median", "study_type", "review", "'study_type' must be one of"),
    ("ipilimumab_label_clearance", "n_datasets", "12", "n_datasets belongs to meta-analyses only"),
    ("cheng2020_24h_mean", "n_datasets", "376.5", "whole numbers"),
    ("cheng2020_24h_mean", "value", "two", "non-numeric"),
    ("wilhelm2016_median", "source", "Wilhelm S et al., Nat Rev Mater 1:16014", "DOI or PMID"),
    ("wilhelm2016_median", "verified_from", "", "empty 'verified_from'"),
    ("wilhelm2016_median", "statement", "", "empty 'statement'"),
])
def test_a_broken_copy_is_refused(key, column, bad, message):
    broken = data.read_raw(NAME)
    assert (broken.key == key).sum() == 1
    broken.loc[broken.key == key, column] = bad
    with pytest.raises(data.DataError, match=message):
        data.validate(NAME, broken)


def test_duplicate_keys_and_missing_columns_are_refused():
    dup = data.read_raw(NAME)
    dup.loc[1, "key"] = dup.loc[0, "key"]
    with pytest.raises(data.DataError, match="duplicate key"):
        data.validate(NAME, dup)
    with pytest.raises(data.DataError, match="columns"):
        data.validate(NAME, data.read_raw(NAME).drop(columns="verified_from"))


def test_the_unbroken_raw_copy_passes():
    assert len(data.validate(NAME, data.read_raw(NAME))) == len(data.load(NAME))
