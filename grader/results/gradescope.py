"""Results as Gradescope's results.json (the autograder specification, gradescope/autograder_samples
docs/specs.md): top-level score, execution_time, output, visibility, stdout_visibility and one test
per check with score, max_score, status, name, number, output, tags, visibility.

A malformed file is "the autograder failed to execute" for every student, so only the
documented fields are written, with the documented types.
"""

from __future__ import annotations

import json

from grader.results.junit import failure_text
from grader.results.model import RunResult, TopicResult


def to_gradescope_dict(run: RunResult | TopicResult, *, note: str | None = None) -> dict:
    topics = run.topics if isinstance(run, RunResult) else [run]
    tests = []
    for topic_number, topic in enumerate(topics, start=1):
        for check_number, check in enumerate(topic.checks, start=1):
            output = check.message if check.passed else failure_text(check)
            if topic.problem and not check.passed and topic.problem not in output:
                output = f"{topic.problem}\n{output}"
            tests.append({"score": float(check.points), "max_score": float(check.max_points),
                          "status": "passed" if check.passed else "failed",
                          "name": f"{topic.topic}: {check.title}", "number": f"{topic_number}.{check_number}",
                          "output": output, "tags": [topic.topic, check.tier], "visibility": "visible"})
    score = round(sum(t.score for t in topics), 6)
    maximum = round(sum(t.max_score for t in topics), 6)
    lines = [f"{t.topic}: {t.score:g}/{t.max_score:g}" + (f" ({t.problem})" if t.problem else "") for t in topics]
    lines.append(f"total: {score:g}/{maximum:g}")
    if note:
        lines.append(note)
    return {"score": float(score), "execution_time": int(round(sum(t.elapsed_s for t in topics))),
            "output": "\n".join(lines), "visibility": "visible", "stdout_visibility": "hidden", "tests": tests}


def to_gradescope(run: RunResult | TopicResult, *, note: str | None = None) -> str:
    return json.dumps(to_gradescope_dict(run, note=note), indent=2, ensure_ascii=False)
