"""How strongly the worker can be isolated on this machine, feature-detected, weakest first:

1. always: its own session and process group, resource limits (grader/sandbox/worker.py), a
   scratch working directory, no inherited environment;
2. bubblewrap (`bwrap`, Debian package "bubblewrap"): new user, pid, net, ipc, uts and
   cgroup namespaces, the whole filesystem read-only, a private /tmp, a minimal /dev, no
   capabilities, the reference solutions hidden, killed with the grader;
3. cgroups (root only): a memory and a process-count ceiling for the worker and every
   process it starts, so a fork bomb or a forked memory hog cannot take the machine;
4. an unprivileged user (root only, and only where that user can run this Python).

Everything off is said in ``notes`` (shown by `grade --verbose`, explained in SECURITY.md).
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

NOBODY = 65534
CGROUP_ROOT = Path("/sys/fs/cgroup")


@dataclass(frozen=True)
class Isolation:
    bwrap: str | None
    cgroup_parents: tuple[Path, ...]  # v1 controller dirs (memory, pids) or one v2 dir
    cgroup_v2: bool
    run_as_nobody: bool
    notes: tuple[str, ...]

    def describe(self) -> list[str]:
        active = ["own session and process group; rlimits on memory, CPU time, file size, processes, core dumps"]
        if bwrap_usable(self):
            active.append("bubblewrap: no network, read-only filesystem, private /tmp and /proc, no capabilities, "
                          "reference solutions hidden")
        if self.cgroup_parents:
            active.append(f"cgroup {'v2' if self.cgroup_v2 else 'v1'}: memory and process-count ceilings")
        if self.run_as_nobody:
            active.append("runs as the unprivileged user nobody")
        return active

    def off(self) -> list[str]:
        return list(self.notes) + [f"namespaces off: bubblewrap could not start ({r})" for r in _bwrap_failure]

    def report(self) -> dict:
        """The sandbox level as plain data, for reports and refusals.

        level: "full" when learner code cannot reach the network, the filesystem outside its
        folder or the references; "basic" when only process limits hold.
        """
        full = bwrap_usable(self)
        return {"level": "full" if full else "basic", "layers": self.describe(), "off": self.off()}


@lru_cache(maxsize=None)
def detect() -> Isolation:
    notes = []
    disabled = os.environ.get("MLKATAS_SANDBOX", "").lower() in ("0", "off", "basic")
    bwrap = None if disabled else shutil.which("bwrap")
    if disabled:
        notes.append("namespaces off: MLKATAS_SANDBOX=off")
    elif bwrap is None:
        notes.append("namespaces off: bubblewrap (bwrap) is not installed; `apt-get install bubblewrap` turns them on")
    parents, v2 = _cgroup_parents() if not disabled and os.geteuid() == 0 else ((), False)
    if not parents and not disabled:
        notes.append("cgroups off: " + ("not root" if os.geteuid() != 0 else "no writable memory/pids cgroup"))
    nobody = os.geteuid() == 0 and not disabled and _python_usable_by_others()
    if os.geteuid() == 0 and not nobody and not disabled:
        notes.append(f"user switch off: {sys.base_prefix} is not readable by other users, so the worker keeps uid 0 "
                     f"(without capabilities, on a read-only filesystem, when bubblewrap is on)")
    return Isolation(bwrap, parents, v2, nobody, tuple(notes))


def _cgroup_parents() -> tuple[tuple[Path, ...], bool]:
    unified = CGROUP_ROOT / "cgroup.controllers"
    if unified.exists():  # v2: one hierarchy; needs memory and pids delegated to our subtree
        parent = CGROUP_ROOT / "mlkatas"
        try:
            parent.mkdir(exist_ok=True)
            (CGROUP_ROOT / "cgroup.subtree_control").write_text("+memory +pids")
            return ((parent,), True)
        except OSError:
            return ((), True)
    parents = []
    for controller in ("memory", "pids"):
        folder = CGROUP_ROOT / controller / "mlkatas"
        try:
            folder.mkdir(exist_ok=True)
        except OSError:
            return ((), False)
        parents.append(folder)
    return (tuple(parents), False)


def _python_usable_by_others() -> bool:
    """Can an unprivileged user reach the interpreter, its stdlib and its packages?"""
    import importlib.util

    numpy = importlib.util.find_spec("numpy")  # found, not imported: the worker starts before numpy loads here
    paths = {Path(sys.executable).resolve(), Path(sys.base_prefix), Path(sys.prefix), Path(__file__)}
    if numpy is not None and numpy.origin:
        paths.add(Path(numpy.origin))
    for path in paths:
        for folder in [path, *path.parents]:
            try:
                mode = folder.stat().st_mode
            except OSError:
                return False
            needed = stat.S_IXOTH if stat.S_ISDIR(mode) else stat.S_IROTH
            if not mode & needed:
                return False
    return True


_bwrap_failure: list[str] = []  # set once bwrap is found not to work here (e.g. no user namespaces)


def bwrap_failed(reason: str) -> None:
    """bwrap is installed but cannot start a sandbox here: fall back for the rest of this run."""
    if not _bwrap_failure:
        _bwrap_failure.append(reason)


def bwrap_usable(isolation: Isolation) -> bool:
    return bool(isolation.bwrap) and not _bwrap_failure


def command(isolation: Isolation, argv: list[str], hidden: list[Path], visible: list[Path],
            status_fd: int | None = None) -> list[str]:
    """The worker's argv, wrapped in bubblewrap when it is available.

    ``hidden`` folders are covered by an empty tmpfs; ``visible`` ones (the learner's folder,
    which may live under /tmp) are bound read-only on top of the private /tmp.
    """
    if not bwrap_usable(isolation):
        return argv
    wrapped = [isolation.bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
               "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--chdir", "/tmp",
               "--uid", str(NOBODY), "--gid", str(NOBODY), "--hostname", "mlkatas"]
    if status_fd is not None:  # how the worker ended, readable by any process holding the pipe
        wrapped += ["--json-status-fd", str(status_fd)]
    for folder in [*_under_tmp(_runtime_paths()), *visible]:
        if folder.is_dir():
            wrapped += ["--ro-bind", str(folder), str(folder)]
    for folder in hidden:
        if folder.is_dir():
            wrapped += ["--tmpfs", str(folder)]
    return wrapped + ["--", *argv]


def _runtime_paths() -> list[Path]:
    """What the worker needs to run: the interpreter, its packages, and the grader itself."""
    import site

    paths = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix), Path(__file__).resolve().parent}
    paths.update(Path(p) for p in site.getsitepackages())
    return sorted(p.resolve() for p in paths if p.exists())


def _under_tmp(paths: list[Path]) -> list[Path]:
    """Those that the sandbox's private /tmp would hide (a project or venv cloned into /tmp).

    Never /tmp itself: binding it would make the worker's scratch space read-only.
    """
    tmp = Path("/tmp")
    return [p for p in paths if tmp in p.parents]


def probe() -> bool:
    """Does a bubblewrap sandbox really start here, with this interpreter? (Used by the tests.)"""
    import subprocess

    detected = detect()
    if not bwrap_usable(detected):
        return False
    argv = [sys.executable, "-I", "-c", "import os; print(len([p for p in os.listdir('/proc') if p.isdigit()]))"]
    try:
        out = subprocess.run(command(detected, argv, [], []), capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    # In its own pid namespace the sandbox sees only itself and bubblewrap's init.
    return out.returncode == 0 and out.stdout.strip().isdigit() and int(out.stdout) <= 3


class Cgroup:
    """A memory and process-count ceiling around one worker and all it starts (root only)."""

    def __init__(self, isolation: Isolation, pid: int, memory_bytes: int, max_processes: int):
        self.folders: list[Path] = []
        name = f"worker-{pid}"
        try:
            for parent in isolation.cgroup_parents:
                folder = parent / name
                folder.mkdir(exist_ok=True)
                self.folders.append(folder)
                if isolation.cgroup_v2:
                    (folder / "memory.max").write_text(str(memory_bytes))
                    (folder / "memory.swap.max").write_text("0")
                    (folder / "pids.max").write_text(str(max_processes))
                elif parent.parent.name == "memory":
                    (folder / "memory.limit_in_bytes").write_text(str(memory_bytes))
                else:
                    (folder / "pids.max").write_text(str(max_processes))
                (folder / "cgroup.procs").write_text(str(pid))
        except OSError:
            self.close()

    def close(self) -> None:
        """Kill whatever is left inside, then remove the groups."""
        for folder in self.folders:
            for _ in range(200):
                try:
                    pids = [int(p) for p in (folder / "cgroup.procs").read_text().split()]
                except OSError:
                    break
                if not pids:
                    break
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
                time.sleep(0.005)
            try:
                folder.rmdir()
            except OSError:
                pass
        self.folders = []
