"""The one-way figure widget shows exactly the explainer's figure, carries plotly.js itself, and sends little."""

import base64
import json

import numpy as np
import plotly.graph_objects as go
import pytest
from plotly.io.json import to_json_plotly

from course.explainers import registry
from course.explainers.live_figure import LiveFigure, _module_source, figure_json

_DTYPES = {"i1": "int8", "u1": "uint8", "i2": "int16", "u2": "uint16", "i4": "int32", "u4": "uint32",
           "f4": "float32", "f8": "float64"}


def _plain(value):
    """JSON as plotly.js reads it: base64 typed arrays decoded to numbers (the integer width may differ)."""
    if isinstance(value, dict):
        if {"dtype", "bdata"} <= set(value):
            return np.frombuffer(base64.b64decode(value["bdata"]), dtype=_DTYPES[value["dtype"]]).tolist()
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _sent(widget: LiveFigure) -> dict:
    return {"data": _plain(json.loads(widget.data)), "layout": _plain(json.loads(widget.layout))}


def _expected(fig: go.Figure) -> dict:
    """What plotly.py itself would send for this figure."""
    spec = fig.to_plotly_json()
    return {"data": _plain(json.loads(to_json_plotly(spec["data"]))),
            "layout": _plain(json.loads(to_json_plotly(spec["layout"])))}


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


def test_arrays_travel_as_typed_arrays_and_non_finite_numbers_as_null():
    fig = go.Figure(go.Scatter(x=np.arange(4), y=np.linspace(0.0, 1.5, 4), text=["a", "b", "c", "d"]))
    trace = json.loads(figure_json(fig._data))[0]
    assert trace["x"]["dtype"] == "i4" and trace["y"]["dtype"] == "f8"
    assert _plain(trace)["y"] == [0.0, 0.5, 1.0, 1.5]
    with_gap = go.Figure(go.Scatter(x=[0, 1, 2], y=[1.0, float("nan"), 2.0]))
    assert json.loads(figure_json(with_gap._data))[0]["y"] == [1.0, None, 2.0]


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


def test_an_explainer_of_dropdowns_has_the_browser_draw_every_other_option_ahead_of_time():
    explainer = registry()["CheckpointEvidence"]()
    assert explainer.plot.predrawn == "[]", "nothing is drawn ahead of time before the explainer is shown"
    shown = explainer.plot.data
    explainer.view
    # drawing ahead leaves the explainer's own figure at the option it shows
    assert figure_json(explainer.figure._data) == explainer.plot.data == shown
    ahead = [tuple(pair) for pair in json.loads(explainer.plot.predrawn)]
    (control,) = explainer.controls
    assert len(ahead) == len(control.options) - 1
    # each is exactly what the widget sends when that option is chosen, so the browser recognises it
    for option in control.options[1:]:
        explainer.update(**{control.name: option})
        assert (explainer.plot.data, explainer.plot.layout) in ahead


def test_explainers_with_a_slider_or_too_many_combinations_draw_nothing_ahead():
    from course.explainers.base import MAX_PREDRAWN
    sliders = registry()["KuznetsovTimeCourse"]()
    sliders.view
    assert sliders.plot.predrawn == "[]" and sliders.option_states() == []
    for cls in registry().values():
        states = cls().option_states()
        assert len(states) <= MAX_PREDRAWN
        if states:
            assert all(not c.is_numeric for c in cls.controls)
            assert len({tuple(sorted(s.items())) for s in states}) == len(states)
