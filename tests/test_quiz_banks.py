"""Every question of every bank in grader/quizzes/ (new banks are picked up by name): its answer
key is accepted by its own grader, each misconception fails and is named as itself, each wrong
option carries feedback, and 50 variants of each parameterized question are valid questions."""

from __future__ import annotations

import contextlib
import io
import math
import sys

import pytest

from grader.quiz import banks
from grader.quiz.marking import correct_text, format_value, mark, matches
from grader.quiz.parsers import label, parse
from grader.quiz.session import answer
from grader.quiz.variants import pose, quiz_variant

TOPICS = banks.topics_with_banks()
VARIANTS = [quiz_variant("tests", "learner@example.org", "any", attempt) for attempt in range(50)]
HEADLINE = ("softmax", "mle", "backprop", "conv_params", "ewma", "positional_encoding", "attention", "svd",
            "mf_sgd", "local_level")
PARAMETERIZED = ("numeric", "shape", "predict")


def questions():
    return [pytest.param(topic, q, id=f"{topic}.{q.id}") for topic in TOPICS for q in banks.load(topic)]


def variants_of(question):
    return VARIANTS if question.kind in PARAMETERIZED else VARIANTS[:5]


def test_every_headline_topic_has_a_bank_worth_taking():
    for topic in HEADLINE:
        assert topic in TOPICS, f"{topic} has no quiz bank"
        questions = banks.load(topic)
        kinds = {q.kind for q in questions}
        assert len(questions) >= 6, topic
        assert len(kinds) >= 3, (topic, kinds)
        assert sum(q.kind in PARAMETERIZED for q in questions) >= 2, topic


def test_every_bank_names_a_catalog_topic():
    from grader.course import catalog

    assert set(TOPICS) <= set(catalog.load().names)


@pytest.mark.parametrize("topic, question", questions())
def test_answer_key_is_accepted_and_every_misconception_is_named(topic, question):
    reference = banks.reference(topic) if question.kind in PARAMETERIZED else None
    for variant in variants_of(question):
        posed = pose(question, topic, variant, reference)
        where = f"{topic}.{question.id} variant {variant}"
        assert posed.prompt.strip() and posed.explanation.strip(), where
        if question.kind in PARAMETERIZED:
            _check_value_question(posed, where)
        else:
            _check_fixed_question(posed, where)


def _check_value_question(posed, where):
    for value in _numbers(posed.answer):
        assert math.isfinite(value), f"{where}: the answer {posed.answer!r} is not finite"
    shown = correct_text(posed)
    result = answer(posed, shown)  # what the learner is told is right must be graded right
    assert result.status == "correct", f"{where}: the shown answer {shown!r} is marked {result.status}"
    names = [m.name for m in posed.misconceptions]
    assert len(set(names)) == len(names), f"{where}: misconception names repeat"
    for misconception in posed.misconceptions:
        for value in _numbers(misconception.value):
            assert math.isfinite(value), f"{where}: {misconception.name} is not finite"
        assert not matches(posed, misconception.value, posed.answer, scale=2.0), \
            f"{where}: '{misconception.name}' gives the right answer ({posed.answer!r}) in this variant"
        for other in posed.misconceptions:
            if other is not misconception:
                assert not matches(posed, misconception.value, other.value, scale=2.0), \
                    f"{where}: '{misconception.name}' and '{other.name}' give the same value"
        typed = format_value(misconception.value)
        result = answer(posed, typed)
        assert result.status == "wrong" and result.misconception == misconception.name, \
            f"{where}: typing {typed!r} should be named '{misconception.name}', got {result.misconception!r}"
        assert misconception.explanation.strip() and result.feedback[0] == misconception.explanation
    if posed.kind == "predict":
        _check_snippet_prints_the_answer(posed, where)
        long = [line for line in posed.code.splitlines() if len(line) > 76]
        assert not long, f"{where}: code lines wrap at 80 columns (shown indented by 4): {long}"


def _check_fixed_question(posed, where):
    if posed.kind == "choice":
        for index, option in enumerate(posed.options):
            result = answer(posed, label(index))
            assert result.status == ("correct" if option.correct else "wrong"), where
            if not option.correct:
                assert option.feedback.strip() and result.feedback == [option.feedback], where
    elif posed.kind == "multi":
        right = " ".join(label(i) for i, o in enumerate(posed.options) if o.correct)
        assert answer(posed, right).status == "correct", where
        assert answer(posed, correct_text(posed)).status == "correct", where
        for index, option in enumerate(posed.options):
            if not option.correct:
                assert option.feedback.strip(), where
                alone = mark(posed, parse(posed, label(index)))
                assert alone.fraction == 0 and any(option.feedback in f for f in alone.feedback), where
        everything = " ".join(label(i) for i in range(len(posed.options)))
        if any(not o.correct for o in posed.options):
            assert answer(posed, everything).status != "correct", f"{where}: ticking everything is full marks"
    elif posed.kind == "order":
        assert answer(posed, correct_text(posed)).status == "correct", where
        reversed_order = " ".join(str(n) for n in reversed(posed.correct_steps))
        assert answer(posed, reversed_order).points == 0, where
        assert list(posed.steps) != list(posed.question.steps), f"{where}: shown already in order"


def _check_snippet_prints_the_answer(posed, where):
    """Run the snippet with the reference standing in for the learner's module: it prints the answer."""
    module = banks.reference(posed.topic)
    saved = sys.modules.get(posed.topic)
    sys.modules[posed.topic] = module
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(posed.code, f"<{where}>", "exec"), {})
    finally:
        if saved is None:
            sys.modules.pop(posed.topic, None)
        else:
            sys.modules[posed.topic] = saved
    text = printed.getvalue().strip()
    assert text, f"{where}: the snippet prints nothing"
    result = answer(posed, text)
    assert result.status == "correct", f"{where}: the snippet prints {text!r}, the key is {posed.answer!r}"


def _numbers(value):
    if isinstance(value, bool) or isinstance(value, str):
        return []
    if isinstance(value, (int, float)):
        return [float(value)]
    return [float(v) for item in value for v in _numbers(item)]


@pytest.mark.parametrize("topic", TOPICS)
def test_variants_differ_and_repeat(topic):
    """The same variant draws the same question every time; different variants draw different numbers."""
    questions = [q for q in banks.load(topic) if q.kind in PARAMETERIZED]
    reference = banks.reference(topic)
    for question in questions:
        first = [pose(question, topic, v, reference) for v in VARIANTS[:20]]
        again = [pose(question, topic, v, reference) for v in VARIANTS[:20]]
        assert [p.prompt for p in first] == [p.prompt for p in again]
        assert len({p.prompt + p.code for p in first}) > 1, f"{topic}.{question.id} never varies"
        assert all(p.parameters for p in first), f"{topic}.{question.id} reports no drawn parameters"


@pytest.mark.parametrize("topic", HEADLINE)
def test_headline_numeric_questions_name_a_misconception_in_every_variant(topic):
    """A variant where every known wrong formula coincides with the answer would teach nothing."""
    reference = banks.reference(topic)
    for question in banks.load(topic):
        if question.kind == "numeric":
            for variant in VARIANTS:
                assert pose(question, topic, variant, reference).misconceptions, f"{topic}.{question.id} {variant}"
