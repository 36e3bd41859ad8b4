"""A class of submissions for `grade class` tests: one student per kind of trouble."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from grader.judging import judge
from helpers import SOLUTIONS, mistake_source

CLASS_TOPICS = ("softmax", "conv_params", "mle")
# Endless loops alone no longer hold a student long (a function's later checks are skipped after its
# first timeout), so frank's mle is correct but sleeps just under the call limit: minutes in all,
# whatever the machine's load, which only the per-student --timeout stops.
LOOPS = ("\n\nimport time as _time\n\ndef _slow(f):\n    def slow(*args, **kwargs):\n"
         "        _time.sleep(4.5)\n        return f(*args, **kwargs)\n    return slow\n\n") + "".join(
    f"{name} = _slow({name})\n" for name in ("normal_log_likelihood", "normal_mle", "binomial_log_likelihood",
                                               "binomial_mle"))


def make_class(root: Path, topics=CLASS_TOPICS) -> Path:
    """alice: correct; bob: one known mistake per topic (in exercises/); carol: a syntax error;
    dave: an empty folder; erin: code that kills its own process; frank: mle so slow that the
    per-student timeout stops it."""
    submissions = root / "submissions"
    for name in ("alice", "bob/exercises", "carol", "dave", "erin", "frank"):
        (submissions / name).mkdir(parents=True)
    for topic in topics:
        reference = (SOLUTIONS / f"{topic}.py").read_text()
        (submissions / "alice" / f"{topic}.py").write_text(reference)
        mistake = judge.load_spec(topic).mistakes[0]
        (submissions / "bob" / "exercises" / f"{topic}.py").write_text(mistake_source(topic, mistake))
        (submissions / "carol" / f"{topic}.py").write_text(reference.replace("def ", "def (", 1))
        (submissions / "erin" / f"{topic}.py").write_text("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n")
        (submissions / "frank" / f"{topic}.py").write_text(reference + (LOOPS if topic == "mle" else ""))
    return submissions


def gradebook(out: Path) -> dict[str, dict]:
    rows = csv.DictReader(io.StringIO((out / "gradebook.csv").read_text()))
    return {row["student"]: row for row in rows}
