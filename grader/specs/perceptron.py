"""Checks for neuron_fire and perceptron_train (CATALOG A1, topic perceptron).

The perceptron makes a hard decision (> 0 or not) after every example, so a rounding
difference between two correct implementations could flip one decision and change the
whole run. Generated inputs therefore live on a grid (multiples of 1/4, learning rates that
are powers of 2): every sum is exact in float64, and any correct code gives the same run.
"""

import math

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging import render
from grader.judging.checks import Failure, Spec
from grader.judging.expect import (array_contract, as_array, as_float, expect_close, expect_unchanged,
                                   expect_value_error, float_contract, int_contract, tuple_contract)

SPEC = Spec(
    "perceptron",
    functions=("neuron_fire", "perceptron_train"),
    forbidden=("sklearn", "torch.nn"),
)
ref = SPEC.reference

GRID = st.integers(-8, 8).map(lambda k: k / 4)  # multiples of 1/4 in [-2, 2]: sums stay exact
LR = st.sampled_from([0.25, 0.5, 1.0, 2.0, 4.0])
SCALE = st.sampled_from([0.25, 0.5, 2.0, 4.0, 8.0])
TRUTH_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
GATES = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "NAND": [1, 1, 1, 0], "NOR": [1, 0, 0, 0]}


@st.composite
def neuron_case(draw):
    n = draw(st.integers(1, 5))
    return {"inputs": draw(nps.arrays(np.float64, n, elements=GRID)),
            "weights": draw(nps.arrays(np.float64, n, elements=GRID)),
            "bias": draw(GRID), "threshold": draw(GRID)}


@st.composite
def training_set(draw, max_rows=8, max_epochs=st.integers(1, 20)):
    m, n = draw(st.integers(1, max_rows)), draw(st.integers(1, 4))
    return {"X": draw(nps.arrays(np.float64, (m, n), elements=GRID)),
            "y": draw(nps.arrays(np.int64, m, elements=st.integers(0, 1))),
            "lr": draw(LR), "max_epochs": draw(max_epochs)}


@st.composite
def separable_set(draw):
    """Integer points labelled by a drawn integer hyperplane; points on it are dropped (margin >= 1).

    max_epochs is Novikoff's bound on the number of updates, (R |(w*, b*)| / margin)^2, plus one:
    a correct perceptron has an error-free epoch before it runs out.
    """
    n = draw(st.integers(1, 3))
    normal = draw(nps.arrays(np.int64, n, elements=st.integers(-3, 3)).filter(lambda v: v.any()))
    offset = draw(st.integers(-3, 3))
    X = draw(nps.arrays(np.int64, (draw(st.integers(1, 8)), n), elements=st.integers(-4, 4)))
    side = X @ normal + offset
    X = X[side != 0]
    if len(X) == 0:  # every point was on the plane: use normal or 2 * normal, one of which is off it
        X = next(k * normal[None, :] for k in (1, 2) if k * (normal @ normal) + offset != 0)
    side = X @ normal + offset
    radius2 = float(np.max(np.sum(X.astype(float) ** 2, axis=1) + 1.0))
    bound = radius2 * float(normal @ normal + offset**2)  # margin >= 1 for the unnormalised (w*, b*)
    return {"X": X.astype(np.float64), "y": (side > 0).astype(np.int64), "lr": draw(LR),
            "max_epochs": int(math.ceil(bound)) + 1}


def trained(value, n: int):
    """(w, b, errors) from what the learner returned, converted leniently (values, not types)."""
    w, b, errors = tuple_contract(value, 3)
    errors_array = np.asarray(errors)
    if errors_array.ndim != 1 or (errors_array.size and errors_array.dtype.kind not in "iuf"):
        raise Failure("errors is not a list of numbers", got=errors)
    return as_array(w, shape=(n,), what="w"), as_float(b, what="b"), [int(e) for e in errors_array]


def expect_same_errors(got: list, expected: list, what="errors") -> None:
    if list(got) != list(expected):
        raise Failure(f"{what} is wrong: got {got}, expected {expected}", expected=expected, got=got)


# ---------------------------------------------------------------- contract

@SPEC.check("neuron_fire", tier="contract", points=1, title="neuron_fire returns an int, 0 or 1",
            examples=[dict(inputs=[1.0, 1.0], weights=[1.0, 1.0], bias=-1.5, threshold=0.0),
                      dict(inputs=np.array([0.5]), weights=np.array([2.0]), bias=0.0, threshold=3.0),
                      dict(inputs=np.array([1.0, -2.0, 3.0]), weights=np.array([0.5, 0.5, 0.5]), bias=0.25,
                           threshold=-1.0)])
