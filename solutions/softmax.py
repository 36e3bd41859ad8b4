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
    z = np.asarray(z, dtype=np.float64)
    # Shift so the max is 0: exp stays in (0, 1] and cannot overflow. A -inf entry stays -inf -> 0.
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(z, axis: int = -1) -> np.ndarray:
    """log(softmax(z)) along `axis`, without ever taking the log of a rounded-down 0.

    Example: log_softmax([0.0, 0.0]) -> array([-0.69314718, -0.69314718])
    """
    z = np.asarray(z, dtype=np.float64)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    # log-sum-exp of the shifted scores is >= 0 (the max term is exp(0) = 1), so no log(0).
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def sigmoid(x) -> np.ndarray:
    """1 / (1 + exp(-x)) elementwise, with no overflow for large |x|.

    Example: sigmoid([0.0, 2.0]) -> array([0.5, 0.88079708])
    """
    x = np.asarray(x, dtype=np.float64)
    # exp(-|x|) is in (0, 1]: never overflows. For x < 0 use exp(x) / (1 + exp(x)).
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def cross_entropy(logits, targets) -> float:
    """Mean over N of -log softmax(logits)[n, targets[n]]; logits (N, C), integer targets (N,).

    Example: cross_entropy([[2.0, 0.0]], [0]) -> 0.12692801104297263
    """
    logits, targets = _checked(logits, targets)
    log_p = log_softmax(logits, axis=1)
    return float(-np.mean(log_p[np.arange(len(targets)), targets]))


def bce_with_logits(logits, targets) -> float:
    """Mean binary cross-entropy of sigmoid(logits) against targets in [0, 1]; any shape, the same for both.

    Per element: -(t log sigmoid(x) + (1 - t) log(1 - sigmoid(x))), the mean over all elements.
    Example: bce_with_logits([0.0, 2.0], [1.0, 0.0]) -> 1.410037595801459
    """
    x = np.asarray(logits, dtype=np.float64)
    t = np.asarray(targets, dtype=np.float64)
    if x.shape != t.shape:
        raise ValueError(f"logits and targets must have the same shape, got {x.shape} and {t.shape}")
    if np.any((t < 0) | (t > 1)) or np.isnan(t).any():
        raise ValueError("targets must be in [0, 1]")
    # -log sigmoid(x) = log(1 + exp(-x)) = max(-x, 0) + log1p(exp(-|x|)): exp only ever sees -|x| <= 0.
    return float(np.mean(np.maximum(x, 0.0) - x * t + np.log1p(np.exp(-np.abs(x)))))


def _checked(logits, targets):
    """(logits as float64 (N, C), targets as ints in [0, C)), or ValueError naming the argument."""
    logits = np.asarray(logits, dtype=np.float64)
    if logits.ndim != 2:
        raise ValueError(f"logits must be 2-D (N, C), got shape {logits.shape}")
    targets = np.asarray(targets)
    if targets.dtype.kind not in "iu":
        raise ValueError(f"targets must be integers, got dtype {targets.dtype}")
    n, c = logits.shape
    if targets.shape != (n,):
        raise ValueError(f"targets must have shape ({n},) to match logits, got {targets.shape}")
    if np.any(targets < 0) or np.any(targets >= c):
        raise ValueError(f"targets must be class indices in [0, {c})")
    return logits, targets
