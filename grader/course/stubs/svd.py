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
    # TODO: use np.linalg.eigh (np.linalg.svd is off limits). Wide and tall matrices, and zero singular
    # values (u must still have orthonormal columns), all need care.
    raise NotImplementedError


def low_rank_approx(a, k: int) -> np.ndarray:
    """The best rank-k approximation of a (m, n): the sum of the k largest terms s_i u_i v_i^T; k in [0, min(m, n)].

    Example: low_rank_approx([[3.0, 0.0], [0.0, 2.0]], 1) -> array([[3., 0.], [0., 0.]])
    """
    # TODO: raise ValueError if k is outside [0, min(m, n)].
    raise NotImplementedError
