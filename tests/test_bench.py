"""make bench: its measurements and its verdict."""

import time
from pathlib import Path

from course import bench
from course.explainers import registry
from course.explainers.neoantigens import NeoantigenExplainer

ROOT = Path(__file__).resolve().parents[1]


def test_control_values_span_each_range_including_its_ends():
    for cls in registry().values():
        for c in cls.controls:
            values = bench.control_values(c)
            if c.is_numeric:
                assert values[0] == c.coerce(c.min) and values[-1] == c.coerce(c.max)
            else:
                assert values == list(c.options)


def test_update_latencies_times_every_call():
    times = bench.update_latencies(NeoantigenExplainer, calls=7)
    assert len(times) == 7 and all(t > 0 for t in times)


def test_paused_latencies_time_the_calls_and_not_the_pauses():
    start = time.perf_counter()
    times = bench.update_latencies(NeoantigenExplainer, calls=3, pause_s=0.2)
    elapsed = (time.perf_counter() - start) * 1000
    assert len(times) == 3 and elapsed >= 600 and sum(times) < elapsed - 550


def test_a_second_measurement_can_go_on_where_the_first_stopped(monkeypatch):
    seen = []
    real = NeoantigenExplainer.update
    monkeypatch.setattr(NeoantigenExplainer, "update", lambda self, **values: seen.append(values) or real(self, **values))
    bench.update_latencies(NeoantigenExplainer, calls=5)
    first, seen[:] = [v for v in seen if v], []  # an explainer's first drawing updates with no values
    bench.update_latencies(NeoantigenExplainer, calls=5, skip=5)
    plan = [{c.name: v} for c in NeoantigenExplainer.controls for v in bench.control_values(c)]
    assert first == plan[:5] and [v for v in seen if v] == plan[5:10]


