"""The quiz engine's parts: safe arithmetic, parsers, markers, variant seeds, state, the review schedule."""

from __future__ import annotations

import json
import math
import random
import time

import pytest

from grader.progress import state
from grader.quiz import review
from grader.quiz.arith import ArithmeticFormatError, evaluate
from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Order, Predict, Shape, Variant, distinct
from grader.quiz.marking import longest_common_subsequence
from grader.quiz.parsers import FormatError
from grader.quiz.session import answer, grade_answers, load_answers, Quiz
from grader.quiz.variants import checked_variant, pose, question_rng, quiz_variant


# --- safe arithmetic ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("3*3*3*16 + 16", 448), ("1/3", 1 / 3), ("exp(-1)", math.exp(-1)), ("sqrt(512)", math.sqrt(512)),
    ("1792", 1792), ("-2.5e-3", -2.5e-3), ("(1 + 2) * 3", 9), ("2**10", 1024), ("2^10", 1024), ("pi", math.pi),
    ("e", math.e), ("log(e**2)", 2.0), ("+4", 4), ("1_000", 1000), (" 7 ", 7),
])
def test_arithmetic_accepts_numbers_and_expressions(text, value):
    assert evaluate(text) == pytest.approx(value, rel=1e-15)


def test_integer_arithmetic_stays_exact():
    assert evaluate("3*3*3*16 + 16") == 448 and isinstance(evaluate("3*3*3*16 + 16"), int)
    assert evaluate("2**62 + 1") == 2**62 + 1  # not rounded through a float


@pytest.mark.parametrize("text", [
    "__import__('os')", "().__class__", "x", "os.system('ls')", "sqrt.__doc__", "[1, 2]", "1, 2", "'1'",
    "lambda: 1", "1 if 1 else 2", "abs(-1)", "sqrt(4, 2)", "sqrt(x=4)", "1 < 2", "1 // 2", "5 % 3", "True",
    "1j", "f'{1}'", "exp(1000)", "log(0)", "sqrt(-1)", "1/0", "1e999", "(-8) ** 0.5", "", "   ", "1" * 300,
    "globals()", "open('f')",
])
def test_arithmetic_refuses_anything_else(text):
    with pytest.raises(ArithmeticFormatError):
        evaluate(text)


@pytest.mark.parametrize("text", ["9**9**9", "2**100000", "10**10**10", "(10**300)**(10**300)", "9**9**9**9",
                                  "99999999999**99999999"])
def test_huge_exponents_are_refused_at_once(text):
    started = time.process_time()
    with pytest.raises(ArithmeticFormatError):
        evaluate(text)
    assert time.process_time() - started < 2.0  # CPU time: a hang would be minutes (generous under load)


def test_arithmetic_messages_name_the_problem():
    with pytest.raises(ArithmeticFormatError, match="unknown name 'x'"):
        evaluate("x + 1")
    with pytest.raises(ArithmeticFormatError, match="attribute access"):
        evaluate("e.real")
    with pytest.raises(ArithmeticFormatError, match="exponent"):
        evaluate("9**9**9")


# --- kinds: parsers and markers ---------------------------------------------------------------

CHOICE = Choice("c", "Pick", options=[Option("right", correct=True), Option("wrong 1", feedback="why 1"),
                                      Option("wrong 2", feedback="why 2")], explanation="because")
MULTI = Multi("m", "Tick", options=[Option("r1", correct=True), Option("r2", correct=True),
                                    Option("w1", feedback="f1"), Option("w2", feedback="f2")])
ORDER = Order("o", "Sort", steps=["s1", "s2", "s3", "s4"])


def _numeric_draw(rng, ref):
    return Variant("How many?", 1792, parameters=dict(c_in=3),
                   misconceptions=(Misconception("forgot the bias", 1728, "add c_out"),))


NUMERIC = Numeric("n", draw=_numeric_draw, exact=True)
FLOATY = Numeric("f", draw=lambda rng, ref: Variant("p?", 0.0900306, misconceptions=(
    Misconception("sigmoid", 0.7310586, "not sigmoid"),)), rtol=1e-3)
SHAPE = Shape("s", draw=lambda rng, ref: Variant("shape?", (32, 10, 64),
                                                 misconceptions=(Misconception("transposed", (32, 64, 10), "t"),)))
PREDICT = Predict("p", draw=lambda rng, ref: Variant("prints?", (0.0, 1.0, 0.0, 1.0), code="print(x)"), atol=1e-9)
PREDICT_TEXT = Predict("t", draw=lambda rng, ref: Variant("prints?", True, code="print(True)"))


def posed(question, variant="3f9a"):
    return pose(question, "topic", variant, None)


