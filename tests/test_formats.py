"""JUnit, Gradescope and CSV: each from the same result model, each checked against what reads it."""

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import cli
from grader.results.csv import read_checks, to_csv
from grader.results.gradescope import to_gradescope, to_gradescope_dict
from grader.results.junit import to_junit
from grader.results.model import CheckResult, RunResult, TopicResult
from helpers import SOLUTIONS, grade, submit

xmlschema = pytest.importorskip("xmlschema")
JUNIT_XSD = Path(__file__).resolve().parent / "data" / "junit.xsd"
NAIVE_SIGMOID = "\n\ndef sigmoid(x):\n    return 1.0 / (1.0 + np.exp(-np.asarray(x, float)))\n"

# Gradescope's results.json, as documented (gradescope/autograder_samples docs/specs.md).
GRADESCOPE_TOP = {"score", "execution_time", "output", "output_format", "test_output_format", "test_name_format",
                  "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"}
GRADESCOPE_TEST = {"score", "max_score", "status", "name", "name_format", "number", "output", "output_format",
                   "tags", "visibility", "extra_data"}
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = submit(tmp_path_factory.mktemp("formats"), "softmax", (SOLUTIONS / "softmax.py").read_text()
                    + NAIVE_SIGMOID)
    (folder / "conv_params.py").write_text("def conv2d_param_count(:\n")  # a syntax error
    topics = [grade("softmax", folder), grade("conv_params", folder)]
    odd = CheckResult(id="x.odd", function="f", tier="contract", title="odd <text> & \"quotes\"", points=0.0,
                      max_points=1.0, status="failed", message="bell \x07, nul \x00, escape \x1b[31m, é ✓",
                      counterexample="f(x='a,b\nc')", got="=cmd|' /C calc'!A0", printed="line1\r\nline2\x0c")
    topics.append(TopicResult("odd", "Odd characters", [odd], elapsed_s=0.5))
    return RunResult(topics, elapsed_s=1.0)


def test_junit_is_valid_against_the_schema_and_counts_failures(run):
    text = to_junit(run)
    schema = xmlschema.XMLSchema(str(JUNIT_XSD))
    schema.validate(text)
    doc = schema.to_dict(text)
    suites = doc["testsuite"]
    assert [s["@name"] for s in suites] == ["softmax", "conv_params", "odd"]
    softmax = suites[0]
    failing = [c for c in softmax["testcase"] if "failure" in c]
    assert softmax["@failures"] == len(failing) == sum(not c.passed for c in run.topics[0].checks) > 0
    overflow = next(c for c in failing if "overflow" in c["@name"])
    body = overflow["failure"][0]["$"]
    assert "sigmoid(x=" in body and "1 / (1 + exp(-x)) overflows" in body  # counterexample and the named mistake
    assert all(c["@classname"] == "mlkatas.softmax" for c in softmax["testcase"])
    assert doc["@tests"] == sum(len(t.checks) for t in run.topics)
    assert suites[1]["@failures"] == suites[1]["@tests"]  # nothing of a module that does not compile passes
    assert "\\x00" in suites[2]["testcase"][0]["failure"][0]["@message"]


def test_junit_schema_check_can_fail():
    schema = xmlschema.XMLSchema(str(JUNIT_XSD))
    assert not schema.is_valid('<testsuites><testsuite tests="1"><testcase name="a"/></testsuite></testsuites>')
    assert not schema.is_valid('<testsuites><testsuite name="a" tests="1"><testcase/></testsuite></testsuites>')


def test_gradescope_has_exactly_the_documented_fields(run):
    data = json.loads(to_gradescope(run))
    assert set(data) <= GRADESCOPE_TOP
    assert {"score", "execution_time", "output", "visibility", "stdout_visibility", "tests"} <= set(data)
    assert isinstance(data["score"], float) and isinstance(data["execution_time"], int)
    assert data["visibility"] in VISIBILITY and data["stdout_visibility"] in VISIBILITY
    checks = [c for t in run.topics for c in t.checks]
    assert len(data["tests"]) == len(checks)
    numbers = set()
    for test, check in zip(data["tests"], checks):
        assert set(test) <= GRADESCOPE_TEST
        assert {"score", "max_score", "status", "name", "number", "output", "tags", "visibility"} <= set(test)
        assert test["status"] == ("passed" if check.passed else "failed")
        assert test["score"] == check.points and test["max_score"] == check.max_points
        assert isinstance(test["name"], str) and isinstance(test["output"], str)
        assert all(isinstance(tag, str) for tag in test["tags"]) and test["visibility"] in VISIBILITY
        numbers.add(test["number"])
    assert len(numbers) == len(checks)
    assert data["score"] == pytest.approx(sum(t["score"] for t in data["tests"]))


def test_gradescope_note_is_in_the_output(run):
    assert "unsafe" in to_gradescope_dict(run, note="graded unsafe")["output"]


def test_csv_round_trips_through_the_csv_module(run):
    text = to_csv(run)
    back = read_checks(text)
    assert [(t.topic, c) for t in run.topics for c in t.checks] == back
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + len(back) and len({len(r) for r in rows}) == 1


def test_csv_reader_refuses_a_foreign_file():
    with pytest.raises(ValueError, match="not an mlkatas check CSV"):
        read_checks("a,b\n1,2\n")


@pytest.mark.parametrize("fmt", ["junit", "gradescope", "csv"])
def test_every_format_on_the_command_line(project, fmt):
    result = CliRunner().invoke(cli.main, ["softmax", "--exercises", str(SOLUTIONS), "--format", fmt],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    if fmt == "junit":
        xmlschema.XMLSchema(str(JUNIT_XSD)).validate(result.output)
        assert "<failure" not in result.output
    elif fmt == "gradescope":
        data = json.loads(result.output)
        assert data["score"] > 0 and all(t["status"] == "passed" for t in data["tests"])
    else:
        assert all(c.status == "passed" for _topic, c in read_checks(result.output))
    stub = CliRunner().invoke(cli.main, ["all", "--format", fmt], catch_exceptions=False)
    assert stub.exit_code == 1
