"""Self-check quizzes: multiple-choice questions with instant, explained feedback.

Quizzes are for the student alone (nothing is graded); exercises use
:mod:`course.checks`.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets


@dataclass(frozen=True)
class Question:
    prompt: str
    options: tuple[str, ...]
    correct: int  # index into options
    explanation: str  # why the right answer is right

    def __post_init__(self):
        if len(self.options) < 2 or not 0 <= self.correct < len(self.options):
            raise ValueError(f"question {self.prompt!r}: needs ≥ 2 options and a valid correct index")

    def feedback(self, chosen: str | None) -> tuple[bool | None, str]:
        """(is it right?, message) for the option text a student picked (None: nothing yet)."""
        if chosen is None:
            return None, "Pick an option first, then press Check."
        if chosen not in self.options:
            return None, f"{chosen!r} is not one of the options."
        if self.options.index(chosen) == self.correct:
            return True, f"✅ Right. {self.explanation}"
        return False, f"❌ Not quite — try again. Hint: {self.explanation.split('.')[0]}."


class Quiz:
    """A column of questions, each with options, a Check button and feedback."""

    def __init__(self, title: str, questions: list[Question] | tuple[Question, ...]):
        if not questions:
            raise ValueError("a quiz needs at least one question")
        self.title = title
        self.questions = tuple(questions)
        self.choices = [widgets.RadioButtons(options=q.options, value=None, layout=widgets.Layout(width="auto"))
                        for q in self.questions]
        self.buttons = [widgets.Button(description="Check", button_style="info") for _ in self.questions]
        self.feedback = [widgets.HTML("") for _ in self.questions]
        for i, button in enumerate(self.buttons):
            button.on_click(lambda _b, i=i: self.grade(i))
        self._view = None

    def grade(self, i: int) -> bool | None:
        ok, message = self.questions[i].feedback(self.choices[i].value)
        self.feedback[i].value = message
        return ok

    def score(self) -> int:
        return sum(bool(self.questions[i].feedback(c.value)[0]) for i, c in enumerate(self.choices))

    @property
    def view(self) -> widgets.Widget:
        if self._view is None:
            rows = [widgets.HTML(f"<h4>{self.title}</h4>")]
            for i, q in enumerate(self.questions):
                rows.append(widgets.VBox([widgets.HTML(f"<b>{i + 1}. {q.prompt}</b>"), self.choices[i],
                                          self.buttons[i], self.feedback[i]]))
            self._view = widgets.VBox(rows)
        return self._view

    def as_text(self) -> str:
        lines = [self.title]
        for i, q in enumerate(self.questions):
            lines.append(f"{i + 1}. {q.prompt}")
            lines += [f"   ( ) {o}" for o in q.options]
        return "\n".join(lines)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.view._repr_mimebundle_(include=include, exclude=exclude)
        bundle["text/plain"] = self.as_text()
        return bundle
