"""Checks for scaled_dot_product_attention and multi_head_attention (DESIGN.md, topic attention)."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging.checks import Spec
from grader.judging.expect import (array_contract, as_array, expect_close, expect_unchanged, expect_value_error,
                                   tuple_contract)

SDPA = "scaled_dot_product_attention"
MHA = "multi_head_attention"
TIME = "time_attention"

SPEC = Spec(
    "attention",
    functions=(SDPA, MHA, TIME),
    forbidden=(
        "torch.nn.functional.scaled_dot_product_attention", "torch.nn.functional.multi_head_attention_forward",
        "torch.nn.MultiheadAttention", "torch.nn.modules.MultiheadAttention",
        "torch.nn.modules.activation.MultiheadAttention",
        "jax.nn.dot_product_attention",
    ),
    # Attribute calls the import tracking cannot resolve, e.g. `F = torch.nn.functional; F.scaled_...`.
    forbidden_methods=("scaled_dot_product_attention", "multi_head_attention_forward", "MultiheadAttention",
                       "dot_product_attention"),
)
ref = SPEC.reference

VALUES = st.floats(-10, 10, allow_nan=False, allow_infinity=False)  # q, k, v: scores up to ~250
LARGE = st.floats(-100, 100, allow_nan=False, allow_infinity=False)  # scores up to ~2e4
SMALL = st.floats(-2, 2, allow_nan=False, allow_infinity=False)  # multi-head inputs (projected up to ~12)
PROJECTIONS = st.floats(-1, 1, allow_nan=False, allow_infinity=False)  # entries of w_q, w_k, w_v, w_o
LARGE_INPUTS = st.floats(-30, 30, allow_nan=False, allow_infinity=False)  # multi-head scores up to ~1e4
BATCHES = st.sampled_from([(), (1,), (2,), (3, 2)])  # leading dimensions of q, k and v
SIDES = st.integers(1, 4)
HEADS = st.integers(1, 4)  # with D = num_heads * (1 to 4 // num_heads), so D <= 4
RAISE_ON_FP_ERRORS = dict(over="raise", divide="raise", invalid="raise", under="ignore")


def allow_every_row(mask):
    """A row that allows nothing becomes all True, so every query keeps a key (a well-posed input)."""
    return mask | ~mask.any(axis=-1, keepdims=True)


@st.composite
def sdpa_inputs(draw, elements=VALUES, masks=("none", "full", "plain", "keys")):
    """q, k, v with optional batch dimensions, and a mask of shape (..., T, S), (T, S) or (1, S)."""
    batch = draw(BATCHES)
    t, s, d, dv = (draw(SIDES) for _ in range(4))
    args = {"q": draw(nps.arrays(np.float64, (*batch, t, d), elements=elements)),
            "k": draw(nps.arrays(np.float64, (*batch, s, d), elements=elements)),
            "v": draw(nps.arrays(np.float64, (*batch, s, dv), elements=elements))}
    kind = draw(st.sampled_from(masks))
    if kind != "none":
        shape = {"full": (*batch, t, s), "plain": (t, s), "keys": (1, s)}[kind]
        args["mask"] = allow_every_row(draw(nps.arrays(np.bool_, shape)))
    return args


@st.composite
def mha_inputs(draw, elements=SMALL, heads=HEADS, masks=("none", "plain", "batched")):
    """q (B, T, D), k and v (B, S, D), four (D, D) projections, num_heads dividing D, an optional mask."""
    b, t, s = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    h = draw(heads)
    d = h * draw(st.integers(1, 4 // h))
    args = {"q": draw(nps.arrays(np.float64, (b, t, d), elements=elements)),
            "k": draw(nps.arrays(np.float64, (b, s, d), elements=elements)),
            "v": draw(nps.arrays(np.float64, (b, s, d), elements=elements))}
    for name in ("w_q", "w_k", "w_v", "w_o"):
        args[name] = draw(nps.arrays(np.float64, (d, d), elements=PROJECTIONS))
    args["num_heads"] = h
    kind = draw(st.sampled_from(masks))
    if kind != "none":
        args["mask"] = allow_every_row(draw(nps.arrays(np.bool_, (t, s) if kind == "plain" else (b, t, s))))
    return args


@st.composite
def causal_sdpa_inputs(draw):
    """Self-attention with a causal mask, and new keys/values from position `cut` on."""
    batch, t, d, dv = draw(BATCHES), draw(st.integers(2, 4)), draw(SIDES), draw(SIDES)
    cut = draw(st.integers(1, t - 1))
    k, v = (draw(nps.arrays(np.float64, (*batch, t, n), elements=VALUES)) for n in (d, dv))
    new_k, new_v = k.copy(), v.copy()
    new_k[..., cut:, :] = draw(nps.arrays(np.float64, (*batch, t - cut, d), elements=VALUES))
    new_v[..., cut:, :] = draw(nps.arrays(np.float64, (*batch, t - cut, dv), elements=VALUES))
    return {"q": draw(nps.arrays(np.float64, (*batch, t, d), elements=VALUES)), "k": k, "v": v,
            "mask": np.tril(np.ones((t, t), dtype=bool)), "new_k": new_k, "new_v": new_v, "cut": cut}


@st.composite
def causal_mha_inputs(draw):
    """Self-attention (q = k = v = x) with a causal mask, and tokens changed from position `cut` on."""
    b, t, h = draw(st.integers(1, 2)), draw(st.integers(2, 3)), draw(HEADS)
    d = h * draw(st.integers(1, 4 // h))
    cut = draw(st.integers(1, t - 1))
    x = draw(nps.arrays(np.float64, (b, t, d), elements=SMALL))
    changed = x.copy()
    changed[:, cut:] = draw(nps.arrays(np.float64, (b, t - cut, d), elements=SMALL))
    args = {"q": x, "k": x, "v": x}
    for name in ("w_q", "w_k", "w_v", "w_o"):
        args[name] = draw(nps.arrays(np.float64, (d, d), elements=PROJECTIONS))
    return {**args, "num_heads": h, "mask": np.tril(np.ones((t, t), dtype=bool)), "changed": changed, "cut": cut}


def with_permutation(inputs, axis_of):
    """Inputs plus `perm`, a permutation of the axis named by axis_of(inputs)."""
    return inputs.flatmap(lambda a: st.permutations(range(axis_of(a))).map(lambda p: {**a, "perm": np.array(p)}))


def single_head_identity(args):
    eye = np.eye(args["q"].shape[-1])
    return {**args, "w_q": eye, "w_k": eye, "w_v": eye, "w_o": eye, "num_heads": 1}


SDPA_INPUTS = sdpa_inputs()
MHA_INPUTS = mha_inputs()

# Explicit examples run first and fail without shrinking: small, but every mask shape and
# several heads, so most wrong solutions are shown one of these at once.
FIRST_EXAMPLE = dict(q=[[1.0, 0.0]], k=[[1.0, 0.0], [0.0, 1.0]], v=[[1.0], [3.0]])
MASKED_EXAMPLE = dict(q=np.array([[1.0, 2.0], [0.5, -1.0]]), k=np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]]),
                      v=np.array([[1.0, -1.0], [3.0, 0.0], [-2.0, 5.0]]),
                      mask=np.array([[True, False, True], [False, True, True]]))
BATCHED_EXAMPLE = dict(q=np.linspace(-2.0, 2.0, 8).reshape(2, 2, 2), k=np.linspace(1.5, -1.5, 12).reshape(2, 3, 2),
                       v=np.linspace(-1.0, 3.0, 6).reshape(2, 3, 1),
                       mask=np.array([[[True, True, True], [False, True, False]],
                                      [[True, False, True], [True, True, False]]]))
KEY_MASK_EXAMPLE = dict(q=np.linspace(-1.0, 2.0, 12).reshape(2, 3, 2), k=np.linspace(2.0, -1.0, 12).reshape(2, 3, 2),
                        v=np.cos(np.arange(12.0)).reshape(2, 3, 2), mask=np.array([[True, False, True]]))
SDPA_EXAMPLES = [FIRST_EXAMPLE, MASKED_EXAMPLE, BATCHED_EXAMPLE, KEY_MASK_EXAMPLE]


def scrambled(shape, offset, modulus=11):
    """Deterministic, irregular multiples of 0.25 (short to print, no symmetry to hide a bug)."""
    n = int(np.prod(shape))
    return ((np.arange(n) * 7 + offset) % modulus - modulus // 2).reshape(shape) / 4.0


def mha_example(b, t, s, d, num_heads, mask=None):
    """Multi-head inputs of the given sizes."""
    example = dict(q=scrambled((b, t, d), 0), k=scrambled((b, s, d), 3), v=scrambled((b, s, d), 6))
    for offset, name in enumerate(("w_q", "w_k", "w_v", "w_o")):
        example[name] = scrambled((d, d), 2 * offset + 1, modulus=9)
    return {**example, "num_heads": num_heads, **({} if mask is None else {"mask": np.array(mask)})}


BATCHED_MASK = [[[True, False, True], [False, True, True]], [[True, True, True], [False, False, True]]]
MHA_EXAMPLES = [
    mha_example(1, 2, 3, 4, 2),
    mha_example(1, 2, 3, 4, 2, mask=[[True, False, True], [False, True, True]]),
    mha_example(2, 2, 3, 4, 2, mask=BATCHED_MASK),
    mha_example(2, 2, 3, 4, 4, mask=BATCHED_MASK),
]
CAUSAL_EXAMPLE = dict(q=np.linspace(-1.0, 1.0, 8).reshape(4, 2), k=np.linspace(2.0, 0.0, 8).reshape(4, 2),
                      v=np.array([[1.0], [2.0], [3.0], [4.0]]), mask=np.tril(np.ones((4, 4), dtype=bool)), cut=2)
CAUSAL_EXAMPLE["new_k"] = np.concatenate([CAUSAL_EXAMPLE["k"][:2], [[-5.0, 5.0], [9.0, 9.0]]])
CAUSAL_EXAMPLE["new_v"] = np.concatenate([CAUSAL_EXAMPLE["v"][:2], [[-7.0], [8.0]]])
CAUSAL_MHA_EXAMPLE = {**mha_example(1, 3, 3, 4, 2), "mask": np.tril(np.ones((3, 3), dtype=bool)), "cut": 2}
CAUSAL_MHA_EXAMPLE["k"] = CAUSAL_MHA_EXAMPLE["v"] = CAUSAL_MHA_EXAMPLE["q"]
CAUSAL_MHA_EXAMPLE["changed"] = np.concatenate([CAUSAL_MHA_EXAMPLE["q"][:, :2], np.full((1, 1, 4), 2.0)], axis=1)


# ---------------------------------------------------------------- helpers

def sdpa_shapes(q, k, v, mask=None):
    """(output shape, weights shape) the contract promises."""
    q, k, v = np.shape(q), np.shape(k), np.shape(v)
    weights = (*np.broadcast_shapes(q[:-2], k[:-2], v[:-2]), q[-2], k[-2])
    if mask is not None:
        weights = np.broadcast_shapes(weights, np.shape(mask))
    return (*weights[:-1], v[-1]), tuple(weights)


def attend(learner, args):
    """The learner's (output, weights) as float64 arrays of the promised shapes."""
    out_shape, weights_shape = sdpa_shapes(**args)
    out, weights = tuple_contract(learner.scaled_dot_product_attention(**args), 2)
    return (as_array(out, shape=out_shape, what="the output (first item)"),
            as_array(weights, shape=weights_shape, what="the weights (second item)"))


