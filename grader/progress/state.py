"""The learner's progress in .grade/state.json: scores, hints revealed, give-ups.

Writes are atomic (temp file, fsync, os.replace): a crash mid-write leaves the old file.
A file that cannot be read or parsed is set aside (never deleted) and a fresh one begun.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

STATE_DIR = ".grade"
STATE_FILE = "state.json"
FORMAT_VERSION = 1


@dataclass
class TopicState:
    best_score: float | None = None
    last_score: float | None = None
    max_score: float | None = None
    hints_revealed: int = 0
    passed_at: float | None = None
    gave_up_at: float | None = None
    last_graded_at: float | None = None

    @property
    def status(self) -> str:
        if self.passed_at is not None:
            return "passed"
        if self.last_score is not None and self.last_score > 0:
            return "started"
        return "todo"


@dataclass
class ReviewCard:
    """One quiz question in the spaced-review schedule (grader/quiz/review.py moves it)."""

    box: int = 1  # Leitner box 1-4: reviewed after 1, 3, 7, 21 days
    due: float = 0.0  # a timestamp; due now when missed
    reviews: int = 0  # how many times it was asked in `grade review` (each gets a fresh variant)


@dataclass
class QuizState:
    best_score: float | None = None
    last_score: float | None = None
    max_score: float | None = None
    attempts: int = 0
    missed: list[str] = field(default_factory=list)  # question ids missed in the last attempt
    last_taken_at: float | None = None
    cards: dict[str, ReviewCard] = field(default_factory=dict)  # question id -> its review schedule

    def to_dict(self) -> dict:
        return {**vars(self), "cards": {qid: vars(card) for qid, card in sorted(self.cards.items())}}

    @classmethod
    def from_dict(cls, data: dict) -> "QuizState":
        if not isinstance(data, dict):
            raise ValueError("a quiz entry is not an object")
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__ and k != "cards"}
        cards = data.get("cards", {})
        if not isinstance(cards, dict) or not all(isinstance(c, dict) for c in cards.values()):
            raise ValueError("quiz review cards are not objects")
        loaded = cls(**known, cards={qid: ReviewCard(**{k: v for k, v in card.items()
                                                        if k in ReviewCard.__dataclass_fields__})
                                     for qid, card in cards.items()})
        if not isinstance(loaded.attempts, int) or not isinstance(loaded.missed, list):
            raise ValueError("a quiz entry has the wrong types")
        return loaded


@dataclass
class State:
    path: Path
    topics: dict[str, TopicState] = field(default_factory=dict)
    warning: str | None = None  # set when a damaged file was set aside on load
    quizzes: dict[str, QuizState] = field(default_factory=dict)

    def quiz(self, name: str) -> QuizState:
        return self.quizzes.setdefault(name, QuizState())

    def topic(self, name: str) -> TopicState:
        return self.topics.setdefault(name, TopicState())

    def record(self, name: str, score: float, max_score: float) -> None:
        entry = self.topic(name)
        now = time.time()
        entry.last_score = score
        entry.max_score = max_score
        entry.best_score = score if entry.best_score is None else max(entry.best_score, score)
        entry.last_graded_at = now
        if max_score > 0 and score >= max_score and entry.passed_at is None:
            entry.passed_at = now

    def save(self) -> None:
        data = {"format_version": FORMAT_VERSION,
                "topics": {name: vars(entry) for name, entry in sorted(self.topics.items())},
                "quizzes": {name: quiz.to_dict() for name, quiz in sorted(self.quizzes.items())}}
        write_atomically(self.path, json.dumps(data, indent=2) + "\n")


def load(root: Path) -> State:
    path = root / STATE_DIR / STATE_FILE
    state = State(path)
    if not path.exists():
        return state
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format_version") != FORMAT_VERSION:
            raise ValueError("unknown format")
        for name, entry in data.get("topics", {}).items():
            known = {k: v for k, v in entry.items() if k in TopicState.__dataclass_fields__}
            state.topics[name] = TopicState(**known)
        state.quizzes = {name: QuizState.from_dict(entry) for name, entry in data.get("quizzes", {}).items()}
    except (OSError, ValueError, TypeError, AttributeError) as err:
        aside = path.with_name(f"state.damaged-{time.strftime('%Y%m%d-%H%M%S')}.json")
        try:
            os.replace(path, aside)
            where = f"moved to {aside}"
        except OSError:
            where = "left where it is"
        state = State(path, warning=f"{path} could not be read ({err}); it was {where} and a fresh one begun")
    return state


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
