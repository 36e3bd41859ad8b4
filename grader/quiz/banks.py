"""Finding and checking question banks (grader/quizzes/TOPIC.py), and the reference they draw with.

Banks are found by name, like specs: adding a topic's bank never edits the engine. The
reference module that parameterized questions compute their answers with is the topic's
solution, loaded in this (the judge's) process; learner code is never involved.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from types import ModuleType

from grader.quiz.bank import KINDS, Question
from grader.quiz.variants import BankError

PACKAGE = "grader.quizzes"
QUESTION_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def topics_with_banks() -> list[str]:
    """Every topic that has a question bank, by module name."""
    package = importlib.import_module(PACKAGE)
    return sorted(info.name for info in pkgutil.iter_modules(package.__path__) if not info.name.startswith("_"))


def has_bank(topic: str) -> bool:
    return topic in topics_with_banks()


def load(topic: str) -> list[Question]:
    """The questions of ``topic``'s bank, in the order they are asked; BankError if it is malformed."""
    if not has_bank(topic):
        raise LookupError(f"there is no quiz for {topic} yet")
    try:
        module = importlib.import_module(f"{PACKAGE}.{topic}")
    except Exception as err:  # a bank is code: report its bug as the bank's, not as a grader crash
        raise BankError(f"{PACKAGE}.{topic} does not import: {type(err).__name__}: {err}") from err
    questions = getattr(module, "QUESTIONS", None)
    if not isinstance(questions, (list, tuple)) or not questions:
        raise BankError(f"{PACKAGE}.{topic} must define QUESTIONS, a non-empty list")
    validate(topic, list(questions))
    return list(questions)


def validate(topic: str, questions: list[Question]) -> None:
    seen = set()
    for question in questions:
        where = f"{topic}.{getattr(question, 'id', '?')}"
        if getattr(question, "kind", None) not in KINDS:
            raise BankError(f"{where}: not a question of a known kind ({', '.join(KINDS)})")
        if not QUESTION_ID.match(question.id) or question.id in seen:
            raise BankError(f"{where}: ids are unique snake_case names")
        seen.add(question.id)
        if not question.points > 0:
            raise BankError(f"{where}: points must be positive")
        if question.kind in ("choice", "multi"):
            _validate_options(where, question)
        if question.kind == "order" and not 3 <= len(question.steps) <= 6:
            raise BankError(f"{where}: an order question has 3 to 6 steps")
        if question.kind == "order" and len(set(question.steps)) != len(question.steps):
            raise BankError(f"{where}: the steps must differ")


def _validate_options(where: str, question: Question) -> None:
    correct = sum(option.correct for option in question.options)
    if question.kind == "choice" and correct != 1:
        raise BankError(f"{where}: a choice question has exactly one correct option, not {correct}")
    if question.kind == "multi" and correct < 1:
        raise BankError(f"{where}: a multi question needs at least one correct option")
    if not 2 <= len(question.options) <= 8:
        raise BankError(f"{where}: 2 to 8 options")
    for option in question.options:
        if not option.correct and not option.feedback.strip():
            raise BankError(f"{where}: the wrong option {option.text!r} needs feedback (the misconception)")


def reference(topic: str) -> ModuleType:
    """The topic's reference solution (judge side), for computing parameterized answers."""
    from grader.judging.checks import Reference

    return Reference(topic).module()