def attend_heads(learner, args):
    b, t, d = np.shape(args["q"])
    out, weights = tuple_contract(learner.multi_head_attention(**args), 2)
    return (as_array(out, shape=(b, t, d), what="the output (first item)"),
            as_array(weights, shape=(b, args["num_heads"], t, np.shape(args["k"])[1]),
                     what="the weights (second item)"))


def sdpa_tolerances(q, k, v, **_):
    """(atol for the output, atol for the weights), both with rtol=1e-9.

    Rounding moves a score by ~eps * |q| |k| sqrt(d) and a weight by that much relatively;
    1e-12 of the score scale leaves a wide margin for any summation order.
    """
    q, k, v = (np.abs(np.asarray(x, dtype=np.float64)) for x in (q, k, v))
    scale = 1.0 + np.sqrt(q.shape[-1]) * q.max(initial=0.0) * k.max(initial=0.0)
    return 1e-12 * scale * (1.0 + v.max(initial=0.0)), 1e-12 * scale


def mha_tolerances(q, k, v, w_q, w_k, w_v, w_o, **_):
    """As sdpa_tolerances, with the projected inputs' bounds (|x @ w| <= D max|x| max|w|)."""
    d = np.shape(q)[-1]

    def bound(x, w):
        return d * np.abs(x).max(initial=0.0) * np.abs(w).max(initial=0.0)

    scale = 1.0 + np.sqrt(d) * bound(q, w_q) * bound(k, w_k)
    atol_weights = 1e-12 * scale
    return atol_weights * (1.0 + bound(v, w_v)) * (1.0 + d * np.abs(w_o).max(initial=0.0)), atol_weights


