"""What a report says and how it looks: timeouts, arrays, order, wording, widths, the spinner."""

import io
import textwrap

import numpy as np
import pytest
from rich.console import Console

from grader.cli import app, grading
from grader.judging import judge, render
from grader.judging.checks import Failure
from grader.judging.expect import expect_close, plural
from grader.results import table
from grader.results.model import CheckResult, RunResult, TopicResult, shown_percent
from grader.sandbox.supervisor import Limits
from helpers import SOLUTIONS, submit

FAST = Limits(call_seconds=1.0, load_seconds=10.0)


def check(status="failed", points=0.0, max_points=1.0, tier="properties", diagnosis=None, name="c"):
    return CheckResult(id=f"t.{name}", function="f", tier=tier, title=f"check {name}", points=points,
                       max_points=max_points, status=status, message=f"{name} is wrong", diagnosis=diagnosis)


def printed(result, width=80, verbose=False) -> str:
    out = io.StringIO()
    table.print_topic(Console(file=out, width=width, no_color=True, highlight=False), result, verbose=verbose)
    return out.getvalue()


# ---------------------------------------------------------------- timeouts


@pytest.mark.parametrize("jobs", [1, 2])
def test_after_a_timeout_the_functions_other_checks_are_skipped_at_once(tmp_path, jobs):
    source = (SOLUTIONS / "softmax.py").read_text() + "\n\ndef sigmoid(x):\n    while True:\n        pass\n"
    result = judge.grade("softmax", submit(tmp_path, "softmax", source), limits=FAST, jobs=jobs)
    sigmoid = [c for c in result.checks if c.function == "sigmoid"]
    assert len(sigmoid) > 2 and {c.status for c in sigmoid} == {"timeout"}
    assert "longer than 1 s on this input" in sigmoid[0].message
    assert [c.message for c in sigmoid[1:]] == ["skipped: sigmoid already took longer than 1 s"] * (len(sigmoid) - 1)
    assert all(c.passed for c in result.checks if c.function != "sigmoid")
    # the report details the timeout with its input; the skipped checks are only counted
    text = printed(result)
    assert "took longer than 1 s on this input" in text and "skipped:" not in text
    assert f"{len(sigmoid) - 1} timeout" in " ".join(text.split())


# ---------------------------------------------------------------- the score as printed, and --fail-under


def _topic_at(score, max_score):
    return TopicResult("t", "T", [check("passed", score, score, name="a"), check(max_points=max_score - score)])


def test_fail_under_compares_the_percentage_as_printed():
    topic = _topic_at(265, 279)  # 94.98 %
    assert "(95.0%)" in printed(topic)
    run = RunResult([topic])
    assert grading.passes(run, 95) and not grading.passes(run, 95.1) and not grading.passes(run, None)


def test_the_percentage_never_reads_100_short_of_full_marks():
    assert shown_percent(99.96) == 99.9 and shown_percent(100.0) == 100.0 and shown_percent(94.98) == 95.0
    assert not grading.passes(RunResult([_topic_at(9999, 10000)]), 100)


# ---------------------------------------------------------------- what is detailed, in which order


def test_the_checks_not_detailed_are_counted_by_what_they_are():
    checks = [check(name=str(i)) for i in range(4)] + [check("todo", name=f"todo{i}") for i in range(13)]
    text = " ".join(printed(TopicResult("t", "T", checks)).split())
    assert "14 more not detailed: 1 failed and 13 todo;" in text


def test_a_named_mistake_is_detailed_first():
    checks = [check(tier="stability", name="nan"), check(tier="properties", name="plain"),
              check(tier="reference", diagnosis="subtracts the max of the whole array", name="named")]
    text = printed(TopicResult("t", "T", checks))
    details = [line for line in text.splitlines() if line.startswith("✗ check")]
    assert details == ["✗ check named  [t.named]", "✗ check plain  [t.plain]", "✗ check nan  [t.nan]"]


