"""Matching therapies of the course to a patient's tumour and biomarkers (lesson 08).

A teaching tool, not clinical decision support: the rules are the populations of a few trials in the course's data
(``course/data/biomarker_rules.csv``), each with its source, and a match means only "this patient resembles the
population in which this response rate was measured".  Real treatment choices weigh much more (stage, prior
treatment, organ function, other approved options, guidelines, the patient's wishes).

A :class:`Patient` is matched against every rule by :func:`match`; each :class:`Match` carries the rule (biomarker,
threshold, trial), the published response rate read from the course's trial tables, its measure and population, and
the source.  Nothing here is typed in: thresholds and rates come from the CSV files.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import pandas as pd

from course.data import load

SOLID_ANY = "any solid tumour"
#: Blood cancers among the rules' cancers (a rule for "any solid tumour" does not apply to them).
HAEMATOLOGICAL = ("B-cell acute lymphoblastic leukaemia",)


@dataclass(frozen=True)
class Patient:
    """A patient profile.

    Attributes
    ----------
    cancer : str
        Tumour type, spelled as in ``biomarker_rules.csv`` (e.g. "non-small-cell lung cancer", "melanoma").
    previously_treated : bool
        True if the cancer has progressed after at least one earlier line of therapy.
    pd_l1_tps_pct : float or None
        PD-L1 tumour proportion score, % of tumour cells (None: not tested).
    dmmr_msi_high : bool or None
        Mismatch-repair deficient / microsatellite-instability high (None: not tested).
    tmb_mut_per_mb : float or None
        Tissue tumour mutational burden, mutations per megabase (None: not tested).
    cd19_positive : bool or None
        CD19 on the leukaemic blasts (None: not tested or not applicable).
    label : str
        A short name for the profile.
    """

    cancer: str
    previously_treated: bool = False
    pd_l1_tps_pct: float | None = None
    dmmr_msi_high: bool | None = None
    tmb_mut_per_mb: float | None = None
    cd19_positive: bool | None = None
    label: str = ""


@dataclass(frozen=True)
class Match:
    """One therapy whose trial population the patient fits."""

    rule_id: str
    therapy: str
    therapy_class: str
    rule: str                 # the biomarker rule in words, e.g. "PD-L1 tumour proportion score >= 50 % of tumour cells"
    trial: str
    response_pct: float
    response_measure: str
    response_population: str
    source: str

    def short_source(self) -> str:
        first = self.source.split(",")[0].split()[0]
        year = self.source.split("(")[1].split(")")[0] if "(" in self.source else ""
        return f"{first} et al. {year}".strip()


@functools.cache
def rules() -> pd.DataFrame:
    return load("biomarker_rules")


@functools.cache
def _evidence(table: str, key: str) -> dict:
    frame = load(table)
    row = frame.set_index("result_id" if table == "checkpoint_trials" else "key").loc[key]
    if table == "checkpoint_trials":
        return {"value": float(row["value"]), "measure": row["endpoint"], "population": row["population"],
                "trial": row["trial"], "source": row["source"]}
    return {"value": float(row["value"]), "measure": f"{row['measure']}, {row['timepoint']}",
            "population": row["population_detail"], "trial": row["trial"], "source": row["source"]}


def evidence_sources() -> list[str]:
    """The sources of the response rates the rules cite (distinct, in rule order)."""
    out = [_evidence(r.evidence_table, r.evidence_key)["source"] if r.evidence_key else r.source
           for r in rules().itertuples()]
    return list(dict.fromkeys(out))


def rule_text(r) -> str:
    """The rule's biomarker condition in words."""
    if r.operator == "any":
        return r.biomarker
    if r.operator == "is":
        return f"{r.biomarker}: present"
    return f"{r.biomarker} ≥ {r.threshold:g} {r.unit}"


def _line_fits(r, patient: Patient) -> bool:
    first = r.line_of_therapy.startswith("first")
    return (not patient.previously_treated) if first else patient.previously_treated


def _cancer_fits(r, patient: Patient) -> bool:
    if r.cancer == SOLID_ANY:
        return patient.cancer not in HAEMATOLOGICAL
    return r.cancer == patient.cancer


