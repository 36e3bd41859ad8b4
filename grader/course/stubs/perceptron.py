"""A single neuron with a threshold, and the perceptron learning rule.

A neuron fires (outputs 1) when the weighted sum of its inputs plus a bias exceeds a
threshold: fire = 1 if inputs . weights + bias > threshold, else 0. The perceptron learns
weights from labelled examples one at a time: when it gets an example wrong, it moves the
weights towards (label 1) or away from (label 0) that example. It reaches zero errors
whenever a line (hyperplane) separates the classes (AND, OR), and never on XOR.
Write it with numpy: scikit-learn (its Perceptron) and torch.nn are not allowed here.

Run `grade perceptron` to check your work; stuck? `grade hint perceptron`.
"""

import numpy as np


def neuron_fire(inputs, weights, bias: float, threshold: float = 0.0) -> int:
    """1 if inputs . weights + bias > threshold (strictly), else 0, as an int (not a bool); inputs and weights are (n,).

    Example: neuron_fire([1.0, 1.0], [1.0, 1.0], -1.5) -> 1   (1 + 1 - 1.5 = 0.5 > 0)
    At the threshold the neuron does not fire: neuron_fire([1.0], [1.0], 0.0, threshold=1.0) -> 0.
    Raises ValueError unless inputs and weights are 1-D with the same length n >= 1.
    """
    # TODO: return a Python int (0 or 1), not a bool.
    raise NotImplementedError


def perceptron_train(X, y, lr: float = 1.0, max_epochs: int = 100) -> tuple[np.ndarray, float, list[int]]:
    """Train a perceptron on X (m, n) with labels y (m,) in {0, 1}; return (w (n,), b, errors).

    Start from w = 0, b = 0. An epoch visits the rows in order i = 0, ..., m - 1: predict
    p = 1 if X[i] . w + b > 0 else 0; if p != y[i], update w += lr * (y[i] - p) * X[i] and
    b += lr * (y[i] - p), and count one error. errors[e] is the number of errors during epoch e.
    Training stops after the first epoch with no errors, or after max_epochs epochs, so
    errors has between 1 and max_epochs entries (ints). w is a float64 array, b a float.

    Example: perceptron_train([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 0, 0, 1])
             -> (array([2., 1.]), -2.0, [1, 3, 3, 2, 1, 0])   (AND is learned in 6 epochs)
    Raises ValueError unless X is 2-D with at least one row and one column, y has shape (m,)
    with every label 0 or 1, lr > 0 and max_epochs >= 1.
    """
    # TODO: update right after each wrong prediction (not at the end of the epoch); do not mutate X or y.
    raise NotImplementedError
