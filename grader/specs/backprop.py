"""Checks for mlp_forward and mlp_backward (DESIGN.md, topic backprop; CATALOG.md C2)."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging import render
from grader.judging.checks import Failure, Spec
from grader.judging.expect import (array_contract, as_array, expect_close, expect_unchanged, expect_value_error,
                                   tuple_contract)
from grader.sandbox.probes import Probe

SPEC = Spec(
    "backprop",
    functions=("mlp_forward", "mlp_backward", "numerical_grad"),
    forbidden=("torch.autograd", "torch.func", "functorch", "jax", "scipy.optimize.approx_fprime",
               "scipy.optimize.check_grad", "scipy.differentiate", "numdifftools"),
    forbidden_methods=("backward",),  # loss.backward(): autograd through a tensor method
)
ref = SPEC.reference


def _solution():
    """The reference module itself, for its private helpers (SPEC.reference serves public names only)."""
    return ref.module()


ACTIVATIONS = ("tanh", "relu", "sigmoid")
VALUES = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)
LARGE = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)  # saturates tanh and sigmoid
RELU_MARGIN = 1e-2  # relu pre-activations stay this far from the kink at 0 (unless exactly 0 by design)
FD_STEP = 1e-5  # central differences: truncation ~1e-10, rounding ~1e-11 at these magnitudes
ROUNDING = 1e-9  # x the absolute-value bound of a sum: room for any order of summation, far below a bug


# ---------------------------------------------------------------- data

def _clear_of_kinks(X, params, margin=RELU_MARGIN, keep_exact_zeros=False):
    """Shift hidden biases so every relu pre-activation is at least `margin` away from 0.

    At the kink, correct routes may differ by a rounding (relu' jumps from 0 to 1) and central
    differences see 1/2. A unit is moved by steps of 3 * margin: each of the N rows blocks at most
    one step, so one of the first N + 1 steps is clear. With keep_exact_zeros, a unit whose weights
    and bias are all 0 stays exactly at 0 (the relu'(0) = 0 check wants those).
    """
    A = np.asarray(X, dtype=np.float64)
    cleared = []
    for layer, (W, b) in enumerate(params):
        W, b = np.array(W, dtype=np.float64), np.array(b, dtype=np.float64)
        if layer < len(params) - 1:
            S = A @ W  # (N, width) without the bias
            for j in range(W.shape[1]):
                if keep_exact_zeros and not W[:, j].any() and b[j] == 0.0:
                    continue
                for step in range(A.shape[0] + 1):
                    if np.all(np.abs(S[:, j] + b[j] + 3 * margin * step) >= margin):
                        b[j] += 3 * margin * step
                        break
            A = np.maximum(S + b, 0.0)
        cleared.append((W, b))
    return cleared


@st.composite
def networks(draw, values=VALUES, activations=ACTIVATIONS, layers=(1, 3), width=4, rows=(1, 5), targets=True,
             kinks="clear"):
    """Keyword arguments X, params, activation (and Y): a small random network and batch."""
    widths = draw(st.lists(st.integers(1, width), min_size=layers[0] + 1, max_size=layers[1] + 1))
    n = draw(st.integers(*rows))
    X = draw(nps.arrays(np.float64, (n, widths[0]), elements=values))
    params = [(draw(nps.arrays(np.float64, (a, b), elements=values)),
               draw(nps.arrays(np.float64, (b,), elements=values))) for a, b in zip(widths, widths[1:])]
    activation = draw(st.sampled_from(activations))
    if activation == "relu" and kinks == "clear":
        params = _clear_of_kinks(X, params)
    case = {"X": X}
    if targets:
        case["Y"] = draw(nps.arrays(np.float64, (n, widths[-1]), elements=values))
    case.update(params=params, activation=activation)
    return case


NETWORKS = networks()
FORWARD_NETWORKS = networks(targets=False)
DEEP_NETWORKS = networks(layers=(4, 6), width=10, rows=(1, 8))
SATURATED = networks(values=LARGE, activations=("tanh", "sigmoid"), layers=(2, 3))
SATURATED_FORWARD = networks(values=LARGE, activations=("tanh", "sigmoid"), layers=(2, 3), targets=False)


@st.composite
def relu_networks_with_dead_units(draw):
    """A relu network whose first hidden layer has units with all-zero weights and bias: Z = 0 exactly."""
    case = draw(networks(activations=("relu",), layers=(2, 3), kinks="keep"))
    W, b = case["params"][0]
    dead = draw(st.lists(st.integers(0, W.shape[1] - 1), min_size=1, max_size=W.shape[1], unique=True))
    W, b = W.copy(), b.copy()
    W[:, dead], b[dead] = 0.0, 0.0
    params = _clear_of_kinks(case["X"], [(W, b), *case["params"][1:]], keep_exact_zeros=True)
    return {**case, "params": params, "dead": sorted(dead)}


@st.composite
def networks_with_rows(draw):
    case = draw(FORWARD_NETWORKS)
    n = case["X"].shape[0]
    rows = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=6))
    return {**case, "rows": rows}


@st.composite
def networks_with_split(draw):
    case = draw(networks(rows=(2, 6)))
    split = draw(st.integers(1, case["X"].shape[0] - 1))
    return {**case, "split": split}


# ---------------------------------------------------------------- tolerances

def _z_scales(X, params, activation):
    """For each layer, |A_prev| @ |W| + |b| plus what earlier rounding adds: bounds rounding in Z."""
    A = np.asarray(X, dtype=np.float64)
    carried = np.zeros_like(A)
    scales = []
    for W, b in params:
        W, b = np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)
        scale = (np.abs(A) + carried) @ np.abs(W) + np.abs(b)
        scales.append(scale)
        Z = A @ W + b
        A = _solution()._activate(Z, activation)
        carried = scale  # |g'| <= 1: a rounding in Z moves A by at most as much
    return scales


def _output_tolerance(X, params, activation) -> float:
    return ROUNDING * float(np.max(_z_scales(X, params, activation)[-1], initial=0.0)) + 1e-300


def _gradient_tolerances(X, Y, params, activation):
    """One atol per (dW, db): the backward pass run on absolute values, times ROUNDING.

    Every sum in backprop is bounded by the same sum of absolute values, and so is its rounding;
    the residual's scale includes |Y| + |Y_hat| so Y close to Y_hat keeps room for the forward rounding.
    """
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    scales = _z_scales(X, params, activation)
    inputs, pre = _solution()._forward_pass(X, _solution()._checked(X, params, activation)[1], activation)
    G = 2.0 * (np.abs(pre[-1]) + np.abs(Y) + scales[-1]) / Y.size
    tolerances = []
    for layer in reversed(range(len(params))):
        W = np.asarray(params[layer][0], dtype=np.float64)
        if layer < len(params) - 1:
            G = G * (np.abs(_solution()._derivative(pre[layer], activation)) + 1e-6)
        carried = scales[layer - 1] if layer > 0 else 0.0
        dW_scale = (np.abs(inputs[layer]) + carried).T @ G
        db_scale = G.sum(axis=0)
        tolerances.append(tuple(ROUNDING * float(np.max(s, initial=0.0)) + 1e-300 for s in (dW_scale, db_scale)))
        G = G @ np.abs(W).T
    return tolerances[::-1]


# ---------------------------------------------------------------- helpers

def _gradients(value, params, what="the result"):
    """The learner's gradients as [(dW, db), ...] float64 arrays shaped like params (lenient types)."""
    if not isinstance(value, (list, tuple)):
        raise Failure(f"{what} is {render.kind(value)}; expected a list of {len(params)} (dW, db) pairs, "
                      f"one per layer", got=value)
    if len(value) != len(params):
        raise Failure(f"{what} has {len(value)} items; expected {len(params)} (dW, db) pairs, one per layer "
                      f"of params", got=value)
    grads = []
    for layer, (pair, (W, b)) in enumerate(zip(value, params)):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise Failure(f"item {layer} of {what} should be a pair (dW, db)", got=pair)
        grads.append((as_array(pair[0], shape=np.shape(W), what=f"dW for params[{layer}]"),
                      as_array(pair[1], shape=np.shape(b), what=f"db for params[{layer}]")))
    return grads


def _expect_gradients_close(got, expected, tolerances, *, rtol, scale=1.0, label="{name} for params[{layer}]"):
    for layer, ((dW, db), (eW, eb), (tW, tb)) in enumerate(zip(got, expected, tolerances)):
        expect_close(dW, eW, rtol=rtol, atol=scale * tW, what=label.format(name="dW", layer=layer))
        expect_close(db, eb, rtol=rtol, atol=scale * tb, what=label.format(name="db", layer=layer))


def _backward(learner, X, Y, params, activation):
    value = learner.mlp_backward(X=X, Y=Y, params=params, activation=activation)
    return _gradients(value, params)


def _loss(X, Y, params, activation) -> float:
    return float(np.mean((ref.mlp_forward(X, params, activation) - Y) ** 2))


def _central_differences(X, Y, params, activation, step=FD_STEP):
    """dL/dtheta for every entry of every W and b, by (L(theta + h) - L(theta - h)) / 2h."""
    grads = []
    for layer, (W, b) in enumerate(params):
        pair = []
        for which, array in enumerate((W, b)):
            g = np.zeros(np.shape(array))
            for index in np.ndindex(g.shape):
                values = []
                for sign in (1.0, -1.0):
                    moved = np.array(array, dtype=np.float64)
                    moved[index] += sign * step
                    nudged = list(params)
                    nudged[layer] = (moved, b) if which == 0 else (W, moved)
                    values.append(_loss(X, Y, nudged, activation))
                g[index] = (values[0] - values[1]) / (2 * step)
            pair.append(g)
        grads.append(tuple(pair))
    return grads


# ---------------------------------------------------------------- contract

@SPEC.check("mlp_forward", tier="contract", points=1, title="mlp_forward returns a float64 array of shape (N, d_out)",
            given=FORWARD_NETWORKS,
            examples=[dict(X=np.ones((2, 3)), params=[(np.ones((3, 4)), np.zeros(4)), (np.ones((4, 1)), np.zeros(1))],
                           activation="tanh")])
def forward_returns_float64_array(learner, X, params, activation):
    out = learner.mlp_forward(X=X, params=params, activation=activation)
    array_contract(out, shape=(X.shape[0], params[-1][0].shape[1]))


@SPEC.check("mlp_backward", tier="contract", points=2,
            title="mlp_backward returns one (dW, db) pair per layer, float64 arrays shaped like that layer's (W, b)",
            given=NETWORKS,
            examples=[dict(X=np.ones((2, 3)), Y=np.zeros((2, 1)),
                           params=[(np.ones((3, 4)), np.zeros(4)), (np.ones((4, 1)), np.zeros(1))], activation="tanh")])
def backward_returns_pairs_shaped_like_params(learner, X, Y, params, activation):
    value = learner.mlp_backward(X=X, Y=Y, params=params, activation=activation)
    layers = tuple_contract(value, len(params), what="the list of gradients")
    for layer, (pair, (W, b)) in enumerate(zip(layers, params)):
        dW, db = tuple_contract(pair, 2, what=f"item {layer} of the list of gradients")
        array_contract(dW, shape=W.shape, what=f"dW for params[{layer}]")
        array_contract(db, shape=b.shape, what=f"db for params[{layer}]")


@SPEC.check("mlp_forward", tier="contract", points=1, title="mlp_forward leaves X and params unchanged",
            given=FORWARD_NETWORKS)
def forward_leaves_inputs_unchanged(learner, X, params, activation):
    _, after = learner.value_and_arguments_after("mlp_forward", X=X, params=params, activation=activation)
    expect_unchanged({"X": X, "params": params}, after, function="mlp_forward")


@SPEC.check("mlp_backward", tier="contract", points=1, title="mlp_backward leaves X, Y and params unchanged",
            given=NETWORKS)
def backward_leaves_inputs_unchanged(learner, X, Y, params, activation):
    _, after = learner.value_and_arguments_after("mlp_backward", X=X, Y=Y, params=params, activation=activation)
    expect_unchanged({"X": X, "Y": Y, "params": params}, after, function="mlp_backward")


TWO_LAYERS = [(np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([0.1, -0.2])),  # 2 -> 2, then 2 -> 1
              (np.array([[1.0], [-1.0]]), np.array([0.3]))]
BAD_NETWORKS = [
    dict(X=np.ones((2, 2)), params=TWO_LAYERS, activation="softmax", why='activation="softmax"'),
    dict(X=np.ones((2, 2)), params=TWO_LAYERS, activation="elu", why='activation="elu"'),
    dict(X=np.ones((2, 3)), params=TWO_LAYERS, activation="tanh",
         why="X with 3 columns when params[0]'s W has 2 rows"),
    dict(X=np.ones((2, 2)), params=[TWO_LAYERS[0], (np.ones((3, 1)), np.zeros(1))], activation="tanh",
         why="params[1]'s W with 3 rows after a layer with 2 outputs"),
    dict(X=np.ones((2, 2)), params=[(TWO_LAYERS[0][0], np.zeros(3)), TWO_LAYERS[1]], activation="relu",
         why="params[0]'s b of length 3 when its W has 2 columns"),
]


@SPEC.check("mlp_forward", tier="contract", points=1,
            title="mlp_forward raises ValueError for an unknown activation or layer shapes that do not fit",
            examples=BAD_NETWORKS)
def forward_rejects_bad_input(learner, X, params, activation, why):
    expect_value_error(learner.outcome("mlp_forward", X=X, params=params, activation=activation), bad=why)


BAD_BACKWARD = [dict(case, Y=np.zeros((2, 1))) for case in BAD_NETWORKS] + [
    dict(X=np.ones((2, 2)), Y=np.zeros((3, 1)), params=TWO_LAYERS, activation="tanh",
         why="Y with 3 rows when X has 2"),
    dict(X=np.ones((2, 2)), Y=np.zeros((2, 3)), params=TWO_LAYERS, activation="tanh",
         why="Y with 3 columns when the network has 1 output"),
]


@SPEC.check("mlp_backward", tier="contract", points=1,
            title="mlp_backward raises ValueError for an unknown activation or shapes that do not fit",
            examples=BAD_BACKWARD)
def backward_rejects_bad_input(learner, X, Y, params, activation, why):
    expect_value_error(learner.outcome("mlp_backward", X=X, Y=Y, params=params, activation=activation), bad=why)


# ---------------------------------------------------------------- properties

@SPEC.check("mlp_forward", tier="properties", points=1,
            title="mlp_forward treats rows independently: the output for some rows of X is those rows of the output",
            given=networks_with_rows())
def forward_rows_are_independent(learner, X, params, activation, rows):
    shape = (X.shape[0], params[-1][0].shape[1])
    full = as_array(learner.mlp_forward(X=X, params=params, activation=activation), shape=shape)
    part = as_array(learner.mlp_forward(X=X[rows], params=params, activation=activation),
                    shape=(len(rows), shape[1]))
    expect_close(part, full[rows], rtol=1e-9, atol=_output_tolerance(X, params, activation),
                 what=f"mlp_forward(X[{rows}]) compared with mlp_forward(X)[{rows}]")


@SPEC.check("mlp_forward", tier="properties", points=1,
            title="a network with a single layer is the affine map X @ W + b (the last layer has no activation)",
            given=networks(layers=(1, 1), targets=False),
            examples=[dict(X=np.array([[1.0, -2.0]]), params=[(np.array([[3.0], [1.0]]), np.array([0.5]))],
                           activation="tanh")])
def forward_of_one_layer_is_affine(learner, X, params, activation):
    (W, b), = params
    out = as_array(learner.mlp_forward(X=X, params=params, activation=activation), shape=(X.shape[0], W.shape[1]))
    expect_close(out, X @ W + b, rtol=1e-9, atol=_output_tolerance(X, params, activation), what="the output")


@SPEC.check("mlp_backward", tier="properties", points=1,
            title="mlp_backward gives zero gradients when Y equals the network's output",
            given=networks(targets=False))
def backward_is_zero_at_a_perfect_fit(learner, X, params, activation):
    Y = ref.mlp_forward(X, params, activation)
    grads = _backward(learner, X, Y, params, activation)
    zeros = [(np.zeros_like(dW), np.zeros_like(db)) for dW, db in grads]
    _expect_gradients_close(grads, zeros, _gradient_tolerances(X, Y, params, activation), rtol=0.0,
                            label="{name} for params[{layer}] at Y = Y_hat (where the loss is at its minimum 0)")


@SPEC.check("mlp_backward", tier="properties", points=1,
            title="stacking the batch twice (X and Y repeated) leaves the gradients unchanged",
            given=NETWORKS)
def backward_ignores_a_duplicated_batch(learner, X, Y, params, activation):
    once = _backward(learner, X, Y, params, activation)
    twice = _backward(learner, np.vstack([X, X]), np.vstack([Y, Y]), params, activation)
    _expect_gradients_close(twice, once, _gradient_tolerances(X, Y, params, activation), rtol=1e-9,
                            label="{name} for params[{layer}] on the doubled batch (it should equal your result "
                                  "for the original batch)")


@SPEC.check("mlp_backward", tier="properties", points=1,
            title="for a batch split in two parts, N1 * g1 + N2 * g2 equals N * g (the loss is a mean)",
            given=networks_with_split())
def backward_adds_up_over_a_split_batch(learner, X, Y, params, activation, split):
    n = X.shape[0]
    first = _backward(learner, X[:split], Y[:split], params, activation)
    second = _backward(learner, X[split:], Y[split:], params, activation)
    whole = _backward(learner, X, Y, params, activation)  # last, so the report shows the whole batch
    combined = [(split * dW1 + (n - split) * dW2, split * db1 + (n - split) * db2)
                for (dW1, db1), (dW2, db2) in zip(first, second)]
    scaled = [(n * dW, n * db) for dW, db in whole]
    _expect_gradients_close(combined, scaled, _gradient_tolerances(X, Y, params, activation), rtol=1e-9, scale=n,
                            label=f"{split} * g(X[:{split}]) + {n - split} * g(X[{split}:]) for {{name}} of "
                                  f"params[{{layer}}] (expected {n} * g(X), g being your gradient)")


@SPEC.check("mlp_backward", tier="properties", points=1,
            title="a relu unit whose pre-activation is exactly 0 passes no gradient back (relu'(0) = 0)",
            given=relu_networks_with_dead_units(),
            examples=[dict(X=np.array([[1.0, 2.0]]), Y=np.array([[1.0]]),
                           params=[(np.zeros((2, 2)), np.zeros(2)), (np.ones((2, 1)), np.zeros(1))],
                           activation="relu", dead=[0, 1])])
def backward_uses_zero_relu_slope_at_zero(learner, X, Y, params, activation, dead):
    dW, db = _backward(learner, X, Y, params, activation)[0]
    scale = _gradient_tolerances(X, Y, params, activation)[0]
    expect_close(dW[:, dead], np.zeros((dW.shape[0], len(dead))), rtol=0.0, atol=scale[0],
                 what=f"dW for params[0], columns {dead} (units with Z = 0 in every row)")
    expect_close(db[dead], np.zeros(len(dead)), rtol=0.0, atol=scale[1],
                 what=f"db for params[0], entries {dead} (units with Z = 0 in every row)")


@SPEC.check("mlp_backward", tier="properties", points=2,
            title="mlp_backward matches central differences of the loss (relative error 1e-5)",
            given=NETWORKS,
            examples=[dict(X=np.array([[0.5, -1.0]]), Y=np.array([[0.25]]), params=TWO_LAYERS, activation="tanh")])
def backward_matches_central_differences(learner, X, Y, params, activation):
    grads = _backward(learner, X, Y, params, activation)
    numeric = _central_differences(X, Y, params, activation)
    atol = 1e-7 * (1.0 + _loss(X, Y, params, activation))  # rounding in L(theta +- h) / 2h
    _expect_gradients_close(grads, numeric, [(atol, atol)] * len(params), rtol=1e-5,
                            label="{name} for params[{layer}] (expected: central differences "
                                  "(L(w + h) - L(w - h)) / 2h of the loss)")


# ---------------------------------------------------------------- reference

def _omit_default(activation):
    return {} if activation is None else {"activation": activation}


@SPEC.check("mlp_forward", tier="reference", points=2, title="mlp_forward matches the reference",
            given=FORWARD_NETWORKS,
            examples=[dict(X=np.array([[0.5, -1.0], [2.0, 0.0]]), params=TWO_LAYERS, activation=None),
                      dict(X=np.array([[0.5, -1.0], [2.0, 0.0]]), params=TWO_LAYERS, activation="sigmoid"),
                      dict(X=np.array([[0.5, -1.0], [2.0, 0.0]]), params=TWO_LAYERS, activation="relu")])
def forward_matches_reference(learner, X, params, activation):
    out = learner.mlp_forward(X=X, params=params, **_omit_default(activation))
    expected = ref.mlp_forward(X, params, **_omit_default(activation))
    expect_close(out, expected, rtol=1e-9, atol=_output_tolerance(X, params, activation or "tanh"))


BACKWARD_EXAMPLES = [dict(X=np.array([[0.5, -1.0], [2.0, 0.0]]), Y=np.array([[1.0], [-1.0]]), params=TWO_LAYERS,
                          activation=a) for a in (None, "relu", "sigmoid")] + [
    dict(X=np.array([[1.0], [-1.0]]), Y=np.array([[0.0, 1.0], [1.0, 0.0]]),
         params=[(np.array([[1.0, -0.5]]), np.array([0.1, 0.2])), (np.array([[1.0, 2.0], [-1.0, 0.5]]), np.zeros(2))],
         activation="tanh")]


@SPEC.check("mlp_backward", tier="reference", points=3, title="mlp_backward matches the reference",
            given=NETWORKS, examples=BACKWARD_EXAMPLES)
def backward_matches_reference(learner, X, Y, params, activation):
    grads = _gradients(learner.mlp_backward(X=X, Y=Y, params=params, **_omit_default(activation)), params)
    expected = ref.mlp_backward(X, Y, params, **_omit_default(activation))
    _expect_gradients_close(grads, expected, _gradient_tolerances(X, Y, params, activation or "tanh"), rtol=1e-9)


# ---------------------------------------------------------------- stability

@SPEC.check("mlp_backward", tier="stability", points=2,
            title="mlp_backward matches the reference on deeper and wider networks (4 to 6 layers, up to 10 units)",
            given=DEEP_NETWORKS, max_examples=100)
def backward_handles_deep_networks(learner, X, Y, params, activation):
    grads = _backward(learner, X, Y, params, activation)
    _expect_gradients_close(grads, ref.mlp_backward(X, Y, params, activation),
                            _gradient_tolerances(X, Y, params, activation), rtol=1e-9)


SATURATED_EXAMPLES = [dict(X=np.array([[1000.0, -1000.0]]), Y=np.array([[1.0]]), params=TWO_LAYERS, activation=a)
                      for a in ("sigmoid", "tanh")]


@SPEC.check("mlp_forward", tier="stability", points=1,
            title="mlp_forward stays finite and right when tanh or sigmoid units saturate (inputs up to 1e3)",
            given=SATURATED_FORWARD, examples=[{k: v for k, v in e.items() if k != "Y"} for e in SATURATED_EXAMPLES])
def forward_handles_saturated_units(learner, X, params, activation):
    expect_close(learner.mlp_forward(X=X, params=params, activation=activation), ref.mlp_forward(X, params, activation),
                 rtol=1e-9, atol=_output_tolerance(X, params, activation))


@SPEC.check("mlp_backward", tier="stability", points=1,
            title="mlp_backward stays finite and right when tanh or sigmoid units saturate (inputs up to 1e3)",
            given=SATURATED, examples=SATURATED_EXAMPLES)
def backward_handles_saturated_units(learner, X, Y, params, activation):
    grads = _backward(learner, X, Y, params, activation)
    _expect_gradients_close(grads, ref.mlp_backward(X, Y, params, activation),
                            _gradient_tolerances(X, Y, params, activation), rtol=1e-9)


# ---------------------------------------------------------------- known mistakes
# Each is written as if it lived in solutions/backprop.py (it may call that module's helpers); the backward
# ones share _backward_with, the reference's backward pass with a switch per mistake.

@SPEC.mistake("mlp_forward", "applies the activation to the last layer too",
              hint="Only the hidden layers apply the activation; the last layer is linear: Y_hat = A_prev @ W + b.")
def forward_activates_last_layer(X, params, activation="tanh"):
    X, params = _checked(X, params, activation)
    A = X
    for W, b in params:
        A = _activate(A @ W + b, activation)
    return A


@SPEC.mistake("mlp_forward", "uses W.T (torch's nn.Linear layout) instead of W",
              hint="Here W has shape (d_in, d_out), so a layer is A_prev @ W + b, not A_prev @ W.T + b.")
def forward_with_transposed_weights(X, params, activation="tanh"):
    A = np.asarray(X, dtype=np.float64)
    for layer, (W, b) in enumerate(params):
        Z = A @ np.asarray(W, dtype=np.float64).T + b
        A = _activate(Z, activation) if layer < len(params) - 1 else Z
    return A


@SPEC.mistake("mlp_forward", "sigmoid written as exp(z) / (1 + exp(z)): inf / inf gives NaN for large z",
              hint="exp(1000) overflows to inf. Use exp(-|z|), which is never above 1: for z >= 0, "
                   "1 / (1 + exp(-z)); for z < 0, exp(z) / (1 + exp(z)).")
def forward_with_overflowing_sigmoid(X, params, activation="tanh"):
    X, params = _checked(X, params, activation)
    A = X
    for layer, (W, b) in enumerate(params):
        Z = A @ W + b
        if layer == len(params) - 1:
            return Z
        A = np.exp(Z) / (1.0 + np.exp(Z)) if activation == "sigmoid" else _activate(Z, activation)


@SPEC.mistake_helper
def _backward_with(X, Y, params, activation, *, factor=2.0, divide_by_rows=False, activate_last=False,
                   slopes=None, no_slopes=False, dw_transposed=False, db_mean=False, keep_reversed=False):
    """mlp_backward with one switch per known mistake; the defaults give the reference's gradients.

    factor: the 2 that d/dY_hat of (Y_hat - Y)**2 brings down (1.0: forgotten).
    divide_by_rows: dL/dY_hat divided by N instead of Y.size = N * d_out.
    activate_last: the output taken as g(Z) of the last layer, so g'(Z) is applied there too.
    slopes: {activation: a wrong g'(Z)} used instead of _derivative for that activation.
    no_slopes: no g'(Z) at all: dZ = dA in the hidden layers.
    dw_transposed: dW = dZ.T @ A_prev, shaped (d_out, d_in).
    db_mean: db = the mean of dZ over the rows instead of the sum.
    keep_reversed: the gradients returned last layer first.
    """
    X, params = _checked(X, params, activation)
    inputs, pre = _forward_pass(X, params, activation)
    Y_hat = _activate(pre[-1], activation) if activate_last else pre[-1]
    dA = factor * (Y_hat - np.asarray(Y, dtype=np.float64)) / (X.shape[0] if divide_by_rows else np.size(Y))
    grads = []
    for layer in reversed(range(len(params))):
        dZ = dA  # a linear layer: dZ is the gradient flowing in
        if (layer < len(params) - 1 or activate_last) and not no_slopes:
            Z = pre[layer]
            dZ = dA * (slopes[activation](Z) if slopes and activation in slopes else _derivative(Z, activation))
        dW = dZ.T @ inputs[layer] if dw_transposed else inputs[layer].T @ dZ
        grads.append((dW, dZ.mean(axis=0) if db_mean else dZ.sum(axis=0)))
        dA = dZ @ params[layer][0].T
    return grads if keep_reversed else grads[::-1]


@SPEC.mistake("mlp_backward", "averages db over the batch instead of summing it",
              hint="b is added to every row, so db is the SUM of dZ over the rows (dZ.sum(axis=0)); "
                   "the 1 / Y.size of the mean loss is already inside dZ.")
def backward_averages_db(X, Y, params, activation="tanh"):
    return _backward_with(X, Y, params, activation, db_mean=True)


@SPEC.mistake("mlp_backward", "forgets the factor 2 in the derivative of the squared error",
              hint="d/dY_hat of mean((Y_hat - Y)**2) is 2 * (Y_hat - Y) / Y.size: the square brings down a 2.")
def backward_without_factor_two(X, Y, params, activation="tanh"):
    return _backward_with(X, Y, params, activation, factor=1.0)


@SPEC.mistake("mlp_backward", "divides by the number of rows N instead of by Y.size = N * d_out",
              hint="The loss is the mean over ALL N * d_out elements of Y, so dL/dY_hat = 2 * (Y_hat - Y) / Y.size; "
                   "dividing by N only is right when d_out is 1.")
def backward_divides_by_rows(X, Y, params, activation="tanh"):
    return _backward_with(X, Y, params, activation, divide_by_rows=True)


@SPEC.mistake("mlp_backward", "tanh' computed as 1 - Z**2 from the pre-activation instead of 1 - tanh(Z)**2",
              hint="tanh'(Z) = 1 - tanh(Z)**2 = 1 - A**2: square the activation's OUTPUT A, not its input Z.")
def backward_tanh_slope_from_z(X, Y, params, activation="tanh"):
    return _backward_with(X, Y, params, activation, slopes={"tanh": lambda Z: 1.0 - Z**2})


@SPEC.mistake("mlp_backward", "takes relu'(0) = 1 (Z >= 0) instead of 0",
              hint="The contract says relu'(0) = 0: use (Z > 0), strictly, as the slope.")
def backward_relu_slope_one_at_zero(X, Y, params, activation="tanh"):
    return _backward_with(X, Y, params, activation, slopes={"relu": lambda Z: (Z >= 0).astype(np.float64)})


@SPEC.mistake("mlp_backward", "skips the activation's derivative in the hidden layers",
              hint="Going back through A = g(Z) multiplies by g'(Z): dZ = dA * g'(Z) in every hidden layer.")
def backward_without_activation_slope(X, Y, params, activation="tanh"):
    return _backward_with(X, Y, params, activation, no_slopes=True)


@SPEC.mistake("mlp_backward", "treats the last layer as if it applied the activation too",
              hint="The last layer is linear, so its dZ is dL/dY_hat itself; only hidden layers multiply by g'(Z).")
def backward_activates_last_layer(X, Y, params, activation="tanh"):
    return _backward_with(X, Y, params, activation, activate_last=True)


@SPEC.mistake("mlp_backward", "returns the gradients from the last layer to the first",
              hint="Backprop visits the layers last to first; reverse the list at the end so grads[i] "
                   "belongs to params[i].")
def backward_in_reverse_order(X, Y, params, activation="tanh"):
    return _backward_with(X, Y, params, activation, keep_reversed=True)


@SPEC.mistake("mlp_backward", "computes dW as dZ.T @ A_prev, the transpose of the right shape",
              hint="dW must have W's shape (d_in, d_out): dW = A_prev.T @ dZ, (d_in, N) @ (N, d_out).")
def backward_transposed_dw(X, Y, params, activation="tanh"):
    return _backward_with(X, Y, params, activation, dw_transposed=True)


@SPEC.mistake("mlp_backward",
              "sigmoid' computed as exp(-Z) / (1 + exp(-Z))**2: inf / inf gives NaN for very negative Z",
              hint="exp(-Z) overflows to inf for Z below about -710. Compute s = sigmoid(Z) stably first, "
                   "then sigmoid'(Z) = s * (1 - s).")
def backward_with_overflowing_sigmoid_slope(X, Y, params, activation="tanh"):
    return _backward_with(X, Y, params, activation,
                          slopes={"sigmoid": lambda Z: np.exp(-Z) / (1.0 + np.exp(-Z)) ** 2})


# ---------------------------------------------------------------- numerical_grad(f, x, eps)
# f is a Probe (grader/sandbox/probes.py): a function from plain data that the worker rebuilds,
# so the learner's code calls a real Python function while the judge knows its exact gradient.

SHAPES = st.one_of(st.tuples(st.integers(1, 6)), st.tuples(st.integers(1, 4), st.integers(1, 4)))
EPSILONS = st.sampled_from((1e-6, 1e-4, 1e-3, 1e-2, 0.1, 0.3))


@st.composite
def probes(draw, kind=None, shape=SHAPES, values=VALUES):
    """Keyword arguments f, x, eps: a probe function and a point (1-D or 2-D) to differentiate it at."""
    shape = draw(shape)
    n = int(np.prod(shape))
    kind = kind or draw(st.sampled_from(("quadratic", "wave")))
    arrays = lambda s: draw(nps.arrays(np.float64, s, elements=values))  # noqa: E731
    if kind == "quadratic":
        M = arrays((n, n))
        f = Probe("quadratic", A=M + M.T, b=arrays(n), c=draw(values))
    else:
        f = Probe("wave", w=arrays(n), a=arrays(n), p=arrays(n), v=arrays(n), c=draw(values))
    return {"f": f, "x": arrays(shape), "eps": draw(EPSILONS)}


def _difference_tolerance(f, x, eps):
    """Rounding of (f(x + h) - f(x - h)) / 2h: a few ulps of |f| near x, divided by 2h, over any order of work."""
    x = np.asarray(x, dtype=np.float64)
    p = f.params
    if f.kind == "quadratic":
        bound = 0.5 * (np.abs(x).ravel() + eps) @ np.abs(p["A"]) @ (np.abs(x).ravel() + eps) + np.abs(p["b"]) @ (
            np.abs(x).ravel() + eps) + abs(float(p["c"]))
    else:
        bound = np.sum(np.abs(p["w"])) + np.sum(np.abs(p["v"]) * (np.abs(x).ravel() + eps) ** 3) + abs(float(p["c"]))
    return 64 * np.finfo(np.float64).eps * (float(bound) + 1e-300) / (2 * eps)


def _numerical(learner, f, x, eps=None):
    chosen = {} if eps is None else {"eps": eps}
    return as_array(learner.numerical_grad(f=f, x=x, **chosen), shape=np.shape(x), what="the gradient")


GRAD_EXAMPLE = dict(f=Probe("wave", w=[1.0, -2.0, 0.5], a=[1.0, 3.0, -2.0], p=[0.0, 0.5, 1.0], v=[0.1, 0.0, -0.2],
                            c=1.0), x=np.array([0.3, -1.2, 2.0]), eps=1e-3)
MATRIX_EXAMPLE = dict(f=Probe("quadratic", A=np.diag([2.0, 1.0, 4.0, -1.0]) + 0.5, b=[1.0, 0.0, -1.0, 2.0], c=0.0),
                      x=np.array([[0.5, -1.0], [2.0, 0.25]]), eps=0.1)


@SPEC.check("numerical_grad", tier="contract", points=1,
            title="numerical_grad returns a float64 array shaped like x (1-D or 2-D)", given=probes(),
            examples=[GRAD_EXAMPLE, MATRIX_EXAMPLE])
def numerical_grad_returns_array_like_x(learner, f, x, eps):
    array_contract(learner.numerical_grad(f=f, x=x, eps=eps), shape=x.shape, what="the gradient")


@SPEC.check("numerical_grad", tier="contract", points=1, title="numerical_grad leaves x unchanged",
            given=probes(), examples=[dict(GRAD_EXAMPLE, x=np.array([0.1, 0.7, -0.3]), eps=1e-3)])
def numerical_grad_leaves_x_unchanged(learner, f, x, eps):
    _, after = learner.value_and_arguments_after("numerical_grad", f=f, x=x, eps=eps)
    expect_unchanged({"x": x}, after, function="numerical_grad")


@SPEC.check("numerical_grad", tier="contract", points=1, title="numerical_grad raises ValueError for eps <= 0",
            examples=[dict(GRAD_EXAMPLE, eps=0.0, why="eps = 0"), dict(GRAD_EXAMPLE, eps=-1e-3, why="eps = -0.001")])
def numerical_grad_rejects_bad_eps(learner, f, x, eps, why):
    expect_value_error(learner.outcome("numerical_grad", f=f, x=x, eps=eps), bad=why)


@SPEC.check("numerical_grad", tier="properties", points=2,
            title="for a quadratic f, central differences are exact: numerical_grad gives A x + b at any eps",
            given=probes(kind="quadratic"), examples=[MATRIX_EXAMPLE])
def numerical_grad_is_exact_for_quadratics(learner, f, x, eps):
    got = _numerical(learner, f, x, eps)
    expect_close(got, f.gradient(x), rtol=1e-9, atol=_difference_tolerance(f, x, eps),
                 what=f"the gradient of {f!r} at eps = {eps} (exactly A x + b for a quadratic)")


@SPEC.check("numerical_grad", tier="reference", points=2,
            title="numerical_grad matches the reference, for the eps given and for the default eps = 1e-6",
            given=probes(kind="wave"),
            examples=[GRAD_EXAMPLE, dict(GRAD_EXAMPLE, eps=None), dict(MATRIX_EXAMPLE, eps=None)])
def numerical_grad_matches_reference(learner, f, x, eps):
    got = _numerical(learner, f, x, eps)
    expected = ref.numerical_grad(f, x) if eps is None else ref.numerical_grad(f, x, eps)
    expect_close(got, expected, rtol=1e-9, atol=_difference_tolerance(f, x, 1e-6 if eps is None else eps))


@SPEC.check("numerical_grad", tier="stability", points=1,
            title="numerical_grad works on an x of integers (converted to float before it is nudged)",
            given=probes().map(lambda case: {**case, "x": np.round(case["x"]).astype(np.int64)}),
            examples=[dict(GRAD_EXAMPLE, x=np.array([1, -2, 0]), eps=1e-4)])
def numerical_grad_converts_integer_x(learner, f, x, eps):
    got = _numerical(learner, f, x, eps)
    expect_close(got, ref.numerical_grad(f, x, eps), rtol=1e-9, atol=_difference_tolerance(f, x, eps),
                 what=f"the gradient at the integer point x = {x.tolist()}")


@SPEC.mistake("numerical_grad", "forward differences (f(x + eps) - f(x)) / eps instead of central ones",
              hint="Central differences nudge both ways: (f(x + eps e_i) - f(x - eps e_i)) / (2 eps). Their error "
                   "is ~eps^2 (none at all for a quadratic); the forward difference's is ~eps.")
def numerical_grad_forward(f, x, eps=1e-6):
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps}")
    x = np.array(x, dtype=np.float64)
    grad = np.empty_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        grad[index] = (float(f(x + step)) - float(f(x))) / eps
    return grad


@SPEC.mistake("numerical_grad", "divides by eps instead of 2 eps: the result is twice the gradient",
              hint="x + eps and x - eps are 2 eps apart: divide the difference of f by 2 * eps.")
def numerical_grad_half_step(f, x, eps=1e-6):
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps}")
    x = np.array(x, dtype=np.float64)
    grad = np.empty_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        grad[index] = (float(f(x + step)) - float(f(x - step))) / eps
    return grad


