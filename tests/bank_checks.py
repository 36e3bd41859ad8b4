"""Checks every question bank of ours must pass: the shape of the bank, and every variant of its
parameterized questions over many seeds (answers come from the reference, misconceptions differ)."""

from __future__ import annotations

import math
import random

from grader.judging.checks import Reference
from grader.quiz.bank import KINDS, Choice, Multi, Numeric, Order, Predict, Shape

SEEDS = range(50)
PARAMETERIZED = (Numeric, Shape, Predict)


def check_bank(questions) -> None:
    """>= 6 questions, >= 3 kinds, >= 2 parameterized; unique ids; every wrong option has feedback."""
    assert len(questions) >= 6
    assert len({q.kind for q in questions}) >= 3 and {q.kind for q in questions} <= set(KINDS)
    assert sum(isinstance(q, PARAMETERIZED) for q in questions) >= 2
    assert len({q.id for q in questions}) == len(questions)
    for q in questions:
        if isinstance(q, (Choice, Multi)):
            correct = [o for o in q.options if o.correct]
            assert len(correct) == 1 if isinstance(q, Choice) else len(correct) >= 1, q.id
            assert all(o.feedback.strip() for o in q.options if not o.correct), f"{q.id}: a wrong option lacks feedback"
            assert len({o.text for o in q.options}) == len(q.options), q.id
            assert q.explanation, q.id
        if isinstance(q, Order):
            assert len(q.steps) >= 3 and len(set(q.steps)) == len(q.steps), q.id


def variants(question, topic: str):
    """(seed, variant) for every seed; the same seed draws the same variant."""
    ref = Reference(topic).module()
    for seed in SEEDS:
        variant = question.draw(random.Random(seed), ref)
        again = question.draw(random.Random(seed), ref)
        assert (variant.prompt, variant.code, repr(variant.answer)) == (again.prompt, again.code, repr(again.answer))
        yield seed, variant


def close(a, b, rtol: float, atol: float = 0.0) -> bool:
    if isinstance(a, tuple) or isinstance(b, tuple):
        return tuple(a) == tuple(b)
    return math.isclose(float(a), float(b), rel_tol=rtol, abs_tol=atol)


def check_variant(question, variant, expected) -> None:
    """The answer equals the independent `expected`; misconceptions are named, explained and wrong."""
    rtol = 0.0 if getattr(question, "exact", False) else getattr(question, "rtol", 0.0)
    atol = getattr(question, "atol", 0.0)
    assert variant.prompt and variant.explanation
    if isinstance(question, Shape):
        assert isinstance(variant.answer, tuple) and all(isinstance(v, int) for v in variant.answer)
    elif getattr(question, "exact", False):
        assert isinstance(variant.answer, int) and not isinstance(variant.answer, bool)
    assert close(variant.answer, expected, max(rtol, 1e-9), atol), (variant.answer, expected)
    if isinstance(question, Predict):
        assert variant.code
    for m in variant.misconceptions:
        assert m.name and m.explanation
        assert not close(m.value, variant.answer, 2 * max(rtol, 1e-9), 2 * atol), (m.name, m.value, variant.answer)
