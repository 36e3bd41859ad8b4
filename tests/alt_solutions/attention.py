"""A correct attention module written differently from the reference: loops over queries,
q scaled before the dot products, weights from a hand-written logsumexp, heads as column slices."""

import math

import numpy as np


def _row_weights(scores, allowed):
    """exp(s - logsumexp over the allowed scores); 0 where not allowed."""
    kept = [s for s, a in zip(scores, allowed) if a]
    if not kept:
        raise ValueError("mask leaves a query with no key to attend to")
    top = max(kept)
    lse = top + math.log(sum(math.exp(s - top) for s in kept))
    return [math.exp(s - lse) if a else 0.0 for s, a in zip(scores, allowed)]


def scaled_dot_product_attention(q, k, v, mask=None):
    q, k, v = (np.array(x, dtype=float) for x in (q, k, v))
    if q.shape[-1] != k.shape[-1] or k.shape[-2] != v.shape[-2]:
        raise ValueError("k must match q's feature size and v must have one row per key")
    t_len, s_len, d = q.shape[-2], k.shape[-2], q.shape[-1]
    shape = (*np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2]), t_len, s_len)
    if mask is None:
        allowed = np.ones(shape, dtype=bool)
    else:
        shape = np.broadcast_shapes(shape, np.shape(mask))
        allowed = np.broadcast_to(np.asarray(mask, dtype=bool), shape)
    batch = shape[:-2]
    q = np.broadcast_to(q / math.sqrt(d), (*batch, t_len, d))
    k = np.broadcast_to(k, (*batch, s_len, d))
    v = np.broadcast_to(v, (*batch, s_len, v.shape[-1]))
    weights = np.zeros(shape)
    out = np.zeros((*batch, t_len, v.shape[-1]))
    for index in np.ndindex(*batch):
        for t in range(t_len):
            scores = [sum(q[index][t, i] * k[index][s, i] for i in range(d)) for s in range(s_len)]
            row = _row_weights(scores, allowed[index][t])
            weights[(*index, t)] = row
            out[(*index, t)] = sum((w * v[index][s] for s, w in enumerate(row)), np.zeros(v.shape[-1]))
    return out, weights


def multi_head_attention(q, k, v, w_q, w_k, w_v, w_o, num_heads, mask=None):
    q, k, v = (np.array(x, dtype=float) for x in (q, k, v))
    model_dim = q.shape[-1]
    if num_heads < 1 or model_dim % num_heads != 0:
        raise ValueError("num_heads must divide the model dimension")
    size = model_dim // num_heads
    projected = [np.einsum("bld,de->ble", x, np.array(w, dtype=float)) for x, w in ((q, w_q), (k, w_k), (v, w_v))]
    heads, weights = [], []
    for h in range(num_heads):
        columns = slice(h * size, (h + 1) * size)
        out, w = scaled_dot_product_attention(*(x[..., columns] for x in projected), mask)
        heads.append(out)
        weights.append(w)
    return np.concatenate(heads, axis=-1) @ np.array(w_o, dtype=float), np.stack(weights, axis=1)


def time_attention(enc_hs, dec_h):
    """One sequence at a time, the weights from _row_weights (a hand-written logsumexp)."""
    enc_hs, dec_h = np.array(enc_hs, dtype=float), np.array(dec_h, dtype=float)
    if enc_hs.ndim != 3 or dec_h.ndim != 2 or dec_h.shape != (len(enc_hs), enc_hs.shape[2]):
        raise ValueError("enc_hs must be (B, S, H) and dec_h (B, H)")
    contexts, all_weights = [], []
    for states, query in zip(enc_hs, dec_h):
        weights = _row_weights([float(state @ query) for state in states], [True] * len(states))
        contexts.append(sum(w * state for w, state in zip(weights, states)))
        all_weights.append(weights)
    return np.array(contexts, dtype=float), np.array(all_weights, dtype=float)
