"""Results as CSV: one row per check (csv module, every field quoted), and the class gradebook.

`read_checks` parses the per-check file back into CheckResults: the format round-trips.
"""

from __future__ import annotations

import csv
import io
from dataclasses import fields

from grader.results.model import CheckResult, RunResult, TopicResult

CHECK_FIELDS = [f.name for f in fields(CheckResult) if f.name != "elapsed_s"]
COLUMNS = ["topic", *CHECK_FIELDS]
OPTIONAL = {f.name for f in fields(CheckResult) if f.default is None}  # empty cell <-> None
NUMBERS = {"points", "max_points"}


def to_csv(run: RunResult | TopicResult) -> str:
    topics = run.topics if isinstance(run, RunResult) else [run]
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(COLUMNS)
    for topic in topics:
        for check in topic.checks:
            writer.writerow([topic.topic] + [_cell(getattr(check, name)) for name in CHECK_FIELDS])
    return out.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)  # round-trips exactly
    return str(value)


def read_checks(text: str) -> list[tuple[str, CheckResult]]:
    """(topic, check) for every row of a file written by to_csv."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != COLUMNS:
        raise ValueError(f"not an mlkatas check CSV: the columns are {reader.fieldnames}, expected {COLUMNS}")
    rows = []
    for row in reader:
        values = {}
        for name in CHECK_FIELDS:
            cell = row[name]
            values[name] = float(cell) if name in NUMBERS else (None if name in OPTIONAL and cell == "" else cell)
        rows.append((row["topic"], CheckResult(**values)))
    return rows


GRADEBOOK_TAIL = ["total", "max", "percent", "status"]


def gradebook(rows: list[dict], topics: list[str]) -> str:
    """The class gradebook: student, one column per topic, total, max, percent, status.

    Each row is {"student", "scores": {topic: points}, "total", "max", "status"}. A name that
    a spreadsheet would run as a formula (=, +, -, @ first) is written with a leading quote.
    """
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(["student", *topics, *GRADEBOOK_TAIL])
    for row in rows:
        scores = row.get("scores", {})
        percent = 100.0 * row["total"] / row["max"] if row["max"] else 0.0
        writer.writerow([_safe_text(row["student"]), *(_number(scores.get(t)) for t in topics),
                         _number(row["total"]), _number(row["max"]), f"{percent:.1f}", row["status"]])
    return out.getvalue()


def _number(value) -> str:
    return "" if value is None else f"{value:g}"


def _safe_text(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
