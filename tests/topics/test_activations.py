"""The activations reference against torch (functional activations, losses and autograd)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from helpers import SOLUTIONS, grade, submit
from grader.judging.checks import Reference

ref = Reference("activations")
KINDS = ("relu", "leaky_relu", "sigmoid", "tanh", "gelu")
TORCH = {"relu": F.relu, "leaky_relu": F.leaky_relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
         "gelu": lambda t: F.gelu(t, approximate="none")}
SHAPES = nps.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6)
X = nps.arrays(np.float64, SHAPES, elements=st.one_of(st.just(0.0), st.floats(-1e3, 1e3, allow_nan=False)))


def atol(x):
    return 1e-13 * max(1.0, float(np.abs(x).max()))


@pytest.mark.parametrize("kind", KINDS)
@given(x=X)
def test_activation_and_its_gradient_match_torch_autograd(kind, x):
    t = torch.from_numpy(x.copy()).requires_grad_()
    y = TORCH[kind](t)
    y.sum().backward()
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        value, grad = ref.activation(x, kind), ref.activation_grad(x, kind)
    np.testing.assert_allclose(value, y.detach().numpy(), rtol=1e-9, atol=atol(x))
    np.testing.assert_allclose(grad, t.grad.numpy(), rtol=1e-9, atol=atol(x))


@st.composite
def pairs(draw):
    shape = draw(SHAPES)
    values = st.floats(-1e3, 1e3, allow_nan=False)
    y_true = draw(nps.arrays(np.float64, shape, elements=values))
    # Some residuals exactly 0 or exactly +-delta: the kinks, where torch's convention is the contract's.
    delta = draw(st.sampled_from([1.0, 0.5, 2.0]) | st.floats(0.1, 10))
    offsets = draw(nps.arrays(np.float64, shape, elements=st.sampled_from([0.0, delta, -delta]) | values))
    return y_true, y_true + offsets, delta


@given(pairs())
def test_losses_and_gradients_match_torch(case):
    y_true, y_pred, delta = case
    target = torch.from_numpy(y_true)
    scale = 1e-12 * max(1.0, float(np.abs(y_pred - y_true).max())) ** 2
    for name, loss in (("mse", F.mse_loss), ("mae", F.l1_loss),
                       ("huber", lambda p, t: F.huber_loss(p, t, delta=delta))):
        prediction = torch.from_numpy(y_pred.copy()).requires_grad_()
        value = loss(prediction, target)
        value.backward()
        ours = ref.huber(y_true, y_pred, delta) if name == "huber" else getattr(ref, name)(y_true, y_pred)
        assert ours == pytest.approx(value.item(), rel=1e-9, abs=scale)
        np.testing.assert_allclose(ref.loss_grad(y_true, y_pred, name, delta), prediction.grad.numpy(),
                                   rtol=1e-9, atol=1e-15)


@given(nps.arrays(np.float64, st.integers(1, 9), elements=st.floats(-100, 100)), st.floats(-100, 100))
def test_mean_and_median_minimise_mse_and_mae(y, c):
    assert ref.mse(y, np.full_like(y, y.mean())) <= ref.mse(y, np.full_like(y, c)) + 1e-9
    assert ref.mae(y, np.full_like(y, np.median(y))) <= ref.mae(y, np.full_like(y, c)) + 1e-9


def test_the_stub_examples():
    np.testing.assert_array_equal(ref.activation([-1.0, 0.0, 2.0], "relu"), [0.0, 0.0, 2.0])
    np.testing.assert_allclose(ref.activation([1.0], "gelu"), [0.84134475], rtol=1e-8)
    np.testing.assert_array_equal(ref.activation_grad([-1.0, 0.0, 2.0], "relu"), [0.0, 0.0, 1.0])
    assert ref.activation_grad([0.0], "sigmoid")[0] == 0.25
    assert (ref.mse([1.0, 2.0], [1.0, 4.0]), ref.mae([1.0, 2.0], [1.0, 4.0])) == (2.0, 1.0)
    assert ref.huber([0.0, 0.0], [0.5, 3.0]) == 1.3125
    np.testing.assert_array_equal(ref.loss_grad([1.0, 2.0], [1.0, 4.0], "mse"), [0.0, 2.0])


def test_torch_activations_and_autograd_are_forbidden(tmp_path):
    source = (SOLUTIONS / "activations.py").read_text() + (
        "\n\ndef activation_grad(x, kind):\n    import torch\n"
        "    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)\n"
        "    activation(t.detach().numpy(), kind)\n    t.sigmoid().sum().backward()\n    return t.grad.numpy()\n")
    result = grade("activations", submit(tmp_path, "activations", source))
    assert {c.status for c in result.checks if c.function == "activation_grad"} == {"forbidden"}
    assert all(c.status == "passed" for c in result.checks if c.function != "activation_grad")
