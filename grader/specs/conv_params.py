"""Checks for conv2d_param_count, conv2d_output_shape (DESIGN.md, topic conv_params) and cnn_param_count."""

import math

import numpy as np
from hypothesis import strategies as st

from grader.judging import render
from grader.judging.checks import Failure, Spec
from grader.judging.expect import expect_value_error, int_contract, tuple_contract

SPEC = Spec(
    "conv_params",
    functions=("conv2d_param_count", "conv2d_output_shape", "cnn_param_count"),
    # Building the layer (or running it) to read off the answer is the exercise done for you.
    forbidden=("torch.nn", "torch.nn.functional"),
)
ref = SPEC.reference


def size_or_pair(sizes):
    """An int or a (height, width) pair of ints, both drawn from `sizes`."""
    return st.one_of(sizes, st.tuples(sizes, sizes))


def as_pair(value) -> tuple[int, int]:
    return tuple(value) if isinstance(value, tuple) else (value, value)


@st.composite
def layers(draw, per_group=st.integers(1, 6), kernels=st.integers(1, 7)):
    """A valid Conv2d: groups divide c_in and c_out; defaults sometimes left out."""
    groups = draw(st.integers(1, 4))
    layer = dict(c_in=groups * draw(per_group), c_out=groups * draw(per_group),
                 kernel_size=draw(size_or_pair(kernels)))
    bias = draw(st.booleans())
    if groups != 1 or draw(st.booleans()):  # groups=1 and bias=True are the defaults
        layer["groups"] = groups
    if not bias or draw(st.booleans()):
        layer["bias"] = bias
    return layer


@st.composite
def conv_inputs(draw, sizes=st.integers(0, 20), kernels=st.integers(1, 5), strides=st.integers(1, 4),
                paddings=st.integers(0, 3), dilations=st.integers(1, 3)):
    """A valid call: the dilated kernel always fits in the padded input; defaults sometimes left out."""
    settings = dict(kernel_size=draw(size_or_pair(kernels)))
    for name, values, default in (("stride", strides, 1), ("padding", paddings, 0), ("dilation", dilations, 1)):
        value = draw(size_or_pair(values))
        if value != default or draw(st.booleans()):
            settings[name] = value
    (kh, kw), (ph, pw) = as_pair(settings["kernel_size"]), as_pair(settings.get("padding", 0))
    dh, dw = as_pair(settings.get("dilation", 1))
    # The smallest input the kernel fits in, plus a drawn margin.
    h = max(1, dh * (kh - 1) + 1 - 2 * ph) + draw(sizes)
    w = max(1, dw * (kw - 1) + 1 - 2 * pw) + draw(sizes)
    return dict(h=h, w=w, **settings)


HUGE_LAYERS = layers(per_group=st.integers(50_000, 300_000), kernels=st.integers(1, 999))
HUGE_INPUTS = conv_inputs(sizes=st.integers(2**53, 2**60), kernels=st.integers(1, 1000),
                          strides=st.integers(1, 7), paddings=st.integers(0, 1000), dilations=st.integers(1, 100))


def count_value(value, *, what="the parameter count"):
    """A number (any int or float type, not a bool) for tiers that judge values, not types."""
    if isinstance(value, (bool, np.bool_)):
        raise Failure(f"{what} is a bool; expected an int", expected=render.describe("an int"), got=value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)) or (isinstance(value, np.ndarray) and value.shape == ()
                                                   and value.dtype.kind in "iuf"):
        return value.item() if isinstance(value, (np.generic, np.ndarray)) else value
    raise Failure(f"{what} is {render.kind(value)}; expected an int", expected=render.describe("an int"), got=value)


def shape_value(value):
    """(height, width) from any sequence of two numbers."""
    if isinstance(value, np.ndarray) and value.shape == (2,):
        value = list(value)
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise Failure(f"the result is {render.kind(value)}; expected a pair (height, width)",
                      expected=render.describe("a tuple (height, width)"), got=value)
    return (count_value(value[0], what="the output height"), count_value(value[1], what="the output width"))


def expect_same(got, expected, *, what, why=""):
    """Exact equality of integers (a float that equals the int exactly is accepted)."""
    if got != expected:
        off = f" (off by {int(got) - expected})" if isinstance(expected, int) and math.isfinite(got) else ""
        raise Failure(f"{what} is {render.value(got)}; expected {render.value(expected)}{off}{why}",
                      expected=expected, got=got)


INTEGER_ADVICE = (". If your formula is right on the small inputs of the other checks, this is arithmetic "
                  "precision: keep to Python ints and //; / and float() are exact only below 2**53, and 32-bit "
                  "numpy ints wrap around past 2**31")


# ---------------------------------------------------------------- contract

@SPEC.check("conv2d_param_count", tier="contract", points=1, title="conv2d_param_count returns an int",
            given=layers(), examples=[dict(c_in=3, c_out=64, kernel_size=3),
                                      dict(c_in=4, c_out=8, kernel_size=(1, 3), groups=2, bias=False)])
