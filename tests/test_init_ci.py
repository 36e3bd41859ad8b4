"""`grade init-ci`: a workflow GitHub Actions can read, whose summary script reads our JUnit."""

import subprocess
import sys

import pytest
from click.testing import CliRunner

from grader import cli
from grader.judging import judge
from helpers import SOLUTIONS

yaml = pytest.importorskip("yaml")


def test_the_workflow_grades_uploads_and_summarises(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli.main, ["init-ci", "--fail-under", "80"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    workflow = yaml.safe_load((tmp_path / ".github" / "workflows" / "grade.yml").read_text())
    steps = {step.get("name", step.get("uses")): step for step in workflow["jobs"]["grade"]["steps"]}
    assert "grade all --format junit --fail-under 80 > grade-results.xml" in steps["Grade"]["run"]
    assert "bubblewrap" in steps["Install the sandbox and the grader"]["run"]
    assert steps["Upload the JUnit report"]["with"]["path"] == "grade-results.xml"
    assert steps["Upload the JUnit report"]["if"] == "always()"

    junit = CliRunner().invoke(cli.main, ["softmax", "mle", "--exercises", str(SOLUTIONS), "--format", "junit"],
                               catch_exceptions=False).output
    (tmp_path / "grade-results.xml").write_text(junit)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")}
    summary = subprocess.run(["bash", "-e", "-c", steps["Points in the job summary"]["run"]], cwd=tmp_path, env=env,
                             capture_output=True, text=True)
    assert summary.returncode == 0, summary.stderr
    text = (tmp_path / "summary.md").read_text()
    full = sum(c.points for c in judge.load_spec("softmax").checks)
    assert f"| softmax | {full:g}/{full:g} | 0 |" in text and "**total**" in text

    again = CliRunner().invoke(cli.main, ["init-ci"])
    assert again.exit_code == 1 and "--force" in again.output
    assert CliRunner().invoke(cli.main, ["init-ci", "--force"]).exit_code == 0
