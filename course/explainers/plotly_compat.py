"""A guard for a plotly.py FigureWidget bug that made the kernel raise after every redraw.

After plotly.js redraws a FigureWidget it sends the kernel the properties it filled in
("trace deltas"). plotly.py then drops from each trace the properties the delta also holds,
walking both structures and testing ``if not value`` on what is left.  When a property the
course set as a numpy array (binary transfer) comes back from plotly.js as an object
(``{"0": 0, "1": 0, …}``, how a typed array is sent in JSON), that test meets an array and raises
``ValueError: The truth value of an array … is ambiguous`` (plotly/plotly.py#4160).  The error
went to JupyterLab's log console, unseen, and formatting its traceback kept the kernel busy
for tens to hundreds of milliseconds after each change: a slider moved during that time waited.

The guard removes such entries from the delta before plotly.py compares: an array the course
set is data, never a default plotly.js filled in, so plotly.py would keep it anyway.
"""

from __future__ import annotations

import numpy as np
from plotly.basewidget import BaseFigureWidget


def without_data_arrays(input_data, delta_data):
    """``delta_data`` without the entries whose counterpart in ``input_data`` is a numpy array."""
    if isinstance(input_data, dict) and isinstance(delta_data, dict):
        kept = {}
        for key, value in delta_data.items():
            mine = input_data.get(key)
            if isinstance(mine, np.ndarray) and not isinstance(value, (str, int, float, bool, type(None))):
                continue
            kept[key] = without_data_arrays(mine, value) if isinstance(mine, (dict, list)) else value
        return kept
    if isinstance(input_data, list) and isinstance(delta_data, list):
        return [without_data_arrays(mine, value) for mine, value in zip(input_data, delta_data)] + \
            delta_data[len(input_data):]
    return delta_data


def install() -> None:
    """Wrap plotly.py's overlap removal once (idempotent)."""
    original = BaseFigureWidget._remove_overlapping_props
    if getattr(original, "_course_guarded", False):
        return

    def guarded(input_data, delta_data, prop_path=()):
        return original(input_data, without_data_arrays(input_data, delta_data), prop_path)

    guarded._course_guarded = True
    guarded._course_original = original
    BaseFigureWidget._remove_overlapping_props = staticmethod(guarded)
