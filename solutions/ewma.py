"""Exponentially weighted moving averages, with the bias correction Adam uses.

Each average keeps beta of the previous one and mixes in (1 - beta) of the new point, so old
points fade geometrically. Starting from 0 drags the first averages towards 0; dividing by
1 - beta**t (the total weight the first t points received) undoes exactly that.
v_0 = 0, v_t = beta * v_{t-1} + (1 - beta) * x_t, corrected: v_t / (1 - beta**t), t = 1 .. T.
Adam keeps two such averages, of the gradient (m, beta1) and of its square (v, beta2), corrects
both, and steps each parameter by lr * m_hat / (sqrt(v_hat) + eps): about lr, whatever the scale.
Forbidden (they do the exercise): pandas' ewm, and torch.optim (its Adam) in adam_step.

Run `grade ewma` to check your work; stuck? `grade hint ewma`.
"""

import numpy as np


def ewma(x, beta: float, bias_correction: bool = True) -> np.ndarray:
    """The (T,) exponentially weighted averages of the series x (T,), v_0 = 0, beta in [0, 1).

    Example: ewma([1.0, 2.0], 0.5, bias_correction=False) -> array([0.5, 1.25])
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"x must be a 1-D series, got shape {x.shape}")
    beta = float(beta)
    # beta = 1 would never let a new point in (and 1 - beta**t = 0); "not <" also rejects NaN.
    if not 0.0 <= beta < 1.0:
        raise ValueError(f"beta must be in [0, 1), got {beta!r}")
    v = _running_average(x, beta)
    if not bias_correction:
        return v
    # t counts from 1: after t points the weights sum to 1 - beta**t, never 0 since beta < 1.
    # beta**t underflowing to 0 for long series is harmless: the correction becomes 1.
    t = np.arange(1, len(x) + 1, dtype=np.float64)
    return v / (1.0 - beta**t)


def adam_step(param, grad, m, v, t: int, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
              eps: float = 1e-8) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One Adam update: (new param, new m, new v), float64 arrays shaped like param; t counts steps from 1.

    m_t = beta1 * m + (1 - beta1) * grad,  v_t = beta2 * v + (1 - beta2) * grad**2,
    m_hat = m_t / (1 - beta1**t),  v_hat = v_t / (1 - beta2**t),
    new param = param - lr * m_hat / (sqrt(v_hat) + eps)   (eps outside the square root, as torch.optim.Adam).
    m and v are the averages after step t - 1 (zeros before the first step); new arrays are returned.

    Example: adam_step([1.0], [2.0], [0.0], [0.0], t=1, lr=0.1) -> (array([0.9]), array([0.2]), array([0.004]))
    """
    param, grad, m, v = (np.asarray(a, dtype=np.float64) for a in (param, grad, m, v))
    if not param.shape == grad.shape == m.shape == v.shape:
        raise ValueError(f"param, grad, m and v must share a shape, got {param.shape}, {grad.shape}, {m.shape}, "
                         f"{v.shape}")
    if isinstance(t, (bool, np.bool_)) or not isinstance(t, (int, np.integer)) or t < 1:
        raise ValueError(f"t must be an int >= 1 (the step count, from 1), got {t!r}")
    for name, beta in (("beta1", beta1), ("beta2", beta2)):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"{name} must be in [0, 1), got {beta!r}")
    # The two EWMAs of this topic, one of the gradient and one of its square; new arrays, never in place.
    m = beta1 * m + (1.0 - beta1) * grad
    v = beta2 * v + (1.0 - beta2) * grad**2
    m_hat = m / (1.0 - beta1**t)
    v_hat = v / (1.0 - beta2**t)
    # sqrt(v_hat) is the gradient's scale: the step is about lr whatever that scale is.
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def _running_average(x: np.ndarray, beta: float) -> np.ndarray:
    """The uncorrected averages v_1 .. v_T of the recursion started at v_0 = 0."""
    # The recursion is sequential, so loop. The closed form beta**t * cumsum(x * beta**-t)
    # looks vectorised but overflows: 0.5**-10000 is inf. The loop only ever shrinks v.
    v = np.empty(x.shape, dtype=np.float64)
    previous = 0.0
    for t, value in enumerate(x.tolist()):
        previous = beta * previous + (1.0 - beta) * value
        v[t] = previous
    return v