def letter(p, text):
    return "abcdefgh"[[o.text for o in p.options].index(text)]


def test_choice_right_wrong_with_feedback_and_format_errors():
    p = posed(CHOICE)
    assert answer(p, letter(p, "right")).status == "correct"
    wrong = answer(p, letter(p, "wrong 2").upper())
    assert wrong.status == "wrong" and wrong.feedback == ["why 2"] and wrong.points == 0
    for bad in ("a b", "z", "1", "ab"):
        with pytest.raises(FormatError):
            answer(p, bad)


def test_multi_partial_credit_is_percent_correct():
    p = posed(MULTI)
    r1, r2, w1 = letter(p, "r1"), letter(p, "r2"), letter(p, "w1")
    assert answer(p, f"{r1} {r2}").points == 1.0
    assert answer(p, f"{r1},{r2}").points == 1.0
    assert answer(p, f"{r1}").points == 0.5  # 1 right of 2
    assert answer(p, f"{r1} {r2} {w1}").points == 0.5  # (2 - 1) / 2
    assert answer(p, f"{r1} {w1}").points == 0.0  # (1 - 1) / 2
    assert answer(p, f"{w1}").points == 0.0  # floor at 0
    assert any("f1" in f for f in answer(p, f"{r1} {w1}").feedback)
    with pytest.raises(FormatError):
        answer(p, f"{r1} {r1}")
    with pytest.raises(FormatError):
        answer(p, "q")


def test_order_partial_credit_by_longest_common_subsequence():
    p = posed(ORDER)
    right = p.correct_steps
    assert list(p.steps) != ["s1", "s2", "s3", "s4"]  # shown shuffled
    assert answer(p, " ".join(map(str, right))).points == 1.0
    assert answer(p, " ".join(map(str, reversed(right)))).points == 0.0
    one_moved = (right[1], right[0], right[2], right[3])  # lcs 3 of 4
    assert answer(p, " ".join(map(str, one_moved))).points == pytest.approx(2 / 3)
    for bad in ("1 2 3", "1 1 2 3", "1 2 3 5", "a b c d"):
        with pytest.raises(FormatError):
            answer(p, bad)
    assert longest_common_subsequence([1, 3, 2, 4], [1, 2, 3, 4]) == 3


def test_numeric_accepts_expressions_and_names_misconceptions():
    p = posed(NUMERIC)
    assert answer(p, "1792").status == "correct"
    assert answer(p, "3*3*3*64 + 64").status == "correct"
    assert answer(p, "1792.0").status == "correct"
    assert answer(p, "1793").status == "wrong"  # exact: one off is wrong
    wrong = answer(p, "27*64")
    assert wrong.status == "wrong" and wrong.misconception == "forgot the bias" and wrong.feedback[0] == "add c_out"
    assert answer(p, "1000").misconception is None
    with pytest.raises(FormatError):
        answer(p, "__import__('os')")


def test_numeric_tolerance():
    p = posed(FLOATY)
    assert answer(p, "0.09003").status == "correct"
    assert answer(p, "exp(1)/(exp(1)+exp(2)+exp(3))").status == "correct"
    assert answer(p, "0.0905").status == "wrong"
    assert answer(p, "0.7311").misconception == "sigmoid"


@pytest.mark.parametrize("text", ["(32, 10, 64)", "32, 10, 64", "(32,10,64,)", " ( 32 , 10 , 64 ) ", "32 10 64"])
def test_shape_forms(text):
    assert answer(posed(SHAPE), text).status == "correct"


def test_shape_wrong_and_format_errors():
    p = posed(SHAPE)
    assert answer(p, "(32, 64, 10)").misconception == "transposed"
    assert answer(p, "(32, 10)").status == "wrong"  # a missing axis is a wrong answer, not a format error
    for bad in ("(32, 10.5, 64)", "((32, 10)", "[32; x]", "(-1, 10, 64)"):
        with pytest.raises(FormatError):
            answer(p, bad)


def test_predict_reads_printed_arrays_and_text():
    p = posed(PREDICT)
    assert answer(p, "[0. 1. 0. 1.]").status == "correct"
    assert answer(p, "0, 1, 0, 1").status == "correct"
    assert answer(p, "[1. 0. 1. 0.]").status == "wrong"
    assert answer(posed(PREDICT_TEXT), "true").status == "correct"
    with pytest.raises(FormatError):
        answer(posed(PREDICT_TEXT), "yes")


def test_distinct_drops_misconceptions_that_coincide_on_a_variant():
    kept = distinct(10, [Misconception("same as answer", 10.0000001, ""), Misconception("a", 12, ""),
                         Misconception("same as a", 12, ""), Misconception("b", (1, 2), "")], rtol=1e-6)
    assert [m.name for m in kept] == ["a", "b"]


