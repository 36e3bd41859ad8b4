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
    X, params = _checked(X, params, activation)
    _, pre_activations = _forward_pass(X, params, activation)
    return pre_activations[-1]  # the last layer is linear: its output is its Z


def mlp_backward(X, Y, params, activation: str = "tanh") -> list[tuple[np.ndarray, np.ndarray]]:
    """The gradients [(dW, db), ...] of mean((Y_hat - Y)**2), one pair per layer, shaped like params.

    Example: mlp_backward([[1.0]], [[0.0]], [(np.array([[2.0]]), np.array([1.0]))]) -> [(array([[6.]]), array([6.]))]
    (Y_hat = 1 * 2 + 1 = 3, dL/dY_hat = 2 * (3 - 0) / 1 = 6)
    """
    X, params = _checked(X, params, activation)
    Y = np.asarray(Y, dtype=np.float64)
    n_out = params[-1][0].shape[1]
    if Y.shape != (X.shape[0], n_out):
        raise ValueError(f"Y must have shape {(X.shape[0], n_out)} like the network's output, got {Y.shape}")
    if Y.size == 0:
        raise ValueError("X and Y must have at least one row: the mean loss of an empty batch is undefined")
    inputs, pre_activations = _forward_pass(X, params, activation)
    # The loss averages over every element of Y, so each residual carries 2 / Y.size.
    dZ = 2.0 * (pre_activations[-1] - Y) / Y.size  # (N, d_out); last layer linear: dZ = dY_hat
    grads = []
    for layer in reversed(range(len(params))):
        W, _ = params[layer]
        # Z = A_prev @ W + b: each row contributes A_prev[n]^T dZ[n] to dW and dZ[n] to db.
        grads.append((inputs[layer].T @ dZ, dZ.sum(axis=0)))
        if layer > 0:  # back through W (N, d_in), then through the previous layer's activation
            dZ = (dZ @ W.T) * _derivative(pre_activations[layer - 1], activation)
    return grads[::-1]  # built from the last layer back; return in layer order



def numerical_grad(f, x, eps: float = 1e-6) -> np.ndarray:
    """The gradient of f at x by central differences, a float64 array shaped like x.

    Entry i is (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), where e_i is 1 at entry i of x and 0
    elsewhere. f takes a float64 array shaped like x and returns a float; x is a 1-D or 2-D
    array-like (a bias vector or a weight matrix; integers are converted to float) and is not
    modified. Raise ValueError for eps <= 0. Use it to check mlp_backward, one W or b at a time.
    Example: numerical_grad(lambda v: float(np.sum(v ** 2)), [1.0, -2.0]) -> array([ 2., -4.])  (to ~1e-9)
    """
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps}")
    x = np.array(x, dtype=np.float64)  # a float copy: an int array would truncate x + eps back to x
    grad = np.empty_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        # f gets fresh arrays: it can neither see nor change our x
        grad[index] = (float(f(x + step)) - float(f(x - step))) / (2.0 * eps)
    return grad

def _forward_pass(X, params, activation):
    """(the input A_prev of every layer, the pre-activation Z of every layer)."""
    inputs, pre_activations = [], []
    A = X
    for layer, (W, b) in enumerate(params):
        Z = A @ W + b  # (N, d_out of this layer)
        inputs.append(A)
        pre_activations.append(Z)
        if layer < len(params) - 1:
            A = _activate(Z, activation)
    return inputs, pre_activations


def _activate(Z, activation):
    if activation == "tanh":
        return np.tanh(Z)
    if activation == "relu":
        return np.maximum(Z, 0.0)
    return _sigmoid(Z)


def _derivative(Z, activation):
    """g'(Z) elementwise; relu'(0) = 0."""
    if activation == "tanh":
        return 1.0 - np.tanh(Z) ** 2  # from the activation's output, not from Z itself
    if activation == "relu":
        return (Z > 0).astype(np.float64)  # strict: a unit sitting exactly at 0 passes nothing back
    s = _sigmoid(Z)
    return s * (1.0 - s)


def _sigmoid(Z):
    # exp(-|Z|) is in (0, 1]: no overflow even when a unit saturates at |Z| ~ 1e3.
    e = np.exp(-np.abs(Z))
    return np.where(Z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _checked(X, params, activation):
    """(X as float64 (N, d_in), params as float64 (W, b) pairs), or ValueError naming the culprit."""
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (N, d_in), got shape {X.shape}")
    if len(params) == 0:
        raise ValueError("params must hold at least one (W, b) layer")
    checked = []
    width = X.shape[1]
    for layer, pair in enumerate(params):
        if len(pair) != 2:
            raise ValueError(f"params[{layer}] must be a pair (W, b)")
        W = np.asarray(pair[0], dtype=np.float64)
        b = np.asarray(pair[1], dtype=np.float64)
        if W.ndim != 2 or W.shape[0] != width:
            what = "X's columns" if layer == 0 else f"the {width} outputs of params[{layer - 1}]"
            raise ValueError(f"params[{layer}]: W must have shape ({width}, d_out) to match {what}, got {W.shape}")
        if b.shape != (W.shape[1],):
            raise ValueError(f"params[{layer}]: b must have shape ({W.shape[1]},), got {b.shape}")
        checked.append((W, b))
        width = W.shape[1]
    return X, checked
