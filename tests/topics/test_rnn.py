"""The rnn reference against torch's nn.RNNCell, nn.LSTMCell and nn.LSTM loaded with the same weights."""

import numpy as np
import pytest
import torch
from hypothesis import given

from grader.judging.checks import Reference
from grader.specs import rnn as spec
from helpers import SOLUTIONS, grade, submit

ref = Reference("rnn")


def _load(module, W_ih, W_hh, b, suffix=""):
    """Copy our weights into a torch module: same layout; our single b goes to bias_ih, bias_hh is zeroed."""
    with torch.no_grad():
        getattr(module, f"weight_ih{suffix}").copy_(torch.from_numpy(W_ih))
        getattr(module, f"weight_hh{suffix}").copy_(torch.from_numpy(W_hh))
        getattr(module, f"bias_ih{suffix}").copy_(torch.from_numpy(b))
        getattr(module, f"bias_hh{suffix}").zero_()
    return module


@given(spec.RNN_CELLS)
def test_rnn_cell_matches_torch_rnn_cell(case):
    cell = _load(torch.nn.RNNCell(*case["W_ih"].shape[::-1], dtype=torch.float64), case["W_ih"], case["W_hh"],
                 case["b"])
    with torch.no_grad():
        expected = cell(torch.from_numpy(case["x"]), torch.from_numpy(case["h"])).numpy()
    np.testing.assert_allclose(ref.rnn_cell(**case), expected, rtol=1e-12, atol=1e-13)


@given(spec.cells(gates=4, values=spec.LARGE))
def test_lstm_cell_matches_torch_lstm_cell_also_when_saturated(case):
    hidden = case["W_hh"].shape[1]
    cell = _load(torch.nn.LSTMCell(case["W_ih"].shape[1], hidden, dtype=torch.float64), case["W_ih"],
                 case["W_hh"], case["b"])
    with torch.no_grad():
        h, c = cell(torch.from_numpy(case["x"]), (torch.from_numpy(case["h"]), torch.from_numpy(case["c"])))
    ours_h, ours_c = ref.lstm_cell(**case)
    np.testing.assert_allclose(ours_h, h.numpy(), rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(ours_c, c.numpy(), rtol=1e-12, atol=1e-13)


@given(spec.cells(steps=(1, 6)))
def test_rnn_unroll_matches_torch_rnn(case):
    net = _load(torch.nn.RNN(case["W_ih"].shape[1], case["W_hh"].shape[1], dtype=torch.float64), case["W_ih"],
                case["W_hh"], case["b"], suffix="_l0")
    with torch.no_grad():
        out, _ = net(torch.from_numpy(case["xs"]), torch.from_numpy(case["h0"])[None])
    np.testing.assert_allclose(ref.rnn_unroll(**case), out.numpy(), rtol=1e-12, atol=1e-13)


@given(spec.cells(gates=4, steps=(1, 6)))
def test_lstm_unroll_matches_torch_lstm(case):
    net = _load(torch.nn.LSTM(case["W_ih"].shape[1], case["W_hh"].shape[1], dtype=torch.float64), case["W_ih"],
                case["W_hh"], case["b"], suffix="_l0")
    with torch.no_grad():
        out, (_, c_n) = net(torch.from_numpy(case["xs"]),
                            (torch.from_numpy(case["h0"])[None], torch.from_numpy(case["c0"])[None]))
    hs, c = ref.lstm_unroll(**case)
    np.testing.assert_allclose(hs, out.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(c, c_n[0].numpy(), rtol=1e-12, atol=1e-12)


@given(spec.open_forget_closed_input())
def test_an_open_forget_gate_keeps_the_cell_in_torch_too(case):
    cell = _load(torch.nn.LSTMCell(case["W_ih"].shape[1], case["W_hh"].shape[1], dtype=torch.float64),
                 case["W_ih"], case["W_hh"], case["b"])
    with torch.no_grad():
        _, c = cell(torch.from_numpy(case["x"]), (torch.from_numpy(case["h"]), torch.from_numpy(case["c"])))
    np.testing.assert_allclose(c.numpy(), case["c"], rtol=1e-12, atol=1e-15)


def test_docstring_examples_hold():
    np.testing.assert_allclose(ref.rnn_cell([[1.0]], [[0.5]], [[2.0]], [[-2.0]], [0.0]), [[np.tanh(1.0)]], rtol=1e-15)
    h, c = ref.lstm_cell([[1.0]], [[0.0]], [[2.0]], np.zeros((4, 1)), np.zeros((4, 1)), np.zeros(4))
    np.testing.assert_allclose(h, [[0.5 * np.tanh(1.0)]], rtol=1e-15)
    assert c.tolist() == [[1.0]]
    np.testing.assert_allclose(ref.rnn_unroll([[[1.0]], [[0.0]]], [[0.0]], [[1.0]], [[1.0]], [0.0]).ravel(),
                               [np.tanh(1.0), np.tanh(np.tanh(1.0))], rtol=1e-15)
    np.testing.assert_allclose(ref.rnn_unroll([[[1.0]], [[0.0]]], [[0.0]], [[1.0]], [[1.0]], [0.0]).ravel(),
                               [0.76159416, 0.64201499], rtol=1e-8)


@pytest.mark.parametrize("body", [
    "cell = torch.nn.LSTMCell(np.shape(W_ih)[1], np.shape(W_hh)[1])",
    "out = torch.lstm_cell(torch.as_tensor(x), (torch.as_tensor(h), torch.as_tensor(c)), "
    "torch.as_tensor(W_ih), torch.as_tensor(W_hh))",
])
def test_library_cells_are_forbidden(tmp_path, body):
    source = (SOLUTIONS / "rnn.py").read_text() + f'''

_lstm_cell = lstm_cell


def lstm_cell(x, h, c, W_ih, W_hh, b):
    import torch
    {body}
    return _lstm_cell(x, h, c, W_ih, W_hh, b)
'''
    result = grade("rnn", submit(tmp_path, "rnn", source))
    statuses = {c.id: c.status for c in result.checks if c.function == "lstm_cell"}
    assert set(statuses.values()) == {"forbidden"}, statuses
