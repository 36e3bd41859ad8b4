"""Parameter count and output shape of a 2-D convolution layer, with integers only.

A conv layer has one filter per output channel; with `groups` the input channels are split
into groups and each filter sees only the C_in / groups channels of its own group. Its
output size counts how many places the dilated kernel fits in the padded input, moving by
the stride, separately for the height and the width.
    params = C_out * (C_in / groups) * k_h * k_w + (C_out if bias else 0)
    out    = floor((H + 2*padding - dilation*(k - 1) - 1) / stride) + 1

Run `grade conv_params` to check your work; stuck? `grade hint conv_params`.
"""

import numpy as np


def conv2d_param_count(c_in: int, c_out: int, kernel_size: int | tuple[int, int], groups: int = 1,
                       bias: bool = True) -> int:
    """Number of learnable parameters (weights + biases) of Conv2d(c_in, c_out, kernel_size, groups, bias).

    Example: conv2d_param_count(3, 64, 3) -> 1792
    """
    c_in = _size(c_in, "c_in")
    c_out = _size(c_out, "c_out")
    kh, kw = _pair(kernel_size, "kernel_size")
    groups = _size(groups, "groups")
    if c_in % groups or c_out % groups:
        raise ValueError(f"groups ({groups}) must divide both c_in ({c_in}) and c_out ({c_out})")
    # Each output channel has one (c_in // groups, kh, kw) filter and one bias.
    # Integer arithmetic only: Python ints are exact at any size, floats only below 2**53.
    weights = c_out * (c_in // groups) * kh * kw
    return weights + (c_out if bias else 0)


def conv2d_output_shape(h: int, w: int, kernel_size: int | tuple[int, int], stride: int | tuple[int, int] = 1,
                        padding: int | tuple[int, int] = 0,
                        dilation: int | tuple[int, int] = 1) -> tuple[int, int]:
    """(height, width) of the output of a Conv2d with these settings on an h x w input.

    Example: conv2d_output_shape(32, 32, 3, stride=2, padding=1) -> (16, 16)
    """
    sides = _per_side(h, w, kernel_size, stride, padding, dilation)
    out = []
    for side, (size, k, s, p, d) in zip(("height", "width"), sides):
        span = d * (k - 1) + 1  # the dilated kernel covers this many input positions
        if span > size + 2 * p:
            raise ValueError(f"kernel_size: the dilated kernel ({span}) is larger than the padded input "
                             f"{side} ({size + 2 * p})")
        # Start positions 0, s, 2s, ... up to (padded size - span): floor division, then +1 for the first.
        out.append((size + 2 * p - span) // s + 1)
    return out[0], out[1]


def _per_side(h, w, kernel_size, stride, padding, dilation) -> list[tuple[int, int, int, int, int]]:
    """[(h, kh, sh, ph, dh), (w, kw, sw, pw, dw)]: the settings of each side, validated."""
    return list(zip((_size(h, "h"), _size(w, "w")), _pair(kernel_size, "kernel_size"), _pair(stride, "stride"),
                    _pair(padding, "padding", minimum=0), _pair(dilation, "dilation")))


def _size(value, name: str, minimum: int = 1) -> int:
    """value as a Python int >= minimum, or ValueError naming the argument (a bool is not a size)."""
    # bool is a subclass of int: True would silently count as 1.
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an int, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return int(value)  # a Python int never overflows, unlike np.int64


def _pair(value, name: str, minimum: int = 1) -> tuple[int, int]:
    """An int or a (height, width) pair, as a pair of Python ints >= minimum."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or a pair (height, width), got {value!r}")
        return _size(value[0], name, minimum), _size(value[1], name, minimum)
    size = _size(value, name, minimum)
    return size, size