def broadcast_mask(args, shape):
    mask = args.get("mask")
    return np.ones(shape, dtype=bool) if mask is None else np.broadcast_to(mask, shape)


def head_mask(args, shape):
    """A multi-head mask (T, S) or (B, T, S) broadcast to the weights' (B, h, T, S)."""
    mask = args.get("mask")
    if mask is None:
        return np.ones(shape, dtype=bool)
    return np.broadcast_to(mask if mask.ndim == 2 else mask[:, None], shape)


def expect_distribution(weights, mask, function):
    expect_close(np.minimum(weights, 0.0), np.zeros_like(weights), rtol=0, atol=1e-15,
                 what=f"a negative weight of {function}")
    expect_close(weights.sum(axis=-1), np.ones(weights.shape[:-1]), rtol=0, atol=1e-12,
                 what=f"a row sum of the weights of {function}")
    expect_close(np.where(mask, 0.0, weights), np.zeros_like(weights), rtol=0, atol=1e-15,
                 what=f"a weight of {function} where the mask is False")


# ---------------------------------------------------------------- contract

@SPEC.check(SDPA, tier="contract", points=2,
            title="scaled_dot_product_attention returns two float64 arrays: output (..., T, d_v), weights (..., T, S)",
            given=SDPA_INPUTS, examples=SDPA_EXAMPLES)
def sdpa_returns_float64_arrays(learner, **args):
    out_shape, weights_shape = sdpa_shapes(**args)
    out, weights = tuple_contract(learner.scaled_dot_product_attention(**args), 2)
    array_contract(out, shape=out_shape, what="the output (first item)")
    array_contract(weights, shape=weights_shape, what="the weights (second item)")


@SPEC.check(SDPA, tier="contract", points=1, title="scaled_dot_product_attention leaves its inputs unchanged",
            given=SDPA_INPUTS, examples=SDPA_EXAMPLES[1:])
def sdpa_leaves_inputs_unchanged(learner, **args):
    _, after = learner.value_and_arguments_after(SDPA, **args)
    expect_unchanged(args, after, function=SDPA)


FULLY_MASKED_EXAMPLES = [
    dict(q=np.array([[1.0, 0.0], [0.0, 1.0]]), k=np.array([[1.0, 0.0], [0.0, 1.0]]), v=np.array([[1.0], [2.0]]),
         mask=np.array([[True, False], [False, False]]), why="a mask whose second row allows no key"),
    dict(q=np.ones((2, 1, 2)), k=np.ones((2, 2, 2)), v=np.ones((2, 2, 1)),
         mask=np.array([[[True, True]], [[False, False]]]), why="a batched mask with a row that allows no key"),
    dict(q=np.ones((2, 2)), k=np.ones((3, 2)), v=np.ones((3, 2)), mask=np.array([[True], [False]]),
         why="a (T, 1) mask that blocks every key for the second query"),
    dict(q=np.ones((2, 2)), k=np.ones((3, 2)), v=np.ones((3, 2)), mask=np.zeros((1, 3), dtype=bool),
         why="a mask that is False everywhere"),
]


@SPEC.check(SDPA, tier="contract", points=1,
            title="scaled_dot_product_attention raises ValueError when a query may attend to no key",
            examples=FULLY_MASKED_EXAMPLES)
def sdpa_rejects_fully_masked_rows(learner, q, k, v, mask, why):
    expect_value_error(learner.outcome(SDPA, q=q, k=k, v=v, mask=mask), bad=why)


@SPEC.check(MHA, tier="contract", points=2,
            title="multi_head_attention returns two float64 arrays: output (B, T, D), weights (B, num_heads, T, S)",
            given=MHA_INPUTS, examples=MHA_EXAMPLES)
def mha_returns_float64_arrays(learner, **args):
    b, t, d = np.shape(args["q"])
    out, weights = tuple_contract(learner.multi_head_attention(**args), 2)
    array_contract(out, shape=(b, t, d), what="the output (first item)")
    array_contract(weights, shape=(b, args["num_heads"], t, np.shape(args["k"])[1]), what="the weights (second item)")


@SPEC.check(MHA, tier="contract", points=1, title="multi_head_attention leaves its inputs unchanged",
            given=MHA_INPUTS, examples=MHA_EXAMPLES)
