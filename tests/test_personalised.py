"""Matching a patient profile to the course's therapies: rules and response rates come from the CSV files."""


from course import personalised as p
from course.data import load


def _ids(patient):
    return [m.rule_id for m in p.match(patient)]


def test_pd_l1_threshold_for_first_line_pembrolizumab_in_lung_cancer():
    threshold = float(p.rules().set_index("rule_id").loc["pembro_nsclc_pdl1_50", "threshold"])
    at = p.Patient("non-small-cell lung cancer", pd_l1_tps_pct=threshold)
    below = p.Patient("non-small-cell lung cancer", pd_l1_tps_pct=threshold - 1)
    assert _ids(at) == ["pembro_nsclc_pdl1_50"] and _ids(below) == []
    assert _ids(p.Patient("non-small-cell lung cancer")) == []  # not tested: no match
    # after first-line treatment the first-line rule no longer applies
    assert _ids(p.Patient("non-small-cell lung cancer", True, pd_l1_tps_pct=90.0)) == []
    m = p.match(at)[0]
    orr = load("checkpoint_trials").set_index("result_id").loc["reck2016_orr"]
    assert m.response_pct == orr["value"] and m.response_measure == orr["endpoint"] and "KEYNOTE-024" in m.trial


def test_tissue_agnostic_rules_apply_to_solid_tumours_only_after_treatment():
    msi = p.Patient("colorectal cancer", True, dmmr_msi_high=True, tmb_mut_per_mb=40.0)
    assert _ids(msi) == ["pembro_dmmr", "pembro_tmb_10"]  # highest response rate first
    assert _ids(p.Patient("colorectal cancer", False, dmmr_msi_high=True)) == []
    assert _ids(p.Patient("endometrial cancer", True, tmb_mut_per_mb=10.0)) == ["pembro_tmb_10"]
    assert _ids(p.Patient("endometrial cancer", True, tmb_mut_per_mb=9.9)) == []
    assert "pembro_tmb_10" not in _ids(p.Patient("B-cell acute lymphoblastic leukaemia", True, tmb_mut_per_mb=50.0))


def test_car_t_needs_its_antigen():
    pos = p.Patient("B-cell acute lymphoblastic leukaemia", True, cd19_positive=True)
    neg = p.Patient("B-cell acute lymphoblastic leukaemia", True, cd19_positive=False)
    assert _ids(pos) == ["tisacel_ball_cd19"] and _ids(neg) == []
    assert p.match(pos)[0].response_pct == 81.0
    assert any("CD19" in u for u in p.unmet(neg))


def test_melanoma_arms_of_checkmate_067_in_order_of_response():
    ms = p.match(p.Patient("melanoma"))
    assert [m.rule_id for m in ms] == ["nivo_ipi_melanoma", "nivo_melanoma", "ipi_melanoma"]
    assert [m.response_pct for m in ms] == [58.0, 45.0, 19.0]
    assert ms[0].short_source() == "Hodi et al. 2018"


def test_examples_and_descriptions():
    assert 6 <= len(p.EXAMPLE_PATIENTS) <= 12
    assert p.describe(p.EXAMPLE_PATIENTS["Lung (NSCLC), untreated, PD-L1 80 %"]).startswith(
        "non-small-cell lung cancer, untreated, PD-L1 80 %")
    for patient in p.EXAMPLE_PATIENTS.values():
        for m in p.match(patient):
            assert 0 < m.response_pct <= 100 and ("doi:" in m.source or "PMID" in m.source)
