"""The attacks of issue 15, each tried by a submission in every sandbox mode this machine offers.

Every hostile sigmoid below tries one escape on each call. When the escape works it raises
``ESCAPED``, which fails its checks; when the sandbox holds it returns the right answer, so a
contained attack scores full marks. The tests also look from the outside (the file still there,
no signal received, nothing accepted on the socket).
"""

import os
import signal
import socket
import textwrap
import threading
from pathlib import Path

import pytest

from grader.judging import judge
from grader.sandbox.supervisor import Limits
from helpers import ROOT, SOLUTIONS, submit

FAST = Limits(call_seconds=2.0, load_seconds=20.0)
REFERENCE = (SOLUTIONS / "softmax.py").read_text()


def attack(tmp_path, body: str, prelude: str = ""):
    """Grade the reference with a sigmoid that first runs ``body`` (which raises ESCAPED on success)."""
    source = (REFERENCE + prelude + "\n_real_sigmoid = sigmoid\n\nclass ESCAPED(Exception):\n    pass\n\n"
              "def _attack():\n" + textwrap.indent(textwrap.dedent(body), "    ")
              + "\n\ndef sigmoid(x):\n    _attack()\n    return _real_sigmoid(x)\n")
    return judge.grade("softmax", submit(tmp_path, "softmax", source), limits=FAST)


def contained(result):
    escaped = [(c.id, c.status, c.message) for c in result.checks if c.status != "passed"]
    assert result.problem is None and not escaped, (result.problem, escaped[:3])
    return result.score == result.max_score


def test_deleting_a_file_outside_the_folder(tmp_path, sandbox_mode):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    result = attack(tmp_path, f"""
        import os
        try:
            os.remove({str(victim)!r})
        except OSError:
            return
        raise ESCAPED("deleted a file outside the folder")
    """)
    assert contained(result) and victim.read_text() == "keep me"


def test_writing_the_graders_source_or_the_learners_state(tmp_path, sandbox_mode):
    state = tmp_path / ".grade" / "state.json"
    state.parent.mkdir()
    state.write_text("{}")
    targets = [str(ROOT / "grader" / "judging" / "judge.py"), str(state)]
    result = attack(tmp_path, f"""
        import os
        for path in {targets!r}:
            try:  # opened for writing, never written: a test must not damage the checkout
                os.close(os.open(path, os.O_WRONLY | os.O_APPEND))
            except OSError:
                continue
            raise ESCAPED("could open " + path + " for writing")
    """)
    assert contained(result) and state.read_text() == "{}"


def test_reading_any_copy_of_the_references(tmp_path, sandbox_mode):
    copies = sorted({str(p) for p in Path("/work").glob("*/solutions/softmax.py")} | {str(SOLUTIONS / "softmax.py")})
    result = attack(tmp_path, f"""
        import runpy
        for path in {copies!r}:
            try:
                runpy.run_path(path)
            except OSError:
                continue
            raise ESCAPED("ran the reference at " + path)
        for folder in {[str(ROOT / "tests"), str(ROOT / ".git"), str(ROOT / "grader" / "specs")]!r}:
            try:
                __import__("os").listdir(folder)
            except OSError:
                continue
            raise ESCAPED("listed " + folder)
    """)
    assert contained(result)


def test_signalling_the_judge(tmp_path, sandbox_mode):
    received = []
    previous = signal.signal(signal.SIGUSR1, lambda *_: received.append(True))
    try:
        result = attack(tmp_path, f"""
            import os, signal
            for pid in ({os.getpid()}, os.getppid()):
                try:
                    os.kill(pid, signal.SIGUSR1)
                except OSError:
                    continue
                if pid == {os.getpid()}:
                    raise ESCAPED("signalled the judge")
        """)
    finally:
        signal.signal(signal.SIGUSR1, previous)
    assert contained(result) and not received


