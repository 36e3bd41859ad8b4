"""Scaled dot-product attention and multi-head attention.

Each query scores every key with a dot product, scaled by 1/sqrt(d) so the scores do not
grow with the dimension; a softmax over the keys turns one query's scores into weights, and
its output is the weighted average of the values. Multi-head attention projects q, k and v,
attends num_heads times in subspaces of size D / num_heads, merges the heads and projects
the result with w_o.

weights = softmax(q k^T / sqrt(d)) over the keys, with -inf where the mask is False;
output = weights v. Multi-head: head_i = attention(q w_q, k w_k, v w_v) restricted to the
i-th block of D / num_heads columns; output = concat(head_1, ..., head_h) w_o.
mask is boolean, True where a query may attend to a key (the torch convention); it
broadcasts to (..., T, S), and a query row with no allowed key is a ValueError.
Seq2seq "time attention" (Luong's dot score) is the older, simplest case: one decoder state
per sequence scores each encoder state with a plain, unscaled dot product, and the context is
the weighted average of the encoder states.
Forbidden (they do the exercise): torch's scaled_dot_product_attention, multi_head_attention_forward
and MultiheadAttention, jax's dot_product_attention.

Run `grade attention` to check your work; stuck? `grade hint attention`.
"""

import numpy as np


def scaled_dot_product_attention(q, k, v, mask=None) -> tuple[np.ndarray, np.ndarray]:
    """(output (..., T, d_v), weights (..., T, S)) for q (..., T, d), k (..., S, d), v (..., S, d_v).

    Example: scaled_dot_product_attention([[1.0, 0.0]], [[1.0, 0.0], [0.0, 1.0]], [[1.0], [3.0]])
    -> (array([[1.6604769]]), array([[0.66976155, 0.33023845]]))
    """
    q, k, v = _checked_qkv(q, k, v)
    # Divide by sqrt(d): for random unit-variance q and k the dot product has variance d,
    # which would push the softmax into saturation as d grows.
    scores = q @ k.swapaxes(-1, -2) / np.sqrt(q.shape[-1])  # (..., T, S)
    weights = _masked_softmax(scores, mask)
    return weights @ v, weights


def multi_head_attention(q, k, v, w_q, w_k, w_v, w_o, num_heads: int, mask=None) -> tuple[np.ndarray, np.ndarray]:
    """(output (B, T, D), weights (B, num_heads, T, S)) for q (B, T, D), k and v (B, S, D), each w_* (D, D).

    Example: multi_head_attention(x, x, x, I, I, I, I, num_heads=2) with x = np.ones((1, 1, 2)), I = np.eye(2)
    -> (array([[[1., 1.]]]), array([[[[1.]], [[1.]]]]))
    """
    q, k, v, w_q, w_k, w_v, w_o, mask = _checked_heads(q, k, v, w_q, w_k, w_v, w_o, num_heads, mask)
    b, t, d = q.shape
    # Head i owns columns [i * D/h, (i + 1) * D/h) of each projection: reshape to
    # (B, T, h, D/h) first, THEN move the head axis forward.
    out, weights = scaled_dot_product_attention(_split_heads(q @ w_q, num_heads), _split_heads(k @ w_k, num_heads),
                                                _split_heads(v @ w_v, num_heads), mask)  # (B, h, T, D/h)
    merged = out.transpose(0, 2, 1, 3).reshape(b, t, d)  # heads side by side again: (B, T, D)
    return merged @ w_o, weights


def time_attention(enc_hs, dec_h) -> tuple[np.ndarray, np.ndarray]:
    """(context (B, H), weights (B, S)) for one decoder step, from enc_hs (B, S, H) and dec_h (B, H).

    enc_hs holds the encoder states, dec_h the decoder state of each sequence.

    weights[b] = softmax over s of enc_hs[b, s] . dec_h[b] (no scaling), stable for scores around 1e4;
    context[b] = sum over s of weights[b, s] * enc_hs[b, s].

    Example: time_attention([[[1.0, 0.0], [0.0, 1.0]]], [[2.0, 0.0]])
    -> (array([[0.88079708, 0.11920292]]), array([[0.88079708, 0.11920292]]))
    """
    enc_hs, dec_h = np.asarray(enc_hs, dtype=np.float64), np.asarray(dec_h, dtype=np.float64)
    if enc_hs.ndim != 3 or dec_h.shape != (enc_hs.shape[0], enc_hs.shape[2]):
        raise ValueError(f"enc_hs must be (B, S, H) and dec_h (B, H) with the same B and H, got {enc_hs.shape} "
                         f"and {dec_h.shape}")
    scores = np.einsum("bsh,bh->bs", enc_hs, dec_h)  # (B, S): one score per encoder time step
    weights = _masked_softmax(scores, None)
    return np.einsum("bs,bsh->bh", weights, enc_hs), weights


