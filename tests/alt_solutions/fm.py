"""A correct fm module written differently from the reference.

fm_predict through the Gram matrix G = V V^T: the pairs are the strict upper triangle of x x^T * G
(O(k n^2), but right); deepfm_forward builds the one-hot rows and calls fm_predict, and runs the MLP
with einsum and np.where for the ReLU.
"""

import numpy as np


def fm_predict(X, w0, w, V):
    X = np.array(X, dtype=float)
    w = np.array(w, dtype=float)
    V = np.array(V, dtype=float)
    if len(X.shape) != 2 or len(V.shape) != 2 or len(w.shape) != 1:
        raise ValueError("X and V must be matrices and w a vector")
    if not X.shape[1] == w.shape[0] == V.shape[0]:
        raise ValueError("X, w and V disagree on the number of features")
    gram = V @ V.T
    upper = np.triu(np.ones_like(gram), k=1)
    pairs = np.einsum("ni,ij,nj->n", X, gram * upper, X)
    return w0 + np.einsum("ni,i->n", X, w) + pairs


def deepfm_forward(field_idx, w0, w, V, mlp_params):
    V = np.array(V, dtype=float)
    w = np.array(w, dtype=float)
    raw = np.array(field_idx)
    if raw.ndim != 2:
        raise ValueError("field_idx must be (N, F)")
    if not np.array_equal(raw, np.floor(raw)):
        raise ValueError("field_idx must hold whole numbers")
    idx = raw.astype(int)
    n, k = V.shape
    if np.any(idx < 0) or np.any(idx >= n):
        raise ValueError("a feature index in field_idx is out of range")
    N, F = idx.shape
    one_hot = np.zeros((N, n))
    for r in range(N):
        one_hot[r, idx[r]] = 1.0
    fm_part = fm_predict(one_hot, w0, w, V)

    if not mlp_params:
        raise ValueError("mlp_params is empty")
    h = np.stack([np.concatenate([V[j] for j in row]) for row in idx])  # (N, F * k)
    for number, (W, b) in enumerate(mlp_params):
        W, b = np.array(W, dtype=float), np.array(b, dtype=float)
        if W.shape[0] != h.shape[1] or b.shape != (W.shape[1],):
            raise ValueError(f"layer {number} does not fit")
        h = np.einsum("nd,de->ne", h, W) + b
        if number < len(mlp_params) - 1:
            h = np.where(h > 0, h, 0.0)
    if h.shape[1] != 1:
        raise ValueError("the last layer must have one output")
    return fm_part + h[:, 0]