def test_forging_the_judges_output_through_proc(tmp_path, sandbox_mode):
    output = tmp_path / "judge-output.txt"
    fd = os.open(output, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        result = attack(tmp_path, f"""
            try:
                with open("/proc/{os.getpid()}/fd/{fd}", "a") as out:
                    out.write("forged")
            except OSError:
                return
            raise ESCAPED("wrote into the judge's file")
        """)
    finally:
        os.close(fd)
    assert contained(result) and output.read_text() == ""


def test_reading_the_judges_memory(tmp_path, sandbox_mode):
    result = attack(tmp_path, f"""
        import ctypes
        try:
            with open("/proc/{os.getpid()}/mem", "rb") as memory:
                memory.read(1)
        except (OSError, ValueError):
            pass
        else:
            raise ESCAPED("read the judge's memory")
        libc = ctypes.CDLL(None, use_errno=True)
        PTRACE_SEIZE, PTRACE_DETACH = 0x4206, 17
        if libc.ptrace(ctypes.c_long(PTRACE_SEIZE), ctypes.c_long({os.getpid()}), None, None) == 0:
            libc.ptrace(ctypes.c_long(PTRACE_DETACH), ctypes.c_long({os.getpid()}), None, None)
            raise ESCAPED("attached to the judge with ptrace")
    """)
    assert contained(result)


def test_connecting_to_a_unix_socket_on_the_host(tmp_path, sandbox_mode):
    path = tmp_path / "host.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    os.chmod(path, 0o600)
    server.listen()
    server.settimeout(0.2)
    accepted = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                accepted.append(server.accept())
            except OSError:
                pass

    listener = threading.Thread(target=accept, daemon=True)
    listener.start()
    try:
        result = attack(tmp_path, f"""
            import socket
            try:
                client = socket.socket(socket.AF_UNIX)
                client.connect({str(path)!r})
            except OSError:
                return
            raise ESCAPED("connected to a socket on the host")
        """)
    finally:
        stop.set()
        listener.join()
        server.close()
    assert contained(result) and not accepted


def test_raising_limits_or_priority_back(tmp_path, sandbox_mode):
    result = attack(tmp_path, f"""
        import os, resource
        soft, hard = resource.getrlimit(resource.RLIMIT_NPROC)
        if hard > {FAST.max_processes}:
            raise ESCAPED("the process limit's hard value is " + str(hard))
        for which in (resource.RLIMIT_NPROC, resource.RLIMIT_AS, resource.RLIMIT_CPU):
            try:
                resource.setrlimit(which, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
            except (OSError, ValueError):
                continue
            raise ESCAPED("raised limit " + str(which))
        before = os.getpriority(os.PRIO_PROCESS, 0)
        try:
            os.setpriority(os.PRIO_PROCESS, 0, -20)
        except OSError:
            pass
        if os.getpriority(os.PRIO_PROCESS, 0) < before:
            raise ESCAPED("raised its priority")
    """)
    assert contained(result)


def test_numpy_and_torch_import_inside_the_sandbox(tmp_path, sandbox_mode):
    pytest.importorskip("torch")
    result = attack(tmp_path, """
        if float(torch.ones(3).sum()) != 3.0 or numpy.ones(3).sum() != 3.0:
            raise ESCAPED("torch or numpy misbehaved")
    """, prelude="\nimport numpy, torch  # at import: importing torch can take longer than one call may\n")
    assert contained(result)


# --- Replies belong to their call --------------------------------------------------------------------

FORGE = """
def _forge(seconds):
    import os, struct, time
    fake = b"d" + struct.pack(">I", 1) + b"s" + struct.pack(">I", 2) + b"ok" + b"T"
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for fd in range(3, 64):
            try:
                os.write(fd, struct.pack(">I", len(fake)) + fake)
            except OSError:
                pass
        time.sleep(0.01)
"""


def others_score_full(result, function="sigmoid"):
    others = [(c.id, c.status, c.message) for c in result.checks if c.function != function and c.status != "passed"]
    assert result.problem is None and not others, others[:3]
    return True


def test_a_thread_left_running_after_a_call_never_reaches_another_functions_reply(tmp_path, sandbox_mode):
    source = REFERENCE + FORGE + """
_real_sigmoid = sigmoid
def sigmoid(x):
    import threading
    threading.Thread(target=_forge, args=(3.0,), daemon=True).start()
    return _real_sigmoid(x)
"""
    result = judge.grade("softmax", submit(tmp_path, "softmax", source), limits=FAST)
    assert others_score_full(result)


def test_a_child_process_left_running_after_a_call_never_reaches_another_functions_reply(tmp_path, sandbox_mode):
    source = REFERENCE + FORGE + """
_real_sigmoid = sigmoid
def sigmoid(x):
    import os
    if os.fork() == 0:
        os.setsid()
        _forge(3.0)
        os._exit(0)
    return _real_sigmoid(x)
"""
    result = judge.grade("softmax", submit(tmp_path, "softmax", source), limits=FAST)
    assert others_score_full(result)


def test_forging_frames_at_import_is_named_not_credited(tmp_path, sandbox_mode):
    source = REFERENCE + FORGE + "\n_forge(0.05)\n"
    result = judge.grade("softmax", submit(tmp_path, "softmax", source), limits=FAST)
    assert result.score == 0 and "private channel" in result.problem


def test_a_forged_frame_built_to_be_slow_to_decode_ends_only_that_call(tmp_path, sandbox_mode):
    source = REFERENCE + """
_real_sigmoid = sigmoid
def sigmoid(x):
    import os, struct
    inner = b"l" + struct.pack(">I", 100000) + b"N" * 100000
    body = b"l" + struct.pack(">I", 600) + inner * 600
    for fd in range(3, 64):
        try:
            os.write(fd, struct.pack(">I", len(body)) + body[:4096])  # a frame header promising 57 MiB
        except OSError:
            pass
    return _real_sigmoid(x)
"""
    result = judge.grade("softmax", submit(tmp_path, "softmax", source), limits=FAST)
    assert others_score_full(result)
    assert not any(c.status == "passed" for c in result.checks if c.function == "sigmoid")


# --- A judge killed with SIGKILL leaves nothing behind -----------------------------------------------

def _workers_of(judge_pid: int) -> list[int]:
    """Processes whose HOME is a scratch folder of that judge (every worker and what it started)."""
    from grader.sandbox import isolation

    marker = f"HOME=/tmp/{isolation.scratch_prefix(judge_pid)}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/environ", "rb") as f:
                    if marker in f.read():
                        found.append(int(entry))
            except OSError:
                pass
    return found


