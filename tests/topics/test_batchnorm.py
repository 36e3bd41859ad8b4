"""The batchnorm reference against torch.nn.functional.batch_norm, and its forbidden calls."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging.checks import Reference
from grader.specs import batchnorm as spec
from helpers import SOLUTIONS, grade, submit

ref = Reference("batchnorm")


def torch_batchnorm(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    """F.batch_norm on float64 copies; torch updates the running statistics in place."""
    rm, rv = torch.tensor(running_mean), torch.tensor(running_var)
    y = torch.nn.functional.batch_norm(torch.tensor(x), rm, rv, weight=torch.tensor(gamma), bias=torch.tensor(beta),
                                       training=training, momentum=momentum, eps=eps)
    return y.numpy(), rm.numpy(), rv.numpy()


@given(spec.BATCHES)
def test_reference_matches_torch_batch_norm(case):
    ours = ref.batchnorm(**case)
    theirs = torch_batchnorm(**case)
    for a, b in zip(ours, theirs):
        assert a.dtype == np.float64 and a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9)


@given(spec.batches(values=st.floats(-2.0, 2.0), training=st.just(True), offset=1e6))
def test_reference_matches_torch_with_a_large_offset(case):
    y, rm, rv = ref.batchnorm(**case)
    ty, trm, trv = torch_batchnorm(**case)
    var = case["x"].var(axis=spec._axes(case["x"]))
    if np.all(var > 0.1):
        np.testing.assert_allclose(y, ty, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(rm, trm, rtol=1e-12)


@given(st.integers(2, 5), st.integers(1, 3), st.data())
def test_torch_raises_where_the_contract_says_valueerror_for_one_value_per_channel(n, c, data):
    x = data.draw(nps.arrays(np.float64, (1, c), elements=st.floats(-1, 1)))
    with pytest.raises(ValueError):
        torch_batchnorm(x, np.ones(c), np.zeros(c), np.zeros(c), np.ones(c))
    with pytest.raises(ValueError):
        ref.batchnorm(x, np.ones(c), np.zeros(c), np.zeros(c), np.ones(c))
    inference = ref.batchnorm(x, np.ones(c), np.zeros(c), np.zeros(c), np.ones(c), training=False)[0]
    np.testing.assert_allclose(inference, torch_batchnorm(x, np.ones(c), np.zeros(c), np.zeros(c), np.ones(c),
                                                          training=False)[0], rtol=1e-12)


def test_docstring_example_holds():
    y, rm, rv = ref.batchnorm([[1.0], [3.0]], [1.0], [0.0], [0.0], [1.0], eps=1e-12)
    np.testing.assert_allclose(y, [[-1.0], [1.0]], rtol=1e-9)
    np.testing.assert_allclose(rm, [0.2], rtol=1e-15)
    np.testing.assert_allclose(rv, [1.1], rtol=1e-15)


@pytest.mark.parametrize("call", ["torch.nn.functional.batch_norm(t, None, None, training=True)",
                                  "torch.batch_norm(t, None, None, None, None, True, 0.1, 1e-5, False)",
                                  "torch.nn.BatchNorm1d(t.shape[1], affine=False, dtype=torch.float64)(t)"])
def test_library_batch_norm_is_forbidden(tmp_path, call):
    source = (SOLUTIONS / "batchnorm.py").read_text() + f'''

_reference = batchnorm


def batchnorm(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    import torch
    t = torch.as_tensor(np.asarray(x, dtype=np.float64))
    {call}
    return _reference(x, gamma, beta, running_mean, running_var, training, momentum, eps)
'''
    result = grade("batchnorm", submit(tmp_path, "batchnorm", source))
    assert {c.status for c in result.checks} == {"forbidden"}
