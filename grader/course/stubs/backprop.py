"""Backpropagation through a small multilayer perceptron, by hand.

Each layer computes Z = A_prev @ W + b; hidden layers then apply A = g(Z) (tanh, relu or
sigmoid), the last layer is linear, and the loss is L = mean((Y_hat - Y)**2) over all elements.
Backprop runs the chain rule from the loss back to the input, one layer at a time:
dZ = dA * g'(Z), dW = A_prev^T @ dZ, db = sum of dZ over the rows, dA_prev = dZ @ W^T,
starting from dL/dY_hat = 2 (Y_hat - Y) / Y.size. relu'(0) counts as 0.
Automatic differentiation (torch.autograd, a tensor's .backward(), torch.func, jax) is off limits;
the grader flags any method called `backward`, so give your own helpers other names.
To check a gradient, compare it with central differences (f(x + eps) - f(x - eps)) / (2 eps),
one entry at a time: exact for quadratics, error ~eps^2 otherwise (library finite differences,
scipy.optimize.approx_fprime / check_grad, scipy.differentiate, numdifftools, are off limits).

Run `grade backprop` to check your work; stuck? `grade hint backprop`.
"""

import numpy as np

ACTIVATIONS = ("tanh", "relu", "sigmoid")


def mlp_forward(X, params, activation: str = "tanh") -> np.ndarray:
    """The network's output Y_hat (N, d_out) for inputs X (N, d_in); params is a list of (W, b).

    Example: mlp_forward([[0.0]], [(np.array([[1.0]]), np.array([1.0])), (np.array([[2.0]]), np.array([0.0]))])
    -> array([[1.52318831]])  (tanh(0 * 1 + 1) * 2 + 0)
    """
    # TODO: Z = A_prev @ W + b in every layer; apply the activation after every layer but the last.
    raise NotImplementedError


def mlp_backward(X, Y, params, activation: str = "tanh") -> list[tuple[np.ndarray, np.ndarray]]:
    """The gradients [(dW, db), ...] of mean((Y_hat - Y)**2), one pair per layer, shaped like params.

    Example: mlp_backward([[1.0]], [[0.0]], [(np.array([[2.0]]), np.array([1.0]))]) -> [(array([[6.]]), array([6.]))]
    (Y_hat = 1 * 2 + 1 = 3, dL/dY_hat = 2 * (3 - 0) / 1 = 6)
    """
    # TODO: run the forward pass keeping each layer's input and Z, then go back from the last layer.
    # Raise ValueError for an unknown activation or shapes that do not fit together.
    raise NotImplementedError


def numerical_grad(f, x, eps: float = 1e-6) -> np.ndarray:
    """The gradient of f at x by central differences, a float64 array shaped like x.

    Entry i is (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), where e_i is 1 at entry i of x and 0
    elsewhere. f takes a float64 array shaped like x and returns a float; x is a 1-D or 2-D
    array-like (a bias vector or a weight matrix; integers are converted to float) and is not
    modified. Raise ValueError for eps <= 0. Use it to check mlp_backward, one W or b at a time.
    Example: numerical_grad(lambda v: float(np.sum(v ** 2)), [1.0, -2.0]) -> array([ 2., -4.])  (to ~1e-9)
    """
    # TODO: for every entry of a float copy of x, nudge it up and down by eps and difference f's values.
    raise NotImplementedError
