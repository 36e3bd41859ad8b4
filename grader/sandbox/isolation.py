"""How strongly the worker can be isolated on this machine, feature-detected, weakest first:

1. always: its own session and process group, resource limits whose hard values equal the
   soft ones (grader/sandbox/confine.py), a scratch working directory, no inherited environment;
2. namespaces: new user, pid, net, ipc, uts and mount namespaces, from bubblewrap (`bwrap`,
   Debian package "bubblewrap": also a root holding only the interpreter, the libraries, the
   submission and a private /tmp) or, without it, entered by the worker itself;
3. Landlock: reads only in that same view (grader/sandbox/view.py), writes only in the
   scratch folder, no TCP, no signals or ptrace out of the sandbox;
4. seccomp: a deny-list for ptrace, other processes' memory, sockets, mounts, keyrings, bpf,
   raising limits or priority;
5. cgroups (root only): a memory and a process-count ceiling for the worker and every
   process it starts, joined before the worker runs anything;
6. an unprivileged user (root only, and only where that user can run this Python).

Everything off is said in ``off()`` with how to turn it on (`grade doctor`, `grade --verbose`,
SECURITY.md). A layer that fails when a worker applies it is turned off for the rest of the
run (``layer_failed``), never left half on.
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

from grader.sandbox import confine

NOBODY = 65534
CGROUP_ROOT = Path("/sys/fs/cgroup")
LEVEL_FULL = "full"  # namespaces, Landlock, seccomp and (as root) cgroups: every protection on
LEVEL_BASIC = "basic"  # process limits only, or some of the kernel layers


@dataclass(frozen=True)
class Isolation:
    bwrap: str | None
    cgroup_parents: tuple[Path, ...]  # v1 controller dirs (memory, pids) or one v2 dir
    cgroup_v2: bool
    run_as_nobody: bool
    notes: tuple[str, ...]
    userns: bool = False  # the worker can enter its own namespaces (used without bubblewrap)
    landlock_abi: int = 0
    seccomp: bool = False

    @property
    def uses_bwrap(self) -> bool:
        return bool(self.bwrap) and "bwrap" not in _failed

    @property
    def own_namespaces(self) -> bool:
        return not self.uses_bwrap and self.userns and "namespaces" not in _failed

    @property
    def landlock(self) -> bool:
        return self.landlock_abi > 0 and "landlock" not in _failed

    @property
    def filters_syscalls(self) -> bool:
        return self.seccomp and "seccomp" not in _failed

    def layers(self) -> list[str]:
        """Short names of the layers on, strongest last (the JSON report's sandbox.layers)."""
        names = ["limits"]
        if self.uses_bwrap:
            names.append("namespaces:bubblewrap")
        elif self.own_namespaces:
            names.append("namespaces:unshare")
        if self.landlock:
            names.append(f"landlock:abi{self.landlock_abi}")
        if self.filters_syscalls:
            names.append("seccomp")
        if self.ceilings:
            names.append(f"cgroup:{'v2' if self.cgroup_v2 else 'v1'}")
        if self.run_as_nobody:
            names.append("user:nobody")
        return names

    def describe(self) -> list[str]:
        active = ["own session and process group; rlimits on memory, CPU time, file size, processes, core dumps, "
                  "niceness (hard limits equal to soft ones)"]
        if self.uses_bwrap:
            active.append("namespaces by bubblewrap: no network, a root holding only the interpreter, the libraries "
                          "and the submission (read-only), a private /tmp and /proc, no capabilities, other "
                          "processes invisible")
        elif self.own_namespaces:
            active.append("namespaces entered by the worker (user, pid, network, mount, ipc, uts): no network, "
                          "a private /proc, other processes invisible, no capabilities")
        if self.landlock:
            active.append(f"Landlock (ABI {self.landlock_abi}): reads only the interpreter, the libraries and the "
                          f"submission, writes only its scratch folder; no TCP"
                          + ("; no signals or abstract sockets out of the sandbox" if self.landlock_abi >= 6 else ""))
        if self.filters_syscalls:
            active.append("seccomp: no ptrace, no other process's memory, no sockets, mounts, keyrings, bpf, "
                          "namespaces, raised limits or priority")
        if self.ceilings:
            active.append(f"cgroup {'v2' if self.cgroup_v2 else 'v1'}: memory and process-count ceilings, joined "
                          f"before the worker starts")
        if self.run_as_nobody:
            active.append("runs as the unprivileged user nobody")
        return active

    def off(self) -> list[str]:
        failed = [f"{layer} off: it failed when a worker applied it ({reason})" for layer, reason in _failed.items()]
        return list(self.notes) + failed

    @property
    def level(self) -> str:
        contained = (self.uses_bwrap or self.own_namespaces) and self.landlock and self.filters_syscalls
        # As root, only a cgroup bounds the processes (RLIMIT_NPROC does not hold for uid 0).
        return LEVEL_FULL if contained and (self.ceilings or os.geteuid() != 0) else LEVEL_BASIC

    @property
    def ceilings(self) -> bool:
        return bool(self.cgroup_parents) and "cgroups" not in _failed

    def report(self) -> dict:
        """The sandbox level as plain data, for reports and refusals.

        level: "full" when every protection this project has is on: learner code cannot reach the
        network, other processes, the filesystem outside its view or any copy of the references,
        and (as root) its processes and memory are bounded by a cgroup; "basic" otherwise.
        """
        return {"level": self.level, "layers": self.layers(), "off": self.off()}

    def rows(self) -> list[tuple[str, bool, str]]:
        """(layer, on, what it adds when on / how to turn it on when off), for `grade doctor`."""
        failed = failed_layers()

        def why(layer: str, default: str) -> str:
            return f"failed here: {failed[layer]}" if layer in failed else default

        linux = sys.platform.startswith("linux")
        elsewhere = "" if linux else " (this is not Linux: run the grader in a container; on Windows, in WSL)"
        userns_note = confine.userns_note() or "MLKATAS_SANDBOX is off"
        return [
            ("limits", True, "session, process group, rlimits (memory, CPU, output, processes, niceness; hard = soft)"),
            ("bubblewrap", self.uses_bwrap,
             "a root holding only the interpreter, the libraries and the submission" if self.uses_bwrap else
             why("bwrap", "optional: `apt-get install bubblewrap` (Debian/Ubuntu); the worker's own namespaces "
                          "cover for it") + elsewhere),
            ("namespaces", self.uses_bwrap or self.own_namespaces,
             ("by bubblewrap" if self.uses_bwrap else "entered by the worker (user, pid, net, mount, ipc, uts)")
             if self.uses_bwrap or self.own_namespaces else
             why("namespaces", f"{userns_note}; allow unprivileged user namespaces (sysctl "
                               f"kernel.unprivileged_userns_clone=1, user.max_user_namespaces>0)") + elsewhere),
            ("landlock", self.landlock,
             f"ABI {self.landlock_abi}: reads only the view, writes only scratch, no TCP" if self.landlock else
             why("landlock", "needs Linux 5.13+ with Landlock in the kernel's lsm= list") + elsewhere),
            ("seccomp", self.filters_syscalls,
             "denies ptrace, other processes' memory, sockets, mounts, keyrings, bpf" if self.filters_syscalls else
             why("seccomp", confine.seccomp_note() or "off") + elsewhere),
            ("cgroups", self.ceilings,
             "memory and process-count ceilings, joined before the worker starts" if self.ceilings else
             why("cgroups", "run the grader as root (for example in a container), or give it a writable cgroup "
                            "v2 subtree with the memory and pids controllers")),
            ("user switch", self.run_as_nobody,
             "the worker runs as nobody" if self.run_as_nobody else
             "optional: only as root with a Python installation other users can read"),
        ]

    def worker_config(self, scratch: str, visible: list[Path]) -> dict:
        """What the worker applies to itself (grader/sandbox/worker.py, confine.py)."""
        from grader.sandbox import view

        config: dict = {"unshare": self.own_namespaces, "seccomp": self.filters_syscalls}
        if self.landlock:
            writable = "/tmp" if self.uses_bwrap else scratch  # bubblewrap's private /tmp is the worker's cwd
            extra = tuple(os.path.realpath(p) for p in visible)
            config["landlock"] = {"read": view.runtime().landlock_read(extra), "write": [writable],
                                  "abi": self.landlock_abi}
        return config


@lru_cache(maxsize=None)
def detect() -> Isolation:
    notes = []
    mode = os.environ.get("MLKATAS_SANDBOX", "").lower()
    disabled = mode in ("0", "off", "basic")
    bwrap = None if disabled or mode == "nobwrap" else shutil.which("bwrap")
    if disabled:
        notes.append("every kernel layer off: MLKATAS_SANDBOX=off")
    elif bwrap is None:
        why = "MLKATAS_SANDBOX=nobwrap" if mode == "nobwrap" else "bubblewrap (bwrap) is not installed"
        notes.append(f"bubblewrap off: {why}; `apt-get install bubblewrap` adds a minimal root filesystem "
                     f"(the worker enters its own namespaces instead)")
    userns_note = None if disabled else confine.userns_note()
    userns = not disabled and userns_note is None
    if not disabled and bwrap is None and not userns:
        notes.append(f"namespaces off: {userns_note}; enable unprivileged user namespaces, or run the grader in a "
                     f"container (macOS: a container; Windows: WSL or a container)")
    abi = 0 if disabled else confine.landlock_abi()
    if not disabled and not abi:
        notes.append("Landlock off: the kernel has none (Linux 5.13+ with CONFIG_SECURITY_LANDLOCK and "
                     "lsm=landlock turns it on)")
    seccomp_note = "disabled" if disabled else confine.seccomp_note()
    if not disabled and seccomp_note:
        notes.append(f"seccomp off: {seccomp_note}")
    parents, v2 = _cgroup_parents() if not disabled and os.geteuid() == 0 else ((), False)
    sweep(parents)  # what judges killed earlier left behind
    if not parents and not disabled:
        notes.append("cgroups off: " + ("not root (RLIMIT_NPROC and RLIMIT_AS still bound the worker)"
                                        if os.geteuid() != 0 else "no writable memory/pids cgroup"))
    nobody = os.geteuid() == 0 and not disabled and _python_usable_by_others()
    if os.geteuid() == 0 and not nobody and not disabled:
        notes.append(f"user switch off: {sys.base_prefix} is not readable by other users, so the worker keeps uid 0 "
                     f"mapped in its user namespace, without capabilities, confined by Landlock")
    return Isolation(bwrap, parents, v2, nobody, tuple(notes), userns, abi, seccomp_note is None)


class CgroupError(OSError):
    """A worker's cgroup could not be made or joined."""


def cgroup_name(judge_pid: int, serial: int) -> str:
    return f"judge-{judge_pid}-{serial}"


SCRATCH_PREFIX = "mlkatas-worker-"


def scratch_prefix(judge_pid: int) -> str:
    return f"{SCRATCH_PREFIX}{judge_pid}-"


def _judge_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"python" in f.read()  # a pid reused by something else is not our judge
    except OSError:
        return False


def sweep(parents: tuple[Path, ...]) -> list[str]:
    """Remove what judges that were killed left behind: their cgroups (and every process still in
    them), and their scratch folders. Returns what was removed (for tests and --verbose)."""
    import re
    import tempfile

    removed = []
    for parent in parents:
        try:
            entries = list(parent.iterdir())
        except OSError:
            continue
        for folder in entries:
            match = re.fullmatch(r"judge-(\d+)-\d+", folder.name)
            if not match or _judge_alive(int(match.group(1))):
                continue
            Cgroup.close_folder(folder)
            if not folder.exists():
                removed.append(str(folder))
    tmp = Path(tempfile.gettempdir())
    try:
        scratch = [p for p in tmp.iterdir() if p.name.startswith(SCRATCH_PREFIX)]
    except OSError:
        scratch = []
    for folder in scratch:
        match = re.match(re.escape(SCRATCH_PREFIX) + r"(\d+)-", folder.name)
        if match and not _judge_alive(int(match.group(1))) and folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(str(folder))
    return removed


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


_failed: dict[str, str] = {}  # layers found not to work here during this run (e.g. no user namespaces)


def layer_failed(layer: str, reason: str) -> None:
    """A layer cannot be applied here: go on without it for the rest of this run, and say so."""
    _failed.setdefault(layer, reason)


def failed_layers() -> dict[str, str]:
    return dict(_failed)


def bwrap_failed(reason: str) -> None:
    layer_failed("bwrap", reason)


def bwrap_usable(isolation: Isolation) -> bool:
    return isolation.uses_bwrap


def command(isolation: Isolation, argv: list[str], hidden: list[Path], visible: list[Path],
            status_fd: int | None = None) -> list[str]:
    """The worker's argv, wrapped in bubblewrap when it is available.

    The sandbox's root holds only the view (grader/sandbox/view.py), read-only: the system's
    libraries, the interpreter and its packages, the worker's own code; ``visible`` folders
    (the learner's) are bound read-only on top; ``hidden`` ones are covered by an empty tmpfs.
    """
    if not isolation.uses_bwrap:
        return argv
    from grader.sandbox import view

    runtime = view.runtime()
    # The private /tmp first: folders under /tmp (a venv, the submission) are bound on top of it.
    wrapped = [isolation.bwrap, "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]
    for path in runtime.read:
        if os.path.islink(path) and os.path.dirname(path) == "/":  # /lib -> usr/lib on merged-/usr systems
            wrapped += ["--symlink", os.readlink(path), path]
        else:
            wrapped += ["--ro-bind", path, path]
    wrapped += ["--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--chdir", "/tmp",
                "--uid", str(NOBODY), "--gid", str(NOBODY), "--hostname", "mlkatas"]
    if status_fd is not None:  # how the worker ended, readable by any process holding the pipe
        wrapped += ["--json-status-fd", str(status_fd)]
    for folder in [*runtime.hidden, *(str(p) for p in hidden)]:
        if os.path.isdir(folder) and any(_inside(folder, r) for r in runtime.read):
            wrapped += ["--tmpfs", folder]
    wrapped += ["--ro-bind", runtime.code, runtime.code]  # on top of a hidden installed grader, if any
    for folder in visible:
        if folder.is_dir():
            wrapped += ["--ro-bind", str(folder), str(folder)]
    return wrapped + ["--remount-ro", "/", "--", *argv]


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


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
    """A memory and process-count ceiling around one worker and all it starts (root only).

    Created before the worker; the worker's first process joins it between fork and exec
    (``join``), so nothing it starts is ever outside. Named after the judge's pid, so that
    the next run can tell the groups of a judge that was killed (``sweep``).
    """

    def __init__(self, isolation: Isolation, name: str, memory_bytes: int, max_processes: int):
        self.folders: list[Path] = []
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
        except OSError as err:
            self.close()
            raise CgroupError(f"creating the worker's cgroup failed ({err})") from None

    def open_procs(self) -> list[int]:
        """Descriptors of each group's cgroup.procs, for the child to write "0" (itself) into."""
        return [os.open(folder / "cgroup.procs", os.O_WRONLY | os.O_CLOEXEC) for folder in self.folders]

    def members(self) -> list[int]:
        pids: set[int] = set()
        for folder in self.folders:
            try:
                pids.update(int(p) for p in (folder / "cgroup.procs").read_text().split())
            except OSError:
                pass
        return sorted(pids)

    def close(self) -> None:
        """Kill whatever is left inside, then remove the groups."""
        for folder in self.folders:
            self.close_folder(folder)
        self.folders = []

    @staticmethod
    def close_folder(folder: Path) -> None:
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
