"""Hostile submissions: each is contained, graded as what it is, and leaves nothing behind.

The grader is run here as the machine allows (as root in CI). Attacks that only the kernel
layers can stop (network, signals to other processes, reading hidden files) run once per
sandbox mode the machine offers (tests/sandbox_modes.py: bubblewrap, and the worker's own
namespaces with Landlock and seccomp), and are skipped with the reason only where a mode is
missing.
"""

import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from grader.sandbox import isolation
from grader.judging import judge
from grader.sandbox.supervisor import Limits
from helpers import ROOT, SOLUTIONS, submit

FAST = Limits(call_seconds=1.0, load_seconds=10.0)
REFERENCE = (SOLUTIONS / "softmax.py").read_text()
# Only a full sandbox (bubblewrap, or the worker's own namespaces + Landlock) keeps learner code from
# writing into the folder it is graded from; a kernel without either is skipped with the reason.
needs_read_only_files = pytest.mark.skipif(
    isolation.detect().report()["level"] != "full",
    reason="needs a read-only view for learner code (bubblewrap or Landlock); this machine has neither")


def grade(tmp_path, source, limits=FAST):
    return judge.grade("softmax", submit(tmp_path, "softmax", source), limits=limits)


def with_sigmoid(body: str, prelude: str = "") -> str:
    """The reference module with sigmoid replaced by hostile code."""
    return REFERENCE + "\n" + textwrap.dedent(prelude) + "\n\ndef sigmoid(x):\n" + textwrap.indent(
        textwrap.dedent(body), "    ")


def statuses(result, function="sigmoid"):
    return {c.status for c in result.checks if c.function == function}


def others_pass(result, function="sigmoid"):
    return all(c.status == "passed" for c in result.checks if c.function != function)


def no_process_with(token: str) -> bool:
    found = subprocess.run(["pgrep", "-f", token], capture_output=True, text=True)
    return found.stdout.strip() == ""


def test_sys_exit_at_import_is_reported_not_obeyed(tmp_path):
    result = grade(tmp_path, REFERENCE + "\nimport sys\nsys.exit(0)\n")
    assert result.score == 0 and "SystemExit" in result.problem


def test_os_exit_at_import_is_a_crash(tmp_path):
    result = grade(tmp_path, REFERENCE + "\nimport os\nos._exit(0)\n")
    assert result.score == 0 and "ended the process" in result.problem


def test_endless_loop_at_import_is_a_load_timeout(tmp_path):
    result = grade(tmp_path, REFERENCE + "\nwhile True:\n    pass\n", Limits(call_seconds=1, load_seconds=2))
    assert result.score == 0 and "longer than 2 s" in result.problem


def test_sleeping_forever_is_a_timeout(tmp_path):
    result = grade(tmp_path, with_sigmoid("import time\ntime.sleep(3600)"))
    assert statuses(result) == {"timeout"} and others_pass(result)


def test_keyboard_interrupt_in_a_call_is_an_error_not_a_stop(tmp_path):
    result = grade(tmp_path, with_sigmoid("raise KeyboardInterrupt"))
    assert statuses(result) == {"error"} and others_pass(result)


def test_deep_recursion_is_an_error(tmp_path):
    result = grade(tmp_path, with_sigmoid("return sigmoid(x)"))
    assert statuses(result) == {"error"} and others_pass(result)


def test_segfault_is_a_crash(tmp_path, sandbox_mode):
    result = grade(tmp_path, with_sigmoid("import ctypes\nreturn ctypes.string_at(0)"))
    checks = [c for c in result.checks if c.function == "sigmoid"]
    # Every one: checks graded in a forked judge learn how the worker died from its status pipe.
    assert {c.status for c in checks} == {"crashed"}
    assert all("segmentation fault" in c.message for c in checks), [c.message for c in checks]
    assert others_pass(result)


