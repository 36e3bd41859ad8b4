"""The learner's progress in .grade/state.json: scores, hints revealed, give-ups.

Writes are atomic (temp file, fsync, os.replace): a crash mid-write leaves the old file.
A file that cannot be read or parsed is set aside (never deleted) and a fresh one begun.
"""

from __future__ import annotations

import glob
import json
import math
import os
import tempfile
import time
from contextlib import contextmanager
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
    def from_dict(cls, data, name: str = "?") -> "QuizState":
        """One topic's quiz entry, every field type-checked like a topic's (a wrong type is a damaged file)."""
        values = _checked_fields(cls, f"quiz {name}", data, skip=("cards",))
        cards = data.get("cards", {})
        if not isinstance(cards, dict):
            raise ValueError(f"quiz {name}: cards is {type(cards).__name__}, not an object")
        values["cards"] = {qid: ReviewCard(**_checked_fields(ReviewCard, f"quiz {name} card {qid}", card))
                           for qid, card in cards.items()}
        return cls(**values)


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
        topics = data.get("topics", {})
        if not isinstance(topics, dict):
            raise ValueError(f'"topics" is {type(topics).__name__}, not an object')
        for name, entry in topics.items():
            state.topics[name] = _topic_from_json(name, entry)
        quizzes = data.get("quizzes", {})
        if not isinstance(quizzes, dict):
            raise ValueError(f'"quizzes" is {type(quizzes).__name__}, not an object')
        state.quizzes = {name: QuizState.from_dict(entry, name) for name, entry in quizzes.items()}
    except (OSError, ValueError, TypeError, AttributeError) as err:
        aside = path.with_name(f"state.damaged-{time.strftime('%Y%m%d-%H%M%S')}.json")
        try:
            os.replace(path, aside)
            where = f"moved to {aside}"
        except OSError:
            where = "left where it is"
        state = State(path, warning=f"{path} could not be read ({err}); it was {where} and a fresh one begun")
    return state


LOCK_FILE = "state.lock"


@contextmanager
def locked(root: Path):
    """Hold an exclusive fcntl lock on .grade/state.lock around a load-modify-save of the state,
    so that two `grade` processes at once never lose each other's updates."""
    import fcntl

    folder = root / STATE_DIR
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError:  # a read-only .grade/: nothing can be saved either, and saving says so clearly
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _remove_stale_temps(path: Path) -> None:
    """Temp files of writers that were killed mid-write (their pid is in the name and gone)."""
    for temp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        owner = temp.name[len(path.name) + 2:].split(".", 1)[0]
        if owner.isdigit() and int(owner) != os.getpid() and not os.path.exists(f"/proc/{owner}"):
            try:
                temp.unlink()
            except OSError:
                pass


def _number_or_none(value) -> bool:
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value))


def _count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _question_ids(value) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


# What each state field may hold in the file, by its annotation (tests/test_new_user.py: every field has one).
FIELD_CHECKS = {"float | None": (_number_or_none, "a number or null"), "int": (_count, "a whole number >= 0"),
                "float": (_number, "a number"), "list[str]": (_question_ids, "a list of question ids")}


def _checked_fields(cls, where: str, entry, skip: tuple[str, ...] = ()) -> dict:
    """The fields of ``cls`` found in one entry of the file, each type-checked: a wrong type is a
    damaged file, never a crash later."""
    if not isinstance(entry, dict):
        raise ValueError(f"{where} is {type(entry).__name__}, not an object")
    values = {}
    for field_name, spec in cls.__dataclass_fields__.items():
        if field_name in skip or field_name not in entry:
            continue
        check, wanted = FIELD_CHECKS[spec.type]
        if not check(entry[field_name]):
            raise ValueError(f"{where}: {field_name} is {json.dumps(entry[field_name])}, not {wanted}")
        values[field_name] = entry[field_name]
    return values


def _topic_from_json(name, entry) -> TopicState:
    return TopicState(**_checked_fields(TopicState, f"topic {name!r}", entry))


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(path)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
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
