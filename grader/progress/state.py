"""The learner's progress in .grade/state.json: scores, hints revealed, give-ups.

Writes are atomic (temp file, fsync, os.replace): a crash mid-write leaves the old file.
A file that cannot be read or parsed is set aside (never deleted) and a fresh one begun.
"""

from __future__ import annotations

import glob
import json
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
class State:
    path: Path
    topics: dict[str, TopicState] = field(default_factory=dict)
    warning: str | None = None  # set when a damaged file was set aside on load

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
                "topics": {name: vars(entry) for name, entry in sorted(self.topics.items())}}
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
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
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
