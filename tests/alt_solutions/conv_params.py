"""A correct conv_params module written differently: counts per group in numpy int64, and the
output size as the number of window starts, ceil((L - span + 1) / s), returned as numpy ints."""

import operator

import numpy as np


def _check_int(value, name, low):
    if type(value) is bool or isinstance(value, np.bool_):
        raise ValueError(f"{name}: expected an int, got a bool")
    try:
        number = operator.index(value)
    except TypeError:
        raise ValueError(f"{name}: expected an int, got {type(value).__name__}") from None
    if number < low:
        raise ValueError(f"{name}: must be at least {low}")
    return number


def _two(value, name, low=1):
    items = list(value) if isinstance(value, (tuple, list)) else [value, value]
    if len(items) != 2:
        raise ValueError(f"{name}: expected an int or two ints")
    return [_check_int(v, name, low) for v in items]


def conv2d_param_count(c_in, c_out, kernel_size, groups=1, bias=True):
    c_in = _check_int(c_in, "c_in", 1)
    c_out = _check_int(c_out, "c_out", 1)
    kernel = _two(kernel_size, "kernel_size")
    groups = _check_int(groups, "groups", 1)
    in_per_group, rest_in = divmod(c_in, groups)
    out_per_group, rest_out = divmod(c_out, groups)
    if rest_in or rest_out:
        raise ValueError("groups: must divide c_in and c_out")
    # One block per group: out_per_group filters of shape (in_per_group, kh, kw), plus biases.
    per_group = np.prod(np.array([out_per_group, in_per_group, *kernel], dtype=np.int64))
    if bias:
        per_group = per_group + np.int64(out_per_group)
    total = np.int64(0)
    for _ in range(groups):
        total = total + per_group
    return total


def conv2d_output_shape(h, w, kernel_size, stride=1, padding=0, dilation=1):
    lengths = [_check_int(h, "h", 1), _check_int(w, "w", 1)]
    ks, ss = _two(kernel_size, "kernel_size"), _two(stride, "stride")
    ps, ds = _two(padding, "padding", 0), _two(dilation, "dilation")
    result = []
    for axis in range(2):
        padded = lengths[axis] + 2 * ps[axis]
        span = ds[axis] * (ks[axis] - 1) + 1
        starts = padded - span + 1  # positions where the dilated kernel can start with stride 1
        if starts < 1:
            raise ValueError("kernel_size: does not fit in the padded input")
        result.append(np.int64(-(-starts // ss[axis])))  # keep every stride-th start: ceil(starts / s)
    return tuple(result)


_NO_DEFAULT = object()


def _get(spec, key, i, default=_NO_DEFAULT):
    try:
        return spec[key]
    except (KeyError, TypeError):
        if default is _NO_DEFAULT:
            raise ValueError("layers[%d] needs %r" % (i, key)) from None
        return default


def cnn_param_count(input_shape, layers):
    """Shapes tracked as a tuple that becomes a 1-tuple (features,) after flattening; counts summed at the end."""
    if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 3:
        raise ValueError("input_shape must have three entries")
    shape = tuple(_check_int(v, "input_shape", 1) for v in input_shape)
    counts = []
    for i, spec in enumerate(layers):
        kind = _get(spec, "type", i)
        if kind not in ("conv", "pool", "linear"):
            raise ValueError("layers[%d]: bad type" % i)
        if kind != "linear" and len(shape) == 1:
            raise ValueError("layers[%d]: the image was flattened by a linear layer" % i)
        if kind == "linear":
            n_out = _check_int(_get(spec, "out_features", i), "out_features", 1)
            n_in = 1
            for d in shape:
                n_in *= d
            counts.append(n_in * n_out + n_out * bool(_get(spec, "bias", i, True)))
            shape = (n_out,)
            continue
        k = _get(spec, "kernel_size", i)
        if kind == "conv":
            c_out = _get(spec, "out_channels", i)
            counts.append(conv2d_param_count(shape[0], c_out, k, _get(spec, "groups", i, 1),
                                             _get(spec, "bias", i, True)))
            hw = conv2d_output_shape(shape[1], shape[2], k, _get(spec, "stride", i, 1), _get(spec, "padding", i, 0),
                                     _get(spec, "dilation", i, 1))
            shape = (c_out,) + tuple(hw)
        else:
            hw = conv2d_output_shape(shape[1], shape[2], k, _get(spec, "stride", i, k), _get(spec, "padding", i, 0))
            shape = (shape[0],) + tuple(hw)
    return sum(counts)
