"""Parameter count and output shape of a 2-D convolution layer, with integers only.

A conv layer has one filter per output channel; with `groups` the input channels are split
into groups and each filter sees only the C_in / groups channels of its own group. Its
output size counts how many places the dilated kernel fits in the padded input, moving by
the stride, separately for the height and the width.
    params = C_out * (C_in / groups) * k_h * k_w + (C_out if bias else 0)
    out    = floor((H + 2*padding - dilation*(k - 1) - 1) / stride) + 1
A whole CNN's count adds up its layers'; pooling has no parameters but shrinks the image, and
the first Linear layer reads the image flattened: C * H * W features at that point.

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


def cnn_param_count(input_shape: tuple[int, int, int], layers: list[dict]) -> int:
    """Number of learnable parameters of a small CNN run on inputs of shape input_shape = (C, H, W).

    layers are applied in order; each is a dict with a "type":
      {"type": "conv", "out_channels": int, "kernel_size": size, and optionally "stride" (default 1),
       "padding" (0), "dilation" (1), "groups" (1), "bias" (True)}: a Conv2d whose in_channels is the
       number of channels reaching it;
      {"type": "pool", "kernel_size": size, and optionally "stride" (default: kernel_size), "padding"
       (0)}: a max/avg pooling layer, no parameters, output size by the conv formula with dilation 1;
      {"type": "linear", "out_features": int, and optionally "bias" (True)}: a Linear layer reading
       the previous output flattened (C * H * W features) or the previous linear's out_features.
    Sizes are ints or (height, width) pairs, as above. Raise ValueError for an unknown type, a missing
    key, a value conv2d_param_count or conv2d_output_shape would reject (a kernel that does not fit
    the image reaching it included), an input_shape that is not three positive ints, and a conv or
    pool after a linear layer. No layers: 0.
    Example (LeNet-5): cnn_param_count((1, 32, 32), [
        {"type": "conv", "out_channels": 6, "kernel_size": 5}, {"type": "pool", "kernel_size": 2},
        {"type": "conv", "out_channels": 16, "kernel_size": 5}, {"type": "pool", "kernel_size": 2},
        {"type": "linear", "out_features": 120}, {"type": "linear", "out_features": 84},
        {"type": "linear", "out_features": 10}]) -> 61706  (156 + 2416 + 48120 + 10164 + 850)
    """
    # TODO: walk the layers keeping (channels, h, w), then the number of features after the first linear;
    # reuse conv2d_param_count and conv2d_output_shape. Keep to ints.
    raise NotImplementedError
