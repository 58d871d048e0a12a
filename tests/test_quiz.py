import pytest

from course.quiz import Question, Quiz

Q1 = Question("Which cell kills targets that lack MHC class I?", ("NK cell", "B cell", "Mast cell"), 0,
              "NK cells sense missing self. B cells make antibodies.")
Q2 = Question("Which arm remembers?", ("innate", "adaptive"), 1, "Adaptive immunity has memory.")


def test_quiz_grades_by_clicking():
    quiz = Quiz("Self-check", [Q1, Q2])
    quiz.buttons[0].click()
    assert "Pick an option" in quiz.feedback[0].value
    quiz.choices[0].value = "B cell"
    quiz.buttons[0].click()
    assert quiz.feedback[0].value.startswith("❌") and "NK cells sense missing self" in quiz.feedback[0].value
    quiz.choices[0].value = "NK cell"
    quiz.buttons[0].click()
    assert quiz.feedback[0].value.startswith("✅")
    assert quiz.score() == 1
    quiz.choices[1].value = "adaptive"
    assert quiz.score() == 2


def test_quiz_text_form_lists_questions_not_answers():
    bundle = Quiz("Self-check", [Q1])._repr_mimebundle_()
    assert "1. Which cell" in bundle["text/plain"] and "( ) Mast cell" in bundle["text/plain"]
    assert "missing self" not in bundle["text/plain"]
    assert "application/vnd.jupyter.widget-view+json" in bundle


@pytest.mark.parametrize("options,correct", [(("only",), 0), (("a", "b"), 2)])
def test_bad_questions_are_refused(options, correct):
    with pytest.raises(ValueError):
        Question("?", options, correct, "x")


def test_empty_quiz_is_refused():
    with pytest.raises(ValueError):
        Quiz("empty", [])
