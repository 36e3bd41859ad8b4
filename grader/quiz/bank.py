"""What a question bank is written in: one module per topic, grader/quizzes/TOPIC.py, whose
``QUESTIONS`` is a list of the questions below, in the order they are asked.

Fixed questions (choice, multi, order) are plain data. Parameterized ones (numeric, shape,
predict) carry a ``draw(rng, ref)`` function: ``rng`` is a ``random.Random`` seeded per
variant (its stream is stable across Python and numpy versions), ``ref`` is the topic's
reference solution module, loaded by the judge. ``draw`` returns a ``Variant``: the prompt
with the drawn numbers in it, the answer computed with ``ref`` (never typed by hand), the
drawn parameters, and the known wrong formulas' values as ``Misconception``s. A draw that
ignores ``rng`` gives a fixed question of that kind.

    QUESTIONS = [
        Choice("why_shift", "Why subtract max(z) before exp?", options=[
            Option("exp of a large logit overflows to inf", correct=True),
            Option("so the outputs sum to 1", feedback="They sum to 1 anyway: the division does that."),
        ], explanation="..."),
        Numeric("conv_count", draw=conv_count, points=2, exact=True),
    ]

What the engine checks when it loads a bank (grader/quiz/banks.py): ids are unique snake_case;
points > 0; a choice has exactly one correct option, a multi at least one, 2-8 options, and
every wrong option has feedback; an order has 3-6 distinct steps. A numeric answer is compared
with ``rtol``/``atol`` (set them to what the prompt asks: "four significant digits" is
rtol=1e-3), or exactly with ``exact=True``. A misconception that gives the right answer (or
the same value as another) on some variant cannot be named there: pass the list through
``distinct()`` below. The project's tests run every bank in this folder: the answer key is
accepted, each misconception is named, 50 variants draw valid questions, and a predict
snippet, run with the reference, prints the answer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable

KINDS = ("choice", "multi", "numeric", "shape", "predict", "order")


@dataclass(frozen=True)
class Option:
    """One option of a choice or multi question; a wrong option says which misconception it stands for."""

    text: str
    correct: bool = False
    feedback: str = ""  # required for wrong options: why a learner picks it, and why it is wrong


@dataclass(frozen=True)
class Misconception:
    """A known wrong formula: a numeric answer equal to ``value`` (within the question's tolerance) is named."""

    name: str  # a short name a learner recognises: "forgot the bias"
    value: Any  # what that wrong formula gives on this variant (a number, or a tuple for shape questions)
    explanation: str  # what the learner did and why it is wrong


@dataclass(frozen=True)
class Variant:
    """One drawn instance of a parameterized question."""

    prompt: str
    answer: Any  # int/float for numeric; tuple of ints for shape; the printed value for predict
    parameters: dict = field(default_factory=dict)  # the drawn values, shown with --print --format json
    misconceptions: tuple[Misconception, ...] = ()
    explanation: str = ""  # why the answer is what it is, with this variant's numbers
    code: str = ""  # predict: a self-contained snippet (`from TOPIC import f` first) whose printed value is the answer


Draw = Callable[[random.Random, ModuleType], Variant]


@dataclass(frozen=True)
class Choice:
    """One correct option; options are shuffled per variant."""

    id: str
    prompt: str
    options: tuple[Option, ...] | list[Option]
    explanation: str = ""
    points: float = 1.0
    kind = "choice"


@dataclass(frozen=True)
class Multi:
    """Select all that apply; partial credit (+1 per right selection, -1 per wrong, floor 0, normalised)."""

    id: str
    prompt: str
    options: tuple[Option, ...] | list[Option]
    explanation: str = ""
    points: float = 1.0
    kind = "multi"


@dataclass(frozen=True)
class Order:
    """Put the steps in order; ``steps`` are listed in the correct order and shown shuffled per variant."""

    id: str
    prompt: str
    steps: tuple[str, ...] | list[str]
    explanation: str = ""
    points: float = 1.0
    kind = "order"


@dataclass(frozen=True)
class Numeric:
    """A number; the learner may type an arithmetic expression. ``exact`` for integer answers."""

    id: str
    draw: Draw
    points: float = 1.0
    rtol: float = 1e-6
    atol: float = 0.0
    exact: bool = False
    kind = "numeric"


@dataclass(frozen=True)
class Shape:
    """A tuple of ints such as (32, 10, 64)."""

    id: str
    draw: Draw
    points: float = 1.0
    kind = "shape"


@dataclass(frozen=True)
class Predict:
    """What the snippet in ``Variant.code`` prints; numbers compared with the tolerance, text exactly."""

    id: str
    draw: Draw
    points: float = 1.0
    rtol: float = 1e-6
    atol: float = 1e-9
    kind = "predict"


Question = Choice | Multi | Order | Numeric | Shape | Predict


def distinct(answer: Any, misconceptions, rtol: float = 0.0, atol: float = 0.0) -> tuple[Misconception, ...]:
    """The misconceptions that can be told apart on this variant: each differs from the answer and
    from every earlier one by more than twice the tolerance (a wrong formula that happens to give
    the right number here, or the same number as another, cannot be named)."""
    kept: list[Misconception] = []
    for misconception in misconceptions:
        if not any(_same(misconception.value, other, rtol, atol) for other in [answer, *(m.value for m in kept)]):
            kept.append(misconception)
    return tuple(kept)


def _same(a: Any, b: Any, rtol: float, atol: float) -> bool:
    import math

    if isinstance(a, (tuple, list)) or isinstance(b, (tuple, list)):
        a, b = tuple(a) if isinstance(a, (tuple, list)) else (a,), tuple(b) if isinstance(b, (tuple, list)) else (b,)
        return len(a) == len(b) and all(_same(x, y, rtol, atol) for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=2 * rtol, abs_tol=2 * atol)
    return a == b
