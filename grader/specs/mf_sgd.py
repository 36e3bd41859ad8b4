"""Checks for mf_sgd_epoch, als_step and masked_rmse (DESIGN.md, topic mf_sgd)."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging import render
from grader.judging.checks import Failure, Spec
from grader.judging.expect import (array_contract, as_array, as_float, expect_close, expect_unchanged,
                                   expect_value_error, float_contract, tuple_contract)

SPEC = Spec(
    "mf_sgd",
    functions=("mf_sgd_epoch", "als_step", "masked_rmse"),
    forbidden=(
        # libraries that fit the factorization, solve the ridge rows or compute the error for you
        "surprise", "implicit", "lightfm", "pyspark.ml", "torchmetrics",
        "sklearn.decomposition", "sklearn.linear_model", "sklearn.metrics",
        # automatic differentiation and ready-made optimizers do the SGD step for you
        "torch.autograd", "torch.func", "torch.optim", "jax",
    ),
    forbidden_methods=("backward",),
)
ref = SPEC.reference

EPS = float(np.finfo(np.float64).eps)
RATING = st.floats(-5.0, 5.0, allow_nan=False, allow_infinity=False, allow_subnormal=False)
FACTOR = st.floats(-1.5, 1.5, allow_nan=False, allow_infinity=False, allow_subnormal=False)
UNIT = st.floats(-1.0, 1.0, allow_nan=False, allow_infinity=False, allow_subnormal=False)
# lr * (|p|^2 + |q|^2) stays below ~1.2 for these magnitudes: SGD cannot blow up.
LR = st.floats(1e-3, 0.05, allow_nan=False, allow_infinity=False)
REG = st.floats(0.0, 1.0, allow_nan=False, allow_infinity=False, allow_subnormal=False)
ALS_REG = st.floats(0.1, 3.0, allow_nan=False, allow_infinity=False)  # > 0: every ridge system is solvable
NO_CELLS = np.zeros((0, 2), dtype=np.int64)


@st.composite
def factorization(draw, max_side=5, min_k=1, max_k=4, factor=FACTOR):
    """ratings (n_users, n_items) with NaN for missing, at least one observed cell; P and Q."""
    n_users, n_items = draw(st.integers(1, max_side)), draw(st.integers(1, max_side))
    k = draw(st.integers(min_k, max_k))
    values = draw(nps.arrays(np.float64, (n_users, n_items), elements=RATING))
    observed = draw(nps.arrays(np.bool_, (n_users, n_items)))
    observed[draw(st.integers(0, n_users - 1)), draw(st.integers(0, n_items - 1))] = True
    return {
        "ratings": np.where(observed, values, np.nan),
        "P": draw(nps.arrays(np.float64, (n_users, k), elements=factor)),
        "Q": draw(nps.arrays(np.float64, (n_items, k), elements=factor)),
    }


def observed_cells(ratings) -> np.ndarray:
    return np.argwhere(~np.isnan(ratings)).astype(np.int64)  # (n_obs, 2), row-major


@st.composite
def sgd_problem(draw, min_cells=0, max_cells=12, min_k=1, max_k=4, factor=FACTOR):
    """Keyword arguments of mf_sgd_epoch; order lists observed cells only, repeats allowed."""
    problem = draw(factorization(min_k=min_k, max_k=max_k, factor=factor))
    cells = observed_cells(problem["ratings"])
    picks = draw(st.lists(st.integers(0, len(cells) - 1), min_size=min_cells, max_size=max_cells))
    return {**problem, "lr": draw(LR), "reg": draw(REG), "order": cells[picks].reshape(-1, 2)}


@st.composite
def als_problem(draw):
    return {**draw(factorization()), "reg": draw(ALS_REG)}


@st.composite
def nearly_singular_als_problem(draw):
    """Q is rank 1 plus a tiny perturbation and reg is small: only reg keeps the systems solvable."""
    n_users, n_items, k = draw(st.integers(1, 6)), draw(st.integers(1, 6)), draw(st.integers(2, 6))
    values = draw(nps.arrays(np.float64, (n_users, n_items), elements=RATING))
    observed = draw(nps.arrays(np.bool_, (n_users, n_items)))
    observed[draw(st.integers(0, n_users - 1)), draw(st.integers(0, n_items - 1))] = True
    lengths = draw(nps.arrays(np.float64, (n_items, 1), elements=FACTOR))
    direction = draw(nps.arrays(np.float64, (1, k), elements=UNIT))
    noise = draw(nps.arrays(np.float64, (n_items, k), elements=UNIT))
    tiny = 10.0 ** -draw(st.integers(3, 8))
    return {
        "ratings": np.where(observed, values, np.nan),
        "P": draw(nps.arrays(np.float64, (n_users, k), elements=UNIT)),
        "Q": lengths * direction + tiny * noise,
        "reg": 10.0 ** draw(st.floats(-4.0, -2.0)),
    }


@st.composite
def exact_factorization(draw):
    """ratings = P @ Q.T exactly, with some cells missing."""
    problem = draw(factorization())
    full = problem["P"] @ problem["Q"].T
    return {**problem, "ratings": np.where(np.isnan(problem["ratings"]), np.nan, full)}


def scale(*arrays) -> float:
    """The largest finite magnitude among the arrays (at least 1): tolerances grow with the data."""
    biggest = 1.0
    for a in arrays:
        a = np.abs(np.asarray(a, dtype=np.float64))
        biggest = max(biggest, float(np.max(a[np.isfinite(a)], initial=1.0)))
    return biggest


def factors(value, P, Q, *, function):
    """The learner's (P, Q) as float arrays shaped like the inputs (types are judged in the contract tier)."""
    new_P, new_Q = tuple_contract(value, 2, what=f"the result of {function}")
    return (as_array(new_P, shape=np.shape(P), what="the new P"),
            as_array(new_Q, shape=np.shape(Q), what="the new Q"))


