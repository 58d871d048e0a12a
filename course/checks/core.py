"""Exercise feedback: correct / close / wrong / not answered yet / unreadable answer.

A check never raises on what a student types: every answer, however malformed,
comes back as :class:`Feedback` that says what is wrong and how to fix it.
"""

from __future__ import annotations

import html
import math
import numbers
import re
from dataclasses import dataclass
from typing import Any, Callable

CORRECT, CLOSE, WRONG, NOT_ANSWERED, INVALID, UNKNOWN = (
    "correct", "close", "wrong", "not answered", "invalid answer", "unknown exercise")

_STYLE = {
    CORRECT: ("✅", "#009E73"),
    CLOSE: ("🟡", "#E69F00"),
    WRONG: ("❌", "#D55E00"),
    NOT_ANSWERED: ("✏️", "#56B4E9"),
    INVALID: ("⚠️", "#CC79A7"),
    UNKNOWN: ("⚠️", "#CC79A7"),
}


@dataclass(frozen=True)
class Feedback:
    exercise: str
    status: str
    message: str

    @property
    def correct(self) -> bool:
        return self.status == CORRECT

    def __str__(self) -> str:
        icon, _ = _STYLE[self.status]
        return f"{icon} Exercise {self.exercise} — {self.status}: {self.message}"

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        icon, colour = _STYLE[self.status]
        return (f'<div style="border-left:6px solid {colour};padding:6px 10px;margin:4px 0">'
                f"{icon} <b>Exercise {html.escape(self.exercise)} — {html.escape(self.status)}</b>: "
                f"{html.escape(self.message)}</div>")


def _type_name(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, str):
        return f"the text {value!r}"
    return f"a {type(value).__name__}"


def _number_from(value: Any) -> float | str:
    """A real number from ``value``, or a message explaining why it is not one."""
    if isinstance(value, bool):
        return f"you gave {value}, a True/False value; give a number instead"
    if isinstance(value, numbers.Real):
        x = float(value)
        if math.isnan(x):
            return "your answer is NaN (not a number): check the calculation that produced it"
        if math.isinf(x):
            return "your answer is infinite: check for a division by zero"
        return x
    if getattr(value, "size", None) == 1 and hasattr(value, "item"):  # numpy/pandas holding one number
        return _number_from(value.item())
    if isinstance(value, str):
        try:
            float(value.replace(",", ""))
        except ValueError:
            return f"you gave {_type_name(value)}; give a number such as 12.5 (no quotes, no units)"
        return f"you gave {_type_name(value)}, which is text; remove the quotes so it is a number"
    if value is None:
        return "your answer is None: assign a number to the variable (e.g. answer = 12.5)"
    if isinstance(value, (list, tuple, set, dict)) or hasattr(value, "__len__"):
        return f"you gave {_type_name(value)} of several values; give one number"
    return f"you gave {_type_name(value)}; give one number"


class Check:
    """Base class of one exercise's check."""

    def evaluate(self, answer: Any) -> tuple[str, str]:
        raise NotImplementedError


@dataclass(frozen=True)
class NumberCheck(Check):
    """A numeric answer, right within ``rel_tol``, close within ``close_tol``."""

    expected: float
    rel_tol: float
    close_tol: float
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    hint_close: str = ""
    hint_wrong: str = ""
    explanation: str = ""

    def evaluate(self, answer):
        x = _number_from(answer)
        if isinstance(x, str):
            return INVALID, x
        unit = f" {self.unit}" if self.unit else ""
        if self.minimum is not None and x < self.minimum:
            return INVALID, f"{x:g}{unit} is below {self.minimum:g}{unit}, which is impossible here: check the sign"
        if self.maximum is not None and x > self.maximum:
            return INVALID, f"{x:g}{unit} is above {self.maximum:g}{unit}, which is impossible here: check the units"
        error = abs(x - self.expected) / max(abs(self.expected), 1e-300)
        if error <= self.rel_tol:
            return CORRECT, f"{x:.4g}{unit} is right. {self.explanation}".strip()
        if error <= self.close_tol:
            return CLOSE, f"{x:.4g}{unit} is close (within {self.close_tol:.0%}) but not within {self.rel_tol:.0%}. {self.hint_close}".strip()
        return WRONG, f"{x:.4g}{unit} is not right. {self.hint_wrong}".strip()


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-–]+", " ", text.strip().lower())