def test_the_paused_timing_goes_on_where_the_back_to_back_one_stopped(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(bench, "update_latencies",
                        lambda cls, n, pause_s=0.0, skip=0: calls.append((cls, n, pause_s, skip)) or [1.0] * n)
    monkeypatch.setattr(bench, "cohort_latencies", lambda: [1.0] * 3)
    assert bench.main(ROOT, calls=5, execute=False, browser=False) == 0
    for (cls, n, pause, skip), (cls2, n2, pause2, skip2) in zip(calls[::2], calls[1::2]):
        assert cls2 is cls and pause == skip == 0
        assert (n2, pause2, skip2) == (bench.PAUSED_CALLS, bench.PAUSE_S, n)
    assert len(calls) == 2 * len(registry()) and "paused ms" in capsys.readouterr().out


def test_the_machine_speed_is_reported_from_a_reference_timed_before_each_explainer(monkeypatch, capsys):
    speeds = iter(range(1, 1000))
    monkeypatch.setattr(bench, "reference_python_ms", lambda: float(next(speeds)))
    monkeypatch.setattr(bench, "update_latencies", lambda cls, calls, pause_s=0.0, skip=0: [1.0] * calls)
    monkeypatch.setattr(bench, "cohort_latencies", lambda: [1.0] * 3)
    assert bench.main(ROOT, calls=5, execute=False, browser=False) == 0
    n = len(registry())
    median = (n + 1) / 2
    assert f"took median {median:.1f} ms, 1.0 to {n:.1f}" in capsys.readouterr().out


def test_budgets_decide_the_exit_code(monkeypatch, capsys):
    # Timings are replaced by fixed values: the verdict logic is under test here, the machine's
    # speed is what `make bench` itself reports (a timed unit test would be flaky on a busy CI host).
    fast = lambda cls, calls, pause_s=0.0, skip=0: [1.0] * calls
    monkeypatch.setattr(bench, "update_latencies", fast)
    monkeypatch.setattr(bench, "cohort_latencies", lambda: [1.0] * 3)
    assert bench.main(ROOT, calls=5, execute=False, browser=False) == 0
    monkeypatch.setattr(bench, "NOTEBOOK_BUDGET_KB", 1.0)
    assert bench.main(ROOT, calls=5, execute=False, browser=False) == 1
    assert "Budgets broken" in capsys.readouterr().out


def test_a_slow_explainer_breaks_the_budget_and_is_named(monkeypatch, capsys):
    slow = bench.UPDATE_P95_BUDGET_MS * 2
    monkeypatch.setattr(bench, "update_latencies",
                        lambda cls, calls, pause_s=0.0, skip=0: [slow if cls is NeoantigenExplainer else 1.0] * calls)
    monkeypatch.setattr(bench, "cohort_latencies", lambda: [1.0] * 3)
    assert bench.main(ROOT, calls=5, execute=False, browser=False) == 1
    broken = capsys.readouterr().out.split("Budgets broken")[1]
    assert "NeoantigenExplainer" in broken and "CourseMap" not in broken


def test_latency_table_reports_pooled_median_each_pass_p95_and_the_verdict():
    passes = [[float(i) for i in range(1, 21)], [float(i) for i in range(21, 41)], []]
    row = bench.latency_table({"demo": passes}).splitlines()[1].split()
    p1, p2 = bench.p95(passes[0]), bench.p95(passes[1])
    assert row == ["demo", "40", "20.5", f"{p1:.1f}", f"{p2:.1f}", "-", f"{(p1 + p2) / 2:.1f}"]
    assert 18.5 < p1 < 20
    assert "no change redrew" in bench.latency_table({"demo": [[], []]})


def test_one_slow_pass_does_not_decide_the_browser_verdict_two_do():
    fast, slow = [50.0] * 20, [150.0] * 20
    assert bench.verdict_p95([fast, slow, fast]) == 50.0
    assert bench.verdict_p95([slow, fast, slow]) == 150.0
    assert bench.verdict_p95([[], []]) is None


def test_the_browser_verdict_names_an_explainer_over_budget(monkeypatch, capsys):
    monkeypatch.setattr(bench, "update_latencies", lambda cls, calls, pause_s=0.0, skip=0: [1.0] * calls)
    monkeypatch.setattr(bench, "cohort_latencies", lambda: [1.0] * 3)
    over = bench.BROWSER_P95_BUDGET_MS * 1.5
    fast, slow = [40.0] * 20, [over] * 20
    run = bench.BrowserRun({"A fine": [fast, slow, fast], "B slow": [slow, fast, slow]}, [31.5, 47.25, 33.0])
    monkeypatch.setattr(bench, "browser_latencies", lambda root: run)
    assert bench.main(ROOT, calls=5, execute=False, browser=True) == 1
    report, broken = capsys.readouterr().out.split("Budgets broken")
    assert "B slow" in broken and "A fine" not in broken
    # each pass's reference redraw is printed with the table, so that a slow pass can be told apart
    assert "took median 31.5, 47.2, 33.0 ms in the passes in turn" in report


def test_an_explainer_may_state_its_own_budget_and_a_slow_cohort_breaks_its_budget(monkeypatch, capsys):
    slow = bench.UPDATE_P95_BUDGET_MS * 2
    monkeypatch.setattr(bench, "update_latencies", lambda cls, calls, pause_s=0.0, skip=0: [slow if cls is NeoantigenExplainer else 1.0] * calls)
    monkeypatch.setattr(bench, "cohort_latencies", lambda: [1.0] * 3)
    monkeypatch.setattr(NeoantigenExplainer, "update_budget_ms", slow * 2, raising=False)
    assert bench.main(ROOT, calls=5, execute=False, browser=False) == 0
    capsys.readouterr()
    monkeypatch.setattr(bench, "cohort_latencies", lambda: [bench.COHORT_P95_BUDGET_MS * 2] * 3)
    assert bench.main(ROOT, calls=5, execute=False, browser=False) == 1
    assert "virtual trial cohort" in capsys.readouterr().out.split("Budgets broken")[1]


def test_the_reference_figure_has_two_states_that_differ_in_every_line_and_share_a_layout():
    import json

    (data_a, layout_a), (data_b, layout_b) = bench.reference_figure_states()
    assert layout_a == layout_b
    lines_a, lines_b = json.loads(data_a), json.loads(data_b)
    assert len(lines_a) == len(lines_b) == 4
    assert all(len(a["y"]) == 300 and a["x"] == b["x"] and a["y"] != b["y"] for a, b in zip(lines_a, lines_b))
    assert {line["xaxis"] for line in lines_a} == {"x", "x2"}, "both panels carry lines"
    assert bench.reference_figure_states() == bench.reference_figure_states(), "the same figure every run"


def test_the_in_process_reference_times_its_workload():
    assert bench.reference_python_ms(repeats=3) > 0


def test_the_cohort_benchmark_runs_the_real_model():
    times = bench.cohort_latencies(runs=2)
    assert len(times) == 2 and all(t > 0 for t in times)


class _FakeLocator:
    """Just enough of a Playwright locator for ``browser_latencies``: boxes, titles and controls."""

    def __init__(self, items=(), text=""):
        self.items, self.text = list(items), text
        self.first = self

    def count(self):
        return len(self.items)

    def nth(self, i):
        return self.items[i]

    def inner_text(self):
        return self.text


class _FakeControl(str):
    def scroll_into_view_if_needed(self):
        pass


class _FakeBox:
    def __init__(self, title, controls):
        self.title = title
        self.controls = _FakeLocator([_FakeControl(f"{title}/control {k}") for k in range(controls)])

    def wait_for(self, state):
        pass

    def locator(self, selector):
        return _FakeLocator(text=self.title) if selector == "h4" else self.controls


def test_browser_passes_time_every_explainer_once_per_pass_and_keep_two_views_of_one_apart(monkeypatch, tmp_path):
    from contextlib import nullcontext

    from course import browser as lab

    (tmp_path / "lessons").mkdir()
    for name in ("01_one.ipynb", "02_two.ipynb"):
        (tmp_path / "lessons" / name).write_text("{}")
    pages = {"01_one.ipynb": [_FakeBox("Alpha", 3)],
             "02_two.ipynb": [_FakeBox("Beta", 3), _FakeBox("Gamma", 1), _FakeBox("Beta", 3)]}
    opened, changed = [], []
    monkeypatch.setattr(bench, "SETTLE_S", 0.0)
    monkeypatch.setattr(lab, "find_chromium", lambda: "/fake/chromium")
    monkeypatch.setattr(lab, "lab_server", lambda folders: nullcontext("server"))
    chrome = type("Chrome", (), {"new_page": lambda self, **kw: "page"})()
    monkeypatch.setattr(lab, "chromium", lambda path: nullcontext(chrome))
    monkeypatch.setattr(lab, "open_and_run", lambda page, server, nb: opened.append(nb))
    monkeypatch.setattr(lab, "explainer_boxes", lambda page: _FakeLocator(pages[opened[-1].split("/")[1]]))
    monkeypatch.setattr(lab, "close_notebook", lambda page: None)

    def measure(page, box, control):
        changed.append(control)
        return float(len(changed))

    monkeypatch.setattr(lab, "measure_redraw_ms", measure)
    reference_pages = []
    monkeypatch.setattr(bench, "reference_page", lambda chrome: reference_pages.append(chrome) or nullcontext("reference page"))

    def reference(page):
        assert page == "reference page", "the reference figure is timed on the run's one reference page"
        opened.append("reference")
        return 30.0 + len(opened)

    monkeypatch.setattr(bench, "reference_redraw_ms", reference)
    run = bench.browser_latencies(tmp_path, changes=4, passes=3)
    results = run.latencies
    # the reference figure is timed before each lesson; a pass reports the median of its timings
    assert opened == ["reference", "lessons/01_one.ipynb", "reference", "lessons/02_two.ipynb"] * 3
    assert run.reference_ms == [32.0, 36.0, 40.0]
    assert reference_pages == [chrome], "the reference page is opened once per run, not once per lesson"
    assert list(results) == ["01 Alpha", "02 Beta", "02 Gamma", "02 Beta (2)"]
    assert all(len(passes) == 3 and all(len(t) == 4 for t in passes) for passes in results.values())
    # each pass goes on through the controls where the last one stopped: with 3 controls and 4 changes
    # a pass, a pass that started again from the first control would repeat 0 1 2 0
    alpha = [int(c.rsplit(" ", 1)[1]) for c in changed if c.startswith("Alpha")]
    assert alpha == [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]
