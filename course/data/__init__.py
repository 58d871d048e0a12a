"""Published numbers as CSV files, each row with its ``source``; a validating loader.

Every file in this folder is declared in :data:`SCHEMAS`: its columns, their
types and allowed ranges.  :func:`load` refuses a file that breaks its schema,
so a typo in a CSV fails the tests instead of reaching a student's figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import pandas as pd


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "text", "number" or "integer"
    required: bool = True  # a required column may not have empty cells
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Schema:
    columns: tuple[Column, ...]
    key: str  # column whose values must be unique
    description: str = ""
    units: dict[str, str] = field(default_factory=dict)
    # Cross-column rules: each takes the typed frame and returns messages for the rows that break it.
    rules: tuple = ()


# A citation must name a year and a DOI or PMID so a reader can find it.
_CITATION = re.compile(r"\(\d{4}\)|\b(19|20)\d{2}\b")
_IDENTIFIER = re.compile(r"doi:\s*10\.\d{4,9}/\S+|PMID:?\s*\d+", re.IGNORECASE)

SOURCE = Column("source", "text")

# Source substems of antibody INNs before 2017 (Parren et al. 2017, mAbs 9:898): the syllable before -mab.
_SUBSTEM_SOURCE = {"xi": "chimeric", "zu": "humanized", "o": "murine", "u": "human"}


def _antibody_substem(inn: str) -> str:
    """The source substem visible in an antibody's INN, longest ending first ('' if none)."""
    word = next((w for w in inn.split() if w.endswith("mab")), "")
    for stem in ("xi", "zu", "o", "u"):
        if word.endswith(stem + "mab"):
            return stem
    return ""


def _antibody_rules(frame: pd.DataFrame) -> list[str]:
    problems = []
    for row in frame.itertuples():
        conjugate = row.format != "naked"
        if conjugate != bool(row.payload):
            problems.append(f"{row.inn}: a conjugate needs a payload and a naked antibody has none")
        if row.source_substem and _SUBSTEM_SOURCE[row.source_substem] != row.source_type:
            problems.append(f"{row.inn}: substem -{row.source_substem}- means {_SUBSTEM_SOURCE[row.source_substem]}, "
                            f"not {row.source_type}")
        if row.source_substem != _antibody_substem(row.inn) and row.source_substem:
            problems.append(f"{row.inn}: its name carries -{_antibody_substem(row.inn)}-, not -{row.source_substem}-")
    return problems