@dataclass(frozen=True)
class ChoiceCheck(Check):
    """Multiple choice: the student answers with an option's letter (or its text)."""

    options: dict[str, str]  # letter -> option text
    correct: str
    why: dict[str, str]  # letter -> why that option is right or wrong

    def evaluate(self, answer):
        letters = ", ".join(f"'{k}'" for k in self.options)
        if not isinstance(answer, str):
            return INVALID, f"you gave {_type_name(answer)}; answer with one letter in quotes: {letters}"
        key = answer.strip().upper().rstrip(").")
        if key not in self.options:
            by_text = {_norm(v): k for k, v in self.options.items()}
            key = by_text.get(_norm(answer), "")
        if key not in self.options:
            return INVALID, f"{answer!r} is not one of the options; answer with one of {letters}"
        if key == self.correct:
            return CORRECT, f"{key} is right. {self.why.get(key, '')}".strip()
        return WRONG, f"{key} is not right. {self.why.get(key, '')}".strip()


@dataclass(frozen=True)
class SequenceCheck(Check):
    """An ordered list of terms drawn from a vocabulary (case and spacing ignored)."""

    expected: tuple[str, ...]
    vocabulary: tuple[str, ...]
    hint_order: str = ""
    explanation: str = ""

    def evaluate(self, answer):
        n = len(self.expected)
        if isinstance(answer, str) or not isinstance(answer, (list, tuple)):
            return INVALID, (f"you gave {_type_name(answer)}; give a list of {n} terms in quotes, "
                             f"e.g. {list(self.vocabulary[:n])}")
        if len(answer) != n:
            return INVALID, f"your list has {len(answer)} item(s); it needs exactly {n}"
        vocab = {_norm(v): v for v in self.vocabulary}
        given = []
        for item in answer:
            if not isinstance(item, str) or _norm(item) not in vocab:
                return INVALID, f"{item!r} is not one of the allowed terms {list(self.vocabulary)}"
            given.append(vocab[_norm(item)])
        if tuple(given) == self.expected:
            return CORRECT, f"{' → '.join(given)} is right. {self.explanation}".strip()
        if sorted(given) == sorted(self.expected):
            return CLOSE, f"the right terms, in the wrong order. {self.hint_order}".strip()
        return WRONG, "not the right terms: each term appears exactly once in the answer."


@dataclass(frozen=True)
class TextCheck(Check):
    """A short text answer matched against accepted spellings."""

    accepted: tuple[str, ...]
    hint_wrong: str = ""
    explanation: str = ""

    def evaluate(self, answer):
        if not isinstance(answer, str):
            return INVALID, f"you gave {_type_name(answer)}; answer with text in quotes, e.g. 'melanoma'"
        if not answer.strip():
            return INVALID, "your answer is empty text; write the name in the quotes"
        if _norm(answer) in {_norm(a) for a in self.accepted}:
            return CORRECT, f"{answer.strip()} is right. {self.explanation}".strip()
        return WRONG, f"{answer.strip()!r} is not right. {self.hint_wrong}".strip()


_REGISTRY: dict[str, Callable[[], Check]] = {}


def register(exercise: str):
    """Decorator: ``@register("01.1")`` on a function returning that exercise's Check."""
    def wrap(factory: Callable[[], Check]):
        _REGISTRY[exercise] = factory
        return factory
    return wrap


def exercises() -> list[str]:
    return sorted(_REGISTRY)


def check(exercise: str, answer: Any) -> Feedback:
    """Feedback on ``answer`` to ``exercise``; never raises."""
    if exercise not in _REGISTRY:
        return Feedback(str(exercise), UNKNOWN, f"there is no exercise {exercise!r}; exercises are {exercises()}")
    if answer is Ellipsis:
        return Feedback(exercise, NOT_ANSWERED, "replace the ... with your answer, then run this cell again.")
    status, message = _REGISTRY[exercise]().evaluate(answer)
    return Feedback(exercise, status, message)
