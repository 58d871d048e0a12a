"""PD-1 blockade explainer on the Nikolopoulou et al. (2018) model: outcomes, thresholds, figure."""

import itertools
import math
import re
from dataclasses import replace

import numpy as np
import pytest

from course.explainers import registry
from course.explainers import checkpoint_tumour as ex
from course.explainers.checkpoint_tumour import CheckpointTumour
from course.figures import checkpoint_tumour as figs
from course.figures.theme import description
from course.models import checkpoint_tumour as model

NOT_A_NUMBER = re.compile(r"\b(nan|inf|infinity)\b", re.IGNORECASE)
P = model.Params()


@pytest.fixture(scope="module")
def explainer():
    return CheckpointTumour()


@pytest.fixture(autouse=True)
def _back_to_defaults(explainer):
    yield
    explainer.update(**{c.name: c.default for c in explainer.controls})


def _control(name):
    return next(c for c in CheckpointTumour.controls if c.name == name)


def _numbers(fig):
    out = []
    for trace in fig.data:
        for key in ("x", "y"):
            values = getattr(trace, key, None)
            if values is None:
                continue
            out += [float(v) for v in np.asarray(values, dtype=object).ravel() if v is not None]
    return out


def _expected_curve(log10_values):
    floor = figs.LOG_DENSITY_RANGE[0]
    return figs.rounded(10.0 ** np.maximum(log10_values, floor))


def test_registered_and_declares_its_controls():
    assert registry()["CheckpointTumour"] is CheckpointTumour
    names = [c.name for c in CheckpointTumour.controls]
    assert names == ["blockade", "tumour_start"]
    for c in CheckpointTumour.controls:
        assert c.label and c.unit and c.help, c.name


def test_blockade_is_capped_below_runaway_t_cells():
    blockade = _control("blockade")
    assert blockade.min == 0 and blockade.max == ex.BLOCKADE_MAX < 90
    assert blockade.max > ex.CRITICAL_PERCENT, "the slider reaches past the critical blockade"
    free = model.tumour_free_equilibrium(ex.params_for(blockade.max))
    assert free is not None and free.T < 0.3  # g/cm³: the model gives 0.31 at 90 % and runs away at 100 %


def test_blockade_percent_is_converted_with_the_model():
    for percent in (0.0, 37.0, 85.0):
        q = ex.params_for(percent)
        assert q.A == model.level_for_blockade(P, percent / 100)
        assert model.blockade_fraction(q) == pytest.approx(percent / 100)
        assert replace(q, A=0.0) == P


def test_tumour_range_spans_both_basins_untreated():
    tumour = _control("tumour_start")
    assert tumour.log and tumour.default == model.ENCODED_C0
    small = model.simulate(P, T0=ex.T0, C0=tumour.min, t_end=ex.DAYS_END, n_points=ex.N_POINTS)
    large = model.simulate(P, T0=ex.T0, C0=tumour.max, t_end=ex.DAYS_END, n_points=ex.N_POINTS)
    assert model.outcome(small) == "eliminated"
    assert model.outcome(large) == "escaped"


def test_readout_names_the_outcome_for_the_default_tumour(explainer):
    untreated = explainer.update(blockade=0)
    assert "the tumour escapes the T cells" in untreated and "eliminate the tumour" not in untreated
    assert "0 % of PD-1 blocked" in untreated
    above = math.ceil(ex.CRITICAL_PERCENT) + 2
    treated = explainer.update(blockade=above)
    assert "the T cells eliminate the tumour" in treated and "escapes the T cells" not in treated
    assert f"{above} % of PD-1 blocked" in treated
    assert "At this blockade no tumour can escape." in treated
    # the readout follows the model's own classification of the same runs
    for percent, word in ((0, "escaped"), (above, "eliminated")):
        run = model.simulate(ex.params_for(percent), T0=ex.T0, C0=model.ENCODED_C0, t_end=ex.DAYS_END,
                             n_points=ex.N_POINTS)
        assert model.outcome(run) == word


def test_readout_gives_the_tumour_at_the_end(explainer):
    text = explainer.update(blockade=0)
    run = model.simulate(P, T0=ex.T0, C0=model.ENCODED_C0, t_end=ex.DAYS_END, n_points=ex.N_POINTS)
    assert f"Day 365: tumour {run.C[-1]:.3g} g/cm³" in text
    assert "below 10⁻⁹ g/cm³" in explainer.update(blockade=70)


def test_critical_blockade_in_the_readout_is_the_models(explainer):
    expected = 100 * model.blockade_fraction(replace(P, A=model.critical_level(P)))
    assert ex.CRITICAL_PERCENT == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(58.0, abs=0.05)  # the model module's stated value
    for blockade in (0, 30, 85):
        text = explainer.update(blockade=blockade)
        m = re.search(r"Critical blockade: ([0-9.]+) % of PD-1", text)
        assert m and float(m.group(1)) == round(expected, 1)


def test_escape_threshold_separates_the_outcomes():
    for percent in (0.0, 30.0, 50.0):
        threshold = ex.escape_threshold(percent)
        assert ex.TUMOUR_MIN < threshold < ex.TUMOUR_MAX
        q = ex.params_for(percent)
        below = model.simulate(q, T0=ex.T0, C0=threshold / 1.2, t_end=ex.DAYS_END, n_points=ex.N_POINTS)
        above = model.simulate(q, T0=ex.T0, C0=threshold * 1.2, t_end=ex.DAYS_END, n_points=ex.N_POINTS)
        assert model.outcome(below) == "eliminated", percent
        assert model.outcome(above) == "escaped", percent
    # not the saddle: from T cells at 0.006 g/cm³, tumours below the saddle's 0.072 g/cm³ escape too
    saddle = next(e for e in model.equilibria(P) if e.kind == "saddle")
    assert ex.escape_threshold(0.0) == pytest.approx(0.048, rel=0.01)
    assert ex.escape_threshold(0.0) < saddle.C
    assert ex.escape_threshold(math.ceil(ex.CRITICAL_PERCENT)) is None


