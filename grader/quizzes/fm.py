"""Quiz: factorization machines, the O(kn) identity, and the DeepFM forward pass."""

from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Order, Shape, Variant

RTOL = 1e-5  # answers are shown to 6 significant digits: typing a shown value must match it


def _distinct(answer, misconceptions, rtol=RTOL):
    """The misconceptions whose value differs from the answer and from each other on this variant."""
    kept = []
    for m in misconceptions:
        values = [answer, *(k.value for k in kept)]
        if all(m.value != v if isinstance(v, tuple) else abs(m.value - v) > 2 * rtol * max(abs(v), 1.0)
               for v in values):
            kept.append(m)
    return tuple(kept)


def fm_prediction(rng, ref):
    import numpy as np

    n = 3
    x = [rng.choice([0, 1, 2, 3]) for _ in range(n)]
    while sum(1 for v in x if v) < 2:  # at least one pair of active features
        x = [rng.choice([0, 1, 2, 3]) for _ in range(n)]
    w0, w = rng.randint(-2, 2), [rng.randint(-2, 2) for _ in range(n)]
    V = [[rng.randint(-2, 2)] for _ in range(n)]
    answer = float(ref.fm_predict(np.array([x], dtype=float), w0, np.array(w, dtype=float),
                                  np.array(V, dtype=float))[0])
    linear = w0 + sum(a * b for a, b in zip(x, w))
    xv = sum(a * v[0] for a, v in zip(x, V))
    squares = sum(a * a * v[0] * v[0] for a, v in zip(x, V))
    pairs = answer - linear
    return Variant(
        prompt=f"A factorization machine with k = 1 has w0 = {w0}, w = {w} and factors v = {[v[0] for v in V]} "
               f"(one number per feature). What does it predict for x = {x}?",
        answer=answer,
        parameters=dict(x=x, w0=w0, w=w, V=V),
        misconceptions=_distinct(answer, (
            Misconception("counted every pair twice (no 1/2)", linear + 2 * pairs,
                          "(sum_i v_i x_i)**2 - sum_i v_i**2 x_i**2 holds each pair i < j twice: halve it."),
            Misconception("kept the self-pairs", linear + 0.5 * xv * xv,
                          "(sum_i v_i x_i)**2 also holds v_i**2 x_i**2, a feature paired with itself: subtract them."),
            Misconception("the linear part only", float(linear),
                          "The pairs i < j add <v_i, v_j> x_i x_j each: the FM's point."),
        )),
        explanation=f"w0 + w . x = {linear}; pairs = ((v . x)**2 - sum v_i**2 x_i**2) / 2 = ({xv}**2 - {squares}) / 2 "
                    f"= {pairs:g}; total {answer:g}.",
    )


def deepfm_logit(rng, ref):
    import numpy as np

    F, k = 2, 1
    V = [[float(rng.randint(-2, 2))] for _ in range(4)]
    w = [float(rng.randint(-1, 2)) for _ in range(4)]
    idx = [[rng.choice([0, 1]), rng.choice([2, 3])]]
    W1 = [[float(rng.randint(-1, 1))], [float(rng.randint(-1, 1))]]
    b1 = [float(rng.choice([-3, -2, -1]))]
    answer = float(ref.deepfm_forward(np.array(idx), 0.0, np.array(w), np.array(V),
                                      [(np.array(W1), np.array(b1))])[0])
    e = [V[j][0] for j in idx[0]]
    fm_part = sum(w[j] for j in idx[0]) + e[0] * e[1]
    deep = e[0] * W1[0][0] + e[1] * W1[1][0] + b1[0]
    return Variant(
        prompt=f"DeepFM with F = {F} fields, k = {k}, w0 = 0, w = {w}, embeddings V = {[v[0] for v in V]} (one number "
               f"per feature id) and a one-layer MLP W = {[r[0] for r in W1]} (a column), b = {b1}. What logit does it "
               f"give for field_idx = {idx[0]}?",
        answer=answer,
        parameters=dict(w=w, V=V, field_idx=idx, W=W1, b=b1),
        misconceptions=_distinct(answer, (
            Misconception("put a ReLU on the output layer", fm_part + max(deep, 0.0),
                          "The last layer is linear: the deep part may be negative."),
            Misconception("the sigmoid of the logit", float(1 / (1 + np.exp(-answer))),
                          "deepfm_forward returns the logit y_FM + y_DNN, before any sigmoid."),
            Misconception("the FM part only", fm_part, "The MLP's output is added to the FM part."),
        )),
        explanation=f"FM: w[{idx[0][0]}] + w[{idx[0][1]}] + e_1 e_2 = {fm_part:g}; "
                    f"deep: [{e[0]:g}, {e[1]:g}] @ W + b = "
                    f"{deep:g} (no ReLU after the last layer); logit {answer:g}.",
    )


