"""Variant seeds, and a question as asked: its numbers drawn, its options shuffled.

A quiz's variant is four hex digits derived from (course seed, learner id, topic, attempt);
each question's generator is seeded from (variant, topic, question id). So the variant shown
on every question (``variant 3f9a``) is all an instructor needs to see exactly what a learner
saw: ``grade quiz TOPIC --variant 3f9a``. ``random.Random`` seeded with a string hashes it
with SHA-512, a stream stable across Python versions and independent of numpy.
"""

from __future__ import annotations

import getpass
import hashlib
import random
import re
import subprocess
from dataclasses import dataclass, replace
from types import ModuleType
from typing import Any

from grader.quiz.bank import Misconception, Option, Question, Variant, distinct

VARIANT_DIGITS = 4
VARIANT_PATTERN = re.compile(r"^[0-9a-f]{4}$")


class BankError(ValueError):
    """A question bank is malformed (a bug for the bank's author, not the learner)."""


def quiz_variant(course_seed: str, learner: str, topic: str, attempt: int | str) -> str:
    """The four hex digits of one quiz attempt (or one review of one question)."""
    material = "\x1f".join(("mlkatas-quiz", course_seed, learner, topic, str(attempt)))
    return hashlib.sha256(material.encode()).hexdigest()[:VARIANT_DIGITS]


def checked_variant(text: str) -> str:
    """A variant typed by a person (``3f9a``), or ValueError saying what one looks like."""
    value = text.strip().lower()
    if not VARIANT_PATTERN.match(value):
        raise ValueError(f"a variant is {VARIANT_DIGITS} hex digits such as 3f9a, not {text!r}")
    return value


def question_rng(variant: str, topic: str, question_id: str, purpose: str = "draw") -> random.Random:
    return random.Random(f"mlkatas|{topic}|{question_id}|{variant}|{purpose}")


def default_learner() -> str:
    """git's user.email when set, else the login name: stable for one person on one machine."""
    try:
        found = subprocess.run(["git", "config", "user.email"], capture_output=True, text=True, timeout=5)
        if found.returncode == 0 and found.stdout.strip():
            return found.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "learner"


@dataclass(frozen=True)
class Posed:
    """One question as the learner sees it in one variant."""

    question: Question
    topic: str
    variant: str
    prompt: str
    code: str = ""
    options: tuple[Option, ...] = ()  # choice/multi, in the order shown (label a is options[0])
    steps: tuple[str, ...] = ()  # order: the steps in the order shown (label 1 is steps[0])
    answer: Any = None  # numeric/shape/predict
    parameters: dict | None = None
    misconceptions: tuple[Misconception, ...] = ()
    explanation: str = ""

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def points(self) -> float:
        return float(self.question.points)

    @property
    def correct_steps(self) -> tuple[int, ...]:
        """Order: the shown step numbers (1-based) in the correct order."""
        return tuple(self.steps.index(step) + 1 for step in self.question.steps)


def pose(question: Question, topic: str, variant: str, reference: ModuleType | None) -> Posed:
    """Draw a parameterized question's numbers, or shuffle a fixed question's options."""
    kind = question.kind
    if kind in ("choice", "multi"):
        options = list(question.options)
        question_rng(variant, topic, question.id, "shuffle").shuffle(options)
        return Posed(question, topic, variant, question.prompt, options=tuple(options),
                     explanation=question.explanation, parameters={})
    if kind == "order":
        steps = list(question.steps)
        shuffler = question_rng(variant, topic, question.id, "shuffle")
        shuffler.shuffle(steps)
        if steps == list(question.steps):  # never show the steps already in order (a 1-in-n! give-away)
            steps = steps[1:] + steps[:1]
        return Posed(question, topic, variant, question.prompt, steps=tuple(steps),
                     explanation=question.explanation, parameters={})
    try:
        drawn = question.draw(question_rng(variant, topic, question.id), reference)
    except Exception as err:  # the bank's bug, named as such (variant included, to reproduce it)
        raise BankError(f"{topic}.{question.id}: draw() failed in variant {variant}: "
                        f"{type(err).__name__}: {err}") from err
    if not isinstance(drawn, Variant):
        raise BankError(f"{topic}.{question.id}: draw() must return a Variant, not {type(drawn).__name__}")
    answer = plain(drawn.answer)
    # A wrong formula that gives the right number on this variant (or the same number as another)
    # cannot be named: the engine drops it here, so no bank has to remember to.
    misconceptions = distinct(answer, (replace(m, value=plain(m.value)) for m in drawn.misconceptions),
                              rtol=getattr(question, "rtol", 0.0), atol=getattr(question, "atol", 0.0))
    return Posed(question, topic, variant, drawn.prompt, code=drawn.code, answer=answer,
                 parameters={k: plain(v) for k, v in drawn.parameters.items()}, misconceptions=misconceptions,
                 explanation=drawn.explanation)


def plain(value):
    """numpy scalars and arrays as Python numbers and tuples: what the markers and JSON expect."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return tuple(plain(v) for v in value)
    return value
