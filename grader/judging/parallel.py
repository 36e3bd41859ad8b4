"""Run the judge's check groups in forked copies of the judge, one per core.

Each group has its own worker, so two cores grade at once. Only judge code runs in the
forks (learner code stays in the workers); results come back pickled through a pipe,
which is safe here because both ends are the judge.
"""

from __future__ import annotations

import os
import pickle
import sys
from typing import Callable, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def default_jobs() -> int:
    """Parallel judges per topic: MLKATAS_JOBS, else one per core up to two."""
    try:
        wanted = int(os.environ.get("MLKATAS_JOBS", "0"))
    except ValueError:
        wanted = 0
    if wanted <= 0:
        wanted = min(2, os.cpu_count() or 1)
    return wanted if can_fork() else 1


def _die_with(parent: int) -> None:
    """A forked judge dies with the judge that forked it: its workers (which die with it) never
    outlive a judge killed with SIGKILL."""
    import signal

    from grader.sandbox import confine

    confine.prctl(confine.PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent was gone before the prctl
        os._exit(1)


def run_groups(jobs: list[Callable[[], dict]], fallback: Callable[[int], dict]) -> dict:
    """Run jobs[0] here and the others in forked children; merge their dicts.

    A child that fails for any reason has its group redone here with ``fallback(index)``.
    """
    children = []
    for index, job in enumerate(jobs[1:], start=1):
        if not can_fork():
            children.append((None, None, index))
            continue
        read_fd, write_fd = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: run, report, and leave without running any cleanup of the parent's
            os.close(read_fd)
            _die_with(parent)
            try:
                payload = pickle.dumps(("ok", job()))
            except BaseException as err:  # noqa: BLE001 - the parent redoes the work
                payload = pickle.dumps(("failed", repr(err)))
            try:
                with os.fdopen(write_fd, "wb") as out:
                    out.write(payload)
            finally:
                os._exit(0)
        os.close(write_fd)
        children.append((pid, read_fd, index))
    results = dict(jobs[0]())
    for pid, read_fd, index in children:
        value = None
        if pid is not None:
            with os.fdopen(read_fd, "rb") as pipe:
                data = pipe.read()
            os.waitpid(pid, 0)
            try:
                status, value = pickle.loads(data)
            except Exception:  # noqa: BLE001 - a child that died mid-write
                status = "failed"
            if status != "ok":
                value = None
        results.update(value if value is not None else fallback(index))
    return results
