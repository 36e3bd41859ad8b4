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
    # TODO: scores = q k^T / sqrt(d); set -inf where mask is False (ValueError if a query has no
    # allowed key); softmax over the keys, stable for scores around 1e4; return (weights @ v, weights).
    raise NotImplementedError


def multi_head_attention(q, k, v, w_q, w_k, w_v, w_o, num_heads: int, mask=None) -> tuple[np.ndarray, np.ndarray]:
    """(output (B, T, D), weights (B, num_heads, T, S)) for q (B, T, D), k and v (B, S, D), each w_* (D, D).

    Example: multi_head_attention(x, x, x, I, I, I, I, num_heads=2) with x = np.ones((1, 1, 2)), I = np.eye(2)
    -> (array([[[1., 1.]]]), array([[[[1.]], [[1.]]]]))
    """
    # TODO: ValueError if num_heads does not divide D. Project (x @ w), split into heads
    # (B, num_heads, L, D / num_heads), attend with the same mask for every head (a (B, T, S)
    # mask needs a head axis), merge the heads back to (B, T, D), project with w_o.
    raise NotImplementedError


def time_attention(enc_hs, dec_h) -> tuple[np.ndarray, np.ndarray]:
    """(context (B, H), weights (B, S)) for one decoder step, from enc_hs (B, S, H) and dec_h (B, H).

    enc_hs holds the encoder states, dec_h the decoder state of each sequence.

    weights[b] = softmax over s of enc_hs[b, s] . dec_h[b] (no scaling), stable for scores around 1e4;
    context[b] = sum over s of weights[b, s] * enc_hs[b, s].

    Example: time_attention([[[1.0, 0.0], [0.0, 1.0]]], [[2.0, 0.0]])
    -> (array([[0.88079708, 0.11920292]]), array([[0.88079708, 0.11920292]]))
    """
    # TODO: ValueError unless enc_hs is 3-D and dec_h is (B, H) with the same B and H.
    raise NotImplementedError
