"""One `grade class` run: who needs grading (resume), grade them, journal each, rebuild the files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from grader.classroom import journal, outputs, roster
from grader.classroom.student import job_key, resume_key

JOURNAL = "results.jsonl"
SANDBOX_HELP = ("Install bubblewrap (`apt-get install bubblewrap`) on a Linux machine with user namespaces, "
                "or grade inside a container as root (SECURITY.md). To grade anyway, on a machine you do not "
                "mind exposing to the submissions: --unsafe-no-sandbox.")


class SandboxMissing(Exception):
    """The full sandbox is not available here and --unsafe-no-sandbox was not given."""


@dataclass
class Options:
    submissions: Path
    out: Path
    topics: list[str]
    profile: str = "quick"
    jobs: int = 2
    timeout: float = 900.0
    force: bool = False
    unsafe: bool = False
    dask: str | None = None


@dataclass
class Plan:
    students: list[roster.Student]
    todo: list[dict]  # jobs
    skipped: list[str] = field(default_factory=list)  # graded before, unchanged
    sandbox: str = "full"

    @property
    def unsafe(self) -> bool:
        return self.sandbox != "full"


def sandbox_level(unsafe: bool) -> str:
    """'full', or raise SandboxMissing saying what is missing; with unsafe, whatever there is."""
    from grader.sandbox import isolation

    report = isolation.detect().report()
    if report["level"] != "full" and not unsafe:
        missing = "; ".join(report["off"]) or "the namespace sandbox cannot start here"
        raise SandboxMissing(f"refusing to grade a class without the full sandbox ({missing}). {SANDBOX_HELP}")
    return report["level"]


def plan(options: Options) -> Plan:
    level = sandbox_level(options.unsafe)
    students = roster.discover(options.submissions, exclude=options.out)
    done = journal.latest(journal.read(options.out / JOURNAL))
    todo, skipped = [], []
    for student in students:
        job = {"student": student.name, "folder": str(student.folder), "digest": student.digest,
               "files": student.files, "topics": list(options.topics), "profile": options.profile, "sandbox": level}
        previous = done.get(student.name)
        if not options.force and previous is not None and resume_key(previous) == job_key(job):
            skipped.append(student.name)
        else:
            todo.append(job)
    return Plan(students, todo, skipped, level)


def grade(options: Options, the_plan: Plan) -> Iterator[dict]:
    """Grade what the plan says; each record is journaled (fsynced) before it is yielded."""
    options.out.mkdir(parents=True, exist_ok=True)
    path = options.out / JOURNAL
    if options.dask:
        from grader.classroom.cluster import run_dask

        records = run_dask(the_plan.todo, options.dask)
    else:
        from grader.classroom.pool import run_local

        records = run_local(the_plan.todo, max(1, options.jobs), options.timeout)
    for record in records:
        journal.append(path, record)
        outputs.write_student(options.out, record)
        yield record


def finish(options: Options, the_plan: Plan) -> tuple[list[dict], list[str], dict]:
    """Rebuild the files from the journal: (records in roster order, students still to grade, insights)."""
    latest = journal.latest(journal.read(options.out / JOURNAL))
    records, missing = [], []
    for student in the_plan.students:
        record = latest.get(student.name)
        job = {"digest": student.digest, "topics": options.topics, "profile": options.profile}
        if record is not None and resume_key(record) == job_key(job):
            records.append(record)
        else:
            missing.append(student.name)
    found = outputs.write_all(options.out, records, list(options.topics), unsafe=the_plan.unsafe)
    return records, missing, found


def run(options: Options, on_record: Callable[[dict], None] | None = None) -> tuple[list[dict], list[str], dict]:
    """Plan, grade, finish: the whole run without a terminal (tests, notebooks)."""
    the_plan = plan(options)
    for record in grade(options, the_plan):
        if on_record is not None:
            on_record(record)
    return finish(options, the_plan)
