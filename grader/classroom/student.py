"""The per-student grading function: the same locally (runner.py) and on a dask worker.

A job and a record are plain dicts (JSON), so they travel to any process or machine.
job: student, folder, digest, files, topics, profile, sandbox.
record: the job's identity (student, digest, grader_version, topics, profile, sandbox),
status (graded / no submission / error / timeout), message, score, max_score,
scores {topic: points}, and result (the `grade all` JSON).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from grader import __version__
from grader.judging.replay import Inputs
from grader.results.model import SCHEMA, CheckResult, TopicResult

INPUTS = Inputs()  # this judge process's recorded hypothesis runs, replayed for every later student
STATUSES = ("graded", "no submission", "error", "timeout")


def resume_key(record: dict) -> tuple:
    """What must match for a journal record to stand for a submission: a rerun skips it."""
    return (record.get("digest"), record.get("grader_version"), tuple(record.get("topics") or ()),
            record.get("profile"))


def job_key(job: dict) -> tuple:
    return (job["digest"], __version__, tuple(job["topics"]), job["profile"])


def grade_student(job: dict, on_topic: Callable[[dict], None] | None = None) -> dict:
    """Grade every topic of one student, topic after topic, in this (judge) process.

    Faster than `grade all` for a class, with the same results: one warm worker serves the
    student's topics one after another (sandbox.learner.WorkerLender), and each check follows
    the hypothesis runs recorded for earlier students (judging.replay).
    """
    if not job["files"]:
        return make_record(job, [], "no submission", "the folder holds no Python modules")
    from grader.judging import judge
    from grader.sandbox.learner import WorkerLender, prepare

    folder = Path(job["folder"])
    lender = WorkerLender()
    results = []
    try:
        for name in job["topics"]:
            prepared = prepare(name, folder, jobs=1, lender=lender)
            topic = judge.grade(name, folder, profile=job["profile"], prepared=prepared, inputs=INPUTS).to_dict()
            results.append(topic)
            if on_topic is not None:
                on_topic(topic)
    finally:
        lender.close()
    return make_record(job, results, "graded", "")


def make_record(job: dict, finished: list[dict], status: str, message: str) -> dict:
    """The journal record; topics not finished (a timeout, a crash) count 0 with the reason."""
    by_name = {t["topic"]: t for t in finished}
    topics = [by_name.get(name) or _unfinished(name, status, message) for name in job["topics"]]
    score = round(sum(t["score"] for t in topics), 6)
    maximum = round(sum(t["max_score"] for t in topics), 6)
    return {"student": job["student"], "status": status, "message": message, "digest": job["digest"],
            "grader_version": __version__, "topics": list(job["topics"]), "profile": job["profile"],
            "sandbox": job.get("sandbox", "full"), "score": score, "max_score": maximum,
            "scores": {t["topic"]: t["score"] for t in topics},
            "result": {"schema": SCHEMA, "score": score, "max_score": maximum, "topics": topics}}


def _unfinished(topic: str, status: str, message: str) -> dict:
    from grader.course import catalog
    from grader.judging.judge import load_spec

    check_status = {"no submission": "todo", "timeout": "timeout"}.get(status, "error")
    reason = message or status
    checks = [CheckResult(id=c.id, function=c.function, tier=c.tier, title=c.title, points=0.0,
                          max_points=c.points, status=check_status, message=reason)
              for c in load_spec(topic).ordered_checks()]
    return TopicResult(topic, catalog.load().topic(topic).title, checks, problem=reason).to_dict()


def topic_results(record: dict) -> list[TopicResult]:
    """The record's topics as result-model objects again (for JUnit and Gradescope)."""
    known = set(CheckResult.__dataclass_fields__)
    topics = []
    for data in record.get("result", {}).get("topics", []):
        checks = [CheckResult(**{k: v for k, v in check.items() if k in known}) for check in data.get("checks", [])]
        elapsed = data.get("elapsed_s", (data.get("timing") or {}).get("elapsed_s", 0.0))
        topics.append(TopicResult(data["topic"], data.get("title", data["topic"]), checks,
                                  elapsed_s=float(elapsed or 0.0), problem=data.get("problem")))
    return topics
