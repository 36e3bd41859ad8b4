"""Quiz: the SVD, its link to the eigendecomposition of A^T A, and Eckart-Young."""


from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Predict, Shape, Variant, distinct

RTOL = 1e-3


def eckart_young(rng, ref):
    import numpy as np

    r = rng.choice([4, 5])
    s = sorted(rng.sample(range(1, 13), r), reverse=True)
    k = rng.randrange(1, r - 1)  # at least two singular values are dropped: the formulas then differ
    a = np.zeros((r + 1, r))
    a[:r, :r] = np.diag([float(v) for v in s])
    error = float(np.sqrt(np.sum((a - ref.low_rank_approx(a, k)) ** 2)))  # Frobenius norm, entry by entry
    dropped = s[k:]
    return Variant(
        prompt=f"A matrix has singular values {s}. What is the Frobenius-norm error ||A - A_{k}||_F of its best "
               f"rank-{k} approximation? Four significant digits, or an expression such as sqrt(...).",
        answer=error,
        parameters=dict(singular_values=s, k=k),
        misconceptions=distinct(error, (
            Misconception("the largest dropped singular value", float(dropped[0]),
                          f"s_{k + 1} = {dropped[0]} is the error in the SPECTRAL norm; the Frobenius error is "
                          f"sqrt of the sum of all dropped s_i**2."),
            Misconception("summed the dropped values without squaring", float(sum(dropped)),
                          "Frobenius norms add in squares: sqrt(sum of s_i**2) over the dropped i."),
            Misconception("forgot the square root", float(sum(v * v for v in dropped)),
                          "That is the squared error; take its square root for the norm."),
        ), rtol=RTOL),
        explanation=f"Eckart-Young: ||A - A_{k}||_F = sqrt({' + '.join(f'{v}**2' for v in dropped)}) = {error:.4g}.",
    )


def largest_singular_value(rng, ref):
    import numpy as np

    for _ in range(100):
        a = [[float(rng.randrange(-3, 4)) for _ in range(2)] for _ in range(2)]
        if a[0][1] != a[1][0] and abs(np.linalg.det(np.array(a))) > 0.5:  # not symmetric: eig != svd
            break
    _, s, _ = ref.svd(np.array(a))
    answer = float(s[0])
    eigen = float(np.max(np.abs(np.linalg.eigvals(np.array(a)))))
    return Variant(
        prompt=f"What is the largest singular value of A = {[[int(v) for v in row] for row in a]}? Four significant "
               f"digits, or an expression such as sqrt(...).",
        answer=answer,
        parameters=dict(a=a),
        misconceptions=distinct(answer, (
            Misconception("forgot the square root of the eigenvalue of A^T A", answer ** 2,
                          "The eigenvalues of A^T A are the SQUARED singular values: s = sqrt(lambda)."),
            Misconception("the largest |eigenvalue| of A", eigen,
                          "For a non-symmetric matrix the eigenvalues of A and its singular values differ: take "
                          "the eigenvalues of A^T A, then their square roots."),
            Misconception("the largest entry", float(np.max(np.abs(a))),
                          "s_1 = max ||A x|| over unit x: at least the largest entry, usually more."),
        ), rtol=RTOL),
        explanation=f"A^T A has eigenvalues {', '.join(f'{v ** 2:.4g}' for v in s)}; their square roots are the "
                    f"singular values, the largest {answer:.4g}.",
    )


