"""The backprop reference against torch.autograd and central differences, and its forbidden calls."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging.checks import Reference
from grader.specs import backprop as spec
from helpers import SOLUTIONS, failing, grade, submit

ref = Reference("backprop")
FLOATS = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)
# Multiples of 1/4: every relu network on them is computed exactly, in numpy and in torch alike, so
# pre-activations that are exactly 0 (relu'(0) = 0 in both) are compared without rounding luck.
QUARTERS = st.integers(-8, 8).map(lambda k: k / 4)
TORCH_ACTIVATIONS = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}


@st.composite
def cases(draw, max_layers=4, max_width=5, max_rows=6):
    activation = draw(st.sampled_from(("tanh", "relu", "sigmoid")))
    values = QUARTERS if activation == "relu" else FLOATS
    widths = draw(st.lists(st.integers(1, max_width), min_size=2, max_size=max_layers + 1))
    n = draw(st.integers(1, max_rows))
    X = draw(nps.arrays(np.float64, (n, widths[0]), elements=values))
    Y = draw(nps.arrays(np.float64, (n, widths[-1]), elements=values))
    params = [(draw(nps.arrays(np.float64, (a, b), elements=values)),
               draw(nps.arrays(np.float64, (b,), elements=values))) for a, b in zip(widths, widths[1:])]
    return X, Y, params, activation


def torch_forward_and_gradients(X, Y, params, activation):
    """The same network in torch (float64), differentiated by autograd."""
    tensors = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)) for W, b in params]
    A = torch.from_numpy(X)
    for layer, (W, b) in enumerate(tensors):
        A = A @ W + b
        if layer < len(tensors) - 1:
            A = TORCH_ACTIVATIONS[activation](A)
    loss = torch.mean((A - torch.from_numpy(Y)) ** 2)
    loss.backward()
    return A.detach().numpy(), [(W.grad.numpy(), b.grad.numpy()) for W, b in tensors]


@given(cases())
def test_forward_and_gradients_match_torch_autograd(case):
    X, Y, params, activation = case
    out, grads = torch_forward_and_gradients(X, Y, params, activation)
    np.testing.assert_allclose(ref.mlp_forward(X, params, activation), out, rtol=1e-12, atol=1e-12)
    ours = ref.mlp_backward(X, Y, params, activation)
    assert len(ours) == len(grads)
    for (dW, db), (tW, tb), (W, b) in zip(ours, grads, params):
        assert dW.shape == W.shape and db.shape == b.shape and dW.dtype == db.dtype == np.float64
        np.testing.assert_allclose(dW, tW, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(db, tb, rtol=1e-10, atol=1e-12)


@given(cases(max_layers=3, max_width=4, max_rows=4))
def test_forward_matches_torch_nn_linear(case):
    X, _, params, activation = case
    layers = []
    for layer, (W, b) in enumerate(params):
        linear = torch.nn.Linear(*W.shape, dtype=torch.float64)
        with torch.no_grad():  # nn.Linear stores W transposed: (d_out, d_in)
            linear.weight.copy_(torch.from_numpy(W.T))
            linear.bias.copy_(torch.from_numpy(b))
        layers.append(linear)
        if layer < len(params) - 1:
            layers.append({"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid}[activation]())
    with torch.no_grad():
        expected = torch.nn.Sequential(*layers)(torch.from_numpy(X)).numpy()
    np.testing.assert_allclose(ref.mlp_forward(X, params, activation), expected, rtol=1e-12, atol=1e-12)


def _central_differences(X, Y, params, activation, h=1e-6):
    def loss(ps):
        return np.mean((ref.mlp_forward(X, ps, activation) - Y) ** 2)

    flat = [np.array(a, dtype=np.float64) for pair in params for a in pair]
    grads = []
    for k, array in enumerate(flat):
        g = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            sides = []
            for sign in (1, -1):
                moved = [a.copy() for a in flat]
                moved[k][index] += sign * h
                sides.append(loss(list(zip(moved[0::2], moved[1::2]))))
            g[index] = (sides[0] - sides[1]) / (2 * h)
        grads.append(g)
    return list(zip(grads[0::2], grads[1::2]))


@given(cases(max_layers=3, max_width=3, max_rows=4).filter(lambda c: c[3] != "relu"))
def test_gradients_match_central_differences(case):
    X, Y, params, activation = case
    for (dW, db), (nW, nb) in zip(ref.mlp_backward(X, Y, params, activation),
                                  _central_differences(X, Y, params, activation)):
        np.testing.assert_allclose(dW, nW, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(db, nb, rtol=1e-5, atol=1e-6)


@given(st.data())
def test_the_spec_keeps_relu_pre_activations_clear_of_the_kink(data):
    case = data.draw(spec.networks(activations=("relu",), layers=(2, 4)))
    A = case["X"]
    for W, b in case["params"][:-1]:
        Z = A @ W + b
        assert np.all(np.abs(Z) >= spec.RELU_MARGIN * (1 - 1e-9))
        A = np.maximum(Z, 0.0)


@given(spec.relu_networks_with_dead_units())
def test_dead_units_sit_exactly_at_zero_and_torch_agrees_they_get_no_gradient(case):
    X, Y, params = case["X"], case["Y"], case["params"]
    W, b = params[0]
    assert not (X @ W + b)[:, case["dead"]].any()
    _, grads = torch_forward_and_gradients(X, Y, params, "relu")
    assert not grads[0][0][:, case["dead"]].any() and not grads[0][1][case["dead"]].any()


def test_docstring_examples_hold():
    out = ref.mlp_forward([[0.0]], [(np.array([[1.0]]), np.array([1.0])), (np.array([[2.0]]), np.array([0.0]))])
    np.testing.assert_allclose(out, [[2 * np.tanh(1.0)]], rtol=1e-15)
    (dW, db), = ref.mlp_backward([[1.0]], [[0.0]], [(np.array([[2.0]]), np.array([1.0]))])
    assert dW.tolist() == [[6.0]] and db.tolist() == [6.0]


def _with(source_of_functions: str) -> str:
    return (SOLUTIONS / "backprop.py").read_text() + "\n\n" + source_of_functions


AUTOGRAD_BACKWARD = '''
def mlp_backward(X, Y, params, activation="tanh"):
    import torch
    tensors = [(torch.tensor(W, dtype=torch.float64, requires_grad=True),
                torch.tensor(b, dtype=torch.float64, requires_grad=True)) for W, b in params]
    A = torch.as_tensor(X, dtype=torch.float64)
    for i, (W, b) in enumerate(tensors):
        A = A @ W + b
        if i < len(tensors) - 1:
            A = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}[activation](A)
    loss = torch.mean((A - torch.as_tensor(Y, dtype=torch.float64)) ** 2)
    GRADIENT_CALL
'''


@pytest.mark.parametrize(("call", "named"), [
    ("loss.backward()\n    return [(W.grad.numpy(), b.grad.numpy()) for W, b in tensors]", ".backward()"),
    ("grads = torch.autograd.grad(loss, [t for pair in tensors for t in pair])\n"
     "    return [(grads[2 * i].numpy(), grads[2 * i + 1].numpy()) for i in range(len(tensors))]", "torch.autograd"),
])
def test_autograd_is_forbidden_and_scores_nothing_for_mlp_backward(tmp_path, call, named):
    source = _with(AUTOGRAD_BACKWARD.replace("GRADIENT_CALL", call))
    result = grade("backprop", submit(tmp_path, "backprop", source))
    backward_checks = [c for c in result.checks if c.function == "mlp_backward"]
    assert {c.status for c in backward_checks} == {"forbidden"}
    assert named in backward_checks[0].message
    assert all(c.status == "passed" for c in result.checks if c.function == "mlp_forward")


def test_torch_func_grad_is_forbidden(tmp_path):
    source = _with("def mlp_backward(X, Y, params, activation='tanh'):\n"
                   "    from torch.func import grad\n    raise RuntimeError(grad)\n")
    result = grade("backprop", submit(tmp_path, "backprop", source))
    assert {c.status for c in result.checks if c.function == "mlp_backward"} == {"forbidden"}


NAIVE_BUT_CORRECT = '''
def _activate(Z, activation):
    if activation == "tanh":
        return np.tanh(Z)
    if activation == "relu":
        return Z * (Z > 0)
    return 1.0 / (1.0 + np.exp(-Z))  # overflows to inf for Z < -709, with a warning: the value is still right


def _derivative(Z, activation):
    if activation == "tanh":
        return 1.0 / np.cosh(Z) ** 2  # cosh overflows to inf for |Z| > 710: 1 / inf = 0, right again
    if activation == "relu":
        return np.where(Z > 0, 1.0, 0.0)
    s = 1.0 / (1.0 + np.exp(-Z))
    return s * (1.0 - s)
'''


def test_overflow_warnings_are_not_graded_only_the_values(tmp_path):
    # DESIGN.md does not promise warning-free backprop: a naive sigmoid or 1/cosh^2 with correct values passes.
    result = grade("backprop", submit(tmp_path, "backprop", _with(NAIVE_BUT_CORRECT)))
    assert [(c.id, c.message) for c in failing(result)] == []


def test_the_default_activation_is_graded(tmp_path):
    source = _with("_mlp_forward = mlp_forward\n\n\ndef mlp_forward(X, params, activation='relu'):\n"
                   "    return _mlp_forward(X, params, activation)\n")
    result = grade("backprop", submit(tmp_path, "backprop", source))
    assert [c.id for c in failing(result)] == ["backprop.forward_matches_reference"]


def test_a_gradient_off_by_a_millionth_fails_the_reference_check(tmp_path):
    source = _with("_mlp_backward = mlp_backward\n\n\ndef mlp_backward(X, Y, params, activation='tanh'):\n"
                   "    return [(dW * (1 + 1e-6), db) for dW, db in _mlp_backward(X, Y, params, activation)]\n")
    result = grade("backprop", submit(tmp_path, "backprop", source))
    assert "backprop.backward_matches_reference" in {c.id for c in failing(result)}
    # the central-difference property is deliberately looser (1e-5): it must not be the one that flags this
    assert "backprop.backward_matches_central_differences" not in {c.id for c in failing(result)}


def test_gradients_in_float32_precision_fail_the_reference_check(tmp_path):
    source = _with("_mlp_backward = mlp_backward\n\n\ndef mlp_backward(X, Y, params, activation='tanh'):\n"
                   "    return [(dW.astype(np.float32).astype(np.float64), db.astype(np.float32).astype(np.float64))\n"
                   "            for dW, db in _mlp_backward(X, Y, params, activation)]\n")
    result = grade("backprop", submit(tmp_path, "backprop", source))
    assert "backprop.backward_matches_reference" in {c.id for c in failing(result)}


# ---------------------------------------------------------------- numerical_grad and its probe functions

def torch_probe(f, x):
    """The probe's function written again in torch: (value, autograd gradient) at x."""
    t = torch.tensor(np.asarray(x, dtype=np.float64).ravel(), requires_grad=True)
    p = {k: torch.from_numpy(np.array(v)) for k, v in f.params.items()}
    if f.kind == "quadratic":
        value = 0.5 * t @ p["A"] @ t + p["b"] @ t + p["c"]
    else:
        value = torch.sum(p["w"] * torch.sin(p["a"] * t + p["p"])) + torch.sum(p["v"] * t**3) + p["c"]
    value.backward()
    return float(value.detach()), t.grad.numpy().reshape(np.shape(x))


