"""The one-way figure widget shows exactly the explainer's figure, carries plotly.js itself, and sends little."""

import json

import plotly.graph_objects as go
import pytest
from plotly.io.json import to_json_plotly

from course.explainers import registry
from course.explainers.live_figure import LiveFigure, _module_source


def _sent(widget: LiveFigure) -> dict:
    return {"data": json.loads(widget.data), "layout": json.loads(widget.layout)}


def _expected(fig: go.Figure) -> dict:
    spec = fig.to_plotly_json()
    return {"data": json.loads(to_json_plotly(spec["data"])), "layout": json.loads(to_json_plotly(spec["layout"]))}


def test_a_new_widget_shows_the_figure_it_was_given():
    fig = go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2], name="a"), layout=dict(title=dict(text="t")))
    widget = LiveFigure(fig)
    assert _sent(widget) == _expected(fig)
    assert _sent(widget)["data"][0]["name"] == "a"


@pytest.mark.parametrize("name", ["KuznetsovTimeCourse", "AntibodyDosing", "CytokineTrials"])
def test_after_an_update_the_widget_holds_what_redraw_wrote(name):
    explainer = registry()[name]()
    before = explainer.plot.data
    control = explainer.controls[0]
    other = control.options[-1] if not control.is_numeric else control.max
    explainer.update(**{control.name: other})
    assert explainer.plot.data != before, "a control change must reach the browser"
    assert _sent(explainer.plot) == _expected(explainer.figure)


def test_a_data_only_redraw_does_not_resend_the_layout():
    # ipywidgets sends a trait only when its value changes: the browser then keeps its layout and
    # can take plotly.js's fast path (see live_figure.py).
    explainer = registry()["KuznetsovTimeCourse"]()
    layout = explainer.plot.layout
    slider = next(c for c in explainer.controls if c.is_numeric)
    explainer.update(**{slider.name: slider.max})
    assert explainer.plot.layout == layout


def test_plotly_js_travels_with_the_widget_so_no_network_is_needed():
    source = _module_source()
    assert "plotly.js v" in source[:200], "the installed plotly package's own plotly.min.js comes first"
    assert "window.Plotly = Plotly" in source
    assert source.rstrip().endswith("export default { render };")
    assert "http://" not in source.split("window.Plotly = Plotly", 1)[1]
    assert "https://" not in source.split("window.Plotly = Plotly", 1)[1]
