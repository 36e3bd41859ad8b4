"""The sandbox modes this machine offers, probed for real (never mocked), as a pytest fixture.

- "bubblewrap": namespaces and a minimal root from bwrap, plus Landlock and seccomp;
- "unshare": no bubblewrap (MLKATAS_SANDBOX=nobwrap): the worker enters its own namespaces,
  plus Landlock and seccomp.

A test that takes ``sandbox_mode`` runs once per mode, and is skipped, with the reason, only
where the probe shows the kernel or the machine lacks that mode.
"""

from __future__ import annotations

import os
from functools import lru_cache

import pytest

from grader.sandbox import isolation
from grader.sandbox.learner import LearnerModule, LoadError
from grader.sandbox.supervisor import Limits

MODES = {"bubblewrap": "", "unshare": "nobwrap"}
PROBE_SOURCE = """
import os
PIDS = len([p for p in os.listdir("/proc") if p.isdigit()])
try:
    open(SECRET).read()
    READ = True
except OSError:
    READ = False
def probe():
    return [PIDS, READ]
"""


def use(mode: str) -> None:
    os.environ["MLKATAS_SANDBOX"] = MODES[mode]
    isolation.detect.cache_clear()
    isolation._failed.clear()


@lru_cache(maxsize=None)
def missing(mode: str) -> str | None:
    """Why this mode is not available here (None when a real worker in it is contained)."""
    from pathlib import Path

    saved = os.environ.get("MLKATAS_SANDBOX")
    secret = Path(__file__)  # a file of this checkout: outside the worker's view
    try:
        use(mode)
        detected = isolation.detect()
        wanted = "namespaces:bubblewrap" if mode == "bubblewrap" else "namespaces:unshare"
        if wanted not in detected.layers():
            return f"{mode} is off here: " + "; ".join(detected.off())
        source = PROBE_SOURCE.replace("SECRET", repr(str(secret)))
        module = LearnerModule("probe", Path("/nonexistent/probe.py"), source,
                               ("probe",), limits=Limits(call_seconds=10, load_seconds=30))
        try:
            module.load()
            outcome = module.call("probe")
        except LoadError as err:
            return f"a worker in {mode} mode did not start: {err}"
        finally:
            module.close()
        if isolation.failed_layers():
            return f"{mode}: layers failed here: {isolation.failed_layers()}"
        pids, read = outcome.value
        if pids > 3 or read:
            return f"{mode} did not contain the probe ({pids} processes visible, secret read: {read})"
        return None
    finally:
        if saved is None:
            os.environ.pop("MLKATAS_SANDBOX", None)
        else:
            os.environ["MLKATAS_SANDBOX"] = saved
        isolation.detect.cache_clear()
        isolation._failed.clear()


@pytest.fixture(params=list(MODES))
def sandbox_mode(request, monkeypatch):
    """Run the test in one sandbox mode; skip, saying why, where this machine does not offer it."""
    reason = missing(request.param)
    if reason:
        pytest.skip(reason)
    monkeypatch.setenv("MLKATAS_SANDBOX", MODES[request.param])
    isolation.detect.cache_clear()
    isolation._failed.clear()
    yield request.param
    isolation.detect.cache_clear()
    isolation._failed.clear()
