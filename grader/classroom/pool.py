"""The local process pool: warm judge processes (runner.py), one student each at a time.

A student that takes longer than the timeout has its judge killed (with every sandbox it
started) and is recorded as a timeout, keeping the topics that finished; a judge that dies
is an error for its student only. Either way a fresh judge takes the next student.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from collections import deque
from pathlib import Path
from typing import Iterator

from grader.classroom.student import make_record

GRADER_HOME = Path(__file__).resolve().parent.parent.parent  # so the runner imports this very grader


class Judge:
    def __init__(self):
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GRADER_HOME), env.get("PYTHONPATH")]))
        self.process = subprocess.Popen([sys.executable, "-m", "grader.classroom.runner"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, env=env, start_new_session=True)
        self.buffer = b""
        self.job: dict | None = None
        self.finished: list[dict] = []
        self.deadline = 0.0

    def send(self, job: dict, timeout: float) -> None:
        self.job, self.finished, self.deadline = job, [], time.monotonic() + timeout
        self.process.stdin.write((json.dumps(job) + "\n").encode())
        self.process.stdin.flush()

    def messages(self) -> tuple[list[dict], bool]:
        """What has arrived (complete lines), and whether the process has closed its end."""
        chunk = os.read(self.process.stdout.fileno(), 1 << 20)
        self.buffer += chunk
        *lines, self.buffer = self.buffer.split(b"\n")
        found = []
        for line in lines:
            try:
                found.append(json.loads(line))
            except ValueError:
                continue
        return found, not chunk

    def kill(self) -> None:
        """The judge, and every sandboxed worker it started (each in its own session)."""
        pid = self.process.pid
        for child in _children(pid):
            for kill in (os.killpg, os.kill):
                try:
                    kill(child, signal.SIGKILL)
                    break
                except (ProcessLookupError, PermissionError):
                    continue
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            found += [int(p) for p in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    except OSError:
        pass
    return found


def run_local(jobs: list[dict], workers: int, timeout: float) -> Iterator[dict]:
    """Grade the jobs on `workers` warm judges; yield each student's record as it finishes."""
    queue = deque(jobs)
    idle: list[Judge] = []
    busy: dict[int, Judge] = {}
    selector = selectors.DefaultSelector()
    started = 0
    try:
        while queue or busy:
            while queue and len(busy) + len(idle) < workers and started < len(jobs) + workers * 4:
                idle.append(Judge())
                started += 1
            while queue and idle:
                judge = idle.pop()
                try:
                    judge.send(queue[0], timeout)
                except OSError:  # died before its first job: start another
                    judge.kill()
                    continue
                queue.popleft()
                busy[judge.process.stdout.fileno()] = judge
                selector.register(judge.process.stdout, selectors.EVENT_READ, judge)
            if not busy:
                break  # no judge would start: the rest are errors, below
            wait = max(0.0, min(j.deadline for j in busy.values()) - time.monotonic())
            for key, _events in selector.select(timeout=min(wait, 1.0)):
                judge = key.data
                messages, closed = judge.messages()
                for message in messages:
                    if "topic" in message:
                        judge.finished.append(message["topic"])
                    elif "record" in message:
                        record = message["record"]
                        _release(selector, busy, judge)
                        idle.append(judge)
                        yield record
                        break
                else:
                    if closed:
                        _release(selector, busy, judge)
                        code = judge.process.wait()
                        judge.kill()
                        yield make_record(judge.job, judge.finished, "error",
                                          f"the grading process ended unexpectedly (exit status {code})")
            now = time.monotonic()
            for judge in [j for j in busy.values() if j.deadline <= now]:
                _release(selector, busy, judge)
                judge.kill()
                yield make_record(judge.job, judge.finished, "timeout",
                                  f"grading this student took longer than {timeout:g} s")
        for job in queue:
            yield make_record(job, [], "error", "no grading process could be started")
    finally:
        for judge in [*idle, *busy.values()]:
            judge.kill()
        selector.close()


def _release(selector, busy: dict, judge: Judge) -> None:
    selector.unregister(judge.process.stdout)
    busy.pop(judge.process.stdout.fileno(), None)