def mha_leaves_inputs_unchanged(learner, **args):
    _, after = learner.value_and_arguments_after(MHA, **args)
    expect_unchanged(args, after, function=MHA)


BAD_MHA_EXAMPLES = [
    {**mha_example(1, 2, 2, 3, 2), "why": "D = 3 with num_heads = 2"},
    {**mha_example(1, 2, 2, 4, 3), "why": "D = 4 with num_heads = 3"},
    {**mha_example(1, 2, 2, 6, 4), "why": "D = 6 with num_heads = 4"},
    {**mha_example(1, 2, 2, 4, 2, mask=[[True, True], [False, False]]),
     "why": "a (T, S) mask whose second row allows no key"},
    {**mha_example(2, 2, 2, 4, 2, mask=[[[True, True], [True, False]], [[True, False], [False, False]]]),
     "why": "a (B, T, S) mask with a row that allows no key"},
]


@SPEC.check(MHA, tier="contract", points=1,
            title="multi_head_attention raises ValueError when num_heads does not divide D or a query may "
                  "attend to no key",
            examples=BAD_MHA_EXAMPLES)
def mha_rejects_bad_input(learner, why, **args):
    expect_value_error(learner.outcome(MHA, **args), bad=why)


# ---------------------------------------------------------------- properties

@SPEC.check(SDPA, tier="properties", points=2,
            title="the weights are non-negative, each row sums to 1, and blocked keys get weight 0",
            given=SDPA_INPUTS, examples=SDPA_EXAMPLES)
def sdpa_weights_form_a_distribution(learner, **args):
    _, weights = attend(learner, args)
    expect_distribution(weights, broadcast_mask(args, weights.shape), SDPA)


@SPEC.check(SDPA, tier="properties", points=1,
            title="each output lies between the smallest and largest allowed value, coordinate by coordinate",
            given=SDPA_INPUTS, examples=SDPA_EXAMPLES)
def sdpa_output_is_within_allowed_values(learner, **args):
    out, weights = attend(learner, args)
    mask = broadcast_mask(args, weights.shape)[..., None]  # (..., T, S, 1)
    v = np.asarray(args["v"], dtype=np.float64)[..., None, :, :]  # (..., 1, S, d_v)
    low, high = np.where(mask, v, np.inf).min(axis=-2), np.where(mask, v, -np.inf).max(axis=-2)  # (..., T, d_v)
    atol = 1e-12 * (1.0 + np.abs(v).max(initial=0.0))
    expect_close(out, np.clip(out, low, high), rtol=0, atol=atol,
                 what="the output, which must stay within the range of the values it may attend to,")


def _identical_keys(args):
    k = np.asarray(args["k"])
    return {**args, "k": np.broadcast_to(k[..., :1, :], k.shape).copy()}


@SPEC.check(SDPA, tier="properties", points=1,
            title="when every key is the same, each output is the mean of the values it may attend to",
            given=SDPA_INPUTS.map(_identical_keys), examples=[_identical_keys(e) for e in SDPA_EXAMPLES[1:]])
def sdpa_identical_keys_give_mean_of_values(learner, **args):
    out, weights = attend(learner, args)
    mask = broadcast_mask(args, weights.shape)[..., None]  # (..., T, S, 1)
    v = np.asarray(args["v"], dtype=np.float64)[..., None, :, :]
    mean = (mask * v).sum(axis=-2) / mask.sum(axis=-2)
    expect_close(out, np.broadcast_to(mean, out.shape), rtol=1e-9, atol=1e-12 * (1.0 + np.abs(v).max(initial=0.0)),
                 what="the output")


@SPEC.check(SDPA, tier="properties", points=1,
            title="shuffling the keys and values together leaves the output unchanged",
            given=with_permutation(SDPA_INPUTS, lambda a: np.shape(a["k"])[-2]),
            examples=[{**e, "perm": np.array([2, 0, 1])} for e in SDPA_EXAMPLES[1:]])
def sdpa_key_order_does_not_matter(learner, perm, **args):
    out, weights = attend(learner, args)
    shuffled = {**args, "k": args["k"][..., perm, :], "v": args["v"][..., perm, :]}
    if "mask" in args:
        shuffled["mask"] = args["mask"][..., perm]
    out_p, weights_p = attend(learner, shuffled)
    atol_out, atol_weights = sdpa_tolerances(**args)
    expect_close(out_p, out, rtol=1e-9, atol=atol_out, what=f"the output after shuffling the keys by {perm.tolist()}")
    expect_close(weights_p, weights[..., perm], rtol=1e-9, atol=atol_weights,
                 what=f"the weight matrix after shuffling the keys by {perm.tolist()}")


@SPEC.check(SDPA, tier="properties", points=1,
            title="shuffling the queries shuffles the output rows the same way",
            given=with_permutation(SDPA_INPUTS, lambda a: np.shape(a["q"])[-2]),
            examples=[{**MASKED_EXAMPLE, "perm": np.array([1, 0])}, {**BATCHED_EXAMPLE, "perm": np.array([1, 0])},
                      {**KEY_MASK_EXAMPLE, "perm": np.array([2, 0, 1])}])
def sdpa_query_order_permutes_output(learner, perm, **args):
    out, weights = attend(learner, args)
    shuffled = {**args, "q": args["q"][..., perm, :]}
    if "mask" in args and args["mask"].shape[-2] > 1:
        shuffled["mask"] = args["mask"][..., perm, :]
    out_p, weights_p = attend(learner, shuffled)
    atol_out, atol_weights = sdpa_tolerances(**args)
    expect_close(out_p, out[..., perm, :], rtol=1e-9, atol=atol_out,
                 what=f"the output after shuffling the queries by {perm.tolist()}")
    expect_close(weights_p, weights[..., perm, :], rtol=1e-9, atol=atol_weights,
                 what=f"the weight matrix after shuffling the queries by {perm.tolist()}")


