"""A warm judge process: imports once, then grades the students it is sent, one after another.

Started by the local pool (pool.py) as ``python -m grader.classroom.runner``. Jobs arrive as
JSON lines on stdin; on a private copy of fd 1 it writes {"topic": ...} as each topic
finishes (so a later timeout keeps them) and {"record": ...} when the student is done.
Learner code never runs here: it runs in the sandboxed workers this process starts.
"""

from __future__ import annotations

import json
import os
import signal
import sys


def _die_with_parent() -> None:
    """If the class run is killed (even with -9), this judge and its sandboxes go too."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def main() -> None:
    parent = os.getppid()
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the line above
        return
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # anything printed by a library goes to stderr, never into the channel

    from grader.classroom.student import grade_student, make_record

    def send(message: dict) -> None:
        channel.write(json.dumps(message, ensure_ascii=False) + "\n")
        channel.flush()

    send({"ready": True})
    for line in sys.stdin:
        job = json.loads(line)
        finished: list[dict] = []

        def on_topic(topic: dict, finished=finished) -> None:
            finished.append(topic)
            send({"topic": topic})

        try:
            record = grade_student(job, on_topic=on_topic)
        except Exception as err:  # noqa: BLE001 - a grader bug costs this student, never the class
            record = make_record(job, finished, "error", f"the grader failed on this student "
                                                         f"({type(err).__name__}: {err}); please report it")
        send({"record": record})


if __name__ == "__main__":
    main()
