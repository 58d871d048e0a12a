"""The quick ways the browser redraws a figure must draw what a fresh drawing of the same figure draws.

``LiveFigure`` redraws a figure with a full ``Plotly.react``, with a react that redraws only the
traces when only their points moved, with an animation of every trace when the points' hover data,
text or (outside the legend) style changed too, or by showing a plot drawn ahead of time (see
``course/explainers/live_figure.py``). Shortcuts have bitten before: an animation of only the
traces that moved emptied panels and left stale lines and bars, and was removed. So for every
explainer, each control is moved through its range in a page running the widget's own JavaScript,
and after every change the plot on screen is compared with a fresh drawing of the same figure:
every line, marker, bar, text, annotation, tick label, title, shape and legend entry, and what
hovering each point would show.
"""

import json

import pytest

from widget_page import page_function

from course import bench
from course.explainers import registry
from course.explainers.live_figure import _module_source

# What a viewer sees, as text. Style declarations are sorted (a redraw may write them in another
# order) and empty trace groups, which draw nothing, are not part of it.
SIGNATURE_JS = """el => {
  const style = node => (node.getAttribute('style') || '').split(';').map(s => s.trim()).filter(Boolean).sort().join(';');
  const all = selector => [...el.querySelectorAll(selector)];
  return {
    // plotly.js 3 draws traces in .cartesianlayer > .subplot > .overplot (there is no '.plot' group)
    // (a path that draws nothing, as the fill of a trace holding only a gap, is compared without its style)
    marks: all('.cartesianlayer path').map(p => (p.getAttribute('d') || '') + (/^(M0,0Z)?$/.test(p.getAttribute('d') || '') ? '' : ' ' + style(p))),
    texts: all('.cartesianlayer text').map(t => t.textContent + '@' + t.getAttribute('x') + ',' + t.getAttribute('y')),
    annotations: all('.annotation').map(a => a.textContent + ' ' + (a.getAttribute('transform') || '')),
    ticks: all('.xtick text, .ytick text').map(t => t.textContent + '@' + (t.getAttribute('transform') || '')),
    titles: all('.xtitle, .ytitle, .gtitle').map(t => t.textContent),
    shapes: all('.shapelayer path').map(p => p.getAttribute('d')),
    legend: all('.legend .traces').map(t => t.textContent + ' ' +
                                        [...t.querySelectorAll('path')].map(p => p.getAttribute('d') + ' ' + style(p)).join('|')),
    // what hovering a point shows, as plotly.js holds it: per-point data, text and label colour
    hover: el._fullData.map(trace => JSON.stringify([trace.customdata ?? null, trace.text ?? null, trace.hovertext ?? null]))
      .concat(el.calcdata.map(points => JSON.stringify(points.map(d => [d.data, d.tx, d.htx, d.hbg])))),
  };
}"""

# Load the widget module into the page, show the first state, then feed it the later ones like the
# kernel would; after each, draw the same state afresh in a second widget and compare.
RUN_JS = page_function("[source, states, predrawn, signatureSource]", """
  const signature = eval(signatureSource);
  const widget = await loadWidget(source);
  let now = {data: states[0][0], layout: states[0][1], predrawn: '[]'};
  const host = document.getElementById('host');
  const emit = showWidget(widget, host, () => now);
  await settle(600);
  now.predrawn = predrawn;
  emit('change:predrawn');
  for (let i = 0; i < 100 && host.dataset.coursePredraw === 'pending'; i++) await settle(100);
  const report = [];
  // full redraws of the plots on screen: the short path must not redraw everything after its transition
  let afterplots = 0;
  for (const [data, layout] of states.slice(1)) {
    for (const plot of host.querySelectorAll('.js-plotly-plot')) {
      if (!plot.dataset.counted) { plot.dataset.counted = 'yes'; plot.on('plotly_afterplot', () => afterplots++); }
    }
    afterplots = 0;
    now = Object.assign({}, now, {data, layout});
    emit('change:data', 'change:layout');
    await settle(250);
    const redrawn = afterplots;
    const shown = [...host.querySelectorAll('.js-plotly-plot')].filter(p => getComputedStyle(p).display !== 'none');
    const wrap = document.createElement('div');
    wrap.style.width = '1100px';
    const fresh = document.createElement('div');
    wrap.appendChild(fresh);
    document.body.appendChild(wrap);
    showWidget(widget, fresh, () => ({data, layout, predrawn: '[]'}));
    await settle(250);
    const drawn = signature(shown[0]), expected = signature(fresh.querySelector('.js-plotly-plot'));
    if (!expected.marks.length) throw new Error('the signature found no marks in a fresh drawing: selectors out of date');
    const differences = Object.keys(expected).filter(key => JSON.stringify(drawn[key]) !== JSON.stringify(expected[key]))
      .map(key => {
        const i = expected[key].findIndex((v, j) => v !== drawn[key][j]);
        return `${key} (${drawn[key].length} drawn, ${expected[key].length} expected): ` +
               `${String(drawn[key][i]).slice(0, 160)} | ${String(expected[key][i]).slice(0, 160)}`;
      });
    report.push([host.dataset.courseRedraw, shown.length, differences, redrawn]);
    Plotly.purge(fresh.querySelector('.js-plotly-plot'));
    wrap.remove();
  }
  return report;
""")


def _points(values) -> bool:
    """Whether x or y holds a point: a base64 typed array that is not empty, or a list with a non-null value."""
    if isinstance(values, dict):
        return bool(values.get("bdata"))
    return any(v is not None for v in values or ())


