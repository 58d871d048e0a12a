"""The bench's browser clock (``course.browser.ARM_LATENCY_JS``) in a real page running the figure widget.

The clock stops when the widget stamps a redraw on its element. These tests check the contract
between the two: a change that redraws is timed, and timed to a frame after the new drawing was in
the page; a change that leaves the figure as it was is not timed at all.
"""

import json

from widget_page import page_function

from course import browser as lab
from course.explainers import registry
from course.explainers.live_figure import _module_source

# Show the first state in the widget, then feed it states like the kernel would, each after a
# 'change' event (which starts the clock, as a student's change does). Plotly.react and Plotly.animate
# are wrapped to see whether a change drew at all, and an observer of the drawn lines records when the last of them
# changed, on the clock's time line: the widget may stamp a redraw before react's promise settles
# (see live_figure.py), but never before the drawing is in the page.
CLOCK_JS = page_function("[source, arm, states]", """
  let now = {data: states[0][0], layout: states[0][1], predrawn: '[]'};
  const emit = showWidget(await loadWidget(source), document.getElementById('host'), () => now);
  await settle(600);
  const plotly = globalThis[Object.keys(globalThis).find(key => key.startsWith('__course_plotly_'))];
  const react = plotly.react, animate = plotly.animate;
  let reacts = 0, lastLine = null;
  plotly.react = (...args) => { reacts++; return react(...args); };
  plotly.animate = (...args) => { reacts++; return animate(...args); };
  new MutationObserver(() => { lastLine = performance.now(); })
    .observe(document.querySelector('.cartesianlayer'), {subtree: true, attributes: true, attributeFilter: ['d']});
  const timings = [];
  for (const [data, layout] of states.slice(1)) {
    eval(arm)([...document.querySelectorAll('.course-live-figure')]);
    reacts = 0; lastLine = null;
    document.dispatchEvent(new Event('change'));
    now = Object.assign({}, now, {data, layout});
    emit('change:data', 'change:layout');
    const ms = await window.__courseRedraw;
    timings.push({ms, reacts, path: document.getElementById('host').dataset.courseRedraw, drawnAt: lastLine === null ? null : lastLine - window.__courseT0});
  }
  plotly.react = react;
  plotly.animate = animate;
  return timings;
""")


def test_the_clock_times_each_redraw_to_a_frame_after_it_was_drawn_and_ignores_a_change_that_draws_nothing(widget_host_page):
    page = widget_host_page
    explainer = registry()["CheckpointTumour"]()
    first = (explainer.plot.data, explainer.plot.layout)
    explainer.update(blockade=40.0)
    moved = (explainer.plot.data, explainer.plot.layout)
    assert moved != first, "the test needs a change that alters the figure"
    # the same points under another title: a change the widget must redraw in full
    layout = json.loads(moved[1])
    layout["title"]["text"] += " (retitled)"
    retitled = (moved[0], json.dumps(layout))
    # points that move and change their hover text: a change the widget animates
    def with_hover_text(state, text):
        data = json.loads(state[0])
        data[0]["hovertext"] = text
        return json.dumps(data), retitled[1]
    hover_a, hover_b = with_hover_text(first, "a"), with_hover_text(moved, "b")

    timings = page.evaluate(CLOCK_JS, [_module_source(), lab.ARM_LATENCY_JS,
                                       [first, moved, moved, retitled, hover_a, hover_b]])

    for timed, path in ((timings[0], "moved"), (timings[2], "react"), (timings[4], "animated")):
        assert timed["reacts"] and timed["drawnAt"] is not None, f"the widget did not redraw the changed figure: {timed}"
        assert timed["ms"] > 0, f"a redraw was not timed: {timed}"
        assert timed["ms"] >= timed["drawnAt"], f"the clock stopped before the new lines were drawn: {timed}"
        assert timed["path"] == path, f"the test expected the widget's {path} path: {timed}"
    unchanged = timings[1]
    assert not unchanged["reacts"] and unchanged["ms"] == -1, f"a change that drew nothing was timed: {unchanged}"


def test_the_bench_reference_figure_is_drawn_and_timed_in_a_real_page(browser):
    from course import bench

    with bench.reference_page(browser) as page:
        timings = [bench.reference_redraw_ms(page, repeats=3) for _ in range(2)]
    # the page stays usable between timings: a bench run times it before every lesson
    assert all(0 < ms < 5000 for ms in timings), f"the reference redraws took {timings} ms"