def test_escape_region_rises_with_blockade_and_closes_before_the_critical_one():
    percents, thresholds = ex.escape_boundary()
    assert percents[0] == 0 and np.all(np.diff(percents) > 0) and np.all(np.diff(thresholds) > 0)
    assert percents[-1] < ex.CRITICAL_PERCENT
    assert np.all((thresholds > ex.TUMOUR_MIN) & (thresholds <= ex.TUMOUR_MAX))
    assert thresholds[-1] == pytest.approx(ex.TUMOUR_MAX, rel=0.05)


def test_reference_trace_is_the_untreated_run(explainer):
    explainer.update(blockade=50, tumour_start=0.3)
    untreated = model.simulate(P, T0=ex.T0, C0=0.3, t_end=ex.DAYS_END, n_points=ex.N_POINTS)
    ref_c, ref_t = explainer.figure.data[figs.UNTREATED_TUMOUR], explainer.figure.data[figs.UNTREATED_T]
    assert "untreated" in ref_c.name and "untreated" in ref_t.name
    np.testing.assert_array_equal(ref_c.y, _expected_curve(untreated.log10_C))
    np.testing.assert_array_equal(ref_t.y, _expected_curve(untreated.log10_T))
    treated = model.simulate(ex.params_for(50), T0=ex.T0, C0=0.3, t_end=ex.DAYS_END, n_points=ex.N_POINTS)
    np.testing.assert_array_equal(explainer.figure.data[figs.TUMOUR].y, _expected_curve(treated.log10_C))
    assert not np.array_equal(ref_c.y, explainer.figure.data[figs.TUMOUR].y)
    # untreated, the reference is the run itself (hidden beneath it)
    explainer.update(blockade=0)
    np.testing.assert_array_equal(explainer.figure.data[figs.UNTREATED_TUMOUR].y,
                                  explainer.figure.data[figs.TUMOUR].y)


def test_threshold_line_and_marker_follow_the_controls(explainer):
    explainer.update(blockade=30, tumour_start=0.01)
    line = explainer.figure.data[figs.THRESHOLD]
    assert list(line.y) == list(figs.rounded([ex.escape_threshold(30.0)] * 2))
    marker = explainer.figure.data[figs.CURRENT]
    assert list(marker.x) == [30.0] and list(marker.y) == [0.01]
    assert marker.marker.color == figs.ELIMINATED_COLOUR
    explainer.update(blockade=0, tumour_start=0.5)
    assert explainer.figure.data[figs.CURRENT].marker.color == figs.ESCAPE_COLOUR
    explainer.update(blockade=80)
    assert list(explainer.figure.data[figs.THRESHOLD].y) == [None, None]  # no tumour escapes: no line


def test_data_stay_finite_at_every_combination_of_control_ends(explainer):
    ends = [c.ends() for c in explainer.controls]
    for blockade, tumour in itertools.product(*ends):
        text = explainer.update(blockade=blockade, tumour_start=tumour)
        assert text and not NOT_A_NUMBER.search(text), (blockade, tumour, text)
        numbers = _numbers(explainer.figure)
        assert numbers and all(math.isfinite(v) for v in numbers), (blockade, tumour)
        lo, hi = figs.LOG_DENSITY_RANGE
        for i in (figs.TUMOUR, figs.T_CELLS, figs.UNTREATED_TUMOUR, figs.UNTREATED_T):
            y = np.asarray(explainer.figure.data[i].y, dtype=float)
            assert np.all((y >= 10 ** lo) & (y <= 10 ** hi)), (blockade, tumour, i)


def test_updates_write_data_only(explainer):
    layout = explainer.figure.layout.to_plotly_json()
    n = len(explainer.figure.data)
    for blockade, tumour in ((0, 0.001), (85, 0.8), (56, 0.5)):
        explainer.update(blockade=blockade, tumour_start=tumour)
        assert explainer.figure.layout.to_plotly_json() == layout
        assert len(explainer.figure.data) == n


def test_figure_is_described_and_cites_the_model(explainer):
    fig = explainer.figure
    text = description(fig)
    assert len(text) > 300 and "Nikolopoulou" in text and "critical blockade" in text
    sources = [a.text for a in fig.layout.annotations if a.text and a.text.startswith("Source:")]
    assert len(sources) == 1
    assert "doi:10.1080/23737867.2018.1440978" in sources[0] and "MODEL1908270001" in sources[0]
    assert fig.layout.yaxis.type == "log" and "g/cm³" in fig.layout.yaxis.title.text
    assert "days" in fig.layout.xaxis.title.text and "%" in fig.layout.xaxis2.title.text
    for axis in (fig.layout.xaxis, fig.layout.yaxis, fig.layout.xaxis2, fig.layout.yaxis2):
        assert axis.range is not None, "fixed ranges: a redraw never re-lays out the axes"
    critical = fig.data[figs.CRITICAL]
    assert list(critical.x) == list(figs.rounded([ex.CRITICAL_PERCENT] * 2))
