"""The learner's files: pristine stubs, backups, reset, and the reference once earned."""

from __future__ import annotations

import os
import shutil
import stat
import time
from pathlib import Path

from grader.course import SOLUTIONS_DIR, STUBS_DIR, sealed
from grader.progress.state import STATE_DIR, write_atomically

BACKUP_DIR = "backups"


def stub_source(topic: str) -> str:
    return (STUBS_DIR / f"{topic}.py").read_text(encoding="utf-8")


def exercise_path(root: Path, topic: str) -> Path:
    return root / "exercises" / f"{topic}.py"


def backup(root: Path, topic: str) -> Path | None:
    """Copy the learner's file, byte for byte, to .grade/backups/TOPIC-<timestamp>.py."""
    source = exercise_path(root, topic)
    if not source.is_symlink() and not source.exists():
        return None
    if source.is_symlink() or not source.is_file():  # a link is kept as a link: never copy what it points at
        kind = "a link" if source.is_symlink() else "not a regular file"
        raise OSError(f"{source} is {kind}; move it aside yourself, nothing was reset")
    folder = root / STATE_DIR / BACKUP_DIR
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = folder / f"{topic}-{stamp}.py"
    counter = 1
    while target.exists():  # two resets in one second keep both backups
        counter += 1
        target = folder / f"{topic}-{stamp}-{counter}.py"
    shutil.copy2(source, target)
    if target.read_bytes() != source.read_bytes():
        raise OSError(f"the backup {target} does not match {source}; nothing was reset")
    return target


def reset(root: Path, topic: str) -> Path | None:
    """Back up the learner's file, then put the pristine stub back. Returns the backup's path."""
    saved = backup(root, topic)
    target = exercise_path(root, topic)
    write_atomically(target, stub_source(topic))
    # The temp file behind an atomic write is 0600; the stub goes back with the stub's own mode.
    os.chmod(target, stat.S_IMODE((STUBS_DIR / f"{topic}.py").stat().st_mode) | stat.S_IRUSR | stat.S_IWUSR)
    return saved


def solution_source(topic: str) -> str:
    path = SOLUTIONS_DIR / f"{topic}.py"
    if not path.exists() and sealed.sealed_path(topic).exists():
        raise FileNotFoundError("in this learner bundle the references are sealed: only the grader reads them "
                                "(ask your instructor for a worked solution)")
    if not path.exists():
        raise FileNotFoundError(f"this copy of mlkatas has no reference solutions ({path} is missing)")
    return path.read_text(encoding="utf-8")