def param_count_returns_int(learner, **layer):
    int_contract(learner.conv2d_param_count(**layer), what="the parameter count")


@SPEC.check("conv2d_output_shape", tier="contract", points=1,
            title="conv2d_output_shape returns a pair of ints (height, width)",
            given=conv_inputs(), examples=[dict(h=32, w=32, kernel_size=3, stride=2, padding=1)])
def output_shape_returns_pair_of_ints(learner, **inputs):
    height, width = tuple_contract(learner.conv2d_output_shape(**inputs), 2)
    int_contract(height, what="the output height")
    int_contract(width, what="the output width")


BAD_LAYERS = [
    dict(c_in=0, c_out=8, kernel_size=3, why="c_in=0"),
    dict(c_in=4, c_out=-8, kernel_size=3, why="a negative c_out"),
    dict(c_in=4, c_out=8, kernel_size=0, why="kernel_size=0"),
    dict(c_in=4, c_out=8, kernel_size=(3, -1), why="a negative kernel width"),
    dict(c_in=4, c_out=8, kernel_size=3, groups=0, why="groups=0"),
    dict(c_in=True, c_out=8, kernel_size=3, why="c_in=True (a bool is not an int)"),
    dict(c_in=4, c_out=True, kernel_size=3, why="c_out=True (a bool is not an int)"),
    dict(c_in=4, c_out=8, kernel_size=True, why="kernel_size=True (a bool is not an int)"),
    dict(c_in=4, c_out=8, kernel_size=(True, 3), why="kernel_size=(True, 3) (a bool is not an int)"),
    dict(c_in=4, c_out=8, kernel_size=3, groups=True, why="groups=True (a bool is not an int)"),
    dict(c_in=3, c_out=4, kernel_size=3, groups=2, why="groups=2 with c_in=3 (3 is not divisible by 2)"),
    dict(c_in=4, c_out=6, kernel_size=3, groups=4, why="groups=4 with c_out=6 (6 is not divisible by 4)"),
    dict(c_in=6, c_out=3, kernel_size=1, groups=6, why="groups=6 with c_out=3 (more groups than outputs)"),
]


@SPEC.check("conv2d_param_count", tier="contract", points=2,
            title="conv2d_param_count raises ValueError for a size <= 0, a bool, or groups not dividing "
                  "the channels", examples=BAD_LAYERS)
def param_count_rejects_bad_input(learner, why, **layer):
    expect_value_error(learner.outcome("conv2d_param_count", **layer), bad=why)


BAD_INPUTS = [
    dict(h=0, w=8, kernel_size=3, why="h=0"),
    dict(h=8, w=-2, kernel_size=3, why="a negative w"),
    dict(h=8, w=8, kernel_size=(3, 0), why="a kernel width of 0"),
    dict(h=8, w=8, kernel_size=3, stride=0, why="stride=0"),
    dict(h=8, w=8, kernel_size=3, stride=(1, -1), why="a negative stride"),
    dict(h=8, w=8, kernel_size=3, padding=-1, why="padding=-1"),
    dict(h=8, w=8, kernel_size=3, padding=(0, -1), why="a negative padding"),
    dict(h=8, w=8, kernel_size=3, dilation=0, why="dilation=0"),
    dict(h=True, w=8, kernel_size=1, why="h=True (a bool is not an int)"),
    dict(h=8, w=8, kernel_size=(3, True), why="kernel_size=(3, True) (a bool is not an int)"),
    dict(h=8, w=8, kernel_size=3, stride=True, why="stride=True (a bool is not an int)"),
    dict(h=8, w=8, kernel_size=3, padding=False, why="padding=False (a bool is not an int)"),
    dict(h=8, w=8, kernel_size=3, dilation=(1, True), why="dilation=(1, True) (a bool is not an int)"),
    dict(h=2, w=8, kernel_size=3, why="a 3x3 kernel on an input of height 2"),
    dict(h=8, w=4, kernel_size=(1, 5), padding=0, why="a kernel of width 5 on an input of width 4"),
    dict(h=5, w=5, kernel_size=3, dilation=3, why="a 3x3 kernel with dilation 3 (it spans 7) on a 5x5 input"),
    dict(h=3, w=3, kernel_size=7, padding=1, why="a 7x7 kernel on a 3x3 input padded to 5x5"),
]


@SPEC.check("conv2d_output_shape", tier="contract", points=2,
            title="conv2d_output_shape raises ValueError for a size <= 0, a bool, or a kernel that does not "
                  "fit", examples=BAD_INPUTS)
def output_shape_rejects_bad_input(learner, why, **inputs):
    expect_value_error(learner.outcome("conv2d_output_shape", **inputs), bad=why)


# ---------------------------------------------------------------- properties

@SPEC.check("conv2d_param_count", tier="properties", points=1,
            title="m times more output channels give m times more parameters",
            given=st.tuples(layers(), st.integers(2, 4)).map(lambda t: {**t[0], "m": t[1]}))
