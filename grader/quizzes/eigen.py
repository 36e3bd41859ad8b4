"""Quiz: eigenpairs, power iteration and its spectral gap, the symmetric 2x2 in closed form."""

import math

from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Order, Predict, Variant

RTOL = 1e-3  # answers typed to four significant digits


def _distinct(answer, misconceptions, rtol=RTOL):
    """The misconceptions whose value differs from the answer and from each other on this variant."""
    kept = []
    for m in misconceptions:
        values = [answer, *(k.value for k in kept)]
        if all(abs(m.value - v) > 2 * rtol * max(abs(v), abs(m.value), 1e-12) for v in values):
            kept.append(m)
    return tuple(kept)


def _symmetric_2x2(rng):
    """Small integer entries, b != 0 and a != d so that the wrong formulas give other numbers."""
    while True:
        a, b, d = rng.randint(-5, 6), rng.choice([-3, -2, -1, 1, 2, 3]), rng.randint(-5, 6)
        if a != d:
            return a, b, d


def larger_eigenvalue(rng, ref):
    import numpy as np

    a, b, d = _symmetric_2x2(rng)
    lams, _ = ref.eig_2x2(np.array([[a, b], [b, d]], dtype=float))
    answer = float(lams[0])
    mean = (a + d) / 2
    return Variant(
        prompt=f"What is the larger eigenvalue of the symmetric matrix [[{a}, {b}], [{b}, {d}]]? Four significant "
               f"digits, or an expression such as {mean} + sqrt(...).",
        answer=answer,
        parameters=dict(a=a, b=b, d=d),
        misconceptions=_distinct(answer, (
            Misconception("did not halve a - d under the root", mean + math.hypot(a - d, b),
                          "The half-gap is sqrt(((a - d) / 2)**2 + b**2): the discriminant (a - d)**2 + 4 b**2 "
                          "is divided by 4 under the root."),
            Misconception("forgot to square b", mean + math.sqrt(((a - d) / 2) ** 2 + abs(b)),
                          "Both parts of the half-gap are squared: ((a - d) / 2)**2 + b**2."),
            Misconception("the larger diagonal entry", float(max(a, d)),
                          "The diagonal holds the eigenvalues only when b = 0; the off-diagonal b pushes them apart."),
            Misconception("the smaller eigenvalue", float(lams[1]),
                          f"{float(lams[1]):.4g} is (a + d) / 2 MINUS the half-gap: the smaller one."),
        )),
        explanation=f"(a + d) / 2 + sqrt(((a - d) / 2)**2 + b**2) = {mean} + sqrt({((a - d) / 2) ** 2} + {b * b}) "
                    f"= {answer:.4g}.",
    )


def product_of_eigenvalues(rng, ref):
    import numpy as np

    a, b, d = _symmetric_2x2(rng)
    lams, _ = ref.eig_2x2(np.array([[a, b], [b, d]], dtype=float))
    answer = float(lams[0] * lams[1])
    return Variant(
        prompt=f"The eigenvalues of [[{a}, {b}], [{b}, {d}]] are lam_1 and lam_2. What is lam_1 * lam_2?",
        answer=answer,
        parameters=dict(a=a, b=b, d=d),
        misconceptions=_distinct(answer, (
            Misconception("a d + b**2", float(a * d + b * b),
                          "The determinant of [[a, b], [b, d]] is a d - b * b: minus the off-diagonal product."),
            Misconception("the trace", float(a + d), "The trace a + d is the SUM of the eigenvalues."),
            Misconception("a d", float(a * d), "The off-diagonal entries count too: det = a d - b**2."),
        )),
        explanation=f"The product of the eigenvalues is the determinant: {a} * {d} - {b}**2 = {answer:.4g}.",
    )


