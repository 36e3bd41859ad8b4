"""The gradient_descent reference against torch (DataLoader, autograd, optim.SGD) and numpy's
least squares (lstsq, polyfit), and its forbidden calls."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps
from torch.utils.data import DataLoader

from helpers import SOLUTIONS, grade, submit
from grader.judging.checks import Reference

ref = Reference("gradient_descent")


@given(st.integers(0, 200), st.integers(1, 50), st.booleans())
def test_iterations_per_epoch_is_the_length_of_a_dataloader(n, batch_size, drop_last):
    assert ref.iterations_per_epoch(n, batch_size, drop_last=drop_last) == len(
        DataLoader(range(n), batch_size=batch_size, drop_last=drop_last))


@given(st.integers(0, 60), st.integers(1, 20), st.booleans())
def test_unshuffled_batches_are_the_dataloaders(n, batch_size, drop_last):
    loader = DataLoader(range(n), batch_size=batch_size, drop_last=drop_last, shuffle=False)
    ours = ref.minibatch_indices(n, batch_size, shuffle=False, drop_last=drop_last)
    assert [b.tolist() for b in ours] == [b.tolist() for b in loader]


@given(st.integers(0, 60), st.integers(1, 20), st.integers(0, 2**32 - 1))
def test_shuffled_batches_cut_the_seeded_permutation(n, batch_size, seed):
    order = np.random.default_rng(seed).permutation(n)
    ours = ref.minibatch_indices(n, batch_size, seed=seed)
    assert np.array_equal(np.concatenate(ours) if ours else np.zeros(0, int), order)
    assert [len(b) for b in ours] == [min(batch_size, n - s) for s in range(0, n, batch_size)]


def test_huge_n_stays_exact():
    assert ref.iterations_per_epoch(2**53 + 1, 2) == 2**52 + 1
    assert ref.iterations_per_epoch(10**18 + 1, 3) == (10**18 + 1 + 2) // 3


@st.composite
def regression(draw):
    m, d = draw(st.integers(1, 10)), draw(st.integers(1, 4))
    X = draw(nps.arrays(np.float64, (m, d), elements=st.floats(-3, 3)))
    y = draw(nps.arrays(np.float64, m, elements=st.floats(-10, 10)))
    lr = draw(st.floats(0.05, 0.9)) / (2.0 * max(float(np.max(np.sum(X * X, axis=1))), 1e-3))
    return X, y, lr, draw(st.integers(0, 5)), draw(st.one_of(st.none(), st.integers(1, m + 2))), draw(
        st.integers(0, 2**32 - 1))


@given(regression())
def test_gd_linear_regression_matches_torch_sgd_on_the_same_batches(case):
    X, y, lr, epochs, batch_size, seed = case
    w = torch.zeros(X.shape[1], dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr)
    rng = np.random.default_rng(seed)
    size = len(X) if batch_size is None else batch_size
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), size):
            batch = torch.from_numpy(order[start:start + size])
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(Xt[batch] @ w, yt[batch]).backward()
            optimizer.step()
    expected = w.detach().numpy()
    np.testing.assert_allclose(ref.gd_linear_regression(X, y, lr, epochs, batch_size=batch_size, seed=seed),
                               expected, rtol=1e-10, atol=1e-12 * (1 + np.abs(expected).max()))


def test_gd_linear_regression_converges_to_lstsq_when_scaled():
    rng = np.random.default_rng(0)
    X = np.hstack([np.ones((50, 1)), rng.standard_normal((50, 2))])
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.standard_normal(50)
    lam_max = np.linalg.eigvalsh(2 * X.T @ X / len(X))[-1]
    w = ref.gd_linear_regression(X, y, lr=0.9 / lam_max, epochs=500)
    np.testing.assert_allclose(w, np.linalg.lstsq(X, y, rcond=None)[0], rtol=1e-6)
    # Mini-batch GD with a small step ends near it too (noisy: T3).
    w_sgd = ref.gd_linear_regression(X, y, lr=0.01, epochs=300, batch_size=5, seed=1)
    np.testing.assert_allclose(w_sgd, np.linalg.lstsq(X, y, rcond=None)[0], atol=2e-2)


@given(nps.arrays(np.float64, st.integers(1, 30), elements=st.floats(-3, 3)),
       nps.arrays(np.float64, 4, elements=st.floats(-2, 2)), st.integers(0, 2**32 - 1))
def test_cubic_grad_matches_autograd(x, coef, seed):
    y = np.random.default_rng(seed).uniform(-5, 5, size=x.shape)
    c = torch.tensor(coef, requires_grad=True)
    xt = torch.from_numpy(x)
    loss = ((c[0] + c[1] * xt + c[2] * xt**2 + c[3] * xt**3 - torch.from_numpy(y)) ** 2).sum()
    loss.backward()
    np.testing.assert_allclose(ref.cubic_grad(x, y, coef), c.grad.numpy(), rtol=1e-10,
                               atol=1e-10 * (1 + loss.item()) * 27)


def test_fit_cubic_reproduces_the_pytorch_tutorial():
    x = np.linspace(-math.pi, math.pi, 2000)
    y = np.sin(x)
    # The tutorial's own loop (tensors and autograd), started at zero instead of randn.
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    coef = torch.zeros(4, dtype=torch.float64, requires_grad=True)
    for _ in range(2000):
        loss = ((coef[0] + coef[1] * xt + coef[2] * xt**2 + coef[3] * xt**3 - yt) ** 2).sum()
        loss.backward()
        with torch.no_grad():
            coef -= 1e-6 * coef.grad
            coef.grad = None
    ours = ref.fit_cubic(x, y)
    np.testing.assert_allclose(ours, coef.detach().numpy(), rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(ours[[1, 3]], [0.843, -0.0914], atol=5e-4)
    # Far from least squares after 2000 steps: the odd coefficients are still moving towards polyfit's.
    best = np.polyfit(x, y, 3)[::-1]
    np.testing.assert_allclose(best[[1, 3]], [0.8567, -0.0933], atol=5e-4)
    assert ref.divergence_threshold(x) == pytest.approx(3.5579e-6, rel=1e-4)


@given(nps.arrays(np.float64, st.integers(2, 25), elements=st.floats(-3.5, 3.5), unique=True))
def test_divergence_threshold_is_where_gradient_descent_starts_to_blow_up(x):
    threshold = ref.divergence_threshold(x)
    a = np.vander(x, 4, increasing=True)
    eigenvalues = np.linalg.eigvalsh(2 * a.T @ a)
    assert threshold == pytest.approx(2 / eigenvalues[-1], rel=1e-12)
    # The spectral radius of the GD map I - lr H crosses 1 exactly there (directions with H's eigenvalue 0,
    # when x has fewer than 4 distinct points, keep factor 1: they neither shrink nor grow).
    assert np.max(np.abs(1 - 0.99 * threshold * eigenvalues)) <= 1 + 1e-12
    assert np.max(np.abs(1 - 1.01 * threshold * eigenvalues)) > 1


def test_fit_cubic_diverges_just_above_the_threshold():
    x = np.linspace(-math.pi, math.pi, 2000)
    threshold = ref.divergence_threshold(x)
    below = ref.fit_cubic(x, np.sin(x), lr=0.99 * threshold, steps=3000)
    with np.errstate(over="ignore", invalid="ignore"):
        above = ref.fit_cubic(x, np.sin(x), lr=1.01 * threshold, steps=3000)
    assert np.all(np.abs(below) < 10) and not np.all(np.abs(above) < 1e6)


def test_polyfit_and_dataloaders_are_forbidden(tmp_path):
    source = (SOLUTIONS / "gradient_descent.py").read_text() + (
        "\n\ndef fit_cubic(x, y, lr=1e-6, steps=2000):\n"
        "    return np.polyfit(x, y, 3)[::-1]\n"
        "\n\ndef iterations_per_epoch(n, batch_size, drop_last=False):\n"
        "    from torch.utils.data import DataLoader\n"
        "    return len(DataLoader(range(n), batch_size=batch_size, drop_last=drop_last))\n")
    result = grade("gradient_descent", submit(tmp_path, "gradient_descent", source))
    banned = {"fit_cubic", "iterations_per_epoch"}
    assert {c.status for c in result.checks if c.function in banned} == {"forbidden"}
    assert all(c.status == "passed" for c in result.checks if c.function not in banned)


def test_the_stub_examples():
    assert (ref.iterations_per_epoch(10, 3), ref.iterations_per_epoch(10, 3, drop_last=True)) == (4, 3)
    assert [b.tolist() for b in ref.minibatch_indices(5, 2, shuffle=False)] == [[0, 1], [2, 3], [4]]
    np.testing.assert_array_equal(ref.gd_linear_regression([[1.0], [1.0]], [2.0, 4.0], lr=0.25, epochs=2), [2.25])
    np.testing.assert_array_equal(ref.cubic_grad([0.0, 1.0], [1.0, 1.0], [0.0] * 4), [-4.0, -2.0, -2.0, -2.0])
    np.testing.assert_allclose(ref.fit_cubic([0.0, 1.0], [1.0, 1.0], lr=0.1, steps=1), [0.4, 0.2, 0.2, 0.2])
    assert repr(ref.divergence_threshold(np.linspace(-np.pi, np.pi, 2000))).startswith("3.557946898346")
