"""Every parameterized answer of the headline banks against an independent oracle (torch, scipy,
pandas, statsmodels, scikit-learn, or numpy written differently), from the drawn parameters alone."""

from __future__ import annotations

import math

import numpy as np
import pytest

from grader.quiz import banks
from grader.quiz.variants import pose, quiz_variant

VARIANTS = [quiz_variant("oracles", "learner@example.org", "any", attempt) for attempt in range(50)]
EXACT = dict(rtol=1e-9, atol=1e-12)


def _torch():
    import torch

    return torch


def conv_count(c_in, c_out, kernel_size, groups=1, bias=True):
    torch = _torch()
    layer = torch.nn.Conv2d(c_in, c_out, kernel_size, groups=groups, bias=bias, device="meta")
    return sum(p.numel() for p in layer.parameters())


def conv_output_shape(p):
    torch = _torch()
    x = torch.zeros(p["batch"], p["c_in"], p["side"], p["side"], device="meta")
    w = torch.zeros(p["c_out"], p["c_in"], p["kernel_size"], p["kernel_size"], device="meta")
    return tuple(torch.nn.functional.conv2d(x, w, stride=p["stride"], padding=p["padding"]).shape)


def softmax_probability(p):
    torch = _torch()
    return float(torch.softmax(torch.tensor(p["z"], dtype=torch.float64), 0)[p["index"]])


def cross_entropy(p):
    torch = _torch()
    return float(torch.nn.functional.cross_entropy(torch.tensor([p["z"]], dtype=torch.float64),
                                                   torch.tensor([p["target"]])))


def uniform_cross_entropy(p):
    torch = _torch()
    return float(torch.nn.functional.cross_entropy(torch.zeros(p["n"], p["classes"], dtype=torch.float64),
                                                   torch.tensor(p["targets"])))


def normal_variance(p):
    from scipy import stats

    return stats.norm.fit(p["x"])[1] ** 2


def binomial_p(p):
    from scipy import optimize, stats

    found = optimize.minimize_scalar(lambda q: -stats.binom.logpmf(p["k"], p["n"], q).sum(), bounds=(1e-9, 1 - 1e-9),
                                     method="bounded", options=dict(xatol=1e-10))
    return found.x


def normal_logpdf(p):
    from scipy import stats

    return float(stats.norm.logpdf(p["x"], 0.0, math.sqrt(p["sigma2"])))


def mlp_grads(p, activation=True):
    """(dW1, A1.grad) of a tanh MLP by autograd."""
    torch = _torch()
    x = torch.zeros(p["n"], p["d_in"], dtype=torch.float64)
    w1 = torch.zeros(p["d_in"], p["d_hidden"], dtype=torch.float64, requires_grad=True)
    w2 = torch.zeros(p["d_hidden"], p["d_out"], dtype=torch.float64, requires_grad=True)
    a1 = torch.tanh(x @ w1)
    a1.retain_grad()
    ((a1 @ w2 - 1.0) ** 2).mean().backward()
    return w1.grad, a1.grad


def single_weight(p):
    torch = _torch()
    w = torch.tensor(float(p["w"]), dtype=torch.float64, requires_grad=True)
    ((w * p["x"] + p["b"] - p["y"]) ** 2).backward()
    return float(w.grad)


def through_tanh(p):
    torch = _torch()
    w1 = torch.tensor(p["w1"], dtype=torch.float64, requires_grad=True)
    ((p["w2"] * torch.tanh(w1 * p["x"]) - p["y"]) ** 2).backward()
    return float(w1.grad)


def ewma_window(p):
    return float(np.sum(p["beta"] ** np.arange(200000, dtype=np.float64)))  # sum of the geometric weights


def ewma_uncorrected_second(p):
    import pandas as pd

    series = pd.Series([0.0, *map(float, p["x"])])  # adjust=False starts from the first value: put v_0 = 0 first
    return float(series.ewm(alpha=1 - p["beta"], adjust=False).mean().iloc[2])


def ewma_corrected(p):
    import pandas as pd

    return float(pd.Series(p["x"], dtype=float).ewm(alpha=1 - p["beta"], adjust=True).mean().iloc[p["t"] - 1])


def ewma_constant(p):
    import pandas as pd

    return tuple(pd.Series([p["c"]] * 3).ewm(alpha=1 - p["beta"], adjust=True).mean())


