"""The immune-cell atlas: a lineage tree from stem cell to each immune cell."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from course.figures.theme import GREY, OKABE_ITO, new_figure

STEM_CELL = "haematopoietic stem cell"


def parent_of(progenitor: str) -> str:
    """The tree parent named in a ``progenitor`` entry (the words before any parenthesis)."""
    return progenitor.split(" (", 1)[0].strip()


def lineage_parents(cells: pd.DataFrame) -> dict[str, str]:
    """child -> parent for every node of the tree (cells and their progenitors)."""
    parents = {}
    for row in cells.itertuples():
        parent = parent_of(row.progenitor)
        parents[row.cell_type] = parent
        if parent not in set(cells.cell_type):
            parents.setdefault(parent, STEM_CELL)
    return parents


def tree_layout(cells: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Stem cell on the left, cells on the right; each parent level with the middle of its children."""
    parents = lineage_parents(cells)
    children: dict[str, list[str]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    positions: dict[str, tuple[float, float]] = {}
    next_leaf = [0.0]

    def place(node: str, depth: int) -> float:
        kids = children.get(node, [])
        y = sum(place(k, depth + 1) for k in kids) / len(kids) if kids else next_leaf[0]
        if not kids:
            next_leaf[0] -= 1.0
        positions[node] = (float(depth), y)
        return y

    place(STEM_CELL, 0)
    return positions


def _colour(arm: str) -> str:
    return OKABE_ITO["orange"] if arm == "innate" else OKABE_ITO["blue"]


@dataclass(frozen=True)
class LineageTree:
    """The tree's structure, computed once per data set so that redraws only colour it."""

    parents: dict[str, str]
    layout: dict[str, tuple[float, float]]
    arms: dict[str, str]

    @classmethod
    def from_cells(cls, cells: pd.DataFrame) -> "LineageTree":
        return cls(lineage_parents(cells), tree_layout(cells), dict(zip(cells.cell_type, cells.arm)))


def atlas_highlight(tree: LineageTree, selected: str) -> dict:
    """Marker colours/sizes and the path from the stem cell to ``selected``."""
    parents, layout, arms = tree.parents, tree.layout, tree.arms
    path, node = [selected], selected
    while node in parents:
        node = parents[node]
        path.append(node)
    colours, sizes, line_colours = [], [], []
    for name in layout:
        colours.append(_colour(arms[name]) if name in arms else GREY)
        sizes.append(30 if name == selected else 18)
        line_colours.append(OKABE_ITO["vermillion"] if name == selected else "white")
    xs, ys = [], []
    for a, b in zip(path, path[1:]):
        xs += [layout[b][0], layout[a][0], None]
        ys += [layout[b][1], layout[a][1], None]
    return {"colours": colours, "sizes": sizes, "line_colours": line_colours, "path_x": xs, "path_y": ys}


def immune_cell_atlas(cells: pd.DataFrame, selected: str) -> go.Figure:
    """Lineage tree of the immune cells with ``selected`` and its path highlighted."""
    layout = tree_layout(cells)
    parents = lineage_parents(cells)
    innate = ", ".join(cells.cell_type[cells.arm == "innate"])
    adaptive = ", ".join(cells.cell_type[cells.arm == "adaptive"])
    fig = new_figure(
        "Where immune cells come from",
        "A lineage tree. On the left, the haematopoietic stem cell; it gives rise to a common myeloid "
        "and a common lymphoid progenitor, which give rise to the immune cells on the right. "
        f"Orange circles are cells of innate immunity ({innate}); blue circles are cells of adaptive "
        f"immunity ({adaptive}); grey circles are progenitors. The selected cell is enlarged and the "
        "path from the stem cell to it is drawn in red.",
        height=520, showlegend=False, hovermode="closest",
        xaxis=dict(visible=False, range=[-1.1, max(x for x, _ in layout.values()) + 1.6]),
        yaxis=dict(visible=False, range=[min(y for _, y in layout.values()) - 0.7,
                                         max(y for _, y in layout.values()) + 0.7]),
    )
    xs, ys = [], []
    for child, parent in parents.items():
        xs += [layout[parent][0], layout[child][0], None]
        ys += [layout[parent][1], layout[child][1], None]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#BBBBBB", width=1.5), hoverinfo="skip"))
    marks = atlas_highlight(LineageTree.from_cells(cells), selected)
    fig.add_trace(go.Scatter(x=marks["path_x"], y=marks["path_y"], mode="lines",
                             line=dict(color=OKABE_ITO["vermillion"], width=4), hoverinfo="skip"))
    roles = dict(zip(cells.cell_type, cells.anti_tumour_role))
    names = list(layout)
    fig.add_trace(go.Scatter(
        x=[layout[n][0] for n in names], y=[layout[n][1] for n in names],
        mode="markers+text", text=names,
        # progenitors sit among the lines, so their labels go above the node
        textposition=["middle right" if n in roles else "top center" for n in names],
        marker=dict(size=marks["sizes"], color=marks["colours"],
                    line=dict(color=marks["line_colours"], width=2)),
        customdata=[roles.get(n, "progenitor cell") for n in names],
        hovertemplate="<b>%{text}</b><br>%{customdata}<extra></extra>",
    ))
    return fig
