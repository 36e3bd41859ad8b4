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


def activation(x, kind: str) -> np.ndarray:
    """The activation `kind` (relu, leaky_relu, sigmoid, tanh or gelu) of x, elementwise: a float64 array shaped like x.

    Example: activation([-1.0, 0.0, 2.0], "relu") -> array([0., 0., 2.])
             activation([1.0], "gelu") -> array([0.84134475])
    No overflow warnings for |x| up to 1e3. Raises ValueError for any other kind.
    """
    # TODO: compute sigmoid without exp of a large positive number; gelu = x * Phi(x) with erf.
    raise NotImplementedError


def activation_grad(x, kind: str) -> np.ndarray:
    """The derivative of activation(x, kind) with respect to x, elementwise: a float64 array shaped like x.

    At x = 0 the relu derivative is 0 and the leaky_relu derivative is 0.01 (torch's convention).
    Example: activation_grad([-1.0, 0.0, 2.0], "relu") -> array([0., 0., 1.])
             activation_grad([0.0], "sigmoid") -> array([0.25])
    No overflow warnings for |x| up to 1e3. Raises ValueError for an unknown kind.
    """
    # TODO: write each derivative as a function of x.
    raise NotImplementedError


def mse(y_true, y_pred) -> float:
    """Mean squared error: mean((y_pred - y_true) ** 2) over all elements, as a float.

    Example: mse([1.0, 2.0], [1.0, 4.0]) -> 2.0
    Raises ValueError unless y_true and y_pred have the same shape with at least one element.
    """
    # TODO: raise ValueError for mismatched shapes or no elements.
    raise NotImplementedError


def mae(y_true, y_pred) -> float:
    """Mean absolute error: mean(|y_pred - y_true|) over all elements, as a float.

    Example: mae([1.0, 2.0], [1.0, 4.0]) -> 1.0
    Raises ValueError unless y_true and y_pred have the same shape with at least one element.
    """
    # TODO: raise ValueError for mismatched shapes or no elements.
    raise NotImplementedError


def huber(y_true, y_pred, delta: float = 1.0) -> float:
    """Huber loss: the mean of r^2 / 2 where |r| <= delta and delta * (|r| - delta / 2) elsewhere, r = y_pred - y_true.

    Returns a float. Example: huber([0.0, 0.0], [0.5, 3.0]) -> 1.3125   ((0.125 + 2.5) / 2)
    Raises ValueError unless the shapes match with at least one element and delta > 0.
    """
    # TODO: raise ValueError for mismatched shapes, no elements or delta <= 0.
    raise NotImplementedError


def loss_grad(y_true, y_pred, kind: str, delta: float = 1.0) -> np.ndarray:
    """The gradient of the loss `kind` (mse, mae or huber) with respect to y_pred: a float64 array shaped like y_pred.

    With r = y_pred - y_true and N elements: mse gives 2 r / N, mae sign(r) / N (0 where r = 0),
    huber clip(r, -delta, delta) / N.
    Example: loss_grad([1.0, 2.0], [1.0, 4.0], "mse") -> array([0., 2.])
    Raises ValueError for an unknown kind, mismatched shapes, no elements, or delta <= 0 (huber).
    """
    # TODO: divide by the number of elements N: these are gradients of means.
    raise NotImplementedError
