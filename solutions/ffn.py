"""The position-wise feed-forward block of a transformer layer.

Every position (token) of every sequence goes through the same two-layer network on its
own: a linear map up to F hidden units, a ReLU, a linear map back down to D. Nothing mixes
positions, so the block treats a sequence exactly as it treats each token alone.
    ffn(x) = max(0, x W1 + b1) W2 + b2      for x (B, T, D), W1 (D, F), b1 (F,), W2 (F, D), b2 (D,)
Weights are stored (in, out) and applied as x @ W (torch's nn.Linear stores them transposed).
Forbidden (they do the exercise): torch.nn.Linear, torch.nn.functional.linear, torch.nn.Sequential.

Run `grade ffn` to check your work; stuck? `grade hint ffn`.
"""

import numpy as np


def ffn(x, w1, b1, w2, b2) -> np.ndarray:
    """The (B, T, D) output of max(0, x @ w1 + b1) @ w2 + b2 for x (B, T, D), w1 (D, F), b1 (F,), w2 (F, D), b2 (D,).

    Example: ffn([[[1.0, -1.0]]], [[1.0], [0.0]], [0.5], [[2.0, -1.0]], [0.0, 1.0]) -> array([[[ 3. , -0.5]]])
    """
    x, w1, b1, w2, b2 = _checked(x, w1, b1, w2, b2)
    # matmul acts on the last axis only, so every (b, t) position gets the same network and
    # positions never mix: that is what "position-wise" means.
    hidden = np.maximum(x @ w1 + b1, 0.0)  # (B, T, F)
    return hidden @ w2 + b2  # (B, T, D)


def ffn_param_count(d_model: int, d_ff: int) -> int:
    """The number of learnable parameters (weights and biases) of the block, as an int.

    Example: ffn_param_count(512, 2048) -> 2099712
    """
    for name, value in (("d_model", d_model), ("d_ff", d_ff)):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    d, f = int(d_model), int(d_ff)
    # w1 and w2 hold D*F weights each; b1 has one bias per hidden unit, b2 one per output.
    return 2 * d * f + f + d


def _checked(x, w1, b1, w2, b2):
    x, w1, b1, w2, b2 = (np.asarray(a, dtype=np.float64) for a in (x, w1, b1, w2, b2))
    if x.ndim != 3:
        raise ValueError(f"x must be 3-D (B, T, D), got shape {x.shape}")
    d = x.shape[-1]
    if w1.ndim != 2 or w1.shape[0] != d:
        raise ValueError(f"w1 must have shape ({d}, F), got {w1.shape}")
    f = w1.shape[1]
    expected = {"b1": (b1, (f,)), "w2": (w2, (f, d)), "b2": (b2, (d,))}
    for name, (array, shape) in expected.items():
        if array.shape != shape:
            raise ValueError(f"{name} must have shape {shape}, got {array.shape}")
    return x, w1, b1, w2, b2