def _moved(before, after, free) -> bool:
    """Same layout, and each trace a scatter trace in which only the keys ``free(trace)`` names changed
    value (none came or went), without gaining or losing all its points."""
    if before[1] != after[1]:
        return False
    old, new = json.loads(before[0]), json.loads(after[0])
    kept = lambda trace: {key: (key in free(trace)) or value for key, value in trace.items()}
    return len(old) == len(new) and all(
        b.get("type", "scatter") == "scatter" and kept(a) == kept(b)
        and any(map(_points, (a.get("x"), a.get("y")))) == any(map(_points, (b.get("x"), b.get("y"))))
        for a, b in zip(old, new))


def _only_points_moved(before, after) -> bool:
    """What the widget draws as "moved": only x and y changed."""
    return _moved(before, after, lambda trace: {"x", "y"})


def _only_points_and_their_labels_changed(before, after) -> bool:
    """What the widget draws as "animated" (if not "moved"): only the points and what they carry (hover
    data, text) changed, and the style of traces the legend does not show."""
    per_point = {"x", "y", "customdata", "text", "hovertext", "hoverlabel"}
    return _moved(before, after, lambda trace: per_point | ({"line", "marker", "textfont"}
                                                            if trace.get("showlegend") is False else set()))


def _states(cls):
    """The figures an explainer sends while each control goes to both ends and back to its default."""
    explainer = cls()
    states, moves = [(explainer.plot.data, explainer.plot.layout)], []
    for control in cls.controls:
        values = bench.control_values(control)
        for value in (values[-1], values[0], values[len(values) // 2], control.default):
            explainer.update(**{control.name: value})
            states.append((explainer.plot.data, explainer.plot.layout))
            moves.append(f"{control.name} = {value!r}")
    ahead = cls()
    ahead._predraw()
    return states, moves, ahead.plot.predrawn


@pytest.mark.parametrize("name", sorted(registry()))
def test_every_quick_redraw_draws_what_a_fresh_drawing_draws(widget_host_page, name):
    page = widget_host_page
    states, moves, predrawn = _states(registry()[name])
    page.evaluate("() => { const host = document.getElementById('host'); host.replaceChildren(); delete host.dataset.coursePredraw; }")
    errors = []

    def record(error):
        errors.append(error)

    page.on("pageerror", record)
    report = page.evaluate(RUN_JS, [_module_source(), states, predrawn, SIGNATURE_JS])
    page.remove_listener("pageerror", record)
    assert not errors, f"{name}: the page raised {errors[:2]}"
    wrong = [f"after {move} (drawn by {path}): " + "; ".join(differences)
             for move, (path, shown, differences, _) in zip(moves, report) if differences or shown != 1]
    assert not wrong, f"{name}: the figure on screen is not what a fresh drawing shows:\n" + "\n".join(wrong[:5])
    # the shortcuts are taken at all: otherwise this test would compare full redraws with themselves
    if json.loads(predrawn):
        assert any(path == "predrawn" for path, *_ in report), f"{name}: no option was shown from a predrawn plot"
    else:
        # a change that only moves points takes the shortest way, one that also relabels or restyles them
        # the animation, and no other change either (a state equal to the one before draws nothing and
        # leaves the previous path on the element: not counted)
        expected = lambda before, after: ("moved" if _only_points_moved(before, after) else "animated"
                                          if _only_points_and_their_labels_changed(before, after) else "react")
        wrong_path = [f"after {move}: drawn by {path}, expected {want}"
                      for move, (path, *_), before, after in zip(moves, report, states, states[1:])
                      if before != after and (want := expected(before, after)) != path]
        assert not wrong_path, f"{name}: " + "; ".join(wrong_path[:3])
        # and stays short: plotly.js redraws everything after a transition when it sees any other change
        # (a fresh array counts as one), and the widget, which reports the drawing as done when the
        # transition has drawn, would then report it too early
        redrawn = [f"after {move}: {count} full redraw(s)" for move, (path, _, _, count) in zip(moves, report)
                   if path in ("moved", "animated") and count]
        assert not redrawn, f"{name}: the short path redrew the whole figure: " + "; ".join(redrawn[:3])


# Two widgets on one page, as in a lesson: anywidget evaluates the module once for each. The first
# widget's plot is then changed; updated in place, it keeps its mode bar, while a redraw from
# scratch (what mixing two plotly.js copies caused) builds a new one.
TWO_WIDGETS_JS = page_function("[source, data, layout]", """
  const first = {data, layout, predrawn: '[]'};
  const emit = showWidget(await loadWidget(source), document.getElementById('a'), () => first);
  await settle(400);
  showWidget(await loadWidget(source), document.getElementById('b'), () => ({data, layout, predrawn: '[]'}));
  await settle(400);
  const plot = document.querySelector('#a .js-plotly-plot');
  const modeBar = plot.querySelector('.modebar-container');
  first.layout = JSON.stringify(Object.assign(JSON.parse(layout), {title: {text: 'changed'}}));
  emit('change:layout');
  await settle(400);
  return {title: plot.querySelector('.gtitle').textContent, modeBarKept: plot.querySelector('.modebar-container') === modeBar,
          copies: Object.keys(globalThis).filter(key => key.startsWith('__course_plotly_')).length};
""")


def test_widgets_on_one_page_share_one_plotly_js_so_a_change_updates_the_plot_in_place(browser):
    explainer = next(iter(registry().values()))()
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    try:
        page = context.new_page()
        page.set_content("<!DOCTYPE html><html><body><div style='width:1100px'><div id='a'></div><div id='b'></div>"
                         "</div></body></html>")
        result = page.evaluate(TWO_WIDGETS_JS, [_module_source(), explainer.plot.data, explainer.plot.layout])
    finally:
        context.close()
    assert result["title"] == "changed", "the change was not drawn"
    assert result["modeBarKept"], "the first widget's plot was redrawn from scratch, not updated in place"
    assert result["copies"] == 1, f"{result['copies']} plotly.js copies on one page"
