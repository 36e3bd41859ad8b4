"""`grade class` against the loop instructors run today, on the same generated class, in the same run.

The class: BENCH_STUDENTS (100) students x every topic; each student's module per topic is the
reference or one of the topic's known mistakes (a fixed pattern), so most students fail some
checks, as a real class does. Measured, interleaved (class, loop, class):
- loop: `ls | xargs -P 2 -I{} grade all --exercises SUB/{} --format json` (a fresh judge per student);
- class: `grade class SUB --out DIR --jobs 2`.
Wall time, the process tree's peak resident memory (sampled every 0.2 s), and a check that
both give every student the same score. Numbers only; never pass or fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "tests"))


def make_class(folder: Path, students: int) -> Path:
    from grader.course import catalog
    from grader.judging import judge
    from helpers import SOLUTIONS, mistake_source

    submissions = folder / "submissions"
    for number in range(students):
        student = submissions / f"student{number:03d}"
        student.mkdir(parents=True)
        for index, topic in enumerate(catalog.load().names):
            mistakes = judge.load_spec(topic).mistakes
            pick = (number * 7 + index * 3) % (len(mistakes) + 2)
            source = ((SOLUTIONS / f"{topic}.py").read_text() if pick < 2
                      else mistake_source(topic, mistakes[pick - 2]))
            (student / f"{topic}.py").write_text(source)
    return submissions


def tree_rss(pid: int) -> int:
    """Resident bytes of pid and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack += children.get(current, [])
    return total


def measure(command: str) -> tuple[float, int]:
    started = time.perf_counter()
    process = subprocess.Popen(command, shell=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.2)
    return time.perf_counter() - started, peak


def main() -> None:
    from rich.console import Console
    from rich.table import Table

    students = int(os.environ.get("BENCH_STUDENTS", "100"))
    grade = BIN / "grade"
    with tempfile.TemporaryDirectory(prefix="mlkatas-class-bench-") as temporary:
        folder = Path(temporary)
        submissions = make_class(folder, students)
        loop_out = folder / "loop"
        loop_out.mkdir()
        loop = (f"ls {submissions} | xargs -P 2 -I{{}} sh -c '{grade} all --exercises {submissions}/{{}} "
                f"--format json > {loop_out}/{{}}.json'")
        runs = {"class": [], "loop": []}
        for name in ("class", "loop", "class"):
            out = folder / f"class-{len(runs['class'])}"
            command = loop if name == "loop" else f"{grade} class {submissions} --out {out} --jobs 2"
            load = os.getloadavg()[0]
            runs[name].append((*measure(command), load))
        loop_scores = {p.stem: json.loads(p.read_text())["score"] for p in loop_out.glob("*.json")}
        class_scores = {json.loads(line)["student"]: json.loads(line)["score"]
                        for line in (folder / "class-0" / "results.jsonl").open()}
    console = Console()
    table = Table(title=f"{students} students x every topic, 2 at a time ({os.cpu_count()} cores)")
    for column in ("how", "wall s", "peak MiB (tree)", "load avg at start", "x faster than the loop"):
        table.add_column(column, justify="left" if column == "how" else "right")
    loop_wall = runs["loop"][0][0]
    for name, label in (("loop", "xargs -P 2 grade all --format json"), ("class", "grade class --jobs 2")):
        for wall, peak, load in runs[name]:
            table.add_row(label, f"{wall:.1f}", f"{peak / 2**20:.0f}", f"{load:.1f}", f"{loop_wall / wall:.2f}")
    console.print(table)
    same = loop_scores == class_scores and len(class_scores) == students
    console.print(f"same score for every student: {same}")


if __name__ == "__main__":
    main()
