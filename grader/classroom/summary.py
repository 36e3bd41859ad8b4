"""The end of `grade class` in the terminal: a per-topic table, the insights, where the files are."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from grader.classroom.insights import sentence

SHOWN = 8  # insights lines in the terminal; report.html has them all


def print_summary(console, records: list[dict], topics: list[str], found: dict, out: Path) -> None:
    from rich.markup import escape
    from rich.table import Table

    statuses = Counter(r["status"] for r in records)
    table = Table(title=f"{len(records)} students: " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())),
                  show_edge=False)
    for column in ("topic", "mean %", "median %", "full marks"):
        table.add_column(column, justify="left" if column == "topic" else "right")
    for row in found["per_topic"]:
        mean = "-" if row["mean"] is None else f"{row['mean']:.0f}"
        median = "-" if row["median"] is None else f"{row['median']:.0f}"
        table.add_row(row["topic"], mean, median, f"{row['full_marks']}/{row['students']}")
    console.print(table)
    if found["mistakes"]:
        console.print("[bold]Named mistakes, most common first[/]")
        for item in found["mistakes"][:SHOWN]:
            console.print(f"  {escape(sentence(item))}")
    if found["failing_checks"]:
        console.print("[bold]Failing checks, most common first[/]")
        for item in found["failing_checks"][:SHOWN]:
            console.print(f"  {escape(sentence(item))}")
    if found["topic_problems"]:
        console.print("[bold]Modules that could not be graded[/]")
        for item in found["topic_problems"][:SHOWN]:
            console.print(f"  {escape(sentence(item))}")
    for problem in found["problems"]:
        console.print(f"[red]{problem['status']}[/] {escape(problem['student'])}: {escape(problem['message'])}")
    if found.get("unsafe"):
        console.print("[bold red]graded without the full sandbox (--unsafe-no-sandbox)[/]")
    console.print(f"Gradebook: {out / 'gradebook.csv'}  (also junit.xml, gradescope/, students/, results.jsonl)")
