"""`grade class --dask`: a real scheduler and two workers on 127.0.0.1 grade to the local pool's journal."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from classroom_helpers import make_class
from helpers import ROOT

pytest.importorskip("distributed")
TOPICS = "softmax,conv_params"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dask_command() -> list[str]:
    beside = Path(sys.executable).with_name("dask")
    return [str(beside)] if beside.exists() else [shutil.which("dask") or "dask"]


@pytest.fixture
def cluster(tmp_path):
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = open(tmp_path / "dask.log", "w")
    started = [subprocess.Popen([*dask_command(), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                 "--no-dashboard"], stdout=logs, stderr=subprocess.STDOUT, start_new_session=True)]
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        for number in range(2):
            started.append(subprocess.Popen(
                [*dask_command(), "worker", address, "--nthreads", "1", "--nworkers", "1", "--memory-limit", "0",
                 "--no-dashboard", "--name", f"w{number}"], stdout=logs, stderr=subprocess.STDOUT,
                start_new_session=True, cwd=tmp_path))
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=180)
        yield address
    finally:
        for process in reversed(started):
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for process in reversed(started):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        logs.close()


def journal(out: Path) -> list[dict]:
    records = [json.loads(line) for line in (out / "results.jsonl").open()]
    for record in records:
        for topic in record["result"]["topics"]:
            topic.pop("elapsed_s", None)
            topic.pop("timing", None)
    return sorted(records, key=lambda r: r["student"])


def grade_class(submissions, out, *extra):
    return subprocess.run([sys.executable, "-m", "grader", "class", str(submissions), "--out", str(out), "--topics",
                           TOPICS, "--jobs", "2", "--timeout", "600", *extra], cwd=ROOT, capture_output=True, text=True,
                          timeout=900, env={**os.environ, "NO_COLOR": "1"})


def test_a_dask_cluster_grades_to_the_same_journal_as_the_local_pool(tmp_path, cluster):
    submissions = make_class(tmp_path, topics=TOPICS.split(","))
    shutil.rmtree(submissions / "frank")  # its endless loops only cost time here
    local = grade_class(submissions, tmp_path / "local")
    assert local.returncode == 0, local.stdout + local.stderr
    remote = grade_class(submissions, tmp_path / "dask", "--dask", cluster)
    assert remote.returncode == 0, remote.stdout + remote.stderr
    assert journal(tmp_path / "dask") == journal(tmp_path / "local")
    assert (tmp_path / "dask" / "gradebook.csv").read_text() == (tmp_path / "local" / "gradebook.csv").read_text()
    again = grade_class(submissions, tmp_path / "dask", "--dask", cluster)
    assert "5 student(s) unchanged" in again.stdout  # resume works the same through the cluster
