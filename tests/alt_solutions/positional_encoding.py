"""A correct positional encoding written differently from the reference.

Frequencies by exp(-2i * log(base) / d) (the torch route), and rows built one after the
other by rotating the previous row (complex multiplication), never calling sin(pos * w).
"""

import cmath
import math

import numpy as np


def positional_encoding(n_positions, d_model, base=10000.0):
    if not isinstance(d_model, int) or d_model < 1 or d_model % 2 == 1:
        raise ValueError("d_model must be a positive even number")
    if not isinstance(n_positions, int) or n_positions < 0:
        raise ValueError("n_positions must be a non-negative integer")
    pairs = d_model // 2
    steps = [cmath.exp(1j * math.exp(-2 * i * math.log(base) / d_model)) for i in range(pairs)]
    table = np.zeros((n_positions, d_model))
    hands = [complex(1.0, 0.0)] * pairs  # e^{i * pos * w_i}, starting at pos = 0
    for pos in range(n_positions):
        for i in range(pairs):
            table[pos, 2 * i] = hands[i].imag  # sin
            table[pos, 2 * i + 1] = hands[i].real  # cos
        # one step turns every hand by its own angle; rounding grows only ~1e-16 per row
        hands = [h * s for h, s in zip(hands, steps)]
    return table
