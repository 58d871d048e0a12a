"""The biomarker rules of lesson 08's therapy matcher: every threshold has a source, and every rule points at a
published response rate (a row of another course table, or its own response columns)."""

import pandas as pd
import pytest

from course import data


@pytest.fixture(scope="module")
def rules():
    return data.load("biomarker_rules").set_index("rule_id")


def test_file_loads_and_every_rule_is_sourced(rules):
    assert len(rules) >= 6
    for r in rules.itertuples():
        assert ("doi:" in r.source or "PMID" in r.source) and len(r.verified_from) > 20, r.Index


def test_the_thresholds_the_lesson_names(rules):
    assert (rules.loc["pembro_nsclc_pdl1_50", ["operator", "threshold"]].tolist() == [">=", 50])
    assert "at least 50%" in rules.loc["pembro_nsclc_pdl1_50", "statement"]
    assert rules.loc["pembro_tmb_10", "threshold"] == 10 and rules.loc["pembro_tmb_10", "unit"] == "mutations per megabase"
    assert "10 mutations/Mb" in rules.loc["pembro_tmb_10", "verified_from"]
    assert rules.loc["pembro_dmmr", "operator"] == "is" and "mismatch" in rules.loc["pembro_dmmr", "statement"]
    assert "CD19+" in rules.loc["tisacel_ball_cd19", "statement"]
    # a response rate not read in its paper is marked SECONDARY
    assert "SECONDARY" in rules.loc["pembro_tmb_10", "verified_from"]


def test_every_evidence_row_exists_and_is_a_response_rate(rules):
    for r in rules.itertuples():
        if r.evidence_key:
            table = data.load(r.evidence_table)
            key = "result_id" if r.evidence_table == "checkpoint_trials" else "key"
            row = table.set_index(key).loc[r.evidence_key]
            measure = row["endpoint"] if r.evidence_table == "checkpoint_trials" else row["measure"]
            assert "response" in measure or "remission" in measure, r.Index
            assert row["unit"] == "%"
        else:
            assert pd.notna(r.response_pct) and r.response_measure and r.response_population