@SPEC.mistake("numerical_grad", "ignores the eps argument (a step of its own instead)",
              hint="Use the eps you are given: with a large eps the truncation error is part of the contract.")
def numerical_grad_fixed_step(f, x, eps=1e-6):
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps}")
    x = np.array(x, dtype=np.float64)
    grad = np.empty_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = 1e-5
        grad[index] = (float(f(x + step)) - float(f(x - step))) / 2e-5
    return grad


@SPEC.mistake("numerical_grad", "nudges x in place and never puts x[i] back: the caller's x ends up changed",
              hint="After x[i] += eps and x[i] -= 2 * eps, x[i] is eps too low (and rounding may stop even a "
                   "restore from being exact). Work on a copy, or build x + eps e_i as a new array.")
def numerical_grad_in_place(f, x, eps=1e-6):
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps}")
    x = np.asarray(x, dtype=np.float64)  # no copy for a float64 array: the caller's x
    grad = np.empty_like(x)
    for index in np.ndindex(x.shape):
        x[index] += eps
        up = float(f(x))
        x[index] -= 2 * eps
        down = float(f(x))
        grad[index] = (up - down) / (2 * eps)
    return grad


@SPEC.mistake("numerical_grad", "keeps an integer x as integers: x + eps is truncated back to x",
              hint="np.zeros_like and copies of an int array are int arrays, where eps rounds to 0. Convert first: "
                   "x = np.array(x, dtype=float).")
def numerical_grad_integer_steps(f, x, eps=1e-6):
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps}")
    x = np.array(x)
    grad = np.empty(x.shape)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        grad[index] = (float(f(x + step)) - float(f(x - step))) / (2 * eps)
    return grad


@SPEC.mistake("numerical_grad", "loops over x[i] only, so for a 2-D x it nudges whole rows at once",
              hint="For a matrix, x[i] is a row. Nudge one entry at a time: for index in np.ndindex(x.shape).")
def numerical_grad_rows(f, x, eps=1e-6):
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps}")
    x = np.array(x, dtype=np.float64)
    grad = np.empty_like(x)
    for i in range(len(x)):
        step = np.zeros_like(x)
        step[i] = eps
        grad[i] = (float(f(x + step)) - float(f(x - step))) / (2 * eps)
    return grad
