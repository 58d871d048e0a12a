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
    monkeypatch.setattr(bench, "browser_latencies",
                        lambda root: {"A fine": [fast, slow, fast], "B slow": [slow, fast, slow]})
    assert bench.main(ROOT, calls=5, execute=False, browser=True) == 1
    broken = capsys.readouterr().out.split("Budgets broken")[1]
    assert "B slow" in broken and "A fine" not in broken


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


def test_the_cohort_benchmark_runs_the_real_model():
    times = bench.cohort_latencies(runs=2)
    assert len(times) == 2 and all(t > 0 for t in times)