def neuron_fire_returns_an_int(learner, inputs, weights, bias, threshold):
    fired = int_contract(learner.neuron_fire(inputs=inputs, weights=weights, bias=bias, threshold=threshold))
    if fired not in (0, 1):
        raise Failure(f"neuron_fire returned {fired}; it must be 0 or 1", expected=render.describe("0 or 1"),
                      got=fired)


@SPEC.check("neuron_fire", tier="contract", points=1,
            title="neuron_fire raises ValueError when inputs and weights are not 1-D of the same length",
            examples=[dict(inputs=np.array([1.0, 2.0]), weights=np.array([1.0]), why="2 inputs but 1 weight"),
                      dict(inputs=np.array([1.0]), weights=np.array([1.0, 2.0, 3.0]), why="1 input but 3 weights"),
                      dict(inputs=np.zeros(0), weights=np.zeros(0), why="no inputs at all"),
                      dict(inputs=np.array([[1.0, 2.0]]), weights=np.array([1.0, 2.0]),
                           why="inputs of shape (1, 2), which is not 1-D")])
def neuron_fire_rejects_bad_shapes(learner, inputs, weights, why):
    expect_value_error(learner.outcome("neuron_fire", inputs=inputs, weights=weights, bias=0.0), bad=why)


@SPEC.check("perceptron_train", tier="contract", points=1,
            title="perceptron_train returns (w, b, errors): a float64 array, a float and a list of ints, "
                  "and leaves X and y unchanged",
            given=training_set(), examples=[dict(X=TRUTH_INPUTS, y=np.array(GATES["AND"]), lr=1.0, max_epochs=100)])
def perceptron_train_returns_weights_bias_errors(learner, X, y, lr, max_epochs):
    value, after = learner.value_and_arguments_after("perceptron_train", X=X, y=y, lr=lr, max_epochs=max_epochs)
    w, b, errors = tuple_contract(value, 3)
    array_contract(w, shape=(X.shape[1],), what="w")
    float_contract(b, what="b")
    if isinstance(errors, np.ndarray):
        errors = list(errors) if errors.ndim == 1 else errors
    if not isinstance(errors, (list, tuple)):
        raise Failure(f"errors is {render.kind(errors)}; expected a list of ints", got=errors)
    for count in errors:
        int_contract(count, what="each entry of errors")
    if not 1 <= len(errors) <= max_epochs:
        raise Failure(f"errors has {len(errors)} entries; expected between 1 and max_epochs = {max_epochs}",
                      got=errors)
    expect_unchanged({"X": X, "y": y}, after, function="perceptron_train")


BAD_TRAINING = [
    dict(X=TRUTH_INPUTS, y=np.array([-1, -1, -1, 1]), lr=1.0, max_epochs=10, why="labels -1 and 1 (not 0 and 1)"),
    dict(X=TRUTH_INPUTS, y=np.array([0, 0, 2, 1]), lr=1.0, max_epochs=10, why="a label 2"),
    dict(X=TRUTH_INPUTS, y=np.array([0.0, 0.5, 1.0, 1.0]), lr=1.0, max_epochs=10, why="a label 0.5"),
    dict(X=TRUTH_INPUTS, y=np.array([0, 1, 1]), lr=1.0, max_epochs=10, why="4 rows in X but 3 labels"),
    dict(X=np.array([0.0, 1.0]), y=np.array([0, 1]), lr=1.0, max_epochs=10, why="a 1-D X"),
    dict(X=np.zeros((0, 2)), y=np.zeros(0, dtype=np.int64), lr=1.0, max_epochs=10, why="an X with no rows"),
    dict(X=TRUTH_INPUTS, y=np.array([0, 0, 0, 1]), lr=0.0, max_epochs=10, why="lr = 0"),
    dict(X=TRUTH_INPUTS, y=np.array([0, 0, 0, 1]), lr=-1.0, max_epochs=10, why="lr = -1"),
    dict(X=TRUTH_INPUTS, y=np.array([0, 0, 0, 1]), lr=1.0, max_epochs=0, why="max_epochs = 0"),
]


@SPEC.check("perceptron_train", tier="contract", points=2,
            title="perceptron_train raises ValueError for labels other than 0/1, mismatched or empty data, "
                  "lr <= 0 or max_epochs < 1", examples=BAD_TRAINING)
def perceptron_train_rejects_bad_input(learner, X, y, lr, max_epochs, why):
    expect_value_error(learner.outcome("perceptron_train", X=X, y=y, lr=lr, max_epochs=max_epochs), bad=why)


# ---------------------------------------------------------------- properties

