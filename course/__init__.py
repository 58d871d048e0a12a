"""Cancer Immunotherapy, Interactively: the helper package behind the lessons.

Rooms (arrows point down only): ``explainers`` → ``figures`` / ``checks`` /
``quiz`` → ``models`` / ``data``.  Every notebook starts with::

    from course import setup
    setup()
"""

from __future__ import annotations

__all__ = ["setup", "show"]


def setup() -> None:
    """Prepare a notebook: course Plotly template, offline-safe renderer.

    ``plotly_mimetype`` emits only ``application/vnd.plotly.v1+json``, which
    JupyterLab draws with its bundled plotly extension: no CDN fetch, a small
    deterministic output that nbval can compare.
    """
    import plotly.io as pio

    from course.figures import theme

    theme.register()
    pio.renderers.default = "plotly_mimetype"


def show(fig) -> None:
    """Display a course figure followed by its text description (for screen readers)."""
    from IPython.display import Markdown, display

    from course.figures.theme import description

    display(fig)
    display(Markdown(f"*Figure description.* {description(fig)}"))
