"""`grade release OUT`: a learner bundle without readable references."""

from __future__ import annotations

import shutil
import sys
import tempfile
import tomllib
from pathlib import Path

from grader import __version__
from grader.course import COURSE_DIR, SOLUTIONS_DIR, STUBS_DIR, catalog, sealed

PROJECT = COURSE_DIR.parent.parent  # the instructor's checkout: pyproject.toml, SECURITY.md, solutions/
GRADER = COURSE_DIR.parent


class ReleaseError(Exception):
    """The bundle cannot be written; the message says why."""


def write_bundle(out: Path) -> list[str]:
    """Write the bundle into OUT (new or empty); return the topics whose references were sealed."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ReleaseError(f"{out} exists and is not empty: choose a new folder")
    topics = list(catalog.load().names)
    missing = [t for t in topics if not (SOLUTIONS_DIR / f"{t}.py").exists()]
    if missing:
        raise ReleaseError(f"the references of {', '.join(missing)} are missing from {SOLUTIONS_DIR}: a release "
                           f"is built from the instructor's checkout")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        _fill(staging, topics)
        if out.exists():
            out.rmdir()
        staging.rename(out)  # the bundle appears whole or not at all
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return topics


def _fill(root: Path, topics: list[str]) -> None:
    shutil.copytree(GRADER, root / "grader", ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "sealed"))
    sealed_dir = root / "grader" / "course" / "sealed"
    sealed_dir.mkdir()
    for topic in topics:
        source = (SOLUTIONS_DIR / f"{topic}.py").read_text(encoding="utf-8")
        (sealed_dir / f"{topic}{sealed.SUFFIX}").write_bytes(sealed.seal(source, topic))
    (root / "exercises").mkdir()
    for topic in topics:
        shutil.copyfile(STUBS_DIR / f"{topic}.py", root / "exercises" / f"{topic}.py")
    (root / "pyproject.toml").write_text(pyproject(), encoding="utf-8")
    (root / "README.md").write_text(learner_readme(topics), encoding="utf-8")
    if (PROJECT / "SECURITY.md").exists():
        shutil.copyfile(PROJECT / "SECURITY.md", root / "SECURITY.md")


def pyproject() -> str:
    """The learner's pyproject: the grader's runtime dependencies, pinned to this Python minor version."""
    config = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    dependencies = "".join(f'    "{d}",\n' for d in config["project"]["dependencies"])
    # the project's own package data (a new data file ships without a second list to forget), plus the sealed references
    course_data = [*config["tool"]["setuptools"]["package-data"]["grader.course"], f"sealed/*{sealed.SUFFIX}"]
    package_data = ", ".join(f'"{pattern}"' for pattern in course_data)
    major, minor = sys.version_info[:2]
    return f'''[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "mlkatas"
version = "{__version__}"
description = "Auto-graded exercises and quizzes for machine-learning fundamentals (learner bundle)"
readme = "README.md"
# the references are sealed as bytecode of this Python version
requires-python = ">={major}.{minor},<{major}.{minor + 1}"
dependencies = [
{dependencies}]

[project.scripts]
grade = "grader.cli:main"

[tool.setuptools.packages.find]
include = ["grader*"]

[tool.setuptools.package-data]
"grader.course" = [{package_data}]
'''


def learner_readme(topics: list[str]) -> str:
    major, minor = sys.version_info[:2]
    return f"""# mlkatas

Auto-graded exercises in machine-learning fundamentals. Write the functions in
`exercises/TOPIC.py`; `grade TOPIC` checks them and shows the smallest input that breaks
your code, names the mistake when it is a known one, and gives a hint that fits it.

## Install (Python {major}.{minor})

```
python{major}.{minor} -m venv .venv
.venv/bin/pip install torch --index-url https://download.pytorch.org/whl/cpu
.venv/bin/pip install -e .
source .venv/bin/activate
```

## Your loop

```
grade                    # progress, and the next topic to work on
grade {topics[0]:<16}# grade exercises/{topics[0]}.py
grade hint {topics[0]:<11}# the next hint
grade watch              # re-grade on every save
grade quiz {topics[0]:<11}# questions on the idea behind it
```

Topics: {", ".join(topics)}.

The references are sealed inside the grader: `grade solution` unlocks once you pass a
topic, and the grade that counts is the one your instructor runs. See SECURITY.md.
"""