def test_a_softmax_with_the_max_over_the_whole_array_is_named_in_the_first_detail(tmp_path):
    source = (SOLUTIONS / "softmax.py").read_text() + textwrap.dedent("""

        def softmax(z, axis=-1):
            z = np.asarray(z, dtype=np.float64)
            e = np.exp(z - z.max())
            return e / e.sum(axis=axis, keepdims=True)
    """)
    result = judge.grade("softmax", submit(tmp_path, "softmax", source))
    lines = printed(result).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("✗ ") and "│" not in line)
    first = "\n".join(lines[start: lines.index("", start)])
    assert "mistake" in first and "maximum of the whole array" in " ".join(first.split())


# ---------------------------------------------------------------- arrays


def test_large_arrays_are_summarised_around_their_first_difference():
    expected = np.linspace(0.0, 1.0, 120).reshape(2, 3, 4, 5) / 3
    got = expected.copy()
    got[1, 2, 0, 3] += 1e-7
    got_text, expected_text = render.got_and_expected(got, expected)
    for text in (got_text, expected_text):
        assert "\n" not in text and len(text) < 200
        assert "float64 array of shape (2, 3, 4, 5)" in text and "first difference at index (1, 2, 0, 3)" in text
    # 6 significant digits, more only where they are needed to tell the two apart
    assert got_text != expected_text
    assert "0.1344" in render.summary(expected) or "0.00280112" in render.summary(expected)


def test_small_arrays_stay_whole_and_copy_pasteable():
    z = np.array([[0.1, 1e-300], [2.5, -3.0]])
    text = render.value(z)
    assert "\n" not in text and np.array_equal(eval(text, {"array": np.array}), z)


def test_a_long_value_wraps_between_numbers_never_inside_one():
    got = np.linspace(0.123456789, 9.87654321, 16)
    result = TopicResult("t", "T", [check()])
    result.checks[0].got, result.checks[0].expected = render.got_and_expected(got, got + 1)
    text = printed(result, width=40)
    block, collecting = [], False
    for line in text.splitlines():
        if line.startswith("got"):
            collecting = True
        elif line.startswith("expected"):
            break
        if collecting:
            block.append(line[len("got"):] if line.startswith("got") else line)
    assert len(block) > 1  # it did wrap
    assert " ".join(block).split() == result.checks[0].got.split()


# ---------------------------------------------------------------- words


def test_generated_messages_agree_in_number():
    assert plural("the averages (each must lie in [0.0, 1.0])") and not plural("the result")
    assert not plural("softmax(z)") and not plural("the list of gradients") and not plural("the RMSE")
    with pytest.raises(Failure) as failure:
        expect_close(np.array([2.0]), np.array([1.0]), rtol=0, atol=0, what="the averages")
    assert failure.value.message.startswith("the averages are wrong")


def test_a_constant_series_is_not_described_as_an_interval(tmp_path):
    source = (SOLUTIONS / "ewma.py").read_text() + textwrap.dedent("""

        _reference_ewma = ewma

        def ewma(x, beta, bias_correction=True):
            return 2 * _reference_ewma(x, beta, bias_correction)
    """)
    result = judge.grade("ewma", submit(tmp_path, "ewma", source))
    inside = next(c for c in result.checks if c.id == "ewma.ewma_corrected_stays_within_range")
    assert inside.message.startswith("the averages (each must equal 1.0) are wrong"), inside.message


# ---------------------------------------------------------------- the spinner


def test_the_spinner_names_the_topic_on_a_terminal_only():
    terminal = io.StringIO()
    console = Console(file=terminal, force_terminal=True, width=60)
    with app.while_grading(console, "softmax", after=0.0) as now_grading:
        now_grading("mle")
        for _ in range(400):  # wait for the spinner to draw (a thread), however loaded the machine
            if "grading" in terminal.getvalue():
                break
            import time

            time.sleep(0.025)
    assert "grading" in terminal.getvalue()
    piped = io.StringIO()
    with app.while_grading(Console(file=piped, width=60), "softmax", after=0.0):
        pass
    assert piped.getvalue() == ""
