"""Helpers for the project's tests: grade submissions, build mistake submissions."""

from __future__ import annotations

import inspect
import textwrap
from pathlib import Path

from grader.course import catalog
from grader.judging import judge
from grader.judging.checks import Mistake

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"
ALT_SOLUTIONS = Path(__file__).resolve().parent / "alt_solutions"
TOPICS = catalog.load().names


def grade(topic: str, folder: Path, profile: str = "quick"):
    return judge.grade(topic, Path(folder), profile=profile)


def submit(tmp_path: Path, topic: str, source: str) -> Path:
    """Write `source` as the learner's TOPIC.py in a fresh folder; return the folder."""
    folder = tmp_path / f"submission-{topic}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{topic}.py").write_text(source, encoding="utf-8")
    return folder


def function_source(function) -> str:
    """A function's source without its decorators."""
    lines = textwrap.dedent(inspect.getsource(function)).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("def "))
    return "\n".join(lines[start:])


def mistake_source(topic: str, mistake: Mistake) -> str:
    """The reference with one function replaced by a known mistake: what a learner might write."""
    reference = (SOLUTIONS / f"{topic}.py").read_text(encoding="utf-8")
    helpers = "".join(f"\n\n{function_source(h)}" for h in judge.load_spec(topic).mistake_helpers)
    return f"{reference}{helpers}\n\n{function_source(mistake.impl)}\n\n{mistake.function} = {mistake.name}\n"


def failing(result):
    return [c for c in result.checks if c.status != "passed"]
