"""Checks for mlp_forward, xor_params and collapse_linear (topic mlp; CATALOG.md C1)."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging.checks import Failure, Spec
from grader.judging.expect import (array_contract, as_array, expect_close, expect_unchanged, expect_value_error,
                                   tuple_contract)

SPEC = Spec(
    "mlp",
    functions=("mlp_forward", "xor_params", "collapse_linear"),
    forbidden=("torch.nn", "sklearn.neural_network", "keras", "tensorflow", "jax"),
)
ref = SPEC.reference

ACTIVATIONS = ("relu", "tanh", "sigmoid", "identity")
VALUES = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)
LARGE = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)  # saturates tanh and sigmoid
ROUNDING = 1e-9  # x the absolute-value bound of a sum: room for any order of summation, far below a bug
XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])


# ---------------------------------------------------------------- data

@st.composite
def networks(draw, values=VALUES, activations=ACTIVATIONS, layers=(1, 3), width=4, rows=(1, 5), inputs=True):
    """Keyword arguments X, params, activation (or only params): a small random network and batch."""
    widths = draw(st.lists(st.integers(1, width), min_size=layers[0] + 1, max_size=layers[1] + 1))
    params = [(draw(nps.arrays(np.float64, (a, b), elements=values)),
               draw(nps.arrays(np.float64, (b,), elements=values))) for a, b in zip(widths, widths[1:])]
    if not inputs:
        return {"params": params}
    n = draw(st.integers(*rows))
    X = draw(nps.arrays(np.float64, (n, widths[0]), elements=values))
    return {"X": X, "params": params, "activation": draw(st.sampled_from(activations))}


NETWORKS = networks()
LAYER_STACKS = networks(inputs=False)
DEEP_STACKS = networks(inputs=False, layers=(4, 7), width=8)
SATURATED = networks(values=LARGE, activations=("tanh", "sigmoid"), layers=(2, 3))


@st.composite
def networks_with_rows(draw):
    case = draw(NETWORKS)
    rows = draw(st.lists(st.integers(0, case["X"].shape[0] - 1), min_size=1, max_size=6))
    return {**case, "rows": rows}


@st.composite
def relu_networks_without_bias_and_scale(draw):
    case = draw(networks(activations=("relu",)))
    params = [(W, np.zeros_like(b)) for W, b in case["params"]]
    return {**case, "params": params, "scale": draw(st.sampled_from((0.5, 2.0, 4.0, 0.25)))}


# ---------------------------------------------------------------- tolerances

def _abs_forward(X, params):
    """|X| @ |W1| + |b1| ... through every layer (|g(z)| <= |z| for relu, tanh and identity; sigmoid <= 1 + |z|)."""
    A = np.abs(np.asarray(X, dtype=np.float64))
    for W, b in params:
        A = A @ np.abs(W) + np.abs(b) + 1.0
    return A


def _output_tolerance(X, params) -> float:
    return ROUNDING * float(np.max(_abs_forward(X, params), initial=0.0))


def _collapse_tolerances(params):
    """(atol for W, atol for b): the product and the folded bias computed on absolute values."""
    W_abs, b_abs = np.abs(params[0][0]), np.abs(params[0][1])
    for W, b in params[1:]:
        W_abs, b_abs = W_abs @ np.abs(W), b_abs @ np.abs(W) + np.abs(b)
    return (ROUNDING * float(np.max(W_abs, initial=0.0)) + 1e-300,
            ROUNDING * float(np.max(b_abs, initial=0.0)) + 1e-300)


def _out_shape(X, params):
    return (np.shape(X)[0], np.shape(params[-1][0])[1])


def _collapsed(learner, params):
    value = learner.collapse_linear(params=params)
    W, b = tuple_contract(value, 2, what="collapse_linear's result")  # any sequence of two is fine here
    d_in, d_out = np.shape(params[0][0])[0], np.shape(params[-1][0])[1]
    return as_array(W, shape=(d_in, d_out), what="W"), as_array(b, shape=(d_out,), what="b")


# ---------------------------------------------------------------- contract

TWO_LAYERS = [(np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([0.1, -0.2])),  # 2 -> 2, then 2 -> 1
              (np.array([[1.0], [-1.0]]), np.array([0.3]))]


@SPEC.check("mlp_forward", tier="contract", points=1, title="mlp_forward returns a float64 array of shape (N, d_out)",
            given=NETWORKS,
            examples=[dict(X=np.ones((2, 3)), params=[(np.ones((3, 4)), np.zeros(4)), (np.ones((4, 1)), np.zeros(1))],
                           activation="relu")])
def forward_returns_float64_array(learner, X, params, activation):
    array_contract(learner.mlp_forward(X=X, params=params, activation=activation), shape=_out_shape(X, params))


@SPEC.check("mlp_forward", tier="contract", points=1, title="mlp_forward leaves X and params unchanged",
            given=NETWORKS)
def forward_leaves_inputs_unchanged(learner, X, params, activation):
    _, after = learner.value_and_arguments_after("mlp_forward", X=X, params=params, activation=activation)
    expect_unchanged({"X": X, "params": params}, after, function="mlp_forward")


BAD_NETWORKS = [
    dict(X=np.ones((2, 2)), params=TWO_LAYERS, activation="softmax", why='activation="softmax"'),
    dict(X=np.ones((2, 3)), params=TWO_LAYERS, activation="relu", why="X with 3 columns when params[0]'s W has 2 rows"),
    dict(X=np.ones(2), params=TWO_LAYERS, activation="relu", why="X of shape (2,), not 2-D"),
    dict(X=np.ones((2, 2)), params=[], activation="relu", why="an empty params"),
    dict(X=np.ones((2, 2)), params=[TWO_LAYERS[0], (np.ones((3, 1)), np.zeros(1))], activation="tanh",
         why="params[1]'s W with 3 rows after a layer with 2 outputs"),
    dict(X=np.ones((2, 2)), params=[(TWO_LAYERS[0][0], np.zeros(3)), TWO_LAYERS[1]], activation="relu",
         why="params[0]'s b of length 3 when its W has 2 columns"),
]


@SPEC.check("mlp_forward", tier="contract", points=1,
            title="mlp_forward raises ValueError for an unknown activation or shapes that do not fit",
            examples=BAD_NETWORKS)
def forward_rejects_bad_input(learner, X, params, activation, why):
    expect_value_error(learner.outcome("mlp_forward", X=X, params=params, activation=activation), bad=why)


@SPEC.check("xor_params", tier="contract", points=1,
            title="xor_params returns [(W1, b1), (W2, b2)] as float64 arrays of shapes (2, 2), (2,), (2, 1), (1,)",
            examples=[{}])
def xor_params_has_the_2_2_1_shapes(learner):
    layers = tuple_contract(learner.xor_params(), 2, what="xor_params()")
    for layer, (pair, shapes) in enumerate(zip(layers, (((2, 2), (2,)), ((2, 1), (1,))))):
        W, b = tuple_contract(pair, 2, what=f"item {layer} of xor_params()")
        array_contract(W, shape=shapes[0], what=f"W{layer + 1}")
        array_contract(b, shape=shapes[1], what=f"b{layer + 1}")


@SPEC.check("collapse_linear", tier="contract", points=1,
            title="collapse_linear returns (W, b), float64 arrays of shapes (d_in, d_out) and (d_out,)",
            given=LAYER_STACKS)
def collapse_returns_a_layer(learner, params):
    W, b = tuple_contract(learner.collapse_linear(params=params), 2, what="collapse_linear's result")
    array_contract(W, shape=(params[0][0].shape[0], params[-1][0].shape[1]), what="W")
    array_contract(b, shape=(params[-1][0].shape[1],), what="b")


@SPEC.check("collapse_linear", tier="contract", points=1,
            title="collapse_linear leaves params unchanged, and raises ValueError for layers that do not fit",
            given=LAYER_STACKS,
            examples=[dict(params=[], bad="an empty params"),
                      dict(params=[TWO_LAYERS[0], (np.ones((3, 1)), np.zeros(1))],
                           bad="params[1]'s W with 3 rows after a layer with 2 outputs"),
                      dict(params=[(TWO_LAYERS[0][0], np.zeros(3)), TWO_LAYERS[1]],
                           bad="params[0]'s b of length 3 when its W has 2 columns")])
def collapse_leaves_params_and_rejects_bad_layers(learner, params, bad=None):
    if bad is not None:
        expect_value_error(learner.outcome("collapse_linear", params=params), bad=bad)
        return
    _, after = learner.value_and_arguments_after("collapse_linear", params=params)
    expect_unchanged({"params": params}, after, function="collapse_linear")


# ---------------------------------------------------------------- properties

@SPEC.check("mlp_forward", tier="properties", points=1,
            title="mlp_forward treats rows independently: the output for some rows of X is those rows of the output",
            given=networks_with_rows())
def forward_rows_are_independent(learner, X, params, activation, rows):
    full = as_array(learner.mlp_forward(X=X, params=params, activation=activation), shape=_out_shape(X, params))
    part = as_array(learner.mlp_forward(X=X[rows], params=params, activation=activation),
                    shape=(len(rows), full.shape[1]))
    expect_close(part, full[rows], rtol=1e-9, atol=_output_tolerance(X, params),
                 what=f"mlp_forward(X[{rows}]) compared with mlp_forward(X)[{rows}]")


@SPEC.check("mlp_forward", tier="properties", points=1,
            title="a network with a single layer is the affine map X @ W + b (the last layer has no activation)",
            given=networks(layers=(1, 1)),
            examples=[dict(X=np.array([[1.0, -2.0]]), params=[(np.array([[3.0], [-1.0]]), np.array([-5.5]))],
                           activation="relu")])
def forward_of_one_layer_is_affine(learner, X, params, activation):
    (W, b), = params
    out = as_array(learner.mlp_forward(X=X, params=params, activation=activation), shape=_out_shape(X, params))
    expect_close(out, X @ W + b, rtol=1e-9, atol=_output_tolerance(X, params), what="the output")


@SPEC.check("mlp_forward", tier="properties", points=1,
            title="a relu network without biases is positively homogeneous: scaling X by a > 0 scales the output by a",
            given=relu_networks_without_bias_and_scale())
def relu_network_without_bias_is_homogeneous(learner, X, params, activation, scale):
    shape = _out_shape(X, params)
    base = as_array(learner.mlp_forward(X=X, params=params, activation="relu"), shape=shape)
    scaled = as_array(learner.mlp_forward(X=scale * X, params=params, activation="relu"), shape=shape)
    expect_close(scaled, scale * base, rtol=1e-9, atol=scale * _output_tolerance(X, params),
                 what=f"mlp_forward({scale} * X) compared with {scale} * mlp_forward(X)")


@SPEC.check("xor_params", tier="properties", points=3,
            title="mlp_forward(X, xor_params(), 'relu') gives the XOR table 0, 1, 1, 0 (computed with the reference)",
            examples=[{}])
def xor_params_compute_xor(learner):
    value = learner.xor_params()
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise Failure("xor_params() should return a list of two (W, b) pairs", got=value)
    params = [tuple(as_array(a, what=f"{name}{layer + 1}") for a, name in zip(pair, "Wb"))
              for layer, pair in enumerate(value)]
    try:
        out = ref.mlp_forward(XOR_X, params, "relu")
    except ValueError as err:
        raise Failure(f"the layers of xor_params() do not form a 2-2-1 network: {err}", got=value) from None
    expect_close(out, XOR_Y, rtol=0.0, atol=1e-9,
                 what="the network's output for X = [[0, 0], [0, 1], [1, 0], [1, 1]]")


@SPEC.check("collapse_linear", tier="properties", points=2,
            title="X @ W + b with collapse_linear's (W, b) equals your mlp_forward with the identity activation",
            given=NETWORKS)
def collapse_agrees_with_identity_network(learner, X, params, activation):
    W, b = _collapsed(learner, params)
    out = as_array(learner.mlp_forward(X=X, params=params, activation="identity"), shape=_out_shape(X, params))
    expect_close(X @ W + b, out, rtol=1e-9, atol=2 * _output_tolerance(X, params),
                 what="X @ W + b from collapse_linear(params), compared with mlp_forward(X, params, 'identity')")


@SPEC.check("collapse_linear", tier="properties", points=1,
            title="collapse_linear of a single layer returns that layer",
            given=networks(inputs=False, layers=(1, 1)))
def collapse_of_one_layer_is_that_layer(learner, params):
    W, b = _collapsed(learner, params)
    expect_close(W, params[0][0], rtol=0.0, atol=1e-300, what="W")
    expect_close(b, params[0][1], rtol=0.0, atol=1e-300, what="b")


# ---------------------------------------------------------------- reference

@SPEC.check("mlp_forward", tier="reference", points=2, title="mlp_forward matches the reference",
            given=NETWORKS,
            examples=[dict(X=np.array([[0.5, -1.0], [2.0, 0.0]]), params=TWO_LAYERS, activation=None)]
            + [dict(X=np.array([[0.5, -1.0], [2.0, 0.0]]), params=TWO_LAYERS, activation=a) for a in ACTIVATIONS])
def forward_matches_reference(learner, X, params, activation):
    chosen = {} if activation is None else {"activation": activation}  # None: the default, relu
    out = learner.mlp_forward(X=X, params=params, **chosen)
    expect_close(out, ref.mlp_forward(X, params, **chosen), rtol=1e-9, atol=_output_tolerance(X, params))


@SPEC.check("collapse_linear", tier="reference", points=2, title="collapse_linear matches the reference",
            given=LAYER_STACKS,
            examples=[dict(params=TWO_LAYERS),
                      dict(params=[(np.array([[1.0, 2.0, 0.0]]), np.array([1.0, -1.0, 2.0])),
                                   (np.array([[1.0], [2.0], [3.0]]), np.array([0.5]))])])
def collapse_matches_reference(learner, params):
    W, b = _collapsed(learner, params)
    expected_W, expected_b = ref.collapse_linear(params)
    atol_W, atol_b = _collapse_tolerances(params)
    expect_close(W, expected_W, rtol=1e-9, atol=atol_W, what="W")
    expect_close(b, expected_b, rtol=1e-9, atol=atol_b, what="b")


# ---------------------------------------------------------------- stability

SATURATED_EXAMPLES = [dict(X=np.array([[1000.0, -1000.0]]), params=TWO_LAYERS, activation=a)
                      for a in ("sigmoid", "tanh")]


@SPEC.check("mlp_forward", tier="stability", points=1,
            title="mlp_forward stays finite and right when tanh or sigmoid units saturate (inputs up to 1e3)",
            given=SATURATED, examples=SATURATED_EXAMPLES)
def forward_handles_saturated_units(learner, X, params, activation):
    out = learner.mlp_forward(X=X, params=params, activation=activation)  # values graded, not warnings
    expect_close(out, ref.mlp_forward(X, params, activation), rtol=1e-9, atol=_output_tolerance(X, params))


@SPEC.check("collapse_linear", tier="stability", points=1,
            title="collapse_linear matches the reference on deep stacks (4 to 7 layers, up to 8 units)",
            given=DEEP_STACKS)
def collapse_handles_deep_stacks(learner, params):
    W, b = _collapsed(learner, params)
    expected_W, expected_b = ref.collapse_linear(params)
    atol_W, atol_b = _collapse_tolerances(params)
    expect_close(W, expected_W, rtol=1e-9, atol=atol_W, what="W")
    expect_close(b, expected_b, rtol=1e-9, atol=atol_b, what="b")


# ---------------------------------------------------------------- known mistakes
# Written as if they lived in solutions/mlp.py (they may call its helpers).

@SPEC.mistake("mlp_forward", "applies the activation to the last layer too",
              hint="Only the hidden layers apply the activation; the last layer is linear: Y_hat = A_prev @ W + b.")
def forward_activates_last_layer(X, params, activation="relu"):
    X, params = _checked(X, params, activation)
    A = X
    for W, b in params:
        A = _activate(A @ W + b, activation)
    return A


@SPEC.mistake("mlp_forward", "uses W.T (torch's nn.Linear layout) instead of W",
              hint="Here W has shape (d_in, d_out), so a layer is A_prev @ W + b; nn.Linear stores W.T and "
                   "computes A_prev @ weight.T + bias.")
def forward_with_transposed_weights(X, params, activation="relu"):
    A = np.asarray(X, dtype=np.float64)
    for layer, (W, b) in enumerate(params):
        Z = A @ np.asarray(W, dtype=np.float64).T + b
        A = _activate(Z, activation) if layer < len(params) - 1 else Z
    return A


@SPEC.mistake("mlp_forward", "applies the activation before adding the bias: g(A @ W) + b",
              hint="The bias is part of the pre-activation: A = g(A_prev @ W + b). Adding b after g moves "
                   "every relu unit's threshold back to 0.")
def forward_adds_bias_after_activation(X, params, activation="relu"):
    X, params = _checked(X, params, activation)
    A = X
    for layer, (W, b) in enumerate(params):
        A = A @ W + b if layer == len(params) - 1 else _activate(A @ W, activation) + b
    return A


@SPEC.mistake("mlp_forward", "never applies the activation: the network stays linear",
              hint="After every hidden layer apply g (relu, tanh, sigmoid) to Z = A_prev @ W + b; without it the "
                   "stack is one affine map whatever its depth.")
def forward_without_activation(X, params, activation="relu"):
    X, params = _checked(X, params, activation)
    A = X
    for W, b in params:
        A = A @ W + b
    return A


@SPEC.mistake("mlp_forward", "sigmoid written as exp(z) / (1 + exp(z)): inf / inf gives NaN for large z",
              hint="exp(1000) overflows to inf. Use exp(-|z|), which is never above 1: for z >= 0, "
                   "1 / (1 + exp(-z)); for z < 0, exp(z) / (1 + exp(z)).")
def forward_with_overflowing_sigmoid(X, params, activation="relu"):
    X, params = _checked(X, params, activation)
    A = X
    for layer, (W, b) in enumerate(params):
        Z = A @ W + b
        if layer == len(params) - 1:
            return Z
        A = np.exp(Z) / (1.0 + np.exp(Z)) if activation == "sigmoid" else _activate(Z, activation)


@SPEC.mistake("xor_params", "returns the weights in nn.Linear's (d_out, d_in) layout",
              hint="Here W has shape (d_in, d_out): W1 is (2, 2) and W2 is (2, 1), used as A_prev @ W + b.")
def xor_params_in_linear_layout():
    return [(np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([0.0, -1.0])), (np.array([[1.0, -2.0]]), np.array([0.0]))]


@SPEC.mistake("xor_params", "a hidden layer without the second threshold computes OR, not XOR",
              hint="OR fires on (1, 1) too. Give one hidden unit a bias of -1 so that it fires only when both "
                   "inputs are on, and subtract it twice.")
def xor_params_computing_or():
    return [(np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([0.0, 0.0])), (np.array([[1.0], [0.0]]), np.array([0.0]))]


@SPEC.mistake("collapse_linear", "adds up the biases without passing them through the later layers' W",
              hint="(X @ W1 + b1) @ W2 + b2 = X @ (W1 @ W2) + (b1 @ W2 + b2): b1 is multiplied by W2 too.")
def collapse_sums_biases(params):
    params = _layers(params)
    W_total, b_total = params[0]
    for W, b in params[1:]:
        W_total, b_total = W_total @ W, b_total + b
    return W_total, b_total


@SPEC.mistake("collapse_linear", "keeps only the last layer's bias",
              hint="Every layer's bias survives into the collapsed map: b = (b1 @ W2 + b2) @ W3 + b3 ...")
def collapse_keeps_last_bias(params):
    params = _layers(params)
    W_total = params[0][0]
    for W, _ in params[1:]:
        W_total = W_total @ W
    return W_total, params[-1][1].copy()
