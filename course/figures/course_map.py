"""The course map: lessons as nodes, prerequisites as arrows."""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from course import catalogue
from course.figures.theme import GREY, OKABE_ITO, new_figure


def node_positions() -> dict[str, tuple[float, float]]:
    """Lessons placed left to right by prerequisite depth, spread vertically within a column."""
    columns: dict[int, list[str]] = {}
    for item in catalogue.LESSONS:
        columns.setdefault(catalogue.depth(item.number), []).append(item.number)
    positions = {}
    for x, numbers in columns.items():
        for i, number in enumerate(numbers):
            positions[number] = (float(x), (len(numbers) - 1) / 2 - i)
    return positions


def _segments(pairs, positions):
    xs, ys = [], []
    for a, b in pairs:
        (x0, y0), (x1, y1) = positions[a], positions[b]
        xs += [x0, x1, None]
        ys += [y0, y1, None]
    return xs, ys


def highlight(selected: str) -> dict:
    """Trace data that marks ``selected`` and the chain of lessons leading to it."""
    positions = node_positions()
    chain = catalogue.all_prerequisites(selected) | {selected}
    pairs = [(p, item.number) for item in catalogue.LESSONS if item.number in chain for p in item.prerequisites]
    edge_x, edge_y = _segments(pairs, positions)
    colours, sizes = [], []
    for item in catalogue.LESSONS:
        if item.number == selected:
            colours.append(OKABE_ITO["vermillion"]); sizes.append(34)
        elif item.number in chain:
            colours.append(OKABE_ITO["orange"]); sizes.append(28)
        else:
            colours.append(OKABE_ITO["blue"] if item.available else GREY); sizes.append(26)
    return {"edge_x": edge_x, "edge_y": edge_y, "colours": colours, "sizes": sizes}


def course_map(selected: str = "01") -> go.Figure:
    """Every lesson with its prerequisites; ``selected`` and its path are highlighted."""
    positions = node_positions()
    all_pairs = [(p, item.number) for item in catalogue.LESSONS for p in item.prerequisites]
    edge_x, edge_y = _segments(all_pairs, positions)
    marks = highlight(selected)
    fig = new_figure(
        "Course map: lessons and what they build on",
        "A network diagram of the course. Each circle is a lesson, numbered 00 to 09 and placed "
        "left to right by how many lessons it builds on; lines join a lesson to the lessons it "
        "needs first. Blue circles are lessons available now, grey ones are in preparation. "
        "The highlighted lesson is red, and the lessons on the path to it are orange.",
        height=420,
        showlegend=False,
        # fixed ranges: nothing to re-autorange when a lesson is highlighted
        xaxis=dict(visible=False, range=[min(x for x, _ in positions.values()) - 0.6,
                                         max(x for x, _ in positions.values()) + 0.6]),
        yaxis=dict(visible=False, range=[min(y for _, y in positions.values()) - 1.0,
                                         max(y for _, y in positions.values()) + 0.4]),
        hovermode="closest",
    )
    fig.add_trace(go.Scatter(x=edge_x, y=edge_y, mode="lines", line=dict(color="#BBBBBB", width=1.5),
                             hoverinfo="skip", name="prerequisite"))
    fig.add_trace(go.Scatter(x=marks["edge_x"], y=marks["edge_y"], mode="lines",
                             line=dict(color=OKABE_ITO["orange"], width=4), hoverinfo="skip", name="path"))
    xs = [positions[item.number][0] for item in catalogue.LESSONS]
    ys = [positions[item.number][1] for item in catalogue.LESSONS]
    fig.add_trace(go.Scatter(
        x=xs, y=ys, mode="markers+text", name="lessons",
        text=[item.number for item in catalogue.LESSONS],
        textfont=dict(color="white", size=13),
        marker=dict(size=marks["sizes"], color=marks["colours"], line=dict(color="white", width=1)),
        customdata=[[item.title, item.minutes, "available" if item.available else "in preparation"]
                    for item in catalogue.LESSONS],
        hovertemplate="<b>%{text} %{customdata[0]}</b><br>%{customdata[1]} min · %{customdata[2]}<extra></extra>",
    ))
    # Titles as a text trace rather than annotations: cheaper to redraw.
    fig.add_trace(go.Scatter(x=xs, y=[y - 0.22 for y in ys], mode="text", textposition="bottom center",
                             text=["<br>".join(textwrap.wrap(item.title, 13)) for item in catalogue.LESSONS],
                             textfont=dict(size=10), hoverinfo="skip", name="titles"))
    return fig
