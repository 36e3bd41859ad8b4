"""mf_sgd: the reference against independent oracles, forbidden routines, and what the checks catch."""

import importlib.util

import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error

from grader.specs import mf_sgd as spec
from helpers import SOLUTIONS, failing, grade, submit

ref_spec = importlib.util.spec_from_file_location("mf_sgd_reference_for_tests", SOLUTIONS / "mf_sgd.py")
ref = importlib.util.module_from_spec(ref_spec)
ref_spec.loader.exec_module(ref)

REFERENCE_SOURCE = (SOLUTIONS / "mf_sgd.py").read_text(encoding="utf-8")


def scale(*arrays):
    return max(1.0, *(float(np.max(np.abs(a))) for a in arrays if np.size(a)))


# ---------------------------------------------------------------- oracles

def torch_epoch(ratings, P, Q, lr, reg, order):
    """One epoch, each step p - lr * autograd of (e^2 + reg (|p|^2 + |q|^2)) / 2 at that cell."""
    P, Q = torch.tensor(P, dtype=torch.float64), torch.tensor(Q, dtype=torch.float64)
    for u, i in order.tolist():
        p = P[u].clone().requires_grad_(True)
        q = Q[i].clone().requires_grad_(True)
        e = float(ratings[u, i]) - p @ q
        loss = 0.5 * (e**2 + reg * (p @ p + q @ q))
        grad_p, grad_q = torch.autograd.grad(loss, (p, q))
        with torch.no_grad():
            P[u] = p - lr * grad_p
            Q[i] = q - lr * grad_q
    return P.numpy(), Q.numpy()


@given(spec.sgd_problem(max_cells=20))
def test_sgd_epoch_matches_torch_autograd_step_by_step(problem):
    want_P, want_Q = torch_epoch(**problem)
    got_P, got_Q = ref.mf_sgd_epoch(**problem)
    tolerance = 1e-12 * scale(problem["ratings"][~np.isnan(problem["ratings"])], want_P, want_Q)
    np.testing.assert_allclose(got_P, want_P, rtol=1e-10, atol=tolerance)
    np.testing.assert_allclose(got_Q, want_Q, rtol=1e-10, atol=tolerance)


@given(spec.sgd_problem(min_cells=30, max_cells=100, min_k=4, max_k=12, factor=spec.UNIT))
def test_long_sgd_epochs_match_torch_autograd(problem):
    want_P, want_Q = torch_epoch(**problem)
    got_P, got_Q = ref.mf_sgd_epoch(**problem)
    tolerance = 1e-11 * scale(want_P, want_Q, 5.0)
    np.testing.assert_allclose(got_P, want_P, rtol=1e-9, atol=tolerance)
    np.testing.assert_allclose(got_Q, want_Q, rtol=1e-9, atol=tolerance)


def sklearn_ridge_rows(ratings, fixed, reg):
    """Each row: sklearn Ridge(alpha=reg, fit_intercept=False) on that row's observed cells; zeros if none."""
    rows = np.zeros((ratings.shape[0], fixed.shape[1]))
    for n, row in enumerate(ratings):
        seen = ~np.isnan(row)
        if seen.any():
            rows[n] = Ridge(alpha=reg, fit_intercept=False).fit(fixed[seen], row[seen]).coef_
    return rows


def solve_ridge_rows(ratings, fixed, reg):
    """Each row: np.linalg.solve(F_O^T F_O + reg I, F_O^T r_O), one row at a time."""
    k = fixed.shape[1]
    rows = np.zeros((ratings.shape[0], k))
    for n, row in enumerate(ratings):
        seen = ~np.isnan(row)
        F = fixed[seen]
        rows[n] = np.linalg.solve(F.T @ F + reg * np.eye(k), F.T @ row[seen])
    return rows


@given(spec.als_problem())
def test_als_step_matches_sklearn_ridge_row_by_row(problem):
    ratings, reg = problem["ratings"], problem["reg"]
    new_P, new_Q = ref.als_step(**problem)
    want_P = sklearn_ridge_rows(ratings, problem["Q"], reg)
    np.testing.assert_allclose(new_P, want_P, rtol=1e-8, atol=1e-10 * scale(want_P))
    want_Q = sklearn_ridge_rows(ratings.T, new_P, reg)  # items against the NEW P
    np.testing.assert_allclose(new_Q, want_Q, rtol=1e-8, atol=1e-10 * scale(want_Q))


