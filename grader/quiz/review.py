"""Spaced review by Leitner boxes: a missed question is due now and goes back to box 1; a
right answer moves it one box up. Box 1, 2, 3, 4 come back after 1, 3, 7, 21 days. Each
review draws a fresh variant of the question.
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.progress.state import QuizState, ReviewCard, State
from grader.quiz.variants import quiz_variant

DAY = 86400.0  # seconds
INTERVAL_DAYS = {1: 1, 2: 3, 3: 7, 4: 21}
TOP_BOX = max(INTERVAL_DAYS)


def schedule(quiz: QuizState, question_id: str, correct: bool, now: float, *, reviewed: bool = False) -> ReviewCard:
    """Move the question's card after an answer: right goes one box up, anything else to box 1, due now."""
    card = quiz.cards.get(question_id)
    if correct:
        box = 1 if card is None else min(card.box + 1, TOP_BOX)
        due = now + INTERVAL_DAYS[box] * DAY
    else:
        box, due = 1, now
    reviews = (card.reviews if card else 0) + (1 if reviewed else 0)
    quiz.cards[question_id] = ReviewCard(box=box, due=due, reviews=reviews)
    return quiz.cards[question_id]


@dataclass(frozen=True)
class Due:
    topic: str
    question_id: str
    card: ReviewCard


def due(state: State, course_order: list[str], now: float, known: dict[str, set[str]]) -> list[Due]:
    """Cards due by ``now``, the longest-waiting first (course order breaks ties).

    ``known`` maps each topic to the ids its bank has today: a question removed from a bank
    is never asked again.
    """
    rank = {name: index for index, name in enumerate(course_order)}
    found = [Due(topic, qid, card) for topic, quiz in state.quizzes.items() for qid, card in quiz.cards.items()
             if card.due <= now and qid in known.get(topic, set())]
    return sorted(found, key=lambda d: (d.card.due, rank.get(d.topic, len(rank)), d.question_id))


def next_due(state: State, known: dict[str, set[str]]) -> float | None:
    dues = [card.due for topic, quiz in state.quizzes.items() for qid, card in quiz.cards.items()
            if qid in known.get(topic, set())]
    return min(dues) if dues else None


def review_variant(course_seed: str, learner: str, topic: str, question_id: str, card: ReviewCard) -> str:
    """A fresh variant for each review of each question."""
    return quiz_variant(course_seed, learner, topic, f"review|{question_id}|{card.reviews + 1}")
