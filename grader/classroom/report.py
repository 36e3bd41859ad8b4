"""report.html: the class on one self-contained page (inline CSS and SVG; no script, no network).

A score histogram, per-topic mean and median, per-check failure rates, the insights and
the student table (the gradebook's numbers). Everything is escaped: student names, check
titles and messages come from submissions and may hold anything.
"""

from __future__ import annotations

from html import escape

from grader import __version__
from grader.classroom.insights import sentence
from grader.classroom.outputs import UNSAFE_NOTE

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#222}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.9rem}td,th{padding:.2rem .6rem;border-bottom:1px solid #eee;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.unsafe{background:#fde2e2;border:2px solid #c00;
padding:.6rem;font-weight:bold}.stats span{display:inline-block;margin-right:2rem}.bar{fill:#4a78c2}
.median{stroke:#c2410c;stroke-width:3}.axis{stroke:#999}.label{font-size:11px;fill:#333}
.timeout,.error{color:#b00}.muted{color:#777}
"""
HIST_BINS = 10


def render(records: list[dict], topics: list[str], found: dict, *, unsafe: bool) -> str:
    totals = found["totals"]
    mean = sum(totals) / len(totals) if totals else 0.0
    ordered = sorted(totals)
    median = (ordered[len(ordered) // 2] if len(ordered) % 2 else
              (ordered[len(ordered) // 2 - 1] + ordered[len(ordered) // 2]) / 2) if ordered else 0.0
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>mlkatas class report</title><style>{STYLE}</style></head><body>",
        "<h1>mlkatas class report</h1>",
    ]
    if unsafe:
        parts.append(f'<p class="unsafe" id="unsafe">{escape(UNSAFE_NOTE)}</p>')
    profiles = sorted({r.get("profile", "?") for r in records})
    parts.append(f'<p class="stats"><span>{found["students"]} students</span><span>{found["submitted"]} '
                 f'submitted</span><span>mean {mean:.1f}%</span><span>median {median:.1f}%</span>'
                 f'<span class="muted">grader {escape(__version__)}, profile {escape(", ".join(profiles))}</span></p>')
    parts += ["<h2>Scores</h2>", histogram(totals), "<h2>Per topic (mean bar, median line)</h2>",
              topic_chart(found["per_topic"]), "<h2>Insights</h2>", insights_section(found),
              "<h2>Checks, by failure rate</h2>", checks_table(found["checks"]),
              "<h2>Students</h2>", students_table(records, topics), "</body></html>"]
    return "\n".join(parts) + "\n"


def histogram(totals: list[float]) -> str:
    counts = [0] * HIST_BINS
    for value in totals:
        counts[min(HIST_BINS - 1, int(value // (100 / HIST_BINS)))] += 1
    width, height, left, bottom = 570, 200, 30, 30
    tallest = max(counts) or 1
    step = (width - left) / HIST_BINS
    bars = []
    for index, count in enumerate(counts):
        h = (height - bottom - 10) * count / tallest
        x = left + index * step
        low = index * 100 // HIST_BINS
        label = f"{low}-{low + 100 // HIST_BINS}%"
        bars.append(f'<rect class="bar" x="{x + 2:.1f}" y="{height - bottom - h:.1f}" width="{step - 4:.1f}" '
                    f'height="{h:.1f}"><title>{label}: {count} students</title></rect>')
        bars.append(f'<text class="label" x="{x:.1f}" y="{height - bottom + 14}" text-anchor="middle">{low}</text>')
        if count:
            bars.append(f'<text class="label" x="{x + step / 2:.1f}" y="{height - bottom - h - 3:.1f}" '
                        f'text-anchor="middle">{count}</text>')
    axis = (f'<line class="axis" x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}"/>'
            f'<text class="label" x="{width}" y="{height - bottom + 14}" text-anchor="end">100</text>')
    return (f'<svg id="histogram" role="img" aria-label="histogram of total scores" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
            f'{axis}{"".join(bars)}<text class="label" x="{width - 4}" y="{height - 2}" text-anchor="end">'
            f'total score, % of the maximum</text></svg>')


def topic_chart(per_topic: list[dict]) -> str:
    row, left, width = 24, 170, 720
    height = row * len(per_topic) + 20
    scale = (width - left - 110) / 100  # room on the right for "mean% / median%"
    items = []
    for index, item in enumerate(per_topic):
        y = 10 + index * row
        items.append(f'<text class="label" x="{left - 6}" y="{y + 15}" text-anchor="end">'
                     f'{escape(item["topic"])}</text>')
        if item["mean"] is None:
            continue
        items.append(f'<rect class="bar" x="{left}" y="{y + 4}" width="{item["mean"] * scale:.1f}" height="14">'
                     f'<title>{escape(item["topic"])}: mean {item["mean"]:.1f}%</title></rect>')
        x = left + item["median"] * scale
        items.append(f'<line class="median" x1="{x:.1f}" y1="{y + 1}" x2="{x:.1f}" y2="{y + 21}">'
                     f'<title>median {item["median"]:.1f}%</title></line>')
        items.append(f'<text class="label" x="{left + 100 * scale + 6:.1f}" y="{y + 15}">{item["mean"]:.0f}% / '
                     f'{item["median"]:.0f}%</text>')
    return (f'<svg id="topics" role="img" aria-label="mean and median score per topic" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
            f'{"".join(items)}</svg>')


def insights_section(found: dict) -> str:
    rows = []
    for kind, items in (("named mistake", found["mistakes"]), ("module not graded", found["topic_problems"]),
                        ("failing check", found["failing_checks"][:20])):
        for item in items:
            rows.append(f"<tr><td>{kind}</td><td>{escape(sentence(item))}</td></tr>")
    for problem in found["problems"]:
        rows.append(f'<tr><td class="{escape(problem["status"])}">{escape(problem["status"])}</td>'
                    f'<td>{escape(problem["student"])}: {escape(problem["message"])}</td></tr>')
    if not rows:
        return "<p>Nothing to report: every submitted check passed.</p>"
    return '<table id="insights"><tr><th>what</th><th>how often</th></tr>' + "".join(rows) + "</table>"


def checks_table(checks: list[dict]) -> str:
    rows = []
    for item in sorted(checks, key=lambda c: (-c["rate"], c["topic"], c["id"])):
        bar = (f'<svg width="104" height="12" xmlns="http://www.w3.org/2000/svg"><rect class="bar" x="0" y="1" '
               f'width="{100 * item["rate"]:.1f}" height="10"/></svg>')
        rows.append(f'<tr><td>{escape(item["topic"])}</td><td>{escape(item["title"])}</td>'
                    f'<td>{escape(item["tier"])}</td><td class="n">{item["failed"]}</td>'
                    f'<td class="n">{item["todo"]}</td>'
                    f'<td class="n">{100 * item["rate"]:.0f}%</td><td>{bar}</td></tr>')
    return ('<table id="checks"><tr><th>topic</th><th>check</th><th>tier</th><th class="n">failed</th>'
            '<th class="n">not written</th><th class="n">rate</th><th></th></tr>' + "".join(rows) + "</table>")


def students_table(records: list[dict], topics: list[str]) -> str:
    head = "".join(f'<th class="n">{escape(t)}</th>' for t in topics)
    rows = []
    for record in records:
        scores = record["scores"] if record["status"] != "no submission" else {}
        cells = "".join(f'<td class="n">{"" if scores.get(t) is None else f"{scores[t]:g}"}</td>' for t in topics)
        percent = 100.0 * record["score"] / record["max_score"] if record["max_score"] else 0.0
        status = escape(record["status"])
        rows.append(f'<tr><td>{escape(record["student"])}</td>{cells}<td class="n">{record["score"]:g}</td>'
                    f'<td class="n">{record["max_score"]:g}</td><td class="n">{percent:.1f}</td>'
                    f'<td class="{status.replace(" ", "-")}">{status}</td></tr>')
    return (f'<table id="students"><tr><th>student</th>{head}<th class="n">total</th><th class="n">max</th>'
            f'<th class="n">percent</th><th>status</th></tr>' + "".join(rows) + "</table>")
