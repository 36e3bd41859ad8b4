"""Likelihood and maximum likelihood for the normal and the binomial distribution.

The likelihood is the probability (density) of the observed data read as a function of the
parameters; its log turns the product over observations into a sum. Normal:
l(mu, s2) = -n/2 log(2 pi s2) - sum (x - mu)^2 / (2 s2), maximised at mu = mean(x) and
s2 = (1/n) sum (x - mu)^2 (a variance, divided by n). Binomial:
l(p) = sum [log C(n, k) + k log p + (n - k) log(1 - p)], maximised at p = sum k / sum n.

Run `grade mle` to check your work; stuck? `grade hint mle`.
"""

import math

import numpy as np


def normal_log_likelihood(x, mu: float, sigma2: float) -> float:
    """The log-likelihood of the sample x (n,) under a normal with mean mu and variance sigma2.

    Example: normal_log_likelihood([0.0, 2.0], 1.0, 1.0) -> -2.8378770664093453
    """
    x = _sample(x, "x")
    sigma2 = float(sigma2)
    if not sigma2 > 0:  # "not >" also rejects NaN
        raise ValueError(f"sigma2 must be positive, got {sigma2!r}")
    # Sum log-densities; never form the product of densities (1000 of them underflow to 0) or
    # (2 pi sigma2) ** (n / 2) (overflows for a huge sigma2): log(2 pi) + log(sigma2) stays finite.
    squares = np.sum((x - mu) ** 2) / sigma2
    return float(-0.5 * (x.size * (math.log(2 * math.pi) + math.log(sigma2)) + squares))


def normal_mle(x) -> tuple[float, float]:
    """The maximum-likelihood (mu_hat, sigma2_hat) of a normal sample x (n,): mean and 1/n variance.

    Example: normal_mle([1.0, 2.0, 3.0]) -> (2.0, 0.6666666666666666)
    """
    x = _sample(x, "x")
    mu = x.mean()
    # Two passes: subtract the mean first. mean(x**2) - mean(x)**2 cancels catastrophically
    # when the data sit far from 0 (1e6 + noise). Divide by n, not n - 1: that is the MLE.
    sigma2 = np.mean((x - mu) ** 2)
    return float(mu), float(sigma2)


def binomial_log_likelihood(k, n, p: float) -> float:
    """The log-likelihood of k (N,) successes out of n trials each (int or (N,)) with success probability p.

    Example: binomial_log_likelihood([1, 2], 2, 0.5) -> -2.079441541679836
    """
    k, n = _counts(k, n)
    p = float(p)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be in [0, 1], got {p!r}")
    # log C(n, k) from log-gamma: factorials overflow a float beyond n = 170.
    log_choose = _log_gamma(n + 1) - _log_gamma(k + 1) - _log_gamma(n - k + 1)
    # At p = 0 or 1 one log is -inf; 0 * log 0 counts as 0 (the impossible never happened).
    log_p = math.log(p) if p > 0 else -math.inf
    log_q = math.log1p(-p) if p < 1 else -math.inf  # log1p: accurate for tiny p
    successes, failures = int(k.sum()), int((n - k).sum())
    return float(np.sum(log_choose) + _times(successes, log_p) + _times(failures, log_q))


def binomial_mle(k, n) -> float:
    """The maximum-likelihood p_hat for k (N,) successes out of n trials each (int or (N,)).

    Example: binomial_mle([1, 3], [2, 6]) -> 0.5
    """
    k, n = _counts(k, n)
    trials = int(n.sum())
    if trials == 0:
        raise ValueError("n must contain at least one trial")
    # Pool the trials: sum k / sum n. The mean of the per-observation k / n is not the MLE
    # when the n differ (an observation of 1 trial would weigh as much as one of 1000).
    return int(k.sum()) / trials


def _sample(x, name: str) -> np.ndarray:
    """x as a non-empty 1-D float64 array, or ValueError naming the argument."""
    x = np.atleast_1d(np.asarray(x, dtype=np.float64))
    if x.ndim != 1:
        raise ValueError(f"{name} must be a 1-D sample, got shape {x.shape}")
    if x.size == 0:
        raise ValueError(f"{name} must not be empty: the likelihood of no data says nothing")
    return x


def _integers(values, name: str) -> np.ndarray:
    """values as an int64 array, or ValueError if any is not a whole number."""
    array = np.asarray(values)
    if array.dtype.kind in "iu":
        return array.astype(np.int64)
    if array.dtype.kind != "f" or not np.all(np.isfinite(array)) or np.any(array != np.round(array)):
        raise ValueError(f"{name} must contain whole numbers, got {values!r}")
    return array.astype(np.int64)


def _counts(k, n) -> tuple[np.ndarray, np.ndarray]:
    """(k, n) as 1-D int64 arrays of the same length with 0 <= k <= n, or ValueError."""
    k = np.atleast_1d(_integers(k, "k"))
    if k.ndim != 1 or k.size == 0:
        raise ValueError(f"k must be a non-empty 1-D array of counts, got shape {k.shape}")
    n = _integers(n, "n")
    if n.ndim > 1 or (n.ndim == 1 and n.shape != k.shape):
        raise ValueError(f"n must be an int or an array shaped like k {k.shape}, got shape {n.shape}")
    n = np.broadcast_to(n, k.shape)
    if np.any(k < 0) or np.any(k > n):
        raise ValueError("k must satisfy 0 <= k <= n for every observation")
    return k, n


_log_gamma = np.vectorize(math.lgamma, otypes=[np.float64])  # elementwise log Gamma (numpy has none)


def _times(count: int, log_probability: float) -> float:
    """count * log_probability, where 0 * log 0 is 0."""
    return 0.0 if count == 0 else count * log_probability
