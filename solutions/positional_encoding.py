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
    n_positions = _size(n_positions, "n_positions")
    d_model = _size(d_model, "d_model")
    # The columns come in (sin, cos) pairs, so an odd width has a column with no partner.
    if d_model <= 0 or d_model % 2 != 0:
        raise ValueError(f"d_model must be a positive even integer, got {d_model}")
    positions = np.arange(n_positions, dtype=np.float64)[:, None]  # (n, 1)
    # One frequency per pair: the exponent uses the pair's first column 2i, shared by sin and cos.
    frequencies = float(base) ** (-np.arange(0, d_model, 2, dtype=np.float64) / d_model)  # (d/2,)
    angles = positions * frequencies  # (n, d/2)
    pe = np.empty((n_positions, d_model), dtype=np.float64)
    pe[:, 0::2] = np.sin(angles)  # even columns
    pe[:, 1::2] = np.cos(angles)  # odd columns: the cos of the same angle
    return pe


def _size(value, name: str) -> int:
    """value as a non-negative int, or ValueError naming the argument."""
    # bool is an int in Python, but True positions is a bug, not a size.
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")
    return int(value)
