"""What every question bank must satisfy, and a loop over the variants of a parameterized question."""

from __future__ import annotations

import math
import random

from grader.judging.checks import Reference
from grader.quiz.bank import KINDS, Choice, Multi, Numeric, Order, Predict, Shape

SEEDS = range(50)
PARAMETERIZED = (Numeric, Shape, Predict)


def check_bank_shape(questions) -> None:
    """>= 6 questions of >= 3 kinds, >= 2 parameterized, unique ids, feedback on every wrong option."""
    assert len(questions) >= 6
    kinds = {q.kind for q in questions}
    assert len(kinds) >= 3 and kinds <= set(KINDS)
    assert sum(isinstance(q, PARAMETERIZED) for q in questions) >= 2
    assert len({q.id for q in questions}) == len(questions)
    for q in questions:
        if isinstance(q, (Choice, Multi)):
            right = [o for o in q.options if o.correct]
            assert (len(right) == 1) if isinstance(q, Choice) else right, q.id
            assert all(o.feedback.strip() for o in q.options if not o.correct), f"{q.id}: wrong option, no feedback"
            assert len({o.text for o in q.options}) == len(q.options) and q.explanation, q.id
        if isinstance(q, Order):
            assert len(q.steps) >= 3 and len(set(q.steps)) == len(q.steps), q.id


def each_variant(question, topic: str):
    """Every seed's variant; drawing twice with one seed gives the same variant."""
    ref = Reference(topic).module()
    for seed in SEEDS:
        variant = question.draw(random.Random(seed), ref)
        again = question.draw(random.Random(seed), ref)
        assert (variant.prompt, variant.code, repr(variant.answer)) == (again.prompt, again.code, repr(again.answer))
        yield variant


def _same(a, b, rtol) -> bool:
    if isinstance(a, tuple) or isinstance(b, tuple):
        return tuple(a) == tuple(b)
    return math.isclose(float(a), float(b), rel_tol=rtol, abs_tol=1e-12)


def check_variant(question, variant, expected) -> None:
    """The answer is the independent `expected`; each misconception is named, explained and differs from it."""
    assert variant.prompt and variant.explanation
    if isinstance(question, Shape):
        assert isinstance(variant.answer, tuple) and all(type(v) is int for v in variant.answer)
    if getattr(question, "exact", False):
        assert type(variant.answer) is int
    if isinstance(question, Predict):
        assert variant.code
    assert _same(variant.answer, expected, 1e-9), (question.id, variant.answer, expected)
    tolerance = 0.0 if getattr(question, "exact", False) else getattr(question, "rtol", 0.0)
    for m in variant.misconceptions:
        assert m.name and m.explanation
        assert not _same(m.value, variant.answer, 2 * tolerance + 1e-9), (question.id, m.name, m.value, variant.answer)