def test_memory_bomb_is_stopped_with_a_plain_message(tmp_path, sandbox_mode):
    result = grade(tmp_path, with_sigmoid("return np.ones(int(3e9)) * x.sum()"),
                   Limits(call_seconds=5, memory_bytes=2 * 2**30))
    checks = [c for c in result.checks if c.function == "sigmoid"]
    assert {c.status for c in checks} == {"crashed"}
    assert "memory" in checks[0].message
    assert others_pass(result)


def test_growing_memory_bomb_is_stopped(tmp_path):
    result = grade(tmp_path, with_sigmoid("chunks = []\nwhile True:\n    chunks.append(bytearray(2**26))"),
                   Limits(call_seconds=5, memory_bytes=2 * 2**30))
    assert statuses(result) <= {"crashed", "timeout"} and others_pass(result)


def test_fork_bomb_is_contained_and_leaves_no_process(tmp_path, sandbox_mode):
    token = "mlkatas-forkbomb-31337"
    result = grade(tmp_path, with_sigmoid(f"""
        import os
        for _ in range(500):
            try:
                if os.fork() == 0:
                    # $0 names it (sleep itself rejects extra words)
                    os.execv("/bin/sh", ["sh", "-c", "sleep 300; :", "{token}"])
            except OSError:
                break
        return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))
    """))
    assert others_pass(result)
    time.sleep(0.2)
    assert no_process_with(token)


def test_daemon_that_escapes_with_setsid_does_not_outlive_grading(tmp_path, sandbox_mode):
    token = "mlkatas-daemon-27182"
    result = grade(tmp_path, with_sigmoid(f"""
        import os
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                # $0 names it (sleep itself rejects extra words)
                    os.execv("/bin/sh", ["sh", "-c", "sleep 300; :", "{token}"])
            os._exit(0)
        return _real_sigmoid(x)
    """, prelude="_real_sigmoid = sigmoid"))
    assert result.score == result.max_score
    time.sleep(0.2)
    assert no_process_with(token)


def test_huge_output_is_bounded(tmp_path):
    result = grade(tmp_path, with_sigmoid("""
        for _ in range(200):
            print("x" * 1_000_000)
        return np.zeros(np.shape(x))
    """), Limits(call_seconds=5, output_bytes=16 * 2**20))
    checks = [c for c in result.checks if c.function == "sigmoid"]
    assert {c.status for c in checks} <= {"crashed", "failed"}
    assert all(len(c.printed or "") < 10_000 for c in result.checks)
    assert others_pass(result)


