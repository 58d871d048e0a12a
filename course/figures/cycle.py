"""The cancer–immunity cycle of Chen & Mellman (2013) as a circular diagram."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from course.figures.theme import OKABE_ITO, new_figure

#: The seven steps, in order, with the course lessons whose therapies act there.
#: Steps after Chen DS, Mellman I (2013) Immunity 39:1-10, doi:10.1016/j.immuni.2013.07.012 (Figure 1).
STEPS: tuple[tuple[str, str], ...] = (
    ("1 Release of cancer-cell antigens", "dying tumour cells shed antigens"),
    ("2 Antigen presentation", "dendritic cells take up antigen · vaccines (lesson 06)"),
    ("3 Priming and activation", "T cells meet antigen in lymph nodes · anti-CTLA-4 (04), IL-2 and IFN-α (03)"),
    ("4 Trafficking of T cells", "activated T cells travel in the blood"),
    ("5 Infiltration into the tumour", "T cells leave vessels and enter the tumour"),
    ("6 Recognition of cancer cells", "T-cell receptor meets peptide on MHC · CAR T cells recognise antigen directly (05)"),
    ("7 Killing of cancer cells", "anti-PD-1/PD-L1 (04) · antibodies flag cells for killing (07)"),
)


def cancer_immunity_cycle() -> go.Figure:
    """Seven steps around a circle, clockwise from the top, each with where therapies act."""
    n = len(STEPS)
    angles = np.pi / 2 - 2 * np.pi * np.arange(n) / n
    x, y = np.round(np.cos(angles), 4), np.round(np.sin(angles), 4)
    fig = new_figure(
        "The cancer–immunity cycle",
        "A circular diagram of seven numbered steps, read clockwise from the top: release of antigens from "
        "dying cancer cells; their presentation by dendritic cells; priming and activation of T cells in lymph "
        "nodes; trafficking of T cells through the blood; infiltration into the tumour; recognition of cancer "
        "cells; and killing, which releases more antigen and starts the cycle again. Beside each step, the "
        "therapies of this course that act there and the lesson that teaches them.",
        height=560, showlegend=False,
        xaxis=dict(visible=False, range=[-2.4, 2.4]), yaxis=dict(visible=False, range=[-1.45, 1.45]),
    )
    ring = np.linspace(0, 2 * np.pi, 181)
    fig.add_trace(go.Scatter(x=np.round(np.cos(ring), 4), y=np.round(np.sin(ring), 4), mode="lines",
                             line=dict(color="#BBBBBB", width=3), hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=x, y=y, mode="markers+text", text=[str(i + 1) for i in range(n)],
                             textfont=dict(color="white", size=14),
                             marker=dict(size=34, color=OKABE_ITO["blue"]),
                             customdata=[s[1] for s in STEPS],
                             hovertext=[s[0] for s in STEPS],
                             hovertemplate="<b>%{hovertext}</b><br>%{customdata}<extra></extra>"))
    for (title, detail), xi, yi in zip(STEPS, x, y):
        right = xi >= -1e-9
        fig.add_annotation(x=xi + (0.16 if right else -0.16), y=yi, text=f"<b>{title[2:]}</b><br>{detail.replace(' · ', '<br>')}",
                           showarrow=False, xanchor="left" if right else "right", align="left" if right else "right",
                           font=dict(size=11))
    return fig
