"""The singular value decomposition from an eigendecomposition, and the best rank-k approximation.

Every matrix a (m, n) rotates, stretches, then rotates again: a = u @ diag(s) @ vt, where u (m, r)
has orthonormal columns, vt (r, n) orthonormal rows, s (r,) holds the stretches s_1 >= s_2 >= ... >= 0,
and r = min(m, n). Since a^T a = v diag(s^2) v^T, the eigenvectors of a^T a give v, the square roots
of its eigenvalues give s, and u_i = a v_i / s_i. Keeping the k largest terms,
a_k = sum over i <= k of s_i u_i v_i^T, gives the closest rank-k matrix to a (Eckart-Young).

Run `grade svd` to check your work; stuck? `grade hint svd`.
"""

import numpy as np


def svd(a) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Thin SVD of a (m, n): u (m, r), s (r,) descending, vt (r, n) with a = u @ diag(s) @ vt, r = min(m, n).

    Example: svd([[3.0, 0.0], [0.0, -2.0]])
        -> (array([[1., 0.], [0., -1.]]), array([3., 2.]), array([[1., 0.], [0., 1.]]))  (signs may differ)
    """
    return _svd(_as_matrix(a))


def low_rank_approx(a, k: int) -> np.ndarray:
    """The best rank-k approximation of a (m, n): the sum of the k largest terms s_i u_i v_i^T; k in [0, min(m, n)].

    Example: low_rank_approx([[3.0, 0.0], [0.0, 2.0]], 1) -> array([[3., 0.], [0., 0.]])
    """
    a = _as_matrix(a)
    r = min(a.shape)
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)):
        raise ValueError(f"k must be an integer, got {k!r}")
    if not 0 <= k <= r:
        raise ValueError(f"k must be in [0, min(m, n)] = [0, {r}], got {k}")
    u, s, vt = svd(a)
    # Scale the k kept columns of u by their s_i, then sum the outer products with the rows of vt.
    return (u[:, :k] * s[:k]) @ vt[:k]  # (m, k) @ (k, n); k = 0 gives the zero matrix


def _as_matrix(a) -> np.ndarray:
    """a as a float64 (m, n) array of finite numbers, or ValueError naming `a`."""
    a = np.asarray(a, dtype=np.float64)
    if a.ndim != 2:
        raise ValueError(f"a must be a 2-D matrix (m, n), got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError("a must contain only finite numbers")
    return a


def _svd(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Thin SVD of a checked float64 matrix of any shape."""
    m, n = a.shape
    if m < n:
        # a^T = v diag(s) u^T: decompose the tall transpose, whose Gram matrix (m, m) is the small one.
        # With a^T a (n, n) instead, n - m eigenvalues are zero and u would get n columns.
        v, s, ut = _svd(a.T)
        return ut.T, s, v.T
    scale = np.max(np.abs(a), initial=0.0)
    if scale == 0.0:  # the zero matrix (or an empty one): s = 0, any orthonormal u and vt will do
        return np.eye(m, n), np.zeros(n), np.eye(n)
    # Divide by max|a| first: the entries of b^T b are then at most m, so squaring cannot overflow
    # (a ~ 1e150) or underflow to nothing (a ~ 1e-150). s scales back at the end.
    b = a / scale
    _, v = np.linalg.eigh(b.T @ b)  # b^T b = v diag(s^2) v^T; eigenvalues ascending
    bv = b @ v  # (m, n): column i is s_i u_i
    # ||b v_i|| is s_i to full precision; sqrt(eigenvalue) would lose half the digits of a small s_i.
    s = np.sqrt(np.sum(bv**2, axis=0))
    order = np.argsort(-s, kind="stable")  # descending
    s, v, bv = s[order], v[:, order], bv[:, order]
    # QR of b v divides each column by its length (u_i = b v_i / s_i) and, where s_i is (numerically)
    # zero, completes u with orthonormal columns instead of dividing by zero.
    q, r = np.linalg.qr(bv)  # (m, n), (n, n)
    signs = np.where(np.diag(r) < 0.0, -1.0, 1.0)  # QR may flip a column; flip it back to b v_i / s_i
    return q * signs, s * scale, v.T
