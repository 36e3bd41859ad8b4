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
