"""What explainer tests read from a figure: its numbers, source note and axis ranges, and whether a text says nan or inf.

Not a test module (pytest collects only test_*.py); the test modules import it from their folder.
"""

import re

import numpy as np

NOT_A_NUMBER = re.compile(r"\b(nan|inf|infinity)\b", re.IGNORECASE)


def figure_numbers(fig) -> list[float]:
    """Every number in every trace's x, y and z (None gap markers and category labels left out)."""
    out = []
    for trace in fig.data:
        for key in ("x", "y", "z"):
            values = getattr(trace, key, None)
            if values is None:
                continue
            for v in np.asarray(values, dtype=object).ravel():
                if v is not None and not isinstance(v, str):
                    out.append(float(v))
    return out


def source_note(fig) -> str:
    """The figure's one "Source:" annotation (fails the test if there is none or more than one)."""
    texts = [a.text for a in fig.layout.annotations if a.text and a.text.startswith("Source:")]
    assert len(texts) == 1
    return texts[0]


def axis_ranges(fig) -> dict:
    """Every axis's range as set in the layout, by axis name (an empty tuple where none is set)."""
    layout = fig.layout.to_plotly_json()
    return {k: tuple(v.get("range", ())) for k, v in layout.items() if k.startswith(("xaxis", "yaxis"))}
