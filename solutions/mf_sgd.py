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
    ratings, P, Q, lr, reg, order = _checked_sgd_inputs(ratings, P, Q, lr, reg, order)
    P, Q = P.copy(), Q.copy()  # new arrays: the caller's P and Q stay as they were
    # Sequential on purpose: each update sees the rows changed by the updates before it.
    for u, i in order:
        p, q = P[u].copy(), Q[i].copy()  # both updates use the values from before this step
        e = ratings[u, i] - p @ q
        P[u] = p + lr * (e * q - reg * p)  # p - lr * d/dp of (e^2 + reg(|p|^2 + |q|^2)) / 2
        Q[i] = q + lr * (e * p - reg * q)
    return P, Q


def als_step(ratings, P, Q, reg: float) -> tuple[np.ndarray, np.ndarray]:
    """One ALS sweep: every user row with Q fixed, then every item row with the new P fixed.

    Example: als_step([[2.0]], [[0.0]], [[1.0]], 1.0) -> (array([[1.]]), array([[1.]]))
    """
    ratings, P, Q = _checked_factors(ratings, P, Q)
    reg = _checked_reg(reg)
    new_P = _ridge_rows(ratings, Q, reg)  # the old P plays no part: each user row is solved afresh
    # An item's row is a user's row of the transposed problem, now against the new P.
    new_Q = _ridge_rows(ratings.T, new_P, reg)
    return new_P, new_Q


def masked_rmse(ratings, P, Q) -> float:
    """Root mean squared error of P @ Q.T over the observed (non-NaN) cells of ratings.

    Example: masked_rmse([[1.0, np.nan], [3.0, 0.0]], [[1.0], [2.0]], [[1.0], [0.0]]) -> 0.5773502691896257
    """
    ratings, P, Q = _checked_factors(ratings, P, Q)
    observed = ~np.isnan(ratings)
    if not observed.any():
        raise ValueError("ratings has no observed (non-NaN) cell")
    errors = ratings[observed] - (P @ Q.T)[observed]  # only observed cells: NaN never enters a sum
    return float(np.sqrt(np.mean(errors**2)))


def _ridge_rows(ratings, fixed, reg):
    """Row n minimises |fixed_O x - r_O|^2 + reg |x|^2 over the observed columns O of ratings[n]."""
    observed = ~np.isnan(ratings)  # (n, m)
    k = fixed.shape[1]
    # fixed_O^T fixed_O for every row at once: the sum of q q^T over that row's observed columns.
    gram = np.einsum("nm,mk,ml->nkl", observed.astype(np.float64), fixed, fixed)  # (n, k, k)
    gram += reg * np.eye(k)
    rhs = np.where(observed, ratings, 0.0) @ fixed  # (n, k): a missing cell adds nothing
    # A row with no observations has rhs 0: solving I x = 0 gives the zeros the contract asks for,
    # also when reg == 0 (where the gram matrix would be all zeros).
    gram[~observed.any(axis=1)] = np.eye(k)
    return np.linalg.solve(gram, rhs[..., None])[..., 0]  # (n, k)


def _checked_factors(ratings, P, Q):
    """(ratings, P, Q) as float64 arrays with matching shapes, or ValueError naming the argument."""
    ratings = np.asarray(ratings, dtype=np.float64)
    P = np.asarray(P, dtype=np.float64)
    Q = np.asarray(Q, dtype=np.float64)
    if ratings.ndim != 2:
        raise ValueError(f"ratings must be 2-D (n_users, n_items), got shape {ratings.shape}")
    n_users, n_items = ratings.shape
    if P.ndim != 2 or P.shape[0] != n_users:
        raise ValueError(f"P must have shape ({n_users}, k) to match ratings, got {P.shape}")
    if Q.ndim != 2 or Q.shape != (n_items, P.shape[1]):
        raise ValueError(f"Q must have shape ({n_items}, {P.shape[1]}) to match ratings and P, got {Q.shape}")
    return ratings, P, Q


def _checked_reg(reg):
    if not reg >= 0:  # written so that NaN is rejected too
        raise ValueError(f"reg must be >= 0, got {reg!r}")
    return float(reg)


def _checked_sgd_inputs(ratings, P, Q, lr, reg, order):
    """The arguments of mf_sgd_epoch as float64 arrays / floats / an (n, 2) int array, or ValueError."""
    ratings, P, Q = _checked_factors(ratings, P, Q)
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr!r}")
    return ratings, P, Q, float(lr), _checked_reg(reg), _checked_order(order, ratings.shape)


def _checked_order(order, shape):
    """order as an (n, 2) int array of (user, item) cells inside ratings, or ValueError."""
    order = np.asarray(order)
    if order.size == 0:
        return np.zeros((0, 2), dtype=np.int64)  # [] arrives as a float array of shape (0,)
    if order.ndim != 2 or order.shape[1] != 2 or order.dtype.kind not in "iu":
        raise ValueError(f"order must be an (n, 2) array of ints, got dtype {order.dtype} and shape {order.shape}")
    if np.any(order < 0) or np.any(order >= np.asarray(shape)):
        raise ValueError(f"order lists a cell outside ratings of shape {shape}")
    return order
