"""The architecture as a test: grader/ is packages whose imports only point downwards."""

import ast
from pathlib import Path

import pytest

GRADER = Path(__file__).resolve().parent.parent / "grader"

# What each part of grader/ may import from grader (itself always, and grader/__init__.py
# for __version__). Top to bottom: cli -> api -> progress -> specs -> judging -> results,
# sandbox -> course. Quizzes sit beside progress; question banks (quizzes/) beside specs.
ALLOWED = {
    "cli": {"api", "quiz", "quizzes", "classroom", "release", "progress", "specs", "judging", "results", "sandbox",
            "course", "root"},
    "api": {"quiz", "progress", "judging", "results", "sandbox", "course", "root"},
    "quiz": {"progress", "judging", "results", "course"},
    "quizzes": {"quiz", "course"},
    "progress": {"results", "course"},
    "classroom": {"judging", "sandbox", "results", "progress", "course"},
    "release": {"course"},
    "specs": {"judging", "results", "sandbox", "course"},
    "judging": {"results", "sandbox", "course"},
    "results": set(),
    "sandbox": {"course"},
    "course": set(),
}


def part_of(path: Path, root: Path) -> str:
    relative = path.relative_to(root)
    if len(relative.parts) > 1:
        return relative.parts[0]
    return {"api.py": "api", "__main__.py": "main"}.get(relative.name, "root")


def grader_imports(path: Path) -> list[tuple[int, str]]:
    """Every `grader.X` module imported by this file, at any depth (lazy imports count)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("grader")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.startswith("grader"):
            if node.module == "grader":  # `from grader import api` names modules or packages
                found += [(node.lineno, f"grader.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
    return found


def target_part(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "root"
    return {"api": "api", "__main__": "main"}.get(parts[1], parts[1] if (GRADER / parts[1]).is_dir() else "root")


def violations(root: Path = GRADER) -> list[str]:
    bad = []
    for path in sorted(root.rglob("*.py")):
        if "stubs" in path.relative_to(root).parts:
            continue
        source = part_of(path, root)
        if source in ("main", "root") and path.name in ("__main__.py", "__init__.py") and path.parent == root:
            continue  # the package entry points: `python -m grader` and the lazy grader.check
        for line, module in grader_imports(path):
            target = target_part(module)
            if path.name == "worker.py" and source == "sandbox":
                bad.append(f"{path.relative_to(root)}:{line} imports {module}: the worker imports nothing from grader")
            elif target not in (source, "root") and target not in ALLOWED[source]:
                bad.append(f"{path.relative_to(root)}:{line} imports {module} ({source} may not import {target})")
    return bad


def test_imports_only_point_downwards():
    assert violations() == []


def test_every_part_is_a_package_with_a_docstring_that_says_what_it_may_import():
    for name in ALLOWED:
        if name == "api":
            continue
        init = GRADER / name / "__init__.py"
        assert init.is_file(), f"grader/{name}/ is not a package"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "import" in doc, f"grader/{name}/__init__.py must say what lives there and what it may import"
    assert {p.name for p in GRADER.iterdir() if p.is_dir() and (p / "__init__.py").exists()} == set(ALLOWED) - {"api"}


@pytest.mark.parametrize("planted, part", [
    ("sandbox/worker.py", "from grader.judging import checks\n"),
    ("sandbox/worker.py", "import grader.course\n"),
    ("judging/judge.py", "from grader.cli import app\n"),
    ("results/table.py", "def f():\n    from grader import cli\n"),
    ("sandbox/supervisor.py", "from grader.judging.checks import Spec\n"),
    ("progress/state.py", "from grader import api\n"),
])
def test_the_layout_test_catches_an_upward_import(tmp_path, planted, part):
    import shutil

    copy = tmp_path / "grader"
    shutil.copytree(GRADER, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / planted
    target.write_text(target.read_text(encoding="utf-8") + "\n" + part, encoding="utf-8")
    found = violations(copy)
    assert len(found) == 1 and found[0].startswith(planted), found
