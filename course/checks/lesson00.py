"""The demonstration check of lesson 00 (how exercise checks behave)."""

from __future__ import annotations

from course.checks.core import NumberCheck, register


@register("00.1")
def _how_many_lessons():
    from course import catalogue

    return NumberCheck(expected=float(len(catalogue.LESSONS)), rel_tol=0.0, close_tol=0.15, unit="lessons",
                       minimum=0, hint_close="Count the circles on the course map again, including 00.",
                       hint_wrong="Count the circles on the course map, from 00 to the capstone.",
                       explanation="Lessons 00 to 09, the last one a capstone.")