def objective(ratings, P, Q, reg) -> float:
    """sum over observed cells of (r - p.q)^2 + reg (|P|^2 + |Q|^2): what ALS minimises."""
    seen = ~np.isnan(ratings)
    errors = ratings[seen] - (P @ Q.T)[seen]
    return float(errors @ errors + reg * (np.sum(P * P) + np.sum(Q * Q)))


def expect_ridge_rows(ratings, fixed, solution, reg, *, name, fixed_name):
    """Each row x of `solution` solves (F_O^T F_O + reg I) x = F_O^T r_O, F_O the rows of `fixed` it rated.

    Judged by the residual relative to |A| |x| + |b| + |F_O| |r_O|, allowing what a backward-stable
    solver of the normal equations, of the augmented least-squares problem [F_O; sqrt(reg) I] x = [r_O; 0]
    or an explicit inverse loses on a system of this condition number.
    """
    if not np.all(np.isfinite(solution)):
        raise Failure(f"the new {name} contains NaN or inf", got=solution)
    k = fixed.shape[1]
    for n, row in enumerate(ratings):
        seen = ~np.isnan(row)
        F = fixed[seen]
        A = F.T @ F + reg * np.eye(k)
        b = F.T @ row[seen]
        x = solution[n]
        residual = float(np.max(np.abs(A @ x - b)))
        data = np.sqrt(np.max(np.abs(A).sum(axis=1))) * np.max(np.abs(row[seen]), initial=0.0)
        size = float(np.max(np.abs(A).sum(axis=1)) * np.max(np.abs(x)) + np.max(np.abs(b), initial=0.0) + data)
        allowed = 1e-10 + 1e3 * EPS * float(np.linalg.cond(A))
        if residual > allowed * size:
            raise Failure(
                f"row {n} of the new {name} does not solve its ridge system "
                f"({fixed_name}_O^T {fixed_name}_O + reg I) x = {fixed_name}_O^T r_O over its observed cells: "
                f"relative residual {residual / size:.3g}, allowed {allowed:.2g}",
                expected=render.describe(f"the solution of the {k}x{k} system A x = b with A = {render.value(A)}, "
                                         f"b = {render.value(b)}"),
                got=x)


# ---------------------------------------------------------------- contract

@SPEC.check("mf_sgd_epoch", tier="contract", points=1,
            title="mf_sgd_epoch returns two float64 arrays, shaped like P and like Q",
            given=sgd_problem(),
            examples=[dict(ratings=[[1.0, float("nan")], [2.0, 3.0]], P=[[1.0], [0.5]], Q=[[0.5], [1.0]],
                           lr=0.1, reg=0.0, order=[[0, 0], [1, 1]])])
def mf_sgd_epoch_returns_two_float64_arrays(learner, ratings, P, Q, lr, reg, order):
    new_P, new_Q = tuple_contract(learner.mf_sgd_epoch(ratings=ratings, P=P, Q=Q, lr=lr, reg=reg, order=order), 2)
    array_contract(new_P, shape=np.shape(P), what="the new P")
    array_contract(new_Q, shape=np.shape(Q), what="the new Q")