def test_a_judge_killed_with_sigkill_leaves_no_worker_cgroup_or_scratch_folder(tmp_path, sandbox_mode):
    import subprocess
    import sys
    import time

    from grader.sandbox import isolation

    token = f"mlkatas-orphan-{os.getpid()}-{sandbox_mode}"
    folder = submit(tmp_path, "softmax", REFERENCE + f"""
_real_sigmoid = sigmoid
def sigmoid(x):
    import os, subprocess, time
    subprocess.Popen(["sh", "-c", "sleep 300; :", "{token}"], start_new_session=True)
    time.sleep(60)
    return _real_sigmoid(x)
""")
    judge_process = subprocess.Popen([sys.executable, "-m", "grader", "softmax", "--exercises", str(folder)],
                                     cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not subprocess.run(["pgrep", "-f", token], capture_output=True).stdout.strip():
            assert time.monotonic() < deadline, "the submission never started its child"
            time.sleep(0.2)
        with open(f"/proc/{judge_process.pid}/cmdline", "rb") as f:
            command = f.read()
        judges = [judge_process.pid]  # and the judges it forked (grader/judging/parallel.py), which start workers too
        for pid in _descendants(judge_process.pid):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if f.read() == command:
                        judges.append(pid)
            except OSError:
                pass
    finally:
        judge_process.kill()
        judge_process.wait()

    def alive():
        return ([w for j in judges for w in _workers_of(j)] + [j for j in judges[1:] if os.path.exists(f"/proc/{j}")]
                + subprocess.run(["pgrep", "-f", token], capture_output=True).stdout.split())

    deadline = time.monotonic() + 8  # SIGKILL and PR_SET_PDEATHSIG act at once; this is for a loaded machine
    while alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    survivors = alive()
    # The next start removes what the killed judges left: cgroups (killing what is inside) and scratch folders.
    isolation.detect.cache_clear()
    detected = isolation.detect()
    assert not survivors and not alive()
    leftovers = [p for j in judges for parent in detected.cgroup_parents for p in parent.glob(f"judge-{j}-*")]
    leftovers += [p for j in judges for p in Path("/tmp").glob(f"{isolation.scratch_prefix(j)}*")]
    assert leftovers == []


def _descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{current}/task/{task}/children") as f:
                    children = [int(c) for c in f.read().split()]
            except OSError:
                continue
            found += children
            queue += children
    return found


def test_every_process_of_a_worker_is_inside_its_cgroup_and_held_by_its_ceiling(tmp_path, sandbox_mode):
    from grader.sandbox import isolation

    if not isolation.detect().cgroup_parents:
        pytest.skip("cgroups are off here: " + "; ".join(isolation.detect().off()))
    source = """
import os, time
def spawn(n):
    started = 0
    for _ in range(n):
        try:
            if os.fork() == 0:
                time.sleep(30)
                os._exit(0)
            started += 1
        except OSError:
            break
    return started
"""
    from grader.sandbox.supervisor import Worker

    worker = Worker(Limits(max_processes=64), visible=(tmp_path,))
    try:
        loaded = worker.request({"op": "load", "name": "bomb", "filename": str(tmp_path / "bomb.py"), "source": source,
                                 "functions": ["spawn"]}, 30)
        assert loaded["ok"], loaded
        started = worker.request({"op": "call", "function": "spawn", "args": [150], "kwargs": {}}, 30)["value"]
        members = set(worker.cgroup.members())
        tree = [worker.process.pid, *_descendants(worker.process.pid)]
        outside = [pid for pid in tree if pid not in members]
    finally:
        worker.close()
    assert not outside, f"{len(outside)} of {len(tree)} processes outside the cgroup"
    assert started < 64


def test_learner_code_holds_no_capabilities_and_cannot_gain_any(tmp_path, sandbox_mode):
    result = attack(tmp_path, """
        with open("/proc/self/status") as f:
            fields = dict(line.split(":", 1) for line in f.read().splitlines() if ":" in line)
        for name in ("CapEff", "CapPrm", "CapBnd", "CapAmb"):
            if int(fields[name].strip(), 16):
                raise ESCAPED(name + " is " + fields[name].strip())
        if fields["NoNewPrivs"].strip() != "1":
            raise ESCAPED("no_new_privs is off")
    """)
    assert contained(result)
