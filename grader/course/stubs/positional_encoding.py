"""Sinusoidal positional encoding, the position signal of the original Transformer.

Each pair of columns is a clock hand turning at its own speed: pair i turns by
w_i = base**(-2i/d_model) radians per position, fast hands for the first pairs, slow ones
for the last. PE[pos, 2i] = sin(pos / base**(2i/d_model)), PE[pos, 2i+1] = cos(pos / base**(2i/d_model)).

Run `grade positional_encoding` to check your work; stuck? `grade hint positional_encoding`.
"""

import numpy as np


def positional_encoding(n_positions: int, d_model: int, base: float = 10000.0) -> np.ndarray:
    """The (n_positions, d_model) table for positions 0 .. n_positions - 1, sin and cos interleaved.

    Example: positional_encoding(2, 2) -> array([[0., 1.], [0.84147098, 0.54030231]])
    """
    # TODO: raise ValueError for a negative n_positions or a d_model that is not positive and even;
    # n_positions = 0 gives an empty (0, d_model) array.
    raise NotImplementedError
