"""Exercise checks: ``check("01.1", answer)`` returns :class:`Feedback`."""

from course.checks import lesson00, lesson01, lesson02, lesson03, lesson04, lesson05, lesson06, lesson07, lesson08, lesson09  # noqa: F401  (register the lessons' checks)
from course.checks.core import Feedback, check, exercises

__all__ = ["Feedback", "check", "exercises"]
