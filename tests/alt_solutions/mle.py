"""A correct mle module written differently from the reference: Python loops, Welford's one-pass
variance, log C(n, k) as a sum of logs for small n and from math.comb for the rest."""

import math

import numpy as np


def _as_list(values, name):
    flat = np.ravel(np.array(values, dtype=float)).tolist()
    if not flat:
        raise ValueError(f"{name} is empty")
    return flat


def normal_log_likelihood(x, mu, sigma2):
    values = _as_list(x, "x")
    if sigma2 <= 0 or sigma2 != sigma2:
        raise ValueError("sigma2 must be > 0")
    total = 0.0
    for value in values:
        z = (value - mu) / math.sqrt(sigma2)
        total += -0.5 * z * z - 0.5 * math.log(2 * math.pi) - 0.5 * math.log(sigma2)
    return total


def normal_mle(x):
    values = _as_list(x, "x")
    mean, m2 = 0.0, 0.0
    for count, value in enumerate(values, start=1):  # Welford: one pass, no cancellation
        delta = value - mean
        mean += delta / count
        m2 += delta * (value - mean)
    return mean, m2 / len(values)


def _pairs(k, n):
    ks = [int(v) for v in _as_list(k, "k")]
    ns = [int(v) for v in np.broadcast_to(np.array(n), (len(ks),)).tolist()]
    for successes, trials in zip(ks, ns):
        if successes < 0 or successes > trials:
            raise ValueError("need 0 <= k <= n")
    return ks, ns


def _log_choose(trials, successes):
    smaller = min(successes, trials - successes)
    if smaller <= 50:  # a short sum of logs
        return sum(math.log(trials - smaller + j) - math.log(j) for j in range(1, smaller + 1))
    return math.log(math.comb(trials, smaller))  # exact big integer, then one log


def binomial_log_likelihood(k, n, p):
    ks, ns = _pairs(k, n)
    if not (0 <= p <= 1):
        raise ValueError("p must lie in [0, 1]")
    total = 0.0
    for successes, trials in zip(ks, ns):
        total += _log_choose(trials, successes)
        if successes:
            total += successes * math.log(p) if p > 0 else -math.inf
        if trials - successes:
            total += (trials - successes) * math.log(1 - p) if p < 1 else -math.inf
    return total


def binomial_mle(k, n):
    ks, ns = _pairs(k, n)
    return float(sum(ks)) / float(sum(ns))
