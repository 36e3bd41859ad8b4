"""The question banks of perceptron, activations and gradient_descent: shape of the banks, and every
parameterized answer checked against an independent formula (torch, statistics, plain Python) for
50 seeds; every misconception differs from the answer; every wrong option says why it is wrong."""

import math
import random
import statistics
from fractions import Fraction

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader

from grader.judging.checks import Reference
from grader.quiz.bank import KINDS, Choice, Multi, Order, Variant
from grader.quizzes import activations, gradient_descent, perceptron

BANKS = {"perceptron": perceptron, "activations": activations, "gradient_descent": gradient_descent}
SEEDS = range(50)


def _perceptron_run(X, y, lr):
    """The perceptron rule in exact arithmetic (independent of the reference)."""
    w, b, errors = [Fraction(0), Fraction(0)], Fraction(0), []
    for _ in range(100):
        wrong = 0
        for row, label in zip(X, y):
            p = 1 if row[0] * w[0] + row[1] * w[1] + b > 0 else 0
            if p != label:
                step = Fraction(lr) * (label - p)
                w, b, wrong = [w[0] + step * row[0], w[1] + step * row[1]], b + step, wrong + 1
        errors.append(wrong)
        if not wrong:
            break
    return w, float(b), errors


TRUTH = [[0, 0], [0, 1], [1, 0], [1, 1]]
GATES = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "NAND": [1, 1, 1, 0]}


def _mse_grad_first(y_true, y_pred):
    p = torch.tensor(y_pred, dtype=torch.float64, requires_grad=True)
    F.mse_loss(p, torch.tensor(y_true, dtype=torch.float64)).backward()
    return p.grad[0].item()


def _one_sgd_step(a, b, lr):
    w = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr)
    F.mse_loss(torch.ones(2, 1, dtype=torch.float64) @ w, torch.tensor([a, b], dtype=torch.float64)).backward()
    optimizer.step()
    return w.item()


# question id -> the answer from the variant's parameters, computed without the reference.
INDEPENDENT = {
    "fire_at_threshold": lambda p: int(sum(i * w for i, w in zip(p["inputs"], p["weights"])) + p["bias"]
                                       > p["threshold"]),
    "epochs_on_a_gate": lambda p: len(_perceptron_run(TRUTH, GATES[p["gate"]], p["lr"])[2]),
    "bias_scales_with_lr": lambda p: _perceptron_run(TRUTH, GATES[p["gate"]], p["lr"])[1],
    "sigmoid_slope": lambda p: 1 / (1 + math.exp(-p["x"])) * (1 - 1 / (1 + math.exp(-p["x"]))),
    "huber_value": lambda p: F.huber_loss(torch.tensor(p["residuals"], dtype=torch.float64),
                                          torch.zeros(2, dtype=torch.float64), delta=p["delta"]).item(),
    "best_constant_for_mae": lambda p: statistics.median(p["y"]),
    "mse_gradient_entry": lambda p: _mse_grad_first(p["y_true"], p["y_pred"]),
    "iterations_per_epoch": lambda p: len(DataLoader(range(p["n"]), batch_size=p["batch_size"],
                                                     drop_last=p["drop_last"])),
    "total_updates": lambda p: p["epochs"] * len(DataLoader(range(p["n"]), batch_size=p["batch_size"])),
    "single_point_threshold": lambda p: 2 / np.linalg.eigvalsh(
        2 * np.outer(p["x"] ** np.arange(4), p["x"] ** np.arange(4)))[-1],
    "stacked_batches": lambda p: (p["n"] // p["batch_size"], p["batch_size"]),
    "one_full_batch_step": lambda p: _one_sgd_step(p["a"], p["b"], p["lr"]),
}

QUESTIONS = [(topic, q) for topic, bank in BANKS.items() for q in bank.QUESTIONS]
PARAMETERIZED = [(topic, q) for topic, q in QUESTIONS if hasattr(q, "draw")]


def _close(a, b, question) -> bool:
    if isinstance(a, tuple) or isinstance(b, tuple):
        return tuple(a) == tuple(b)
    if getattr(question, "exact", False):
        return a == b
    rtol, atol = getattr(question, "rtol", 1e-6), getattr(question, "atol", 0.0)
    return abs(a - b) <= atol + rtol * abs(b)


@pytest.mark.parametrize("topic", BANKS)
def test_a_bank_has_six_questions_of_three_kinds_two_parameterized(topic):
    questions = BANKS[topic].QUESTIONS
    assert len(questions) >= 6
    assert len({q.kind for q in questions}) >= 3 and {q.kind for q in questions} <= set(KINDS)
    assert sum(hasattr(q, "draw") for q in questions) >= 2
    assert len({q.id for q in questions}) == len(questions)


@pytest.mark.parametrize(("topic", "question"), [(t, q) for t, q in QUESTIONS if isinstance(q, (Choice, Multi))],
                         ids=lambda v: getattr(v, "id", v))
def test_every_wrong_option_explains_itself(topic, question):
    correct = [o for o in question.options if o.correct]
    assert len(correct) == 1 if isinstance(question, Choice) else len(correct) >= 1
    assert all(o.feedback.strip() for o in question.options if not o.correct)
    assert question.explanation


@pytest.mark.parametrize(("topic", "question"), [(t, q) for t, q in QUESTIONS if isinstance(q, Order)],
                         ids=lambda v: getattr(v, "id", v))
def test_order_questions_have_distinct_steps(topic, question):
    assert len(question.steps) >= 3 and len(set(question.steps)) == len(question.steps)


@pytest.mark.parametrize(("topic", "question"), PARAMETERIZED, ids=lambda v: getattr(v, "id", v))
def test_every_variant_answer_matches_an_independent_formula(topic, question):
    ref = Reference(topic).module()
    named = 0
    for seed in SEEDS:
        variant = question.draw(random.Random(seed), ref)
        assert isinstance(variant, Variant) and variant.prompt
        assert variant == question.draw(random.Random(seed), ref), "the same seed must give the same variant"
        if question.kind == "predict":
            assert variant.code
        expected = INDEPENDENT[question.id](variant.parameters)
        assert _close(variant.answer, expected, question), (seed, variant.parameters, variant.answer, expected)
        for misconception in variant.misconceptions:
            assert misconception.name and misconception.explanation
            assert not _close(misconception.value, variant.answer, question), (seed, misconception)
        values = [m.value for m in variant.misconceptions]
        assert all(not _close(a, b, question) for i, a in enumerate(values) for b in values[i + 1:]), (
            seed, "two misconceptions with one value cannot both be named")
        named += bool(variant.misconceptions)
    assert named >= len(SEEDS) // 3, "a numeric question needs known wrong formulas to name"