# --- variants ---------------------------------------------------------------------------------

def test_variant_seeds_are_pinned():
    """The derivation is part of the product: a change would show every learner new numbers."""
    assert quiz_variant("mlkatas", "ada@example.org", "conv_params", 1) == quiz_variant(
        "mlkatas", "ada@example.org", "conv_params", 1)
    pinned = {quiz_variant("mlkatas", "ada@example.org", "conv_params", attempt) for attempt in (1, 2, 3)}
    assert len(pinned) == 3
    assert quiz_variant("mlkatas", "ada@example.org", "conv_params", 1) == "140f"
    assert question_rng("3f9a", "conv_params", "param_count").random() == pytest.approx(0.6763065368139669, rel=1e-15)


def test_variant_depends_on_every_ingredient():
    base = ("mlkatas", "ada", "softmax", 1)
    for index, other in enumerate(("other-course", "bob", "mle", 2)):
        changed = list(base)
        changed[index] = other
        assert quiz_variant(*changed) != quiz_variant(*base)


def test_conv_params_variant_parameters_are_pinned():
    """random.Random(str) is stable across Python versions: these drawn numbers must never move
    (a change would show every learner, and every instructor reproducing a variant, other numbers)."""
    from grader.quiz import banks

    questions = {q.id: q for q in banks.load("conv_params")}
    drawn = pose(questions["param_count"], "conv_params", "3f9a", banks.reference("conv_params"))
    assert drawn.parameters == {"c_in": 64, "c_out": 8, "kernel_size": 5}
    assert drawn.answer == 12808
    drawn = pose(questions["param_count"], "conv_params", "140f", banks.reference("conv_params"))
    assert drawn.parameters == {"c_in": 4, "c_out": 64, "kernel_size": 5} and drawn.answer == 6464
    softmax = {q.id: q for q in banks.load("softmax")}["probability"]
    drawn = pose(softmax, "softmax", "3f9a", banks.reference("softmax"))
    assert drawn.parameters == {"z": (2, 1, 5), "index": 2}
    assert drawn.answer == pytest.approx(math.exp(5) / (math.exp(2) + math.exp(1) + math.exp(5)), rel=1e-12)
    svd = {q.id: q for q in banks.load("svd")}["eckart_young"]
    drawn = pose(svd, "svd", "beef", banks.reference("svd"))
    assert drawn.parameters == {"singular_values": (12, 11, 9, 7), "k": 1}
    assert drawn.answer == pytest.approx(math.sqrt(11**2 + 9**2 + 7**2), rel=1e-12)


def test_checked_variant():
    assert checked_variant(" 3F9A ") == "3f9a"
    for bad in ("3f9", "xyz1", "3f9a0", ""):
        with pytest.raises(ValueError):
            checked_variant(bad)


def test_options_are_shuffled_per_variant_but_stable():
    orders = {tuple(o.text for o in posed(MULTI, quiz_variant("c", "l", "t", n)).options) for n in range(20)}
    assert len(orders) > 3
    assert posed(MULTI, "0001").options == posed(MULTI, "0001").options


# --- answers files ----------------------------------------------------------------------------

def test_answers_file_toml_and_json(tmp_path):
    toml = tmp_path / "a.toml"
    toml.write_text('n = "3*3*3*64 + 64"\ns = [32, 10, 64]\nc = "a"\nx = 1.5\n')
    assert load_answers(toml) == {"n": "3*3*3*64 + 64", "s": "32 10 64", "c": "a", "x": "1.5"}
    data = tmp_path / "a.json"
    data.write_text(json.dumps({"n": 1792}))
    assert load_answers(data) == {"n": "1792"}
    data.write_text("{not json")
    with pytest.raises(ValueError, match="not valid JSON"):
        load_answers(data)
    data.write_text(json.dumps({"n": {"nested": 1}}))
    with pytest.raises(ValueError, match="answer to n"):
        load_answers(data)


def test_answers_graded_unanswered_and_unreadable():
    quiz = Quiz("topic", "Title", "3f9a", [posed(NUMERIC), posed(SHAPE), posed(CHOICE)])
    result = grade_answers(quiz, {"n": "1792", "s": "(32, 10"})
    assert [q.status for q in result.questions] == ["correct", "invalid", "unanswered"]
    assert result.score == 1.0 and result.max_score == 3.0
    assert result.missed == ["s"]
    with pytest.raises(ValueError, match="does not have: zz"):
        grade_answers(quiz, {"zz": "1"})


# --- state and review -------------------------------------------------------------------------

