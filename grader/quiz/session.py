"""A quiz without a terminal: pose a topic's questions in a variant, grade typed answers (or an
answers file), and record the outcome in the learner's state. The terminal flow (flow.py)
and the command line sit on top of this.
"""

from __future__ import annotations

import json
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from grader.course import catalog
from grader.quiz import banks
from grader.quiz.bank import Question
from grader.quiz.marking import Mark, correct_text, mark
from grader.quiz.parsers import FormatError, parse
from grader.quiz.results import QuestionResult, QuizResult
from grader.quiz.variants import Posed, pose, quiz_variant


@dataclass
class Quiz:
    topic: str
    title: str
    variant: str
    posed: list[Posed]

    @property
    def max_score(self) -> float:
        return sum(p.points for p in self.posed)


def needs_reference(questions: list[Question]) -> bool:
    return any(q.kind in ("numeric", "shape", "predict") for q in questions)


def prepare(topic: str, variant: str) -> Quiz:
    """Every question of ``topic``'s bank, drawn in ``variant``."""
    questions = banks.load(topic)
    reference = banks.reference(topic) if needs_reference(questions) else None
    posed = [pose(q, topic, variant, reference) for q in questions]
    return Quiz(topic, catalog.load().topic(topic).title, variant, posed)


def prepare_one(topic: str, question_id: str, variant: str) -> Posed:
    """One question of a bank in a variant (for review)."""
    questions = [q for q in banks.load(topic) if q.id == question_id]
    if not questions:
        raise LookupError(f"{topic} has no question {question_id}")
    reference = banks.reference(topic) if needs_reference(questions) else None
    return pose(questions[0], topic, variant, reference)


def next_variant(state, topic: str, learner: str) -> tuple[str, int]:
    """The variant of the learner's next attempt at ``topic`` and that attempt's number."""
    attempt = state.quiz(topic).attempts + 1 if topic in state.quizzes else 1
    return quiz_variant(catalog.load().course_seed, learner, topic, attempt), attempt


def answer(posed: Posed, text: str) -> QuestionResult:
    """Grade typed text; FormatError (nothing graded) when it cannot be read."""
    return result_for(posed, text, mark(posed, parse(posed, text)))


def result_for(posed: Posed, given: str | None, marked: Mark | None, status: str | None = None,
               problem: str = "") -> QuestionResult:
    fraction = marked.fraction if marked else 0.0
    feedback = list(marked.feedback) if marked else []
    misconception = marked.misconception if marked else None
    if misconception is not None:
        feedback.insert(0, misconception.explanation)
    if problem:
        feedback.insert(0, problem)
    return QuestionResult(
        id=posed.id, kind=posed.kind, variant=posed.variant, prompt=posed.prompt, given=given,
        correct=correct_text(posed), points=round(fraction * posed.points, 6), max_points=posed.points,
        status=status or marked.status, misconception=misconception.name if misconception else None,
        explanation=posed.explanation, feedback=feedback)


def unanswered(posed: Posed) -> QuestionResult:
    return result_for(posed, None, None, status="unanswered")


def grade_answers(quiz: Quiz, answers: dict[str, str]) -> QuizResult:
    """Grade an answers file's entries; an entry that cannot be read scores 0 as ``invalid``."""
    unknown = sorted(set(answers) - {p.id for p in quiz.posed})
    if unknown:
        raise ValueError(f"the answers name questions {quiz.topic} does not have: {', '.join(unknown)} "
                         f"(its questions: {', '.join(p.id for p in quiz.posed)})")
    results = []
    for posed in quiz.posed:
        text = answers.get(posed.id)
        if text is None or not text.strip():
            results.append(unanswered(posed))
            continue
        try:
            results.append(answer(posed, text))
        except FormatError as err:
            results.append(result_for(posed, text, None, status="invalid", problem=f"cannot read the answer: {err}"))
    return QuizResult(quiz.topic, quiz.title, quiz.variant, results)


def load_answers(path: Path) -> dict[str, str]:
    """An answers file, TOML or JSON, mapping question ids to answers (text, numbers or lists)."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        data = json.loads(text) if path.suffix.lower() != ".toml" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as err:
        kind = "TOML" if path.suffix.lower() == ".toml" else "JSON"
        raise ValueError(f"{path} is not valid {kind}: {err}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path} must map question ids to answers")
    return {str(key): _as_text(key, value) for key, value in data.items()}


def _as_text(key, value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return " ".join(str(v) for v in value)
    raise ValueError(f"the answer to {key} must be text, a number or a list, not {type(value).__name__}")


def record(root: Path, result: QuizResult, *, now: float | None = None) -> str | None:
    """Keep the attempt in .grade/state.json: best score, attempts, misses, review cards.

    Returns a warning instead of failing when the state cannot be written.
    """
    from grader.progress import state as state_module
    from grader.quiz.review import schedule

    now = time.time() if now is None else now
    learner_state = state_module.load(root)
    quiz = learner_state.quiz(result.topic)
    quiz.attempts += 1
    quiz.last_score, quiz.max_score = result.score, result.max_score
    quiz.best_score = result.score if quiz.best_score is None else max(quiz.best_score, result.score)
    quiz.missed = result.missed
    quiz.last_taken_at = now
    for question in result.questions:
        if question.status != "unanswered":
            schedule(quiz, question.id, question.status == "correct", now)
    try:
        learner_state.save()
    except OSError as err:
        return f"could not save your quiz result: {err}"
    return learner_state.warning
