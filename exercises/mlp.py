"""A multilayer perceptron's forward pass, and a network built by hand that computes XOR.

An MLP is a stack of affine layers Z = A_prev @ W + b, with a nonlinearity g after every layer
but the last: A = g(Z). Here W has shape (d_in, d_out) (torch's nn.Linear stores the transpose,
(d_out, d_in)) and b shape (d_out,); X holds one example per row. Without the nonlinearity the
whole stack collapses into ONE affine map X @ W_total + b_total, which is why a linear network
can never compute XOR, and a 2-2-1 network with relu units can.
Building the network with torch.nn (nn.Linear, nn.Sequential, torch.nn.functional) is off limits.

Run `grade mlp` to check your work; stuck? `grade hint mlp`.
"""

import numpy as np

ACTIVATIONS = ("relu", "tanh", "sigmoid", "identity")


def mlp_forward(X, params, activation: str = "relu") -> np.ndarray:
    """The output (N, d_out) for inputs X (N, d_in); params is a list of (W (d_in, d_out), b (d_out,)).

    Every layer computes Z = A_prev @ W + b; every layer but the last then applies `activation`
    (one of "relu", "tanh", "sigmoid", "identity"); the last layer is linear. Raise ValueError for an
    unknown activation, X not 2-D, an empty params, or a layer whose W or b does not fit.
    Example: mlp_forward([[1.0, -2.0]], [(np.eye(2), np.zeros(2)), (np.ones((2, 1)), np.array([0.5]))])
    -> array([[1.5]])  (relu([1, -2]) = [1, 0]; 1 + 0 + 0.5)
    """
    # TODO: Z = A_prev @ W + b in every layer; apply the activation after every layer but the last.
    # Raise ValueError for an unknown activation or shapes that do not fit.
    raise NotImplementedError


def xor_params() -> list[tuple[np.ndarray, np.ndarray]]:
    """A 2-2-1 network [(W1 (2, 2), b1 (2,)), (W2 (2, 1), b2 (1,))], float64 arrays, computing XOR.

    mlp_forward(X, xor_params(), activation="relu") must give [[0.], [1.], [1.], [0.]] for
    X = [[0, 0], [0, 1], [1, 0], [1, 1]] (to 1e-9).
    Example: one hidden unit can count the ones (x1 + x2), another can fire only when both are on.
    """
    # TODO: choose W1, b1, W2, b2 by hand (small integers keep the outputs exact).
    raise NotImplementedError


def collapse_linear(params) -> tuple[np.ndarray, np.ndarray]:
    """The single layer (W (d_in, d_out), b (d_out,)) equal to the network with the identity activation.

    For every X: X @ W + b == mlp_forward(X, params, activation="identity"). Raise ValueError for an
    empty params or layers that do not fit together.
    Example: collapse_linear([(np.array([[2.0]]), np.array([1.0])), (np.array([[3.0]]), np.array([4.0]))])
    -> (array([[6.]]), array([7.]))  ((x * 2 + 1) * 3 + 4 = 6 x + 7)
    """
    # TODO: fold the layers one at a time: (X @ W1 + b1) @ W2 + b2 = X @ (W1 @ W2) + (b1 @ W2 + b2).
    raise NotImplementedError
