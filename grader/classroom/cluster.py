"""Scale-out: the same per-student function (student.grade_student) on a dask.distributed cluster.

Optional (`pip install mlkatas[cluster]`). Each student is one task; results come back with
as_completed and go through the same journal as the local pool, so resume and the
gradebook do not change. Every worker machine needs this grader installed (the same
version), bubblewrap, and the submissions at the same path (a shared filesystem).
A task that fails (a lost worker, an exception) is an error for that student only.
"""

from __future__ import annotations

from typing import Iterator

from grader.classroom.student import grade_student, make_record

CONNECT_SECONDS = 30


def run_dask(jobs: list[dict], address: str) -> Iterator[dict]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise RuntimeError("--dask needs dask.distributed: pip install 'mlkatas[cluster]'") from None
    client = Client(address, timeout=CONNECT_SECONDS)
    try:
        # pure=False: a student graded again (--force) is a new task, never a cached result
        futures = [client.submit(grade_student, job, pure=False) for job in jobs]
        job_of = {future.key: job for future, job in zip(futures, jobs)}
        for future in as_completed(futures):
            job = job_of[future.key]
            try:
                record = future.result()
            except Exception as err:  # noqa: BLE001 - one student's lost task never stops the class
                record = make_record(job, [], "error", f"the cluster could not grade this student "
                                                       f"({type(err).__name__}: {err})")
            yield record
    finally:
        client.close()

