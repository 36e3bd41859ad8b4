"""Reading what the learner typed, one parser per kind.

A parser turns text into a value or raises ``FormatError`` with a message that says what
to type instead. A format error is not a wrong answer: it costs nothing and the learner is
asked again (PrairieLearn's rule). What is *wrong* is decided in marking.py.
"""

from __future__ import annotations

import re
import string

from grader.quiz.arith import ArithmeticFormatError, evaluate
from grader.quiz.variants import Posed

LABELS = string.ascii_lowercase
SEPARATORS = re.compile(r"[\s,;]+")


class FormatError(ValueError):
    """The answer cannot be read; the message says what to type."""


def label(index: int) -> str:
    return LABELS[index]


def parse(posed: Posed, text: str):
    """The value of ``text`` as an answer to ``posed``; FormatError when it cannot be read."""
    text = text.strip()
    if not text:
        raise FormatError("type an answer")
    return PARSERS[posed.kind](posed, text)


def parse_choice(posed: Posed, text: str) -> int:
    picked = _letters(posed, text)
    if len(picked) != 1:
        raise FormatError(f"choose exactly one option: type one letter ({_range(posed)})")
    return picked[0]


def parse_multi(posed: Posed, text: str) -> frozenset[int]:
    picked = _letters(posed, text)
    if len(set(picked)) != len(picked):
        raise FormatError("each letter once, please")
    return frozenset(picked)


def _letters(posed: Posed, text: str) -> list[int]:
    tokens = [t.strip("()").lower() for t in SEPARATORS.split(text) if t.strip("()")]
    if len(tokens) == 1 and len(tokens[0]) > 1 and tokens[0].isalpha():
        tokens = list(tokens[0])  # "ac" is "a c"
    labels = LABELS[:len(posed.options)]
    picked = []
    for token in tokens:
        token = token.rstrip(")").strip(".")
        if len(token) != 1 or token not in labels:
            raise FormatError(f"{token!r} is not an option: type letters {_range(posed)}")
        picked.append(labels.index(token))
    if not picked:
        raise FormatError(f"type letters {_range(posed)}")
    return picked


def _range(posed: Posed) -> str:
    return f"a-{label(len(posed.options) - 1)}"


def parse_order(posed: Posed, text: str) -> tuple[int, ...]:
    count = len(posed.steps)
    tokens = [t for t in SEPARATORS.split(text) if t]
    if len(tokens) == 1 and tokens[0].isdigit() and len(tokens[0]) == count and count < 10:
        tokens = list(tokens[0])  # "3124" is "3 1 2 4"
    if not all(t.isdigit() for t in tokens):
        raise FormatError(f"type the step numbers 1-{count} in order, separated by spaces (e.g. 2 1 3)")
    numbers = tuple(int(t) for t in tokens)
    if sorted(numbers) != list(range(1, count + 1)):
        raise FormatError(f"use each step number 1-{count} exactly once")
    return numbers


def parse_number(posed: Posed, text: str) -> int | float:
    try:
        return evaluate(text)
    except ArithmeticFormatError as err:
        raise FormatError(str(err)) from None


def parse_shape(posed: Posed, text: str) -> tuple[int, ...]:
    if text.count("(") != text.count(")") or text.count("(") > 1:
        raise FormatError("type a shape as a tuple of whole numbers, e.g. (32, 10, 64)")
    inner = text.strip().strip("()").strip()
    tokens = [t for t in SEPARATORS.split(inner) if t]
    if not all(t.isdigit() for t in tokens):
        raise FormatError("type a shape as a tuple of whole numbers, e.g. (32, 10, 64)")
    return tuple(int(t) for t in tokens)


def parse_predict(posed: Posed, text: str):
    """The printed value: its reading follows the kind of value the snippet prints."""
    answer = posed.answer
    if isinstance(answer, bool):
        lowered = text.lower()
        if lowered not in ("true", "false"):
            raise FormatError("type True or False")
        return lowered == "true"
    if isinstance(answer, (int, float)):
        return parse_number(posed, text)
    if isinstance(answer, (tuple, list)):
        inner = re.sub(r"[\[\]()]", " ", text)  # numpy prints [[1. 2.] [3. 4.]]: read it flat
        values = [t for t in SEPARATORS.split(inner) if t]
        if not values:
            raise FormatError("type the printed values, e.g. [0.5 0.5]")
        return tuple(parse_number(posed, value) for value in values)
    return text.strip().strip("'\"")


PARSERS = {"choice": parse_choice, "multi": parse_multi, "order": parse_order, "numeric": parse_number,
           "shape": parse_shape, "predict": parse_predict}

HOW_TO_ANSWER = {
    "choice": "one letter",
    "multi": "every letter that applies, e.g. a c",
    "order": "the step numbers in the right order, e.g. 3 1 2",
    "numeric": "a number or an expression such as 3*3*16 + 16, 1/3, exp(-1), sqrt(512)",
    "shape": "a tuple such as (32, 10, 64)",
    "predict": "what the code prints",
}