def _split_heads(x, num_heads):
    """(B, L, D) -> (B, h, L, D/h)."""
    b, length, d = x.shape
    return x.reshape(b, length, num_heads, d // num_heads).transpose(0, 2, 1, 3)


def _masked_softmax(scores, mask):
    """softmax over the last axis, where mask is False the weight is exactly 0."""
    if mask is not None:
        mask = _checked_mask(mask, scores.shape)
        # -inf, not a large negative number: exp(-inf - m) is exactly 0, whatever the scores.
        scores = np.where(mask, scores, -np.inf)
    # Shift so each row's max is 0: exp stays in (0, 1]. Every row has a finite max
    # (checked above), so -inf - max is -inf and no nan appears.
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _checked_mask(mask, shape):
    """The mask as a bool array broadcast to `shape`, or ValueError."""
    mask = np.asarray(mask)
    if mask.dtype != np.bool_:
        raise ValueError(f"mask must be boolean (True = may attend), got dtype {mask.dtype}")
    try:
        mask = np.broadcast_to(mask, np.broadcast_shapes(mask.shape, shape))
    except ValueError:
        raise ValueError(f"mask of shape {mask.shape} does not broadcast to the scores' shape {shape}") from None
    if not mask.any(axis=-1).all():
        raise ValueError("mask allows no key at all for some query; every row needs at least one True")
    return mask


def _checked_qkv(q, k, v):
    q, k, v = (np.asarray(x, dtype=np.float64) for x in (q, k, v))
    for name, x in (("q", q), ("k", k), ("v", v)):
        if x.ndim < 2:
            raise ValueError(f"{name} must have at least 2 dimensions (..., length, features), got shape {x.shape}")
    if k.shape[-1] != q.shape[-1]:
        raise ValueError(f"k must have the same last dimension as q ({q.shape[-1]}), got shape {k.shape}")
    if v.shape[-2] != k.shape[-2]:
        raise ValueError(f"v must have as many rows as k ({k.shape[-2]}), got shape {v.shape}")
    return q, k, v


def _checked_heads(q, k, v, w_q, w_k, w_v, w_o, num_heads, mask):
    q, k, v = (np.asarray(x, dtype=np.float64) for x in (q, k, v))
    if q.ndim != 3:
        raise ValueError(f"q must be 3-D (B, T, D), got shape {q.shape}")
    b, _, d = q.shape
    for name, x in (("k", k), ("v", v)):
        if x.ndim != 3 or x.shape[0] != b or x.shape[2] != d:
            raise ValueError(f"{name} must have shape ({b}, S, {d}), got {x.shape}")
    if k.shape != v.shape:
        raise ValueError(f"v must have the shape of k {k.shape}, got {v.shape}")
    weights = []
    for name, w in (("w_q", w_q), ("w_k", w_k), ("w_v", w_v), ("w_o", w_o)):
        w = np.asarray(w, dtype=np.float64)
        if w.shape != (d, d):
            raise ValueError(f"{name} must have shape ({d}, {d}), got {w.shape}")
        weights.append(w)
    if isinstance(num_heads, (bool, np.bool_)) or not isinstance(num_heads, (int, np.integer)) or num_heads < 1:
        raise ValueError(f"num_heads must be a positive int, got {num_heads!r}")
    if d % num_heads:
        raise ValueError(f"num_heads ({num_heads}) must divide the model dimension D ({d})")
    if mask is not None:
        mask = np.asarray(mask)
        if mask.ndim == 3:
            mask = mask[:, None]  # (B, 1, T, S): the same mask for every head
        elif mask.ndim != 2:
            raise ValueError(f"mask must be (T, S) or (B, T, S), got shape {mask.shape}")
    return (q, k, v, *weights, mask)
