"""`grade class` (warm judges, one worker per student, replayed inputs) gives exactly `grade all`'s results."""

import json
import os
import subprocess
import sys

from grader.course import catalog
from grader.judging import judge
from helpers import ROOT, SOLUTIONS, mistake_source

TOPICS = catalog.load().names


def _students(root):
    """alice: every reference; the others a different known mistake in every topic, or no module."""
    submissions = root / "submissions"
    picks = {"alice": None, "bob": 0, "carol": -1, "dave": 1}
    for student, pick in picks.items():
        folder = submissions / student
        folder.mkdir(parents=True)
        for index, topic in enumerate(TOPICS):
            mistakes = judge.load_spec(topic).mistakes
            if pick is None or (student == "dave" and index % 3 == 2):
                source = (SOLUTIONS / f"{topic}.py").read_text()
            elif student == "dave" and index % 3 == 1:
                continue  # no module for this topic
            else:
                source = mistake_source(topic, mistakes[pick % len(mistakes)])
            (folder / f"{topic}.py").write_text(source)
    return submissions


def _comparable(topics):
    for topic in topics:
        topic.pop("elapsed_s", None)
        topic.pop("timing", None)
    return topics


def test_class_results_equal_grade_all_per_student(tmp_path):
    submissions = _students(tmp_path)
    env = {**os.environ, "NO_COLOR": "1"}
    out = tmp_path / "out"
    graded = subprocess.run([sys.executable, "-m", "grader", "class", str(submissions), "--out", str(out),
                             "--jobs", "1"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    records = {json.loads(line)["student"]: json.loads(line) for line in (out / "results.jsonl").open()}
    assert set(records) == {"alice", "bob", "carol", "dave"}
    for student, record in records.items():
        alone = subprocess.run([sys.executable, "-m", "grader", "all", "--exercises", str(submissions / student),
                                "--format", "json"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
        expected = json.loads(alone.stdout)
        assert record["status"] == "graded"
        assert _comparable(record["result"]["topics"]) == _comparable(expected["topics"]), student
        assert record["score"] == expected["score"]
    assert records["alice"]["score"] == records["alice"]["max_score"]
    assert all(records[s]["score"] < records[s]["max_score"] for s in ("bob", "carol", "dave"))
