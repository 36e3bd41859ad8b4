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
    inputs = np.asarray(inputs, dtype=np.float64)
    weights = np.asarray(weights, dtype=np.float64)
    if inputs.ndim != 1 or inputs.size == 0:
        raise ValueError(f"inputs must be a non-empty 1-D array, got shape {inputs.shape}")
    if weights.shape != inputs.shape:
        raise ValueError(f"weights must have the shape of inputs {inputs.shape}, got {weights.shape}")
    # Strictly greater: a neuron exactly at its threshold stays silent.
    return 1 if float(inputs @ weights) + bias > threshold else 0


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
    X, y = _checked(X, y, lr, max_epochs)
    w = np.zeros(X.shape[1])
    b = 0.0
    errors = []
    for _ in range(max_epochs):
        wrong = 0
        for x_i, y_i in zip(X, y):
            predicted = 1 if float(x_i @ w) + b > 0 else 0
            if predicted != y_i:
                # y - p is +1 (missed a 1: move towards x) or -1 (false alarm: move away from x).
                step = lr * (y_i - predicted)
                w = w + step * x_i
                b += step
                wrong += 1
        errors.append(wrong)
        if wrong == 0:  # every example right: the weights will not change any more
            break
    return w, float(b), errors


def _checked(X, y, lr, max_epochs):
    """(X as float64 (m, n), y as ints in {0, 1}), or ValueError naming the argument."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"X must be 2-D (m, n) with m, n >= 1, got shape {X.shape}")
    y = np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},) to match X, got {y.shape}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must contain only the labels 0 and 1")
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr}")
    if max_epochs < 1:
        raise ValueError(f"max_epochs must be >= 1, got {max_epochs}")
    return X, y.astype(np.int64)