def torch_pe(n, d):
    torch = _torch()
    position = torch.arange(n, dtype=torch.float64)[:, None]
    div_term = torch.exp(torch.arange(0, d, 2, dtype=torch.float64) * (-math.log(10000.0) / d))
    pe = torch.zeros(n, d, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(position * div_term)
    pe[:, 1::2] = torch.cos(position * div_term)
    return pe, div_term


def pe_entry(p):
    return float(torch_pe(p["position"] + 1, p["d_model"])[0][p["position"], p["column"]])


def pe_period(p):
    return float(2 * math.pi / torch_pe(1, p["d_model"])[1][p["i"]])


def pe_first_row(p):
    return tuple(torch_pe(p["n_positions"], p["d_model"])[0][0].tolist())


def pe_added_shape(p):
    torch = _torch()
    return tuple((torch.zeros(p["batch"], p["t"], p["d_model"]) + torch_pe(p["t"], p["d_model"])[0]).shape)


def attention_first_weight(p):
    torch = _torch()
    q, k = torch.tensor([p["q"]], dtype=torch.float64), torch.tensor(p["k"], dtype=torch.float64)
    # weights as the output of attention over one-hot values: column 0 of the output is weight 0
    out = torch.nn.functional.scaled_dot_product_attention(q[None], k[None], torch.eye(2, dtype=torch.float64)[None])
    return float(out[0, 0, 0])


def mha_weights_shape(p):
    torch = _torch()
    layer = torch.nn.MultiheadAttention(p["d_model"], p["heads"], batch_first=True)
    q = torch.zeros(p["batch"], p["t"], p["d_model"])
    kv = torch.zeros(p["batch"], p["s"], p["d_model"])
    return tuple(layer(q, kv, kv, average_attn_weights=False)[1].shape)


def sdpa_output_shape(p):
    torch = _torch()
    out = torch.nn.functional.scaled_dot_product_attention(torch.zeros(p["batch"], p["t"], p["d"]),
                                                           torch.zeros(p["batch"], p["s"], p["d"]),
                                                           torch.zeros(p["batch"], p["s"], p["d_v"]))
    return tuple(out.shape)


def identical_keys(p):
    torch = _torch()
    q = torch.tensor([[p["q"]]], dtype=torch.float64)
    k = torch.tensor([[p["key"]] * 3], dtype=torch.float64)
    v = torch.tensor([[[float(x)] for x in p["values"]]], dtype=torch.float64)
    return float(torch.nn.functional.scaled_dot_product_attention(q, k, v)[0, 0, 0])


def eckart_young(p):
    a = np.diag(np.array(p["singular_values"], dtype=float))
    u, s, vt = np.linalg.svd(a)
    k = p["k"]
    return float(np.linalg.norm(a - (u[:, :k] * s[:k]) @ vt[:k], "fro"))


def largest_singular_value(p):
    from scipy import linalg

    return float(linalg.svdvals(np.array(p["a"]))[0])


def thin_u_shape(p):
    return tuple(np.linalg.svd(np.ones((p["m"], p["n"])), full_matrices=False)[0].shape)


def signed_diagonal(p):
    from scipy import linalg

    return tuple(linalg.svdvals(np.diag(p["diagonal"])).tolist())


def sgd_item_update(p):
    torch = _torch()
    pu = torch.tensor(p["p"], dtype=torch.float64, requires_grad=True)
    qi = torch.tensor(p["q"], dtype=torch.float64, requires_grad=True)
    loss = 0.5 * ((p["r"] - pu * qi) ** 2 + p["reg"] * (pu ** 2 + qi ** 2))
    loss.backward()
    return float(qi.detach() - p["lr"] * qi.grad)


def masked_rmse(p):
    ratings = np.ma.masked_invalid(np.array([[np.nan if v == "?" else float(v) for v in row] for row in p["ratings"]]))
    prediction = np.outer(p["P"], p["Q"])
    return float(np.sqrt(np.ma.mean((ratings - prediction) ** 2)))


def als_user_row(p):
    from sklearn.linear_model import Ridge

    seen = [i for i, v in enumerate(p["ratings"]) if v != "?"]
    features = np.array([[p["Q"][i]] for i in seen])
    targets = np.array([float(p["ratings"][i]) for i in seen])
    return float(Ridge(alpha=p["reg"], fit_intercept=False).fit(features, targets).coef_[0])


def steady_gain(p):
    s2e, s2h = p["sigma2_eps"], p["sigma2_eta"]
    p_bar = (s2h + math.sqrt(s2h ** 2 + 4 * s2h * s2e)) / 2  # the Riccati fixed point
    return p_bar / (p_bar + s2e)


def arima_theta(p):
    q = p["q"]
    return (-(q + 2) + math.sqrt(q * q + 4 * q)) / 2


def kalman_first_update(p):
    import statsmodels.api as sm

    model = sm.tsa.UnobservedComponents(np.array([p["y1"]]), "llevel")
    model.ssm.initialize_known(np.array([p["a1"]]), np.array([[p["p1"]]]))
    model.ssm.tolerance = 0
    return float(model.filter([p["sigma2_eps"], 1.0], cov_type="none").filtered_state[0, 0])


def running_mean(p):
    return float(np.mean(p["y"]))


ORACLES = {  # (topic, question) -> (oracle from the parameters, tolerance)
    ("conv_params", "param_count"): (lambda p: conv_count(p["c_in"], p["c_out"], p["kernel_size"]), EXACT),
    ("conv_params", "grouped_count"): (lambda p: conv_count(p["c_in"], p["c_out"], p["kernel_size"], p["groups"],
                                                            bias=False), EXACT),
    ("conv_params", "output_shape"): (conv_output_shape, EXACT),
    ("conv_params", "rectangular_kernel"): (lambda p: conv_count(p["c_in"], p["c_out"], tuple(p["kernel_size"]),
                                                                 bias=False), EXACT),
    ("conv_params", "single_channel"): (lambda p: conv_count(1, p["c_out"], p["kernel_size"], bias=p["bias"]),
                                        EXACT),
    ("softmax", "probability"): (softmax_probability, EXACT),
    ("softmax", "cross_entropy"): (cross_entropy, EXACT),
    ("softmax", "uniform_loss"): (uniform_cross_entropy, EXACT),
    ("mle", "variance_mle"): (normal_variance, EXACT),
    ("mle", "binomial_pooled"): (binomial_p, dict(rtol=1e-6, atol=1e-8)),
    ("mle", "one_point_loglik"): (normal_logpdf, EXACT),
    ("backprop", "weight_gradient_shape"): (lambda p: tuple(mlp_grads(p)[0].shape), EXACT),
    ("backprop", "hidden_gradient_shape"): (lambda p: tuple(mlp_grads(p)[1].shape), EXACT),
    ("backprop", "single_weight"): (single_weight, EXACT),
    ("backprop", "through_tanh"): (through_tanh, EXACT),
    ("ewma", "effective_window"): (ewma_window, dict(rtol=1e-9, atol=0)),
    ("ewma", "second_value"): (ewma_uncorrected_second, EXACT),
    ("ewma", "corrected_value"): (ewma_corrected, EXACT),
    ("ewma", "constant_series"): (ewma_constant, EXACT),
    ("positional_encoding", "entry"): (pe_entry, EXACT),
    ("positional_encoding", "period"): (pe_period, EXACT),
    ("positional_encoding", "first_row"): (pe_first_row, EXACT),
    ("positional_encoding", "added_shape"): (pe_added_shape, EXACT),
    ("attention", "first_weight"): (attention_first_weight, EXACT),
    ("attention", "head_weights_shape"): (mha_weights_shape, EXACT),
    ("attention", "output_shape"): (sdpa_output_shape, EXACT),
    ("attention", "identical_keys"): (identical_keys, EXACT),
    ("svd", "eckart_young"): (eckart_young, EXACT),
    ("svd", "largest_singular_value"): (largest_singular_value, EXACT),
    ("svd", "thin_u_shape"): (thin_u_shape, EXACT),
    ("svd", "signed_diagonal"): (signed_diagonal, EXACT),
    ("mf_sgd", "sgd_item_update"): (sgd_item_update, EXACT),
    ("mf_sgd", "masked_rmse"): (masked_rmse, EXACT),
    ("mf_sgd", "als_user_row"): (als_user_row, EXACT),
    ("local_level", "steady_gain"): (steady_gain, dict(rtol=1e-9, atol=1e-12)),
    ("local_level", "arima_theta"): (arima_theta, dict(rtol=1e-9, atol=1e-12)),
    ("local_level", "one_update"): (kalman_first_update, EXACT),
    ("local_level", "no_level_noise"): (running_mean, dict(rtol=0, atol=5e-4)),  # printed to 3 decimals
}
HEADLINE = sorted({topic for topic, _ in ORACLES})


def parameterized(topic):
    return [q for q in banks.load(topic) if q.kind in ("numeric", "shape", "predict")]


def test_every_parameterized_headline_question_has_an_oracle():
    missing = [f"{t}.{q.id}" for t in HEADLINE for q in parameterized(t) if (t, q.id) not in ORACLES]
    assert missing == []
    assert len(HEADLINE) == 10


@pytest.mark.parametrize("topic, question_id", sorted(ORACLES))
def test_answer_agrees_with_an_independent_oracle(topic, question_id):
    question = next(q for q in banks.load(topic) if q.id == question_id)
    oracle, tolerance = ORACLES[(topic, question_id)]
    reference = banks.reference(topic)
    for variant in VARIANTS:
        posed = pose(question, topic, variant, reference)
        expected = oracle(posed.parameters)
        if question.kind == "shape":
            assert tuple(posed.answer) == tuple(expected), (variant, posed.parameters)
        else:
            np.testing.assert_allclose(np.asarray(posed.answer, dtype=float), np.asarray(expected, dtype=float),
                                       **tolerance, err_msg=f"{topic}.{question_id} variant {variant}")
