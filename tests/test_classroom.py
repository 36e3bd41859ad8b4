"""`grade class`: every student gets a row, nothing crashes, resume, --force, kill -9 and rerun."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from classroom_helpers import CLASS_TOPICS, gradebook, make_class
from grader.classroom import journal
from grader.results.csv import GRADEBOOK_TAIL
from grader.results.model import SCHEMA
from helpers import ROOT

xmlschema = pytest.importorskip("xmlschema")
TIMEOUT = "25"  # frank's endless loops need minutes: a timeout, whatever the machine's load


def grade_class(submissions, out, *extra, env=None, wait=True):
    command = [sys.executable, "-m", "grader", "class", str(submissions), "--out", str(out), "--topics",
               ",".join(CLASS_TOPICS), "--jobs", "2", "--timeout", TIMEOUT, *extra]
    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    if not wait:
        return subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    submissions = make_class(root)
    out = root / "out"
    result = grade_class(submissions, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return submissions, out, result


def test_every_student_gets_a_row_and_the_right_status(graded):
    _submissions, out, _result = graded
    book = gradebook(out)
    assert set(book) == {"alice", "bob", "carol", "dave", "erin", "frank"}
    assert list(next(iter(book.values()))) == ["student", *CLASS_TOPICS, *GRADEBOOK_TAIL]
    assert book["alice"]["percent"] == "100.0" and book["alice"]["status"] == "graded"
    assert book["bob"]["status"] == "graded" and all(
        float(book["bob"][t]) < float(book["alice"][t]) for t in CLASS_TOPICS)
    assert book["carol"]["total"] == "0" and book["carol"]["status"] == "graded"
    assert book["dave"]["status"] == "no submission" and book["dave"]["softmax"] == ""
    assert book["erin"]["total"] == "0" and book["erin"]["status"] == "graded"
    assert book["frank"]["status"] == "timeout"
    # the topics graded before the timeout keep their points (a timeout loses nothing else)
    assert book["frank"]["softmax"] == book["alice"]["softmax"] and book["frank"]["mle"] == "0"
    assert book["alice"]["max"] == book["dave"]["max"] == book["frank"]["max"]


def test_bobs_mistakes_are_named_in_the_insights(graded):
    _submissions, out, result = graded
    insights = json.loads((out / "insights.json").read_text())
    named = {(m["topic"], m["mistake"]) for m in insights["mistakes"]}
    from grader.judging import judge

    for topic in CLASS_TOPICS:
        assert (topic, judge.load_spec(topic).mistakes[0].title) in named
    assert {p["student"] for p in insights["problems"]} == {"frank"}
    assert "Named mistakes, most common first" in result.stdout and "timeout" in result.stdout
    assert next(t for t in insights["per_topic"] if t["topic"] == "softmax")["full_marks"] == 2  # alice, frank


def test_per_student_files_junit_and_gradescope(graded):
    _submissions, out, _result = graded
    for name in ("alice", "bob", "carol", "dave", "erin", "frank"):
        document = json.loads((out / "students" / f"{name}.json").read_text())
        assert document["schema"] == SCHEMA and len(document["digest"]) == 64 and document["grader_version"]
        assert [t["topic"] for t in document["topics"]] == list(CLASS_TOPICS)
        scores = json.loads((out / "gradescope" / f"{name}.json").read_text())
        assert scores["score"] == document["score"]
    junit = (out / "junit.xml").read_text()
    xmlschema.XMLSchema(str(ROOT / "tests" / "data" / "junit.xsd")).validate(junit)
    assert 'name="alice.softmax"' in junit and 'type="timeout"' in junit
    lines = (out / "results.jsonl").read_text().splitlines()
    assert len(lines) == 6 and all(json.loads(line)["student"] for line in lines)


def test_a_rerun_skips_everyone_and_force_regrades(graded, tmp_path):
    submissions, out, _result = graded
    before = (out / "gradebook.csv").read_text()
    again = grade_class(submissions, out)
    assert again.returncode == 0 and "6 student(s) unchanged" in again.stdout
    assert len((out / "results.jsonl").read_text().splitlines()) == 6
    assert (out / "gradebook.csv").read_text() == before
    (submissions / "alice" / "softmax.py").write_text("def softmax(z, axis=-1):\n    raise NotImplementedError\n")
    try:
        changed = grade_class(submissions, out)
        assert "5 student(s) unchanged" in changed.stdout
        assert gradebook(out)["alice"]["softmax"] == "0"
    finally:
        (submissions / "alice" / "softmax.py").write_text((ROOT / "solutions" / "softmax.py").read_text())
    forced = grade_class(submissions, out, "--force")
    assert forced.returncode == 0 and "unchanged" not in forced.stdout
    assert len((out / "results.jsonl").read_text().splitlines()) == 6 + 1 + 6
    assert (out / "gradebook.csv").read_text() == before


def test_kill_9_midway_then_rerun_gives_the_same_gradebook(graded, tmp_path):
    submissions, reference_out, _result = graded
    out = tmp_path / "out"
    process = grade_class(submissions, out, wait=False)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and len(journal.read(out / "results.jsonl")) < 2:
        time.sleep(0.2)
    assert process.poll() is None, "the class finished before it could be interrupted"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    done = len(journal.read(out / "results.jsonl"))
    assert 2 <= done < 6
    with open(out / "results.jsonl", "ab") as handle:  # as if the kill had landed mid-line
        handle.write(b'{"student": "torn", "sta')
    rerun = grade_class(submissions, out)
    assert rerun.returncode == 0, rerun.stdout
    assert f"{done} student(s) unchanged" in rerun.stdout
    assert (out / "gradebook.csv").read_text() == (reference_out / "gradebook.csv").read_text()


def test_refuses_without_the_full_sandbox_unless_told(tmp_path):
    submissions = tmp_path / "submissions"
    (submissions / "dave").mkdir(parents=True)
    refused = grade_class(submissions, tmp_path / "out", env={"MLKATAS_SANDBOX": "off"})
    assert refused.returncode == 1
    assert "refusing to grade a class without the full sandbox" in refused.stderr
    assert "--unsafe-no-sandbox" in refused.stderr and not (tmp_path / "out" / "gradebook.csv").exists()
    unsafe = grade_class(submissions, tmp_path / "out", "--unsafe-no-sandbox", env={"MLKATAS_SANDBOX": "off"})
    assert unsafe.returncode == 0 and "WITHOUT the full sandbox" in unsafe.stdout
    assert "WITHOUT the full sandbox" in json.loads((tmp_path / "out" / "gradescope" / "dave.json").read_text())[
        "output"]


def test_the_journal_ignores_a_torn_line_and_keeps_the_next(tmp_path):
    path = tmp_path / "results.jsonl"
    journal.append(path, {"student": "a", "n": 1})
    with open(path, "ab") as handle:
        handle.write(b'{"student": "b", "n"')
    journal.append(path, {"student": "c", "n": 3})
    assert [r["student"] for r in journal.read(path)] == ["a", "c"]
    assert journal.latest(journal.read(path) + [{"student": "a", "n": 2}])["a"]["n"] == 2


def test_roster_takes_subfolders_or_their_exercises_and_skips_the_output_folder(tmp_path):
    from grader.classroom import roster

    (tmp_path / "ann" / "exercises").mkdir(parents=True)
    (tmp_path / "ann" / "exercises" / "softmax.py").write_text("x = 1\n")
    (tmp_path / "bo").mkdir()
    (tmp_path / "bo" / "softmax.py").write_text("x = 1\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / "graded").mkdir()
    found = roster.discover(tmp_path, exclude=tmp_path / "graded")
    assert [s.name for s in found] == ["ann", "bo"]
    assert found[0].folder == (tmp_path / "ann" / "exercises").resolve() and found[0].files == 1
    assert found[0].digest == found[1].digest  # the same files, wherever they sit
    (tmp_path / "bo" / "softmax.py").write_text("x = 2\n")
    assert roster.discover(tmp_path)[1].digest != found[1].digest


def test_ctrl_c_keeps_the_finished_students_and_says_how_to_go_on(graded, tmp_path):
    submissions, reference_out, _result = graded
    out = tmp_path / "out"
    process = grade_class(submissions, out, wait=False)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and len(journal.read(out / "results.jsonl")) < 2:
        time.sleep(0.2)
    assert process.poll() is None, "the class finished before it could be interrupted"
    process.send_signal(signal.SIGINT)
    output = process.communicate(timeout=120)[0].decode()
    assert process.returncode == 130, output
    assert "Interrupted" in output and "still to grade" in output
    finished = {r["student"] for r in journal.read(out / "results.jsonl")}
    book = gradebook(out)
    assert set(book) == finished and len(finished) < 6  # the gradebook holds exactly who was graded
    assert all(book[name] == gradebook(reference_out)[name] for name in finished)
