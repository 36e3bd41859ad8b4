"""Activation functions and their derivatives; MSE, MAE and Huber losses and their gradients.

A neuron's activation bends its weighted sum: relu(x) = max(x, 0), leaky_relu(x) = x for
x > 0 and 0.01 x otherwise, sigmoid(x) = 1 / (1 + exp(-x)), tanh(x), and
gelu(x) = x * Phi(x) with Phi the standard normal CDF (exact, with erf; not the tanh
approximation). A loss scores predictions against targets, averaged over every element,
with r = y_pred - y_true: mse = mean(r^2), mae = mean(|r|), and huber = mean of r^2 / 2
where |r| <= delta and delta * (|r| - delta / 2) elsewhere. The mean minimises MSE and the
median minimises MAE; an outlier of size M adds M^2 to one and only M to the other.
Write them with numpy (math.erf or scipy.special.erf is fine): torch's activations, losses
and autograd, scipy.special.expit and sklearn.metrics are not allowed here.

Run `grade activations` to check your work; stuck? `grade hint activations`.
"""

import math

import numpy as np

KINDS = ("relu", "leaky_relu", "sigmoid", "tanh", "gelu")
LOSSES = ("mse", "mae", "huber")
LEAKY_SLOPE = 0.01  # leaky_relu's slope for x <= 0 (torch's default)

_erf = np.vectorize(math.erf, otypes=[np.float64])


def activation(x, kind: str) -> np.ndarray:
    """The activation `kind` (relu, leaky_relu, sigmoid, tanh or gelu) of x, elementwise: a float64 array shaped like x.

    Example: activation([-1.0, 0.0, 2.0], "relu") -> array([0., 0., 2.])
             activation([1.0], "gelu") -> array([0.84134475])
    No overflow warnings for |x| up to 1e3. Raises ValueError for any other kind.
    """
    x = np.asarray(x, dtype=np.float64)
    kind = _checked_kind(kind)
    if kind == "relu":
        return np.maximum(x, 0.0)
    if kind == "leaky_relu":
        return np.where(x > 0, x, LEAKY_SLOPE * x)
    if kind == "sigmoid":
        return _sigmoid(x)
    if kind == "tanh":
        return np.tanh(x)
    return x * _normal_cdf(x)


def activation_grad(x, kind: str) -> np.ndarray:
    """The derivative of activation(x, kind) with respect to x, elementwise: a float64 array shaped like x.

    At x = 0 the relu derivative is 0 and the leaky_relu derivative is 0.01 (torch's convention).
    Example: activation_grad([-1.0, 0.0, 2.0], "relu") -> array([0., 0., 1.])
             activation_grad([0.0], "sigmoid") -> array([0.25])
    No overflow warnings for |x| up to 1e3. Raises ValueError for an unknown kind.
    """
    x = np.asarray(x, dtype=np.float64)
    kind = _checked_kind(kind)
    if kind == "relu":
        return np.where(x > 0, 1.0, 0.0)
    if kind == "leaky_relu":
        return np.where(x > 0, 1.0, LEAKY_SLOPE)
    if kind == "sigmoid":
        s = _sigmoid(x)
        return s * (1.0 - s)  # in terms of the output: never exp of a large number
    if kind == "tanh":
        return 1.0 - np.tanh(x) ** 2
    # d/dx [x Phi(x)] = Phi(x) + x phi(x); exp(-x^2 / 2) underflows to 0 far out, which is right.
    return _normal_cdf(x) + x * np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def mse(y_true, y_pred) -> float:
    """Mean squared error: mean((y_pred - y_true) ** 2) over all elements, as a float.

    Example: mse([1.0, 2.0], [1.0, 4.0]) -> 2.0
    Raises ValueError unless y_true and y_pred have the same shape with at least one element.
    """
    r = _residuals(y_true, y_pred)
    return float(np.mean(r * r))


def mae(y_true, y_pred) -> float:
    """Mean absolute error: mean(|y_pred - y_true|) over all elements, as a float.

    Example: mae([1.0, 2.0], [1.0, 4.0]) -> 1.0
    Raises ValueError unless y_true and y_pred have the same shape with at least one element.
    """
    return float(np.mean(np.abs(_residuals(y_true, y_pred))))


def huber(y_true, y_pred, delta: float = 1.0) -> float:
    """Huber loss: the mean of r^2 / 2 where |r| <= delta and delta * (|r| - delta / 2) elsewhere, r = y_pred - y_true.

    Returns a float. Example: huber([0.0, 0.0], [0.5, 3.0]) -> 1.3125   ((0.125 + 2.5) / 2)
    Raises ValueError unless the shapes match with at least one element and delta > 0.
    """
    r = np.abs(_residuals(y_true, y_pred))
    delta = _checked_delta(delta)
    # Quadratic near 0, linear beyond delta: the two pieces meet with the same value and slope.
    return float(np.mean(np.where(r <= delta, 0.5 * r * r, delta * (r - 0.5 * delta))))


def loss_grad(y_true, y_pred, kind: str, delta: float = 1.0) -> np.ndarray:
    """The gradient of the loss `kind` (mse, mae or huber) with respect to y_pred: a float64 array shaped like y_pred.

    With r = y_pred - y_true and N elements: mse gives 2 r / N, mae sign(r) / N (0 where r = 0),
    huber clip(r, -delta, delta) / N.
    Example: loss_grad([1.0, 2.0], [1.0, 4.0], "mse") -> array([0., 2.])
    Raises ValueError for an unknown kind, mismatched shapes, no elements, or delta <= 0 (huber).
    """
    if kind not in LOSSES:
        raise ValueError(f"kind must be one of {LOSSES}, got {kind!r}")
    r = _residuals(y_true, y_pred)
    if kind == "mse":
        return 2.0 * r / r.size
    if kind == "mae":
        return np.sign(r) / r.size
    return np.clip(r, -_checked_delta(delta), _checked_delta(delta)) / r.size


def _sigmoid(x):
    # exp(-|x|) is in (0, 1]: it never overflows, for either sign of x.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _normal_cdf(x):
    return 0.5 * (1.0 + _erf(x / math.sqrt(2.0)))


def _checked_kind(kind):
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    return kind


def _checked_delta(delta):
    if not delta > 0:
        raise ValueError(f"delta must be > 0, got {delta}")
    return float(delta)


def _residuals(y_true, y_pred):
    """y_pred - y_true as float64, or ValueError when the shapes differ or there is nothing to average."""
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true {y_true.shape} and y_pred {y_pred.shape} must have the same shape")
    if y_true.size == 0:
        raise ValueError("y_true and y_pred must have at least one element")
    return y_pred - y_true