def test_fake_report_on_stdout_does_not_reach_the_judges_json(tmp_path):
    fake = json.dumps({"schema": 1, "topic": "softmax", "score": 999, "max_score": 999, "checks": []})
    folder = submit(tmp_path, "softmax", (ROOT / "exercises" / "softmax.py").read_text()
                    + f"\nprint({fake!r})\nimport sys\nsys.stdout.write({fake!r})\nsys.__stdout__.write('junk')\n")
    out = subprocess.run([sys.executable, "-m", "grader", "softmax", "--exercises", str(folder), "--format", "json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    data = json.loads(out.stdout)
    assert data["score"] == 0 and out.returncode == 1


def test_customize_files_and_pth_files_in_the_submission_never_run(tmp_path):
    folder = submit(tmp_path, "softmax", REFERENCE)
    marker = "raise SystemExit('customize code ran')\n"
    (folder / "sitecustomize.py").write_text(marker)
    (folder / "usercustomize.py").write_text(marker)
    (folder / "evil.pth").write_text("import sys; sys.exit('pth ran')\n")
    result = judge.grade("softmax", folder, limits=FAST)
    assert result.score == result.max_score


def test_a_shadow_numpy_in_the_submission_is_not_imported(tmp_path):
    folder = submit(tmp_path, "softmax", REFERENCE)
    (folder / "numpy.py").write_text("raise ImportError('the shadow numpy was imported')\n")
    (folder / "random.py").write_text("raise ImportError('the shadow random was imported')\n")
    result = judge.grade("softmax", folder, limits=FAST)
    assert result.score == result.max_score


def test_sibling_modules_of_the_learner_can_be_imported(tmp_path):
    folder = submit(tmp_path, "softmax", "from my_helpers import *\n")
    (folder / "my_helpers.py").write_text(REFERENCE)
    result = judge.grade("softmax", folder, limits=FAST)
    assert result.score == result.max_score


def test_monkeypatching_numpy_in_the_worker_changes_nothing(tmp_path):
    result = grade(tmp_path, with_sigmoid("return np.zeros(np.shape(x))", prelude="""
        np.allclose = lambda *a, **k: True
        np.testing.assert_allclose = lambda *a, **k: None
        np.array_equal = lambda *a, **k: True
    """))
    assert "failed" in statuses(result)


def test_forged_replies_on_the_channel_do_not_earn_points(tmp_path):
    result = grade(tmp_path, with_sigmoid("""
        import os, struct
        fake = b"d" + struct.pack(">I", 1) + b"s" + struct.pack(">I", 2) + b"ok" + b"T"
        for fd in range(3, 64):
            try:
                os.write(fd, struct.pack(">I", len(fake)) + fake)
            except OSError:
                pass
        return np.zeros(np.shape(x))
    """))
    assert result.score < result.max_score
    assert not statuses(result) & {"passed"}


def test_input_mutation_is_caught(tmp_path):
    source = REFERENCE + ("\n\n_real = softmax\ndef softmax(z, axis=-1):\n"
                          "    out = _real(z, axis)\n    z[...] = 0\n    return out\n")
    result = grade(tmp_path, source)
    check = next(c for c in result.checks if c.id == "softmax.softmax_leaves_input_unchanged")
    assert check.status == "failed" and "in place" in check.message


@needs_read_only_files
def test_writing_into_the_exercises_folder_fails_and_changes_nothing(tmp_path):
    folder = submit(tmp_path, "softmax", with_sigmoid("""
        import pathlib
        (pathlib.Path(__file__).parent / "planted.py").write_text("x = 1")
        return _real_sigmoid(x)
    """, prelude="_real_sigmoid = sigmoid"))
    judge.grade("softmax", folder, limits=FAST)
    assert sorted(p.name for p in folder.iterdir()) == ["softmax.py"]


def test_a_huge_return_value_is_refused_with_a_message(tmp_path):
    result = grade(tmp_path, with_sigmoid("return np.zeros(20_000_000)"), Limits(call_seconds=10))
    checks = [c for c in result.checks if c.function == "sigmoid"]
    assert not {c.status for c in checks} & {"passed"}
    assert any("MiB" in c.message for c in checks)


def test_the_reference_solution_cannot_be_read(tmp_path, sandbox_mode):
    path = SOLUTIONS / "softmax.py"
    result = grade(tmp_path, with_sigmoid(f"""
        text = open({str(path)!r}).read()
        print(text)
        return np.zeros(np.shape(x))
    """))
    assert statuses(result) == {"error"}
    assert all("keepdims" not in (c.printed or "") + (c.message or "") for c in result.checks)


def test_the_reference_solution_cannot_be_imported(tmp_path, sandbox_mode):
    result = grade(tmp_path, with_sigmoid(f"""
        import importlib.util, sys
        spec = importlib.util.spec_from_file_location("ref", {str(SOLUTIONS / "softmax.py")!r})
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return vars(module)["sigmoid"](x)
    """))
    assert statuses(result) == {"error"}


def test_there_is_no_network(tmp_path, sandbox_mode):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    port = server.getsockname()[1]
    received = []

    def accept():
        deadline = time.time() + 15
        while time.time() < deadline:
            try:
                connection, _ = server.accept()
                received.append(connection.recv(100))
            except OSError:
                pass

    listener = threading.Thread(target=accept, daemon=True)
    listener.start()
    result = grade(tmp_path, with_sigmoid(f"""
        import socket
        with socket.create_connection(("127.0.0.1", {port}), timeout=0.5) as s:
            s.sendall(b"stolen")
        return np.zeros(np.shape(x))
    """))
    server.close()
    assert statuses(result) == {"error"} and received == []


def test_signals_to_other_processes_cannot_reach_the_grader(tmp_path, sandbox_mode):
    result = grade(tmp_path, with_sigmoid("""
        import os, signal
        visible = [entry for entry in os.listdir("/proc") if entry.isdigit()]
        if len(visible) > 10:  # not in a pid namespace after all: do no harm, fail the test instead
            raise RuntimeError(f"not sandboxed: {len(visible)} processes visible")
        for entry in visible:
            if entry.isdigit() and int(entry) != os.getpid():
                try:
                    os.kill(int(entry), signal.SIGKILL)
                except OSError:
                    pass
        try:
            os.kill(os.getppid(), signal.SIGKILL)
        except OSError:
            pass
        return _real_sigmoid(x)
    """, prelude="_real_sigmoid = sigmoid"))
    assert result.score == result.max_score  # and this test process is still alive to say so


def test_isolation_report_lists_what_is_on_and_off():
    detected = isolation.detect()
    assert detected.describe()
    if os.geteuid() == 0 and not detected.run_as_nobody:
        assert any("user switch off" in note for note in detected.off())


# --- The judge reads the learner's file safely (grader/sandbox/files.py) ---------------------------

def _grade_folder_within(folder, seconds=120):
    """Grade, failing the test (instead of hanging it) when the judge does not return."""
    import signal

    def stuck(signum, frame):
        raise AssertionError(f"the judge did not return within {seconds} s")

    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(seconds)
    try:
        return judge.grade("softmax", folder, limits=FAST)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_link_to_the_reference_solution_is_refused_not_graded(tmp_path):
    folder = tmp_path / "linked"
    folder.mkdir()
    (folder / "softmax.py").symlink_to(SOLUTIONS / "softmax.py")
    result = _grade_folder_within(folder)
    assert result.score == 0 and "outside the folder" in result.problem and "softmax.py" in result.problem


def test_a_relative_link_out_of_the_folder_is_refused(tmp_path):
    folder = tmp_path / "linked"
    folder.mkdir()
    (tmp_path / "elsewhere.py").write_text(REFERENCE)
    (folder / "softmax.py").symlink_to("../elsewhere.py")
    result = _grade_folder_within(folder)
    assert result.score == 0 and "outside the folder" in result.problem


def test_a_link_inside_the_folder_is_followed(tmp_path):
    folder = tmp_path / "linked"
    folder.mkdir()
    (folder / "mine.py").write_text(REFERENCE)
    (folder / "softmax.py").symlink_to("mine.py")
    result = _grade_folder_within(folder)
    assert result.problem is None and result.score == result.max_score


def test_a_fifo_as_the_submission_does_not_hang_the_judge(tmp_path):
    folder = tmp_path / "fifo"
    folder.mkdir()
    os.mkfifo(folder / "softmax.py")
    result = _grade_folder_within(folder)
    assert result.score == 0 and "FIFO" in result.problem and "softmax.py" in result.problem


def test_a_link_to_dev_zero_does_not_exhaust_the_judge(tmp_path):
    folder = tmp_path / "zero"
    folder.mkdir()
    (folder / "softmax.py").symlink_to("/dev/zero")
    result = _grade_folder_within(folder)
    assert result.score == 0 and "outside the folder" in result.problem


def test_a_device_node_inside_the_folder_is_refused(tmp_path):
    folder = tmp_path / "device"
    folder.mkdir()
    try:
        os.mknod(folder / "softmax.py", 0o600 | __import__("stat").S_IFCHR, os.makedev(1, 5))  # /dev/zero's numbers
    except PermissionError:
        pytest.skip("creating a device node needs CAP_MKNOD")
    result = _grade_folder_within(folder)
    assert result.score == 0 and "character device" in result.problem


def test_an_oversized_submission_is_refused_with_its_size(tmp_path):
    folder = submit(tmp_path, "softmax", REFERENCE + "\n#" + "x" * (2 << 20) + "\n")
    result = _grade_folder_within(folder)
    assert result.score == 0 and "MiB" in result.problem and "softmax.py" in result.problem
