"""Budgets: a topic's wall-clock budget, a time and size bound on decoding a reply."""

import struct
import time

import pytest

from grader.judging import judge
from grader.sandbox import wire
from grader.sandbox.supervisor import Limits
from helpers import SOLUTIONS, submit

REFERENCE = (SOLUTIONS / "softmax.py").read_text()


def test_slow_but_correct_code_is_stopped_by_the_topics_budget(tmp_path):
    source = REFERENCE + "\n_real = sigmoid\nimport time\ndef sigmoid(x):\n    time.sleep(0.4)\n    return _real(x)\n"
    started = time.monotonic()
    result = judge.grade("softmax", submit(tmp_path, "softmax", source), limits=Limits(call_seconds=5),
                         budget_s=3.0)
    elapsed = time.monotonic() - started
    over = [c for c in result.checks if c.status == "timeout"]
    assert over and all("time budget (3 s)" in c.message for c in over)
    assert result.budget_s == 3.0 and result.to_dict()["budget_s"] == 3.0
    assert elapsed < 3.0 + 60  # the budget, plus start-up and the checks' own work under any load
    # Checks that ran before the budget was spent kept their verdicts.
    assert any(c.status == "passed" for c in result.checks)


def test_the_default_budget_is_stated_for_each_profile():
    assert judge.TOPIC_BUDGET_S == {"quick": 60.0, "thorough": 600.0}


def _nones(lists: int, each: int) -> bytes:
    inner = b"l" + struct.pack(">I", each) + b"N" * each
    return b"l" + struct.pack(">I", lists) + inner * lists


def test_a_reply_built_to_be_slow_to_decode_is_refused_in_time():
    message = _nones(600, 100_000)  # 57 MiB of one-byte values: 60 million objects
    started = time.monotonic()
    with pytest.raises(wire.WireError, match="too long|values"):
        wire.decode(message, deadline=time.monotonic() + 0.5)
    assert time.monotonic() - started < 30


def test_a_reply_with_too_many_values_is_refused_without_a_deadline():
    with pytest.raises(wire.WireError, match="values"):
        wire.decode(_nones(25, 100_000))


def test_ordinary_replies_still_decode():
    value = {"ok": True, "value": [1.5, None, "text", (1, 2)], "printed": {"text": "", "bytes": 0}}
    assert wire.decode(wire.encode(value), deadline=time.monotonic() + 5) == value
