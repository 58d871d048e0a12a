"""The guard against plotly.py#4160: plotly.js's echo of a numpy-array property must not raise in the kernel."""

import numpy as np
import plotly.graph_objects as go
import pytest
from plotly.basewidget import BaseFigureWidget

from course.explainers import plotly_compat
from course.explainers.base import Explainer  # noqa: F401  (importing the base installs the guard)

# What plotly.js sends back for a text trace whose x and y the kernel sent as binary arrays:
# the typed arrays arrive as JSON objects, next to the defaults it filled in.
ECHO = {"x": {"0": 0, "1": 0}, "y": {"0": 0, "1": 1}, "textfont": {"size": 12, "family": "Arial"},
        "visible": True, "mode": "text"}


def _text_trace_props():
    fig = go.FigureWidget(go.Scatter(mode="text", text=["a", "b"], textfont=dict(size=12)))
    fig.data[0].x, fig.data[0].y = np.array([0.0, 0.0]), np.array([0.0, 1.0])
    return fig.data[0]._props


def test_plotlys_own_overlap_removal_raises_on_the_echo():
    # If this starts passing, plotly.py has fixed #4160 and the guard can go.
    unwrapped = BaseFigureWidget._remove_overlapping_props._course_original
    with pytest.raises(ValueError, match="ambiguous"):
        unwrapped(_text_trace_props(), ECHO)


def test_guarded_removal_keeps_the_data_arrays_and_still_drops_overlapping_defaults():
    props = _text_trace_props()
    removed = BaseFigureWidget._remove_overlapping_props(props, ECHO)
    assert isinstance(props["x"], np.ndarray) and isinstance(props["y"], np.ndarray)
    assert ("mode",) in removed and ("textfont", "size") in removed  # plotly.py's own behaviour is kept
    assert "mode" not in props


def test_install_is_idempotent():
    before = BaseFigureWidget._remove_overlapping_props
    plotly_compat.install()
    assert BaseFigureWidget._remove_overlapping_props is before


@pytest.mark.parametrize("mine, echo, expected", [
    ({"x": np.zeros(3)}, {"x": {"0": 0}}, {}),
    ({"marker": {"size": np.ones(2)}}, {"marker": {"size": [1, 1], "color": "red"}}, {"marker": {"color": "red"}}),
    ({"x": [1, 2]}, {"x": {"0": 1}}, {"x": {"0": 1}}),  # lists are plotly.py's business, untouched
    ({"mode": "lines"}, {"mode": "lines"}, {"mode": "lines"}),
])
def test_only_echoes_of_numpy_arrays_are_dropped(mine, echo, expected):
    assert plotly_compat.without_data_arrays(mine, echo) == expected
