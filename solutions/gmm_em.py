"""A Gaussian mixture, fitted by expectation-maximisation (EM).

A mixture of K Gaussians gives a point x the density p(x) = sum_k w_k N(x; mu_k, S_k). EM
alternates two steps. The E-step computes responsibilities, r_ik = w_k N(x_i; mu_k, S_k) / p(x_i),
how much component k explains point i (each row sums to 1). The M-step refits every component
as a weighted average, with N_k = sum_i r_ik: w_k = N_k / n, mu_k = sum_i r_ik x_i / N_k,
S_k = sum_i r_ik (x_i - mu_k)(x_i - mu_k)^T / N_k (with the new mu_k). One step never lowers
the log-likelihood sum_i log p(x_i). Work with log-densities: far from every component, each
N(x_i; ...) underflows to 0, while log w_k + log N(x_i; ...) stays finite (log-sum-exp).

Arguments, in every function: x (n, d) points; weights (K,) non-negative, summing to 1 (within
1e-8); means (K, d); covs (K, d, d) symmetric positive definite. Anything else is a ValueError.

Write it with numpy (np.linalg is fine): scikit-learn, scipy.stats, a library logsumexp
(scipy.special, torch) and torch.distributions are not allowed.

Run `grade gmm_em` to check your work; stuck? `grade hint gmm_em`.
"""

import numpy as np


def gmm_log_likelihood(x, weights, means, covs) -> float:
    """sum_i log sum_k w_k N(x_i; mu_k, S_k) for x (n, d), weights (K,), means (K, d), covs (K, d, d).

    Example: gmm_log_likelihood([[0.0], [2.0]], [0.5, 0.5], [[0.0], [2.0]], [[[1.0]], [[1.0]]])
    -> -2.9703154054432908
    """
    x, weights, means, covs = _checked(x, weights, means, covs)
    joint = _log_joint(x, weights, means, covs)
    return float(np.sum(_logsumexp_rows(joint)))


def responsibilities(x, weights, means, covs) -> np.ndarray:
    """The E-step: r (n, K) with r_ik = w_k N(x_i; mu_k, S_k) / sum_j w_j N(x_i; mu_j, S_j).

    Example: responsibilities([[0.0]], [0.5, 0.5], [[0.0], [2.0]], [[[1.0]], [[1.0]]])
    -> array([[0.88079708, 0.11920292]])
    """
    x, weights, means, covs = _checked(x, weights, means, covs)
    joint = _log_joint(x, weights, means, covs)
    return np.exp(joint - _logsumexp_rows(joint)[:, None])


def gmm_em_step(x, weights, means, covs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One EM step (E-step, then M-step) from the given parameters: (new weights (K,), means (K, d), covs (K, d, d)).

    Example: gmm_em_step([[0.0], [1.0], [3.0]], [1.0], [[0.0]], [[[1.0]]])
    -> (array([1.]), array([[1.33333333]]), array([[[1.55555556]]]))
    """
    r = responsibilities(x, weights, means, covs)  # (n, K); checks the arguments too
    x = np.asarray(x, dtype=np.float64)
    counts = r.sum(axis=0)  # N_k
    new_means = (r.T @ x) / counts[:, None]  # (K, d)
    centred = x[None, :, :] - new_means[:, None, :]  # (K, n, d), centred on the NEW means
    # Two passes (centre, then square): E[x x^T] - mu mu^T cancels for data far from 0.
    new_covs = np.einsum("nk,kni,knj->kij", r, centred, centred) / counts[:, None, None]
    return counts / x.shape[0], new_means, new_covs


def _log_joint(x, weights, means, covs):
    """log w_k + log N(x_i; mu_k, S_k), shape (n, K), through a Cholesky factor of each S_k."""
    n, d = x.shape
    out = np.empty((n, len(weights)))
    with np.errstate(divide="ignore"):  # a weight of 0 is allowed: log 0 = -inf, responsibility 0
        log_weights = np.log(weights)
    for k, (mu, cov) in enumerate(zip(means, covs)):
        factor = np.linalg.cholesky(cov)  # cov = L L^T, so (x - mu)^T cov^-1 (x - mu) = |L^-1 (x - mu)|^2
        z = np.linalg.solve(factor, (x - mu).T)  # (d, n)
        log_det = 2.0 * np.sum(np.log(np.diag(factor)))
        out[:, k] = log_weights[k] - 0.5 * (d * np.log(2.0 * np.pi) + log_det + np.sum(z**2, axis=0))
    return out


def _logsumexp_rows(a):
    """log sum_k exp(a_ik) per row, shifted by the row's max so exp never overflows nor all underflows."""
    top = a.max(axis=1)
    return top + np.log(np.sum(np.exp(a - top[:, None]), axis=1))


def _checked(x, weights, means, covs):
    """The four arguments as float64 arrays of matching shapes, or ValueError naming the argument."""
    x = np.asarray(x, dtype=np.float64)
    weights = np.asarray(weights, dtype=np.float64)
    means = np.asarray(means, dtype=np.float64)
    covs = np.asarray(covs, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] == 0:
        raise ValueError(f"x must be a non-empty (n, d) array, got shape {x.shape}")
    d = x.shape[1]
    if weights.ndim != 1 or weights.size == 0:
        raise ValueError(f"weights must be a non-empty (K,) array, got shape {weights.shape}")
    k = weights.size
    if means.shape != (k, d):
        raise ValueError(f"means must have shape ({k}, {d}), got {means.shape}")
    if covs.shape != (k, d, d):
        raise ValueError(f"covs must have shape ({k}, {d}, {d}), got {covs.shape}")
    if np.any(weights < 0) or not abs(weights.sum() - 1.0) <= 1e-8:
        raise ValueError("weights must be non-negative and sum to 1")
    for index, cov in enumerate(covs):
        try:
            np.linalg.cholesky(cov)
        except np.linalg.LinAlgError:
            raise ValueError(f"covs[{index}] must be positive definite") from None
    return x, weights, means, covs
