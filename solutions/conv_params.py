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
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise ValueError(f"input_shape must be (C, H, W), got {input_shape!r}")
    channels, h, w = (_size(v, "input_shape") for v in input_shape)
    features = None  # set once a linear layer has run: the image is flattened from then on
    total = 0
    for index, layer in enumerate(layers):
        kind = _key(layer, "type", index)
        if kind in ("conv", "pool") and features is not None:
            raise ValueError(f"layers[{index}]: a {kind} layer cannot follow a linear layer")
        if kind == "conv":
            out_channels = _key(layer, "out_channels", index)
            total += conv2d_param_count(channels, out_channels, _key(layer, "kernel_size", index),
                                        groups=layer.get("groups", 1), bias=layer.get("bias", True))
            h, w = conv2d_output_shape(h, w, layer["kernel_size"], stride=layer.get("stride", 1),
                                       padding=layer.get("padding", 0), dilation=layer.get("dilation", 1))
            channels = out_channels
        elif kind == "pool":
            kernel = _key(layer, "kernel_size", index)
            # torch's pooling layers step by their kernel unless told otherwise: windows do not overlap
            h, w = conv2d_output_shape(h, w, kernel, stride=layer.get("stride", kernel),
                                       padding=layer.get("padding", 0))
        elif kind == "linear":
            n_in = channels * h * w if features is None else features  # flatten (C, H, W) on the first linear
            features = _size(_key(layer, "out_features", index), "out_features")
            total += n_in * features + (features if layer.get("bias", True) else 0)
        else:
            raise ValueError(f"layers[{index}]: unknown type {kind!r} (expected 'conv', 'pool' or 'linear')")
    return total


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


def _key(layer, key: str, index: int):
    """layer[key], or ValueError naming the layer."""
    if not isinstance(layer, dict) or key not in layer:
        raise ValueError(f"layers[{index}] must be a dict with a {key!r} key, got {layer!r}")
    return layer[key]
