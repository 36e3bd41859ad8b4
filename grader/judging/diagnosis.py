"""Known-mistake diagnosis: which named wrong implementation explains the learner's output?

On a failing input, the judge runs each known mistake of the function (in the judge: they
are the spec's own trusted code) and compares its outcome with the learner's. The first
that matches, and differs from the reference there, names the mistake and gives its hint.
"""

from __future__ import annotations

import copy
import warnings

import numpy as np

from grader.judging.checks import Spec
from grader.sandbox.learner import Outcome, Raised, Returned


def diagnose(spec: Spec, call):
    """The known mistake whose output matches the learner's on this input, if any."""
    candidates = [m for m in spec.mistakes if m.function == call.function]
    if not candidates:
        return None
    # When the check looked at the arguments after the call, an in-place change is part of the outcome.
    learner = (call.outcome, call.arguments_after)
    reference = _evaluate(getattr(spec.reference, call.function), call)
    for mistake in candidates:
        predicted = _evaluate(spec.bound_mistake(mistake), call)
        if _same(predicted, learner) and not _same(predicted, reference):
            return mistake
    return None


def _same(a, b) -> bool:
    (outcome_a, after_a), (outcome_b, after_b) = a, b
    if not same_outcome(outcome_a, outcome_b):
        return False
    return after_a is None or after_b is None or _same_value(after_a, after_b)


def _evaluate(function, call) -> tuple[Outcome, dict | None]:
    """(what the function did, its arguments afterwards when the learner's were recorded)."""
    kwargs = copy.deepcopy(call.kwargs)
    after = kwargs if call.arguments_after is not None else None
    with warnings.catch_warnings(), np.errstate(**(call.errstate or {"all": "ignore"})):
        warnings.simplefilter("ignore")
        try:
            return Returned(function(**kwargs)), after
        except Exception as err:
            return Raised(type(err).__qualname__, str(err), value_error=isinstance(err, ValueError)), after


def same_outcome(a: Outcome, b: Outcome) -> bool:
    if isinstance(a, Raised) and isinstance(b, Raised):
        # The message too: "overflow in exp" and "divide by zero in log" are different mistakes.
        return a.type == b.type and a.message == b.message
    if isinstance(a, Returned) and isinstance(b, Returned):
        return _same_value(a.value, b.value)
    return False


def _same_value(a, b) -> bool:
    """Do two results match closely enough to be the same mistake? Types matter, not just values."""
    if a is b:  # the same object, e.g. a probe function the judge passed in (probes are never copied)
        return True
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same_value(a[k], b[k]) for k in a)
    if isinstance(a, str) or isinstance(b, str):  # text (an itemset's items, a prompt): equal text only
        return isinstance(a, str) and isinstance(b, str) and a == b
    try:
        x, y = np.asarray(a), np.asarray(b)
    except Exception:
        return False
    if x.shape != y.shape or x.dtype.kind not in "biuf" or y.dtype.kind not in "biuf":
        return False
    if isinstance(a, np.ndarray) != isinstance(b, np.ndarray) or (isinstance(a, np.ndarray) and x.dtype != y.dtype):
        return False
    if (x.dtype.kind in "iu") != (y.dtype.kind in "iu") or (x.dtype.kind == "b") != (y.dtype.kind == "b"):
        return False  # an int result and a float result are different mistakes
    if x.dtype.kind in "biu":
        return bool(np.array_equal(x, y))  # exact: 10**18 + 6 is not 10**18
    x, y = x.astype(np.float64), y.astype(np.float64)
    finite = np.abs(y[np.isfinite(y)])
    scale = float(finite.max()) if finite.size and finite.max() > 0 else 1e-290
    return bool(np.allclose(x, y, rtol=1e-7, atol=1e-10 * scale, equal_nan=True))
