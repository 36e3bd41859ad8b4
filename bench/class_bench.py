"""`grade class` against the loop instructors run today, on the same generated class, in the same run.

The class: BENCH_STUDENTS (100) students x every topic; each student's module per topic is the
reference or one of the topic's known mistakes (a fixed pattern), so most students fail some
checks, as a real class does. Measured, interleaved (class, loop, class):
- loop: `ls | xargs -P 2 -I{} grade all --exercises SUB/{} --format json` (a fresh judge per student);
- class: `grade class SUB --out DIR --jobs 2`.
Wall time, the process tree's CPU time and peak resident memory (sampled every 0.1 s), and a check that
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


def tree_sample(pid: int) -> tuple[int, dict[int, float]]:
    """Resident bytes of pid and all its descendants, and each one's CPU seconds so far."""
    children: dict[int, list[int]] = {}
    stats: dict[int, tuple[int, float]] = {}
    ticks = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        stats[int(entry)] = (int(fields[21]) * os.sysconf("SC_PAGE_SIZE"), (int(fields[11]) + int(fields[12])) / ticks)
    rss, cpu, stack = 0, {}, [pid]
    while stack:
        current = stack.pop()
        if current in stats:
            rss += stats[current][0]
            cpu[current] = stats[current][1]
        stack += children.get(current, [])
    return rss, cpu


def measure(command: str) -> tuple[float, int, float]:
    """Wall seconds, peak resident bytes of the tree, CPU seconds of the tree (sampled: a lower bound)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, shell=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak, cpu = 0, {}
    while process.poll() is None:
        rss, seen = tree_sample(process.pid)
        peak = max(peak, rss)
        for pid, seconds in seen.items():
            cpu[pid] = max(cpu.get(pid, 0.0), seconds)
        time.sleep(0.1)
    return time.perf_counter() - started, peak, sum(cpu.values())


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
        order = os.environ.get("BENCH_ORDER", "class,loop,class").split(",")
        for name in order:
            out = folder / f"class-{len(runs['class'])}"
            command = loop if name == "loop" else f"{grade} class {submissions} --out {out} --jobs 2"
            load = os.getloadavg()[0]
            runs[name].append((*measure(command), load))
        loop_scores = {p.stem: json.loads(p.read_text())["score"] for p in loop_out.glob("*.json")}
        class_scores = {json.loads(line)["student"]: json.loads(line)["score"]
                        for line in (folder / "class-0" / "results.jsonl").open()}
    console = Console()
    table = Table(title=f"{students} students x every topic, 2 at a time ({os.cpu_count()} cores)")
    for column in ("how", "wall s", "CPU s (tree, sampled)", "peak MiB (tree)", "load avg at start",
                   "x faster (wall)"):
        table.add_column(column, justify="left" if column == "how" else "right")
    loop_wall = runs["loop"][0][0]
    for name, label in (("loop", "xargs -P 2 grade all --format json"), ("class", "grade class --jobs 2")):
        for wall, peak, cpu, load in runs[name]:
            table.add_row(label, f"{wall:.1f}", f"{cpu:.0f}", f"{peak / 2**20:.0f}", f"{load:.1f}",
                          f"{loop_wall / wall:.2f}")
    console.print(table)
    same = loop_scores == class_scores and len(class_scores) == students
    console.print(f"same score for every student: {same}")


if __name__ == "__main__":
    main()
