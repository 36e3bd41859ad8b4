"""Learner state under concurrency and kills: a lock around read-modify-write, no stale temp files."""

import json
import os
import signal
import subprocess
import sys
import time

from grader.course import catalog
from grader.progress import state


def hints_revealed(project) -> dict:
    data = json.loads((project / ".grade" / "state.json").read_text())
    return {name: entry["hints_revealed"] for name, entry in data["topics"].items()}


def test_twenty_parallel_hints_lose_no_update(project):
    course = catalog.load()
    plan = []  # (topic) repeated no more often than it has hints, 20 in all
    for name in course.names:
        plan += [name] * len(course.topic(name).hints)
    plan = plan[:20]
    assert len(plan) == 20, "the course needs 20 hints in all for this test"
    env = {**os.environ, "NO_COLOR": "1"}
    runs = [subprocess.Popen([sys.executable, "-m", "grader", "hint", name], cwd=project, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for name in plan]
    errors = [run.communicate(timeout=300)[1] for run in runs]
    assert all(run.returncode == 0 for run in runs), errors
    revealed = hints_revealed(project)
    assert sum(revealed.values()) == 20
    assert revealed == {name: plan.count(name) for name in set(plan)}


def test_a_temp_file_left_by_a_killed_writer_is_removed_by_the_next_write(project):
    folder = project / ".grade"
    folder.mkdir()
    gone = subprocess.Popen(["true"])
    gone.wait()  # a pid that no longer runs
    stale = folder / f".state.json.{gone.pid}.abcd1234.tmp"
    stale.write_text("{half a state")
    with state.locked(project):
        learner = state.load(project)
        learner.topic("softmax").hints_revealed = 1
        learner.save()
    assert not stale.exists()
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []


def test_writers_killed_mid_write_leave_nothing_after_the_next_write(project):
    writer = ("import sys; from pathlib import Path; from grader.progress import state\n"
              "root = Path(sys.argv[1])\n"
              "s = state.load(root)\n"
              "for i in range(200): s.topic(f't{i}').hints_revealed = i\n"
              "while True: s.save()\n")
    for delay in (0.3, 0.5, 0.7, 0.9, 1.1):
        process = subprocess.Popen([sys.executable, "-c", writer, str(project)])
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
    with state.locked(project):
        learner = state.load(project)
        learner.save()
    assert learner.warning is None
    assert [p.name for p in (project / ".grade").iterdir() if p.name.endswith(".tmp")] == []