@SPEC.check(SDPA, tier="properties", points=2,
            title="with a causal mask, changing later keys and values changes nothing for earlier queries",
            given=causal_sdpa_inputs(), examples=[CAUSAL_EXAMPLE])
def sdpa_causal_mask_hides_the_future(learner, q, k, v, mask, new_k, new_v, cut):
    out, weights = attend(learner, dict(q=q, k=k, v=v, mask=mask))
    out_new, weights_new = attend(learner, dict(q=q, k=new_k, v=new_v, mask=mask))
    atol_out, atol_weights = sdpa_tolerances(q, np.maximum(np.abs(k), np.abs(new_k)),
                                             np.maximum(np.abs(v), np.abs(new_v)))
    changed = f"after changing the keys and values from position {cut} on"
    expect_close(out_new[..., :cut, :], out[..., :cut, :], rtol=1e-9, atol=atol_out,
                 what=f"the output for the first {cut} queries, {changed},")
    expect_close(weights_new[..., :cut, :], weights[..., :cut, :], rtol=1e-9, atol=atol_weights,
                 what=f"the weight matrix for the first {cut} queries, {changed},")


@SPEC.check(SDPA, tier="properties", points=1,
            title="multiplying q by a and dividing k by a leaves the result unchanged",
            given=st.tuples(SDPA_INPUTS, st.floats(0.1, 10.0)).map(lambda t: {**t[0], "a": t[1]}),
            examples=[{**MASKED_EXAMPLE, "a": 3.0}, {**BATCHED_EXAMPLE, "a": 0.25}])
def sdpa_scaling_q_against_k_changes_nothing(learner, a, **args):
    out, weights = attend(learner, args)
    out_a, weights_a = attend(learner, {**args, "q": args["q"] * a, "k": args["k"] / a})
    atol_out, atol_weights = sdpa_tolerances(**args)
    expect_close(out_a, out, rtol=1e-9, atol=atol_out, what=f"the output for (q * {a!r}, k / {a!r})")
    expect_close(weights_a, weights, rtol=1e-9, atol=atol_weights, what=f"the weight matrix for (q * {a!r}, k / {a!r})")


@SPEC.check(MHA, tier="properties", points=1,
            title="each head's weights are non-negative, each row sums to 1, and blocked keys get weight 0",
            given=MHA_INPUTS, examples=MHA_EXAMPLES)
def mha_weights_form_a_distribution(learner, **args):
    _, weights = attend_heads(learner, args)
    expect_distribution(weights, head_mask(args, weights.shape), MHA)


@SPEC.check(MHA, tier="properties", points=2,
            title="with one head and identity projections, multi_head_attention equals scaled_dot_product_attention",
            given=mha_inputs(heads=st.just(1)).map(single_head_identity),
            examples=[single_head_identity(e) for e in MHA_EXAMPLES[1:3]])
def mha_single_head_identity_is_sdpa(learner, **args):
    out, weights = attend_heads(learner, args)
    plain = {name: args[name] for name in ("q", "k", "v", "mask") if name in args}
    out_sdpa, weights_sdpa = attend(learner, plain)
    atol_out, atol_weights = mha_tolerances(**args)
    expect_close(out, out_sdpa, rtol=1e-9, atol=atol_out, what="the output (compared with your "
                 "scaled_dot_product_attention(q, k, v, mask))")
    expect_close(weights[:, 0], weights_sdpa, rtol=1e-9, atol=atol_weights,
                 what="the weight matrix of the single head (compared with your scaled_dot_product_attention)")


@SPEC.check(MHA, tier="properties", points=1,
            title="with a causal mask, changing later tokens changes nothing for earlier ones in multi_head_attention",
            given=causal_mha_inputs(), examples=[CAUSAL_MHA_EXAMPLE])
def mha_causal_mask_hides_the_future(learner, changed, cut, **args):
    out, weights = attend_heads(learner, args)
    out_new, weights_new = attend_heads(learner, {**args, "q": changed, "k": changed, "v": changed})
    big = np.maximum(np.abs(args["q"]), np.abs(changed))
    atol_out, atol_weights = mha_tolerances(**{**args, "q": big, "k": big, "v": big})
    changed = f"after changing the tokens (q = k = v) from position {cut} on"
    expect_close(out_new[:, :cut], out[:, :cut], rtol=1e-9, atol=atol_out,
                 what=f"the output for the first {cut} tokens, {changed},")
    expect_close(weights_new[:, :, :cut], weights[:, :, :cut], rtol=1e-9, atol=atol_weights,
                 what=f"the weight matrix for the first {cut} queries of each head, {changed},")


# ---------------------------------------------------------------- reference

@SPEC.check(SDPA, tier="reference", points=3, title="scaled_dot_product_attention matches the reference",
            given=SDPA_INPUTS, examples=SDPA_EXAMPLES)
def sdpa_matches_reference(learner, **args):
    out, weights = attend(learner, args)
    out_ref, weights_ref = ref.scaled_dot_product_attention(**args)
    atol_out, atol_weights = sdpa_tolerances(**args)
    expect_close(weights, weights_ref, rtol=1e-9, atol=atol_weights, what="the weight matrix")
    expect_close(out, out_ref, rtol=1e-9, atol=atol_out, what="the output")


@SPEC.check(MHA, tier="reference", points=3, title="multi_head_attention matches the reference",
            given=MHA_INPUTS, examples=MHA_EXAMPLES)
def mha_matches_reference(learner, **args):
    out, weights = attend_heads(learner, args)
    out_ref, weights_ref = ref.multi_head_attention(**args)
    atol_out, atol_weights = mha_tolerances(**args)
    expect_close(weights, weights_ref, rtol=1e-9, atol=atol_weights, what="the weight matrix")
    expect_close(out, out_ref, rtol=1e-9, atol=atol_out, what="the output")


# ---------------------------------------------------------------- stability

