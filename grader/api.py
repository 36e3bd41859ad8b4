"""The library behind the CLI and the notebook: grade topics, remember progress."""

from __future__ import annotations

import time
from pathlib import Path

from grader.results.model import RunResult, TopicResult


def find_root(start: Path | None = None) -> Path:
    """The project root: the nearest folder, from here upwards, that has an exercises/ folder."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "exercises").is_dir():
            return folder
    return here


class NotInProject(Exception):
    """A command that keeps progress or changes the learner's files was run outside a project."""


def project_root(start: Path | None = None) -> Path:
    """The project root, or NotInProject: never a .grade/ folder made wherever the command ran."""
    here = (start or Path.cwd()).resolve()
    root = find_root(here)
    if not (root / "exercises").is_dir():
        raise NotInProject(f"{here} is not inside an mlkatas project (no exercises/ folder here or above): "
                           f"cd into your project first")
    return root


def grade_topics(names: list[str], exercises: Path | None = None, *, profile: str = "quick",
                 root: Path | None = None, on_topic=None) -> RunResult:
    """Grade each topic in turn; remember the scores when grading the project's own exercises.

    ``on_topic(name)``, when given, is told which topic is being graded (for a progress display).
    """
    from grader.judging.parallel import default_jobs
    from grader.sandbox.learner import prepare  # no numpy yet: the workers boot while we import

    root = root or find_root()
    folder = Path(exercises) if exercises is not None else root / "exercises"
    if not folder.is_dir():
        where = "" if exercises is not None else " (run grade inside your mlkatas project, or pass --exercises DIR)"
        raise FileNotFoundError(f"there is no folder {folder} to grade{where}")
    jobs = default_jobs()
    prepared = prepare(names[0], folder, jobs=jobs)

    from grader.judging import judge

    started = time.perf_counter()
    results = []
    try:
        for index, name in enumerate(names):
            if on_topic is not None:
                on_topic(name)
            current = prepared
            if index + 1 < len(names):
                prepared = prepare(names[index + 1], folder, jobs=jobs)  # boot the next workers meanwhile
            results.append(judge.grade(name, folder, profile=profile, prepared=current))
    finally:
        prepared.close()  # the next topic's workers, when grading stopped early (Ctrl-C); else a no-op
    run = RunResult(results, elapsed_s=time.perf_counter() - started)
    if folder.resolve() == (root / "exercises").resolve():
        warning = remember(root, results)
        if warning:
            run.notes.append(warning)
    return run


def remember(root: Path, results: list[TopicResult]) -> str | None:
    """Record scores in .grade/state.json; return a warning instead of failing on a read-only disk."""
    from grader.progress import state

    try:
        with state.locked(root):
            learner_state = state.load(root)
            for result in results:
                learner_state.record(result.topic, result.score, result.max_score)
            learner_state.save()
    except OSError as err:
        return f"could not save progress: {err}"
    return learner_state.warning


def check(topic: str, exercises: str | Path | None = None, *, profile: str = "quick",
          display: bool = True) -> TopicResult:
    """Grade one topic from a notebook or a script, show the report, and return the result.

    >>> import grader
    >>> result = grader.check("softmax")          # doctest: +SKIP
    >>> result.score, result.max_score            # doctest: +SKIP
    """
    from grader.course import catalog
    from grader.results import table

    name = catalog.load().resolve(topic)
    run = grade_topics([name], Path(exercises) if exercises is not None else None, profile=profile)
    if display:
        from rich.console import Console

        table.print_topic(Console(highlight=False), run.topics[0])
    return run.topics[0]
