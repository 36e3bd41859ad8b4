"""Every parameterized answer of the mlp, batchnorm and rnn banks against torch, from the drawn parameters alone."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from grader.quiz import banks
from grader.quiz.variants import pose, quiz_variant

VARIANTS = [quiz_variant("oracles", "learner@example.org", "any", attempt) for attempt in range(50)]
EXACT = dict(rtol=1e-9, atol=1e-12)
F64 = torch.float64


def _linear(W, b):
    layer = torch.nn.Linear(*np.shape(W), dtype=F64)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(W, dtype=F64).T)
        layer.bias.copy_(torch.tensor(b, dtype=F64))
    return layer


def mlp_forward_value(p):
    net = torch.nn.Sequential(_linear(p["W1"], p["b1"]), torch.nn.ReLU(), _linear(p["W2"], p["b2"]))
    with torch.no_grad():
        return float(net(torch.tensor([[float(p["x"])]], dtype=F64)))


def mlp_param_count(p):
    widths = p["widths"]
    layers = [torch.nn.Linear(a, b, device="meta") for a, b in zip(widths, widths[1:])]
    return sum(t.numel() for t in torch.nn.Sequential(*layers).parameters())


def mlp_output_shape(p):
    net = torch.nn.Sequential(torch.nn.Linear(p["d_in"], p["hidden"], device="meta"), torch.nn.ReLU(),
                              torch.nn.Linear(p["hidden"], p["d_out"], device="meta"))
    return tuple(net(torch.zeros(p["n"], p["d_in"], device="meta")).shape)


def mlp_collapsed(p):
    net = torch.nn.Sequential(_linear([[p["w1"]]], [p["b1"]]), _linear([[p["w2"]]], [p["b2"]]))
    with torch.no_grad():
        b = float(net(torch.zeros(1, 1, dtype=F64)))
        slope = float(net(torch.ones(1, 1, dtype=F64))) - b
    return f"{slope} {b}"


def bn_normalised(p):
    x = torch.tensor(p["values"], dtype=F64)[:, None]
    y = torch.nn.functional.batch_norm(x, None, None, torch.tensor([p["gamma"]], dtype=F64),
                                       torch.tensor([p["beta"]], dtype=F64), training=True, eps=1e-5)
    return float(y[0, 0])


def bn_running(p, which):
    rm, rv = torch.zeros(1, dtype=F64), torch.tensor([p.get("running_var", 1.0)], dtype=F64)
    x = torch.tensor(p["values"], dtype=F64)[:, None]
    torch.nn.functional.batch_norm(x, rm, rv, training=True, momentum=p["momentum"])
    return float((rm if which == "mean" else rv)[0])


def bn_stats_shape(p):
    layer = torch.nn.BatchNorm2d(p["c"])
    layer(torch.randn(p["n"], p["c"], p["h"], p["w"]))
    return tuple(layer.running_mean.shape)


def rnn_step(p):
    cell = torch.nn.RNNCell(1, 1, dtype=F64)
    with torch.no_grad():
        cell.weight_ih.fill_(p["w_ih"])
        cell.weight_hh.fill_(p["w_hh"])
        cell.bias_ih.fill_(p["b"])
        cell.bias_hh.zero_()
        return float(cell(torch.tensor([[p["x"]]], dtype=F64), torch.tensor([[p["h"]]], dtype=F64)))


def lstm_cell_state(p):
    cell = torch.nn.LSTMCell(1, 1, dtype=F64)
    logit = lambda q: math.log(q / (1 - q))  # noqa: E731
    with torch.no_grad():
        cell.weight_ih.zero_()
        cell.weight_hh.zero_()
        cell.bias_ih.copy_(torch.tensor([logit(p["i"]), logit(p["f"]), math.atanh(p["g"]), logit(p["o"])], dtype=F64))
        cell.bias_hh.zero_()
        _, c = cell(torch.zeros(1, 1, dtype=F64), (torch.zeros(1, 1, dtype=F64), torch.tensor([[p["c"]]], dtype=F64)))
    return float(c)


def lstm_weight_shape(p):
    return tuple(torch.nn.LSTM(p["n_in"], p["hidden"], device="meta").weight_ih_l0.shape)


def lstm_param_count(p):
    return sum(t.numel() for t in torch.nn.LSTM(p["n_in"], p["hidden"], device="meta").parameters())


def rnn_unrolled(p):
    net = torch.nn.RNN(1, 1, dtype=F64)
    with torch.no_grad():
        net.weight_ih_l0.fill_(1.0)
        net.weight_hh_l0.fill_(p["w"])
        net.bias_ih_l0.zero_()
        net.bias_hh_l0.zero_()
        out, _ = net(torch.zeros(p["steps"], 1, 1, dtype=F64), torch.tensor([[[p["h0"]]]], dtype=F64))
    return round(float(out[-1, 0, 0]), 6)


ORACLES = {  # (topic, question) -> (oracle from the parameters, tolerance)
    ("mlp", "forward_value"): (mlp_forward_value, EXACT),
    ("mlp", "param_count"): (mlp_param_count, EXACT),
    ("mlp", "output_shape"): (mlp_output_shape, EXACT),
    ("mlp", "collapsed_bias"): (mlp_collapsed, None),
    ("batchnorm", "normalised_value"): (bn_normalised, EXACT),
    ("batchnorm", "running_variance"): (lambda p: bn_running(p, "var"), EXACT),
    ("batchnorm", "stats_shape"): (bn_stats_shape, EXACT),
    ("batchnorm", "one_step_running_mean"): (lambda p: round(bn_running({**p, "values": [p["a"], p["b"]]}, "mean"), 6),
                                             EXACT),
    ("rnn", "rnn_step"): (rnn_step, EXACT),
    ("rnn", "cell_update"): (lstm_cell_state, EXACT),
    ("rnn", "weight_shape"): (lstm_weight_shape, EXACT),
    ("rnn", "lstm_param_count"): (lstm_param_count, EXACT),
    ("rnn", "unrolled_zero_input"): (rnn_unrolled, EXACT),
}
TOPICS = sorted({topic for topic, _ in ORACLES})


def test_every_parameterized_question_of_these_banks_has_an_oracle():
    missing = [f"{t}.{q.id}" for t in TOPICS for q in banks.load(t)
               if q.kind in ("numeric", "shape", "predict") and (t, q.id) not in ORACLES]
    assert missing == []


@pytest.mark.parametrize("topic, question_id", sorted(ORACLES))
def test_answer_agrees_with_torch(topic, question_id):
    question = next(q for q in banks.load(topic) if q.id == question_id)
    oracle, tolerance = ORACLES[(topic, question_id)]
    reference = banks.reference(topic)
    for variant in VARIANTS:
        posed = pose(question, topic, variant, reference)
        expected = oracle(posed.parameters)
        if question.kind == "shape":
            assert tuple(posed.answer) == tuple(expected), (variant, posed.parameters)
        elif tolerance is None:  # printed text
            assert [float(v) for v in str(posed.answer).split()] == [float(v) for v in expected.split()]
        else:
            np.testing.assert_allclose(float(posed.answer), float(expected), **tolerance,
                                       err_msg=f"{topic}.{question_id} variant {variant}")
