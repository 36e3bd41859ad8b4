"""The learner's module as the judge sees it: a name, a source, and calls that return outcomes.

Every call goes through a worker process (grader/sandbox/supervisor.py). A worker that times out or
dies is replaced by a fresh one, which loads the module again, before the next call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.sandbox import confine, files, isolation
from grader.sandbox.supervisor import ChannelForged, Limits, Worker, WorkerCrashed, WorkerTimeout


@dataclass(frozen=True)
class Printed:
    text: str = ""
    bytes: int = 0


@dataclass(frozen=True)
class Returned:
    value: Any
    printed: Printed = Printed()
    args_after: tuple | None = None  # (args, kwargs) as they were after the call


@dataclass(frozen=True)
class Raised:
    type: str
    message: str
    value_error: bool = False
    not_implemented: bool = False
    memory: bool = False
    output_too_large: bool = False
    where: tuple[str, ...] = ()
    printed: Printed = Printed()

    def describe(self) -> str:
        text = f"{self.type}: {self.message}" if self.message else self.type
        return f"{text} ({self.where[-1]})" if self.where else text


@dataclass(frozen=True)
class Unreadable:
    message: str
    printed: Printed = Printed()


Outcome = Returned | Raised | Unreadable


class LoadError(Exception):
    """The module could not be loaded: the message says why, for a learner."""


@dataclass
class LearnerModule:
    name: str
    path: Path
    source: str
    functions: tuple[str, ...]
    search_dir: str | None = None
    limits: Limits = Limits()
    present: tuple[str, ...] = ()
    lender: WorkerLender | None = field(default=None, repr=False)
    _worker: Worker | None = field(default=None, repr=False)

    def start(self) -> None:
        """Start a worker now, so its interpreter boots while the judge does other work."""
        if self._worker is None:
            visible = (Path(self.search_dir),) if self.search_dir else ()
            lent = self.lender.take(self.limits, visible) if self.lender is not None else None
            self._worker = lent or Worker(self.limits, visible=visible)

    def load(self, retried: bool = False) -> None:
        """Import the module in a worker; raise LoadError with a learner-readable reason."""
        self.start()
        request = {"op": "load", "name": self.name, "filename": str(self.path), "source": self.source,
                   "functions": list(self.functions), "search_dir": self.search_dir}
        try:
            reply = self._worker.request(request, self.limits.load_seconds)
        except WorkerTimeout:
            self._discard()
            raise LoadError(f"importing {self.path.name} took longer than {self.limits.load_seconds:g} s") from None
        except ChannelForged as err:
            self._discard()
            raise LoadError(f"importing {self.path.name}: {err}") from None
        except WorkerCrashed as err:
            detail = self._worker.startup_errors()
            self._discard()
            if detail.startswith("bwrap:") and not retried:
                isolation.bwrap_failed(detail.strip())  # e.g. no user namespaces here: go on without
                return self.load(retried=True)
            if detail.startswith(confine.FAILED_PREFIX):  # one layer does not work here: off, said, and retry
                layer, _, reason = detail[len(confine.FAILED_PREFIX):].strip().partition(": ")
                if layer not in isolation.failed_layers():
                    isolation.layer_failed(layer, reason)
                    return self.load(retried=retried)
            raise LoadError(f"importing {self.path.name} ended the process: {err}"
                            + (f"\n{detail}" if detail else "")) from None
        if not reply.get("ok"):
            error = _raised(reply.get("error", {}), reply.get("printed"))
            raise LoadError(f"importing {self.path.name} raised {error.describe()}")
        self.present = tuple(reply.get("functions", ()))

    def call(self, function: str, args=(), kwargs=None, *, seed: int = 0, errstate=None,
             return_args: bool = False, timeout: float | None = None) -> Outcome:
        """Call one learner function; raise WorkerTimeout or WorkerCrashed when the process is lost.

        ``timeout`` (at most the call limit) is shorter when the topic's budget is nearly spent.
        """
        if self._worker is None:
            self.load()
        args, kwargs, probes = _without_probes(list(args), dict(kwargs or {}))
        request = {"op": "call", "function": function, "args": args, "kwargs": kwargs,
                   "seed": seed, "errstate": errstate, "return_args": return_args}
        if probes:
            request["probes"] = [[place, key, probe.describe()] for place, key, probe in probes]
        for attempt in (1, 2):
            try:
                reply = self._worker.request(request, self.limits.call_seconds if timeout is None else timeout)
                break
            except ChannelForged:
                # Perhaps left by an earlier call (a thread, a child): this call gets a fresh worker, where
                # nothing of that call survives. Forged again there, it is this call's own doing.
                self._discard()
                if attempt == 2:
                    raise
                try:
                    self.load()
                except LoadError as err:
                    raise WorkerCrashed(str(err)) from None
            except (WorkerTimeout, WorkerCrashed):
                self._discard()
                raise
        if reply.get("tainted"):  # it left threads or processes running: they must not reach the next call
            self._discard()
        printed = _printed(reply.get("printed"))
        if reply.get("ok"):
            after = reply.get("args_after")
            if after is not None and probes:
                after = _with_probes(after, probes)
            return Returned(reply.get("value"), printed, tuple(after) if after is not None else None)
        if reply.get("kind") == "raised":
            return _raised(reply.get("error", {}), reply.get("printed"))
        return Unreadable(str(reply.get("message", "the value could not be read")), printed)

    def _discard(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    def close(self) -> None:
        # A worker whose module loaded and that is still alive can serve the same student's next topic.
        if self.lender is not None and self._worker is not None and self.present and self._worker.alive():
            self.lender.give_back(self._worker)
            self._worker = None
        self._discard()


class WorkerLender:
    """One warm worker handed from topic to topic of one submission (`grade class`).

    Saves a worker boot per topic. The worker is only handed on after a clean load (a module
    that failed half-way never lingers in sys.modules for the next topic to import), and
    only between modules of the same submission folder: one student's code never meets
    another's.
    """

    def __init__(self):
        self._idle: Worker | None = None
        self._key: tuple | None = None

    def take(self, limits: Limits, visible: tuple[Path, ...]) -> Worker | None:
        worker, self._idle = self._idle, None
        if worker is not None and (self._key != (limits, visible) or not worker.alive()):
            worker.close()
            worker = None
        return worker

    def give_back(self, worker: Worker) -> None:
        if self._idle is not None:
            self._idle.close()
        self._idle, self._key = worker, (worker.limits, worker.visible)

    def close(self) -> None:
        if self._idle is not None:
            self._idle.close()
            self._idle = None


def _without_probes(args: list, kwargs: dict):
    """(args, kwargs) with every probe (grader/sandbox/probes.py) replaced by None, and where they were."""
    from grader.sandbox.probes import Probe  # numpy is loaded by now: the worker is running

    probes = [("args", i, v) for i, v in enumerate(args) if isinstance(v, Probe)]
    probes += [("kwargs", k, v) for k, v in kwargs.items() if isinstance(v, Probe)]
    for place, key, _ in probes:
        (args if place == "args" else kwargs)[key] = None  # the worker rebuilds it from its description
    return args, kwargs, probes


def _with_probes(after, probes):
    """The worker's arguments-after with the judge's own probes back in their places (the worker sends None)."""
    if not (isinstance(after, (list, tuple)) and len(after) == 2 and isinstance(after[0], list)
            and isinstance(after[1], dict)):
        return after
    args, kwargs = list(after[0]), dict(after[1])
    for place, key, probe in probes:
        if place == "args" and key < len(args):
            args[key] = probe
        elif place == "kwargs":
            kwargs[key] = probe
    return [args, kwargs]


def _printed(data) -> Printed:
    if not isinstance(data, dict):
        return Printed()
    return Printed(str(data.get("text", "")), int(data.get("bytes", 0) or 0))


def _raised(error: dict, printed) -> Raised:
    def flag(key):
        return error.get(key) is True

    where = error.get("where")
    return Raised(
        type=str(error.get("type", "Exception")), message=str(error.get("message", "")),
        value_error=flag("value_error"), not_implemented=flag("not_implemented"), memory=flag("memory"),
        output_too_large=flag("output_too_large"),
        where=tuple(str(w) for w in where) if isinstance(where, list) else (), printed=_printed(printed),
    )


def check_source(path: Path) -> tuple[str | None, str | None]:
    """(source, problem): read safely (grader/sandbox/files.py: a regular file inside the folder) and
    compile the learner's file in the judge (nothing runs).

    Read as Python reads it (a UTF-8 BOM, a coding cookie). Messages name the file as the learner
    sees it in the graded folder, never by an absolute path.
    """
    where = f"{path.name} in {path.parent.name}/" if path.parent.name else path.name
    try:
        source = files.read_submission(path.parent, path.name)
    except FileNotFoundError:
        return None, f"{where} does not exist"
    except files.UnsafeFile as err:
        return None, str(err)
    except (OSError, UnicodeDecodeError, SyntaxError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        return None, f"{where} cannot be read: {reason}"
    try:
        compile(source, str(path), "exec", dont_inherit=True)
    except SyntaxError as err:
        return source, syntax_error_message(path.name, err)
    except ValueError as err:
        return source, f"{path.name} cannot be compiled: {err}"
    return source, None


def syntax_error_message(name: str, err: SyntaxError) -> str:
    """Where the syntax error is, with the offending line and a caret under it."""
    where = f"line {err.lineno}" + (f", column {err.offset}" if err.offset else "")
    message = f"{name} has a syntax error at {where}: {err.msg}"
    line = (err.text or "").rstrip("\r\n")
    if not line.strip():
        return message
    stripped = line.lstrip()
    message += f"\n    {stripped}"
    if err.offset and err.offset >= 1:
        column = max(0, min(err.offset - 1 - (len(line) - len(stripped)), len(stripped)))
        message += "\n    " + " " * column + "^"
    return message


@dataclass
class Prepared:
    """The learner's module read and checked, with its workers already booting."""

    modules: list[LearnerModule]  # one per parallel job; empty when there is a problem
    problem: str | None = None

    def close(self) -> None:
        for module in self.modules:
            module.close()