LARGE_SCORE_EXAMPLES = [
    dict(q=np.array([[100.0, 100.0]]), k=np.array([[100.0, 100.0], [-100.0, -100.0]]), v=np.array([[1.0], [2.0]])),
    # The blocked key has by far the largest score: the allowed ones must not underflow to 0 / 0.
    dict(q=np.array([[100.0], [-100.0]]), k=np.array([[100.0], [1.0], [-2.0]]), v=np.array([[5.0], [1.0], [2.0]]),
         mask=np.array([[False, True, True]])),
]


@SPEC.check(SDPA, tier="stability", points=2,
            title="scaled_dot_product_attention handles scores around 1e4 without overflow",
            given=sdpa_inputs(elements=LARGE), examples=LARGE_SCORE_EXAMPLES)
def sdpa_handles_large_scores(learner, **args):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        out, weights = attend(learner, args)
    out_ref, weights_ref = ref.scaled_dot_product_attention(**args)
    atol_out, atol_weights = sdpa_tolerances(**args)
    expect_close(weights, weights_ref, rtol=1e-9, atol=atol_weights, what="the weight matrix")
    expect_close(out, out_ref, rtol=1e-9, atol=atol_out, what="the output")


@SPEC.check(MHA, tier="stability", points=1, title="multi_head_attention handles scores around 1e4 without overflow",
            given=mha_inputs(elements=LARGE_INPUTS),
            examples=[{**single_head_identity(mha_example(1, 2, 2, 2, 1)),
                       "q": np.array([[[100.0, 0.0], [0.0, -100.0]]]), "k": np.array([[[100.0, 0.0], [0.0, 100.0]]]),
                       "v": np.array([[[1.0, 2.0], [3.0, 4.0]]])},
                      {**mha_example(2, 2, 3, 4, 2, mask=BATCHED_MASK), "q": np.full((2, 2, 4), 30.0)}])
def mha_handles_large_scores(learner, **args):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        out, weights = attend_heads(learner, args)
    out_ref, weights_ref = ref.multi_head_attention(**args)
    atol_out, atol_weights = mha_tolerances(**args)
    expect_close(weights, weights_ref, rtol=1e-9, atol=atol_weights, what="the weight matrix")
    expect_close(out, out_ref, rtol=1e-9, atol=atol_out, what="the output")


# ---------------------------------------------------------------- known mistakes
# Each is written as if it lived in solutions/attention.py: it may call that module's helpers
# (_checked_qkv, _masked_softmax, _checked_mask, _checked_heads, _split_heads) and, for the
# multi-head mistakes, scaled_dot_product_attention. They share _sdpa_with and _mha_with, the reference's
# computation written out with a switch per mistake.

@SPEC.mistake_helper
def _sdpa_with(q, k, v, mask=None, *, scale=True, inverted_mask=False, axis=-1, shift=True, mask_after=False):
    """scaled_dot_product_attention written out, with one switch per known mistake (defaults: the right one).

    scale: divide the scores by sqrt(d) (False: forgotten). inverted_mask: -inf where the mask is True.
    axis: the axis the softmax normalises (-2: over the queries). shift: subtract the row max before exp.
    mask_after: multiply the softmax weights by the mask instead of masking the scores.
    """
    q, k, v = _checked_qkv(q, k, v)
    scores = q @ k.swapaxes(-1, -2)
    if scale:
        scores = scores / np.sqrt(q.shape[-1])
    if mask is not None and not mask_after:
        allowed = _checked_mask(mask, scores.shape)
        scores = np.where(allowed, -np.inf, scores) if inverted_mask else np.where(allowed, scores, -np.inf)
    e = np.exp((scores - scores.max(axis=axis, keepdims=True)) if shift else scores)
    weights = e / e.sum(axis=axis, keepdims=True)
    if mask is not None and mask_after:
        weights = weights * _checked_mask(mask, weights.shape)
    return weights @ v, weights


@SPEC.mistake(SDPA, "forgets to divide the scores by sqrt(d)",
              hint="Scale the scores: q @ k^T / sqrt(d) with d = q.shape[-1]. Without it the scores grow with d "
                   "and the softmax saturates.")
def sdpa_without_scaling(q, k, v, mask=None):
    return _sdpa_with(q, k, v, mask, scale=False)


@SPEC.mistake(SDPA, "reads the mask the wrong way round (True = blocked)",
              hint="In this API (as in torch's scaled_dot_product_attention) True means the query MAY attend to "
                   "that key: keep the score where mask is True and put -inf where it is False.")
def sdpa_inverted_mask(q, k, v, mask=None):
    return _sdpa_with(q, k, v, mask, inverted_mask=True)


@SPEC.mistake(SDPA, "takes the softmax over the queries (axis -2) instead of over the keys",
              hint="Each query's weights are a distribution over the keys: normalise along the last axis "
                   "(axis=-1, length S), so that each row of the (..., T, S) weights sums to 1.")
def sdpa_softmax_over_queries(q, k, v, mask=None):
    return _sdpa_with(q, k, v, mask, axis=-2)


@SPEC.mistake(SDPA, "no max-shift in the softmax: exp overflows for large scores",
              hint="Subtract each row's maximum score before np.exp: the softmax does not change, and exp of a "
                   "number <= 0 cannot overflow.")
def sdpa_without_max_shift(q, k, v, mask=None):
    return _sdpa_with(q, k, v, mask, shift=False)


@SPEC.mistake(SDPA, "applies the mask after the softmax, so the allowed weights no longer sum to 1",
              hint="Mask the scores BEFORE the softmax (-inf where the mask is False), so the softmax spreads "
                   "all the weight over the allowed keys.")
def sdpa_mask_after_softmax(q, k, v, mask=None):
    return _sdpa_with(q, k, v, mask, mask_after=True)


