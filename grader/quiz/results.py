"""Quiz results: the same family as grading results (schema number, topic, score, max_score),
with ``kind: "quiz"`` and one entry per question instead of per check. A paper quiz
(``--print``) is a document of the same family with ``kind: "quiz-paper"``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from grader.results.model import SCHEMA

STATUSES = ("correct", "partial", "wrong", "unanswered", "invalid")


@dataclass
class QuestionResult:
    id: str
    kind: str
    variant: str
    prompt: str
    given: str | None  # what the learner typed, as typed; None when unanswered
    correct: str  # the right answer as one would type it
    points: float
    max_points: float
    status: str  # one of STATUSES; invalid: an answers file entry that cannot be read
    misconception: str | None = None  # its name, when a known wrong formula matched
    explanation: str = ""  # why the answer is right (and, when named, what the misconception did)
    feedback: list[str] = field(default_factory=list)  # what each wrong option chosen stands for


@dataclass
class QuizResult:
    topic: str
    title: str
    variant: str
    questions: list[QuestionResult]
    interrupted: bool = False  # Ctrl-C or end of input before the last question

    @property
    def score(self) -> float:
        return round(sum(q.points for q in self.questions), 6)

    @property
    def max_score(self) -> float:
        return round(sum(q.max_points for q in self.questions), 6)

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 100.0

    @property
    def missed(self) -> list[str]:
        return [q.id for q in self.questions if q.status in ("wrong", "partial", "invalid")]

    def to_dict(self) -> dict:
        return {"schema": SCHEMA, "kind": "quiz", "topic": self.topic, "title": self.title, "variant": self.variant,
                "score": self.score, "max_score": self.max_score, "interrupted": self.interrupted,
                "questions": [asdict(q) for q in self.questions]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)