def prepare(topic: str, exercises_dir: Path, limits: Limits = Limits(), jobs: int = 1,
            lender: WorkerLender | None = None) -> Prepared:
    """Read the learner's file and start its workers now (they boot while the judge imports specs)."""
    path = exercises_dir.resolve() / f"{topic}.py"  # the folder resolved, never the file: a link keeps its name
    source, problem = check_source(path)
    if source is None or problem is not None:
        return Prepared([], problem)
    modules = [LearnerModule(topic, path, source, (), search_dir=str(exercises_dir.resolve()), limits=limits,
                             lender=lender) for _ in range(max(1, jobs))]
    for module in modules:  # every worker boots now, while the judge imports; forked judges take the others
        module.start()
    return Prepared(modules)


def probe(limits: Limits = Limits(call_seconds=30.0, load_seconds=60.0)) -> str | None:
    """Start a real worker with every layer detected here and call a function in it. Layers that fail
    are turned off and said by isolation (``failed_layers``). Returns what went wrong, or None."""
    module = LearnerModule("doctor_probe", Path("/nonexistent/doctor_probe.py"), "def ok():\n    return 42\n",
                           ("ok",), limits=limits)
    try:
        module.load()
        outcome = module.call("ok")
    except (LoadError, WorkerCrashed, WorkerTimeout) as err:
        return f"a worker could not run a function here: {err or type(err).__name__}"
    finally:
        module.close()
    if not isinstance(outcome, Returned) or outcome.value != 42:
        return f"a worker answered wrongly: {outcome}"
    return None
