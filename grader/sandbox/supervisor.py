"""The judge's side of the sandbox: start, talk to, time out and kill worker processes."""

from __future__ import annotations

import itertools
import json
import os
import secrets
import select
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from grader.sandbox import confine, isolation
from grader.course import SOLUTIONS_DIR
from grader.course.sealed import SEALED_DIR


WORKER_SCRIPT = Path(__file__).with_name("worker.py")
DECODE_SECONDS = 2.0  # at least this long to decode a reply, whatever is left of the call's time
WORKER_NICE = 5  # workers yield the CPU to the judge (its imports, then its checks)
_serial = itertools.count(1)  # names this judge's cgroups
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
               "VECLIB_MAXIMUM_THREADS")


@dataclass(frozen=True)
class Limits:
    call_seconds: float = 5.0  # wall time for one call of a learner function
    load_seconds: float = 30.0  # importing the module (torch alone can take seconds)
    memory_bytes: int = 4 * 2**30  # address space of the worker
    cpu_seconds: int = 600  # backstop for the worker's whole life
    output_bytes: int = 16 * 2**20  # what learner code may print per call
    max_processes: int = 64  # threads and processes of the worker and all it starts


class WorkerTimeout(Exception):
    """The worker did not answer in time; it has been killed."""


class WorkerCrashed(Exception):
    """The worker process ended; the message says how, in a learner's words."""


class ChannelForged(WorkerCrashed):
    """Bytes on the reply channel that are not the reply to this request (a frame for another
    call, or anything outside a frame): learner code wrote there. The worker has been killed;
    the call may be retried on a fresh worker, where leftovers of earlier calls cannot reach it."""


FORGED_MESSAGE = ("your code wrote to the grader's private channel (file descriptors it did not open), "
                  "so its replies could not be trusted")


