"""Checks for ffn and ffn_param_count, the position-wise feed-forward block (CATALOG D3)."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging.checks import Failure, Spec
from grader.judging.expect import (array_contract, as_array, expect_close, expect_unchanged, expect_value_error,
                                   int_contract)

SPEC = Spec(
    "ffn",
    functions=("ffn", "ffn_param_count"),
    # A library layer would do the exercise; torch.relu or np.maximum are fine.
    forbidden=("torch.nn.Linear", "torch.nn.modules.Linear", "torch.nn.modules.linear", "torch.nn.functional.linear",
               "torch.nn.Sequential", "torch.nn.LazyLinear"),
    forbidden_methods=("linear", "Linear"),
)
ref = SPEC.reference

VALUES = st.floats(-5, 5, allow_nan=False, allow_infinity=False)
WEIGHTS = st.floats(-2, 2, allow_nan=False, allow_infinity=False)
LARGE = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@st.composite
def ffn_inputs(draw, elements=VALUES, sides=(3, 5, 4, 6), square=False):
    """x (B, T, D) and a block's weights; with square=True, F == D (so a transposed weight still fits)."""
    b, t, d = draw(st.integers(1, sides[0])), draw(st.integers(1, sides[1])), draw(st.integers(1, sides[2]))
    f = d if square else draw(st.integers(1, sides[3]))
    return {"x": draw(nps.arrays(np.float64, (b, t, d), elements=elements)),
            "w1": draw(nps.arrays(np.float64, (d, f), elements=WEIGHTS)),
            "b1": draw(nps.arrays(np.float64, (f,), elements=WEIGHTS)),
            "w2": draw(nps.arrays(np.float64, (f, d), elements=WEIGHTS)),
            "b2": draw(nps.arrays(np.float64, (d,), elements=WEIGHTS))}


def example(b, t, d, f, seed=0):
    """A deterministic block whose hidden units are partly active, partly cut by the ReLU."""
    rng = np.random.RandomState(seed)
    return {"x": rng.uniform(-3, 3, (b, t, d)), "w1": rng.uniform(-1, 1, (d, f)), "b1": rng.uniform(-1, 1, f),
            "w2": rng.uniform(-1, 1, (f, d)), "b2": rng.uniform(-1, 1, d)}


FIRST_EXAMPLE = dict(x=np.array([[[1.0, -1.0]]]), w1=np.array([[1.0], [0.0]]), b1=np.array([0.5]),
                     w2=np.array([[2.0, -1.0]]), b2=np.array([0.0, 1.0]))
EXAMPLES = [FIRST_EXAMPLE, example(2, 3, 2, 2, seed=1), example(2, 3, 3, 5, seed=2), example(1, 4, 4, 4, seed=3)]
INPUTS = ffn_inputs()


def tolerance(x, w1, b1, w2, b2, **_):
    """Absolute tolerance: rounding in two matrix products, relative to the largest possible term."""
    d, f = np.shape(w1)
    hidden = d * np.abs(x).max(initial=0.0) * np.abs(w1).max(initial=0.0) + np.abs(b1).max(initial=0.0)
    scale = f * hidden * np.abs(w2).max(initial=0.0) + np.abs(b2).max(initial=0.0)
    return 1e-12 * (1.0 + scale)


def output(learner, args, what="the output"):
    return as_array(learner.ffn(**args), shape=np.shape(args["x"]), what=what)


# ---------------------------------------------------------------- contract

@SPEC.check("ffn", tier="contract", points=1, title="ffn returns a float64 array shaped like x (B, T, D)",
            given=INPUTS, examples=EXAMPLES)
def ffn_returns_float64_array(learner, **args):
    array_contract(learner.ffn(**args), shape=np.shape(args["x"]))


@SPEC.check("ffn", tier="contract", points=1, title="ffn leaves its inputs unchanged", given=INPUTS,
            examples=EXAMPLES[1:2])