def mlp_input_shape(rng, ref):
    import numpy as np

    N, F, k = rng.choice([32, 64, 128]), rng.randint(3, 12), rng.choice([4, 8, 16])
    n = F * 10
    idx = np.arange(F)[None, :].repeat(N, axis=0) * 10
    answer = tuple(ref._concatenated(idx, np.zeros((n, k))).shape)
    return Variant(
        prompt=f"A DeepFM batch has N = {N} rows and F = {F} fields; the embedding table V is ({n}, {k}). What is the "
               f"shape of the MLP's input?",
        answer=answer,
        parameters=dict(N=N, F=F, n=n, k=k),
        misconceptions=_distinct(answer, (
            Misconception("summed the embeddings", (N, k),
                          "The FM part sums the embeddings; the MLP gets them side by side: F * k numbers."),
            Misconception("did not flatten", (N, F, k), "V[field_idx] is (N, F, k): reshape it to (N, F * k)."),
            Misconception("the one-hot rows", (N, n), "The MLP reads the dense embeddings, not the sparse one-hot x."),
        )),
        explanation=f"V[field_idx] is (N, F, k) = ({N}, {F}, {k}); concatenated per row: ({N}, {F * k}).",
    )


QUESTIONS = [
    Choice("why_factors", "Why does a factorization machine model the weight of the pair (i, j) as <v_i, v_j> "
                          "instead of a free weight w_ij?", options=[
        Option("in sparse data most pairs never occur together; shared factors still give them a weight",
               correct=True),
        Option("it is the only way to make the model linear in x",
               feedback="The pair terms x_i x_j are quadratic in x either way."),
        Option("free weights w_ij cannot be learned by gradient descent",
               feedback="They can (that is a degree-2 polynomial model); they just need each pair to be observed."),
        Option("to make the prediction a probability",
               feedback="A sigmoid does that; the factors are about generalising to unseen pairs."),
    ], explanation="A free w_ij is learned only from rows where both i and j are on. v_i is learned from every "
                   "pair i is in, so <v_i, v_j> is defined for pairs never seen together (and has n k parameters, "
                   "not n**2 / 2)."),
    Numeric("fm_prediction", draw=fm_prediction, rtol=RTOL, points=2),
    Numeric("deepfm_logit", draw=deepfm_logit, rtol=RTOL, points=2),
    Shape("mlp_input_shape", draw=mlp_input_shape),
    Multi("fm_facts", "Which statements about the O(kn) form 1/2 sum_f [(x V)_f**2 - (x**2 V**2)_f] are true?",
          options=[
        Option("it equals sum over i < j of <v_i, v_j> x_i x_j exactly", correct=True),
        Option("it costs O(k n), and O(k * nnz(x)) for sparse x", correct=True),
        Option("the 1/2 is there because the square of a sum holds every pair twice", correct=True),
        Option("it is an approximation that is exact only for k = 1",
               feedback="It is an identity for every k: it holds factor by factor, then sums over f."),
        Option("the subtracted term removes the linear part w . x",
               feedback="It removes the squares v_if**2 x_i**2 (a feature paired with itself); w . x is separate."),
    ], explanation="(sum_i a_i)**2 = sum_i a_i**2 + 2 sum_{i<j} a_i a_j with a_i = v_if x_i; rearranged, "
                   "per factor f."),
    Order("deepfm_deep_part_steps", "Put the deep part of the DeepFM forward pass in order.", steps=[
        "look up the embeddings e_f = V[field_idx[:, f]] for every field",
        "concatenate the e_f of each row into one (F k,) vector",
        "hidden layers: h = relu(h @ W + b)",
        "last layer: h @ W_L + b_L, linear, one output",
        "add the FM part (built from the same embeddings): the logit",
    ], explanation="The MLP reads the embeddings side by side, ReLU only between layers; its output and the FM "
                   "part sum to the logit."),
]
