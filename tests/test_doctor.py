"""Saying the sandbox level: `grade doctor`, the JSON result, the table's footer, --verbose."""

import json

from click.testing import CliRunner

from grader import cli
from grader.sandbox import isolation
from helpers import SOLUTIONS


def run(*args):
    return CliRunner().invoke(cli.main, list(args), catch_exceptions=False)


def test_doctor_shows_every_layer_on_in_each_mode(sandbox_mode):
    result = run("doctor", "--format", "json")
    data = json.loads(result.output)
    on = {row["layer"] for row in data["rows"] if row["on"]}
    assert result.exit_code == 0 and data["level"] == "full" and data["problem"] is None
    assert {"limits", "namespaces", "landlock", "seccomp"} <= on
    assert ("bubblewrap" in on) == (sandbox_mode == "bubblewrap")
    table = run("doctor")
    assert table.exit_code == 0 and "Level: full" in table.output and "landlock" in table.output


def test_the_json_result_says_the_level_and_its_layers(sandbox_mode):
    result = run("softmax", "--exercises", str(SOLUTIONS), "--format", "json")
    data = json.loads(result.output)
    assert data["sandbox"]["level"] == "full"
    expected = "namespaces:bubblewrap" if sandbox_mode == "bubblewrap" else "namespaces:unshare"
    assert expected in data["sandbox"]["layers"] and "seccomp" in data["sandbox"]["layers"]
    assert data["budget_s"] == 60.0


def test_below_the_full_level_the_table_says_so_and_doctor_says_how(monkeypatch):
    monkeypatch.setenv("MLKATAS_SANDBOX", "off")
    isolation.detect.cache_clear()
    try:
        graded = " ".join(run("softmax", "--exercises", str(SOLUTIONS)).output.split())  # unwrapped
        assert "sandbox is at the basic level" in graded and "`grade doctor` says which" in graded
        verbose = " ".join(run("softmax", "--exercises", str(SOLUTIONS), "--verbose").output.split())
        assert "Sandbox at the basic level" in verbose
        doctor = run("doctor")
        assert doctor.exit_code == 1 and "Level: basic" in doctor.output
        data = json.loads(run("softmax", "--exercises", str(SOLUTIONS), "--format", "json").output)
        assert data["sandbox"] == {"level": "basic", "layers": ["limits"]}
    finally:
        isolation.detect.cache_clear()


def test_at_the_full_level_the_table_has_no_note(sandbox_mode):
    graded = run("softmax", "--exercises", str(SOLUTIONS))
    assert "softmax passed" in graded.output and "basic level" not in graded.output
