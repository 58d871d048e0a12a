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


@lru_cache(maxsize=None)
def _load_cached(name: str) -> pd.DataFrame:
    if name not in SCHEMAS:
        raise KeyError(f"unknown data set {name!r}; available: {available()}")
    with resources.files(__name__).joinpath(f"{name}.csv").open("r", encoding="utf-8") as fh:
        raw = pd.read_csv(fh, dtype=str, keep_default_na=False, skipinitialspace=False)
    return validate(name, raw)


def load(name: str) -> pd.DataFrame:
    """Load and validate ``course/data/<name>.csv`` (a fresh copy each call)."""
    return _load_cached(name).copy()


def sources(name: str) -> list[str]:
    """The distinct sources of a data set, in order of first appearance."""
    return list(dict.fromkeys(load(name)["source"]))