def test_quiz_state_round_trips_and_keeps_topic_state(tmp_path):
    learner = state.load(tmp_path)
    learner.topic("softmax").hints_revealed = 2
    quiz = learner.quiz("softmax")
    quiz.attempts, quiz.best_score, quiz.max_score, quiz.missed = 2, 7.0, 10.0, ["why_shift"]
    review.schedule(quiz, "why_shift", False, now=1000.0)
    learner.save()
    again = state.load(tmp_path)
    assert again.warning is None
    assert again.topic("softmax").hints_revealed == 2
    assert again.quizzes["softmax"].best_score == 7.0 and again.quizzes["softmax"].missed == ["why_shift"]
    assert again.quizzes["softmax"].cards["why_shift"] == state.ReviewCard(box=1, due=1000.0, reviews=0)


def test_damaged_quiz_entry_is_set_aside_not_a_crash(tmp_path):
    path = tmp_path / ".grade" / "state.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"format_version": 1, "topics": {}, "quizzes": {"softmax": {"cards": [1, 2]}}}))
    loaded = state.load(tmp_path)
    assert loaded.warning and "could not be read" in loaded.warning and loaded.quizzes == {}
    assert list(path.parent.glob("state.damaged-*.json"))


def test_leitner_boxes():
    quiz = state.QuizState()
    day = review.DAY
    card = review.schedule(quiz, "q", True, now=0.0)
    assert (card.box, card.due) == (1, 1 * day)
    card = review.schedule(quiz, "q", True, now=10.0, reviewed=True)
    assert (card.box, card.due, card.reviews) == (2, 10.0 + 3 * day, 1)
    card = review.schedule(quiz, "q", True, now=20.0, reviewed=True)
    assert (card.box, card.due) == (3, 20.0 + 7 * day)
    card = review.schedule(quiz, "q", True, now=30.0, reviewed=True)
    assert (card.box, card.due) == (4, 30.0 + 21 * day)
    card = review.schedule(quiz, "q", True, now=40.0, reviewed=True)
    assert (card.box, card.due) == (4, 40.0 + 21 * day)  # the top box stays the top box
    card = review.schedule(quiz, "q", False, now=50.0, reviewed=True)
    assert (card.box, card.due, card.reviews) == (1, 50.0, 5)  # missed: back to box 1, due now


def test_due_orders_by_waiting_time_and_ignores_removed_questions(tmp_path):
    learner = state.load(tmp_path)
    review.schedule(learner.quiz("mle"), "a", False, now=5.0)
    review.schedule(learner.quiz("softmax"), "b", False, now=1.0)
    review.schedule(learner.quiz("softmax"), "gone", False, now=0.0)
    review.schedule(learner.quiz("softmax"), "later", True, now=0.0)
    known = {"mle": {"a"}, "softmax": {"b", "later"}}
    due = review.due(learner, ["softmax", "mle"], now=10.0, known=known)
    assert [(d.topic, d.question_id) for d in due] == [("softmax", "b"), ("mle", "a")]
    assert review.next_due(learner, known) == 1.0


def test_review_variants_are_fresh_each_time():
    card = state.ReviewCard(box=1, due=0.0, reviews=0)
    first = review.review_variant("mlkatas", "ada", "softmax", "probability", card)
    second = review.review_variant("mlkatas", "ada", "softmax", "probability",
                                   state.ReviewCard(box=2, due=0.0, reviews=1))
    assert first != second


def test_rng_stream_is_version_stable():
    """random.Random(str) hashes the string with SHA-512 (version 2 seeding): no PYTHONHASHSEED dependence."""
    assert random.Random("mlkatas").randrange(1000) == random.Random("mlkatas").randrange(1000)


def test_a_broken_bank_is_named_not_a_crash(monkeypatch):
    import sys
    import types

    from grader.quiz import banks
    from grader.quiz.variants import BankError

    def explode(rng, ref):
        raise ZeroDivisionError("oops")

    with pytest.raises(BankError, match=r"topic.n: draw\(\) failed in variant 3f9a: ZeroDivisionError"):
        pose(Numeric("n", draw=explode), "topic", "3f9a", None)
    broken = types.ModuleType("grader.quizzes.softmax")
    broken.QUESTIONS = [CHOICE, CHOICE]
    monkeypatch.setitem(sys.modules, "grader.quizzes.softmax", broken)
    with pytest.raises(BankError, match="unique"):
        banks.load("softmax")
    broken.QUESTIONS = [Choice("c", "?", options=[Option("a", correct=True), Option("b")])]
    with pytest.raises(BankError, match="needs feedback"):
        banks.load("softmax")
    broken.QUESTIONS = [Order("o", "?", steps=["a", "b"])]
    with pytest.raises(BankError, match="3 to 6 steps"):
        banks.load("softmax")
