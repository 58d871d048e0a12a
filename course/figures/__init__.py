"""Figure builders: (model result or data) -> ``plotly.graph_objects.Figure``.

Every builder attaches a one-paragraph description in ``layout.meta.description``
(read it with :func:`course.figures.theme.description`).
"""
