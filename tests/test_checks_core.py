"""Exercise feedback never raises and always says what is wrong."""

import math

import numpy as np
import pytest

from course.checks import core
from course.checks.core import (CLOSE, CORRECT, INVALID, NOT_ANSWERED, UNKNOWN, WRONG, ChoiceCheck,
                                NumberCheck, SequenceCheck, TextCheck)

NUM = NumberCheck(expected=100.0, rel_tol=0.02, close_tol=0.2, unit="cells", minimum=0)


@pytest.mark.parametrize("answer,status", [
    (100, CORRECT), (101.5, CORRECT), (np.float64(99.0), CORRECT), (np.array(100.0), CORRECT), (np.array([100.0]), CORRECT),
    (np.array([100.0, 1.0]), INVALID), (np.array(["100"]), INVALID),
    (110, CLOSE), (50, WRONG), (1e9, WRONG),
    ("100", INVALID), ("a hundred", INVALID), (None, INVALID), (math.nan, INVALID), (math.inf, INVALID),
    (True, INVALID), (-5, INVALID), ([100, 2], INVALID), ({"x": 1}, INVALID), (object(), INVALID),
])
def test_number_check(answer, status):
    got, message = NUM.evaluate(answer)
    assert got == status
    assert message and "Traceback" not in message


def test_number_check_messages_say_how_to_fix():
    assert "remove the quotes" in NUM.evaluate("100")[1]
    assert "NaN" in NUM.evaluate(math.nan)[1]
    assert "None" in NUM.evaluate(None)[1]
    assert "sign" in NUM.evaluate(-1)[1]
    assert "one number" in NUM.evaluate([1, 2])[1]


CHOICE = ChoiceCheck(options={"A": "NK cell", "B": "B cell"}, correct="A", why={"A": "missing self", "B": "antibodies"})


@pytest.mark.parametrize("answer,status", [
    ("A", CORRECT), (" a ", CORRECT), ("A)", CORRECT), ("nk cell", CORRECT), ("B", WRONG),
    ("C", INVALID), (1, INVALID), (None, INVALID), (["A"], INVALID),
])
def test_choice_check(answer, status):
    assert CHOICE.evaluate(answer)[0] == status


SEQ = SequenceCheck(expected=("elimination", "equilibrium", "escape"),
                    vocabulary=("elimination", "equilibrium", "escape", "invasion"))


@pytest.mark.parametrize("answer,status", [
    (["elimination", "equilibrium", "escape"], CORRECT), (("Elimination", " equilibrium", "ESCAPE"), CORRECT),
    (["escape", "equilibrium", "elimination"], CLOSE), (["elimination", "invasion", "escape"], WRONG),
    (["elimination", "equilibrium"], INVALID), ("elimination, equilibrium, escape", INVALID),
    (["elimination", 2, "escape"], INVALID), (["elimination", "growth", "escape"], INVALID), (None, INVALID),
])
def test_sequence_check(answer, status):
    assert SEQ.evaluate(answer)[0] == status


def test_sequence_wrong_length_says_how_many():
    assert "exactly 3" in SEQ.evaluate(["elimination"])[1]


TEXT = TextCheck(accepted=("melanoma", "cutaneous melanoma"))


@pytest.mark.parametrize("answer,status", [
    ("Melanoma", CORRECT), ("cutaneous  melanoma", CORRECT), ("lung", WRONG), ("", INVALID), (3, INVALID)])
def test_text_check(answer, status):
    assert TEXT.evaluate(answer)[0] == status


def test_check_dispatch_handles_ellipsis_and_unknown_ids(monkeypatch):
    monkeypatch.setitem(core._REGISTRY, "99.1", lambda: NUM)
    assert core.check("99.1", ...).status == NOT_ANSWERED
    assert core.check("99.1", 100).correct
    assert core.check("99.9", 1).status == UNKNOWN
    fb = core.check("99.1", "x")
    assert fb.status == INVALID and "Exercise 99.1" in str(fb) and "99.1" in fb._repr_html_()


def test_feedback_html_escapes_student_text(monkeypatch):
    monkeypatch.setitem(core._REGISTRY, "99.2", lambda: TEXT)
    assert "<script>" not in core.check("99.2", "<script>")._repr_html_()
