"""A correct ewma written differently from the reference: the weighted-average form.

The bias-corrected average is sum_i beta**(t-i) x_i / sum_i beta**(t-i), kept as a running
numerator and denominator; the uncorrected one is (1 - beta) times the numerator.
"""

import numpy as np


def ewma(x, beta, bias_correction=True):
    if not (isinstance(beta, (int, float)) and 0 <= beta < 1):
        raise ValueError("beta must be a number in [0, 1)")
    values = [float(v) for v in np.ravel(np.array(x, dtype=float))]
    out = []
    numerator = denominator = 0.0
    for value in values:
        numerator = beta * numerator + value
        denominator = beta * denominator + 1.0
        out.append(numerator / denominator if bias_correction else (1 - beta) * numerator)
    return np.array(out, dtype=float)


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """torch.optim.Adam's arrangement: step size lr / (1 - beta1**t), denominator sqrt(v) / sqrt(1 - beta2**t) + eps."""
    param, grad, m, v = (np.array(a, dtype=float) for a in (param, grad, m, v))
    if len({param.shape, grad.shape, m.shape, v.shape}) != 1:
        raise ValueError("param, grad, m and v must have one shape")
    if type(t) is not int or t < 1 or not (0 <= beta1 < 1 and 0 <= beta2 < 1):
        raise ValueError("t must be an int >= 1 and the betas in [0, 1)")
    m += (1 - beta1) * (grad - m)  # the copies made above are ours to update in place
    v += (1 - beta2) * (grad * grad - v)
    step_size = lr / (1 - beta1**t)
    denominator = np.sqrt(v) / np.sqrt(1 - beta2**t) + eps
    return param - step_size * m / denominator, m, v
