"""What learner code may see: the interpreter, the libraries, the submission, a scratch folder.

Nothing of any mlkatas checkout (this one or another: its solutions/, tests/, .git, the
grader's specs) and no installed copy of the grader is in the view, except the worker's own
code (grader/sandbox). bubblewrap builds a root from ``View.read`` (grader/sandbox/isolation.py);
without it, Landlock allows reads in exactly ``View.landlock_read()`` (grader/sandbox/confine.py).
"""

from __future__ import annotations

import os
import site
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from grader.course import SOLUTIONS_DIR

SANDBOX_DIR = Path(__file__).resolve().parent  # worker.py, wire.py, confine.py: nothing secret
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
SYSTEM_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/nsswitch.conf",
                "/etc/passwd", "/etc/group", "/sys/devices/system/cpu")
DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom")
SITE_NAMES = ("site-packages", "dist-packages")


@dataclass(frozen=True)
class View:
    read: tuple[str, ...]  # folders and files bound read-only, in this order
    hidden: tuple[str, ...]  # inside ``read``, covered (bwrap) or left out (Landlock)
    code: str  # the worker's own folder, visible even where an installed grader is hidden

    def landlock_read(self, extra: tuple[str, ...] = ()) -> list[str]:
        paths = []
        for path in [*self.read, *extra]:
            paths += _without(path, self.hidden)
        return paths + [self.code, *DEVICES, "/proc"]


@lru_cache(maxsize=None)
def runtime() -> View:
    """The view without the submission (the same for every worker of this run)."""
    prefixes = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)}
    libraries = set()
    for entry in [*sys.path, *site.getsitepackages()]:
        real = os.path.realpath(entry) if entry else ""
        # site-packages folders (a venv's, or a shared one named in a .pth), never a checkout on sys.path
        if real and os.path.isdir(real) and (os.path.basename(real) in SITE_NAMES
                                             or any(_inside(real, p) for p in prefixes)):
            libraries.add(real)
    read = [p for p in SYSTEM_DIRS if os.path.exists(p)]
    read += [p for p in SYSTEM_FILES if os.path.exists(p)]
    read += sorted(p for p in prefixes | libraries if not any(_inside(p, q) and p != q for q in prefixes | libraries))
    hidden = set()
    for folder in read:
        if os.path.isdir(folder) and folder not in SYSTEM_DIRS:
            hidden.update(_copies_of_the_grader(folder))
    solutions = os.path.realpath(SOLUTIONS_DIR)
    if any(_inside(solutions, p) for p in read):
        hidden.add(solutions)
    return View(tuple(read), tuple(sorted(hidden)), str(SANDBOX_DIR))


def _copies_of_the_grader(folder: str) -> list[str]:
    """An installed grader (its specs name the references), and references shipped next to it."""
    found = []
    for name in ("grader", "solutions", "tests", "exercises"):
        path = os.path.join(folder, name)
        if os.path.isdir(os.path.join(folder, "grader", "course")) and os.path.isdir(path):
            found.append(path)
    return found


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _without(path: str, hidden: tuple[str, ...]) -> list[str]:
    """path, or (when something hidden lies inside it) its entries minus the hidden ones, recursively."""
    inner = [h for h in hidden if _inside(h, path)]
    if not inner:
        return [path]
    if path in inner:
        return []
    try:
        entries = sorted(os.listdir(path))
    except OSError:
        return []
    result = []
    for entry in entries:
        result += _without(os.path.join(path, entry), tuple(inner))
    return result
