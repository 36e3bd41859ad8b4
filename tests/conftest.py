"""Shared fixtures: grade a folder in-process (the judge) with the real sandboxed worker."""

import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

# Our own property tests (oracles, wire fuzzing): explicit, derandomized, no database.
settings.register_profile("mlkatas-tests", max_examples=100, deadline=None, derandomize=True, database=None,
                          print_blob=True)
settings.load_profile(os.environ.get("MLKATAS_TEST_PROFILE", "mlkatas-tests"))

from sandbox_modes import sandbox_mode  # noqa: E402, F401 - a fixture: a test that asks for it runs in every mode


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A learner's project: the stubs in exercises/, with the tests running from its root."""
    shutil.copytree(ROOT / "exercises", tmp_path / "exercises")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path