class Worker:
    """One worker process. Requests are synchronous; any failure kills it for good.

    The judge that starts a worker may fork (grader/judging/parallel.py) and hand it to the child.
    Only the starting process can wait() for it, so the child learns how it ended from
    bubblewrap's status pipe, and leaves the reaping to the parent.
    """

    def __init__(self, limits: Limits = Limits(), hidden: tuple[Path, ...] = (), visible: tuple[Path, ...] = ()):
        self.limits = limits
        self.visible = tuple(visible)
        self.isolation = isolation.detect()
        self.scratch = tempfile.mkdtemp(prefix=isolation.scratch_prefix(os.getpid()))
        self._owner = os.getpid()
        self.cgroup = None
        try:
            self._start(hidden, visible)
        except BaseException:
            self._cleanup()
            raise
        self._selector = selectors.DefaultSelector()
        self._selector.register(self.process.stdout, selectors.EVENT_READ)

    def _start(self, hidden: tuple[Path, ...], visible: tuple[Path, ...]) -> None:
        limits = self.limits
        status_read, status_write = os.pipe()
        config = {"memory_bytes": limits.memory_bytes, "cpu_seconds": limits.cpu_seconds,
                  "output_bytes": limits.output_bytes, "max_processes": limits.max_processes, "nice": WORKER_NICE,
                  **self.isolation.worker_config(self.scratch, list(visible))}
        if config.get("unshare"):
            config["status_fd"] = status_write  # the outer process says there how the worker ended
        argv = [sys.executable, "-I", "-B", str(WORKER_SCRIPT), json.dumps(config)]
        user = {}
        if self.isolation.run_as_nobody:
            os.chown(self.scratch, isolation.NOBODY, isolation.NOBODY)
            user = {"user": isolation.NOBODY, "group": isolation.NOBODY, "extra_groups": []}
        procs: list[int] = []
        if self.isolation.cgroup_parents and "cgroups" not in isolation.failed_layers():
            try:
                self.cgroup = isolation.Cgroup(self.isolation, isolation.cgroup_name(os.getpid(), next(_serial)),
                                               limits.memory_bytes, limits.max_processes)
                procs = self.cgroup.open_procs()
            except OSError as err:
                isolation.layer_failed("cgroups", str(err))
                if self.cgroup is not None:
                    self.cgroup.close()
                    self.cgroup = None
        command = isolation.command(self.isolation, argv, [SOLUTIONS_DIR, SEALED_DIR, *hidden], list(visible),
                                    status_fd=status_write)
        self.wrapped = command is not argv
        self.relays_signals = self.wrapped or bool(config.get("unshare"))
        if not self.relays_signals:  # no outer process to relay it: the worker reports a fatal signal itself
            config["status_fd"] = status_write
            command = argv = [*argv[:-1], json.dumps(config)]
        confine.libc()  # loaded before the fork: the child only calls into it

        def before_exec():  # in the child, between fork and exec: nothing it starts is outside the cgroup
            for fd in procs:
                os.write(fd, b"0")
            confine.prctl(confine.PR_SET_PDEATHSIG, signal.SIGKILL)  # a judge killed with SIGKILL takes it along

        try:
            try:
                self.process = self._popen(command, status_write, before_exec, user)
            except subprocess.SubprocessError as err:  # joining the cgroup failed in the child
                if not procs:
                    raise
                isolation.layer_failed("cgroups", f"the worker could not join its cgroup ({err})")
                self.cgroup.close()
                self.cgroup, procs = None, []
                self.process = self._popen(command, status_write, before_exec, user)
        finally:
            os.close(status_write)
            for fd in procs:
                os.close(fd)
        self._status = status_read

    def _popen(self, command, status_write, before_exec, user) -> subprocess.Popen:
        # bubblewrap, and our own namespaces' outer process, report how the worker ended on this pipe,
        # and a death by signal N as exit status 128 + N
        return subprocess.Popen(
            command,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            cwd=self.scratch, env=_worker_env(self.scratch), start_new_session=True,
            pass_fds=(status_write,), preexec_fn=before_exec, **user,
        )


    def _owned(self) -> bool:
        return os.getpid() == self._owner

    def alive(self) -> bool:
        return self._owned() and self.process.poll() is None

    def request(self, message: dict, timeout: float) -> dict:
        """Send one request and return its reply, which must carry the request's id.

        ChannelForged when anything else is on the channel: bytes left from an earlier call (a
        thread or a child that outlived it), a frame with another id, or bytes that are no frame.
        """
        from grader.sandbox import wire  # imports numpy: not before the worker is started

        if self._owned() and self.process.poll() is not None:
            raise WorkerCrashed(self._death_message())
        if self._selector.select(0):  # the last reply was read whole: anything waiting now is forged
            self.kill()
            raise ChannelForged(FORGED_MESSAGE)
        call_id = secrets.randbits(62)
        message = {**message, "id": call_id}
        try:
            payload = wire.encode(message)
            self.process.stdin.write(len(payload).to_bytes(4, "big") + payload)
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            self.kill()
            raise WorkerCrashed(self._death_message()) from None
        deadline = time.monotonic() + timeout
        try:
            size = int.from_bytes(self._read(4, deadline), "big")
            if size > wire.MAX_FRAME_BYTES:
                raise WorkerCrashed(f"your function returned more than {wire.MAX_FRAME_BYTES // 2**20} MiB of data")
            # Reading and decoding share the call's deadline, plus a little for decoding a reply that
            # arrived just in time: a reply built to be slow to decode is an unreadable one.
            reply = wire.decode(self._read(size, deadline), deadline=max(deadline, time.monotonic() + DECODE_SECONDS))
        except wire.WireError as err:
            self.kill()
            raise ChannelForged(f"{FORGED_MESSAGE} ({err})") from None
        except (WorkerCrashed, WorkerTimeout):
            self.kill()
            raise
        if not isinstance(reply, dict) or reply.get("id") != call_id:
            self.kill()
            raise ChannelForged(FORGED_MESSAGE)
        return reply

    def _read(self, n: int, deadline: float) -> bytes:
        fd = self.process.stdout.fileno()
        chunks, left = [], n
        while left:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._selector.select(remaining):
                raise WorkerTimeout()
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                raise WorkerCrashed(self._death_message())
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _exit_code(self) -> int | None:
        """How the worker ended (negative: killed by that signal), or None when unknown here."""
        if self._owned():
            code = self.process.wait()
        else:
            code = _exit_code_from_status(self._status)
            if code is None:
                return None
        if self.relays_signals and code > 128 and code - 128 in signal.valid_signals():
            code = -(code - 128)  # the sandbox reports its child's death by signal N as exit status 128 + N
        return code

    def _death_message(self) -> str:
        code = self._exit_code()
        if code is None:
            return "your code ended the process (a crash, os._exit, or too much memory)"
        if code < 0:
            sig = signal.Signals(-code)
            if sig == signal.SIGKILL:
                return "your code was killed (it used too much memory or time)"
            if sig == signal.SIGXCPU:
                return f"your code used more than {self.limits.cpu_seconds} s of CPU time"
            if sig == signal.SIGSEGV:
                return "your code crashed the Python process (segmentation fault)"
            return f"your code ended the process with signal {sig.name}"
        return f"your code ended the process (exit status {code}), for example with sys.exit or os._exit"

    def kill(self) -> None:
        """Kill the worker's whole process group; the process that started it reaps it."""
        if self._owned() and self.process.returncode is not None:
            return
        if self.wrapped and self._kill_sandbox():
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self._owned():
            self.process.wait()

    def _kill_sandbox(self) -> bool:
        """Kill bubblewrap's child (the pid namespace's init) first, so bubblewrap reaps it and exits.

        Killing bubblewrap first would orphan its child, which dies (--die-with-parent) but stays a
        zombie wherever pid 1 does not reap. Returns False when it could not be done this way.
        """
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return False
        for child in children:
            try:
                os.kill(int(child), signal.SIGKILL)
            except (ProcessLookupError, PermissionError, ValueError):
                pass
        if not self._owned():
            return True  # bubblewrap exits by itself; the parent judge reaps it
        try:
            self.process.wait(timeout=2.0)
            return True
        except subprocess.TimeoutExpired:
            return False

    def close(self) -> None:
        # kill() signals the whole group before reaping; no second killpg after the reap, whose
        # pid could belong to someone else by then. A process that left the group (setsid) dies
        # with the pid namespace under bubblewrap, and with the cgroup under root.
        self.kill()
        self._selector.close()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            try:
                stream.close()
            except OSError:
                pass
        try:
            os.close(self._status)
        except OSError:
            pass
        self._cleanup()

    def _cleanup(self) -> None:
        if self.cgroup is not None:
            self.cgroup.close()
            self.cgroup = None
        shutil.rmtree(self.scratch, ignore_errors=True)

    def startup_errors(self) -> str:
        """What the worker itself wrote to stderr before it took over fd 2 (diagnostics)."""
        if not self._owned() or self.process.poll() is None:
            return ""
        return self.process.stderr.read(4000).decode("utf-8", "replace")