def ffn_leaves_inputs_unchanged(learner, **args):
    _, after = learner.value_and_arguments_after("ffn", **args)
    expect_unchanged(args, after, function="ffn")


BAD_SHAPES = [
    {**example(1, 2, 3, 4), "x": np.ones((2, 3)), "why": "a 2-D x (it must be (B, T, D))"},
    {**example(1, 2, 3, 4), "w1": np.ones((4, 3)), "why": "w1 of shape (4, 3) for D = 3 (it must be (D, F))"},
    {**example(1, 2, 3, 4), "b1": np.ones(3), "why": "b1 of shape (3,) for F = 4"},
    {**example(1, 2, 3, 4), "w2": np.ones((3, 4)), "why": "w2 of shape (3, 4) for D = 3, F = 4 (it must be (F, D))"},
    {**example(1, 2, 3, 4), "b2": np.ones(4), "why": "b2 of shape (4,) for D = 3"},
]


@SPEC.check("ffn", tier="contract", points=1, title="ffn raises ValueError when the shapes do not fit together",
            examples=BAD_SHAPES)
def ffn_rejects_mismatched_shapes(learner, why, **args):
    expect_value_error(learner.outcome("ffn", **args), bad=why)


SIZES = st.integers(1, 4096)


@SPEC.check("ffn_param_count", tier="contract", points=1, title="ffn_param_count returns an int",
            given=st.fixed_dictionaries({"d_model": SIZES, "d_ff": SIZES}),
            examples=[dict(d_model=512, d_ff=2048), dict(d_model=1, d_ff=1)])
def param_count_returns_int(learner, d_model, d_ff):
    int_contract(learner.ffn_param_count(d_model=d_model, d_ff=d_ff), what="the parameter count")


@SPEC.check("ffn_param_count", tier="contract", points=1,
            title="ffn_param_count raises ValueError for a size < 1 or a bool",
            examples=[dict(d_model=0, d_ff=4, why="d_model=0"), dict(d_model=4, d_ff=-1, why="d_ff=-1"),
                      dict(d_model=True, d_ff=4, why="d_model=True (a bool is not an int)"),
                      dict(d_model=8, d_ff=False, why="d_ff=False (a bool is not an int)")])
def param_count_rejects_bad_sizes(learner, d_model, d_ff, why):
    expect_value_error(learner.outcome("ffn_param_count", d_model=d_model, d_ff=d_ff), bad=why)


# ---------------------------------------------------------------- properties

@SPEC.check("ffn", tier="properties", points=2,
            title="each position's output is what the block gives that token alone",
            given=INPUTS, examples=EXAMPLES[1:])
def ffn_each_position_alone(learner, **args):
    whole = output(learner, args, "the output for the whole sequence")
    x = args["x"]
    for t in range(x.shape[1]):
        alone = output(learner, {**args, "x": x[:, t:t + 1]}, f"the output for position {t} alone")
        expect_close(whole[:, t:t + 1], alone, rtol=1e-9, atol=tolerance(**args),
                     what=f"the output at position {t} (the whole sequence against that token alone)")


@SPEC.check("ffn", tier="properties", points=2,
            title="shuffling the positions shuffles the output the same way",
            given=INPUTS.flatmap(lambda a: st.permutations(range(a["x"].shape[1])).map(
                lambda p: {**a, "perm": np.array(p)})),
            examples=[{**EXAMPLES[1], "perm": np.array([2, 0, 1])}, {**EXAMPLES[3], "perm": np.array([3, 2, 1, 0])}])
def ffn_is_permutation_equivariant(learner, perm, **args):
    out = output(learner, args)
    shuffled = output(learner, {**args, "x": args["x"][:, perm]}, "the output for the shuffled positions")
    expect_close(shuffled, out[:, perm], rtol=1e-9, atol=tolerance(**args),
                 what=f"the output after shuffling the positions by {perm.tolist()}")