def power_iteration_result(rng, ref):
    import numpy as np

    while True:
        a, b, d = _symmetric_2x2(rng)
        lams = np.linalg.eigvalsh(np.array([[a, b], [b, d]], dtype=float))
        small, large = sorted(lams, key=abs)
        if abs(small) < 0.8 * abs(large) and large < 0 and abs(large) > lams.max():  # dominant is negative
            break
    lam, _ = ref.power_iteration(np.array([[a, b], [b, d]], dtype=float))
    answer = round(float(lam), 3)
    return Variant(
        prompt="What does this print?",
        code="from eigen import power_iteration\n"
             f"lam, v = power_iteration([[{a}, {b}], [{b}, {d}]])\nprint(round(lam, 3))",
        answer=answer,
        parameters=dict(a=a, b=b, d=d),
        misconceptions=_distinct(answer, (
            Misconception("the norm ||a v||, which loses the sign", round(abs(float(lam)), 3),
                          "Power iteration finds the largest |lam|; its Rayleigh quotient v @ a @ v keeps the sign, "
                          "and here the dominant eigenvalue is negative."),
            Misconception("the largest eigenvalue by value", round(float(lams.max()), 3),
                          "Power iteration converges to the eigenvalue of largest MAGNITUDE, which here is the "
                          "negative one."),
        )),
        explanation=f"The eigenvalues are {lams[0]:.4g} and {lams[1]:.4g}; the one of largest magnitude, "
                    f"{float(lam):.4g}, wins. Its v flips sign every step, but lam = v @ a @ v does not.",
    )


QUESTIONS = [
    Choice("why_gap", "Power iteration needs |lam_2| < |lam_1|. Why?", options=[
        Option("the error shrinks like (|lam_2| / |lam_1|)**k: with equal magnitudes it never shrinks", correct=True),
        Option("otherwise a is not invertible",
               feedback="Power iteration never inverts a; a singular a (some lam = 0) is fine."),
        Option("otherwise the Rayleigh quotient is negative",
               feedback="The Rayleigh quotient has the sign of the dominant eigenvalue, gap or no gap."),
        Option("eigenvectors of different eigenvalues are only orthogonal when there is a gap",
               feedback="For a symmetric matrix they are orthogonal whenever the eigenvalues differ."),
    ], explanation="Each step multiplies the component along v_i by lam_i; after k steps the others are "
                   "(lam_i / lam_1)**k times smaller. A ratio of 1 (say lam_2 = -lam_1) never fades."),
    Numeric("larger_eigenvalue", draw=larger_eigenvalue, rtol=RTOL, points=2),
    Numeric("product_of_eigenvalues", draw=product_of_eigenvalues, rtol=RTOL),
    Predict("power_iteration_result", draw=power_iteration_result, rtol=1e-9, atol=1e-9, points=2),
    Multi("eigen_facts", "Which statements about a real symmetric n x n matrix are true?", options=[
        Option("the eigenvalues add up to the trace", correct=True),
        Option("the eigenvalues multiply to the determinant", correct=True),
        Option("eigenvectors of different eigenvalues are orthogonal", correct=True),
        Option("power iteration finds the largest eigenvalue by value",
               feedback="By MAGNITUDE: for [[-3, 0], [0, 1]] it finds -3."),
        Option("a fixed start such as (1, ..., 1) works for every matrix",
               feedback="It can be orthogonal to the dominant eigenvector ([[1, -2], [-2, 1]]): a random start is "
                        "orthogonal to it with probability 0."),
    ], explanation="trace = sum, det = product, orthogonal eigenvectors (the spectral theorem); power iteration "
                   "picks the largest |lam| and needs a start with a component along its eigenvector."),
    Order("power_iteration_steps", "Put one step of power iteration in order.", steps=[
        "w = a @ v",
        "lam = v @ w (the Rayleigh quotient)",
        "v = w / ||w||",
        "stop if lam changed by at most tol * |lam|",
    ], explanation="Multiply, read off the eigenvalue estimate, rescale, then test convergence on lam (not on v, "
                   "which flips sign every step when lam < 0)."),
    Choice("stopping_on_v", "Your power iteration stops when ||v_new - v_old|| < tol. On [[-3, 0], [0, 1]] it runs "
                            "all n_iter steps. Why?", options=[
        Option("the dominant eigenvalue is negative, so v flips sign every step and v_new - v_old ~ 2 v",
               correct=True),
        Option("the matrix has no spectral gap",
               feedback="|lam_2| / |lam_1| = 1/3: a comfortable gap. The sign flip is the problem."),
        Option("tol is too small for float64",
               feedback="v converges to rounding level within a few dozen steps here, up to its sign."),
    ], explanation="With lam_1 < 0, a v points the other way each step. Stop on the change in lam, or compare v_new "
                   "with sign(v_new @ v_old) v_old."),
]