@SPEC.check("mf_sgd_epoch", tier="contract", points=2,
            title="mf_sgd_epoch leaves ratings, P, Q and order unchanged (it returns new arrays)",
            given=sgd_problem(min_cells=1))
def mf_sgd_epoch_leaves_inputs_unchanged(learner, ratings, P, Q, lr, reg, order):
    sent = dict(ratings=ratings, P=P, Q=Q, lr=lr, reg=reg, order=order)
    _, after = learner.value_and_arguments_after("mf_sgd_epoch", **sent)
    expect_unchanged(sent, after, function="mf_sgd_epoch")


NAN = float("nan")
GOOD = dict(ratings=np.array([[1.0, 2.0, NAN], [0.0, NAN, 3.0]]), P=np.ones((2, 2)), Q=np.ones((3, 2)))
BAD_SHAPES = [
    dict(GOOD, P=np.ones((3, 2)), why="P with 3 rows for 2 users"),
    dict(GOOD, Q=np.ones((2, 2)), why="Q with 2 rows for 3 items"),
    dict(GOOD, Q=np.ones((3, 1)), why="P with 2 columns and Q with 1"),
]
BAD_SGD_INPUTS = [dict(e, lr=0.1, reg=0.1, order=np.array([[0, 0]])) for e in BAD_SHAPES] + [
    dict(GOOD, lr=0.0, reg=0.1, order=np.array([[0, 0]]), why="lr = 0"),
    dict(GOOD, lr=-0.1, reg=0.1, order=np.array([[0, 0]]), why="lr = -0.1"),
    dict(GOOD, lr=0.1, reg=-0.5, order=np.array([[0, 0]]), why="reg = -0.5"),
]


@SPEC.check("mf_sgd_epoch", tier="contract", points=2,
            title="mf_sgd_epoch raises ValueError for mismatched shapes, lr <= 0 or reg < 0",
            examples=BAD_SGD_INPUTS)
def mf_sgd_epoch_rejects_bad_input(learner, ratings, P, Q, lr, reg, order, why):
    outcome = learner.outcome("mf_sgd_epoch", ratings=ratings, P=P, Q=Q, lr=lr, reg=reg, order=order)
    expect_value_error(outcome, bad=why)


@SPEC.check("als_step", tier="contract", points=1,
            title="als_step returns two float64 arrays, shaped like P and like Q", given=als_problem(),
            examples=[dict(ratings=[[1.0, float("nan")], [2.0, 3.0]], P=[[1.0], [0.5]], Q=[[0.5], [1.0]], reg=0.5)])
def als_step_returns_two_float64_arrays(learner, ratings, P, Q, reg):
    new_P, new_Q = tuple_contract(learner.als_step(ratings=ratings, P=P, Q=Q, reg=reg), 2)
    array_contract(new_P, shape=np.shape(P), what="the new P")
    array_contract(new_Q, shape=np.shape(Q), what="the new Q")


@SPEC.check("als_step", tier="contract", points=1, title="als_step leaves ratings, P and Q unchanged",
            given=als_problem())
def als_step_leaves_inputs_unchanged(learner, ratings, P, Q, reg):
    sent = dict(ratings=ratings, P=P, Q=Q, reg=reg)
    _, after = learner.value_and_arguments_after("als_step", **sent)
    expect_unchanged(sent, after, function="als_step")


@SPEC.check("als_step", tier="contract", points=1, title="als_step raises ValueError for mismatched shapes or reg < 0",
            examples=[dict(e, reg=0.5) for e in BAD_SHAPES] + [dict(GOOD, reg=-0.5, why="reg = -0.5")])
def als_step_rejects_bad_input(learner, ratings, P, Q, reg, why):
    expect_value_error(learner.outcome("als_step", ratings=ratings, P=P, Q=Q, reg=reg), bad=why)


@SPEC.check("masked_rmse", tier="contract", points=1, title="masked_rmse returns a float",
            given=factorization(),
            examples=[dict(ratings=[[1.0, float("nan")], [3.0, 0.0]], P=[[1.0], [2.0]], Q=[[1.0], [0.0]])])
def masked_rmse_returns_float(learner, ratings, P, Q):
    float_contract(learner.masked_rmse(ratings=ratings, P=P, Q=Q))


@SPEC.check("masked_rmse", tier="contract", points=1, title="masked_rmse raises ValueError for mismatched shapes",
            examples=BAD_SHAPES)
