"""Notebook tooling: exercises from solutions, fresh-kernel execution, cleaning.

``solutions/`` is the single source of exercises.  Lines between nbgrader's
``### BEGIN SOLUTION`` and ``### END SOLUTION`` become ``name = ...`` placeholders
in ``exercises/``, so an exercise notebook runs cleanly and its checks say
"not answered".  A generated exercise records a hash of its cell sources; a
notebook a student has edited since is never overwritten.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
PLACEHOLDER_COMMENT = "# your answer"
MARKDOWN_PLACEHOLDER = "*Write your answer here.*"
SOLUTION_ONLY_TAG = "solution-only"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# Cell metadata that changes from run to run or machine to machine.
VOLATILE_CELL_METADATA = ("execution", "collapsed", "scrolled", "ExecuteTime")
_ASSIGNMENT = re.compile(r"^(\s*)([A-Za-z_][A-Za-z0-9_]*(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*=(?!=)")


class NotebookError(RuntimeError):
    pass


# -- exercises ---------------------------------------------------------------
def strip_solution(source: str, markdown: bool = False) -> str:
    """Replace every BEGIN/END SOLUTION region of a cell's source by placeholders."""
    out: list[str] = []
    region: list[str] | None = None
    indent = ""
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == BEGIN:
            if region is not None:
                raise NotebookError("nested ### BEGIN SOLUTION")
            region, indent = [], line[: len(line) - len(line.lstrip())]
            continue
        if stripped == END:
            if region is None:
                raise NotebookError("### END SOLUTION without ### BEGIN SOLUTION")
            out += _placeholders(region, indent, markdown)
            region = None
            continue
        (region if region is not None else out).append(line)
    if region is not None:
        raise NotebookError("### BEGIN SOLUTION without ### END SOLUTION")
    return "\n".join(out)


def _placeholders(region: list[str], indent: str, markdown: bool) -> list[str]:
    if markdown:
        return [MARKDOWN_PLACEHOLDER]
    names: list[str] = []
    for line in region:
        m = _ASSIGNMENT.match(line)
        if m and m.group(1) == indent and m.group(2) not in names:
            names.append(m.group(2))
    if not names:
        return [f"{indent}...  # your code here"]
    return [f"{indent}{name} = ...  {PLACEHOLDER_COMMENT}" for name in names]


def sources_digest(nb) -> str:
    """A hash of a notebook's cell types and sources (not outputs)."""
    payload = json.dumps([[c.cell_type, c.source] for c in nb.cells], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def make_exercise(solution, origin: str = ""):
    """The exercise notebook for a solution notebook (a new object, outputs cleared)."""
    nb = copy.deepcopy(solution)
    cells = []
    for cell in nb.cells:
        if SOLUTION_ONLY_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        if BEGIN in cell.source:
            cell.source = strip_solution(cell.source, markdown=cell.cell_type == "markdown")
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    nb.metadata["course"] = {"generated_from": origin, "sources_sha256": sources_digest(nb)}
    return nb


def edited_by_hand(nb) -> bool:
    """True when an exercise's sources no longer match the hash recorded at generation."""
    recorded = nb.metadata.get("course", {}).get("sources_sha256")
    return recorded is None or recorded != sources_digest(nb)


@dataclass
class ExerciseResult:
    written: list[Path]
    unchanged: list[Path]
    refused: list[Path]
    out_of_sync: list[Path]


def generate_exercises(solutions: Path, exercises: Path, *, check_only: bool = False,
                       force: bool = False) -> ExerciseResult:
    """Write ``exercises/NAME`` for every ``solutions/NAME``.

    ``check_only``: write nothing, report which exercises differ from their solution.
    An existing exercise edited by hand is refused unless ``force``.
    """
    result = ExerciseResult([], [], [], [])
    exercises.mkdir(parents=True, exist_ok=True)
    for src in sorted(solutions.glob("*.ipynb")):
        target = exercises / src.name
        fresh = make_exercise(read(src), origin=f"{solutions.name}/{src.name}")
        if target.exists():
            current = read(target)
            if [[c.cell_type, c.source] for c in current.cells] == [[c.cell_type, c.source] for c in fresh.cells] \
                    and current.metadata.get("course") == fresh.metadata["course"]:
                result.unchanged.append(target)
                continue
            result.out_of_sync.append(target)
            if check_only:
                continue
            if edited_by_hand(current) and not force:
                result.refused.append(target)
                continue
        elif check_only:
            result.out_of_sync.append(target)
            continue
        write(fresh, target)
        result.written.append(target)
    return result


# -- cleaning and execution --------------------------------------------------
def clean(nb):
    """Strip widget state and volatile metadata; number executed cells 1, 2, 3… (in place)."""
    nb.metadata.pop("widgets", None)
    nb.metadata.get("language_info", {}).pop("version", None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    count = 0
    for cell in nb.cells:
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type != "code":
            continue
        if not cell.source.strip():
            cell.execution_count, cell.outputs = None, []
            continue
        if cell.execution_count is not None:
            count += 1
            cell.execution_count = count
        for output in cell.outputs:
            # A stored widget view points at a model that no longer exists once the
            # kernel stops; keep its plain-text readout so the saved notebook shows
            # something meaningful (nbval never compares the view anyway).
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                del data[WIDGET_VIEW]
            if "execution_count" in output:
                output["execution_count"] = cell.execution_count
    return nb


def execute(nb, cwd: Path, timeout: int = 600):
    """Run every cell in a fresh kernel of the current environment, in order."""
    from nbclient import NotebookClient

    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(cwd)}})
    client.execute()
    return nb


def execute_file(path: Path, timeout: int = 600, write_back: bool = True) -> float:
    """Execute and clean one notebook file; return the wall time in seconds."""
    nb = read(path)
    start = time.perf_counter()
    execute(nb, path.parent.resolve(), timeout=timeout)
    elapsed = time.perf_counter() - start
    clean(nb)
    if write_back:
        write(nb, path)
    return elapsed


def read(path: Path):
    return nbformat.read(str(path), as_version=4)


def write(nb, path: Path) -> None:
    nbformat.validate(nb)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = nbformat.writes(nb) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def course_notebooks(root: Path) -> list[Path]:
    """Every course notebook in the order a course run executes them."""
    return [p for folder in ("lessons", "solutions", "exercises") for p in sorted((root / folder).glob("*.ipynb"))]
