"""Marking a read answer, one rule per kind, and naming the misconception behind a wrong number.

choice: all or nothing, a wrong option's own feedback. multi: PrairieLearn's percent-correct
rule (+1 per right selection, -1 per wrong one, floor 0, divided by the number of right
options). order: the longest run of steps already in the right relative order (the longest
common subsequence with the answer), as (lcs - 1) / (n - 1), so a reversed list earns 0.
numeric, shape, predict: within the question's tolerance; a wrong value that matches a
known wrong formula's value is named.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from grader.quiz.bank import Misconception
from grader.quiz.parsers import label
from grader.quiz.variants import Posed

EXACT_RTOL = 1e-9  # "exact" integers still accept sqrt(512)**2 typed as an expression


@dataclass(frozen=True)
class Mark:
    fraction: float  # of the question's points, in [0, 1]
    feedback: tuple[str, ...] = ()  # what the chosen wrong options stand for, what was left out
    misconception: Misconception | None = None

    @property
    def status(self) -> str:
        if self.fraction >= 1.0 - 1e-12:
            return "correct"
        return "partial" if self.fraction > 0 else "wrong"


def mark(posed: Posed, value) -> Mark:
    return MARKERS[posed.kind](posed, value)


def mark_choice(posed: Posed, index: int) -> Mark:
    option = posed.options[index]
    return Mark(1.0) if option.correct else Mark(0.0, feedback=(option.feedback,))


def mark_multi(posed: Posed, picked: frozenset[int]) -> Mark:
    right = [i for i in picked if posed.options[i].correct]
    wrong = sorted(i for i in picked if not posed.options[i].correct)
    missed = [i for i, o in enumerate(posed.options) if o.correct and i not in picked]
    total = sum(o.correct for o in posed.options)
    feedback = [f"{label(i)}) {posed.options[i].feedback}" for i in wrong]
    feedback += [f"{label(i)}) applies too: {posed.options[i].text}" for i in missed]
    return Mark(max(0, len(right) - len(wrong)) / total, feedback=tuple(feedback))


def mark_order(posed: Posed, given: tuple[int, ...]) -> Mark:
    expected = posed.correct_steps
    if len(expected) < 2:
        return Mark(1.0)
    common = longest_common_subsequence(given, expected)
    return Mark((common - 1) / (len(expected) - 1))


def longest_common_subsequence(a, b) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def mark_value(posed: Posed, value) -> Mark:
    """numeric, shape and predict: right within tolerance, else a named misconception if one matches."""
    if matches(posed, value, posed.answer):
        return Mark(1.0)
    for misconception in posed.misconceptions:
        if matches(posed, value, misconception.value):
            return Mark(0.0, misconception=misconception)
    return Mark(0.0)


def matches(posed: Posed, value, target, scale: float = 1.0) -> bool:
    """``value`` equals ``target`` for this question (``scale`` widens the tolerance, for tests)."""
    question = posed.question
    if posed.kind == "shape":
        return _as_tuple(value) == _as_tuple(target)
    if posed.kind == "numeric" and question.exact:
        return _near(value, target, EXACT_RTOL * scale, 0.0)
    rtol, atol = question.rtol * scale, question.atol * scale
    if isinstance(target, bool) or isinstance(target, str):
        return type(value) is type(target) and value == target
    if isinstance(target, (int, float)):
        return isinstance(value, (int, float)) and not isinstance(value, bool) and _near(value, target, rtol, atol)
    flat_value, flat_target = flatten(value), flatten(target)
    return len(flat_value) == len(flat_target) and all(
        _near(v, t, rtol, atol) for v, t in zip(flat_value, flat_target))


def _near(value, target, rtol: float, atol: float) -> bool:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    if isinstance(value, int) and isinstance(target, int) and rtol * abs(target) < 1 and atol < 1:
        return value == target  # exact integers compared as integers: no float rounding above 2**53
    return math.isclose(float(value), float(target), rel_tol=rtol, abs_tol=atol)


def flatten(value) -> tuple:
    if isinstance(value, (list, tuple)):
        return tuple(x for item in value for x in flatten(item))
    if hasattr(value, "tolist"):  # a numpy array or scalar
        return flatten(value.tolist())
    return (value,)


def _as_tuple(value) -> tuple:
    return tuple(int(x) for x in value) if isinstance(value, (tuple, list)) else (value,)


def correct_text(posed: Posed) -> str:
    """The right answer, as the learner would type it."""
    if posed.kind == "choice":
        index = next(i for i, o in enumerate(posed.options) if o.correct)
        return f"{label(index)}) {posed.options[index].text}"
    if posed.kind == "multi":
        return " ".join(label(i) for i, o in enumerate(posed.options) if o.correct)
    if posed.kind == "order":
        return " ".join(str(n) for n in posed.correct_steps)
    return format_value(posed.answer)


def format_value(value: Any) -> str:
    if isinstance(value, bool) or isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (tuple, list)) and all(isinstance(x, int) and not isinstance(x, bool) for x in value):
        return "(" + ", ".join(str(x) for x in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, (tuple, list)) or hasattr(value, "tolist"):
        return "[" + " ".join(format_value(x) for x in flatten(value)) + "]"
    return str(value)


MARKERS = {"choice": mark_choice, "multi": mark_multi, "order": mark_order, "numeric": mark_value,
           "shape": mark_value, "predict": mark_value}