def masked_rmse_rejects_bad_input(learner, ratings, P, Q, why):
    expect_value_error(learner.outcome("masked_rmse", ratings=ratings, P=P, Q=Q), bad=why)


# ---------------------------------------------------------------- properties

@st.composite
def one_cell_problem(draw):
    problem = draw(sgd_problem())
    cells = observed_cells(problem["ratings"])
    return {**problem, "order": cells[[draw(st.integers(0, len(cells) - 1))]]}


@SPEC.check("mf_sgd_epoch", tier="properties", points=2,
            title="one rating moves p_u and q_i by -lr times the gradient of (e^2 + reg (|p_u|^2 + |q_i|^2)) / 2",
            given=one_cell_problem(),
            examples=[dict(ratings=np.array([[3.0]]), P=np.array([[1.0, 0.5]]), Q=np.array([[1.0, -1.0]]),
                           lr=0.05, reg=0.5, order=np.array([[0, 0]]))])
def mf_sgd_epoch_takes_one_gradient_step_per_rating(learner, ratings, P, Q, lr, reg, order):
    new_P, new_Q = factors(learner.mf_sgd_epoch(ratings=ratings, P=P, Q=Q, lr=lr, reg=reg, order=order), P, Q,
                           function="mf_sgd_epoch")
    (u, i), = order
    p, q = P[u], Q[i]
    e = ratings[u, i] - p @ q
    # d/dp and d/dq of (e^2 + reg (|p|^2 + |q|^2)) / 2, both at the values before the step
    want_P, want_Q = P.copy(), Q.copy()
    want_P[u] = p - lr * (-e * q + reg * p)
    want_Q[i] = q - lr * (-e * p + reg * q)
    tolerance = 1e-10 * scale(ratings, P, Q)
    expect_close(new_P, want_P, rtol=1e-9, atol=tolerance, what="the new P")
    expect_close(new_Q, want_Q, rtol=1e-9, atol=tolerance, what="the new Q")


@SPEC.check("mf_sgd_epoch", tier="properties", points=2,
            title="users and items that do not appear in order keep their rows of P and Q",
            given=sgd_problem(max_cells=4),
            examples=[dict(ratings=np.array([[1.0, 2.0], [3.0, 4.0]]), P=np.ones((2, 1)), Q=np.ones((2, 1)),
                           lr=0.05, reg=0.1, order=np.array([[0, 0]]))])
def mf_sgd_epoch_changes_only_visited_rows(learner, ratings, P, Q, lr, reg, order):
    new_P, new_Q = factors(learner.mf_sgd_epoch(ratings=ratings, P=P, Q=Q, lr=lr, reg=reg, order=order), P, Q,
                           function="mf_sgd_epoch")
    tolerance = 1e-12 * scale(P, Q)
    users = sorted(set(range(len(P))) - set(order[:, 0].tolist()))
    items = sorted(set(range(len(Q))) - set(order[:, 1].tolist()))
    expect_close(new_P[users], P[users], rtol=1e-12, atol=tolerance,
                 what=f"P for the users not in order (rows {users})")
    expect_close(new_Q[items], Q[items], rtol=1e-12, atol=tolerance,
                 what=f"Q for the items not in order (rows {items})")


@SPEC.check("mf_sgd_epoch", tier="properties", points=1, title="an empty order returns P and Q as they were",
            given=sgd_problem(max_cells=0),
            examples=[dict(ratings=np.array([[1.0, NAN]]), P=np.ones((1, 2)), Q=np.ones((2, 2)), lr=0.1, reg=0.1,
                           order=NO_CELLS)])
def mf_sgd_epoch_with_empty_order_changes_nothing(learner, ratings, P, Q, lr, reg, order):
    new_P, new_Q = factors(learner.mf_sgd_epoch(ratings=ratings, P=P, Q=Q, lr=lr, reg=reg, order=order), P, Q,
                           function="mf_sgd_epoch")
    expect_close(new_P, P, rtol=1e-12, atol=1e-12 * scale(P), what="the new P")
    expect_close(new_Q, Q, rtol=1e-12, atol=1e-12 * scale(Q), what="the new Q")


@SPEC.check("als_step", tier="properties", points=2,
            title="the ALS objective sum (r - p.q)^2 + reg (|P|^2 + |Q|^2) never increases",
            given=als_problem())
