"""Batch normalization: normalise every channel with statistics of the batch, then scale and shift.

In training mode each channel c is normalised with the mean and the (biased, 1/M) variance of its
M values in the batch: y = gamma * (x - mean) / sqrt(var + eps) + beta, and running averages of
those statistics are kept for inference: running = (1 - momentum) * running + momentum * batch
value, where the running variance takes the UNBIASED batch variance (M / (M - 1) times the
biased one), as torch does. In inference mode the running statistics replace the batch ones, so
each example is normalised on its own. x is (N, C) or (N, C, H, W); for images a channel's M
values are all its N * H * W entries. Library batch norm (torch.nn.functional.batch_norm,
torch.nn.BatchNorm*, torch.batch_norm, sklearn.preprocessing) is off limits.

Run `grade batchnorm` to check your work; stuck? `grade hint batchnorm`.
"""

import numpy as np


def batchnorm(x, gamma, beta, running_mean, running_var, training: bool = True, momentum: float = 0.1,
              eps: float = 1e-5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(y shaped like x, new running_mean (C,), new running_var (C,)) for x of shape (N, C) or (N, C, H, W).

    gamma, beta, running_mean and running_var have shape (C,). Training: y uses the batch mean and
    the biased batch variance per channel; new_running_mean = (1 - momentum) * running_mean +
    momentum * batch mean; new_running_var = (1 - momentum) * running_var + momentum * unbiased
    batch variance (divided by M - 1, M = N * H * W values per channel). Inference (training=False):
    y uses running_mean and running_var, which come back unchanged (as copies). The inputs are
    never modified: new arrays are returned. Raise ValueError for x not 2-D or 4-D, a parameter
    not of shape (C,), a negative entry in running_var, momentum outside [0, 1], eps <= 0, and,
    in training mode, fewer than 2 values per channel (M < 2).
    Example: batchnorm([[1.0], [3.0]], [1.0], [0.0], [0.0], [1.0], eps=1e-12)
    -> (array([[-1.], [1.]]), array([0.2]), array([1.1]))  (mean 2, variances 1 and 2)
    """
    # TODO: per-channel statistics over every axis but axis 1; normalise, scale, shift;
    # update the running statistics in training mode (unbiased variance there), copy them otherwise.
    # Raise ValueError for the bad inputs listed above.
    raise NotImplementedError
