"""`grade init-ci`: a GitHub Actions workflow for a class repository (GitHub Classroom).

On every push: install bubblewrap and the grader, `grade all --format junit --fail-under
PCT`, upload the JUnit file, and put the points per topic in the job summary.
"""

from __future__ import annotations

import sys
from pathlib import Path

WORKFLOW = Path(".github") / "workflows" / "grade.yml"

TEMPLATE = """\
# Written by `grade init-ci`: grades exercises/ on every push (mlkatas).
name: grade
on: [push, pull_request, workflow_dispatch]
permissions:
  contents: read
jobs:
  grade:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "{python}"
      - name: Install the sandbox and the grader
        run: |
          sudo apt-get update -qq
          sudo apt-get install -y -qq bubblewrap
          # Ubuntu 24.04 runners forbid unprivileged user namespaces, which bubblewrap needs
          sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 || true
          python -m pip install --quiet torch --index-url https://download.pytorch.org/whl/cpu
          python -m pip install --quiet -e .
      - name: Grade
        run: grade all --format junit --fail-under {fail_under:g} > grade-results.xml
      - name: Points in the job summary
        if: always()
        run: |
          python - <<'PY' >> "$GITHUB_STEP_SUMMARY"
          import xml.etree.ElementTree as ET
          try:
              suites = ET.parse("grade-results.xml").getroot().findall("testsuite")
          except (OSError, ET.ParseError) as err:
              print(f"No grading results ({{err}}).")
              raise SystemExit(0)
          print("| topic | points | failing checks |")
          print("|---|---:|---:|")
          total = maximum = 0.0
          for suite in suites:
              props = {{p.get("name"): p.get("value") for p in suite.iter("property")}}
              score, most = float(props.get("score", 0)), float(props.get("max_score", 0))
              total, maximum = total + score, maximum + most
              print(f"| {{suite.get('name')}} | {{score:g}}/{{most:g}} | {{suite.get('failures')}} |")
          print(f"| **total** | **{{total:g}}/{{maximum:g}}** | |")
          PY
      - name: Upload the JUnit report
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: grade-results
          path: grade-results.xml
"""


def workflow(fail_under: float) -> str:
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return TEMPLATE.format(python=python, fail_under=fail_under)


def write_workflow(root: Path, fail_under: float, force: bool = False) -> Path:
    target = root / WORKFLOW
    if target.exists() and not force:
        raise FileExistsError(f"{target} exists; --force replaces it")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(workflow(fail_under), encoding="utf-8")
    return target