@SPEC.check("neuron_fire", tier="properties", points=1,
            title="at exactly the threshold the neuron does not fire; just above it, it does",
            given=neuron_case(), examples=[dict(inputs=[1.0], weights=[1.0], bias=0.0, threshold=0.0)])
def neuron_fire_is_strict_at_the_threshold(learner, inputs, weights, bias, threshold):
    total = float(np.dot(inputs, weights)) + bias  # exact: grid values
    at = int_contract(learner.neuron_fire(inputs=inputs, weights=weights, bias=bias, threshold=total))
    if at != 0:
        raise Failure(f"the weighted sum plus bias equals the threshold {total!r}, and the neuron fired",
                      expected=0, got=at)
    above = int_contract(learner.neuron_fire(inputs=inputs, weights=weights, bias=bias + 0.25, threshold=total))
    if above != 1:
        raise Failure(f"the weighted sum plus bias is 0.25 above the threshold {total!r}, and the neuron "
                      f"did not fire", expected=1, got=above)


@SPEC.check("neuron_fire", tier="properties", points=1,
            title="scaling weights, bias and threshold by the same c > 0 does not change the output",
            given=st.builds(lambda case, c: {**case, "c": c}, neuron_case(), SCALE))
def neuron_fire_is_scale_invariant(learner, inputs, weights, bias, threshold, c):
    fired = int_contract(learner.neuron_fire(inputs=inputs, weights=weights, bias=bias, threshold=threshold))
    scaled = int_contract(learner.neuron_fire(inputs=inputs, weights=c * weights, bias=c * bias,
                                              threshold=c * threshold))
    if scaled != fired:
        raise Failure(f"with weights, bias and threshold multiplied by {c!r} the output changed from {fired}",
                      expected=fired, got=scaled)


def _expect_separates(w, b, X, y, what: str) -> None:
    predicted = (X @ w + b > 0).astype(int)
    if not np.array_equal(predicted, y):
        wrong = int(np.argmax(predicted != y))
        raise Failure(f"{what}: with the returned w and b, row {wrong} ({X[wrong].tolist()}) is predicted "
                      f"{predicted[wrong]}, its label is {int(y[wrong])}", expected=y.tolist(),
                      got=predicted.tolist())


@SPEC.check("perceptron_train", tier="properties", points=2,
            title="perceptron_train learns AND, OR, NAND and NOR: the last epoch has no errors",
            given=st.builds(lambda gate, lr, order: {"gate": gate, "lr": lr, "order": order},
                            st.sampled_from(sorted(GATES)), LR, st.permutations(range(4))),
            examples=[dict(gate="AND", lr=1.0, order=[0, 1, 2, 3]), dict(gate="OR", lr=1.0, order=[0, 1, 2, 3])])
def perceptron_train_learns_linear_gates(learner, gate, lr, order):
    X, y = TRUTH_INPUTS[list(order)], np.array(GATES[gate])[list(order)]
    w, b, errors = trained(learner.perceptron_train(X=X, y=y, lr=lr, max_epochs=100), 2)
    if not errors or errors[-1] != 0:
        raise Failure(f"{gate} is linearly separable, but no epoch of 100 was error-free (errors {errors})",
                      got=errors)
    _expect_separates(w, b, X, y, f"{gate} was not learned")


@SPEC.check("perceptron_train", tier="properties", points=1,
            title="perceptron_train never has an error-free epoch on XOR",
            given=st.builds(lambda lr, order, epochs: {"lr": lr, "order": order, "max_epochs": epochs},
                            LR, st.permutations(range(4)), st.integers(1, 30)),
            examples=[dict(lr=1.0, order=[0, 1, 2, 3], max_epochs=20)])
def perceptron_train_never_solves_xor(learner, lr, order, max_epochs):
    X, y = TRUTH_INPUTS[list(order)], np.array([0, 1, 1, 0])[list(order)]
    _, _, errors = trained(learner.perceptron_train(X=X, y=y, lr=lr, max_epochs=max_epochs), 2)
    if len(errors) != max_epochs or min(errors, default=0) == 0:
        raise Failure(f"XOR cannot be separated by a line, so all {max_epochs} epochs must have errors; "
                      f"got errors {errors}", got=errors)


@SPEC.check("perceptron_train", tier="properties", points=2,
            title="perceptron_train separates data that a hyperplane separates with a margin",
            given=separable_set())
def perceptron_train_converges_on_separable_data(learner, X, y, lr, max_epochs):
    w, b, errors = trained(learner.perceptron_train(X=X, y=y, lr=lr, max_epochs=max_epochs), X.shape[1])
    if not errors or errors[-1] != 0:
        raise Failure(f"the data are separable with a margin; the perceptron theorem promises an error-free "
                      f"epoch within {max_epochs} epochs, but the last of {len(errors)} had {errors[-1:]} errors",
                      got=errors)
    _expect_separates(w, b, X, y, "the training data are not separated")


