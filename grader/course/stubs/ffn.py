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
    # TODO: ValueError unless x is 3-D and w1 (D, F), b1 (F,), w2 (F, D), b2 (D,) fit together;
    #       one matrix product per layer handles every position at once (no loop over tokens).
    raise NotImplementedError


def ffn_param_count(d_model: int, d_ff: int) -> int:
    """The number of learnable parameters (weights and biases) of the block, as an int.

    Example: ffn_param_count(512, 2048) -> 2099712
    """
    # TODO: ValueError unless d_model and d_ff are positive ints (a bool is not an int);
    #       count w1, b1, w2 and b2.
    raise NotImplementedError
