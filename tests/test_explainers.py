"""Every explainer, driven through every control's range ends: figure changes, stays finite."""

import math

import pytest

from figure_data import NOT_A_NUMBER, figure_numbers

from course.explainers import Control, Explainer, registry
from course.figures.theme import description

EXPLAINERS = registry()


def _snapshot(fig):
    return fig.to_json()


@pytest.fixture(params=sorted(EXPLAINERS), ids=str)
def explainer(request):
    return EXPLAINERS[request.param]()


def test_initial_state_is_described_and_finite(explainer):
    assert explainer.readout_text and not NOT_A_NUMBER.search(explainer.readout_text)
    assert description(explainer.figure), "the figure needs a text description"
    assert all(math.isfinite(v) for v in figure_numbers(explainer.figure))
    assert explainer.controls, "an explainer declares its controls"
    for c in explainer.controls:
        assert c.label and len(c.help) > 40, f"{c.name}: a label and a help text that explains are required"
        if c.is_numeric:
            assert c.unit, f"{c.name}: a numeric control states its unit"


def test_every_control_at_every_end_redraws_finite_data(explainer):
    for control in explainer.controls:
        seen = set()
        for value in control.ends():
            readout = explainer.update(**{control.name: value})
            assert readout and not NOT_A_NUMBER.search(readout), readout
            numbers = figure_numbers(explainer.figure)
            assert numbers and all(math.isfinite(v) for v in numbers), f"{control.name}={value}"
            seen.add((_snapshot(explainer.figure), readout))
        assert len(seen) > 1, f"moving {control.name} across its range changed neither figure nor readout"
        explainer.update(**{control.name: control.default})


def test_each_control_changes_both_figure_and_readout(explainer):
    for control in explainer.controls:
        values = control.ends()
        explainer.update(**{control.name: values[0]})
        fig0, text0 = _snapshot(explainer.figure), explainer.readout_text
        explainer.update(**{control.name: values[-1]})
        assert _snapshot(explainer.figure) != fig0, f"{control.name}: figure did not change"
        assert explainer.readout_text != text0, f"{control.name}: readout did not change"
        explainer.update(**{control.name: control.default})


def test_bad_values_are_refused_with_a_message(explainer):
    with pytest.raises(ValueError, match="has no control"):
        explainer.update(not_a_control=1)
    for control in explainer.controls:
        bad = [None, "text", float("nan")] if control.is_numeric else ["not an option", None]
        if control.is_numeric:
            bad += [control.min - abs(control.max - control.min), control.max * 10 + 1]
        for value in bad:
            with pytest.raises(ValueError, match=control.name):
                explainer.update(**{control.name: value})


def test_widgets_drive_the_explainer_and_follow_it(explainer):
    for control in explainer.controls:
        widget = explainer.widgets[control.name]
        target = control.ends()[-1]
        before = explainer.readout_text
        widget.value = target
        assert explainer.values[control.name] == pytest.approx(target) if control.is_numeric else explainer.values[control.name] == target
        assert explainer.readout_text != before
        explainer.update(**{control.name: control.default})
        assert widget.value == pytest.approx(control.default) if control.is_numeric else widget.value == control.default


def test_display_shows_the_live_widget_and_compares_the_readout(explainer):
    bundle = explainer._repr_mimebundle_()
    assert bundle["text/plain"] == explainer.readout_text
    assert "application/vnd.jupyter.widget-view+json" in bundle
    view_children = explainer.view.children
    assert explainer.plot in view_children


def test_control_declarations_are_checked():
    with pytest.raises(ValueError):
        Control("x", "X", default=5, min=0, max=1, step=0.1)
    with pytest.raises(ValueError):
        Control("x", "X", default=1, min=0, max=1, step=0.1, log=True)
    with pytest.raises(ValueError):
        Control("x", "X", default="c", options=("a", "b"))
    assert Control("n", "N", default=2, min=1, max=5, step=1, integer=True).coerce(3.4) == 3


def test_base_class_requires_the_four_methods():
    class Empty(Explainer):
        controls = (Control("x", "X", default=0.5, min=0, max=1, step=0.1, help="h"),)

    with pytest.raises(NotImplementedError):
        Empty()
