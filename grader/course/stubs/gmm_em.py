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
    # TODO: raise ValueError for shapes that do not match (x is (n, d), K components), weights that are
    # negative or do not sum to 1, or a covariance that is not positive definite (e.g. singular).
    # Sum log-sum-exp over components of log w_k + log N(x_i; mu_k, S_k): never log of a sum of densities.
    raise NotImplementedError


def responsibilities(x, weights, means, covs) -> np.ndarray:
    """The E-step: r (n, K) with r_ik = w_k N(x_i; mu_k, S_k) / sum_j w_j N(x_i; mu_j, S_j).

    Example: responsibilities([[0.0]], [0.5, 0.5], [[0.0], [2.0]], [[[1.0]], [[1.0]]])
    -> array([[0.88079708, 0.11920292]])
    """
    # TODO: the same ValueErrors as gmm_log_likelihood; normalise in log space (subtract each row's max).
    raise NotImplementedError


def gmm_em_step(x, weights, means, covs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One EM step (E-step, then M-step) from the given parameters: (new weights (K,), means (K, d), covs (K, d, d)).

    Example: gmm_em_step([[0.0], [1.0], [3.0]], [1.0], [[0.0]], [[[1.0]]])
    -> (array([1.]), array([[1.33333333]]), array([[[1.55555556]]]))
    """
    # TODO: the same ValueErrors; the new covariances are centred on the NEW means (no regularisation).
    raise NotImplementedError
