"""`make bench`: how long a learner waits. Prints a table of numbers; never passes or fails.

- floor: `python -c "import numpy, hypothesis, rich.table, click"`, the imports any
  hypothesis-and-rich tool pays before doing anything;
- cold `grade softmax` on the reference (a fresh process each time, as a learner runs it);
- plain pytest running equivalent property tests in-process (no sandbox, no report);
- every topic, quick and thorough profiles: wall time and the judge's own time;
- `grade class` on a generated class against an `xargs -P 2 grade all` loop (bench/class_bench.py;
  minutes: BENCH_STUDENTS=100 by default, BENCH_CLASS=0 skips it).
Each number is the median of several runs, interleaved so that load affects all alike.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def wall(command: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    return time.perf_counter() - started, out.stdout


def median_walls(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():  # interleaved: a load spike hits every command
            samples[name].append(wall(command)[0])
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    from rich.console import Console
    from rich.table import Table

    from grader.course import catalog

    python = sys.executable
    grade = str(BIN / "grade")
    headline = median_walls({
        "floor": [python, "-c", "import numpy, hypothesis, rich.table, click"],
        "grade": [grade, "softmax", "--exercises", "solutions"],
        "pytest": [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "bench/pytest_softmax"],
    }, RUNS)
    console = Console()
    table = Table(title=f"Cold start, median of {RUNS} (seconds)")
    for column in ("what", "seconds", "x floor"):
        table.add_column(column, justify="right" if column != "what" else "left")
    labels = {"floor": "import numpy, hypothesis, rich.table, click", "grade": "grade softmax --exercises solutions",
              "pytest": "pytest, equivalent property tests"}
    for name, seconds in headline.items():
        table.add_row(labels[name], f"{seconds:.3f}", f"{seconds / headline['floor']:.2f}")
    console.print(table)

    per_topic = Table(title="Per topic, reference solution (median of 3)")
    for column in ("topic", "quick wall", "quick judge", "thorough wall", "thorough judge", "checks"):
        per_topic.add_column(column, justify="right" if column != "topic" else "left")
    for topic in catalog.load().names:
        row = [topic]
        checks = "?"
        for profile in ("quick", "thorough"):
            walls, judges = [], []
            for _ in range(3):
                command = [grade, topic, "--exercises", "solutions", "--format", "json", "--profile", profile]
                seconds, out = wall(command)
                walls.append(seconds)
                try:
                    data = json.loads(out)
                    judges.append(data["timing"]["elapsed_s"])
                    checks = str(len(data["checks"]))
                except (ValueError, KeyError):
                    judges.append(float("nan"))
            row += [f"{statistics.median(walls):.3f}", f"{statistics.median(judges):.3f}"]
        per_topic.add_row(*row, checks)
    console.print(per_topic)
    if os.environ.get("BENCH_CLASS", "1") != "0":
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import class_bench

        class_bench.main()


if __name__ == "__main__":
    main()
