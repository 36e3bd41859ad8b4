"""The perceptron reference against an exact oracle (rational arithmetic), the perceptron
theorem, and its forbidden calls. CATALOG names no library oracle for A1: scikit-learn's
Perceptron updates on y * (w . x + b) <= 0 with labels -1/1, so it differs at every tie
(and from w = 0 every first example is a tie)."""

from fractions import Fraction

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from helpers import SOLUTIONS, grade, submit
from grader.judging.checks import Reference

ref = Reference("perceptron")
FLOATS = st.floats(-100, 100, allow_nan=False, allow_infinity=False)


def exact_perceptron(X, y, lr, max_epochs):
    """The rule of the stub, in exact rational arithmetic: no rounding can flip a decision."""
    X = [[Fraction(float(v)) for v in row] for row in X]
    lr = Fraction(lr)
    w, b, errors = [Fraction(0)] * len(X[0]), Fraction(0), []
    for _ in range(max_epochs):
        wrong = 0
        for row, label in zip(X, y):
            p = 1 if sum(a * c for a, c in zip(row, w)) + b > 0 else 0
            if p != label:
                w = [c + lr * (int(label) - p) * a for a, c in zip(row, w)]
                b += lr * (int(label) - p)
                wrong += 1
        errors.append(wrong)
        if wrong == 0:
            break
    return [float(c) for c in w], float(b), errors


@st.composite
def grid_training_set(draw):
    m, n = draw(st.integers(1, 10)), draw(st.integers(1, 5))
    X = draw(nps.arrays(np.float64, (m, n), elements=st.integers(-40, 40).map(lambda k: k / 8)))
    y = draw(nps.arrays(np.int64, m, elements=st.integers(0, 1)))
    return X, y, draw(st.sampled_from([0.125, 0.5, 1.0, 3.0])), draw(st.integers(1, 30))


@given(grid_training_set())
def test_perceptron_train_matches_exact_arithmetic(case):
    X, y, lr, max_epochs = case
    w, b, errors = ref.perceptron_train(X, y, lr=lr, max_epochs=max_epochs)
    w_exact, b_exact, errors_exact = exact_perceptron(X, y, lr, max_epochs)
    assert errors == errors_exact
    np.testing.assert_array_equal(w, w_exact)
    assert b == b_exact
    assert all(type(e) is int for e in errors) and isinstance(b, float) and w.dtype == np.float64


@given(st.integers(1, 4).flatmap(lambda n: st.tuples(
    nps.arrays(np.float64, n, elements=FLOATS), nps.arrays(np.float64, n, elements=FLOATS), FLOATS, FLOATS)))
def test_neuron_fire_matches_exact_arithmetic(case):
    inputs, weights, bias, threshold = case
    total = sum(Fraction(float(a)) * Fraction(float(c)) for a, c in zip(inputs, weights)) + Fraction(bias)
    exact = int(total > Fraction(threshold))
    # Rounding may only matter within a few ulps of the threshold.
    if abs(float(total) - threshold) > 1e-9 * (1 + np.abs(inputs * weights).sum() + abs(bias) + abs(threshold)):
        assert ref.neuron_fire(inputs, weights, bias, threshold) == exact


@st.composite
def separable(draw):
    n = draw(st.integers(1, 4))
    normal = draw(nps.arrays(np.float64, n, elements=st.floats(-1, 1)).filter(lambda v: np.linalg.norm(v) > 0.1))
    offset = draw(st.floats(-1, 1))
    X = draw(nps.arrays(np.float64, (draw(st.integers(1, 12)), n), elements=st.floats(-3, 3)))
    side = X @ normal + offset
    keep = np.abs(side) > 0.2 * np.linalg.norm(np.append(normal, offset))
    return X[keep], (side[keep] > 0).astype(int), normal, offset


@given(separable())
def test_the_perceptron_theorem_bounds_the_number_of_updates(case):
    X, y, normal, offset = case
    if len(X) == 0:
        return
    unit = np.append(normal, offset) / np.linalg.norm(np.append(normal, offset))
    augmented = np.hstack([X, np.ones((len(X), 1))])
    margin = np.min(np.abs(augmented @ unit))
    radius = np.max(np.linalg.norm(augmented, axis=1))
    bound = (radius / margin) ** 2
    w, b, errors = ref.perceptron_train(X, y, max_epochs=int(bound) + 2)
    assert errors[-1] == 0 and sum(errors) <= bound + 1e-9
    np.testing.assert_array_equal((X @ w + b > 0).astype(int), y)


def test_the_stub_examples():
    w, b, errors = ref.perceptron_train([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 0, 0, 1])
    assert (w.tolist(), b, errors) == ([2.0, 1.0], -2.0, [1, 3, 3, 2, 1, 0])
    assert ref.neuron_fire([1.0, 1.0], [1.0, 1.0], -1.5) == 1
    assert ref.neuron_fire([1.0], [1.0], 0.0, threshold=1.0) == 0


def test_scikit_learn_is_forbidden(tmp_path):
    source = (SOLUTIONS / "perceptron.py").read_text() + (
        "\n\ndef perceptron_train(X, y, lr=1.0, max_epochs=100):\n"
        "    from sklearn.linear_model import Perceptron\n"
        "    model = Perceptron(eta0=lr, max_iter=max_epochs).fit(X, y)\n"
        "    return model.coef_[0], float(model.intercept_[0]), [0]\n")
    result = grade("perceptron", submit(tmp_path, "perceptron", source))
    train_checks = [c for c in result.checks if c.function == "perceptron_train"]
    assert {c.status for c in train_checks} == {"forbidden"}
    assert all(c.status == "passed" for c in result.checks if c.function != "perceptron_train")
