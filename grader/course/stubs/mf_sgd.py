"""Matrix factorization of a ratings matrix by SGD and by alternating least squares (ALS).

Each user u gets a vector p_u and each item i a vector q_i (rows of P and Q) so that the
observed ratings are close to p_u . q_i; missing ratings (NaN) play no part. Both methods
lower the regularised squared error  sum over observed (u, i) of (r_ui - p_u . q_i)^2
+ reg (|P|^2 + |Q|^2): SGD one rating at a time, ALS by solving a ridge regression per row.

Run `grade mf_sgd` to check your work; stuck? `grade hint mf_sgd`.
"""

import numpy as np


def mf_sgd_epoch(ratings, P, Q, lr: float, reg: float, order) -> tuple[np.ndarray, np.ndarray]:
    """One SGD pass over the observed cells in `order` ((n, 2) ints: user, item); returns new (P, Q).

    Example: mf_sgd_epoch([[1.0]], [[1.0]], [[0.5]], 0.1, 0.0, [[0, 0]]) -> (array([[1.025]]), array([[0.55]]))
    """
    # TODO: work on copies of P and Q; for each (u, i) in order, in that order, update P[u] and Q[i]
    # together from their values before this step. Raise ValueError for mismatched shapes, lr <= 0, reg < 0.
    raise NotImplementedError


def als_step(ratings, P, Q, reg: float) -> tuple[np.ndarray, np.ndarray]:
    """One ALS sweep: every user row with Q fixed, then every item row with the new P fixed.

    Example: als_step([[2.0]], [[0.0]], [[1.0]], 1.0) -> (array([[1.]]), array([[1.]]))
    """
    # TODO: solve every user row with Q fixed, then every item row with the new P fixed; a row with
    # no ratings becomes zeros. Raise ValueError for mismatched shapes or reg < 0.
    raise NotImplementedError


def masked_rmse(ratings, P, Q) -> float:
    """Root mean squared error of P @ Q.T over the observed (non-NaN) cells of ratings.

    Example: masked_rmse([[1.0, np.nan], [3.0, 0.0]], [[1.0], [2.0]], [[1.0], [0.0]]) -> 0.5773502691896257
    """
    # TODO: average the squared errors over the observed (non-NaN) cells only, then take the root.
    raise NotImplementedError