def param_count_is_linear_in_c_out(learner, m, **layer):
    one = count_value(learner.conv2d_param_count(**layer))
    many = count_value(learner.conv2d_param_count(**{**layer, "c_out": m * layer["c_out"]}))
    expect_same(many, m * one, what=f"the count with c_out={m * layer['c_out']}",
                why=f" ({m} times the count with c_out={layer['c_out']}, which was {render.value(one)})")


@SPEC.check("conv2d_param_count", tier="properties", points=1,
            title="bias=True adds exactly c_out parameters to bias=False",
            given=layers().map(lambda layer: {k: v for k, v in layer.items() if k != "bias"}))
def bias_adds_c_out(learner, **layer):
    without = count_value(learner.conv2d_param_count(**layer, bias=False))
    with_bias = count_value(learner.conv2d_param_count(**layer, bias=True))
    expect_same(with_bias - without, layer["c_out"], what="count(bias=True) - count(bias=False)",
                why=" (one bias per output channel)")


@SPEC.check("conv2d_param_count", tier="properties", points=1,
            title="a depthwise conv (groups = c_in = c_out = c) has c*kh*kw + c parameters",
            given=st.builds(lambda c, k: dict(c_in=c, c_out=c, kernel_size=k, groups=c),
                            st.integers(1, 8), size_or_pair(st.integers(1, 7))),
            examples=[dict(c_in=3, c_out=3, kernel_size=(2, 3), groups=3)])
def depthwise_count(learner, **layer):
    c, (kh, kw) = layer["c_in"], as_pair(layer["kernel_size"])
    got = count_value(learner.conv2d_param_count(**layer))
    expect_same(got, c * kh * kw + c, what=f"the count of a depthwise {kh}x{kw} conv on {c} channels",
                why=" (each channel has its own single-channel filter and bias)")


@SPEC.check("conv2d_param_count", tier="properties", points=1,
            title="a 1x1 conv has as many parameters as Linear(c_in, c_out)",
            given=st.builds(lambda c_in, c_out, k, bias: dict(c_in=c_in, c_out=c_out, kernel_size=k, bias=bias),
                            st.integers(1, 64), st.integers(1, 64), st.sampled_from([1, (1, 1)]), st.booleans()))
def pointwise_count_is_linear_layer(learner, **layer):
    c_in, c_out, bias = layer["c_in"], layer["c_out"], layer["bias"]
    got = count_value(learner.conv2d_param_count(**layer))
    expect_same(got, c_in * c_out + (c_out if bias else 0),
                what=f"the count of a 1x1 conv from {c_in} to {c_out} channels (bias={bias})",
                why=" (a c_in x c_out weight matrix, plus the biases)")


