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
    # TODO: raise ValueError if sigma2 <= 0 or x is empty; sum log-densities (never multiply densities).
    raise NotImplementedError


def normal_mle(x) -> tuple[float, float]:
    """The maximum-likelihood (mu_hat, sigma2_hat) of a normal sample x (n,): mean and 1/n variance.

    Example: normal_mle([1.0, 2.0, 3.0]) -> (2.0, 0.6666666666666666)
    """
    # TODO: raise ValueError for an empty x; the variance divides by n, not n - 1.
    raise NotImplementedError


def binomial_log_likelihood(k, n, p: float) -> float:
    """The log-likelihood of k (N,) successes out of n trials each (int or (N,)) with success probability p.

    Example: binomial_log_likelihood([1, 2], 2, 0.5) -> -2.079441541679836
    """
    # TODO: raise ValueError unless 0 <= p <= 1 and 0 <= k <= n (and k is not empty);
    #       include log C(n, k); 0 * log(0) counts as 0, so p = 0 with some k > 0 gives -inf.
    raise NotImplementedError


def binomial_mle(k, n) -> float:
    """The maximum-likelihood p_hat for k (N,) successes out of n trials each (int or (N,)).

    Example: binomial_mle([1, 3], [2, 6]) -> 0.5
    """
    # TODO: raise ValueError unless 0 <= k <= n (and k is not empty); n is an int or one count per k.
    raise NotImplementedError
