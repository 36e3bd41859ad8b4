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
    # TODO: kernel_size is an int or a (kh, kw) pair. Raise ValueError for a size <= 0, a bool
    # where an int is expected, or groups not dividing both c_in and c_out. Keep to ints.
    raise NotImplementedError


def conv2d_output_shape(h: int, w: int, kernel_size: int | tuple[int, int], stride: int | tuple[int, int] = 1,
                        padding: int | tuple[int, int] = 0,
                        dilation: int | tuple[int, int] = 1) -> tuple[int, int]:
    """(height, width) of the output of a Conv2d with these settings on an h x w input.

    Example: conv2d_output_shape(32, 32, 3, stride=2, padding=1) -> (16, 16)
    """
    # TODO: each size is an int or a (height, width) pair. Raise ValueError for a size <= 0
    # (padding < 0), a bool, or a dilated kernel larger than the padded input.
    raise NotImplementedError