def als_step_never_increases_the_objective(learner, ratings, P, Q, reg):
    new_P, new_Q = factors(learner.als_step(ratings=ratings, P=P, Q=Q, reg=reg), P, Q, function="als_step")
    before, after = objective(ratings, P, Q, reg), objective(ratings, new_P, new_Q, reg)
    if not after <= before * (1 + 1e-9) + 1e-12:
        raise Failure(f"the objective went up from {before!r} to {after!r}; each half of an ALS step solves "
                      f"for its rows exactly, so it can only go down",
                      expected=render.describe(f"an objective <= {before!r}"), got=render.describe(repr(after)))


@st.composite
def als_problem_with_unrated_user_and_item(draw):
    problem = draw(als_problem())
    k = problem["P"].shape[1]
    user = draw(st.integers(0, len(problem["P"])))  # where the new user and item go
    item = draw(st.integers(0, len(problem["Q"])))
    ratings = np.insert(np.insert(problem["ratings"], user, np.nan, axis=0), item, np.nan, axis=1)
    P = np.insert(problem["P"], user, draw(nps.arrays(np.float64, (k,), elements=FACTOR)), axis=0)
    Q = np.insert(problem["Q"], item, draw(nps.arrays(np.float64, (k,), elements=FACTOR)), axis=0)
    return {**problem, "with_unrated": dict(ratings=ratings, P=P, Q=Q), "user": user, "item": item}


@SPEC.check("als_step", tier="properties", points=2,
            title="a user or an item with no ratings gets a zero row, and adding one changes no other row",
            given=als_problem_with_unrated_user_and_item())
def als_step_gives_unrated_rows_zeros(learner, ratings, P, Q, reg, with_unrated, user, item):
    base_P, base_Q = factors(learner.als_step(ratings=ratings, P=P, Q=Q, reg=reg), P, Q, function="als_step")
    big = with_unrated
    new_P, new_Q = factors(learner.als_step(ratings=big["ratings"], P=big["P"], Q=big["Q"], reg=reg),
                           big["P"], big["Q"], function="als_step")
    size = scale(base_P, base_Q)
    expect_close(new_P[user], np.zeros(P.shape[1]), rtol=0, atol=1e-12 * size,
                 what=f"row {user} of the new P (a user with no ratings)")
    expect_close(new_Q[item], np.zeros(Q.shape[1]), rtol=0, atol=1e-12 * size,
                 what=f"row {item} of the new Q (an item with no ratings)")
    expect_close(np.delete(new_P, user, axis=0), base_P, rtol=1e-8, atol=1e-9 * size,
                 what="the new P for the other users (after adding a user and an item with no ratings)")
    expect_close(np.delete(new_Q, item, axis=0), base_Q, rtol=1e-8, atol=1e-9 * size,
                 what="the new Q for the other items (after adding a user and an item with no ratings)")


@SPEC.check("masked_rmse", tier="properties", points=1,
            title="masked_rmse is 0 when P @ Q.T reproduces every observed rating",
            given=exact_factorization(),
            examples=[dict(ratings=np.array([[2.0, NAN], [NAN, 1.0]]), P=np.array([[1.0], [2.0]]),
                           Q=np.array([[2.0], [0.5]]))])
def masked_rmse_of_exact_factorization_is_zero(learner, ratings, P, Q):
    rmse = as_float(learner.masked_rmse(ratings=ratings, P=P, Q=Q))
    expect_close(rmse, 0.0, rtol=0, atol=1e-11 * scale(ratings, P, Q) ** 2, what="the RMSE")


@st.composite
def factorization_with_unrated_user(draw):
    problem = draw(factorization())
    k = problem["P"].shape[1]
    return {**problem, "new_p": draw(nps.arrays(np.float64, (k,), elements=FACTOR))}


@SPEC.check("masked_rmse", tier="properties", points=1,
            title="adding a user with no ratings does not change masked_rmse",
            given=factorization_with_unrated_user())
def masked_rmse_ignores_unrated_user(learner, ratings, P, Q, new_p):
    before = as_float(learner.masked_rmse(ratings=ratings, P=P, Q=Q))
    after = as_float(learner.masked_rmse(ratings=np.vstack([ratings, np.full(ratings.shape[1], np.nan)]),
                                         P=np.vstack([P, new_p]), Q=Q))
    expect_close(after, before, rtol=1e-9, atol=1e-12 * scale(ratings, P, Q) ** 2,
                 what="masked_rmse with an extra user who rated nothing")


# ---------------------------------------------------------------- reference