@given(spec.als_problem())
def test_als_step_matches_np_linalg_solve_row_by_row(problem):
    ratings, reg = problem["ratings"], problem["reg"]
    want_P = solve_ridge_rows(ratings, problem["Q"], reg)
    want_Q = solve_ridge_rows(ratings.T, want_P, reg)
    new_P, new_Q = ref.als_step(**problem)
    np.testing.assert_allclose(new_P, want_P, rtol=1e-9, atol=1e-11 * scale(want_P))
    np.testing.assert_allclose(new_Q, want_Q, rtol=1e-8, atol=1e-10 * scale(want_Q))


@given(spec.als_problem(), st.integers(2, 6))
def test_repeated_als_steps_never_increase_the_objective(problem, steps):
    ratings, P, Q, reg = problem["ratings"], problem["P"], problem["Q"], problem["reg"]
    values = [spec.objective(ratings, P, Q, reg)]
    for _ in range(steps):
        P, Q = ref.als_step(ratings, P, Q, reg)
        values.append(spec.objective(ratings, P, Q, reg))
    assert all(b <= a * (1 + 1e-12) + 1e-12 for a, b in zip(values, values[1:])), values


@given(spec.factorization())
def test_masked_rmse_matches_sklearn_on_the_observed_cells(problem):
    ratings, P, Q = problem["ratings"], problem["P"], problem["Q"]
    seen = ~np.isnan(ratings)
    want = np.sqrt(mean_squared_error(ratings[seen], (P @ Q.T)[seen]))
    assert ref.masked_rmse(**problem) == pytest.approx(want, rel=1e-10, abs=1e-12 * scale(ratings[seen], P @ Q.T))


# ---------------------------------------------------------------- the reference's own contract

def test_an_empty_order_returns_new_arrays_equal_to_p_and_q():
    P, Q = np.ones((2, 2)), np.full((3, 2), 0.5)
    new_P, new_Q = ref.mf_sgd_epoch(np.ones((2, 3)), P, Q, 0.1, 0.1, np.zeros((0, 2), dtype=np.int64))
    assert new_P is not P and new_Q is not Q
    np.testing.assert_array_equal(new_P, P)
    np.testing.assert_array_equal(new_Q, Q)


@pytest.mark.parametrize("bad", spec.BAD_SGD_INPUTS, ids=lambda b: b["why"])
def test_reference_names_the_bad_argument(bad):
    arguments = {k: v for k, v in bad.items() if k != "why"}
    named = "lr" if bad["why"].startswith("lr") else "reg" if bad["why"].startswith("reg") else None
    with pytest.raises(ValueError) as raised:
        ref.mf_sgd_epoch(**arguments)
    if named:
        assert named in str(raised.value)
    else:  # a shape mismatch names P or Q
        assert "P" in str(raised.value) or "Q" in str(raised.value)


# ---------------------------------------------------------------- forbidden routines

def test_sklearn_ridge_in_als_step_is_forbidden(tmp_path):
    source = REFERENCE_SOURCE + '''

def als_step(ratings, P, Q, reg):
    from sklearn.linear_model import Ridge  # inside the function: only als_step is affected

    ratings, P, Q = _checked_factors(ratings, P, Q)
    def rows(R, F):
        out = np.zeros((R.shape[0], F.shape[1]))
        for n, row in enumerate(R):
            seen = ~np.isnan(row)
            if seen.any():
                out[n] = Ridge(alpha=reg, fit_intercept=False).fit(F[seen], row[seen]).coef_
        return out
    new_P = rows(ratings, Q)
    return new_P, rows(ratings.T, new_P)
'''
    result = grade("mf_sgd", submit(tmp_path, "mf_sgd", source))
    statuses = {c.id: c.status for c in result.checks}
    assert {s for i, s in statuses.items() if ".als_step" in i} == {"forbidden"}
    assert {c.status for c in result.checks if c.function != "als_step"} == {"passed"}


def test_autograd_backward_in_mf_sgd_epoch_is_forbidden(tmp_path):
    source = REFERENCE_SOURCE + '''

import torch


def mf_sgd_epoch(ratings, P, Q, lr, reg, order):
    P, Q = torch.tensor(P, dtype=torch.float64), torch.tensor(Q, dtype=torch.float64)
    for u, i in order:
        p = P[u].clone().requires_grad_(True)
        q = Q[i].clone().requires_grad_(True)
        loss = 0.5 * ((ratings[u][i] - p @ q) ** 2 + reg * (p @ p + q @ q))
        loss.backward()
        with torch.no_grad():
            P[u], Q[i] = p - lr * p.grad, q - lr * q.grad
    return P.numpy(), Q.numpy()
'''
    result = grade("mf_sgd", submit(tmp_path, "mf_sgd", source))
    assert {c.status for c in result.checks if c.function == "mf_sgd_epoch"} == {"forbidden"}


