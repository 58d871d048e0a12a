"""Lesson 01: pick an immune cell → its lineage, its roles for and against tumours, the therapies that use it."""

from __future__ import annotations

from course import catalogue
from course.data import load
from course.explainers.base import Control, Explainer
from course.figures.immune_cells import LineageTree, atlas_highlight, immune_cell_atlas, parent_of

_CELLS = load("immune_cells")
_TREE = LineageTree.from_cells(_CELLS)
_ROWS = _CELLS.set_index("cell_type", drop=False)


class CellAtlas(Explainer):
    title = "Immune-cell atlas"
    controls = (
        Control("cell", "Cell type", default="NK cell" if "NK cell" in set(_CELLS.cell_type) else _CELLS.cell_type[0],
                options=tuple(_CELLS.cell_type),
                help="choose a cell to see where it comes from and what it does in a tumour"),
    )

    def build_figure(self):
        return immune_cell_atlas(_CELLS, self.values["cell"])

    def compute(self, cell):
        return _ROWS.loc[cell]

    def redraw(self, fig, row):
        marks = atlas_highlight(_TREE, row.cell_type)
        fig.data[1].x, fig.data[1].y = marks["path_x"], marks["path_y"]
        fig.data[2].marker.color = marks["colours"]
        fig.data[2].marker.size = marks["sizes"]
        fig.data[2].marker.line.color = marks["line_colours"]

    def summary(self, row):
        origin = f"from the {parent_of(row.progenitor)}"
        if " (" in row.progenitor:
            origin += "; " + row.progenitor.split(" (", 1)[1].rstrip(")")
        text = f"{row.cell_type}: {row.arm} immunity, {row.lineage} lineage ({origin}). Against tumours: {row.anti_tumour_role}"
        if row.pro_tumour_role:
            text += f" Can also help tumours: {row.pro_tumour_role}"
        if row.therapies_using_it:
            lessons = [catalogue.lesson(n.strip()) for n in row.course_lesson.split(";") if n.strip()]
            where = "; ".join(f"lesson {x.number} {x.title}" for x in lessons)
            text += f" Therapies: {row.therapies_using_it}" + (f" (see {where})." if where else ".")
        return text