@SPEC.check("mf_sgd_epoch", tier="reference", points=3, title="mf_sgd_epoch matches the reference",
            given=sgd_problem(),
            examples=[dict(ratings=np.array([[1.0, NAN], [2.0, 3.0]]), P=np.array([[1.0], [0.5]]),
                           Q=np.array([[0.5], [1.0]]), lr=0.05, reg=0.1, order=np.array([[1, 1], [0, 0], [1, 0]]))])
def mf_sgd_epoch_matches_reference(learner, ratings, P, Q, lr, reg, order):
    new_P, new_Q = factors(learner.mf_sgd_epoch(ratings=ratings, P=P, Q=Q, lr=lr, reg=reg, order=order), P, Q,
                           function="mf_sgd_epoch")
    want_P, want_Q = ref.mf_sgd_epoch(ratings, P, Q, lr, reg, order)
    tolerance = 1e-9 * scale(ratings, P, Q, want_P, want_Q)
    expect_close(new_P, want_P, rtol=1e-9, atol=tolerance, what="the new P")
    expect_close(new_Q, want_Q, rtol=1e-9, atol=tolerance, what="the new Q")


@SPEC.check("als_step", tier="reference", points=3, title="als_step matches the reference",
            given=als_problem(),
            examples=[dict(ratings=np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 1.0]]), P=np.zeros((3, 1)),
                           Q=np.array([[1.0], [2.0]]), reg=0.0),
                      dict(ratings=np.array([[NAN, NAN], [1.0, 2.0]]), P=np.ones((2, 2)),
                           Q=np.array([[1.0, 0.0], [0.5, 1.0]]), reg=0.5)])
def als_step_matches_reference(learner, ratings, P, Q, reg):
    new_P, new_Q = factors(learner.als_step(ratings=ratings, P=P, Q=Q, reg=reg), P, Q, function="als_step")
    want_P, _ = ref.als_step(ratings, P, Q, reg)
    expect_close(new_P, want_P, rtol=1e-8, atol=1e-9 * scale(want_P), what="the new P")
    # The item rows are compared with the ridge solution for the learner's own new P, so rounding
    # in P is not amplified into Q: the items of `ratings` are the users of `ratings.T`.
    want_Q, _ = ref.als_step(ratings.T, Q, new_P, reg)
    expect_close(new_Q, want_Q, rtol=1e-8, atol=1e-9 * scale(want_Q), what="the new Q")


@SPEC.check("masked_rmse", tier="reference", points=2, title="masked_rmse matches the reference",
            given=factorization(),
            examples=[dict(ratings=np.array([[1.0, NAN], [3.0, 0.0]]), P=np.array([[1.0], [2.0]]),
                           Q=np.array([[1.0], [0.0]]))])
def masked_rmse_matches_reference(learner, ratings, P, Q):
    rmse = as_float(learner.masked_rmse(ratings=ratings, P=P, Q=Q))
    expect_close(rmse, ref.masked_rmse(ratings, P, Q), rtol=1e-9, atol=1e-12 * scale(ratings, P, Q) ** 2,
                 what="the RMSE")


# ---------------------------------------------------------------- stability

@SPEC.check("mf_sgd_epoch", tier="stability", points=2,
            title="mf_sgd_epoch matches the reference over a long order that revisits cells, with k up to 12",
            given=sgd_problem(min_cells=30, max_cells=100, min_k=4, max_k=12, factor=UNIT), max_examples=50,
            examples=[dict(ratings=np.array([[4.0]]), P=np.full((1, 8), 0.5), Q=np.full((1, 8), 0.25), lr=0.05,
                           reg=0.02, order=np.zeros((100, 2), dtype=np.int64)),
                      dict(ratings=np.array([[5.0, -5.0], [-5.0, 5.0]]), P=np.eye(2), Q=np.ones((2, 2)), lr=0.05,
                           reg=0.0, order=np.array([[0, 0], [1, 0], [0, 1], [1, 1]] * 20))])
def mf_sgd_epoch_handles_long_orders(learner, ratings, P, Q, lr, reg, order):
    new_P, new_Q = factors(learner.mf_sgd_epoch(ratings=ratings, P=P, Q=Q, lr=lr, reg=reg, order=order), P, Q,
                           function="mf_sgd_epoch")
    want_P, want_Q = ref.mf_sgd_epoch(ratings, P, Q, lr, reg, order)
    tolerance = 1e-8 * scale(ratings, P, Q, want_P, want_Q)
    expect_close(new_P, want_P, rtol=1e-8, atol=tolerance, what="the new P")
    expect_close(new_Q, want_Q, rtol=1e-8, atol=tolerance, what="the new Q")