@SPEC.check("ffn", tier="properties", points=2,
            title="when every hidden pre-activation is negative, the output is b2 at every position",
            given=INPUTS.map(lambda a: {**a, "b1": a["b1"] - 100.0}),
            examples=[{**FIRST_EXAMPLE, "b1": np.array([-5.0])}, {**EXAMPLES[2], "b1": np.full(5, -50.0)}])
def ffn_dead_hidden_layer_gives_b2(learner, **args):
    out = output(learner, args)
    expect_close(out, np.broadcast_to(args["b2"], out.shape), rtol=1e-9, atol=tolerance(**args),
                 what="the output when x @ w1 + b1 < 0 everywhere")


@SPEC.check("ffn_param_count", tier="properties", points=1,
            title="one more hidden unit adds 2 * d_model + 1 parameters",
            given=st.fixed_dictionaries({"d_model": SIZES, "d_ff": SIZES}),
            examples=[dict(d_model=4, d_ff=8), dict(d_model=1, d_ff=1)])
def param_count_grows_by_hidden_unit(learner, d_model, d_ff):
    smaller = int_contract(learner.ffn_param_count(d_model=d_model, d_ff=d_ff), what="the parameter count")
    larger = int_contract(learner.ffn_param_count(d_model=d_model, d_ff=d_ff + 1), what="the parameter count")
    expect_close(larger - smaller, 2 * d_model + 1, rtol=0, atol=0.5,
                 what=f"ffn_param_count({d_model}, {d_ff + 1}) - ffn_param_count({d_model}, {d_ff})")


# ---------------------------------------------------------------- reference

@SPEC.check("ffn", tier="reference", points=3, title="ffn matches the reference", given=INPUTS, examples=EXAMPLES)
def ffn_matches_reference(learner, **args):
    expect_close(output(learner, args), ref.ffn(**args), rtol=1e-9, atol=tolerance(**args))


@SPEC.check("ffn", tier="reference", points=1, title="ffn matches the reference when F = D (square weights)",
            given=ffn_inputs(square=True), examples=[example(1, 2, 2, 2, seed=4), example(2, 2, 3, 3, seed=5)])
def ffn_square_matches_reference(learner, **args):
    expect_close(output(learner, args), ref.ffn(**args), rtol=1e-9, atol=tolerance(**args))


@SPEC.check("ffn_param_count", tier="reference", points=2, title="ffn_param_count matches the reference",
            given=st.fixed_dictionaries({"d_model": SIZES, "d_ff": SIZES}),
            examples=[dict(d_model=512, d_ff=2048), dict(d_model=3, d_ff=5), dict(d_model=7, d_ff=1)])
def param_count_matches_reference(learner, d_model, d_ff):
    got = int_contract(learner.ffn_param_count(d_model=d_model, d_ff=d_ff), what="the parameter count")
    expect_close(got, ref.ffn_param_count(d_model, d_ff), rtol=0, atol=0.5,
                 what=f"ffn_param_count({d_model}, {d_ff})")


# ---------------------------------------------------------------- stability

@SPEC.check("ffn", tier="stability", points=1, title="ffn matches the reference on a long sequence (T = 256)",
            given=ffn_inputs(sides=(1, 1, 16, 32)).map(
                lambda a: {**a, "x": np.tile(a["x"], (2, 256, 1)) * np.linspace(-1, 1, 256)[None, :, None]}),
            max_examples=3, examples=[example(2, 256, 16, 64, seed=6)])
def ffn_handles_long_sequences(learner, **args):
    expect_close(output(learner, args), ref.ffn(**args), rtol=1e-9, atol=tolerance(**args))


@SPEC.check("ffn", tier="stability", points=1, title="ffn keeps its relative accuracy for inputs around 1e6",
            given=ffn_inputs(elements=LARGE), examples=[{**EXAMPLES[2], "x": EXAMPLES[2]["x"] * 1e6}])
def ffn_handles_large_inputs(learner, **args):
    with learner.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
        got = output(learner, args)
    expect_close(got, ref.ffn(**args), rtol=1e-9, atol=tolerance(**args))


