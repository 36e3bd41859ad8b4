"""The mlp reference against torch's nn.Sequential of nn.Linear layers, and its forbidden calls."""

import numpy as np
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging.checks import Reference
from helpers import SOLUTIONS, failing, grade, submit

ref = Reference("mlp")
FLOATS = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)
TORCH_ACTIVATIONS = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid,
                     "identity": torch.nn.Identity}


@st.composite
def cases(draw, max_layers=4, max_width=5, max_rows=6):
    widths = draw(st.lists(st.integers(1, max_width), min_size=2, max_size=max_layers + 1))
    X = draw(nps.arrays(np.float64, (draw(st.integers(1, max_rows)), widths[0]), elements=FLOATS))
    params = [(draw(nps.arrays(np.float64, (a, b), elements=FLOATS)),
               draw(nps.arrays(np.float64, (b,), elements=FLOATS))) for a, b in zip(widths, widths[1:])]
    return X, params, draw(st.sampled_from(tuple(TORCH_ACTIVATIONS)))


def torch_network(params, activation):
    layers = []
    for layer, (W, b) in enumerate(params):
        linear = torch.nn.Linear(*W.shape, dtype=torch.float64)
        with torch.no_grad():  # nn.Linear stores W transposed: weight is (d_out, d_in)
            linear.weight.copy_(torch.from_numpy(W.T))
            linear.bias.copy_(torch.from_numpy(b))
        layers.append(linear)
        if layer < len(params) - 1:
            layers.append(TORCH_ACTIVATIONS[activation]())
    return torch.nn.Sequential(*layers)


@given(cases())
def test_forward_matches_torch_sequential(case):
    X, params, activation = case
    with torch.no_grad():
        expected = torch_network(params, activation)(torch.from_numpy(X)).numpy()
    out = ref.mlp_forward(X, params, activation)
    assert out.dtype == np.float64 and out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)


@given(cases())
def test_collapsed_layer_reproduces_the_identity_network_in_torch(case):
    X, params, _ = case
    W, b = ref.collapse_linear(params)
    with torch.no_grad():
        expected = torch_network(params, "identity")(torch.from_numpy(X)).numpy()
    np.testing.assert_allclose(X @ W + b, expected, rtol=1e-10, atol=1e-10)


def test_xor_network_computes_xor_in_torch():
    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], dtype=torch.float64)
    with torch.no_grad():
        out = torch_network(ref.xor_params(), "relu")(X).numpy()
    assert out.ravel().tolist() == [0.0, 1.0, 1.0, 0.0]


def test_no_linear_network_computes_xor():
    # Why the hidden relu matters: the least-squares affine fit to XOR predicts 1/2 everywhere.
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    design = np.hstack([X, np.ones((4, 1))])
    coef, *_ = np.linalg.lstsq(design, np.array([0.0, 1.0, 1.0, 0.0]), rcond=None)
    np.testing.assert_allclose(design @ coef, 0.5, atol=1e-12)


def test_docstring_examples_hold():
    out = ref.mlp_forward([[1.0, -2.0]], [(np.eye(2), np.zeros(2)), (np.ones((2, 1)), np.array([0.5]))])
    assert out.tolist() == [[1.5]]
    W, b = ref.collapse_linear([(np.array([[2.0]]), np.array([1.0])), (np.array([[3.0]]), np.array([4.0]))])
    assert W.tolist() == [[6.0]] and b.tolist() == [7.0]


def _with(source: str) -> str:
    return (SOLUTIONS / "mlp.py").read_text() + "\n\n" + source


def test_building_the_network_with_torch_nn_is_forbidden(tmp_path):
    source = _with('''
def mlp_forward(X, params, activation="relu"):
    import torch
    layers = []
    for W, b in params:
        linear = torch.nn.Linear(*np.shape(W), dtype=torch.float64)
        layers += [linear, torch.nn.ReLU()]
    return torch.nn.Sequential(*layers[:-1])(torch.as_tensor(X)).detach().numpy()
''')
    result = grade("mlp", submit(tmp_path, "mlp", source))
    forward = [c for c in result.checks if c.function == "mlp_forward"]
    assert {c.status for c in forward} == {"forbidden"} and "torch.nn" in forward[0].message
    assert all(c.status == "passed" for c in result.checks if c.function == "xor_params")
    assert "mlp.collapse_matches_reference" not in {c.id for c in failing(result)}


def test_the_default_activation_is_graded(tmp_path):
    source = _with("_forward = mlp_forward\n\n\ndef mlp_forward(X, params, activation='tanh'):\n"
                   "    return _forward(X, params, activation)\n")
    result = grade("mlp", submit(tmp_path, "mlp", source))
    assert [c.id for c in failing(result)] == ["mlp.forward_matches_reference"]
