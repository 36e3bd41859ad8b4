"""The `grade` command as a user types it (click's CliRunner, in a temporary project)."""

import json

import pytest
from click.testing import CliRunner

from grader import cli
from grader.course import catalog
from grader.results.model import SCHEMA
from helpers import SOLUTIONS


def run(*args):
    return CliRunner().invoke(cli.main, list(args), catch_exceptions=False)


def test_reference_as_json_is_full_marks_and_exit_0(project):
    result = run("softmax", "--exercises", str(SOLUTIONS), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["schema"] == SCHEMA and data["topic"] == "softmax"
    assert data["score"] == data["max_score"] > 0
    keys = {"id", "function", "tier", "title", "points", "max_points", "status", "message", "counterexample",
            "expected", "got", "diagnosis", "hint"}
    assert all(keys <= set(check) for check in data["checks"])
    assert {"hypothesis", "numpy"} <= set(data["versions"])


def test_stub_is_exit_1_with_every_check_todo(project):
    result = run("softmax", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["score"] == 0 and {c["status"] for c in data["checks"]} == {"todo"}


def test_table_shows_the_failing_input_and_the_named_mistake(project):
    naive_sigmoid = "\n\ndef sigmoid(x):\n    return 1.0 / (1.0 + np.exp(-np.asarray(x, float)))\n"
    (project / "exercises" / "softmax.py").write_text((SOLUTIONS / "softmax.py").read_text() + naive_sigmoid)
    result = run("softmax")
    assert result.exit_code == 1
    text = result.output
    assert "sigmoid handles |x| up to 1e4 without overflow" in text
    assert "input" in text and "sigmoid(x=" in text
    assert "1 / (1 + exp(-x)) overflows for large negative x" in text
    assert "grade hint softmax" in text


def test_fail_under_sets_the_bar(project):
    source = (SOLUTIONS / "softmax.py").read_text() + "\n\ndef sigmoid(x):\n    raise NotImplementedError\n"
    (project / "exercises" / "softmax.py").write_text(source)
    assert run("softmax", "--format", "json").exit_code == 1
    assert run("softmax", "--format", "json", "--fail-under", "80").exit_code == 0


def test_unknown_topic_is_a_usage_error_with_the_closest_name(project):
    result = CliRunner().invoke(cli.main, ["sofmax"])
    assert result.exit_code == 2
    assert "Did you mean softmax" in result.output


def test_a_unique_prefix_is_accepted(project):
    result = run("soft", "--exercises", str(SOLUTIONS), "--format", "json")
    assert json.loads(result.output)["topic"] == "softmax"


def test_an_ambiguous_prefix_lists_the_candidates(project):
    names = catalog.load().names
    prefix = next((n[:1] for n in names if sum(m.startswith(n[:1]) for m in names) > 1), None)
    if prefix is None:
        pytest.skip("no two topics share a first letter")
    result = CliRunner().invoke(cli.main, [prefix])
    assert result.exit_code == 2 and "could be any of" in result.output


def test_missing_exercises_folder_is_a_usage_error(project):
    result = CliRunner().invoke(cli.main, ["softmax", "--exercises", str(project / "nowhere")])
    assert result.exit_code == 2 and "no folder" in result.output


def test_grade_all_wraps_topics_with_totals(project):
    result = run("all", "--exercises", str(SOLUTIONS), "--format", "json")
    data = json.loads(result.output)
    assert [t["topic"] for t in data["topics"]] == list(catalog.load().names)
    assert data["score"] == sum(t["score"] for t in data["topics"])
    assert result.exit_code == (0 if data["score"] == data["max_score"] else 1)


def test_hints_are_revealed_one_at_a_time_and_remembered(project):
    hints = catalog.load().topic("softmax").hints
    first = run("hint", "softmax")
    assert "Hint 1/3" in first.output and "Hint 2/3" not in first.output
    second = run("hint", "softmax")
    assert "Hint 2/3" in second.output and "Hint 3/3" not in second.output
    third = run("hint", "softmax")
    assert "Hint 3/3" in third.output
    fourth = run("hint", "softmax")
    assert "No more hints" in fourth.output
    again = run("hint", "softmax", "--all")
    assert all(f"Hint {i}/3" in again.output for i in (1, 2, 3))
    assert hints[0][:30] in " ".join(again.output.split())


def test_list_shows_every_topic_and_progress(project):
    run("softmax", "--exercises", "exercises")
    result = run("list")
    assert result.exit_code == 0
    for name in catalog.load().names:
        assert name in result.output
    assert "Overall" in result.output


def test_bare_grade_names_the_next_topic(project):
    result = run()
    first = catalog.load().names[0]
    assert f"grade {first}" in result.output


@pytest.mark.parametrize("args", [["softmax"], ["list"], ["hint", "softmax"], []])
def test_piped_output_has_no_control_codes_and_fits_80_columns(project, monkeypatch, args):
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("NO_COLOR", raising=False)  # piped output must be plain even without NO_COLOR
    naive = "\n\ndef sigmoid(x):\n    return 1.0 / (1.0 + np.exp(-np.asarray(x, float)))\n"
    (project / "exercises" / "softmax.py").write_text((SOLUTIONS / "softmax.py").read_text() + naive)
    output = CliRunner().invoke(cli.main, args).output
    assert output.strip()
    assert "\x1b[" not in output
    assert max(len(line) for line in output.splitlines()) <= 80
