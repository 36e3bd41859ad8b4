"""Learner code that misbehaves is a failed check with a clear message, never a grader crash."""

import os
import textwrap

from grader.judging import judge
from grader.sandbox.supervisor import Limits
from helpers import SOLUTIONS, submit

FAST = Limits(call_seconds=1.0, load_seconds=10.0)
REFERENCE = (SOLUTIONS / "softmax.py").read_text()


def grade_with_sigmoid(tmp_path, sigmoid_source, *, limits=FAST, extra=""):
    """The reference softmax module with sigmoid replaced: the other functions must still pass."""
    source = REFERENCE + "\n\n" + textwrap.dedent(extra) + "\n\n" + textwrap.dedent(sigmoid_source)
    return judge.grade("softmax", submit(tmp_path, "softmax", source), limits=limits)


def by_function(result, function):
    return [c for c in result.checks if c.function == function]


def assert_others_pass(result):
    others = [c for c in result.checks if c.function != "sigmoid"]
    assert others and all(c.status == "passed" for c in others), [(c.id, c.status, c.message) for c in others]


def test_endless_loop_is_a_timeout_and_the_rest_still_grades(tmp_path):
    result = grade_with_sigmoid(tmp_path, """
        def sigmoid(x):
            while True:
                pass
    """)
    statuses = {c.status for c in by_function(result, "sigmoid")}
    assert statuses == {"timeout"}
    assert "longer than 1 s" in by_function(result, "sigmoid")[0].message
    assert_others_pass(result)


def test_os_exit_is_a_crash_with_a_plain_message(tmp_path):
    result = grade_with_sigmoid(tmp_path, """
        import os
        def sigmoid(x):
            os._exit(0)
    """)
    checks = by_function(result, "sigmoid")
    assert {c.status for c in checks} == {"crashed"}
    assert "ended the process" in checks[0].message
    assert_others_pass(result)


def test_sys_exit_inside_a_call_is_an_error_not_an_exit(tmp_path):
    result = grade_with_sigmoid(tmp_path, """
        import sys
        def sigmoid(x):
            sys.exit(0)
    """)
    assert {c.status for c in by_function(result, "sigmoid")} == {"error"}
    assert_others_pass(result)


def test_a_module_that_raises_at_import_fails_every_check_with_the_reason(tmp_path):
    folder = submit(tmp_path, "softmax", REFERENCE + "\nraise RuntimeError('boom at import')\n")
    result = judge.grade("softmax", folder, limits=FAST)
    assert result.score == 0
    assert {c.status for c in result.checks} == {"error"}
    assert "boom at import" in result.problem


def test_a_syntax_error_names_the_line(tmp_path):
    folder = submit(tmp_path, "softmax", "import numpy as np\n\ndef softmax(z, axis=-1)\n    return z\n")
    result = judge.grade("softmax", folder, limits=FAST)
    assert result.score == 0 and "line 3" in result.problem


def test_a_missing_file_is_a_clear_problem(tmp_path):
    result = judge.grade("softmax", tmp_path, limits=FAST)
    assert result.score == 0 and "does not exist" in result.problem


def test_a_list_instead_of_an_array_fails_only_the_contract(tmp_path):
    result = grade_with_sigmoid(tmp_path, """
        def sigmoid(x):
            return _reference_sigmoid(x).tolist()
    """, extra="_reference_sigmoid = sigmoid")
    checks = {c.tier: c for c in by_function(result, "sigmoid")}
    assert checks["contract"].status == "failed"
    assert "a list" in checks["contract"].message
    assert all(c.status == "passed" for c in by_function(result, "sigmoid") if c.tier != "contract")


def test_an_object_that_equals_everything_is_not_a_pass(tmp_path):
    result = grade_with_sigmoid(tmp_path, """
        class Anything:
            def __eq__(self, other):
                return True
            __array_priority__ = 1000
        def sigmoid(x):
            return Anything()
    """)
    checks = by_function(result, "sigmoid")
    assert all(c.status == "failed" for c in checks)
    assert "cannot read" in checks[0].message
    assert_others_pass(result)


def test_an_array_subclass_with_a_lying_eq_is_judged_on_its_numbers(tmp_path):
    result = grade_with_sigmoid(tmp_path, """
        class Liar(np.ndarray):
            def __eq__(self, other):
                return np.ones(np.shape(self), bool)
            def __sub__(self, other):
                return np.zeros(np.shape(self))
        def sigmoid(x):
            return np.zeros(np.shape(x)).view(Liar)
    """)
    reference_check = next(c for c in by_function(result, "sigmoid") if c.tier == "reference")
    assert reference_check.status == "failed"


def test_printing_is_captured_and_shown_for_a_failure(tmp_path):
    result = grade_with_sigmoid(tmp_path, """
        def sigmoid(x):
            print("debugging sigmoid", x)
            return np.zeros(np.shape(x))
    """)
    failure = next(c for c in by_function(result, "sigmoid") if c.status == "failed")
    assert failure.printed and "debugging sigmoid" in failure.printed


def test_grading_never_writes_into_the_exercises_folder(tmp_path):
    folder = submit(tmp_path, "softmax", REFERENCE + "\nimport json\n")
    before = sorted(os.listdir(folder))
    judge.grade("softmax", folder, limits=FAST)
    assert sorted(os.listdir(folder)) == before
