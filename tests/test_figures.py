"""Figure builders: traces, titles, axis units, text descriptions, stable rounding."""

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

import course
from course import catalogue
from course.data import load
from course.figures import theme
from course.figures.course_map import course_map, node_positions
from course.figures.immune_cells import STEM_CELL, immune_cell_atlas, lineage_parents, tree_layout
from course.figures.neoantigens import neoantigen_figure, response_figure
from course.models import neoantigens as m


def _builders():
    data = load("tmb_response")
    cells = load("immune_cells")
    fit = m.fit_response_vs_tmb(data.median_tmb_mut_per_mb, data.orr_percent)
    return {
        "course_map": course_map("04"),
        "immune_cell_atlas": immune_cell_atlas(cells, cells.cell_type.iloc[0]),
        "neoantigens": neoantigen_figure(10.0, m.NeoantigenParams(), data, fit),
    }


@pytest.mark.parametrize("name,fig", list(_builders().items()))
def test_every_figure_has_title_traces_and_a_description(name, fig):
    assert isinstance(fig, go.Figure)
    assert fig.layout.title.text
    assert len(theme.description(fig)) > 150, f"{name}: describe the figure in a paragraph"
    assert len(fig.data) >= 2


def test_data_figures_label_their_axes_with_units():
    fig = _builders()["neoantigens"]
    titles = [fig.layout[a].title.text for a in ("xaxis", "xaxis2", "yaxis", "yaxis2")]
    assert all(titles) and "mutations/Mb" in titles[0] and "(%)" in titles[3]


def test_course_map_places_each_lesson_after_its_prerequisites():
    pos = node_positions()
    assert set(pos) == {x.number for x in catalogue.LESSONS}
    for item in catalogue.LESSONS:
        for p in item.prerequisites:
            assert pos[p][0] < pos[item.number][0]
    fig = course_map("02")
    colours = list(fig.data[2].marker.color)
    assert colours[[x.number for x in catalogue.LESSONS].index("02")] == theme.OKABE_ITO["vermillion"]


def test_lineage_tree_reaches_every_cell_from_the_stem_cell():
    cells = load("immune_cells")
    parents = lineage_parents(cells)
    for cell in cells.cell_type:
        node, steps = cell, 0
        while node != STEM_CELL:
            node, steps = parents[node], steps + 1
            assert steps < 10
    layout = tree_layout(cells)
    assert len({xy for xy in layout.values()}) == len(layout), "no two nodes drawn on top of each other"


def test_rounding_is_to_significant_digits_and_keeps_non_finite():
    out = theme.rounded([123456.789, 0.000123456789, 0.0, np.inf])
    assert out[0] == 123460.0 and out[1] == pytest.approx(0.00012346, rel=0, abs=1e-12)
    assert out[2] == 0.0 and np.isinf(out[3])


def test_setup_registers_template_and_offline_renderer():
    course.setup()
    assert pio.renderers.default == "plotly_mimetype"
    assert pio.templates.default == theme.TEMPLATE_NAME
    assert list(pio.templates[theme.TEMPLATE_NAME].layout.colorway) == theme.PALETTE


def test_new_figure_refuses_a_missing_description():
    with pytest.raises(ValueError):
        theme.new_figure("t", "  ")


def test_data_figures_print_their_source():
    data = load("tmb_response")
    fit = m.fit_response_vs_tmb(data.median_tmb_mut_per_mb, data.orr_percent)
    for fig in (_builders()["neoantigens"], response_figure(data, fit)):
        sources = [a.text for a in fig.layout.annotations if a.text and a.text.startswith("Source:")]
        assert len(sources) == 1 and "doi:10.7554/eLife.49020" in sources[0]


def test_source_lines_are_wrapped_to_fit_a_notebook_figure():
    from course.figures.theme import SOURCE_LINE_CHARS, add_source, new_figure, wrap_source
    text = "Source: " + " ".join(["Author A et al. (2020) J Something 1:2-3. doi:10.1000/abc"] * 6) + "<br>short line"
    wrapped = wrap_source(text)
    lines = wrapped.split("<br>")
    assert all(len(line) <= SOURCE_LINE_CHARS for line in lines) and lines[-1] == "short line"
    assert wrapped.replace("<br>", " ").split() == text.replace("<br>", " ").split()  # no word lost or split
    fig = new_figure("t", "d")
    add_source(fig, text[len("Source: "):])
    # the bottom margin grows with the number of lines so the last one is not cut off
    assert fig.layout.margin.b >= 85 + 14 * len(lines)
