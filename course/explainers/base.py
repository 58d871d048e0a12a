"""The small shared base every explainer stands on.

An explainer declares its controls, builds one ``go.Figure`` once, and
redraws it in :meth:`Explainer.update`, which tests and the benchmark call
directly; a :class:`~course.explainers.live_figure.LiveFigure` widget shows it.  Displaying an explainer shows the controls, the figure and a live
readout; its plain-text form is the readout, so nbval compares what a student
reads rather than a widget repr.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, ClassVar

import ipywidgets as widgets
import plotly.graph_objects as go

from course.explainers.live_figure import LiveFigure, figure_json

# An explainer with only dropdowns and at most this many combinations of options has its figure
# for every combination drawn ahead of time in the browser, so that choosing an option swaps
# plots instead of redrawing one (a full plotly.js redraw of a bar chart takes 50-70 ms here).
MAX_PREDRAWN = 12


def significant(x: float, digits: int = 3) -> str:
    """``x`` to ``digits`` significant figures for a readout, with thousands separators (24,000; 9.3; 0.0046)."""
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else str(x)
    rounded = float(f"{x:.{digits}g}")
    return f"{rounded:,.0f}" if abs(rounded) >= 10 ** (digits - 1) else f"{rounded:.{digits}g}"


@dataclass(frozen=True)
class Control:
    """One input of an explainer.

    Numeric controls (``min``/``max``/``step``) become sliders; controls with
    ``options`` become dropdowns.  ``log=True`` makes a logarithmic slider
    whose ``min``/``max`` are the real values (not exponents).
    """

    name: str
    label: str
    default: Any
    min: float | None = None
    max: float | None = None
    step: float | None = None
    unit: str = ""
    help: str = ""
    options: tuple[Any, ...] | None = None
    log: bool = False
    integer: bool = False

    def __post_init__(self):
        if self.options is not None:
            if self.default not in self.options:
                raise ValueError(f"{self.name}: default {self.default!r} not among options")
        else:
            if None in (self.min, self.max, self.step) or not self.min < self.max:
                raise ValueError(f"{self.name}: a numeric control needs min < max and a step")
            if not self.min <= self.default <= self.max:
                raise ValueError(f"{self.name}: default {self.default} outside [{self.min}, {self.max}]")
            if self.log and self.min <= 0:
                raise ValueError(f"{self.name}: a log slider needs min > 0")

    @property
    def is_numeric(self) -> bool:
        return self.options is None

    def coerce(self, value: Any) -> Any:
        """Return ``value`` as this control's type, or raise ValueError saying what is allowed."""
        if not self.is_numeric:
            if value not in self.options:
                raise ValueError(f"{self.name} must be one of {list(self.options)}, got {value!r}")
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{self.name} must be a number ({self.unit or 'no unit'}), got {value!r}")
        value = float(value)
        if not math.isfinite(value) or not self.min <= value <= self.max:
            raise ValueError(f"{self.name} must be between {self.min} and {self.max} {self.unit}".rstrip() + f", got {value!r}")
        return int(round(value)) if self.integer else value

    def ends(self) -> list[Any]:
        """Both ends of the range and the default (all options for a dropdown)."""
        if not self.is_numeric:
            return list(self.options)
        return [self.coerce(v) for v in (self.min, self.default, self.max)]

    def description_text(self) -> str:
        return f"{self.label} ({self.unit})" if self.unit else self.label

    def make_widget(self) -> widgets.Widget:
        style = {"description_width": "270px"}
        layout = widgets.Layout(width="640px")
        if not self.is_numeric:
            return widgets.Dropdown(options=list(self.options), value=self.default,
                                    description=self.description_text(), style=style, layout=layout,
                                    tooltip=self.help)
        if self.log:
            return widgets.FloatLogSlider(value=self.default, base=10, min=math.log10(self.min),
                                          max=math.log10(self.max), step=self.step,
                                          description=self.description_text(), style=style, layout=layout,
                                          readout_format=".3g", tooltip=self.help)
        cls = widgets.IntSlider if self.integer else widgets.FloatSlider
        return cls(value=self.default, min=self.min, max=self.max, step=self.step,
                   description=self.description_text(), style=style, layout=layout, tooltip=self.help)


