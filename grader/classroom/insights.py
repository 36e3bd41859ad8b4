"""What the class got wrong: named mistakes and failing checks, most common first; per-topic
statistics; students whose grading ended in an error or a timeout. Plain data from the journal."""

from __future__ import annotations

import statistics
from collections import Counter


def class_insights(records: list[dict], topics: list[str]) -> dict:
    submitted = [r for r in records if r["status"] != "no submission"]
    size = len(submitted)
    mistakes: Counter = Counter()
    failing: Counter = Counter()
    unrunnable: Counter = Counter()  # (topic, problem kind): a missing module, a syntax error...
    checks: dict[tuple, dict] = {}  # (topic, check id) -> title, max points, students failing
    for record in submitted:
        seen_mistakes, seen_checks = set(), set()
        for topic in record["result"]["topics"]:
            if topic.get("problem"):
                unrunnable[(topic["topic"], _problem_kind(topic["problem"]))] += 1
            for check in topic["checks"]:
                key = (topic["topic"], check["id"])
                entry = checks.setdefault(key, {"topic": topic["topic"], "id": check["id"], "title": check["title"],
                                                "tier": check["tier"], "failed": 0, "todo": 0})
                if check["status"] == "passed":
                    continue
                entry["todo" if check["status"] == "todo" else "failed"] += 1
                if check["status"] != "todo" and not topic.get("problem"):
                    seen_checks.add(key)  # a module that is missing or does not import is counted once, above
                if check.get("diagnosis"):
                    seen_mistakes.add((topic["topic"], check["diagnosis"]))
        mistakes.update(seen_mistakes)
        failing.update(seen_checks)
    per_topic = []
    for name in topics:
        percents = [_percent(r["scores"].get(name), _topic_max(r, name)) for r in submitted]
        percents = [p for p in percents if p is not None]
        per_topic.append({"topic": name, "mean": statistics.fmean(percents) if percents else None,
                          "median": statistics.median(percents) if percents else None,
                          "full_marks": sum(p >= 100.0 - 1e-9 for p in percents), "students": len(percents)})
    return {
        "students": len(records), "submitted": size,
        "mistakes": [{"topic": t, "mistake": m, "students": n, "share": n / size}
                     for (t, m), n in sorted(mistakes.items(), key=lambda kv: (-kv[1], kv[0]))],
        "failing_checks": [{**checks[key], "students": n, "share": n / size}
                           for key, n in sorted(failing.items(), key=lambda kv: (-kv[1], kv[0]))],
        "topic_problems": [{"topic": t, "problem": p, "students": n, "share": n / size}
                           for (t, p), n in sorted(unrunnable.items(), key=lambda kv: (-kv[1], kv[0]))],
        "checks": [{**entry, "rate": (entry["failed"] + entry["todo"]) / size if size else 0.0}
                   for entry in checks.values()],
        "per_topic": per_topic,
        "problems": [{"student": r["student"], "status": r["status"], "message": r["message"]}
                     for r in records if r["status"] in ("error", "timeout")],
        "totals": [100.0 * r["score"] / r["max_score"] if r["max_score"] else 0.0 for r in records],
    }


def _problem_kind(problem: str) -> str:
    if "does not exist" in problem:
        return "no module submitted"
    if "syntax error" in problem:
        return "a syntax error"
    if problem.startswith("importing"):
        return "the module fails to import"
    return problem.splitlines()[0][:80]


def _topic_max(record: dict, name: str) -> float | None:
    for topic in record["result"]["topics"]:
        if topic["topic"] == name:
            return topic["max_score"]
    return None


def _percent(score, maximum) -> float | None:
    if score is None or not maximum:
        return None
    return 100.0 * score / maximum


def sentence(item: dict) -> str:
    """'41% of the class: no max-shift: exp overflows (softmax)'."""
    what = item.get("mistake") or item.get("title") or item.get("problem")
    return f"{100 * item['share']:.0f}% of the class ({item['students']}): {what} ({item['topic']})"