def thin_u_shape(rng, ref):
    import numpy as np

    m, n = rng.choice([(5, 3), (3, 5), (100, 10), (10, 100), (6, 4), (4, 7)])
    u, _, _ = ref.svd(np.ones((m, n)) + np.eye(m, n))
    answer = tuple(u.shape)
    return Variant(
        prompt=f"svd(a) returns the THIN SVD (u, s, vt), r = min(m, n). For a of shape ({m}, {n}), what is the "
               f"shape of u?",
        answer=answer,
        parameters=dict(m=m, n=n),
        misconceptions=distinct(answer, (
            Misconception("the full SVD", (m, m), "The full SVD's u is (m, m); the thin one keeps r = min(m, n) "
                                                  "columns."),
            Misconception("the shape of a", (m, n), "u has r = min(m, n) columns, one per singular value."),
            Misconception("the shape of vt", (min(m, n), n), "vt is (r, n); u is (m, r)."),
        )),
        explanation=f"u is (m, r) = ({m}, {min(m, n)}), s is ({min(m, n)},), vt is ({min(m, n)}, {n}).",
    )


def signed_diagonal(rng, ref):
    import numpy as np

    values = rng.sample([-5.0, -4.0, -3.0, -2.0, 1.0, 2.0, 3.0, 6.0], 3)
    while all(v > 0 for v in values) or sorted(map(abs, values), reverse=True) == list(map(abs, values)):
        values = rng.sample([-5.0, -4.0, -3.0, -2.0, 1.0, 2.0, 3.0, 6.0], 3)
    answer = tuple(float(v) for v in ref.svd(np.diag(values))[1])
    return Variant(
        prompt="What does this print? (Type the numbers, e.g. [3 2 1].)",
        code=f"import numpy as np\nfrom svd import svd\nu, s, vt = svd(np.diag({values}))\nprint(s)",
        answer=answer,
        parameters=dict(diagonal=values),
        misconceptions=distinct(answer, (
            Misconception("kept the signs", tuple(sorted(values, reverse=True)),
                          "Singular values are never negative: a sign goes into u or v."),
            Misconception("did not sort", tuple(abs(v) for v in values),
                          "s comes in descending order."),
        )),
        explanation=f"A diagonal matrix's singular values are the absolute values of its diagonal, sorted "
                    f"descending: {list(answer)}.",
    )


QUESTIONS = [
    Choice("svd_vs_eig", "How is the SVD A = U S V^T related to the eigendecomposition of A^T A?", options=[
        Option("A^T A = V S^2 V^T: its eigenvectors are the right singular vectors, its eigenvalues the squared "
               "singular values", correct=True),
        Option("A^T A = U S U^T", feedback="A^T A = V S U^T U S V^T = V S^2 V^T: U cancels, and S is squared."),
        Option("they are the same decomposition when A is square",
               feedback="Only for symmetric positive semi-definite A; a square non-symmetric A has different "
                        "eigen and singular values."),
        Option("the eigenvalues of A^T A are the singular values",
               feedback="They are the SQUARES of the singular values."),
    ], explanation="A^T A = V S U^T U S V^T = V S^2 V^T. Computing the SVD that way squares the condition "
                   "number, which is why libraries avoid it for ill-conditioned matrices."),
    Numeric("eckart_young", draw=eckart_young, rtol=RTOL, points=2),
    Numeric("largest_singular_value", draw=largest_singular_value, rtol=RTOL, points=2),
    Shape("thin_u_shape", draw=thin_u_shape),
    Multi("svd_facts", "Which statements about the SVD are true?", options=[
        Option("every real matrix, of any shape, has one", correct=True),
        Option("the singular values are non-negative", correct=True),
        Option("the rank is the number of non-zero singular values", correct=True),
        Option("the singular vectors are unique, signs included",
               feedback="Flipping the sign of u_i and v_i together gives another valid SVD; with repeated "
                        "singular values whole subspaces can rotate."),
        Option("the best rank-k approximation keeps the k SMALLEST singular values",
               feedback="Eckart-Young keeps the k LARGEST: the error is the energy of what is dropped."),
    ], explanation="The SVD always exists; s >= 0; rank = #{s_i > 0}; vectors are unique only up to sign "
                   "(and rotations within repeated singular values)."),
    Predict("signed_diagonal", draw=signed_diagonal, rtol=1e-9, atol=1e-9),
]