@SPEC.check("ffn_param_count", tier="stability", points=1,
            title="ffn_param_count is exact for GPT-3-sized blocks (no float rounding)",
            examples=[dict(d_model=12288, d_ff=49152), dict(d_model=2**26 + 1, d_ff=2**27 + 3)])
def param_count_is_exact_for_large_sizes(learner, d_model, d_ff):
    got = int_contract(learner.ffn_param_count(d_model=d_model, d_ff=d_ff), what="the parameter count")
    want = ref.ffn_param_count(d_model, d_ff)
    if got != want:
        raise Failure(f"ffn_param_count({d_model}, {d_ff}) is {got}, expected {want} (off by {got - want})",
                      expected=want, got=got)


# ---------------------------------------------------------------- known mistakes
# Written as if they lived in solutions/ffn.py: they may use its _checked helper.

@SPEC.mistake_helper
def _ffn_with(x, w1, b1, w2, b2, *, relu=True, relu_output=False, bias_after_relu=False, transposed=False):
    """ffn with one switch per known mistake (defaults: the right block)."""
    x, w1, b1, w2, b2 = _checked(x, w1, b1, w2, b2)
    if transposed:
        w1, w2 = w1.T, w2.T
    pre = x @ w1 if bias_after_relu else x @ w1 + b1
    hidden = np.maximum(pre, 0.0) if relu else pre
    if bias_after_relu:
        hidden = hidden + b1
    out = hidden @ w2 + b2
    return np.maximum(out, 0.0) if relu_output else out


@SPEC.mistake("ffn", "no ReLU between the two layers: the block collapses to one linear map",
              hint="Apply max(0, .) to the hidden layer: hidden = np.maximum(x @ w1 + b1, 0), then hidden @ w2 + b2.")
def ffn_without_relu(x, w1, b1, w2, b2):
    return _ffn_with(x, w1, b1, w2, b2, relu=False)


@SPEC.mistake("ffn", "applies a ReLU to the output as well",
              hint="The ReLU sits between the layers only; the second layer's output (plus b2) is returned "
                   "as is, negative values included.")
def ffn_relu_on_output(x, w1, b1, w2, b2):
    return _ffn_with(x, w1, b1, w2, b2, relu_output=True)


@SPEC.mistake("ffn", "adds b1 after the ReLU instead of before it",
              hint="b1 is part of the first linear layer: max(0, x @ w1 + b1), with the bias inside the max.")
def ffn_bias_after_relu(x, w1, b1, w2, b2):
    return _ffn_with(x, w1, b1, w2, b2, bias_after_relu=True)


@SPEC.mistake("ffn", "applies the weights transposed (torch's (out, in) layout)",
              hint="Here w1 is (D, F) and w2 is (F, D), stored (in, out): multiply x @ w1, not x @ w1.T.")
def ffn_transposed_weights(x, w1, b1, w2, b2):
    return _ffn_with(x, w1, b1, w2, b2, transposed=True)


@SPEC.mistake("ffn_param_count", "counts the weights but not the biases (2 * D * F)",
              hint="Each linear layer has a bias too: F for the first, D for the second.")
def param_count_without_biases(d_model, d_ff):
    return 2 * d_model * d_ff


@SPEC.mistake("ffn_param_count", "counts only one weight matrix (D * F + F + D)",
              hint="There are two weight matrices, w1 (D, F) and w2 (F, D): 2 * D * F weights.")
def param_count_one_matrix(d_model, d_ff):
    return d_model * d_ff + d_ff + d_model


@SPEC.mistake("ffn_param_count", "counts the hidden bias twice (2 * D * F + 2 * F)",
              hint="b1 has F entries (one per hidden unit) and b2 has D (one per output): 2DF + F + D.")
def param_count_hidden_bias_twice(d_model, d_ff):
    return 2 * d_model * d_ff + 2 * d_ff
