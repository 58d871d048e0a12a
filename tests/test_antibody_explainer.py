"""Lesson 07: the antibody anatomy explainer and figure, against the catalogue and the naming rules."""

import pytest

from course import data
from course.explainers.antibody import AntibodyAnatomy, antibody_table, examples
from course.figures import antibody as figs
from course.figures.theme import description


def _fill(fig):
    return [t.fillcolor for t in fig.data[:len(figs.REGIONS)]]


@pytest.mark.parametrize("source_type, mouse_regions", [
    ("murine", 3), ("chimeric", 2), ("humanized", 1), ("human", 0)])
def test_each_source_type_colours_its_mouse_regions(source_type, mouse_regions):
    a = AntibodyAnatomy(source_type=source_type)
    assert _fill(a.figure).count(figs.MOUSE) == mouse_regions
    # humanized keeps exactly the CDR loops from the mouse
    if source_type == "humanized":
        assert _fill(a.figure)[figs.REGIONS.index("cdr")] == figs.MOUSE


def test_domains_are_the_twelve_of_an_igg():
    names = sorted(d["name"] for d in figs.domains())
    assert names == sorted(["VH", "CH1", "CH2", "CH3"] * 2 + ["VL", "CL"] * 2)


@pytest.mark.parametrize("fmt, n_payloads", [("naked antibody", 0), ("antibody–drug conjugate", 4),
                                             ("radioimmunoconjugate", 2)])
def test_payload_markers_follow_the_format(fmt, n_payloads):
    a = AntibodyAnatomy(fmt=fmt)
    payload = a.figure.data[len(figs.REGIONS) + 2]
    assert len(payload.x or ()) == n_payloads


def test_readout_names_the_suffix_and_catalogue_examples_of_the_kind():
    a = AntibodyAnatomy()
    text = a.update(source_type="chimeric", fmt="naked antibody")
    assert "-ximab" in text and "rituximab (CD20)" in text
    text = a.update(source_type="murine", fmt="radioimmunoconjugate")
    assert "ibritumomab tiuxetan" in text
    assert "none in the course's catalogue" in a.update(source_type="human", fmt="radioimmunoconjugate")


def test_examples_come_from_the_catalogue_with_the_right_source_and_format():
    table = data.load("antibodies").set_index("inn")
    for source_type in figs.SOURCE_TYPES:
        for fmt in figs.FORMATS:
            for item in examples(source_type, fmt):
                inn = item.split(" (")[0]
                assert table.loc[inn, "source_type"] == source_type


def test_figure_is_described_and_refuses_unknown_choices():
    fig = figs.antibody_figure()
    assert "CDR" in description(fig) and "FcRn" in description(fig)
    with pytest.raises(ValueError, match="source_type"):
        figs.set_antibody(fig, "alien", "naked antibody")
    with pytest.raises(ValueError, match="fmt"):
        figs.set_antibody(fig, "human", "nanobody")


def test_table_lists_every_catalogue_antibody():
    assert len(antibody_table()) == len(data.load("antibodies"))
