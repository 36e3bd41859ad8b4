"""The softmax properties as plain in-process pytest + hypothesis tests: the bench's comparison point.

Same reference, same strategies and roughly the same number of examples as the quick
profile of `grade softmax`, but no sandbox, no worker, no diagnosis and no report.
"""

import importlib.util
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

_spec = importlib.util.spec_from_file_location("ref", Path(__file__).resolve().parents[2] / "solutions" / "softmax.py")
ref = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ref)

FINITE = st.floats(-1e3, 1e3, allow_nan=False)
HUGE = st.floats(-1e4, 1e4, allow_nan=False)
SHAPES = nps.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5)
QUICK = settings(max_examples=5, deadline=None, derandomize=True, database=None)


@st.composite
def logits_and_axis(draw, elements=FINITE):
    z = draw(nps.arrays(np.float64, SHAPES, elements=elements))
    return z, draw(st.integers(-z.ndim, z.ndim - 1))


@st.composite
def classification(draw, elements=FINITE):
    n, c = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    return (draw(nps.arrays(np.float64, (n, c), elements=elements)),
            draw(nps.arrays(np.int64, (n,), elements=st.integers(0, c - 1))))


@QUICK
@given(logits_and_axis())
def test_rows_sum_to_one(case):
    z, axis = case
    p = ref.softmax(z, axis=axis)
    assert (p >= 0).all() and np.allclose(p.sum(axis=axis), 1.0, atol=1e-12)


@QUICK
@given(logits_and_axis(), FINITE)
def test_shift_invariance(case, c):
    z, axis = case
    np.testing.assert_allclose(ref.softmax(z + c, axis=axis), ref.softmax(z, axis=axis), rtol=1e-9, atol=1e-15)


@QUICK
@given(logits_and_axis())
def test_log_softmax_exponentiates_to_distribution(case):
    z, axis = case
    assert np.allclose(np.exp(ref.log_softmax(z, axis=axis)).sum(axis=axis), 1.0, atol=1e-12)


@QUICK
@given(nps.arrays(np.float64, SHAPES, elements=FINITE))
def test_sigmoid_symmetry(x):
    np.testing.assert_allclose(ref.sigmoid(-x), 1.0 - ref.sigmoid(x), atol=1e-15)


@QUICK
@given(logits_and_axis(HUGE))
def test_softmax_stable(case):
    z, axis = case
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        p = ref.softmax(z, axis=axis)
    assert np.isfinite(p).all()


@QUICK
@given(classification(HUGE))
def test_cross_entropy_stable_and_nonnegative(case):
    logits, targets = case
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert ref.cross_entropy(logits, targets) >= -1e-12
