"""Structure lints from the course design: every lesson complete, every notebook small, clean, in sync."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from course import catalogue
from course import notebooks as nbt
from course.checks import exercises as registered_exercises
from course.explainers import registry

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
ALL = nbt.course_notebooks(ROOT)
BUDGET_KB = 300
MAX_CODE_LINES = 15


def _markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def _code(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "code" and c.source.strip()]


def _id(path):
    return f"{path.parent.name}/{path.name}"


def test_every_available_lesson_has_a_notebook_and_nothing_else_does():
    expected = {x.filename for x in catalogue.LESSONS if x.available}
    assert {p.name for p in LESSONS} == expected


@pytest.mark.parametrize("path", LESSONS, ids=_id)
def test_lesson_follows_the_template(path):
    nb = nbt.read(path)
    md = _markdown(nb)
    number = path.name[:2]
    lesson = catalogue.lesson(number)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith(f"# {number} · {lesson.title}")
    assert "By the end of this lesson you can" in md
    objectives = re.findall(r"^\s*[-*] .+", md.split("By the end of this lesson you can", 1)[1].split("\n\n", 2)[1], re.M)
    assert 3 <= len(objectives) <= 5, "3–5 learning objectives"
    assert f"**Estimated time:** {lesson.minutes} min" in md
    assert "**Prerequisites:**" in md
    for heading in ("## Key points", "## Self-check quiz", "## References"):
        assert heading in md, heading
    references = md.split("## References", 1)[1]
    numbered = re.findall(r"^\d+\. .+", references, re.M)
    assert numbered and all(re.search(r"doi:10\.\d{4,9}/\S+|PMID:? ?\d+", r, re.I) for r in numbered), \
        "every reference is numbered and has a DOI or PMID"
    date = re.search(r"Content last reviewed: (\d{4}-\d{2}-\d{2})", md)
    assert date and dt.date.fromisoformat(date.group(1)) <= dt.date.today()
    assert any(f'quiz("{number}")' in c for c in _code(nb))


@pytest.mark.parametrize("path", LESSONS, ids=_id)
def test_each_explainer_is_introduced_and_followed_up(path):
    nb = nbt.read(path)
    names = registry()
    shown = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and any(f"{n}(" in c.source for n in names)]
    assert shown, "a lesson has at least one explainer"
    if path.name.startswith("01"):
        assert len(shown) >= 2, "lesson 01 has at least two explainers"
    for i in shown:
        before = "\n".join(c.source for c in nb.cells[max(0, i - 2):i] if c.cell_type == "markdown")
        after = "\n".join(c.source for c in nb.cells[i + 1:i + 3] if c.cell_type == "markdown")
        assert "What to try" in before, f"cell {i}: 'What to try' before the explainer"
        assert "What you should see" in after, f"cell {i}: 'What you should see' after the explainer"


@pytest.mark.parametrize("path", ALL, ids=_id)
def test_notebook_is_executed_clean_small_and_offline(path):
    size_kb = path.stat().st_size / 1024
    assert size_kb <= BUDGET_KB, f"{size_kb:.0f} KB > {BUDGET_KB} KB"
    raw = json.loads(path.read_text())
    assert "widgets" not in raw["metadata"], "widget state must be stripped (make execute)"
    nb = nbt.read(path)
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), "run top to bottom in one fresh kernel"
    first = code[0].source
    assert first.startswith(("from course", "import course")) and first.count("setup()") == 1
    for c in code:
        assert len(c.source.splitlines()) <= MAX_CODE_LINES, f"code cell too long: {c.source[:60]!r}"
        assert not re.search(r"https?://|\brequests\b|\burllib\b|\bsocket\b", c.source), "no network at run time"
        assert all(o.output_type != "error" for o in c.outputs)
        for o in c.outputs:
            fig = o.get("data", {}).get("application/vnd.plotly.v1+json")
            if fig is not None:
                assert fig["layout"].get("meta", {}).get("description"), "every figure carries a description"
            assert nbt.WIDGET_VIEW not in o.get("data", {})


def test_exercises_are_in_sync_with_solutions():
    result = nbt.generate_exercises(ROOT / "solutions", ROOT / "exercises", check_only=True)
    assert not result.out_of_sync, f"run `make exercises`: {result.out_of_sync}"
    assert {p.name for p in (ROOT / "exercises").glob("*.ipynb")} == {p.name for p in SOLUTIONS}


@pytest.mark.parametrize("path", SOLUTIONS, ids=_id)
def test_solutions_have_three_to_five_checked_exercises(path):
    nb = nbt.read(path)
    ids = re.findall(r'check\("(\d\d\.\d+)"', "\n".join(_code(nb)))
    assert 3 <= len(set(ids)) <= 5
    assert set(ids) == {e for e in registered_exercises() if e.startswith(path.name[:2] + ".")}
    assert nbt.BEGIN in "\n".join(_code(nb))
    for cell in nb.cells:
        if cell.cell_type == "code" and "check(" in cell.source:
            assert any("— correct:" in str(o.get("data", {}).get("text/plain", "")) for o in cell.outputs), \
                f"the solution's answer to {cell.source!r} must be marked correct"


@pytest.mark.parametrize("path", sorted((ROOT / "exercises").glob("*.ipynb")), ids=_id)
def test_exercise_checks_say_not_answered(path):
    nb = nbt.read(path)
    checked = [c for c in nb.cells if c.cell_type == "code" and "check(" in c.source]
    assert checked
    for cell in checked:
        assert any("not answered" in str(o.get("data", {}).get("text/plain", "")) for o in cell.outputs)


def test_readme_lists_every_lesson_and_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    for item in catalogue.LESSONS:
        assert f"| {item.number} | {item.title}" in readme
        planned = f"| {item.number} | {item.title} *(in preparation)* |" in readme
        assert planned != item.available, f"README: lesson {item.number} marked wrongly as (not) in preparation"
    assert "make lab" in readme and "make test" in readme
    assert f"mybinder.org/v2/gh/{catalogue.BINDER_REPOSITORY}/{catalogue.BINDER_BRANCH}" \
           "?urlpath=lab/tree/lessons/00_start_here.ipynb" in readme


def test_make_lab_is_local_and_token_protected():
    makefile = (ROOT / "Makefile").read_text()
    lab = makefile.split("\nlab:", 1)[1].split("\n\n", 1)[0]
    assert "--ServerApp.ip=127.0.0.1" in lab and "0.0.0.0" not in makefile
    assert "token=''" not in lab and 'token=""' not in lab and "--NotebookApp.token" not in lab
    assert "--LabApp.default_url=/lab/tree/lessons/00_start_here.ipynb" in lab
    assert "--ServerApp.root_dir=." in lab, "serve the whole course, not just lessons/"
