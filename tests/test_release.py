"""`grade release`: a learner bundle that grades like the project but holds no readable reference."""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import cli
from grader.course import catalog
from helpers import ROOT, SOLUTIONS

TOPICS = catalog.load().names
MIN_LINE = 20  # shorter lines ("return out") say nothing about a solution


def secret_lines(topic: str) -> set[str]:
    """The reference's lines that nothing the grader ships (stubs, specs, engine, docs) already contains."""
    shipped = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "grader").rglob("*.py"))
    shipped += (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    shipped += (ROOT / "grader" / "course" / "catalog.toml").read_text(encoding="utf-8")  # near-code hints, on purpose
    lines = {line.strip() for line in (SOLUTIONS / f"{topic}.py").read_text(encoding="utf-8").splitlines()}
    return {line for line in lines if len(line) >= MIN_LINE and line not in shipped}


def found_in(folder: Path, lines: set[str]) -> list[tuple[str, str]]:
    hits = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            hits += [(str(path.relative_to(folder)), line) for line in lines if line.encode() in data]
    return hits


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    root = tmp_path_factory.mktemp("release")
    result = CliRunner().invoke(cli.main, ["release", str(root / "bundle"), "--gradescope", str(root / "ag.zip")],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root


def test_no_reference_source_anywhere_in_the_bundle(bundle):
    folder = bundle / "bundle"
    assert not (folder / "solutions").exists()
    assert not list(folder.rglob("__pycache__"))
    assert sorted(p.stem for p in (folder / "exercises").glob("*.py")) == sorted(TOPICS)
    for topic in TOPICS:
        lines = secret_lines(topic)
        assert len(lines) >= 3, f"too few distinctive lines in the {topic} reference to test"
        assert found_in(folder, lines) == [], topic
    extracted = bundle / "zip"
    zipfile.ZipFile(bundle / "ag.zip").extractall(extracted)
    assert found_in(extracted, set().union(*map(secret_lines, TOPICS))) == []


def test_the_grep_finds_a_planted_reference(bundle, tmp_path):
    planted = tmp_path / "planted"
    shutil.copytree(bundle / "bundle", planted)
    shutil.copyfile(SOLUTIONS / "softmax.py", planted / "grader" / "notes.txt")
    assert found_in(planted, secret_lines("softmax"))


def test_release_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = CliRunner().invoke(cli.main, ["release", str(tmp_path)])
    assert result.exit_code == 1 and "not empty" in result.output
    assert (tmp_path / "keep.txt").read_text() == "mine"


def fresh_venv(folder: Path) -> Path:
    """A new venv that borrows the heavy dependencies (numpy, torch...) from this one; no network."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    import numpy

    shared = Path(numpy.__file__).resolve().parent.parent
    site = next((folder / "lib").glob("python3*/site-packages"))
    (site / "00-dependencies.pth").write_text(f"{shared}\n")
    return folder / "bin" / "python"


def test_the_bundle_installs_in_a_fresh_venv_and_grades(bundle, tmp_path):
    python = fresh_venv(tmp_path / "venv")
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                              "--no-build-isolation", "--no-index", str(bundle / "bundle")],
                             capture_output=True, text=True, timeout=600)
    if "no such option: --python" in install.stderr:
        pytest.skip("this pip cannot install into another interpreter")
    assert install.returncode == 0, install.stderr
    grade = tmp_path / "venv" / "bin" / "grade"
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("PYTHONPATH", None)
    where = subprocess.run([str(python), "-c", "import grader, grader.course; print(grader.course.SOLUTIONS_DIR)"],
                           capture_output=True, text=True, env=env, cwd=tmp_path)
    assert not Path(where.stdout.strip()).exists()  # the installed grader has no solutions/ to fall back on
    stubs = subprocess.run([str(grade), "all", "--format", "json"], cwd=bundle / "bundle", env=env,
                           capture_output=True, text=True, timeout=600)
    data = json.loads(stubs.stdout)
    assert stubs.returncode == 1 and data["score"] == 0 and data["max_score"] > 0
    correct = subprocess.run([str(grade), "all", "--exercises", str(SOLUTIONS), "--format", "json"],
                             cwd=bundle / "bundle", env=env, capture_output=True, text=True, timeout=600)
    short = [(t["topic"], [c["message"] for c in t["checks"] if c["status"] != "passed"][:2])
             for t in json.loads(correct.stdout)["topics"] if t["score"] != t["max_score"]]
    assert short == []  # which topic fell short in the bundle, and why
    assert correct.returncode == 0 and json.loads(correct.stdout)["score"] == data["max_score"]
    gated = subprocess.run([str(grade), "solution", "softmax"], cwd=bundle / "bundle", env=env,
                           capture_output=True, text=True)
    assert gated.returncode == 1 and "unlocks when softmax passes" in gated.stderr
    # the Gradescope script, dry-run: the unpacked zip as /autograder/source, a submission, results.json
    autograder = tmp_path / "autograder"
    zipfile.ZipFile(bundle / "ag.zip").extractall(autograder / "source")
    shutil.copytree(SOLUTIONS, autograder / "submission" / "exercises")
    script = autograder / "source" / "run_autograder"
    os.chmod(script, 0o755)
    run = subprocess.run(["bash", str(script)], env={**env, "AUTOGRADER": str(autograder), "GRADE": str(grade)},
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    results = json.loads((autograder / "results" / "results.json").read_text())
    assert results["score"] == data["max_score"] and len(results["tests"]) > 0
    broken = subprocess.run(["bash", str(script)], env={**env, "AUTOGRADER": str(autograder), "GRADE": "false"},
                            capture_output=True, text=True, timeout=60)
    assert broken.returncode == 0
    failed = json.loads((autograder / "results" / "results.json").read_text())
    assert failed["score"] == 0.0 and "grader failed" in failed["output"]