class Explainer:
    """Base class: subclasses set ``title`` and ``controls`` and implement
    :meth:`build_figure`, :meth:`compute`, :meth:`redraw` and :meth:`summary`."""

    title: ClassVar[str] = ""
    controls: ClassVar[tuple[Control, ...]] = ()

    def __init__(self, **values: Any):
        self._by_name = {c.name: c for c in self.controls}
        self.values: dict[str, Any] = {c.name: c.default for c in self.controls}
        self.values.update(self._validated(values))
        self.figure = self.build_figure()
        self.plot = LiveFigure()
        self.readout_text = ""
        self._widgets: dict[str, widgets.Widget] | None = None
        self._readout: widgets.HTML | None = None
        self._view: widgets.Widget | None = None
        self._syncing = False
        self.update()

    # -- to implement -------------------------------------------------------
    def build_figure(self) -> go.Figure:
        """The figure's traces and layout, built once; ``redraw`` only fills in data."""
        raise NotImplementedError

    def compute(self, **values: Any) -> Any:
        """Run the model for the current control values (pure, no plotting)."""
        raise NotImplementedError

    def redraw(self, fig: go.Figure, result: Any) -> None:
        """Write ``result`` into the figure's existing traces and layout."""
        raise NotImplementedError

    def summary(self, result: Any) -> str:
        """One or two sentences a student reads: the numbers behind the figure."""
        raise NotImplementedError

    # -- shared behaviour ----------------------------------------------------
    def _validated(self, values: dict[str, Any]) -> dict[str, Any]:
        unknown = set(values) - set(self._by_name)
        if unknown:
            raise ValueError(f"{type(self).__name__} has no control(s) {sorted(unknown)}; "
                             f"its controls are {sorted(self._by_name)}")
        return {k: self._by_name[k].coerce(v) for k, v in values.items()}

    def update(self, **values: Any) -> str:
        """Set some controls, recompute and redraw; return the new readout."""
        self.values.update(self._validated(values))
        result = self.compute(**self.values)
        # Straight assignments: batch_update only helps a FigureWidget, and on a plain figure it
        # validates every property a second time when the batch is applied.
        self.redraw(self.figure, result)
        self.plot.show(self.figure)
        self.readout_text = self.summary(result)
        if self._readout is not None:
            self._readout.value = f"<b>{self.readout_text}</b>"
        if self._widgets is not None:
            self._sync_widgets()
        return self.readout_text

    def option_states(self) -> list[dict[str, Any]]:
        """Every combination of control values, when all controls are dropdowns and there are few."""
        if not self.controls or any(c.is_numeric for c in self.controls):
            return []
        combos = list(itertools.islice(itertools.product(*(c.options for c in self.controls)), MAX_PREDRAWN + 1))
        if len(combos) > MAX_PREDRAWN:
            return []
        return [dict(zip((c.name for c in self.controls), combo)) for combo in combos]

    def figure_for(self, **values: Any) -> tuple[str, str]:
        """The figure's (data, layout) JSON for these control values, as the widget would send it.

        Redraws ``self.figure`` on the way; the caller restores the current values afterwards.
        """
        result = self.compute(**{**self.values, **self._validated(values)})
        self.redraw(self.figure, result)
        return figure_json(self.figure._data), figure_json(self.figure._layout)

    def _predraw(self) -> None:
        states = self.option_states()
        if not states:
            return
        current = dict(self.values)
        figures = [self.figure_for(**state) for state in states if state != current]
        self.figure_for(**current)
        self.plot.predraw(figures)

    def _sync_widgets(self) -> None:
        self._syncing = True
        try:
            for name, w in self._widgets.items():
                if w.value != self.values[name]:
                    w.value = self.values[name]
        finally:
            self._syncing = False

    def _on_change(self, change) -> None:
        if self._syncing:
            return
        self.update(**{change["owner"]._course_control: change["new"]})

    @property
    def widgets(self) -> dict[str, widgets.Widget]:
        """The control widgets by control name (built on first use)."""
        if self._widgets is None:
            built = {}
            for c in self.controls:
                w = c.make_widget()
                w._course_control = c.name
                # classes let the browser tests find controls, readout and box without guessing
                w.add_class("course-control")
                w.add_class("course-slider" if c.is_numeric else "course-dropdown")
                w.observe(self._on_change, names="value")
                built[c.name] = w
            self._widgets = built
        return self._widgets

    @property
    def view(self) -> widgets.Widget:
        """Controls, help, figure and readout in one box."""
        if self._view is None:
            helps = "".join(f"<li><b>{c.description_text()}</b>: {c.help}</li>" for c in self.controls if c.help)
            self._readout = widgets.HTML(f"<b>{self.readout_text}</b>")
            self._readout.add_class("course-readout")
            parts = [widgets.HTML(f"<h4>{self.title}</h4>")] if self.title else []
            parts += list(self.widgets.values())
            if helps:
                parts.append(widgets.HTML(f"<details><summary>What the controls mean</summary><ul>{helps}</ul></details>"))
            parts += [self.plot, self._readout]
            self._view = widgets.VBox(parts)
            self._view.add_class("course-explainer")
            self._predraw()
        return self._view

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.view._repr_mimebundle_(include=include, exclude=exclude)
        bundle["text/plain"] = self.readout_text
        return bundle

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.readout_text}>"
