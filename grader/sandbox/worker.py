"""The worker: the only process that ever runs learner code.

Started by the judge as ``python -I -B worker.py CONFIG`` in a scratch directory. It
reads requests from fd 0 and writes replies to fd 1, then points fds 0-2 elsewhere so
learner code can neither read requests nor print into the channel. Replies are plain
data (grader/sandbox/wire.py). Nothing here trusts the learner module; the judge trusts nothing
here.
"""

import importlib.util
import json
import linecache
import os
import random
import sys
import traceback
import types
import warnings

MAX_TEXT = 2000  # characters of an exception message or printed output sent back
OUTPUT_FILE = "output.txt"


def _load(name):
    # -I keeps the grader package off sys.path, so load our sibling modules by path.
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"_mlkatas_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _confine(config):
    """Apply every layer the judge asked for, before anything else runs; or exit saying which failed."""
    confine = _load("confine")
    try:
        if config.get("unshare"):
            confine.enter_namespaces(config.get("status_fd"))  # from here on: pid 2 of its own namespaces
        confine.apply_limits(config)
        landlock = config.get("landlock")
        if landlock:
            confine.apply_landlock(landlock["read"], landlock["write"], landlock.get("abi"))
        if config.get("seccomp"):
            confine.apply_seccomp()
    except confine.LayerFailed as err:
        sys.stderr.write(f"{confine.FAILED_PREFIX}{err.layer}: {err.reason}\n")
        sys.stderr.flush()
        os._exit(confine.FAILED_EXIT)


