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
    x, gamma, beta, running_mean, running_var = _checked(x, gamma, beta, running_mean, running_var, momentum, eps)
    axes = (0,) if x.ndim == 2 else (0, 2, 3)  # everything but the channel axis
    shape = (1, -1) + (1,) * (x.ndim - 2)  # broadcast a (C,) vector along the channel axis
    if training:
        count = x.size // x.shape[1]
        if count < 2:
            raise ValueError(f"training mode needs at least 2 values per channel, got {count} (x of shape {x.shape})")
        mean = x.mean(axis=axes)
        # two passes: the mean first, then the squared deviations (E[x^2] - E[x]^2 cancels for large x)
        var = ((x - mean.reshape(shape)) ** 2).mean(axis=axes)
        new_mean = (1.0 - momentum) * running_mean + momentum * mean
        new_var = (1.0 - momentum) * running_var + momentum * var * (count / (count - 1))
    else:
        mean, var = running_mean, running_var
        new_mean, new_var = running_mean.copy(), running_var.copy()
    y = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps) * gamma.reshape(shape) + beta.reshape(shape)
    return y, new_mean, new_var


def _checked(x, gamma, beta, running_mean, running_var, momentum, eps):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim not in (2, 4):
        raise ValueError(f"x must be (N, C) or (N, C, H, W), got shape {x.shape}")
    channels = x.shape[1]
    vectors = []
    for name, value in (("gamma", gamma), ("beta", beta), ("running_mean", running_mean),
                        ("running_var", running_var)):
        value = np.asarray(value, dtype=np.float64)
        if value.shape != (channels,):
            raise ValueError(f"{name} must have shape ({channels},) (one entry per channel), got {value.shape}")
        vectors.append(value)
    if np.any(vectors[3] < 0):
        raise ValueError("running_var must not be negative")
    if not 0.0 <= momentum <= 1.0:
        raise ValueError(f"momentum must be in [0, 1], got {momentum}")
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps}")
    return (x, *vectors)
