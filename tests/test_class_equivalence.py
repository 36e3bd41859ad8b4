"""`grade class` (warm judges, one worker per student, replayed hypothesis runs) gives exactly `grade all`'s results."""

import json
import os
import subprocess
import sys

from grader.course import catalog
from grader.judging import judge
from helpers import ROOT, SOLUTIONS, mistake_source

TOPICS = catalog.load().names


def _students(root):
    """alice: every reference; the others a different known mistake in every topic, or no module;
    erin: bob's mistakes again (her failing checks follow bob's recorded runs, shrinking included)."""
    submissions = root / "submissions"
    picks = {"alice": None, "bob": 0, "carol": -1, "dave": 1, "erin": 0}
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
    assert set(records) == {"alice", "bob", "carol", "dave", "erin"}
    for student, record in records.items():
        alone = subprocess.run([sys.executable, "-m", "grader", "all", "--exercises", str(submissions / student),
                                "--format", "json"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
        expected = json.loads(alone.stdout)
        assert record["status"] == "graded"
        assert _comparable(record["result"]["topics"]) == _comparable(expected["topics"]), student
        assert record["score"] == expected["score"]
    assert records["alice"]["score"] == records["alice"]["max_score"]
    assert all(records[s]["score"] < records[s]["max_score"] for s in ("bob", "carol", "dave", "erin"))


def test_a_second_submission_replays_the_recorded_inputs_without_hypothesis(tmp_path, monkeypatch):
    from grader.judging.replay import Inputs

    inputs = Inputs()
    first = judge.grade("softmax", SOLUTIONS, jobs=1, inputs=inputs)
    generated = sum(1 for c in judge.load_spec("softmax").checks if c.given is not None)
    assert first.complete and len(inputs) == generated > 0
    calls = []
    original = judge._run_with_hypothesis
    monkeypatch.setattr(judge, "_run_with_hypothesis", lambda *a: calls.append(a[0].id) or original(*a))
    again = judge.grade("softmax", SOLUTIONS, jobs=1, inputs=inputs)
    assert calls == [] and again.complete
    naive = tmp_path / "naive"
    naive.mkdir()
    (naive / "softmax.py").write_text((SOLUTIONS / "softmax.py").read_text()
                                      + "\n\ndef sigmoid(x):\n    return 1.0 / (1.0 + np.exp(-np.asarray(x, float)))\n")
    replayed = judge.grade("softmax", naive, jobs=1, inputs=inputs)
    failing = [c.id for c in replayed.checks if not c.passed]
    assert failing and set(calls) == set(failing)  # only failures go back to hypothesis, to be shrunk
    fresh = judge.grade("softmax", naive, jobs=1)
    assert [c for c in replayed.checks] == [c for c in fresh.checks]
    calls.clear()
    same_mistake = judge.grade("softmax", naive, jobs=1, inputs=inputs)  # its failing runs are recorded now
    assert calls == [] and same_mistake.checks == fresh.checks
    assert any(c.counterexample for c in same_mistake.checks if not c.passed)  # shrunk, and reported the same