@SPEC.check("als_step", tier="stability", points=2,
            title="als_step solves nearly singular ridge systems (Q of rank about 1, reg down to 1e-4)",
            given=nearly_singular_als_problem(),
            examples=[dict(ratings=np.array([[3.0, NAN, -1.0], [NAN, 2.0, NAN]]), P=np.zeros((2, 3)),
                           Q=np.array([[1.0, 2.0, 0.0], [0.5, 1.0, 0.0], [-1.0, -2.0, 1e-6]]), reg=1e-4)])
def als_step_solves_nearly_singular_systems(learner, ratings, P, Q, reg):
    new_P, new_Q = factors(learner.als_step(ratings=ratings, P=P, Q=Q, reg=reg), P, Q, function="als_step")
    expect_ridge_rows(ratings, Q, new_P, reg, name="P", fixed_name="Q")
    expect_ridge_rows(ratings.T, new_P, new_Q, reg, name="Q", fixed_name="P")


# ---------------------------------------------------------------- known mistakes
# Each is written as if it lived in solutions/mf_sgd.py (it may call that module's helpers); the SGD ones share
# _sgd_epoch_with and the ALS ones _als_step_with, the reference's step with a switch per mistake.

@SPEC.mistake_helper
def _sgd_epoch_with(ratings, P, Q, lr, reg, order, *, q_sees_new_p=False, error_sign=1, reg_sign=-1,
                    every_cell=False):
    """mf_sgd_epoch with a switch per known mistake (the defaults give the reference's epoch).

    q_sees_new_p: q_i is updated with the p_u this step has just updated.
    error_sign: -1 takes the error as p.q - r instead of r - p.q.
    reg_sign: the sign of the reg * p term in the update (+1: it grows the factors); 0: no reg term at all.
    every_cell: every observed cell row by row instead of the cells listed in order.
    """
    ratings, P, Q, lr, reg, order = _checked_sgd_inputs(ratings, P, Q, lr, reg, order)
    P, Q = P.copy(), Q.copy()
    for u, i in np.argwhere(~np.isnan(ratings)) if every_cell else order:
        p, q = P[u].copy(), Q[i].copy()
        e = ratings[u, i] - p @ q if error_sign > 0 else p @ q - ratings[u, i]
        if reg_sign:
            P[u] = p + lr * (e * q + reg_sign * reg * p)
            Q[i] = q + lr * (e * (P[u] if q_sees_new_p else p) + reg_sign * reg * q)
        else:
            P[u] = p + lr * e * q
            Q[i] = q + lr * e * p
    return P, Q


@SPEC.mistake("mf_sgd_epoch", "updates q_i with the already-updated p_u",
              hint="Both updates must use the values from before this step: keep p_old = P[u].copy() and use "
                   "it in Q[i] += lr * (e * p_old - reg * Q[i]).")
def mf_sgd_epoch_with_updated_p(ratings, P, Q, lr, reg, order):
    """Updates Q[i] with the new P[u]."""
    return _sgd_epoch_with(ratings, P, Q, lr, reg, order, q_sees_new_p=True)


@SPEC.mistake("mf_sgd_epoch", "computes the error as p.q - r: the step goes uphill",
              hint="The error is e = r - p_u . q_i (rating minus prediction); with that sign, p_u += lr * e * q_i "
                   "moves the prediction towards the rating.")
def mf_sgd_epoch_with_error_sign_flipped(ratings, P, Q, lr, reg, order):
    """Takes e = p.q - r."""
    return _sgd_epoch_with(ratings, P, Q, lr, reg, order, error_sign=-1)


@SPEC.mistake("mf_sgd_epoch", "adds reg * p instead of subtracting it: the L2 term grows the factors",
              hint="The gradient of reg |p|^2 / 2 is reg * p, and a step goes against the gradient: "
                   "p += lr * (e * q - reg * p), with a minus before reg.")
def mf_sgd_epoch_with_reg_sign_flipped(ratings, P, Q, lr, reg, order):
    """Steps by lr * (e * q + reg * p)."""
    return _sgd_epoch_with(ratings, P, Q, lr, reg, order, reg_sign=1)


@SPEC.mistake("mf_sgd_epoch", "ignores reg: no L2 shrinkage in the updates",
              hint="Each update has a shrinkage term: p += lr * (e * q - reg * p) and q += lr * (e * p - reg * q).")
def mf_sgd_epoch_without_reg(ratings, P, Q, lr, reg, order):
    """Steps by lr * e * q, with no reg term."""
    return _sgd_epoch_with(ratings, P, Q, lr, reg, order, reg_sign=0)