@st.composite
def same_padding(draw):
    """Odd kernels with padding dilation*(k-1)/2 and stride 1: the 'same' padding."""
    odd = st.sampled_from([1, 3, 5, 7])
    kernel = draw(size_or_pair(odd))
    dilation = draw(size_or_pair(st.integers(1, 3)))
    (kh, kw), (dh, dw) = as_pair(kernel), as_pair(dilation)
    padding = (dh * (kh - 1) // 2, dw * (kw - 1) // 2)
    return dict(h=draw(st.integers(1, 30)), w=draw(st.integers(1, 30)), kernel_size=kernel, stride=1,
                padding=padding[0] if padding[0] == padding[1] and draw(st.booleans()) else padding,
                dilation=dilation)


@SPEC.check("conv2d_output_shape", tier="properties", points=1,
            title="'same' padding (dilation*(k-1)/2, stride 1, odd kernel) keeps the input size",
            given=same_padding(), examples=[dict(h=5, w=4, kernel_size=3, stride=1, padding=2, dilation=2),
                                             dict(h=1, w=1, kernel_size=3, stride=1, padding=1, dilation=1)])
def same_padding_keeps_size(learner, **inputs):
    got = shape_value(learner.conv2d_output_shape(**inputs))
    expect_same(got, (inputs["h"], inputs["w"]), what="the output shape",
                why=" (the input shape: each side is padded by exactly half the dilated kernel)")


@SPEC.check("conv2d_output_shape", tier="properties", points=1,
            title="adding `stride` rows and columns to the input adds one output row and column",
            given=conv_inputs())
def one_more_stride_one_more_output(learner, **inputs):
    sh, sw = as_pair(inputs.get("stride", 1))
    before = shape_value(learner.conv2d_output_shape(**inputs))
    after = shape_value(learner.conv2d_output_shape(**{**inputs, "h": inputs["h"] + sh, "w": inputs["w"] + sw}))
    expect_same(after, (before[0] + 1, before[1] + 1), what=f"the output shape for a {inputs['h'] + sh}x"
                f"{inputs['w'] + sw} input", why=f" (one more than {render.value(before)}, the output for "
                f"{inputs['h']}x{inputs['w']}: the kernel fits in exactly one more place)")


@SPEC.check("conv2d_output_shape", tier="properties", points=1,
            title="stride s keeps every s-th position: out(stride s) = ceil(out(stride 1) / s)",
            given=conv_inputs(strides=st.integers(2, 4)))
def stride_keeps_every_sth_position(learner, **inputs):
    sh, sw = as_pair(inputs["stride"])
    dense = shape_value(learner.conv2d_output_shape(**{**inputs, "stride": 1}))
    strided = shape_value(learner.conv2d_output_shape(**inputs))
    expect_same(strided, (math.ceil(dense[0] / sh), math.ceil(dense[1] / sw)),
                what=f"the output shape with stride={inputs['stride']!r}",
                why=f" (with stride 1 the output is {render.value(dense)}; a stride of {sh}x{sw} keeps "
                    f"positions 0, s, 2s, ... of it)")


def transposed(inputs):
    """The same call on the transposed image: h and w swapped, every pair swapped."""
    swapped = {"h": inputs["w"], "w": inputs["h"]}
    for name in ("kernel_size", "stride", "padding", "dilation"):
        if name in inputs:
            a, b = as_pair(inputs[name])
            swapped[name] = (b, a)
    return swapped


@SPEC.check("conv2d_output_shape", tier="properties", points=1,
            title="transposing the input (h and w, and every pair, swapped) swaps the output",
            given=conv_inputs(), examples=[dict(h=9, w=6, kernel_size=(3, 1), stride=(2, 1), padding=(0, 1),
                                                dilation=(2, 1))])
def transposing_swaps_output(learner, **inputs):
    got = shape_value(learner.conv2d_output_shape(**inputs))
    swapped = shape_value(learner.conv2d_output_shape(**transposed(inputs)))
    expect_same(swapped, (got[1], got[0]), what="the output shape of the transposed call",
                why=f" (the output {render.value(got)} swapped: pairs are (height, width), and the height "
                    f"uses only the first element of each)")


# ---------------------------------------------------------------- reference

@SPEC.check("conv2d_param_count", tier="reference", points=3, title="conv2d_param_count matches the reference",
            given=layers(), examples=[dict(c_in=3, c_out=64, kernel_size=3),
                                      dict(c_in=4, c_out=6, kernel_size=(2, 5), groups=2, bias=False)])
def param_count_matches_reference(learner, **layer):
    expect_same(count_value(learner.conv2d_param_count(**layer)), ref.conv2d_param_count(**layer),
                what="the parameter count")


@SPEC.check("conv2d_output_shape", tier="reference", points=3, title="conv2d_output_shape matches the reference",
            given=conv_inputs(), examples=[dict(h=32, w=32, kernel_size=3, stride=2, padding=1),
                                           dict(h=7, w=10, kernel_size=(3, 2), stride=(2, 3), padding=(1, 0),
                                                dilation=(2, 1))])
def output_shape_matches_reference(learner, **inputs):
    expect_same(shape_value(learner.conv2d_output_shape(**inputs)), ref.conv2d_output_shape(**inputs),
                what="the output shape")


# ---------------------------------------------------------------- stability

@SPEC.check("conv2d_param_count", tier="stability", points=2,
            title="conv2d_param_count counts huge layers exactly (beyond 2**31 and 2**53 parameters)",
            given=HUGE_LAYERS,
            examples=[dict(c_in=1_000_003, c_out=1_000_003, kernel_size=(999, 1001)),
                      dict(c_in=16_384, c_out=16_384, kernel_size=3, bias=False)])
def param_count_is_exact_for_huge_layers(learner, **layer):
    got = count_value(learner.conv2d_param_count(**layer))
    want = ref.conv2d_param_count(**layer)
    expect_same(got, want, what="the parameter count", why=INTEGER_ADVICE if got != want else "")


@SPEC.check("conv2d_output_shape", tier="stability", points=1,
            title="conv2d_output_shape is exact for inputs beyond 2**53 pixels a side",
            given=HUGE_INPUTS, examples=[dict(h=2**53 + 2, w=2**60 + 5, kernel_size=1),
                                         dict(h=2**55 + 3, w=2**54 + 1, kernel_size=3, stride=1, padding=1)])
def output_shape_is_exact_for_huge_inputs(learner, **inputs):
    got = shape_value(learner.conv2d_output_shape(**inputs))
    want = ref.conv2d_output_shape(**inputs)
    expect_same(got, want, what="the output shape", why=INTEGER_ADVICE if got != want else "")


# ---------------------------------------------------------------- known mistakes
# Each is written as if it lived in solutions/conv_params.py (it may use _size, _pair and _per_side); most share
# _param_count_with or _output_shape_with, the right computation with a switch per mistake.

@SPEC.mistake_helper
def _param_count_with(c_in, c_out, kernel_size, groups, bias, *, count_bias=True, group_inputs=True,
                      group_outputs=False, square=False, int32=False, check_groups=True):
    """conv2d_param_count with a switch per known mistake (the defaults give the right count).

    count_bias: False leaves out the c_out biases.
    group_inputs: False lets each filter see all c_in channels; group_outputs: c_out is divided by groups too.
    square: kh * kh weights per channel instead of kh * kw.
    int32: the weights multiplied with np.prod in int32, which wraps around past 2**31.
    check_groups: False skips the check that groups divides c_in and c_out.
    """
    c_in, c_out, groups = _size(c_in, "c_in"), _size(c_out, "c_out"), _size(groups, "groups")
    kh, kw = _pair(kernel_size, "kernel_size")
    if check_groups and (c_in % groups or c_out % groups):
        raise ValueError("groups must divide both c_in and c_out")
    inputs = c_in // groups if group_inputs else c_in
    outputs = c_out // groups if group_outputs else c_out
    if square:
        kw = kh
    if int32:
        weights = int(np.prod([outputs, inputs, kh, kw], dtype=np.int32))  # int32: the default int on Windows
    else:
        weights = outputs * inputs * kh * kw
    return weights + (c_out if bias and count_bias else 0)


@SPEC.mistake("conv2d_param_count", "forgets the bias: one extra parameter per output channel",
              hint="Conv2d has a bias per output channel when bias=True: add c_out to the weight count.")
def param_count_without_bias(c_in, c_out, kernel_size, groups=1, bias=True):
    """Counts the weights only."""
    return _param_count_with(c_in, c_out, kernel_size, groups, bias, count_bias=False)


@SPEC.mistake("conv2d_param_count", "ignores groups: every filter spans all c_in input channels",
              hint="With groups=g each filter sees only the c_in / g channels of its own group: "
                   "the weight is (c_out, c_in // groups, kh, kw).")
def param_count_ignoring_groups(c_in, c_out, kernel_size, groups=1, bias=True):
    """Counts c_out * c_in * kh * kw weights, whatever groups is."""
    return _param_count_with(c_in, c_out, kernel_size, groups, bias, group_inputs=False)


@SPEC.mistake("conv2d_param_count", "divides c_out by groups too: groups shrink the input side only",
              hint="There are still c_out filters in all (c_out // groups per group); only the input "
                   "channels each filter sees are divided: c_out * (c_in // groups) * kh * kw.")
def param_count_dividing_c_out(c_in, c_out, kernel_size, groups=1, bias=True):
    """Counts (c_out // groups) * (c_in // groups) * kh * kw weights."""
    return _param_count_with(c_in, c_out, kernel_size, groups, bias, group_outputs=True)


@SPEC.mistake("conv2d_param_count", "uses kernel_size[0] for both sides of a non-square kernel",
              hint="A pair kernel_size is (kh, kw): the filter has kh * kw weights per channel, "
                   "e.g. kh, kw = kernel_size.")
def param_count_square_kernel(c_in, c_out, kernel_size, groups=1, bias=True):
    """Counts kh * kh weights per channel."""
    return _param_count_with(c_in, c_out, kernel_size, groups, bias, square=True)


@SPEC.mistake("conv2d_param_count", "multiplies in 32-bit ints (np.prod's default on Windows with NumPy < 2): "
              "the count wraps around past 2**31",
              hint="Multiply Python ints (they never overflow), e.g. c_out * (c_in // groups) * kh * kw, or "
                   "pass dtype=np.int64 to np.prod.")
def param_count_in_int32(c_in, c_out, kernel_size, groups=1, bias=True):
    """Multiplies the weight count with np.prod(..., dtype=np.int32)."""
    return _param_count_with(c_in, c_out, kernel_size, groups, bias, int32=True)


@SPEC.mistake("conv2d_param_count", "accepts a bool as a size: isinstance(True, int) is True in Python",
              hint="bool is a subclass of int, so True passes isinstance(x, int) and counts as 1; "
                   "reject it first: if isinstance(x, bool) or not isinstance(x, int): raise ValueError(...).")
def param_count_accepting_bools(c_in, c_out, kernel_size, groups=1, bias=True):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    for name, value in (("c_in", c_in), ("c_out", c_out), ("kernel_size", kh), ("kernel_size", kw),
                        ("groups", groups)):
        if not isinstance(value, int) or value <= 0:
            raise ValueError(f"{name} must be a positive int")
    if c_in % groups or c_out % groups:
        raise ValueError("groups must divide both c_in and c_out")
    return c_out * (c_in // groups) * kh * kw + (c_out if bias else 0)


@SPEC.mistake("conv2d_param_count", "does not check that groups divides both c_in and c_out",
              hint="A grouped conv splits the channels evenly: raise ValueError when c_in % groups or "
                   "c_out % groups is not 0.")
def param_count_without_groups_check(c_in, c_out, kernel_size, groups=1, bias=True):
    """Counts with c_in // groups even when groups does not divide the channels."""
    return _param_count_with(c_in, c_out, kernel_size, groups, bias, check_groups=False)


@SPEC.mistake_helper
def _output_shape_with(h, w, kernel_size, stride, padding, dilation, *, dilate=True, padded_sides=2, ceil=False,
                       first_window=1, fit="padded"):
    """conv2d_output_shape with a switch per known mistake (the defaults give the right shape).

    dilate: False takes the kernel's span as k, whatever the dilation.
    padded_sides: how many times the padding is added to each side's size (1: only once).
    ceil: rounds (padded size - span) / stride up instead of down.
    first_window: what is added to the number of strides (0: the first window is not counted).
    fit: where the kernel must fit, "padded" (right) or "unpadded" input, or None: no check.
    """
    out = []
    for n, k, s, p, d in _per_side(h, w, kernel_size, stride, padding, dilation):
        span = d * (k - 1) + 1 if dilate else k
        if fit == "padded" and span > n + 2 * p:
            raise ValueError(f"kernel_size: the {'dilated ' if dilate else ''}kernel is larger than the padded input")
        if fit == "unpadded" and span > n:
            raise ValueError("kernel_size: the kernel is larger than the input")
        room = n + padded_sides * p - span
        out.append((-(-room // s) if ceil else room // s) + first_window)
    return out[0], out[1]


@SPEC.mistake("conv2d_output_shape", "ignores the dilation: a dilated kernel spans dilation*(k-1)+1 pixels",
              hint="With dilation d the k taps are d apart, so the kernel covers d*(k - 1) + 1 input pixels: "
                   "out = (h + 2p - d*(k - 1) - 1) // s + 1, and it fits only if d*(k - 1) + 1 <= h + 2p.")
def output_shape_without_dilation(h, w, kernel_size, stride=1, padding=0, dilation=1):
    """Takes the kernel's span as k, in the fit check and in the formula."""
    return _output_shape_with(h, w, kernel_size, stride, padding, dilation, dilate=False)


@SPEC.mistake("conv2d_output_shape", "adds the padding once: it goes on both sides (top and bottom)",
              hint="padding=p adds p rows above AND p below (and p columns on each side): the padded "
                   "height is h + 2*p.")
def output_shape_padding_once(h, w, kernel_size, stride=1, padding=0, dilation=1):
    """Uses h + p instead of h + 2p in the formula."""
    return _output_shape_with(h, w, kernel_size, stride, padding, dilation, padded_sides=1)


@SPEC.mistake("conv2d_output_shape", "rounds up instead of down: a last window that does not fit is dropped",
              hint="A window that would run past the padded input is not computed: use floor division "
                   "(h + 2p - d*(k - 1) - 1) // s, then + 1.")
def output_shape_with_ceil(h, w, kernel_size, stride=1, padding=0, dilation=1):
    """Divides by the stride rounding up."""
    return _output_shape_with(h, w, kernel_size, stride, padding, dilation, ceil=True)


@SPEC.mistake("conv2d_output_shape", "forgets the + 1: the window at position 0 counts too",
              hint="(h + 2p - d*(k - 1) - 1) // s counts the strides after the first window; add 1 for the "
                   "first window itself.")
def output_shape_without_plus_one(h, w, kernel_size, stride=1, padding=0, dilation=1):
    """Returns the number of strides, without the + 1."""
    return _output_shape_with(h, w, kernel_size, stride, padding, dilation, first_window=0)


@SPEC.mistake("conv2d_output_shape", "does not check that the kernel fits in the padded input",
              hint="When d*(k - 1) + 1 > h + 2p the kernel fits nowhere and the formula gives 0 or less: "
                   "raise ValueError instead.")
def output_shape_without_fit_check(h, w, kernel_size, stride=1, padding=0, dilation=1):
    """Applies the formula without checking that the kernel fits."""
    return _output_shape_with(h, w, kernel_size, stride, padding, dilation, fit=None)


@SPEC.mistake("conv2d_output_shape", "compares the kernel with the unpadded input: padding can make it fit",
              hint="The kernel slides over the PADDED input: it fits when d*(k - 1) + 1 <= h + 2p, "
                   "so a 3x3 kernel with padding 1 works on a 1x1 input.")
def output_shape_fit_without_padding(h, w, kernel_size, stride=1, padding=0, dilation=1):
    """Checks the dilated kernel against h instead of h + 2p."""
    return _output_shape_with(h, w, kernel_size, stride, padding, dilation, fit="unpadded")


# ---------------------------------------------------------------- a whole CNN: cnn_param_count

def _optional(draw, layer, name, values, default):
    """Set layer[name] to a drawn value, sometimes leaving a default out so the defaults are graded too."""
    value = draw(values)
    if value != default or draw(st.booleans()):
        layer[name] = value


@st.composite
def cnns(draw, side=st.integers(8, 40), channels=st.integers(1, 4), convs_only=False, max_layers=5):
    """Keyword arguments input_shape, layers: a valid small CNN (every kernel fits the image reaching it)."""
    c, h, w = draw(channels), draw(side), draw(side)
    input_shape = (c, h, w)
    layers_ = []
    for _ in range(draw(st.integers(0, max_layers))):
        kind = draw(st.sampled_from(("conv", "conv", "pool")))
        if kind == "conv":
            groups = draw(st.sampled_from([g for g in (1, 2, 3) if c % g == 0]))
            layer = {"type": "conv", "out_channels": groups * draw(st.integers(1, 4)),
                     "kernel_size": draw(size_or_pair(st.integers(1, 5)))}
            _optional(draw, layer, "stride", size_or_pair(st.integers(1, 2)), 1)
            _optional(draw, layer, "padding", size_or_pair(st.integers(0, 2)), 0)
            _optional(draw, layer, "dilation", st.integers(1, 2), 1)
            _optional(draw, layer, "groups", st.just(groups), 1)
            _optional(draw, layer, "bias", st.booleans(), True)
            settings = {k: layer[k] for k in ("stride", "padding", "dilation") if k in layer}
        else:
            layer = {"type": "pool", "kernel_size": draw(size_or_pair(st.integers(1, 3)))}
            _optional(draw, layer, "stride", size_or_pair(st.integers(1, 3)), as_pair(layer["kernel_size"]))
            settings = {"stride": layer.get("stride", layer["kernel_size"])}
        try:
            h, w = ref.conv2d_output_shape(h, w, layer["kernel_size"], **settings)
        except ValueError:  # the kernel no longer fits: the network ends here
            break
        c = layer.get("out_channels", c)
        layers_.append(layer)
    if not convs_only:
        for _ in range(draw(st.integers(0, 3))):
            layer = {"type": "linear", "out_features": draw(st.integers(1, 20))}
            _optional(draw, layer, "bias", st.booleans(), True)
            layers_.append(layer)
    return dict(input_shape=input_shape, layers=layers_)


CNNS = cnns()
LENET = dict(input_shape=(1, 32, 32), layers=[
    {"type": "conv", "out_channels": 6, "kernel_size": 5}, {"type": "pool", "kernel_size": 2},
    {"type": "conv", "out_channels": 16, "kernel_size": 5}, {"type": "pool", "kernel_size": 2},
    {"type": "linear", "out_features": 120}, {"type": "linear", "out_features": 84},
    {"type": "linear", "out_features": 10}])


@SPEC.check("cnn_param_count", tier="contract", points=1, title="cnn_param_count returns an int", given=CNNS,
            examples=[LENET])
def cnn_count_returns_int(learner, **network):
    int_contract(learner.cnn_param_count(**network), what="the parameter count")


CONV = {"type": "conv", "out_channels": 4, "kernel_size": 3}
BAD_CNNS = [
    dict(input_shape=(3, 8, 8), layers=[{"type": "dense", "out_features": 4}], why='an unknown type "dense"'),
    dict(input_shape=(3, 8, 8), layers=[{"type": "conv", "kernel_size": 3}], why="a conv without out_channels"),
    dict(input_shape=(3, 8, 8), layers=[{"type": "linear", "out_features": 4}, CONV],
         why="a conv after a linear layer"),
    dict(input_shape=(3, 8, 8), layers=[{"type": "linear", "out_features": 4}, {"type": "pool", "kernel_size": 2}],
         why="a pool after a linear layer"),
    dict(input_shape=(3, 8, 8), layers=[CONV, CONV, CONV, CONV], why="a 3x3 kernel on the 2x2 image left by "
                                                                     "three 3x3 convs"),
    dict(input_shape=(3, 8, 8), layers=[{**CONV, "groups": 2}], why="groups=2 with 3 input channels"),
    dict(input_shape=(3, 8, 8), layers=[{**CONV, "out_channels": True}], why="out_channels=True (a bool)"),
    dict(input_shape=(3, 8), layers=[CONV], why="input_shape (3, 8), not (C, H, W)"),
    dict(input_shape=(3, 0, 8), layers=[CONV], why="an input height of 0"),
]


@SPEC.check("cnn_param_count", tier="contract", points=1,
            title="cnn_param_count raises ValueError for unknown or incomplete layers, layers that do not fit, "
                  "and a conv or pool after a linear layer", examples=BAD_CNNS)
def cnn_count_rejects_bad_networks(learner, why, **network):
    expect_value_error(learner.outcome("cnn_param_count", **network), bad=why)


@SPEC.check("cnn_param_count", tier="properties", points=1,
            title="a network of convs and pools only has as many parameters as your conv2d_param_count gives for "
                  "its convs, added up", given=cnns(convs_only=True))
def cnn_count_of_convs_adds_up_layers(learner, input_shape, layers):
    total = count_value(learner.cnn_param_count(input_shape=input_shape, layers=layers))
    channels, expected = input_shape[0], 0
    for layer in layers:
        if layer["type"] == "conv":
            expected += count_value(learner.conv2d_param_count(
                c_in=channels, c_out=layer["out_channels"], kernel_size=layer["kernel_size"],
                groups=layer.get("groups", 1), bias=layer.get("bias", True)), what="conv2d_param_count")
            channels = layer["out_channels"]
    expect_same(total, expected, what="the network's parameter count",
                why=" (the sum of conv2d_param_count over its conv layers)")


@SPEC.check("cnn_param_count", tier="properties", points=1,
            title="without linear layers the count does not depend on the image size (weights are shared)",
            given=cnns(convs_only=True).flatmap(lambda n: st.fixed_dictionaries(
                {"input_shape": st.just(n["input_shape"]), "layers": st.just(n["layers"]),
                 "bigger": st.integers(1, 30)})))
def cnn_count_ignores_image_size(learner, input_shape, layers, bigger):
    c, h, w = input_shape
    small = count_value(learner.cnn_param_count(input_shape=input_shape, layers=layers))
    large = count_value(learner.cnn_param_count(input_shape=(c, h + bigger, w + 2 * bigger), layers=layers))
    expect_same(large, small, what=f"the count for a ({c}, {h + bigger}, {w + 2 * bigger}) input",
                why=f" (the count for ({c}, {h}, {w}))")


@SPEC.check("cnn_param_count", tier="reference", points=3, title="cnn_param_count matches the reference",
            given=CNNS,
            examples=[LENET, dict(input_shape=(3, 8, 8), layers=[]),
                      dict(input_shape=(3, 8, 6), layers=[{"type": "linear", "out_features": 10}]),
                      dict(input_shape=(3, 28, 28), layers=[
                          {"type": "conv", "out_channels": 8, "kernel_size": 3, "stride": 2, "padding": 1},
                          {"type": "pool", "kernel_size": 2, "stride": 1}, {"type": "linear", "out_features": 5,
                                                                             "bias": False}])])
def cnn_count_matches_reference(learner, **network):
    expect_same(count_value(learner.cnn_param_count(**network)), ref.cnn_param_count(**network),
                what="the parameter count")


@SPEC.check("cnn_param_count", tier="stability", points=1,
            title="cnn_param_count is exact for huge networks (beyond 2**53 parameters)",
            examples=[dict(input_shape=(3, 2**20 + 1, 2**20 + 3), layers=[
                          {"type": "conv", "out_channels": 64, "kernel_size": 3, "padding": 1},
                          {"type": "pool", "kernel_size": 2}, {"type": "linear", "out_features": 2**16 + 1}]),
                      dict(input_shape=(1, 3, 3), layers=[{"type": "linear", "out_features": 2**40 + 1},
                                                          {"type": "linear", "out_features": 2**20 + 7}])])
def cnn_count_is_exact_for_huge_networks(learner, **network):
    got = count_value(learner.cnn_param_count(**network))
    want = ref.cnn_param_count(**network)
    expect_same(got, want, what="the parameter count", why=INTEGER_ADVICE if got != want else "")


@SPEC.mistake_helper
def _cnn_count_with(input_shape, layers, *, flatten_channels_only=False, pool_stride_one=False,
                    ignore_conv_settings=False):
    """cnn_param_count with one switch per known mistake; the defaults give the reference."""
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise ValueError(f"input_shape must be (C, H, W), got {input_shape!r}")
    channels, h, w = (_size(v, "input_shape") for v in input_shape)
    features, total = None, 0
    for index, layer in enumerate(layers):
        kind = _key(layer, "type", index)
        if kind in ("conv", "pool") and features is not None:
            raise ValueError(f"layers[{index}]: a {kind} layer cannot follow a linear layer")
        if kind == "conv":
            total += conv2d_param_count(channels, _key(layer, "out_channels", index), _key(layer, "kernel_size", index),
                                        groups=layer.get("groups", 1), bias=layer.get("bias", True))
            settings = {} if ignore_conv_settings else dict(stride=layer.get("stride", 1),
                                                            padding=layer.get("padding", 0),
                                                            dilation=layer.get("dilation", 1))
            h, w = conv2d_output_shape(h, w, layer["kernel_size"], **settings)
            channels = layer["out_channels"]
        elif kind == "pool":
            kernel = _key(layer, "kernel_size", index)
            h, w = conv2d_output_shape(h, w, kernel, stride=layer.get("stride", 1 if pool_stride_one else kernel),
                                       padding=layer.get("padding", 0))
        elif kind == "linear":
            n_in = (channels if flatten_channels_only else channels * h * w) if features is None else features
            features = _size(_key(layer, "out_features", index), "out_features")
            total += n_in * features + (features if layer.get("bias", True) else 0)
        else:
            raise ValueError(f"layers[{index}]: unknown type {kind!r}")
    return total


@SPEC.mistake("cnn_param_count", "the first linear layer reads C features instead of the flattened C * H * W",
              hint="Flattening an image of shape (C, H, W) gives C * H * W features, and each one has its own weight "
                   "to every output of the first linear layer.")
def cnn_count_flattening_channels_only(input_shape, layers):
    return _cnn_count_with(input_shape, layers, flatten_channels_only=True)


@SPEC.mistake("cnn_param_count", "a pool's stride defaults to 1 instead of its kernel size",
              hint="Pooling layers (torch's MaxPool2d, AvgPool2d) step by their kernel size unless a stride is given: "
                   "a 2x2 pool halves the image.")
def cnn_count_pool_stride_one(input_shape, layers):
    return _cnn_count_with(input_shape, layers, pool_stride_one=True)


@SPEC.mistake("cnn_param_count", "tracks the image size through convs as H - k + 1, ignoring stride, padding and "
                                 "dilation",
              hint="Each conv changes the image size by the full formula: floor((H + 2p - d(k - 1) - 1) / s) + 1; "
                   "conv2d_output_shape does it for you.")
def cnn_count_ignoring_conv_settings(input_shape, layers):
    return _cnn_count_with(input_shape, layers, ignore_conv_settings=True)
