"""What explainer tests read from a figure: its numbers, source note and axis ranges, and whether a text says nan or inf.

Not a test module (pytest collects only test_*.py); the test modules import it from their folder.
"""

import re

import numpy as np

NOT_A_NUMBER = re.compile(r"\b(nan|inf|infinity)\b", re.IGNORECASE)


def figure_numbers(fig) -> list[float]:
    """Every number in every trace's x, y and z (gap markers and category labels left out).

    Gap markers: None, or NaN at the same point in both x and y (several lines in one float trace).
    A NaN in only one of them is a number gone wrong, and is kept, so that the test sees it.
    """
    out = []
    for trace in fig.data:
        columns = {key: np.asarray(getattr(trace, key, None), dtype=object).ravel()
                   for key in ("x", "y", "z") if getattr(trace, key, None) is not None}
        gap = None
        if "x" in columns and "y" in columns and columns["x"].size == columns["y"].size:
            gap = np.array([_is_nan(a) and _is_nan(b) for a, b in zip(columns["x"], columns["y"])], dtype=bool)
        for key, values in columns.items():
            for i, v in enumerate(values):
                if v is None or isinstance(v, str) or (gap is not None and key in "xy" and gap[i]):
                    continue
                out.append(float(v))
    return out


def _is_nan(v) -> bool:
    return isinstance(v, (float, np.floating)) and bool(np.isnan(v))


def source_note(fig) -> str:
    """The figure's one "Source:" annotation (fails the test if there is none or more than one)."""
    texts = [a.text for a in fig.layout.annotations if a.text and a.text.startswith("Source:")]
    assert len(texts) == 1
    return texts[0]


def axis_ranges(fig) -> dict:
    """Every axis's range as set in the layout, by axis name (an empty tuple where none is set)."""
    layout = fig.layout.to_plotly_json()
    return {k: tuple(v.get("range", ())) for k, v in layout.items() if k.startswith(("xaxis", "yaxis"))}