SCHEMAS: dict[str, Schema] = {
    "hpv_vaccine_impact": Schema(
        columns=(
            Column("result_id", "text"),
            Column("setting", "text", choices=(
                "Sweden", "England", "Scotland", "Denmark", "FUTURE II", "FUTURE I/II combined (4 trials)",
                "PATRICIA", "9vHPV trial (V503-001)")),
            Column("study_type", "text", choices=("cohort", "randomised trial")),
            Column("vaccine", "text"),
            Column("outcome", "text", choices=(
                "invasive cervical cancer", "CIN3", "CIN2+ (HPV16/18-related)", "CIN2+ (any HPV type)",
                "CIN3+ (any HPV type)", "CIN2+, VIN2/3 or VaIN2/3 (HPV31/33/45/52/58-related)")),
            Column("group", "text"),
            Column("age_at_vaccination_min", "integer", required=False, minimum=9, maximum=45),
            Column("age_at_vaccination_max", "integer", required=False, minimum=9, maximum=45),
            Column("measure", "text", choices=(
                "incidence rate ratio", "relative reduction %", "vaccine efficacy %",
                "cumulative incidence per 100,000", "crude incidence per 100,000 women-years", "number of cases",
                "cases prevented (fewer than expected)")),
            Column("value", "number", minimum=0, maximum=100_000),
            Column("ci_low", "number", required=False, minimum=-100, maximum=100_000),
            Column("ci_high", "number", required=False, minimum=0, maximum=100_000),
            Column("ci_level_percent", "number", required=False, minimum=50, maximum=99.9),
            Column("adjusted", "text", choices=("yes", "no")),
            Column("adjusted_for", "text", required=False),
            Column("population", "text"),
            Column("analysis_set", "text", choices=(
                "per-protocol", "intention-to-treat", "naive subset of intention-to-treat",
                "not applicable (observational)")),
            Column("follow_up", "text"),
            Column("statement", "text"),
            Column("verified_from", "text"),
            SOURCE,
        ),
        key="result_id",
        description=(
            "Protection against cervical cancer and its precursors by HPV vaccination, one row per published number, "
            "quoted the way each source reports it: population impact by age at (first, or offered) vaccination from "
            "national cohort and register studies (Sweden, England, Scotland, Denmark), and trial efficacy with its "
            "analysis population (per-protocol, intention-to-treat, or the HPV-naive part of the vaccinated cohort). "
            "age_at_vaccination_min/max give the band in whole years as the source states it (bands may touch, as "
            "England's 14-16 and 16-18; a missing end means the source gave none); for trials they are the "
            "enrolment ages. An incidence rate ratio below 1 and a relative reduction or efficacy above 0 mean "
            "protection. `adjusted` says whether the estimate is adjusted for confounders (`adjusted_for` lists "
            "them); randomised comparisons are marked 'no'. `verified_from` says where the number was read; where "
            "only a secondary summary could be read, it names that summary."
        ),
        units={
            "age_at_vaccination_min": "years", "age_at_vaccination_max": "years",
            "value": "as given in `measure` (a ratio, a %, cases per 100,000, or a count)",
            "ci_low": "same unit as value", "ci_high": "same unit as value",
            "ci_level_percent": "confidence level of the interval, % (FUTURE II 95.89, PATRICIA 96.1)",
        },
        rules=(
            lambda f: [f"{r.result_id}: give both ci_low and ci_high and their level, or none"
                       for r in f.itertuples()
                       if not (pd.isna(r.ci_low) == pd.isna(r.ci_high) == pd.isna(r.ci_level_percent))],
            lambda f: [f"{r.result_id}: age_at_vaccination_min > age_at_vaccination_max"
                       for r in f.itertuples() if pd.notna(r.age_at_vaccination_min) and pd.notna(r.age_at_vaccination_max)
                       and r.age_at_vaccination_min > r.age_at_vaccination_max],
            lambda f: [f"{r.result_id}: adjusted estimates list what they adjust for, unadjusted ones nothing"
                       for r in f.itertuples() if (r.adjusted == "yes") != bool(r.adjusted_for)],
            lambda f: [f"{r.result_id}: a trial row needs a trial analysis set, a cohort row the observational one"
                       for r in f.itertuples()
                       if (r.study_type == "cohort") != (r.analysis_set == "not applicable (observational)")],
        ),
    ),
    "delivery_studies": Schema(
        columns=(
            Column("key", "text"),
            Column("platform", "text", choices=(
                "nanoparticle", "scaffold", "mesoporous silica", "hydrogel", "systemic bolus or infusion")),
            Column("study_type", "text", choices=(
                "meta-analysis", "mouse model", "clinical pharmacokinetics")),
            Column("agent", "text"),
            Column("route", "text"),
            Column("measured", "text"),
            Column("value", "number", required=False, minimum=0, maximum=100_000),
            Column("unit", "text", required=False, choices=("% injected dose", "days", "mL/h", "µg/mL")),
            Column("statistic", "text"),
            Column("timepoint", "text"),
            Column("species", "text"),
            Column("n_datasets", "integer", required=False, minimum=1, maximum=100_000),
            Column("statement", "text"),
            SOURCE,
            Column("verified_from", "text"),
        ),
        key="key",
        description=(
            "How much of a drug or carrier reaches a tumour, and what local depots did in published studies "
            "(lesson 08), one row per stated number or finding, quoted as the source states it: the statistic "
            "(median or mean over studies, mean with its coefficient of variation), the time point and the species. "
            "Nanoparticle rows are delivery efficiencies after systemic injection, in % of the injected dose; depot "
            "rows (mesoporous silica, hydrogel) are qualitative findings of mouse studies whose numbers were not "
            "read; 'systemic bolus or infusion' rows are the label pharmacokinetics of ipilimumab used by the "
            "course model. `verified_from` says where each number was read ('SECONDARY: ...' if only in a "
            "summary by others)."
        ),
        units={"value": "as given in `unit`", "n_datasets": "data sets analysed (meta-analyses only)"},
        rules=(
            lambda f: [f"{r.key}: a qualitative finding has no value or unit, and every other row has both"
                       for r in f.itertuples()
                       if (r.statistic == "qualitative finding") != (pd.isna(r.value) and r.unit == "")
                       or (pd.isna(r.value) != (r.unit == ""))],
            lambda f: [f"{r.key}: a percentage of the injected dose above 100"
                       for r in f.itertuples() if r.unit == "% injected dose" and r.value > 100],
            lambda f: [f"{r.key}: n_datasets belongs to meta-analyses only"
                       for r in f.itertuples() if pd.notna(r.n_datasets) and r.study_type != "meta-analysis"],
        ),
    ),
    "vaccine_trials": Schema(
        columns=(
            Column("result_id", "text"),
            Column("trial", "text"),
            Column("vaccine", "text"),
            Column("vaccine_kind", "text", choices=(
                "preventive", "dendritic cell", "oncolytic virus", "peptide", "mRNA neoantigen")),
            Column("disease", "text"),
            Column("comparator", "text"),
            Column("group", "text"),
            Column("measure", "text", choices=(
                "median overall survival", "overall survival rate", "hazard ratio for death",
                "recurrence-free survival rate", "hazard ratio for recurrence or death",
                "distant metastasis-free survival rate", "hazard ratio for distant metastasis or death",
                "patients with recurrence or death", "durable response rate", "objective response rate",
                "complete response rate", "odds ratio for durable response", "hepatocellular carcinoma incidence",
                "patients with vaccine-expanded T cells")),
            Column("value", "number", minimum=0, maximum=1000),
            Column("unit", "text", choices=(
                "months", "%", "hazard ratio", "odds ratio", "per 100,000 children per year", "patients")),
            Column("ci_low", "number", required=False, minimum=0, maximum=1000),
            Column("ci_high", "number", required=False, minimum=0, maximum=1000),
            Column("ci_level_percent", "number", required=False, minimum=50, maximum=99.9),
            Column("timepoint_months", "number", required=False, minimum=0, maximum=240),
            Column("population", "text"),
            Column("n_patients", "integer", required=False, minimum=1, maximum=10_000_000),
            Column("statement", "text"),
            Column("verified_from", "text"),
            SOURCE,
        ),
        key="result_id",
        description=(
            "Milestones of therapeutic and preventive cancer vaccines (dendritic-cell, oncolytic-virus, mRNA "
            "neoantigen vaccines; hepatitis B vaccination against liver cancer), one row per reported number. "
            "`group` says whom the number describes: one arm ('... arm'), a comparison ('A vs B', hazard and odds "
            "ratios), or a population stratum (Taiwan's children by period or birth cohort). n_patients is the "
            "number of patients the value refers to (both arms for a ratio). Landmark rates ('... rate' of "
            "survival) carry their time in `timepoint_months`. `verified_from` says where the number was read; "
            "where only a secondary summary could be read, it names that summary."
        ),
        units={
            "value": "as given in `unit`", "ci_low": "same unit as value", "ci_high": "same unit as value",
            "ci_level_percent": "confidence level of the interval, %",
            "timepoint_months": "months after randomisation or first dose (landmark rates only)",
        },
        rules=(
            lambda f: [f"{r.result_id}: give both ci_low and ci_high and their level, or none"
                       for r in f.itertuples()
                       if not (pd.isna(r.ci_low) == pd.isna(r.ci_high) == pd.isna(r.ci_level_percent))],
            lambda f: [f"{r.result_id}: '{r.measure}' is not measured in '{r.unit}'"
                       for r in f.itertuples()
                       if r.unit != {"median overall survival": "months", "hazard ratio for death": "hazard ratio",
                                     "hazard ratio for recurrence or death": "hazard ratio",
                                     "hazard ratio for distant metastasis or death": "hazard ratio",
                                     "odds ratio for durable response": "odds ratio",
                                     "hepatocellular carcinoma incidence": "per 100,000 children per year",
                                     "patients with vaccine-expanded T cells": "patients"}.get(r.measure, "%")],
            lambda f: [f"{r.result_id}: a survival rate needs timepoint_months and nothing else has one"
                       for r in f.itertuples()
                       if r.measure.endswith("survival rate") == pd.isna(r.timepoint_months)],
        ),
    ),
    "irae": Schema(
        columns=(
            Column("key", "text"),
            Column("study", "text"),
            Column("design", "text"),
            Column("regimen", "text", choices=(
                "ipilimumab 3 mg/kg", "ipilimumab (dose not stated in the table read)", "nivolumab 3 mg/kg",
                "anti-PD-1 monotherapy (nivolumab or pembrolizumab)", "nivolumab 1 mg/kg + ipilimumab 3 mg/kg",
                "anti-PD-1 + ipilimumab")),
            Column("drug_class", "text", choices=("anti-CTLA-4", "anti-PD-1", "anti-PD-1 + anti-CTLA-4")),
            Column("cancer", "text"),
            Column("organ", "text", choices=(
                "all organs", "skin", "gastrointestinal", "liver", "endocrine", "lung", "kidney")),
            Column("event_as_reported", "text"),
            Column("population", "text"),
            Column("n_patients", "integer", required=False, minimum=1, maximum=100_000),
            Column("n_events", "integer", required=False, minimum=0, maximum=100_000),
            Column("grading_scale", "text", choices=(
                "CTCAE (version not stated in the text read)", "not stated in the text read",
                "not applicable (defined by systemic steroid use)")),
            Column("measure", "text", choices=(
                "immune-related AE incidence", "treatment-related AE incidence", "select AE incidence",
                "steroid-requiring colitis incidence", "discontinuation owing to immune-related AEs",
                "median time to onset", "typical time to onset (range)",
                "time to symptom onset (summary statistic not stated)")),
            Column("any_grade_pct", "number", required=False, minimum=0, maximum=100),
            Column("severe_pct", "number", required=False, minimum=0, maximum=100),
            Column("severe_grades", "text", required=False, choices=("3-4", "≥3", "3-5")),
            Column("onset_weeks", "number", required=False, minimum=0, maximum=520),
            Column("onset_low_weeks", "number", required=False, minimum=0, maximum=520),
            Column("onset_high_weeks", "number", required=False, minimum=0, maximum=520),
            Column("follow_up", "text"),
            Column("statement", "text"),
            Column("management", "text", required=False),
            SOURCE,
            Column("verified_from", "text"),
        ),
        key="key",
        description=(
            "Immune-related adverse events of checkpoint inhibitors by regimen and organ, for the lesson 08 explainer: "
            "one row per stated incidence (any grade and severe, in %) or stated time to onset (weeks). "
            "`event_as_reported` is the category as the source names it and `organ` the course's grouping of it; "
            "`severe_grades` says which grades `severe_pct` counts (3-4, ≥3 or 3-5, as the source states it). "
            "Incidence rows carry no onset and onset rows no incidence; a median onset is `onset_weeks`, a stated "
            "range is `onset_low_weeks`-`onset_high_weeks`. Cells the text read does not give are empty, not "
            "estimated. `verified_from` says where each number was read; SECONDARY marks numbers read only in a "
            "review's table (the CheckMate 067 per-organ rates come from a CMAJ review table, not Larkin 2015)."
        ),
        units={"any_grade_pct": "% of the population", "severe_pct": "% of the population",
               "onset_weeks": "weeks from the first dose", "onset_low_weeks": "weeks", "onset_high_weeks": "weeks"},
        rules=(
            lambda f: [f"{r.key}: {r.regimen} is not {r.drug_class}" for r in f.itertuples() if r.drug_class != {
                "ipilimumab 3 mg/kg": "anti-CTLA-4", "ipilimumab (dose not stated in the table read)": "anti-CTLA-4",
                "nivolumab 3 mg/kg": "anti-PD-1", "anti-PD-1 monotherapy (nivolumab or pembrolizumab)": "anti-PD-1",
                "nivolumab 1 mg/kg + ipilimumab 3 mg/kg": "anti-PD-1 + anti-CTLA-4",
                "anti-PD-1 + ipilimumab": "anti-PD-1 + anti-CTLA-4"}[r.regimen]],
            lambda f: [f"{r.key}: an onset row gives weeks and no rate; an incidence row gives a rate and no weeks"
                       for r in f.itertuples()
                       if ("onset" in r.measure) != (pd.notna(r.onset_weeks) or pd.notna(r.onset_low_weeks))
                       or ("onset" in r.measure) == (pd.notna(r.any_grade_pct) or pd.notna(r.severe_pct))],
            lambda f: [f"{r.key}: grade {r.severe_grades} rate {r.severe_pct}% above its any-grade rate "
                       f"{r.any_grade_pct}%"
                       for r in f.itertuples() if r.severe_pct > r.any_grade_pct],
            lambda f: [f"{r.key}: a severe rate needs severe_grades and severe_grades needs a severe rate"
                       for r in f.itertuples() if pd.isna(r.severe_pct) != (r.severe_grades == "")],
            lambda f: [f"{r.key}: give both ends of an onset range, low <= high, and a median inside it"
                       for r in f.itertuples()
                       if pd.isna(r.onset_low_weeks) != pd.isna(r.onset_high_weeks)
                       or r.onset_low_weeks > r.onset_high_weeks
                       or not (r.onset_low_weeks <= r.onset_weeks <= r.onset_high_weeks
                               or pd.isna(r.onset_weeks) or pd.isna(r.onset_low_weeks))],
            lambda f: [f"{r.key}: n_events {r.n_events} needs an n_patients it does not exceed" for r in f.itertuples()
                       if pd.notna(r.n_events) and (pd.isna(r.n_patients) or r.n_events > r.n_patients)],
        ),
    ),
    "treatment_toxicity": Schema(
        columns=(
            Column("key", "text"),
            Column("trial", "text"),
            Column("design", "text"),
            Column("cancer", "text"),
            Column("line_of_therapy", "text"),
            Column("arm_class", "text", choices=(
                "PD-1 inhibitor", "CTLA-4 inhibitor", "PD-1 + CTLA-4 inhibitors", "chemotherapy")),
            Column("regimen", "text"),
            Column("comparison", "text"),
            Column("population", "text"),
            Column("n_patients", "integer", required=False, minimum=1, maximum=100_000),
            Column("grading_scale", "text", choices=(
                "CTCAE (version not stated in the text read)", "not stated in the text read")),
            Column("measure", "text", choices=(
                "treatment-related adverse events", "immune-related adverse events (as labelled by the review table)")),
            Column("any_grade_pct", "number", required=False, minimum=0, maximum=100),
            Column("severe_pct", "number", minimum=0, maximum=100),
            Column("severe_grades", "text", choices=("3-4", "≥3", "3-5")),
            Column("discontinuation_pct", "number", required=False, minimum=0, maximum=100),
            Column("follow_up", "text"),
            Column("statement", "text"),
            SOURCE,
            Column("verified_from", "text"),
        ),
        key="key",
        description=(
            "Severe adverse events with a checkpoint inhibitor and with chemotherapy, one row per trial arm, for the "
            "'why immunotherapy is often better tolerated than chemotherapy, and where it is not' comparison. "
            "`severe_pct` counts the grades in `severe_grades` as the source states them (grade 3-5 in KEYNOTE-024 "
            "and -045, grade 3-4 in CheckMate 017, '≥3' in the review table quoting CheckMate 067); arms of one "
            "trial share `comparison`. CheckMate 067 has no chemotherapy arm: set against the chemotherapy arms of "
            "other trials it is a cross-trial comparison (different cancers, lines and follow-up), not a randomised "
            "one. "
            "`discontinuation_pct` is the share of patients who stopped treatment for adverse events where the text "
            "read states it."
        ),
        units={"any_grade_pct": "% of the arm", "severe_pct": "% of the arm", "discontinuation_pct": "% of the arm"},
        rules=(
            lambda f: [f"{r.key}: grade {r.severe_grades} rate {r.severe_pct}% above its any-grade rate "
                       f"{r.any_grade_pct}%"
                       for r in f.itertuples() if r.severe_pct > r.any_grade_pct],
        ),
    ),
    "biomarker_rules": Schema(
        columns=(
            Column("rule_id", "text"),
            Column("therapy", "text"),
            Column("therapy_class", "text"),
            Column("cancer", "text"),
            Column("line_of_therapy", "text"),
            Column("biomarker", "text"),
            Column("operator", "text", choices=(">=", "is", "any")),
            Column("threshold", "number", required=False, minimum=0, maximum=100),
            Column("unit", "text", required=False),
            Column("evidence_table", "text", required=False, choices=("checkpoint_trials", "car_t_trials")),
            Column("evidence_key", "text", required=False),
            Column("response_pct", "number", required=False, minimum=0, maximum=100),
            Column("response_measure", "text", required=False),
            Column("response_population", "text", required=False),
            Column("statement", "text"),
            SOURCE,
            Column("verified_from", "text"),
        ),
        key="rule_id",
        description=(
            "Biomarker rules of the course's therapy matcher (lesson 08): which therapy a trial or label tested in "
            "which patients, the biomarker threshold that defined them, and where the published response rate is "
            "(a row of checkpoint_trials or car_t_trials, or the response columns here). A teaching table, not "
            "clinical decision support."),
        units={"threshold": "see the unit column", "response_pct": "% of the population stated"},
        rules=(
            lambda f: [f"{r.rule_id}: a threshold needs operator '>=' or 'is' and a unit" for r in f.itertuples()
                       if (r.operator == "any") != pd.isna(r.threshold) or (pd.notna(r.threshold) and not r.unit)],
            lambda f: [f"{r.rule_id}: give either an evidence row or a response rate with its measure and population"
                       for r in f.itertuples()
                       if bool(r.evidence_key) == pd.notna(r.response_pct) or bool(r.evidence_key) != bool(r.evidence_table)
                       or (pd.notna(r.response_pct) and not (r.response_measure and r.response_population))],
        ),
    ),
    "tmb_response": Schema(
        columns=(
            Column("cancer_type", "text"),
            Column("median_tmb_mut_per_mb", "number", minimum=0.01, maximum=1000),
            Column("orr_percent", "number", minimum=0, maximum=100),
            Column("n_patients", "integer", required=False, minimum=1),
            SOURCE,
        ),
        key="cancer_type",
        description="Median tumour mutational burden and objective response rate to anti-PD-1/PD-L1 therapy by cancer type.",
        units={"median_tmb_mut_per_mb": "mutations per megabase", "orr_percent": "% of patients"},
    ),
    "immune_cells": Schema(
        columns=(
            Column("cell_type", "text"),
            Column("arm", "text", choices=("innate", "adaptive")),
            Column("lineage", "text", choices=("myeloid", "lymphoid")),
            Column("progenitor", "text"),
            Column("anti_tumour_role", "text"),
            Column("pro_tumour_role", "text", required=False),
            Column("therapies_using_it", "text", required=False),
            Column("course_lesson", "text", required=False),
            SOURCE,
        ),
        key="cell_type",
        description="Immune cell types, their lineage and their roles for and against tumours.",
    ),
    "cytokine_trials": Schema(
        columns=(
            Column("result_id", "text"),
            Column("therapy", "text"),
            Column("cancer", "text", choices=("melanoma", "renal cell carcinoma")),
            Column("setting", "text", choices=("metastatic", "adjuvant")),
            Column("trial", "text"),
            Column("n_patients", "integer", minimum=1, maximum=100_000),
            Column("endpoint", "text"),
            Column("value", "number", minimum=0, maximum=1000),
            Column("unit", "text", choices=("%", "months", "years", "patients", "hazard ratio")),
            Column("ci_low", "number", required=False, minimum=0, maximum=1000),
            Column("ci_high", "number", required=False, minimum=0, maximum=1000),
            Column("ci_level_percent", "number", required=False, minimum=50, maximum=99.9),
            Column("comparator", "text", required=False),
            Column("comparator_value", "number", required=False, minimum=0, maximum=1000),
            Column("statement", "text"),
            SOURCE,
        ),
        key="result_id",
        description=(
            "Clinical results of cytokine therapy (high-dose IL-2, adjuvant interferon-α), one row per result, "
            "stated as each source reports it. n_patients is the number of patients the value refers to "
            "(e.g. the 26 partial responders for a median response duration)."
        ),
        units={
            "value": "as given in `unit`",
            "ci_low": "same unit as value",
            "ci_high": "same unit as value",
            "ci_level_percent": "confidence level of the interval, %",
            "comparator_value": "same unit as value, for the comparator arm",
        },
    ),
    "checkpoint_trials": Schema(
        columns=(
            Column("result_id", "text"),
            Column("regimen", "text"),
            Column("target", "text", choices=("CTLA-4", "PD-1", "PD-L1", "PD-1+CTLA-4")),
            Column("cancer", "text", choices=(
                "melanoma", "non-small-cell lung cancer", "urothelial carcinoma",
                "colorectal cancer", "solid tumours (several types)")),
            Column("line", "text", choices=(
                "first line", "first or second line", "second line or later", "mixed lines",
                "not stated in the text read")),
            Column("trial", "text"),
            Column("population", "text"),
            Column("analysis", "text"),
            Column("n_patients", "integer", minimum=1, maximum=100_000),
            Column("endpoint", "text", choices=(
                "median overall survival", "median progression-free survival",
                "overall survival rate", "progression-free survival rate",
                "hazard ratio for death", "hazard ratio for progression or death",
                "objective response rate", "complete response rate",
                "treatment-related adverse events, any grade",
                "treatment-related adverse events, grade 3-4",
                "treatment-related adverse events, grade 3-5")),
            Column("timepoint_months", "number", required=False, minimum=0, maximum=240),
            Column("assessment", "text", choices=(
                "blinded independent central review", "investigator", "immune-related response criteria",
                "not applicable", "not stated in the text read")),
            Column("value", "number", minimum=0, maximum=1000),
            Column("unit", "text", choices=("%", "months", "hazard ratio")),
            Column("ci_low", "number", required=False, minimum=0, maximum=1000),
            Column("ci_high", "number", required=False, minimum=0, maximum=1000),
            Column("ci_level_percent", "number", required=False, minimum=50, maximum=99.9),
            Column("comparator", "text", required=False),
            Column("comparator_value", "number", required=False, minimum=0, maximum=1000),
            Column("statement", "text"),
            SOURCE,
            Column("verified_from", "text"),
        ),
        key="result_id",
        description=(
            "Clinical results of immune checkpoint inhibitors (anti-CTLA-4, anti-PD-1 and their combination), one row "
            "per published result, stated as each source reports it: the population (all randomised, PD-L1 subgroup, "
            "treated patients), the analysis (data cut, follow-up), how response was assessed, and the confidence "
            "level of any interval. Rates (`... rate`) carry the landmark in `timepoint_months`. Safety rows "
            "(`treatment-related adverse events, ...`) give the percentage of treated patients with at least one "
            "such event, by grade band as the source groups them. n_patients is the number of patients the value "
            "refers to (both arms for a hazard ratio). `verified_from` says where the number was read; where only "
            "a secondary summary of the paper could be read, it names that summary."
        ),
        units={
            "timepoint_months": "months after randomisation (landmark rates only)",
            "value": "as given in `unit`",
            "ci_low": "same unit as value",
            "ci_high": "same unit as value",
            "ci_level_percent": "confidence level of the interval, %",
            "comparator_value": "same unit as value, for the comparator arm",
        },
    ),
    "checkpoint_survival": Schema(
        columns=(
            Column("point_id", "text"),
            Column("trial", "text"),
            Column("cancer", "text", choices=(
                "melanoma", "non-small-cell lung cancer", "urothelial carcinoma",
                "colorectal cancer", "solid tumours (several types)")),
            Column("arm", "text"),
            Column("target", "text", choices=("CTLA-4", "PD-1", "PD-L1", "PD-1+CTLA-4", "none (control)")),
            Column("population", "text"),
            Column("analysis", "text"),
            Column("n_patients", "integer", minimum=1, maximum=100_000),
            Column("endpoint", "text", choices=("OS", "PFS")),
            Column("measure", "text", choices=("landmark", "median")),
            Column("time_months", "number", minimum=0, maximum=240),
            Column("survival_percent", "number", minimum=0, maximum=100),
            Column("ci_low", "number", required=False, minimum=0, maximum=240),
            Column("ci_high", "number", required=False, minimum=0, maximum=240),
            Column("statement", "text"),
            SOURCE,
            Column("verified_from", "text"),
        ),
        key="point_id",
        description=(
            "Points on published Kaplan-Meier curves of checkpoint-inhibitor trials, to lay under a model survival "
            "curve (e.g. a mixture-cure model). One row per (trial, arm, endpoint, time): a `landmark` row gives "
            "the estimated percentage alive (OS) or alive without progression (PFS) at `time_months`; a `median` "
            "row gives the median time as `time_months` with `survival_percent` = 50. The 95% interval in "
            "ci_low/ci_high is on survival_percent for landmark rows and on time_months for median rows; it is "
            "left empty where the text read gave none or its upper end was not reached. Different rows of one arm "
            "may come from different data cuts (`analysis`): each is stated as that publication gives it."
        ),
        units={
            "time_months": "months after randomisation",
            "survival_percent": "% of the arm's patients (Kaplan-Meier estimate)",
            "ci_low": "% for landmark rows, months for median rows",
            "ci_high": "% for landmark rows, months for median rows",
        },
    ),
    "antibodies": Schema(
        columns=(
            Column("inn", "text"),
            Column("brand", "text"),
            Column("target", "text"),
            Column("source_type", "text", choices=("murine", "chimeric", "humanized", "human")),
            Column("source_substem", "text", required=False, choices=("o", "xi", "zu", "u")),
            Column("isotype", "text", required=False),
            Column("format", "text", choices=("naked", "antibody-drug conjugate", "radioimmunoconjugate")),
            Column("payload", "text", required=False),
            Column("mechanism", "text"),
            Column("example_use", "text"),
            Column("first_fda_approval_year", "integer", minimum=1986, maximum=2030),
            Column("course_lesson", "text"),
            Column("notes", "text", required=False),
            SOURCE,
        ),
        key="inn",
        description=(
            "Therapeutic monoclonal antibodies used in cancer, for the lesson on monoclonal antibodies and its "
            "naming quiz. inn is the International Nonproprietary Name in lower case (for a conjugate, the "
            "antibody word plus the conjugate word, e.g. 'trastuzumab emtansine'). source_type is the origin "
            "stated by the FDA label (murine, chimeric, humanized, human). source_substem is the source "
            "syllable visible in the INN just before -mab (o = mouse, xi = chimeric, zu = humanized, "
            "u = human); it is empty where the INN carries none, as for names given under the scheme WHO "
            "adopted in 2017, which dropped the source substem. isotype is the heavy-chain class and, where "
            "the text read states it, the light chain; it is empty where it could not be verified. payload "
            "is the drug or radionuclide carried by a conjugate (empty for naked antibodies). "
            "first_fda_approval_year is the year of the product's first US approval ('Initial U.S. "
            "Approval' on the label), even if it was later withdrawn. course_lesson lists lesson numbers "
            "separated by ';'. mechanism is written for the course, not quoted."
        ),
        units={"first_fda_approval_year": "calendar year of first US FDA approval"},
        rules=(lambda f: _antibody_rules(f),),
    ),
    "car_t_trials": Schema(
        columns=(
            Column("key", "text"),
            Column("trial", "text", choices=("ELIANA", "ZUMA-1", "JULIET", "TRANSCEND NHL 001")),
            Column("design", "text"),
            Column("analysis", "text"),
            Column("product", "text", choices=(
                "tisagenlecleucel", "axicabtagene ciloleucel", "lisocabtagene maraleucel")),
            Column("disease", "text", choices=(
                "B-cell acute lymphoblastic leukaemia", "large B-cell lymphoma", "diffuse large B-cell lymphoma")),
            Column("age_group", "text", choices=("children and young adults", "adults")),
            Column("line_of_therapy", "text", choices=(
                "relapsed or refractory; prior lines not stated in the text read",
                "refractory, or relapsed within 12 months of autologous transplant",
                "relapsed or refractory; after, ineligible for or declining autologous transplant",
                "relapsed or refractory; median 3 prior systemic therapies")),
            Column("population", "text", choices=("enrolled", "leukapheresed", "infused", "evaluable", "responders")),
            Column("population_detail", "text"),
            Column("n_patients", "integer", minimum=1, maximum=100_000),
            Column("n_events", "integer", required=False, minimum=0, maximum=100_000),
            Column("measure", "text", choices=(
                "overall remission (CR + CRi)", "objective response (CR + PR)", "best overall response (CR + PR)",
                "complete response", "partial response", "ongoing response at data cutoff",
                "event-free survival", "overall survival", "disease-specific survival", "relapse-free survival",
                "relapse-free survival, censored at subsequent therapy",
                "relapse-free survival, not censored at subsequent therapy",
                "median event-free survival", "median progression-free survival", "median overall survival",
                "CRS any grade", "CRS grade 3-4", "CRS grade ≥3",
                "neurologic events any grade", "neurologic events grade 3-4", "neurologic events grade ≥3",
                "grade 3-4 adverse events suspected to be related",
                "received the CAR-T infusion", "enrolled but not infused", "CAR-T product manufactured")),
            Column("value", "number", minimum=0, maximum=100_000),
            Column("unit", "text", choices=("%", "months", "patients")),
            Column("ci_low", "number", required=False, minimum=0, maximum=1000),
            Column("ci_high", "number", required=False, minimum=0, maximum=1000),
            Column("timepoint", "text"),
            Column("timepoint_months", "number", required=False, minimum=0, maximum=240),
            Column("grading_scale", "text", choices=(
                "Penn", "Lee 2014", "ASTCT 2019", "CTCAE v4.03", "not stated in the text read", "not applicable")),
            Column("assessment", "text", choices=(
                "independent review committee", "investigator", "not stated in the text read", "not applicable")),
            Column("statement", "text"),
            SOURCE,
            Column("verified_from", "text"),
        ),
        key="key",
        description=(
            "Pivotal CD19 CAR-T results (ELIANA, ZUMA-1, JULIET, TRANSCEND NHL 001 and their long-term follow-ups), one "
            "row per reported number, quoted the way the source states it. `population` says whom the number is of "
            "(enrolled, leukapheresed, infused, evaluable, responders) and `n_patients` is that denominator; where a "
            "denominator had to be derived from a stated rate, `population_detail` says so. `unit` is '%' for rates, "
            "'months' for medians and 'patients' for counts the source gives without a percentage (value = the count). "
            "n_events is the number of patients with the event where the text read states it. Toxicity rows name the "
            "grading scale; 'not stated in the text read' where the text read did not name it. `verified_from` says "
            "where the number was read: SECONDARY marks numbers read only in a review, news summary or conference "
            "abstract rather than the cited paper."
        ),
        units={
            "value": "as given in `unit`",
            "ci_low": "95% interval, same unit as value",
            "ci_high": "95% interval, same unit as value",
            "timepoint_months": "months after infusion (landmark rates only)",
        },
        rules=(
            lambda f: [f"{k}: a percentage above 100" for k, u, v, hi in zip(f.key, f.unit, f.value, f.ci_high)
                       if u == "%" and (v > 100 or (pd.notna(hi) and hi > 100))],
            lambda f: [f"{k}: n_events {e} above n_patients {n}" for k, e, n in zip(f.key, f.n_events, f.n_patients)
                       if pd.notna(e) and e > n],
            lambda f: [f"{k}: a count row needs n_events equal to value, at most n_patients"
                       for k, u, v, e, n in zip(f.key, f.unit, f.value, f.n_events, f.n_patients)
                       if u == "patients" and (pd.isna(e) or e != v or v > n)],
            lambda f: [f"{k}: value {v} outside its interval {lo}-{hi}" for k, v, lo, hi in
                       zip(f.key, f.value, f.ci_low, f.ci_high)
                       if pd.notna(lo) != pd.notna(hi) or (pd.notna(lo) and not lo <= v <= hi)],
        ),
    ),
    "car_t_toxicity": Schema(
        columns=(
            Column("key", "text"),
            Column("study", "text"),
            Column("product", "text"),
            Column("disease", "text"),
            Column("population", "text"),
            Column("n_patients", "integer", minimum=1, maximum=100_000),
            Column("stratum_type", "text", choices=(
                "all patients", "tumour burden", "dose level", "dose schedule", "lymphodepletion", "product",
                "patient factor", "biomarker", "disease", "grading scale")),
            Column("stratum", "text"),
            Column("measure", "text", choices=(
                "CRS any grade", "CRS grade 1", "CRS grade 2", "CRS grade 3", "CRS grade 4", "CRS grade 5",
                "CRS grade 1-3", "severe CRS", "ICANS any grade",
                "refractory CRS concurrent with culture-positive sepsis",
                "independent predictor of CRS (multivariable analysis of baseline characteristics)",
                "cytokines whose peak level was highly associated with severe CRS",
                "cytokines in the signature that predicted severe CRS",
                "associated with CRS but did not predict severe CRS",
                "CRS given the same grade by every grading system",
                "CRS present or absent agreed by every grading system",
                "ICANS given the same grade by every grading system",
                "ICANS present or absent agreed by every grading system",
                "complete remission", "remission duration and survival")),
            Column("value", "number", required=False, minimum=0, maximum=100_000),
            Column("unit", "text", choices=("%", "patients", "cytokines", "association")),
            Column("ci_low", "number", required=False, minimum=0, maximum=100),
            Column("ci_high", "number", required=False, minimum=0, maximum=100),
            Column("n_events", "integer", required=False, minimum=0, maximum=100_000),
            Column("direction", "text", required=False, choices=("raises risk", "better outcome", "associated")),
            Column("scale", "text", choices=(
                "Penn", "Lee 2014", "ASTCT 2019", "CTCAE v4.03", "MSKCC", "several (comparison)",
                "not stated in the text read", "not applicable")),
            Column("statement", "text"),
            SOURCE,
            Column("verified_from", "text"),
        ),
        key="key",
        description=(
            "Cited relations between tumour burden, dose, dose schedule, lymphodepletion, biomarkers and the grading "
            "scale on one side and cytokine release syndrome (CRS) or neurotoxicity on the other, for the 'toxicity "
            "window' explainer. One row per stated number or stated association: `stratum` is the group or factor, "
            "`population` and `n_patients` the cohort the number is of, `scale` the CRS/ICANS grading system. Rows "
            "with unit 'association' record a relation the source states without a number (value empty, `direction` "
            "given). Only what the text read states is recorded: stratum-specific CRS rates that sit in full texts "
            "not read here are absent, not estimated."
        ),
        units={"value": "as given in `unit`", "ci_low": "95% interval, %", "ci_high": "95% interval, %"},
        rules=(
            lambda f: [f"{k}: a percentage above 100" for k, u, v in zip(f.key, f.unit, f.value) if u == "%" and v > 100],
            lambda f: [f"{k}: an association row has no value and names a direction; other rows have a value"
                       for k, u, v, d in zip(f.key, f.unit, f.value, f.direction)
                       if (u == "association") != (pd.isna(v) and d != "")],
            lambda f: [f"{k}: n_events {e} above n_patients {n}" for k, e, n in zip(f.key, f.n_events, f.n_patients)
                       if pd.notna(e) and e > n],
            lambda f: [f"{k}: value {v} outside its interval {lo}-{hi}" for k, v, lo, hi in
                       zip(f.key, f.value, f.ci_low, f.ci_high)
                       if pd.notna(lo) != pd.notna(hi) or (pd.notna(lo) and not lo <= v <= hi)],
        ),
    ),
}


