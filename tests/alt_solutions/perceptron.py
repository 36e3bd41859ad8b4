"""A correct perceptron written differently: plain Python lists and an augmented weight vector [w..., b]."""

import numpy as np


def neuron_fire(inputs, weights, bias, threshold=0.0):
    inputs, weights = np.array(inputs, dtype=float), np.array(weights, dtype=float)
    if len(inputs.shape) != 1 or len(inputs) < 1 or weights.shape != inputs.shape:
        raise ValueError("inputs and weights must be 1-D arrays of one length")
    total = sum(float(a) * float(b) for a, b in zip(inputs, weights))
    return int(total - threshold + bias > 0)


def perceptron_train(X, y, lr=1.0, max_epochs=100):
    rows = np.array(X, dtype=float)
    labels = list(np.array(y).ravel()) if np.ndim(y) == 1 else None
    if rows.ndim != 2 or 0 in rows.shape or labels is None or len(labels) != len(rows):
        raise ValueError("X must be (m, n) with m, n >= 1 and y must have m labels")
    if any(label not in (0, 1) for label in labels):
        raise ValueError("labels must be 0 or 1")
    if lr <= 0 or max_epochs < 1:
        raise ValueError("lr must be positive and max_epochs at least 1")
    augmented = [list(map(float, row)) + [1.0] for row in rows]
    theta = [0.0] * (rows.shape[1] + 1)
    history = []
    epoch = 0
    while epoch < max_epochs:
        epoch += 1
        mistakes = 0
        for row, label in zip(augmented, labels):
            guess = 1 if sum(t * v for t, v in zip(theta, row)) > 0 else 0
            delta = lr * (int(label) - guess)
            if delta:
                theta = [t + delta * v for t, v in zip(theta, row)]
                mistakes += 1
        history.append(mistakes)
        if not mistakes:
            break
    return np.array(theta[:-1]), theta[-1], history
