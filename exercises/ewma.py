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
    # TODO: raise ValueError unless 0 <= beta < 1; an empty x gives an empty array;
    #       divide by 1 - beta**t only when bias_correction is True (t counts from 1).
    raise NotImplementedError


def adam_step(param, grad, m, v, t: int, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
              eps: float = 1e-8) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One Adam update: (new param, new m, new v), float64 arrays shaped like param; t counts steps from 1.

    m_t = beta1 * m + (1 - beta1) * grad,  v_t = beta2 * v + (1 - beta2) * grad**2,
    m_hat = m_t / (1 - beta1**t),  v_hat = v_t / (1 - beta2**t),
    new param = param - lr * m_hat / (sqrt(v_hat) + eps)   (eps outside the square root, as torch.optim.Adam).
    m and v are the averages after step t - 1 (zeros before the first step); new arrays are returned.

    Example: adam_step([1.0], [2.0], [0.0], [0.0], t=1, lr=0.1) -> (array([0.9]), array([0.2]), array([0.004]))
    """
    # TODO: ValueError if param, grad, m and v differ in shape, if t is not an int >= 1 (a bool is
    #       not an int), or if beta1 or beta2 is outside [0, 1). Do not change the arrays passed in.
    raise NotImplementedError
