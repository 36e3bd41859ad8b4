"""attention: the reference against torch, forbidden routines, and what the spec must (not) accept."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as nps

from grader.judging import forbidden, judge
from helpers import SOLUTIONS, failing, grade, submit

SPEC = judge.load_spec("attention")
ref = SPEC.reference
VALUES = st.floats(-5, 5, allow_nan=False, allow_infinity=False)
REFERENCE_SOURCE = (SOLUTIONS / "attention.py").read_text(encoding="utf-8")


def close(got, want, scale=1.0):
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12 * scale)


def with_allowed_rows(mask):
    return mask | ~mask.any(axis=-1, keepdims=True)


@st.composite
def sdpa_case(draw):
    batch = draw(st.sampled_from([(), (2,), (2, 3)]))
    t, s, d, dv = (draw(st.integers(1, 5)) for _ in range(4))
    q = draw(nps.arrays(np.float64, (*batch, t, d), elements=VALUES))
    k = draw(nps.arrays(np.float64, (*batch, s, d), elements=VALUES))
    v = draw(nps.arrays(np.float64, (*batch, s, dv), elements=VALUES))
    mask_shape = draw(st.sampled_from([None, (*batch, t, s), (t, s), (1, s)]))
    mask = None if mask_shape is None else with_allowed_rows(draw(nps.arrays(np.bool_, mask_shape)))
    return q, k, v, mask


@st.composite
def mha_case(draw):
    b, t, s, h = draw(st.integers(1, 3)), draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 4))
    d = h * draw(st.integers(1, 3))
    q, k, v = (draw(nps.arrays(np.float64, (b, n, d), elements=VALUES)) for n in (t, s, s))
    ws = [draw(nps.arrays(np.float64, (d, d), elements=st.floats(-1, 1))) for _ in range(4)]
    mask_shape = draw(st.sampled_from([None, (t, s), (b, t, s)]))
    mask = None if mask_shape is None else with_allowed_rows(draw(nps.arrays(np.bool_, mask_shape)))
    return q, k, v, ws, h, mask


# ---------------------------------------------------------------- the reference against torch

@given(sdpa_case())
def test_sdpa_matches_torch(case):
    q, k, v, mask = case
    out, weights = ref.scaled_dot_product_attention(q, k, v, mask)
    tq, tk, tv = (torch.from_numpy(x) for x in (q, k, v))
    tmask = None if mask is None else torch.from_numpy(np.ascontiguousarray(mask))  # torch: True = take part
    want = torch.nn.functional.scaled_dot_product_attention(tq, tk, tv, attn_mask=tmask)
    scores = tq @ tk.transpose(-1, -2) / math.sqrt(q.shape[-1])
    if tmask is not None:
        scores = scores.masked_fill(~tmask, float("-inf"))
    scale = 1.0 + 25.0 * q.shape[-1]
    assert out.dtype == weights.dtype == np.float64
    close(weights, torch.softmax(scores, dim=-1).numpy(), scale)
    close(out, want.numpy(), scale * 5.0)


@given(sdpa_case().filter(lambda c: c[3] is None))
def test_causal_mask_matches_torch_is_causal(case):
    q, k, v, _ = case
    t, s = q.shape[-2], k.shape[-2]
    out, _ = ref.scaled_dot_product_attention(q, k, v, np.tril(np.ones((t, s), dtype=bool)))
    want = torch.nn.functional.scaled_dot_product_attention(*(torch.from_numpy(x) for x in (q, k, v)), is_causal=True)
    close(out, want.numpy(), 5.0 * (1.0 + 25.0 * q.shape[-1]))


@given(mha_case())
def test_mha_matches_torch_multihead_attention(case):
    q, k, v, (w_q, w_k, w_v, w_o), h, mask = case
    b, _, d = q.shape
    out, weights = ref.multi_head_attention(q, k, v, w_q, w_k, w_v, w_o, h, mask)
    layer = torch.nn.MultiheadAttention(d, h, batch_first=True, bias=False, dtype=torch.float64)
    with torch.no_grad():
        layer.in_proj_weight.copy_(torch.from_numpy(np.concatenate([w_q.T, w_k.T, w_v.T])))
        layer.out_proj.weight.copy_(torch.from_numpy(w_o.T))
    attn_mask = None
    if mask is not None:
        # nn.MultiheadAttention reads a bool mask the other way (True = blocked), and a 3-D one per (batch, head).
        blocked = ~mask if mask.ndim == 2 else np.repeat(~mask, h, axis=0)
        attn_mask = torch.from_numpy(np.ascontiguousarray(blocked))
    with torch.no_grad():
        want, want_weights = layer(*(torch.from_numpy(x) for x in (q, k, v)), attn_mask=attn_mask, need_weights=True,
                                   average_attn_weights=False)
    assert out.shape == (b, q.shape[1], d) and weights.shape == (b, h, q.shape[1], k.shape[1])
    close(weights, want_weights.numpy(), 1e3)
    close(out, want.numpy(), 1e4)


@given(sdpa_case().filter(lambda c: c[3] is not None), st.data())
def test_a_query_with_no_allowed_key_is_a_value_error(case, data):
    q, k, v, mask = case
    mask = mask.copy()
    row = tuple(data.draw(st.integers(0, n - 1)) for n in mask.shape[:-1])
    mask[row] = False
    with pytest.raises(ValueError):
        ref.scaled_dot_product_attention(q, k, v, mask)


@given(mha_case(), st.integers(1, 4))
def test_num_heads_not_dividing_d_is_a_value_error(case, extra):
    q, k, v, ws, h, mask = case
    heads = q.shape[-1] + extra  # more heads than dimensions: never a divisor
    with pytest.raises(ValueError):
        ref.multi_head_attention(q, k, v, *ws, heads, mask)


@given(sdpa_case().filter(lambda c: c[3] is not None))
def test_reference_raises_no_floating_point_error_on_masked_scores(case):
    q, k, v, mask = case
    with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
        _, weights = ref.scaled_dot_product_attention(q * 30.0, k * 30.0, v, mask)
    assert np.all(weights[~np.broadcast_to(mask, weights.shape)] == 0.0)


# ---------------------------------------------------------------- forbidden routines

TORCH_SDPA = '''

import torch
import torch.nn.functional as F


def scaled_dot_product_attention(q, k, v, mask=None):
    q, k, v = (torch.as_tensor(np.asarray(x, dtype=np.float64)) for x in (q, k, v))
    m = None if mask is None else torch.as_tensor(np.asarray(mask))
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=m)
    return out.numpy(), None
'''

TORCH_MHA = '''


def multi_head_attention(q, k, v, w_q, w_k, w_v, w_o, num_heads, mask=None):
    from torch.nn import MultiheadAttention as Layer

    layer = Layer(np.shape(q)[-1], num_heads, batch_first=True, bias=False)
    return layer, None
'''


def test_torch_sdpa_is_forbidden(tmp_path):
    result = grade("attention", submit(tmp_path, "attention", REFERENCE_SOURCE + TORCH_SDPA))
    statuses = {c.function: set() for c in result.checks}
    for c in result.checks:
        statuses[c.function].add(c.status)
    assert statuses["scaled_dot_product_attention"] == {"forbidden"}
    assert "forbidden" not in statuses["multi_head_attention"]
    assert any("scaled_dot_product_attention" in (c.message or "") for c in result.checks if c.status == "forbidden")


def test_torch_multihead_attention_is_forbidden(tmp_path):
    result = grade("attention", submit(tmp_path, "attention", REFERENCE_SOURCE + TORCH_MHA))
    assert {c.status for c in result.checks if c.function == "multi_head_attention"} == {"forbidden"}
    assert {c.status for c in result.checks if c.function == "scaled_dot_product_attention"} == {"passed"}


@pytest.mark.parametrize("source", [
    "import jax\ndef scaled_dot_product_attention(q, k, v, mask=None):\n"
    "    return jax.nn.dot_product_attention(q, k, v)\n",
    "from jax.nn import dot_product_attention\n",
    "import torch\ndef multi_head_attention(*a):\n    return torch.nn.functional.multi_head_attention_forward(*a)\n",
    "import torch\nnn = torch.nn\ndef scaled_dot_product_attention(q, k, v, mask=None):\n"
    "    return nn.functional.scaled_dot_product_attention(q, k, v)\n",
    "import torch.nn.modules.activation as act\nLayer = act.MultiheadAttention\n",
])
def test_static_analysis_finds_every_attention_routine(source):
    assert forbidden.find(source, SPEC.forbidden, SPEC.forbidden_methods, SPEC.functions)


def test_a_hand_written_softmax_or_torch_softmax_is_allowed():
    source = ("import torch\nimport numpy as np\ndef scaled_dot_product_attention(q, k, v, mask=None):\n"
              "    return torch.softmax(torch.as_tensor(q), -1)\n")
    assert forbidden.find(source, SPEC.forbidden, SPEC.forbidden_methods, SPEC.functions) == []


# ---------------------------------------------------------------- what the spec accepts and rejects

TORCH_SOLUTION = '''
"""A correct solution in torch (float64), using torch.softmax: allowed in this topic."""
import numpy as np
import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    q, k, v = (torch.as_tensor(np.asarray(x, dtype=np.float64)) for x in (q, k, v))
    scores = torch.einsum("...td,...sd->...ts", q / q.shape[-1] ** 0.5, k)
    if mask is not None:
        mask, scores = torch.broadcast_tensors(torch.as_tensor(np.asarray(mask, dtype=bool)), scores)
        if not bool(mask.any(dim=-1).all()):
            raise ValueError("mask: some query may attend to no key")
        scores = scores.masked_fill(~mask, -1e9)  # a large negative number instead of -inf
    weights = torch.softmax(scores, dim=-1)
    return (weights @ v).numpy(), weights.numpy()


def multi_head_attention(q, k, v, w_q, w_k, w_v, w_o, num_heads, mask=None):
    q, k, v, w_q, w_k, w_v, w_o = (torch.as_tensor(np.asarray(x, dtype=np.float64))
                                   for x in (q, k, v, w_q, w_k, w_v, w_o))
    b, t, d = q.shape
    if d % num_heads:
        raise ValueError("num_heads must divide D")
    heads = lambda x: x.view(b, -1, num_heads, d // num_heads).transpose(1, 2)
    if mask is not None and np.ndim(mask) == 3:
        mask = np.asarray(mask)[:, None]
    out, weights = scaled_dot_product_attention(heads(q @ w_q).numpy(), heads(k @ w_k).numpy(),
                                                heads(v @ w_v).numpy(), mask)
    merged = torch.as_tensor(out).transpose(1, 2).reshape(b, t, d)
    return (merged @ w_o).numpy(), weights
'''


def test_a_torch_solution_with_a_large_negative_fill_gets_full_marks(tmp_path):
    result = grade("attention", submit(tmp_path, "attention", TORCH_SOLUTION))
    assert [(c.id, c.status, c.message, c.counterexample) for c in failing(result)
            if c.function != "time_attention"] == []


MASK_AFTER_EXP = '''

def scaled_dot_product_attention(q, k, v, mask=None):
    q, k, v = _checked_qkv(q, k, v)
    scores = q @ k.swapaxes(-1, -2) / np.sqrt(q.shape[-1])
    allowed = np.ones(scores.shape, dtype=bool) if mask is None else _checked_mask(mask, scores.shape)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True)) * allowed  # max over ALL keys, blocked ones too
    weights = e / e.sum(axis=-1, keepdims=True)
    return weights @ v, weights
'''


def test_masking_after_the_exp_fails_only_when_a_blocked_key_dominates(tmp_path):
    result = grade("attention", submit(tmp_path, "attention", REFERENCE_SOURCE + MASK_AFTER_EXP))
    bad = {c.id for c in failing(result)}
    assert "attention.sdpa_handles_large_scores" in bad
    assert not any(c.function == "scaled_dot_product_attention" and c.tier in ("contract", "properties")
                   for c in failing(result))


FLOAT32 = '''

_exact = scaled_dot_product_attention


def scaled_dot_product_attention(q, k, v, mask=None):
    out, weights = _exact(q, k, v, mask)
    return out.astype(np.float32), weights
'''


def test_a_float32_output_fails_the_contract_with_a_clear_message(tmp_path):
    result = grade("attention", submit(tmp_path, "attention", REFERENCE_SOURCE + FLOAT32))
    contract = next(c for c in result.checks if c.id == "attention.sdpa_returns_float64_arrays")
    assert contract.status == "failed" and "float32" in contract.message and "float64" in contract.message


def test_every_mistake_differs_from_the_reference_on_an_explicit_example():
    """So a learner who makes a known mistake is shown a small example at once, with no slow shrinking."""
    for mistake in SPEC.mistakes:
        function = getattr(ref, mistake.function)
        wrong = SPEC.bound_mistake(mistake)
        examples = [e for c in SPEC.checks if c.function == mistake.function and c.tier in ("reference", "stability")
                    for e in c.examples]
        found = False
        for example in examples:
            try:
                with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
                    got = wrong(**example)
            except (ValueError, FloatingPointError):
                found = True
                break
            want = function(**example)
            if not all(np.allclose(g, w) for g, w in zip(got, want)):
                found = True
                break
        assert found, mistake.name


# ---------------------------------------------------------------- time_attention against torch

@st.composite
def time_case(draw):
    b, length, h = draw(st.integers(1, 4)), draw(st.integers(1, 6)), draw(st.integers(1, 5))
    return (draw(nps.arrays(np.float64, (b, length, h), elements=VALUES)),
            draw(nps.arrays(np.float64, (b, h), elements=VALUES)))


@given(time_case())
def test_time_attention_matches_torch_unscaled_sdpa(case):
    enc_hs, dec_h = case
    context, weights = ref.time_attention(enc_hs, dec_h)
    enc, dec = torch.from_numpy(enc_hs), torch.from_numpy(dec_h)[:, None, :]  # one query per sequence
    want_context = torch.nn.functional.scaled_dot_product_attention(dec, enc, enc, scale=1.0)[:, 0]
    want_weights = torch.softmax(torch.bmm(dec, enc.transpose(1, 2)), dim=-1)[:, 0]
    scale = 1.0 + 25.0 * enc_hs.shape[-1]
    close(weights, want_weights.numpy(), scale)
    close(context, want_context.numpy(), scale * 5.0)


def test_time_attention_stays_finite_for_huge_scores():
    enc_hs = np.array([[[100.0, 100.0], [-100.0, 50.0]]])
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        context, weights = ref.time_attention(enc_hs, np.array([[100.0, 100.0]]))
    np.testing.assert_allclose(weights, [[1.0, 0.0]])
    np.testing.assert_allclose(context, [[100.0, 100.0]])