def _biomarker_value(r, patient: Patient):
    """The patient's value for the rule's biomarker (None if not tested or the rule needs none)."""
    b = r.biomarker.lower()
    if r.operator == "any":
        return None
    if "pd-l1" in b:
        return patient.pd_l1_tps_pct
    if "mismatch" in b:
        return patient.dmmr_msi_high
    if "mutational burden" in b:
        return patient.tmb_mut_per_mb
    if "cd19" in b:
        return patient.cd19_positive
    raise ValueError(f"rule {r.rule_id}: unknown biomarker {r.biomarker!r}")  # pragma: no cover


def _biomarker_fits(r, patient: Patient) -> bool:
    if r.operator == "any":
        return True
    v = _biomarker_value(r, patient)
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return False
    if r.operator == "is":
        return bool(v) == bool(r.threshold)
    return float(v) >= float(r.threshold)


def match(patient: Patient) -> list[Match]:
    """Every rule the patient fits (tumour type, line of therapy and biomarker), highest response rate first."""
    out = []
    for r in rules().itertuples():
        if not (_cancer_fits(r, patient) and _line_fits(r, patient) and _biomarker_fits(r, patient)):
            continue
        if r.evidence_key:
            e = _evidence(r.evidence_table, r.evidence_key)
            out.append(Match(r.rule_id, r.therapy, r.therapy_class, rule_text(r), e["trial"], e["value"],
                             e["measure"], e["population"], e["source"]))
        else:
            out.append(Match(r.rule_id, r.therapy, r.therapy_class, rule_text(r), r.statement.split(" ")[0],
                             float(r.response_pct), r.response_measure, r.response_population, r.source))
    return sorted(out, key=lambda m: -m.response_pct)


def unmet(patient: Patient) -> list[str]:
    """Rules for the patient's tumour type (or any solid tumour) that did not match, with the reason in words."""
    out = []
    for r in rules().itertuples():
        if not _cancer_fits(r, patient):
            continue
        if not _line_fits(r, patient):
            out.append(f"{r.therapy}: tested {r.line_of_therapy}")
        elif not _biomarker_fits(r, patient):
            tested = _biomarker_value(r, patient) is not None
            out.append(f"{r.therapy}: needs {rule_text(r)}" + ("" if tested else " (not tested)"))
    return out


#: Example profiles for the lesson's matcher (course choices, not real patients).
EXAMPLE_PATIENTS = {
    p.label: p for p in (
        Patient("non-small-cell lung cancer", False, pd_l1_tps_pct=80.0, dmmr_msi_high=False, tmb_mut_per_mb=8.0,
                label="Lung (NSCLC), untreated, PD-L1 80 %"),
        Patient("non-small-cell lung cancer", False, pd_l1_tps_pct=10.0, dmmr_msi_high=False, tmb_mut_per_mb=4.0,
                label="Lung (NSCLC), untreated, PD-L1 10 %"),
        Patient("melanoma", False, pd_l1_tps_pct=None, label="Melanoma, untreated, no biomarker tested"),
        Patient("colorectal cancer", True, dmmr_msi_high=True, tmb_mut_per_mb=40.0,
                label="Colorectal, previously treated, dMMR/MSI-H, TMB 40"),
        Patient("colorectal cancer", True, dmmr_msi_high=False, tmb_mut_per_mb=3.0,
                label="Colorectal, previously treated, MMR proficient, TMB 3"),
        Patient("endometrial cancer", True, dmmr_msi_high=False, tmb_mut_per_mb=14.0,
                label="Endometrial, previously treated, MMR proficient, TMB 14"),
        Patient("urothelial carcinoma", True, label="Bladder (urothelial), after platinum chemotherapy"),
        Patient("B-cell acute lymphoblastic leukaemia", True, cd19_positive=True,
                label="B-ALL, relapsed, CD19 positive"),
        Patient("B-cell acute lymphoblastic leukaemia", True, cd19_positive=False,
                label="B-ALL, relapsed, CD19 negative"),
    )
}


def describe(patient: Patient) -> str:
    """The profile in words (only what was tested)."""
    parts = [patient.cancer, "previously treated" if patient.previously_treated else "untreated"]
    if patient.pd_l1_tps_pct is not None:
        parts.append(f"PD-L1 {patient.pd_l1_tps_pct:g} %")
    if patient.dmmr_msi_high is not None:
        parts.append("dMMR/MSI-H" if patient.dmmr_msi_high else "MMR proficient")
    if patient.tmb_mut_per_mb is not None:
        parts.append(f"TMB {patient.tmb_mut_per_mb:g} mut/Mb")
    if patient.cd19_positive is not None:
        parts.append("CD19 positive" if patient.cd19_positive else "CD19 negative")
    return ", ".join(parts)