_FATAL_ERRORS = {"Segmentation fault": signal.SIGSEGV, "Bus error": signal.SIGBUS, "Aborted": signal.SIGABRT,
                 "Floating-point exception": signal.SIGFPE, "Illegal instruction": signal.SIGILL}


def _exit_code_from_status(fd: int, wait_seconds: float = 2.0) -> int | None:
    """bubblewrap's --json-status-fd: a line {"exit-code": N} once its child has ended."""
    text = b""
    deadline = time.monotonic() + wait_seconds
    while b"exit-code" not in text:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            break
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        text += chunk
    for line in text.decode("utf-8", "replace").splitlines():
        fatal = next((sig for name, sig in _FATAL_ERRORS.items() if f"Fatal Python error: {name}" in line), None)
        if fatal is not None:  # written by an unwrapped worker's faulthandler (worker.py)
            return -fatal
        if "exit-code" in line:
            try:
                return int(json.loads(line)["exit-code"])
            except (ValueError, KeyError, TypeError):
                return None
    return None


def _worker_env(scratch: str) -> dict:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": scratch, "TMPDIR": scratch,
           "LANG": "C.UTF-8", "MPLBACKEND": "Agg", "PYTHONIOENCODING": "utf-8"}
    # One BLAS thread: deterministic sums, and no thread pool to fight the limits.
    env.update({name: "1" for name in THREAD_VARS})
    return env