@SPEC.check("perceptron_train", tier="properties", points=1,
            title="starting from zero, multiplying lr by c multiplies w and b by c and keeps the errors",
            given=st.builds(lambda case, c: {**case, "c": c}, training_set(), SCALE))
def perceptron_train_scales_with_lr(learner, X, y, lr, max_epochs, c):
    w, b, errors = trained(learner.perceptron_train(X=X, y=y, lr=lr, max_epochs=max_epochs), X.shape[1])
    w_c, b_c, errors_c = trained(learner.perceptron_train(X=X, y=y, lr=c * lr, max_epochs=max_epochs),
                                 X.shape[1])
    expect_same_errors(errors_c, errors, what=f"errors with lr * {c!r}")
    scale = 1e-12 * c * (1.0 + float(np.abs(w).max(initial=0.0)) + abs(b))
    expect_close(w_c, c * w, rtol=1e-12, atol=scale, what=f"w with lr * {c!r}")
    expect_close(b_c, c * b, rtol=1e-12, atol=scale, what=f"b with lr * {c!r}")


# ---------------------------------------------------------------- reference

@SPEC.check("neuron_fire", tier="reference", points=1, title="neuron_fire matches the reference",
            given=neuron_case(), examples=[dict(inputs=[1.0, 1.0], weights=[1.0, 1.0], bias=-1.5, threshold=0.0),
                                           dict(inputs=[0.0], weights=[0.0], bias=0.25, threshold=0.0)])
def neuron_fire_matches_reference(learner, inputs, weights, bias, threshold):
    fired = as_float(learner.neuron_fire(inputs=inputs, weights=weights, bias=bias, threshold=threshold))
    expected = ref.neuron_fire(inputs, weights, bias, threshold)
    if fired != expected:
        raise Failure(f"neuron_fire returned {fired:g}; expected {expected}", expected=expected, got=fired)


def _expect_reference_run(learner, X, y, lr, max_epochs) -> None:
    w, b, errors = trained(learner.perceptron_train(X=X, y=y, lr=lr, max_epochs=max_epochs), X.shape[1])
    w_ref, b_ref, errors_ref = ref.perceptron_train(X, y, lr=lr, max_epochs=max_epochs)
    expect_same_errors(errors, errors_ref)
    scale = 1e-12 * (1.0 + float(np.abs(w_ref).max(initial=0.0)) + abs(b_ref))
    expect_close(w, w_ref, rtol=1e-12, atol=scale, what="w")
    expect_close(b, b_ref, rtol=1e-12, atol=scale, what="b")


@SPEC.check("perceptron_train", tier="reference", points=2, title="perceptron_train matches the reference",
            given=training_set(), examples=[dict(X=TRUTH_INPUTS, y=np.array(GATES["AND"]), lr=1.0, max_epochs=100),
                                            dict(X=np.array([[1.0]]), y=np.array([0]), lr=1.0, max_epochs=5)])
def perceptron_train_matches_reference(learner, X, y, lr, max_epochs):
    _expect_reference_run(learner, X, y, lr, max_epochs)


# ---------------------------------------------------------------- stability

@SPEC.check("perceptron_train", tier="stability", points=1,
            title="perceptron_train handles inputs up to 1e6 and runs of 500 epochs",
            given=st.builds(lambda case: {**case, "X": case["X"] * 2.0**18},
                            training_set(max_epochs=st.just(500))),
            examples=[dict(X=TRUTH_INPUTS * 2.0**20, y=np.array([0, 1, 1, 0]), lr=1.0, max_epochs=500)],
            max_examples=2)
def perceptron_train_handles_large_inputs_and_long_runs(learner, X, y, lr, max_epochs):
    _expect_reference_run(learner, X, y, lr, max_epochs)


# ---------------------------------------------------------------- known mistakes
# Each is written as if it lived in solutions/perceptron.py (it may call that module's helpers).

@SPEC.mistake("neuron_fire", "fires at the threshold (>= instead of >)",
              hint="The neuron fires only when the weighted sum plus bias is strictly greater than the threshold.")
def neuron_fire_at_threshold(inputs, weights, bias, threshold=0.0):
    inputs, weights = np.asarray(inputs, dtype=np.float64), np.asarray(weights, dtype=np.float64)
    if inputs.ndim != 1 or inputs.size == 0 or weights.shape != inputs.shape:
        raise ValueError("inputs and weights must be 1-D of the same length")
    return 1 if float(inputs @ weights) + bias >= threshold else 0


