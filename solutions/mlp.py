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
    X, params = _checked(X, params, activation)
    A = X
    for layer, (W, b) in enumerate(params):
        Z = A @ W + b  # (N, d_out of this layer)
        A = Z if layer == len(params) - 1 else _activate(Z, activation)
    return A


def xor_params() -> list[tuple[np.ndarray, np.ndarray]]:
    """A 2-2-1 network [(W1 (2, 2), b1 (2,)), (W2 (2, 1), b2 (1,))], float64 arrays, computing XOR.

    mlp_forward(X, xor_params(), activation="relu") must give [[0.], [1.], [1.], [0.]] for
    X = [[0, 0], [0, 1], [1, 0], [1, 1]] (to 1e-9).
    Example: one hidden unit can count the ones (x1 + x2), another can fire only when both are on.
    """
    # Hidden unit 1 counts the ones, unit 2 fires (with 1) only for (1, 1): 1 * h1 - 2 * h2 is
    # 0, 1, 1, 2 - 2 = 0. Small integers: every output is exact in floating point.
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    b1 = np.array([0.0, -1.0])
    W2 = np.array([[1.0], [-2.0]])
    b2 = np.array([0.0])
    return [(W1, b1), (W2, b2)]


def collapse_linear(params) -> tuple[np.ndarray, np.ndarray]:
    """The single layer (W (d_in, d_out), b (d_out,)) equal to the network with the identity activation.

    For every X: X @ W + b == mlp_forward(X, params, activation="identity"). Raise ValueError for an
    empty params or layers that do not fit together.
    Example: collapse_linear([(np.array([[2.0]]), np.array([1.0])), (np.array([[3.0]]), np.array([4.0]))])
    -> (array([[6.]]), array([7.]))  ((x * 2 + 1) * 3 + 4 = 6 x + 7)
    """
    params = _layers(params)
    W_total, b_total = params[0]
    for W, b in params[1:]:
        # (X @ W_total + b_total) @ W + b: the earlier bias goes through every later W
        W_total, b_total = W_total @ W, b_total @ W + b
    return W_total, b_total


def _activate(Z, activation):
    if activation == "relu":
        return np.maximum(Z, 0.0)
    if activation == "tanh":
        return np.tanh(Z)
    if activation == "sigmoid":
        # exp(-|Z|) is in (0, 1]: no overflow when a unit saturates
        e = np.exp(-np.abs(Z))
        return np.where(Z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return Z


def _checked(X, params, activation):
    """(X as float64 (N, d_in), params as float64 (W, b) pairs), or ValueError naming the culprit."""
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (N, d_in), got shape {X.shape}")
    return X, _layers(params, width=X.shape[1])


def _layers(params, width=None):
    """params as float64 (W, b) pairs whose shapes chain (the first W has `width` rows, if given)."""
    if len(params) == 0:
        raise ValueError("params must hold at least one (W, b) layer")
    checked = []
    for layer, pair in enumerate(params):
        if len(pair) != 2:
            raise ValueError(f"params[{layer}] must be a pair (W, b)")
        W = np.asarray(pair[0], dtype=np.float64)
        b = np.asarray(pair[1], dtype=np.float64)
        if W.ndim != 2 or (width is not None and W.shape[0] != width):
            rows = "" if width is None else f" with {width} rows to match " + (
                "X's columns" if layer == 0 else f"the outputs of params[{layer - 1}]")
            raise ValueError(f"params[{layer}]: W must be 2-D{rows}, got shape {W.shape}")
        if b.shape != (W.shape[1],):
            raise ValueError(f"params[{layer}]: b must have shape ({W.shape[1]},), got {b.shape}")
        checked.append((W, b))
        width = W.shape[1]
    return checked
