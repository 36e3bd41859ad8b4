"""A correct gmm_em module written differently from the reference: inverse and slogdet, np.cov with weights,
a loop over points for the log-sum-exp."""

import math

import numpy as np


def _validate(x, weights, means, covs):
    x, w, mu, cov = (np.array(a, dtype=float) for a in (x, weights, means, covs))
    if x.ndim != 2 or len(x) == 0 or w.ndim != 1 or len(w) == 0:
        raise ValueError("x must be (n, d) and weights (K,)")
    if mu.shape != (len(w), x.shape[1]) or cov.shape != (len(w), x.shape[1], x.shape[1]):
        raise ValueError("means must be (K, d) and covs (K, d, d)")
    if (w < 0).any() or not np.isclose(w.sum(), 1.0, rtol=0, atol=1e-8):
        raise ValueError("weights must be a probability vector")
    for c in cov:
        eigenvalues = np.linalg.eigvalsh(c)
        if eigenvalues.min() <= 1e-12 * max(1.0, abs(eigenvalues.max())):
            raise ValueError("every covariance must be positive definite")
    return x, w, mu, cov


def _log_terms(x, w, mu, cov):
    d = x.shape[1]
    columns = []
    for k in range(len(w)):
        precision = np.linalg.inv(cov[k])
        _, log_det = np.linalg.slogdet(cov[k])
        diff = x - mu[k]
        maha = np.sum((diff @ precision) * diff, axis=1)
        log_w = math.log(w[k]) if w[k] > 0 else -math.inf
        columns.append(log_w - 0.5 * maha - 0.5 * log_det - 0.5 * d * math.log(2 * math.pi))
    return np.column_stack(columns)


def _log_normaliser(row):
    top = max(row)
    return top + math.log(sum(math.exp(v - top) for v in row))


def gmm_log_likelihood(x, weights, means, covs):
    a = _log_terms(*_validate(x, weights, means, covs))
    return sum(_log_normaliser(list(row)) for row in a)


def responsibilities(x, weights, means, covs):
    a = _log_terms(*_validate(x, weights, means, covs))
    return np.array([[math.exp(v - _log_normaliser(list(row))) for v in row] for row in a])


def gmm_em_step(x, weights, means, covs):
    r = responsibilities(x, weights, means, covs)
    x = np.array(x, dtype=float)
    new_w, new_mu, new_cov = [], [], []
    for k in range(r.shape[1]):
        weight = r[:, k]
        new_w.append(weight.sum() / len(x))
        new_mu.append(np.average(x, axis=0, weights=weight))
        new_cov.append(np.atleast_2d(np.cov(x.T, aweights=weight, bias=True)))
    return np.array(new_w), np.array(new_mu), np.array(new_cov)