class DataError(ValueError):
    """A data file does not match its declared schema."""


def available() -> list[str]:
    return sorted(SCHEMAS)


def validate(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Check ``frame`` against the schema ``name``; return it with typed columns."""
    schema = SCHEMAS[name]
    expected = [c.name for c in schema.columns]
    if list(frame.columns) != expected:
        raise DataError(f"{name}.csv: columns {list(frame.columns)} != expected {expected}")
    if frame.empty:
        raise DataError(f"{name}.csv has no rows")
    frame = frame.copy()
    for col in schema.columns:
        values = frame[col.name]
        missing = values.isna() | (values.astype(str).str.strip() == "")
        if col.required and missing.any():
            rows = [int(i) + 2 for i in frame.index[missing]]  # +2: header line, 1-based
            raise DataError(f"{name}.csv: empty '{col.name}' on line(s) {rows}")
        if col.kind in ("number", "integer"):
            numbers = pd.to_numeric(values, errors="coerce")
            bad = numbers.isna() & ~missing
            if bad.any():
                raise DataError(f"{name}.csv: non-numeric '{col.name}': {list(values[bad])}")
            if col.kind == "integer" and ((numbers.dropna() % 1) != 0).any():
                raise DataError(f"{name}.csv: '{col.name}' must hold whole numbers")
            if col.minimum is not None and (numbers < col.minimum).any():
                raise DataError(f"{name}.csv: '{col.name}' below {col.minimum}: {list(numbers[numbers < col.minimum])}")
            if col.maximum is not None and (numbers > col.maximum).any():
                raise DataError(f"{name}.csv: '{col.name}' above {col.maximum}: {list(numbers[numbers > col.maximum])}")
            frame[col.name] = numbers.astype("Int64") if col.kind == "integer" else numbers.astype(float)
        else:
            frame[col.name] = values.where(~missing, "").astype(str).str.strip()
            if col.choices is not None:
                wrong = ~frame[col.name].isin(col.choices) & ~missing
                if wrong.any():
                    raise DataError(f"{name}.csv: '{col.name}' must be one of {col.choices}, got {list(frame[col.name][wrong])}")
    for i, src in frame["source"].items():
        if not (_CITATION.search(src) and _IDENTIFIER.search(src)):
            raise DataError(f"{name}.csv line {int(i) + 2}: source must give authors, year and a DOI or PMID: {src!r}")
    for rule in schema.rules:
        problems = rule(frame)
        if problems:
            raise DataError(f"{name}.csv: " + "; ".join(problems))
    if frame[schema.key].duplicated().any():
        raise DataError(f"{name}.csv: duplicate {schema.key}: {list(frame[schema.key][frame[schema.key].duplicated()])}")
    return frame


def read_raw(name: str) -> pd.DataFrame:
    """``course/data/<name>.csv`` as text, exactly as :func:`load` reads it before validating it."""
    if name not in SCHEMAS:
        raise KeyError(f"unknown data set {name!r}; available: {available()}")
    with resources.files(__name__).joinpath(f"{name}.csv").open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False, skipinitialspace=False)


@lru_cache(maxsize=None)
def _load_cached(name: str) -> pd.DataFrame:
    return validate(name, read_raw(name))


def load(name: str) -> pd.DataFrame:
    """Load and validate ``course/data/<name>.csv`` (a fresh copy each call)."""
    return _load_cached(name).copy()


def sources(name: str) -> list[str]:
    """The distinct sources of a data set, in order of first appearance."""
    return list(dict.fromkeys(load(name)["source"]))