class Channel:
    def __init__(self, wire):
        self.wire = wire
        # Keep the judge's pipes on private fds; learner code gets /dev/null and a file.
        self.requests = os.dup(0)
        self.replies = os.dup(1)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        self.output = os.open(OUTPUT_FILE, os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
        os.dup2(self.output, 1)
        os.dup2(self.output, 2)
        for fd in (self.requests, self.replies):
            os.set_inheritable(fd, False)

    def receive(self):
        return self.wire.decode(self.wire.read_frame(self.requests))

    def send(self, message):
        try:
            payload = self.wire.encode(message)
        except Exception as err:  # the learner's value cannot travel: say so instead
            payload = self.wire.encode({"ok": False, "kind": "unreadable", "message": _text(err),
                                        "printed": message.get("printed"), "id": message.get("id")})
        self.wire.write_frame(self.replies, payload)

    def clear_output(self):
        _flush_std()
        if os.fstat(self.output).st_size:
            os.ftruncate(self.output, 0)

    def printed(self):
        _flush_std()
        size = os.fstat(self.output).st_size
        if not size:
            return {"text": "", "bytes": 0}
        head = os.pread(self.output, MAX_TEXT * 4, 0).decode("utf-8", "replace")[:MAX_TEXT]
        return {"text": head, "bytes": size}


def _flush_std():
    for stream in (sys.__stdout__, sys.__stderr__, sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


class Worker:
    def __init__(self, wire, channel):
        self.wire = wire
        self.channel = channel
        self.module = None
        self.module_path = None
        self.baseline = None
        self.probes = None  # grader/sandbox/probes.py, loaded on first use
        self.seed = 0
        import numpy

        self.np = numpy
        self._patch_unseeded_generators()

    def _patch_unseeded_generators(self):
        # default_rng() with no seed reads OS entropy; give it the per-call seed so an
        # unseeded submission still scores the same on every run.
        original = self.np.random.default_rng
        worker = self

        def default_rng(seed=None):
            return original(worker.seed if seed is None else seed)

        self.np.random.default_rng = default_rng

    def serve(self):
        while True:
            try:
                request = self.channel.receive()
            except EOFError:
                return
            op = request.get("op")
            if op == "load":
                reply = self.load(request)
                self.baseline = self.running()
            elif op == "call":
                reply = self.call(request)
                if self.running() != self.baseline:
                    reply["tainted"] = True  # the judge retires this worker: nothing of this call reaches the next
            else:
                reply = {"ok": False, "kind": "protocol", "message": f"unknown op {op!r}"}
            reply["id"] = request.get("id")  # the judge accepts only the reply to the request it sent
            self.channel.send(reply)

    def running(self):
        """Python threads, and processes (in our pid namespace: all of them; else our children)."""
        import threading

        try:
            if os.getpid() <= 2:  # pid 2 under an init: a pid namespace of our own
                processes = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
            else:
                processes = []
                for task in os.listdir("/proc/self/task"):
                    with open(f"/proc/self/task/{task}/children") as f:
                        processes += f.read().split()
        except OSError:
            processes = None
        return threading.active_count(), processes

    def load(self, request):
        name, path = request["name"], request["filename"]
        search_dir = request.get("search_dir")
        if search_dir:
            # Last on sys.path: sibling exercises import, but nothing shadows an installed module.
            sys.path.append(search_dir)
        module = types.ModuleType(name)
        module.__file__ = path
        sys.modules[name] = module
        # Tracebacks and warnings name the file as the learner knows it, never by an absolute path
        # (reports are the same wherever the folder lives); linecache still finds its lines.
        shown = os.path.basename(path)
        source = request["source"]
        linecache.cache[shown] = (len(source), None, source.splitlines(True), shown)
        self.module_path = shown
        self.channel.clear_output()
        try:
            code = compile(source, shown, "exec", dont_inherit=True)
            exec(code, module.__dict__)
        except BaseException as err:  # SystemExit and KeyboardInterrupt included
            return {"ok": False, "kind": "raised", "error": self.describe(err), "printed": self.channel.printed()}
        self.module = module
        wanted = request.get("functions", [])
        present = [fn for fn in wanted if callable(getattr(module, fn, None))]
        return {"ok": True, "functions": present, "printed": self.channel.printed()}

    def seed_everything(self, seed):
        self.seed = seed
        random.seed(seed)
        self.np.random.seed(seed % 2**32)
        torch = sys.modules.get("torch")
        if torch is not None:
            try:
                torch.manual_seed(seed)
            except Exception:
                pass

    def call(self, request):
        function = getattr(self.module, request["function"], None)
        if not callable(function):
            return {"ok": False, "kind": "missing", "message": f"no function named {request['function']}"}
        args = _writeable(request.get("args", []), self.np)
        kwargs = _writeable(request.get("kwargs", {}), self.np)
        probes = request.get("probes") or []
        if probes:  # functions the judge passes in, rebuilt from their descriptions
            if self.probes is None:
                self.probes = _load("probes")
            for place, key, description in probes:
                (args if place == "args" else kwargs)[key] = self.probes.Probe.from_description(description)
        errstate = request.get("errstate")
        self.seed_everything(request.get("seed", 0))
        _fresh_warnings()
        self.channel.clear_output()
        try:
            if errstate:
                with self.np.errstate(**errstate):
                    value = function(*args, **kwargs)
            else:
                value = function(*args, **kwargs)
        except BaseException as err:
            return {"ok": False, "kind": "raised", "error": self.describe(err), "printed": self.channel.printed()}
        printed = self.channel.printed()
        try:
            encoded_value = _to_plain(value, self.np)
            reply = {"ok": True, "value": encoded_value, "printed": printed}
            if request.get("return_args"):
                for place, key, _ in probes:  # the judge keeps its own copy of each probe
                    (args if place == "args" else kwargs)[key] = None
                reply["args_after"] = [_to_plain(args, self.np), _to_plain(kwargs, self.np)]
            return reply
        except Exception as err:
            return {"ok": False, "kind": "unreadable", "message": _text(err), "printed": printed}

    def describe(self, err):
        kind = type(err)
        frames = [
            f"line {frame.lineno} in {frame.name}: {(frame.line or '').strip()}"
            for frame in traceback.extract_tb(err.__traceback__)
            if frame.filename == self.module_path
        ]
        return {
            "type": kind.__qualname__,
            "module": getattr(kind, "__module__", ""),
            "message": _text(err),
            "value_error": isinstance(err, ValueError),
            "not_implemented": isinstance(err, NotImplementedError),
            "memory": isinstance(err, MemoryError),
            "output_too_large": isinstance(err, OSError) and getattr(err, "errno", None) == 27,  # EFBIG
            "where": frames[-5:],
        }


def _fresh_warnings():
    # Each call shows its warnings as in a fresh process: what a call prints must not depend on
    # which calls this worker served before (a warning is otherwise shown once per location).
    mutated = getattr(warnings, "_filters_mutated", None)
    if mutated is not None:
        mutated()


def _text(err) -> str:
    try:
        text = str(err)
    except Exception:
        text = f"<{type(err).__name__} whose message cannot be printed>"
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + " [...]"


def _writeable(value, np):
    # Arrays decoded from bytes are read-only views; learners get ordinary arrays.
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, list):
        return [_writeable(v, np) for v in value]
    if isinstance(value, tuple):
        return tuple(_writeable(v, np) for v in value)
    if isinstance(value, dict):
        return {k: _writeable(v, np) for k, v in value.items()}
    return value


def _to_plain(value, np, depth=0):
    """Learner value -> wire-safe value: tensors and array subclasses become plain arrays."""
    if depth > 32:
        raise TypeError("the value is nested too deeply")
    kind = type(value)
    if kind in (list, tuple):
        return kind(_to_plain(v, np, depth + 1) for v in value)
    if kind is dict:
        return {k: _to_plain(v, np, depth + 1) for k, v in value.items()}
    if kind.__module__.startswith("torch") and hasattr(value, "detach"):
        return _plain_array(value.detach().cpu().numpy(), np)
    if isinstance(value, np.ndarray):
        return _plain_array(value, np)
    return value


def _plain_array(value, np):
    if value.dtype.hasobject:
        raise TypeError("an array of Python objects (dtype=object); return a numeric array")
    # A fresh base-class copy: a subclass's overridden methods never reach the judge.
    return np.array(np.ndarray.view(value, np.ndarray), copy=True)


def main():
    config = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    # Boot behind the judge: while both start, the judge's imports are the critical path.
    os.nice(config.get("nice", 0))
    sys.dont_write_bytecode = True
    _confine(config)
    wire = _load("wire")
    channel = Channel(wire)
    if not config.get("unshare"):  # in our own namespaces the outer process reports how we ended
        _report_fatal_signals(config.get("status_fd"))
    Worker(wire, channel).serve()


def _report_fatal_signals(fd):
    """Without bubblewrap's status pipe, say on our own pipe which signal ended us (a segfault...).

    A judge that forked cannot wait() for this process; this line is how it learns why it died.
    """
    if fd is None:
        return
    import faulthandler

    os.set_inheritable(fd, False)
    faulthandler.enable(file=fd, all_threads=False)


if __name__ == "__main__":
    main()
