"""What a new user meets first: the Makefile, the package metadata, the README, CI's two runs."""

import os
import re
import shutil
import subprocess
import sys
import tomllib

import pytest

from helpers import ROOT

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def dry_run(target: str) -> str:
    """The commands `make TARGET` would run on a fresh clone (-B: as if nothing were installed)."""
    return subprocess.run(["make", "-n", "-B", "-C", str(ROOT), target], capture_output=True, text=True,
                          check=True).stdout


@needs_make
def test_make_run_installs_the_runtime_only():
    commands = dry_run("run")
    assert "pip install" in commands and "-e ." in commands
    assert "[dev]" not in commands


@needs_make
def test_make_test_adds_the_dev_extra_on_top_of_the_runtime():
    commands = dry_run("test")
    assert '-e ".[dev]"' in commands and "pytest" in commands
    # two stamps: after `make run`, `make test` still installs the dev extra
    assert commands.index('-e .\n') < commands.index('-e ".[dev]"')


def test_pyproject_license_is_an_spdx_string():
    # a TOML table is deprecated by setuptools (a warning on every install)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert isinstance(project["license"], str)


def _setuptools_version() -> tuple[int, ...]:
    import setuptools

    return tuple(int(part) for part in re.findall(r"\d+", setuptools.__version__)[:2])


@pytest.mark.skipif(_setuptools_version() < (77,), reason="needs setuptools>=77 (the dev extra), as pip's build uses")
def test_building_the_package_warns_about_nothing_and_ships_its_data(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source)
    shutil.copytree(ROOT / "grader", source / "grader", ignore=shutil.ignore_patterns("__pycache__"))
    built = tmp_path / "built"
    out = subprocess.run([sys.executable, "-c", "import setuptools; setuptools.setup()", "build_py", "-d",
                          str(built)], cwd=source, capture_output=True, text=True,
                         env={**os.environ, "PYTHONWARNINGS": "default"})
    assert out.returncode == 0, out.stderr
    text = out.stdout + out.stderr
    assert "absent from the `packages`" not in text
    assert "SetuptoolsDeprecationWarning" not in text
    course = built / "grader" / "course"
    assert (course / "catalog.toml").is_file()
    stubs = sorted(p.name for p in (ROOT / "grader" / "course" / "stubs").glob("*.py"))
    assert stubs and sorted(p.name for p in (course / "stubs").glob("*.py")) == stubs


def test_the_readme_stands_on_its_own():
    text = (ROOT / "README.md").read_text()
    assert "DESIGN.md" not in text
    for target in re.findall(r"\]\(([^)#]+)\)", text):
        if "://" not in target:
            assert (ROOT / target).exists(), f"README links to {target}, which is not in the repository"


def test_ci_hides_bubblewrap_for_the_first_run(tmp_path):
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("bwrap", "make"):
        (tools / name).write_text("#!/bin/sh\n")
        (tools / name).chmod(0o755)
    out = subprocess.run([str(ROOT / ".ci" / "path-without-bwrap"), str(tmp_path / "shadow")],
                         env={**os.environ, "PATH": f"{tools}:/usr/bin:/bin"}, capture_output=True, text=True,
                         check=True)
    hidden = out.stdout.strip()
    assert shutil.which("bwrap", path=hidden) is None
    assert shutil.which("make", path=hidden) is not None


def test_ci_runs_the_suite_without_and_then_with_bubblewrap(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / ".ci", project / ".ci")
    tools = tmp_path / "tools"
    tools.mkdir()
    log = tmp_path / "make.log"
    fakes = {"make": f'#!/bin/sh\necho "$* $(command -v bwrap || echo none)" >> {log}\n', "bwrap": "#!/bin/sh\n"}
    for name, text in fakes.items():
        (tools / name).write_text(text)
        (tools / name).chmod(0o755)
    out = subprocess.run([str(project / ".ci" / "run")], env={**os.environ, "PATH": f"{tools}:/usr/bin:/bin"},
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    runs = log.read_text().splitlines()
    assert len(runs) == 2 and runs[0] == "test none" and runs[1].startswith("test /"), runs
