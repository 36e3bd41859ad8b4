"""The softmax reference against torch (an independent oracle), and its forbidden calls."""

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from helpers import SOLUTIONS, grade, submit
from grader.judging.checks import Reference

ref = Reference("softmax")
FINITE = st.floats(-1e3, 1e3, allow_nan=False)
HUGE = st.floats(-1e4, 1e4, allow_nan=False)
SHAPES = nps.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6)


@st.composite
def logits_and_axis(draw, elements=FINITE):
    z = draw(nps.arrays(np.float64, SHAPES, elements=elements))
    return z, draw(st.integers(-z.ndim, z.ndim - 1))


@given(logits_and_axis(st.one_of(FINITE, HUGE)))
def test_softmax_and_log_softmax_match_torch(case):
    z, axis = case
    t = torch.from_numpy(z)
    np.testing.assert_allclose(ref.softmax(z, axis=axis), F.softmax(t, dim=axis).numpy(), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(ref.log_softmax(z, axis=axis), F.log_softmax(t, dim=axis).numpy(), rtol=1e-12,
                               atol=1e-12 * max(1.0, float(np.abs(z).max())))


@given(nps.arrays(np.float64, SHAPES, elements=HUGE))
def test_sigmoid_matches_torch_without_warnings(x):
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        ours = ref.sigmoid(x)
    np.testing.assert_allclose(ours, torch.sigmoid(torch.from_numpy(x)).numpy(), rtol=1e-12, atol=1e-300)


@st.composite
def classification(draw):
    n, c = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    logits = draw(nps.arrays(np.float64, (n, c), elements=st.one_of(FINITE, HUGE)))
    targets = draw(nps.arrays(np.int64, (n,), elements=st.integers(0, c - 1)))
    return logits, targets


@given(classification())
def test_cross_entropy_matches_torch(case):
    logits, targets = case
    expected = F.cross_entropy(torch.from_numpy(logits), torch.from_numpy(targets)).item()
    assert np.isclose(ref.cross_entropy(logits, targets), expected, rtol=1e-12,
                      atol=1e-12 * max(1.0, float(np.abs(logits).max())))


@given(classification())
def test_cross_entropy_gradient_is_softmax_minus_onehot(case):
    logits, targets = case
    t = torch.from_numpy(logits).requires_grad_()
    F.cross_entropy(t, torch.from_numpy(targets)).backward()
    onehot = np.eye(logits.shape[1])[targets]
    np.testing.assert_allclose(t.grad.numpy(), (ref.softmax(logits) - onehot) / len(targets), atol=1e-12)


def test_softmax_of_two_classes_is_sigmoid():
    x = np.linspace(-50, 50, 101)
    np.testing.assert_allclose(ref.softmax(np.stack([x, np.zeros_like(x)], axis=1))[:, 0], ref.sigmoid(x),
                               rtol=1e-12)


def test_a_library_softmax_is_forbidden_and_scores_nothing_for_that_function(tmp_path):
    source = (SOLUTIONS / "softmax.py").read_text() + (
        "\n\ndef softmax(z, axis=-1):\n    import scipy.special\n    return scipy.special.softmax(z, axis=axis)\n")
    result = grade("softmax", submit(tmp_path, "softmax", source))
    softmax_checks = [c for c in result.checks if c.function == "softmax"]
    assert {c.status for c in softmax_checks} == {"forbidden"}
    assert "scipy.special.softmax" in softmax_checks[0].message
    assert all(c.status == "passed" for c in result.checks if c.function != "softmax")


def test_a_torch_tensor_method_is_forbidden(tmp_path):
    source = (SOLUTIONS / "softmax.py").read_text() + (
        "\n\ndef log_softmax(z, axis=-1):\n    import torch\n"
        "    return torch.as_tensor(z, dtype=torch.float64).log_softmax(dim=axis).numpy()\n")
    result = grade("softmax", submit(tmp_path, "softmax", source))
    assert {c.status for c in result.checks if c.function == "log_softmax"} == {"forbidden"}


@st.composite
def binary_case(draw):
    shape = draw(SHAPES)
    logits = draw(nps.arrays(np.float64, shape, elements=st.one_of(FINITE, HUGE)))
    targets = draw(nps.arrays(np.float64, shape, elements=st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0, 1))))
    return logits, targets


@given(binary_case())
def test_bce_with_logits_matches_torch_without_warnings(case):
    logits, targets = case
    expected = F.binary_cross_entropy_with_logits(torch.from_numpy(logits), torch.from_numpy(targets)).item()
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        ours = ref.bce_with_logits(logits, targets)
    assert np.isclose(ours, expected, rtol=1e-12, atol=1e-12 * max(1.0, float(np.abs(logits).max())))


def test_bce_with_logits_rejects_what_torch_would_broadcast_or_accept():
    with np.testing.assert_raises(ValueError):
        ref.bce_with_logits([0.0, 1.0, 2.0], [[1.0, 0.0, 1.0]])
    with np.testing.assert_raises(ValueError):
        ref.bce_with_logits([0.0], [1.5])
