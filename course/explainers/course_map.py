"""Lesson 00: pick a lesson, see where it sits and what to do first."""

from __future__ import annotations

from course import catalogue
from course.explainers.base import Control, Explainer
from course.figures.course_map import course_map, highlight


class CourseMap(Explainer):
    title = "Course map"
    controls = (
        Control("lesson", "Lesson", default="01",
                options=tuple(item.number for item in catalogue.LESSONS),
                help="choose a lesson to highlight it and every lesson it builds on"),
    )

    def build_figure(self):
        return course_map(self.values["lesson"])

    def compute(self, lesson):
        return lesson

    def redraw(self, fig, number):
        marks = highlight(number)
        fig.data[1].x, fig.data[1].y = marks["edge_x"], marks["edge_y"]
        fig.data[2].marker.color = marks["colours"]
        fig.data[2].marker.size = marks["sizes"]

    def summary(self, number):
        item = catalogue.lesson(number)
        before = sorted(catalogue.all_prerequisites(number))
        path = ", ".join(before) if before else "nothing"
        status = "available now" if item.available else "in preparation"
        return (f"Lesson {item.number} — {item.title} ({item.minutes} min, {status}). "
                f"Do first: {path}. {item.summary}")