@SPEC.mistake_helper
def _mha_with(q, k, v, w_q, w_k, w_v, w_o, num_heads, mask=None, *, transpose_heads=True, scale_by_model_dim=False,
              project_output=True, mask_head_axis=True):
    """multi_head_attention with one switch per known mistake (defaults: the right one).

    transpose_heads: split (B, T, D) as (B, T, h, D/h) then transpose (False: reshape straight to (B, h, T, D/h)
    and merge back the same way). scale_by_model_dim: divide the scores by sqrt(D), not by sqrt(D / h).
    project_output: multiply the merged heads by w_o. mask_head_axis: give a (B, T, S) mask a head axis.
    """
    q, k, v, w_q, w_k, w_v, w_o, checked = _checked_heads(q, k, v, w_q, w_k, w_v, w_o, num_heads,
                                                          mask if mask_head_axis else None)
    mask = checked if mask_head_axis else mask
    b, t, d = q.shape

    def split(x):
        return _split_heads(x, num_heads) if transpose_heads else x.reshape(b, num_heads, -1, d // num_heads)

    qh, kh, vh = split(q @ w_q), split(k @ w_k), split(v @ w_v)
    if scale_by_model_dim:
        weights = _masked_softmax(qh @ kh.swapaxes(-1, -2) / np.sqrt(d), mask)
        out = weights @ vh
    else:
        out, weights = scaled_dot_product_attention(qh, kh, vh, mask)
    merged = (out.transpose(0, 2, 1, 3) if transpose_heads else out).reshape(b, t, d)
    return (merged @ w_o if project_output else merged), weights


@SPEC.mistake(MHA, "splits the heads with reshape alone, without the transpose",
              hint="x.reshape(B, h, T, D // h) cuts the flat memory in the wrong place and mixes tokens between "
                   "heads. Reshape to (B, T, h, D // h) first, then transpose to (B, h, T, D // h); undo both "
                   "when merging.")
def mha_reshape_without_transpose(q, k, v, w_q, w_k, w_v, w_o, num_heads, mask=None):
    return _mha_with(q, k, v, w_q, w_k, w_v, w_o, num_heads, mask, transpose_heads=False)


@SPEC.mistake(MHA, "scales the scores by sqrt(D) instead of sqrt(D / num_heads)",
              hint="Each head attends in D / num_heads dimensions, so divide its scores by sqrt(D / num_heads): "
                   "the head size, not the model size.")
def mha_scaled_by_model_dim(q, k, v, w_q, w_k, w_v, w_o, num_heads, mask=None):
    return _mha_with(q, k, v, w_q, w_k, w_v, w_o, num_heads, mask, scale_by_model_dim=True)


@SPEC.mistake(MHA, "forgets the output projection w_o",
              hint="After merging the heads back to (B, T, D), multiply by w_o: output = merged @ w_o.")
def mha_without_output_projection(q, k, v, w_q, w_k, w_v, w_o, num_heads, mask=None):
    return _mha_with(q, k, v, w_q, w_k, w_v, w_o, num_heads, mask, project_output=False)


@SPEC.mistake(MHA, "passes a (B, T, S) mask to the heads without a head axis",
              hint="The scores are (B, h, T, S); a (B, T, S) mask lines up B with the head axis. Insert a head "
                   "axis first: mask[:, None] has shape (B, 1, T, S) and is shared by every head.")
def mha_mask_without_head_axis(q, k, v, w_q, w_k, w_v, w_o, num_heads, mask=None):
    return _mha_with(q, k, v, w_q, w_k, w_v, w_o, num_heads, mask, mask_head_axis=False)



# ================================================================ time_attention (seq2seq, one decoder step)

@st.composite
def time_inputs(draw, elements=VALUES):
    b, length, h = draw(st.integers(1, 3)), draw(st.integers(1, 5)), draw(st.integers(1, 4))
    return {"enc_hs": draw(nps.arrays(np.float64, (b, length, h), elements=elements)),
            "dec_h": draw(nps.arrays(np.float64, (b, h), elements=elements))}


TIME_INPUTS = time_inputs()
# Two sequences, H = 4: a softmax over the batch, or scores divided by sqrt(H) = 2, show at once.
TIME_EXAMPLES = [
    dict(enc_hs=np.array([[[1.0, 0.0], [0.0, 1.0]]]), dec_h=np.array([[2.0, 0.0]])),
    dict(enc_hs=np.linspace(-1.0, 2.0, 24).reshape(2, 3, 4), dec_h=np.array([[1.0, -0.5, 2.0, 0.0],
                                                                             [0.5, 1.5, -1.0, 1.0]])),
]


def time_tolerances(enc_hs, dec_h, **_):
    """(atol context, atol weights), as for sdpa: relative to the score scale."""
    scale = 1.0 + np.shape(enc_hs)[-1] * np.abs(enc_hs).max() * np.abs(dec_h).max()
    return 1e-12 * scale * (1.0 + np.abs(enc_hs).max()), 1e-12 * scale


def attend_in_time(learner, args):
    b, length, h = np.shape(args["enc_hs"])
    context, weights = tuple_contract(learner.time_attention(**args), 2)
    return (as_array(context, shape=(b, h), what="the context (first item)"),
            as_array(weights, shape=(b, length), what="the weights (second item)"))


def expect_time_reference(learner, args):
    context, weights = attend_in_time(learner, args)
    want_context, want_weights = ref.time_attention(**args)
    atol_context, atol_weights = time_tolerances(**args)
    expect_close(weights, want_weights, rtol=1e-9, atol=atol_weights, what="the weights")
    expect_close(context, want_context, rtol=1e-9, atol=atol_context, what="the context")


@SPEC.check(TIME, tier="contract", points=1,
            title="time_attention returns two float64 arrays: context (B, H), weights (B, S), inputs unchanged",
            given=TIME_INPUTS, examples=TIME_EXAMPLES)
def time_returns_float64_arrays(learner, **args):
    b, length, h = args["enc_hs"].shape
    value, after = learner.value_and_arguments_after(TIME, **args)
    context, weights = tuple_contract(value, 2)
    array_contract(context, shape=(b, h), what="the context (first item)")
    array_contract(weights, shape=(b, length), what="the weights (second item)")
    expect_unchanged(args, after, function=TIME)


@SPEC.check(TIME, tier="contract", points=1, title="time_attention raises ValueError when dec_h does not fit enc_hs",
            examples=[{**TIME_EXAMPLES[1], "dec_h": np.ones((2, 3)), "why": "dec_h (2, 3) for H = 4"},
                      {**TIME_EXAMPLES[1], "dec_h": np.ones((3, 4)), "why": "dec_h with 3 rows for B = 2"},
                      {**TIME_EXAMPLES[1], "enc_hs": np.ones((3, 4)), "why": "a 2-D enc_hs"}])
def time_rejects_mismatched_shapes(learner, why, **args):
    expect_value_error(learner.outcome(TIME, **args), bad=why)


@SPEC.check(TIME, tier="properties", points=1,
            title="time_attention's weights are non-negative and sum to 1 over the encoder steps",
            given=TIME_INPUTS, examples=TIME_EXAMPLES)
def time_weights_form_a_distribution(learner, **args):
    _, weights = attend_in_time(learner, args)
    expect_distribution(weights, np.ones(weights.shape, dtype=bool), TIME)


@SPEC.check(TIME, tier="properties", points=2,
            title="shuffling the encoder steps shuffles the weights the same way and leaves the context unchanged",
            given=with_permutation(TIME_INPUTS, lambda a: a["enc_hs"].shape[1]),
            examples=[{**TIME_EXAMPLES[1], "perm": np.array([2, 0, 1])}])
def time_permuting_encoder_steps(learner, perm, **args):
    context, weights = attend_in_time(learner, args)
    context_p, weights_p = attend_in_time(learner, {**args, "enc_hs": args["enc_hs"][:, perm]})
    atol_context, atol_weights = time_tolerances(**args)
    expect_close(weights_p, weights[:, perm], rtol=1e-9, atol=atol_weights,
                 what=f"the weights after shuffling the encoder steps by {perm.tolist()}")
    expect_close(context_p, context, rtol=1e-9, atol=atol_context,
                 what=f"the context after shuffling the encoder steps by {perm.tolist()}")


@SPEC.check(TIME, tier="properties", points=1,
            title="when every encoder step holds the same state, the context is that state",
            given=TIME_INPUTS.map(lambda a: {**a, "enc_hs": np.repeat(a["enc_hs"][:, :1], a["enc_hs"].shape[1], 1)}),
            examples=[dict(enc_hs=np.tile([[[1.0, -2.0, 0.5]]], (2, 3, 1)), dec_h=np.array([[1.0, 1.0, 1.0],
                                                                                          [0.0, 2.0, -1.0]]))])
def time_identical_states_give_that_state(learner, **args):
    context, _ = attend_in_time(learner, args)
    atol_context, _ = time_tolerances(**args)
    expect_close(context, args["enc_hs"][:, 0], rtol=1e-9, atol=atol_context,
                 what="the context when every encoder step is the same state")


@SPEC.check(TIME, tier="reference", points=2, title="time_attention matches the reference", given=TIME_INPUTS,
            examples=TIME_EXAMPLES)
def time_matches_reference(learner, **args):
    expect_time_reference(learner, args)


@SPEC.check(TIME, tier="stability", points=1, title="time_attention handles scores around 1e4 without overflow",
            given=time_inputs(elements=LARGE),
            examples=[dict(enc_hs=np.array([[[100.0, 100.0], [-100.0, 50.0]], [[-100.0, 0.0], [100.0, -100.0]]]),
                           dec_h=np.array([[100.0, 100.0], [-50.0, 100.0]]))])
def time_handles_large_scores(learner, **args):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        expect_time_reference(learner, args)


@SPEC.mistake_helper
def _time_with(enc_hs, dec_h, *, scale=False, axis=-1, shift=True):
    """time_attention with one switch per known mistake (defaults: the right one)."""
    enc_hs, dec_h = np.asarray(enc_hs, dtype=np.float64), np.asarray(dec_h, dtype=np.float64)
    if enc_hs.ndim != 3 or dec_h.shape != (enc_hs.shape[0], enc_hs.shape[2]):
        raise ValueError("enc_hs (B, S, H) and dec_h (B, H) do not fit")
    scores = np.einsum("bsh,bh->bs", enc_hs, dec_h)
    if scale:
        scores = scores / np.sqrt(enc_hs.shape[2])
    e = np.exp(scores - scores.max(axis=axis, keepdims=True) if shift else scores)
    weights = e / e.sum(axis=axis, keepdims=True)
    return np.einsum("bs,bsh->bh", weights, enc_hs), weights


@SPEC.mistake(TIME, "divides the scores by sqrt(H): time attention uses the plain dot product",
              hint="Seq2seq (Luong) dot attention scores with enc_hs[b, s] . dec_h[b], unscaled; the sqrt(d) belongs "
                   "to scaled_dot_product_attention.")
def time_scaled(enc_hs, dec_h):
    return _time_with(enc_hs, dec_h, scale=True)


@SPEC.mistake(TIME, "takes the softmax over the batch instead of over the encoder steps",
              hint="Each sequence's weights are a distribution over ITS S encoder steps: normalise the (B, S) "
                   "scores along axis 1.")
def time_softmax_over_batch(enc_hs, dec_h):
    return _time_with(enc_hs, dec_h, axis=0)


@SPEC.mistake(TIME, "no max-shift in the softmax: exp overflows for large scores",
              hint="Subtract each row's maximum score before np.exp; the weights do not change.")
def time_without_max_shift(enc_hs, dec_h):
    return _time_with(enc_hs, dec_h, shift=False)
