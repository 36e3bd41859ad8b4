"""Softmax, log-softmax, sigmoid and cross-entropy, stable for large logits.

softmax turns a vector of scores z into probabilities: softmax(z)_i = exp(z_i) / sum_j exp(z_j).
Adding the same constant to every score changes nothing, which is what makes it stable.
sigmoid(x) = 1 / (1 + exp(-x)) is the two-class case; cross-entropy is minus the mean
log-probability of the right class, and binary cross-entropy with logits is its two-class twin,
computed from the logit x without ever forming sigmoid(x): max(x, 0) - x t + log(1 + exp(-|x|)).

Write these with numpy: library versions (scipy.special's softmax, logsumexp and expit, torch and
torch.nn.functional's softmax, sigmoid and cross-entropy losses) are not allowed.

Run `grade softmax` to check your work; stuck? `grade hint softmax`.
"""

import numpy as np


def softmax(z, axis: int = -1) -> np.ndarray:
    """Probabilities along `axis`: non-negative, summing to 1; same shape as z.

    Example: softmax([1.0, 2.0, 3.0]) -> array([0.09003057, 0.24472847, 0.66524096])
    """
    # TODO: stable for |z| up to 1e4; a -inf entry gets probability 0.
    raise NotImplementedError


def log_softmax(z, axis: int = -1) -> np.ndarray:
    """log(softmax(z)) along `axis`, without ever taking the log of a rounded-down 0.

    Example: log_softmax([0.0, 0.0]) -> array([-0.69314718, -0.69314718])
    """
    # TODO
    raise NotImplementedError


def sigmoid(x) -> np.ndarray:
    """1 / (1 + exp(-x)) elementwise, with no overflow for large |x|.

    Example: sigmoid([0.0, 2.0]) -> array([0.5, 0.88079708])
    """
    # TODO: no overflow warning for x = -1e4 or 1e4.
    raise NotImplementedError


def cross_entropy(logits, targets) -> float:
    """Mean over N of -log softmax(logits)[n, targets[n]]; logits (N, C), integer targets (N,).

    Example: cross_entropy([[2.0, 0.0]], [0]) -> 0.12692801104297263
    """
    # TODO: raise ValueError if logits is not 2-D, or targets are not integers in [0, C).
    raise NotImplementedError


def bce_with_logits(logits, targets) -> float:
    """Mean binary cross-entropy of sigmoid(logits) against targets in [0, 1]; any shape, the same for both.

    Per element: -(t log sigmoid(x) + (1 - t) log(1 - sigmoid(x))), the mean over all elements.
    Example: bce_with_logits([0.0, 2.0], [1.0, 0.0]) -> 1.410037595801459
    """
    # TODO: stable for |x| up to 1e4 (never the log of a rounded 0); raise ValueError if the shapes
    # differ or a target is outside [0, 1].
    raise NotImplementedError
