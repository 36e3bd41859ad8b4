"""Everything in the output folder except the journal, rebuilt from it and swapped in atomically:
gradebook.csv, junit.xml, gradescope/NAME.json, students/NAME.json, insights.json, report.html."""

from __future__ import annotations

import json
from pathlib import Path

from grader.classroom import insights
from grader.classroom.journal import write_atomically
from grader.classroom.student import topic_results
from grader.results.csv import gradebook
from grader.results.gradescope import to_gradescope
from grader.results.junit import clean, suites_document, testsuite
from grader.results.model import RunResult

UNSAFE_NOTE = ("graded WITHOUT the full sandbox (--unsafe-no-sandbox): learner code could reach the "
               "network, the filesystem and the references")


def student_document(record: dict) -> str:
    """The `grade all` JSON plus who, the digest of what they submitted, and the grader version."""
    document = dict(record["result"])
    document.update({key: record[key] for key in ("student", "status", "message", "digest", "grader_version",
                                                   "profile", "sandbox")})
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_student(out: Path, record: dict) -> None:
    write_atomically(out / "students" / f"{record['student']}.json", student_document(record))


def junit_document(records: list[dict], unsafe: bool) -> str:
    import xml.etree.ElementTree as ET

    suites = []
    for record in records:
        for topic in topic_results(record):
            suite = testsuite(topic, suite_name=record["student"])
            suite.set("name", clean(f"{record['student']}.{topic.topic}"))
            suites.append(suite)
    root = ET.Element("testsuites", {
        "name": "mlkatas class", "tests": str(sum(int(s.get("tests")) for s in suites)),
        "failures": str(sum(int(s.get("failures")) for s in suites)), "errors": "0", "skipped": "0",
        "time": f"{sum(float(s.get('time')) for s in suites):.3f}"})
    if unsafe and suites:
        properties = suites[0].find("properties")
        ET.SubElement(properties, "property", {"name": "sandbox", "value": UNSAFE_NOTE})
    root.extend(suites)
    return suites_document(root)


def gradebook_rows(records: list[dict], topics: list[str]) -> list[dict]:
    return [{"student": r["student"], "scores": r["scores"] if r["status"] != "no submission" else {},
             "total": r["score"], "max": r["max_score"], "status": r["status"]} for r in records]


def write_all(out: Path, records: list[dict], topics: list[str], *, unsafe: bool) -> dict:
    """Rebuild every derived file from these records (one per student, in roster order)."""
    for record in records:
        write_student(out, record)
        note = UNSAFE_NOTE if record.get("sandbox") != "full" else None
        write_atomically(out / "gradescope" / f"{record['student']}.json",
                         to_gradescope(RunResult(topic_results(record)), note=note) + "\n")
    write_atomically(out / "junit.xml", junit_document(records, unsafe))
    found = insights.class_insights(records, topics)
    found["unsafe"] = unsafe
    write_atomically(out / "insights.json", json.dumps(found, indent=2, ensure_ascii=False) + "\n")
    from grader.classroom import report

    write_atomically(out / "report.html", report.render(records, topics, found, unsafe=unsafe))
    write_atomically(out / "gradebook.csv", gradebook(gradebook_rows(records, topics), topics))
    return found
