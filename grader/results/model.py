"""The result model: one set of dataclasses behind every output format."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

# 2: timings moved under "timing"; "profile" and "folder" added; no absolute paths anywhere.
SCHEMA = 2


def shown_percent(percent: float) -> float:
    """The percentage as reports print it, to one decimal (94.98 reads 95.0), but never 100.0 short
    of full marks (99.96 reads 99.9). --fail-under compares this same number."""
    shown = math.floor(percent * 10 + 0.5) / 10
    return min(shown, 99.9) if percent < 100 else shown


@dataclass
class CheckResult:
    id: str
    function: str
    tier: str
    title: str
    points: float
    max_points: float
    status: str
    message: str = ""
    counterexample: str | None = None
    expected: str | None = None
    got: str | None = None
    diagnosis: str | None = None
    hint: str | None = None
    printed: str | None = None  # what the learner's code printed on the failing input
    elapsed_s: float = field(default=0.0, compare=False)  # judge time on this check (JUnit); not in the JSON

    @property
    def passed(self) -> bool:
        return self.status == "passed"


@dataclass
class TopicResult:
    topic: str
    title: str
    checks: list[CheckResult]
    elapsed_s: float = 0.0
    versions: dict[str, str] = field(default_factory=dict)
    problem: str | None = None  # the module is missing or does not import
    budget_s: float | None = None  # the topic's wall-clock budget; checks left when it ran out are `timeout`
    sandbox: dict | None = None  # {"level": "full" | "basic", "layers": [...]}: what held the learner's code
    profile: str = "quick"
    folder: str = ""  # the graded folder's name (never its absolute path: the report is the same anywhere)

    @property
    def score(self) -> float:
        return round(sum(c.points for c in self.checks), 6)

    @property
    def max_score(self) -> float:
        return round(sum(c.max_points for c in self.checks), 6)

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 100.0

    @property
    def complete(self) -> bool:
        return self.score == self.max_score

    @property
    def all_todo(self) -> bool:
        return all(c.status == "todo" for c in self.checks)

    def to_dict(self) -> dict:
        """The same for the same files, wherever they are and however long it took, but for "timing"."""
        return {"schema": SCHEMA, "topic": self.topic, "title": self.title, "score": self.score,
                "max_score": self.max_score, "problem": self.problem, "profile": self.profile,
                "folder": self.folder, "checks": [_check_dict(c) for c in self.checks], "versions": self.versions,
                "budget_s": self.budget_s, "sandbox": self.sandbox, "timing": {"elapsed_s": round(self.elapsed_s, 3)}}


def _check_dict(check: CheckResult) -> dict:
    data = asdict(check)
    data.pop("elapsed_s")  # wall time varies run to run; the JSON stays the same for the same submission
    return data


@dataclass
class RunResult:
    """Several topics graded together (``grade all`` or several names)."""

    topics: list[TopicResult]
    elapsed_s: float = 0.0
    notes: list[str] = field(default_factory=list)  # warnings for the user, not part of the JSON

    @property
    def score(self) -> float:
        return round(sum(t.score for t in self.topics), 6)

    @property
    def max_score(self) -> float:
        return round(sum(t.max_score for t in self.topics), 6)

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 100.0

    def to_dict(self) -> dict:
        first = self.topics[0] if self.topics else None
        sandbox = next((t.sandbox for t in self.topics if t.sandbox), None)
        return {"schema": SCHEMA, "score": self.score, "max_score": self.max_score,
                "profile": first.profile if first else None, "folder": first.folder if first else None,
                "sandbox": sandbox, "topics": [t.to_dict() for t in self.topics],
                "timing": {"elapsed_s": round(self.elapsed_s, 3)}}