@given(spec.probes())
def test_probe_values_and_gradients_match_torch_autograd(case):
    f, x = case["f"], case["x"]
    value, gradient = torch_probe(f, x)
    np.testing.assert_allclose(f(x), value, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(f.gradient(x), gradient, rtol=1e-12, atol=1e-12)


@given(spec.probes())
def test_numerical_grad_approaches_the_autograd_gradient(case):
    f, x, eps = case["f"], case["x"], case["eps"]
    _, gradient = torch_probe(f, x)
    got = ref.numerical_grad(f, x, eps)
    assert got.shape == x.shape and got.dtype == np.float64
    # central differences: exact for a quadratic, truncation |f'''| eps^2 / 6 otherwise (|a| <= 2, |v| <= 2 here)
    p = f.params
    truncation = 0.0 if f.kind == "quadratic" else (np.abs(p["w"] * p["a"] ** 3) + 6 * np.abs(p["v"])) * eps**2 / 6
    rounding = spec._difference_tolerance(f, x, eps)
    assert np.all(np.abs(got - gradient).ravel() <= truncation + rounding + 1e-12)


@given(cases(max_layers=3, max_width=3, max_rows=4).filter(lambda c: c[3] != "relu"))
def test_numerical_grad_checks_mlp_backward(case):
    # what numerical_grad is for: one W at a time, the loss as a function of that W alone
    X, Y, params, activation = case
    grads = ref.mlp_backward(X, Y, params, activation)
    for layer, (W, _) in enumerate(params):
        def loss_of_W(W_new, layer=layer):
            nudged = list(params)
            nudged[layer] = (W_new, params[layer][1])
            return float(np.mean((ref.mlp_forward(X, nudged, activation) - Y) ** 2))

        np.testing.assert_allclose(ref.numerical_grad(loss_of_W, W, 1e-5), grads[layer][0], rtol=1e-5, atol=1e-7)


def test_a_probe_rebuilt_from_its_description_is_the_same_function():
    from grader.sandbox import wire
    from grader.sandbox.probes import Probe

    f = spec.GRAD_EXAMPLE["f"]
    again = Probe.from_description(wire.decode(wire.encode(f.describe())))
    x = np.array([0.25, -1.0, 3.0])
    assert again(x) == f(x) and again.kind == f.kind
    with pytest.raises(ValueError):
        Probe("exec", code="print(1)")
    with pytest.raises(ValueError):
        f(np.zeros(4))  # the wrong number of entries


def test_numerical_grad_docstring_example_holds():
    np.testing.assert_allclose(ref.numerical_grad(lambda v: float(np.sum(v**2)), [1.0, -2.0]), [2.0, -4.0],
                               rtol=1e-9)


def test_library_finite_differences_are_forbidden_for_numerical_grad(tmp_path):
    source = _with("def numerical_grad(f, x, eps=1e-6):\n    from scipy.optimize import approx_fprime\n"
                   "    x = np.array(x, dtype=float)\n"
                   "    return approx_fprime(x.ravel(), lambda v: f(v.reshape(x.shape)), eps).reshape(x.shape)\n")
    result = grade("backprop", submit(tmp_path, "backprop", source))
    assert {c.status for c in result.checks if c.function == "numerical_grad"} == {"forbidden"}
    assert all(c.status == "passed" for c in result.checks if c.function != "numerical_grad")


def test_a_learner_may_pass_f_a_flattened_point(tmp_path):
    # the contract says f takes an array shaped like x; a flat one with the same entries is accepted too
    source = _with("def numerical_grad(f, x, eps=1e-6):\n    if eps <= 0:\n        raise ValueError(eps)\n"
                   "    x = np.array(x, dtype=float)\n    flat = x.ravel()\n    g = np.zeros(flat.size)\n"
                   "    for i in range(flat.size):\n"
                   "        e = np.zeros(flat.size)\n        e[i] = eps\n"
                   "        g[i] = (f(flat + e) - f(flat - e)) / (2 * eps)\n    return g.reshape(x.shape)\n")
    result = grade("backprop", submit(tmp_path, "backprop", source))
    assert [(c.id, c.message) for c in failing(result)] == []
