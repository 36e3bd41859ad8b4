"""Results as JUnit XML: one testsuite per topic, one testcase per check.

The shape GitLab's and Jenkins' JUnit parsers and dorny/test-reporter read: testsuites >
testsuite (name, tests, failures, errors, skipped, time) > testcase (classname, name,
time) with a <failure message type> whose text is the counterexample, what came back,
what was expected, the named mistake and the hint. A check that is not passed is a
failure whatever its status (the status is the failure's type): the learner's code is
what failed, never the test harness.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from grader.results.model import CheckResult, RunResult, TopicResult

# XML 1.0 cannot carry most control characters, and learners' messages and output may hold any.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """Text that XML 1.0 can carry: each forbidden character becomes a visible \\xNN escape."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def failure_text(check: CheckResult) -> str:
    rows = [("why", check.message), ("input", check.counterexample), ("got", check.got),
            ("expected", check.expected), ("mistake", check.diagnosis), ("hint", check.hint),
            ("printed", check.printed)]
    return "\n".join(f"{label:<9} {value}" for label, value in rows if value)


def _seconds(value: float) -> str:
    return f"{max(value, 0.0):.3f}"


def testsuite(topic: TopicResult, suite_name: str = "mlkatas") -> ET.Element:
    failures = sum(not c.passed for c in topic.checks)
    suite = ET.Element("testsuite", {
        "name": topic.topic, "tests": str(len(topic.checks)), "failures": str(failures), "errors": "0",
        "skipped": "0", "time": _seconds(topic.elapsed_s)})
    properties = ET.SubElement(suite, "properties")
    for name, value in (("title", topic.title), ("score", f"{topic.score:g}"),
                        ("max_score", f"{topic.max_score:g}"), ("problem", topic.problem)):
        if value:
            ET.SubElement(properties, "property", {"name": name, "value": clean(value)})
    for check in topic.checks:
        case = ET.SubElement(suite, "testcase", {
            "classname": f"{suite_name}.{topic.topic}", "name": clean(f"{check.title} [{check.id}]"),
            "time": _seconds(check.elapsed_s)})
        if not check.passed:
            failure = ET.SubElement(case, "failure", {"message": clean(check.message or check.status),
                                                      "type": check.status})
            failure.text = clean(failure_text(check))
    return suite


def to_junit(run: RunResult | TopicResult, name: str = "mlkatas") -> str:
    topics = run.topics if isinstance(run, RunResult) else [run]
    root = ET.Element("testsuites", {
        "name": clean(name), "tests": str(sum(len(t.checks) for t in topics)),
        "failures": str(sum(not c.passed for t in topics for c in t.checks)), "errors": "0", "skipped": "0",
        "time": _seconds(sum(t.elapsed_s for t in topics))})
    root.extend(testsuite(t) for t in topics)
    return suites_document(root)


def suites_document(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
