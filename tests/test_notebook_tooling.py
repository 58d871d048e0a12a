"""The notebook tooling on small fixture notebooks."""

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course import notebooks as nbt

FIXTURES = Path(__file__).parent / "fixtures"


def test_strip_solution_replaces_assignments_by_placeholders():
    src = "a = 1\n### BEGIN SOLUTION\nhelper = a + 1\nanswer = helper * 2\nanswer = answer + 0\n### END SOLUTION\ncheck(answer)"
    assert nbt.strip_solution(src) == "a = 1\nhelper = ...  # your answer\nanswer = ...  # your answer\ncheck(answer)"


def test_strip_solution_keeps_indentation_and_marks_code_without_assignment():
    src = "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n"
    assert nbt.strip_solution(src) == "def f():\n    ...  # your code here"


@pytest.mark.parametrize("src", ["### BEGIN SOLUTION\nx = 1", "x = 1\n### END SOLUTION",
                                 "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION"])
def test_unbalanced_markers_are_refused(src):
    with pytest.raises(nbt.NotebookError):
        nbt.strip_solution(src)


def test_make_exercise_from_fixture():
    solution = nbt.read(FIXTURES / "solution.ipynb")
    exercise = nbt.make_exercise(solution, origin="solutions/solution.ipynb")
    sources = [c.source for c in exercise.cells]
    assert "helper = ...  # your answer\nanswer = ...  # your answer\nprint(answer is ...)" in sources
    assert "Explain why:\n\n" + nbt.MARKDOWN_PLACEHOLDER in sources
    assert not any("grading notes" in s for s in sources), "solution-only cell must be dropped"
    assert not any(nbt.BEGIN in s or "Because 42" in s for s in sources)
    assert exercise.metadata["course"]["generated_from"] == "solutions/solution.ipynb"
    assert not nbt.edited_by_hand(exercise)
    exercise.cells[1].source = "x = 3  # a student's edit"
    assert nbt.edited_by_hand(exercise)
    # the solution itself is untouched
    assert any("Because 42" in c.source for c in solution.cells)


def _course_tree(tmp_path):
    (tmp_path / "solutions").mkdir()
    shutil.copy(FIXTURES / "solution.ipynb", tmp_path / "solutions" / "01_fixture.ipynb")
    return tmp_path / "solutions", tmp_path / "exercises"


def test_generate_check_and_sync(tmp_path):
    solutions, exercises = _course_tree(tmp_path)
    assert nbt.generate_exercises(solutions, exercises, check_only=True).out_of_sync == [exercises / "01_fixture.ipynb"]
    result = nbt.generate_exercises(solutions, exercises)
    assert result.written == [exercises / "01_fixture.ipynb"]
    again = nbt.generate_exercises(solutions, exercises, check_only=True)
    assert again.out_of_sync == [] and again.unchanged == [exercises / "01_fixture.ipynb"]
    # a changed solution makes the exercise out of sync, and regeneration follows it
    sol = nbt.read(solutions / "01_fixture.ipynb")
    sol.cells[1].source = "x = 5\nprint(x)"
    nbt.write(sol, solutions / "01_fixture.ipynb")
    assert nbt.generate_exercises(solutions, exercises, check_only=True).out_of_sync
    assert nbt.generate_exercises(solutions, exercises).written
    assert nbt.read(exercises / "01_fixture.ipynb").cells[1].source == "x = 5\nprint(x)"


def test_an_edited_exercise_is_never_overwritten(tmp_path):
    solutions, exercises = _course_tree(tmp_path)
    nbt.generate_exercises(solutions, exercises)
    target = exercises / "01_fixture.ipynb"
    student = nbt.read(target)
    student.cells[2].source = "helper = 3\nanswer = 42\nprint(answer is ...)"
    nbt.write(student, target)
    before = target.read_text()
    sol = nbt.read(solutions / "01_fixture.ipynb")
    sol.cells[0].source = "# Fixture solution, revised"
    nbt.write(sol, solutions / "01_fixture.ipynb")
    result = nbt.generate_exercises(solutions, exercises)
    assert result.refused == [target] and result.written == []
    assert target.read_text() == before
    assert nbt.generate_exercises(solutions, exercises, force=True).written == [target]


def test_execute_and_clean_fixture(tmp_path):
    path = tmp_path / "widget.ipynb"
    shutil.copy(FIXTURES / "widget.ipynb", path)
    nbt.execute_file(path)
    nb = nbt.read(path)
    assert "widgets" not in nb["metadata"]
    assert "version" not in nb["metadata"].get("language_info", {})
    counts = [c["execution_count"] for c in nb["cells"] if c["cell_type"] == "code" and c["source"]]
    assert counts == [1, 2, 3]
    slider_out = nb["cells"][0]["outputs"][0]
    assert nbt.WIDGET_VIEW not in slider_out["data"] and "IntSlider" in slider_out["data"]["text/plain"]
    assert nb["cells"][1]["outputs"][0]["text"] == "hello\n"
    assert nb["cells"][3]["outputs"][0]["execution_count"] == 3
    assert all("execution" not in c["metadata"] for c in nb["cells"])


def test_execute_reports_a_failing_cell(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0")])
    path = tmp_path / "bad.ipynb"
    nbt.write(nb, path)
    with pytest.raises(Exception, match="ZeroDivisionError"):
        nbt.execute_file(path)


def test_cli_exercises_check_fails_when_out_of_sync(tmp_path):
    _course_tree(tmp_path)
    cmd = [sys.executable, "-m", "course", "--root", str(tmp_path), "exercises", "--check"]
    failed = subprocess.run(cmd, capture_output=True, text=True)
    assert failed.returncode == 1 and "out of sync" in failed.stdout
    subprocess.run([sys.executable, "-m", "course", "--root", str(tmp_path), "exercises", "--no-execute"], check=True)
    assert subprocess.run(cmd, capture_output=True, text=True).returncode == 0