@SPEC.mistake("neuron_fire", "ignores the bias",
              hint="Add the bias to the weighted sum before comparing with the threshold: "
                   "inputs . weights + bias > threshold.")
def neuron_fire_without_bias(inputs, weights, bias, threshold=0.0):
    inputs, weights = np.asarray(inputs, dtype=np.float64), np.asarray(weights, dtype=np.float64)
    if inputs.ndim != 1 or inputs.size == 0 or weights.shape != inputs.shape:
        raise ValueError("inputs and weights must be 1-D of the same length")
    return 1 if float(inputs @ weights) > threshold else 0


@SPEC.mistake_helper
def _train_variant(X, y, lr, max_epochs, *, fire_at_zero=False, update_bias=True, stop_early=True,
                   online=True, sign=1):
    X, y = _checked(X, y, lr, max_epochs)
    w, b, errors = np.zeros(X.shape[1]), 0.0, []
    for _ in range(max_epochs):
        wrong, dw, db = 0, np.zeros_like(w), 0.0
        for x_i, y_i in zip(X, y):
            activation = float(x_i @ w) + b
            predicted = 1 if (activation >= 0 if fire_at_zero else activation > 0) else 0
            if predicted != y_i:
                step = sign * lr * (y_i - predicted)
                if online:
                    w, b = w + step * x_i, b + (step if update_bias else 0.0)
                else:
                    dw, db = dw + step * x_i, db + step
                wrong += 1
        if not online:
            w, b = w + dw, b + (db if update_bias else 0.0)
        errors.append(wrong)
        if wrong == 0 and stop_early:
            break
    return w, float(b), errors


@SPEC.mistake("perceptron_train", "predicts 1 when X[i] . w + b is exactly 0 (>= instead of >)",
              hint="Predict 1 only when X[i] . w + b > 0; at the start w = 0 and b = 0, so every first "
                   "prediction is 0.")
def perceptron_train_fires_at_zero(X, y, lr=1.0, max_epochs=100):
    return _train_variant(X, y, lr, max_epochs, fire_at_zero=True)


@SPEC.mistake("perceptron_train", "never updates the bias",
              hint="The bias learns too: b += lr * (y[i] - p) at every update. Without it the boundary must "
                   "pass through the origin, and AND cannot be learned.")
def perceptron_train_without_bias_update(X, y, lr=1.0, max_epochs=100):
    return _train_variant(X, y, lr, max_epochs, update_bias=False)


@SPEC.mistake("perceptron_train", "keeps training after an error-free epoch",
              hint="Stop after the first epoch with no errors: errors ends with that 0, it is not padded to "
                   "max_epochs.")
def perceptron_train_without_early_stop(X, y, lr=1.0, max_epochs=100):
    return _train_variant(X, y, lr, max_epochs, stop_early=False)


@SPEC.mistake("perceptron_train", "adds up the updates and applies them at the end of the epoch",
              hint="The perceptron rule is online: update w and b right after each wrong prediction, so the "
                   "next example already sees the new weights.")
def perceptron_train_batch_updates(X, y, lr=1.0, max_epochs=100):
    return _train_variant(X, y, lr, max_epochs, online=False)


@SPEC.mistake("perceptron_train", "updates with the wrong sign (p - y instead of y - p)",
              hint="A missed 1 (y = 1, p = 0) must move w towards x: w += lr * (y - p) * x.")
def perceptron_train_wrong_sign(X, y, lr=1.0, max_epochs=100):
    return _train_variant(X, y, lr, max_epochs, sign=-1)


@SPEC.mistake("perceptron_train", "does not check that the labels are 0 or 1",
              hint="Raise ValueError unless every label is 0 or 1: with labels -1/1, y - p is -2 or -1 and "
                   "the rule silently learns something else.")
def perceptron_train_without_label_check(X, y, lr=1.0, max_epochs=100):
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if X.ndim != 2 or X.size == 0 or y.shape != (X.shape[0],) or not lr > 0 or max_epochs < 1:
        raise ValueError("bad X, y, lr or max_epochs")
    w, b, errors = np.zeros(X.shape[1]), 0.0, []
    for _ in range(max_epochs):
        wrong = 0
        for x_i, y_i in zip(X, y):
            predicted = 1 if float(x_i @ w) + b > 0 else 0
            if predicted != y_i:
                w, b, wrong = w + lr * (y_i - predicted) * x_i, b + lr * (y_i - predicted), wrong + 1
        errors.append(wrong)
        if wrong == 0:
            break
    return w, float(b), errors