@SPEC.mistake("mf_sgd_epoch", "visits every observed cell row by row instead of the cells listed in order",
              hint="Loop over `for u, i in order:`: order says which cells to visit and in which sequence "
                   "(it may skip cells or repeat them).")
def mf_sgd_epoch_ignoring_order(ratings, P, Q, lr, reg, order):
    """Loops over np.argwhere(~np.isnan(ratings)) instead of order."""
    return _sgd_epoch_with(ratings, P, Q, lr, reg, order, every_cell=True)


@SPEC.mistake("mf_sgd_epoch", "updates the caller's P and Q in place (np.asarray does not copy)",
              hint="np.asarray(P) returns P itself when it is already a float64 array, so P[u] += ... changes "
                   "the caller's matrix. Start with P, Q = P.copy(), Q.copy() and return the copies.")
def mf_sgd_epoch_in_place(ratings, P, Q, lr, reg, order):
    """Writes the updates into the arrays it was given."""
    P, Q = np.asarray(P, dtype=np.float64), np.asarray(Q, dtype=np.float64)
    new_P, new_Q = _sgd_epoch_with(ratings, P, Q, lr, reg, order)
    P[...], Q[...] = new_P, new_Q
    return P, Q


@SPEC.mistake_helper
def _als_step_with(ratings, P, Q, reg, *, items_use_old_p=False, missing_as_zero=False, use_reg=True):
    """als_step with a switch per known mistake (the defaults give the reference's step).

    items_use_old_p: the item rows are solved against the P passed in, not the new one.
    missing_as_zero: a NaN rating counts as an observed 0.
    use_reg: False solves plain least squares (reg = 0 once it has been checked).
    """
    ratings, P, Q = _checked_factors(ratings, P, Q)
    reg = _checked_reg(reg)
    if not use_reg:
        reg = 0.0
    if missing_as_zero:
        ratings = np.nan_to_num(ratings, nan=0.0)
    new_P = _ridge_rows(ratings, Q, reg)
    return new_P, _ridge_rows(ratings.T, P if items_use_old_p else new_P, reg)


@SPEC.mistake("als_step", "solves the item rows with the old P instead of the new one",
              hint="ALS alternates: first every user row with Q fixed, then every item row with the P you just "
                   "computed (not the P that was passed in).")
def als_step_with_old_p(ratings, P, Q, reg):
    """Solves the item rows against the P passed in."""
    return _als_step_with(ratings, P, Q, reg, items_use_old_p=True)


@SPEC.mistake("als_step", "treats missing ratings as 0: every cell enters the least squares",
              hint="A NaN is a rating nobody gave, not a 0. Solve each row over its observed cells only: "
                   "Q_O holds the rows of Q for the items that user rated.")
def als_step_with_missing_as_zero(ratings, P, Q, reg):
    """Replaces NaN with 0 before solving."""
    return _als_step_with(ratings, P, Q, reg, missing_as_zero=True)


@SPEC.mistake("als_step", "forgets reg: plain least squares (Q_O^T Q_O) p = Q_O^T r",
              hint="The ridge system has reg on the diagonal: (Q_O^T Q_O + reg I) p = Q_O^T r. Without it a user "
                   "with fewer ratings than k has no unique solution.")
def als_step_without_reg(ratings, P, Q, reg):
    """Checks reg, then solves with reg = 0."""
    return _als_step_with(ratings, P, Q, reg, use_reg=False)


@SPEC.mistake("masked_rmse", "averages over every cell, counting a missing rating as 0",
              hint="Only observed cells count: build mask = ~np.isnan(ratings) and average the squared errors "
                   "over the mask (divide by the number of observed cells).")
def masked_rmse_over_all_cells(ratings, P, Q):
    ratings, P, Q = _checked_factors(ratings, P, Q)
    return float(np.sqrt(np.mean((np.nan_to_num(ratings, nan=0.0) - P @ Q.T) ** 2)))


@SPEC.mistake("masked_rmse", "returns the mean squared error: the square root is missing",
              hint="RMSE is the ROOT of the mean squared error: np.sqrt(np.mean(errors ** 2)).")
def masked_rmse_without_sqrt(ratings, P, Q):
    ratings, P, Q = _checked_factors(ratings, P, Q)
    observed = ~np.isnan(ratings)
    return float(np.mean((ratings[observed] - (P @ Q.T)[observed]) ** 2))