# ---------------------------------------------------------------- what the checks catch

def test_updating_p_and_q_in_place_fails_only_the_no_mutation_check(tmp_path):
    source = REFERENCE_SOURCE + '''

def mf_sgd_epoch(ratings, P, Q, lr, reg, order):
    ratings, P, Q, lr, reg, order = _checked_sgd_inputs(ratings, P, Q, lr, reg, order)
    for u, i in order:  # no copy: the caller's arrays change
        p, q = P[u].copy(), Q[i].copy()
        e = ratings[u, i] - p @ q
        P[u] = p + lr * (e * q - reg * p)
        Q[i] = q + lr * (e * p - reg * q)
    return P, Q
'''
    result = grade("mf_sgd", submit(tmp_path, "mf_sgd", source))
    assert [c.id for c in failing(result)] == ["mf_sgd.mf_sgd_epoch_leaves_inputs_unchanged"]
    assert "in place" in failing(result)[0].message


def test_a_batch_update_from_the_same_p_and_q_is_not_an_sgd_epoch(tmp_path):
    # Every cell's gradient taken at the starting P, Q and summed: right for one cell, wrong for a sequence.
    source = REFERENCE_SOURCE + '''

def mf_sgd_epoch(ratings, P, Q, lr, reg, order):
    ratings, P, Q, lr, reg, order = _checked_sgd_inputs(ratings, P, Q, lr, reg, order)
    new_P, new_Q = P.copy(), Q.copy()
    for u, i in order:
        e = ratings[u, i] - P[u] @ Q[i]
        new_P[u] += lr * (e * Q[i] - reg * P[u])
        new_Q[i] += lr * (e * P[u] - reg * Q[i])
    return new_P, new_Q
'''
    result = grade("mf_sgd", submit(tmp_path, "mf_sgd", source))
    failed = {c.id for c in failing(result)}
    assert "mf_sgd.mf_sgd_epoch_takes_one_gradient_step_per_rating" not in failed
    assert {"mf_sgd.mf_sgd_epoch_matches_reference", "mf_sgd.mf_sgd_epoch_handles_long_orders"} <= failed


def test_float32_ridge_solves_fail_the_nearly_singular_check(tmp_path):
    source = REFERENCE_SOURCE + '''

def als_step(ratings, P, Q, reg):
    ratings, P, Q = _checked_factors(ratings, P, Q)
    def rows(R, F):
        F = F.astype(np.float32)
        out = np.zeros((R.shape[0], F.shape[1]))
        for n, row in enumerate(R):
            seen = ~np.isnan(row)
            if seen.any():
                A = F[seen].T @ F[seen] + np.float32(reg) * np.eye(F.shape[1], dtype=np.float32)
                out[n] = np.linalg.solve(A, F[seen].T @ row[seen].astype(np.float32))
        return out
    new_P = rows(ratings, Q)
    return new_P, rows(ratings.T, new_P)
'''
    result = grade("mf_sgd", submit(tmp_path, "mf_sgd", source))
    assert "mf_sgd.als_step_solves_nearly_singular_systems" in {c.id for c in failing(result)}


def test_the_ridge_residual_check_accepts_an_explicit_inverse_and_rejects_a_wrong_reg():
    rng = np.random.default_rng(0)
    ratings = np.where(rng.random((4, 5)) < 0.7, rng.uniform(-5, 5, (4, 5)), np.nan)
    ratings[0, 0] = 1.0
    Q = np.outer(rng.uniform(-1, 1, 5), rng.uniform(-1, 1, 3)) + 1e-6 * rng.uniform(-1, 1, (5, 3))
    reg = 1e-4

    def inverse_rows(R, F, reg):
        k = F.shape[1]
        out = np.zeros((R.shape[0], k))
        for n, row in enumerate(R):
            seen = ~np.isnan(row)
            if seen.any():
                out[n] = np.linalg.inv(F[seen].T @ F[seen] + reg * np.eye(k)) @ (F[seen].T @ row[seen])
        return out

    spec.expect_ridge_rows(ratings, Q, inverse_rows(ratings, Q, reg), reg, name="P", fixed_name="Q")
    with pytest.raises(spec.Failure, match="does not solve its ridge system"):
        spec.expect_ridge_rows(ratings, Q, inverse_rows(ratings, Q, 0.1 * reg), reg, name="P", fixed_name="Q")
