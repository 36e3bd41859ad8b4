"""`grade release OUT --gradescope autograder.zip`: the bundle plus Gradescope's two scripts.

Gradescope runs setup.sh once when building the image, then run_autograder per submission,
which must leave /autograder/results/results.json. Whatever happens, a valid results.json
is written (a malformed or missing one is "the autograder failed to execute").
"""

from __future__ import annotations

import os
import sys
import zipfile
from pathlib import Path

SETUP = """#!/usr/bin/env bash
# Gradescope image set-up: Python {version}, bubblewrap for the sandbox, the grader from source/.
set -euo pipefail
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python{version} python{version}-venv bubblewrap
python{version} -m venv /autograder/venv
/autograder/venv/bin/pip install --quiet torch --index-url https://download.pytorch.org/whl/cpu
/autograder/venv/bin/pip install --quiet /autograder/source
"""

RUN = """#!/usr/bin/env bash
# Grade one submission into results.json. AUTOGRADER and GRADE can be set for a local dry run.
set -uo pipefail
ROOT="${AUTOGRADER:-/autograder}"
GRADE="${GRADE:-$ROOT/venv/bin/grade}"
SUBMISSION="$ROOT/submission"
[ -d "$SUBMISSION/exercises" ] && SUBMISSION="$SUBMISSION/exercises"
mkdir -p "$ROOT/results"
cd "$ROOT/source"
"$GRADE" all --exercises "$SUBMISSION" --format gradescope \
  > "$ROOT/results/results.json.tmp" 2> "$ROOT/results/stderr.txt"
status=$?
if [ "$status" -le 1 ] && [ -s "$ROOT/results/results.json.tmp" ]; then
  mv "$ROOT/results/results.json.tmp" "$ROOT/results/results.json"
else
  # the grader itself failed: still a valid results.json, with the reason
  "$ROOT/venv/bin/python" - "$status" "$ROOT/results/stderr.txt" > "$ROOT/results/results.json" <<'PY' || \\
    printf '{"score": 0.0, "output": "The grader failed; please tell your instructor.", "tests": []}\\n' \
    > "$ROOT/results/results.json"
import json, sys
detail = open(sys.argv[2], encoding="utf-8", errors="replace").read()[-2000:]
print(json.dumps({"score": 0.0, "output": f"The grader failed (exit status {sys.argv[1]}); please tell your "
                  f"instructor.\\n{detail}", "visibility": "visible", "stdout_visibility": "hidden", "tests": []}))
PY
fi
"""


def write_autograder(bundle: Path, target: Path) -> None:
    """A zip with setup.sh, run_autograder and the bundle's files, all at the top.

    Gradescope unpacks the zip into /autograder/source, where setup.sh installs the bundle.
    """
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    temporary = target.with_name(f".{target.name}.tmp")
    with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("setup.sh", SETUP.format(version=version)), ("run_autograder", RUN)):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o755 << 16
            archive.writestr(info, text)
        for path in sorted(bundle.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(bundle).as_posix())
    os.replace(temporary, target)
