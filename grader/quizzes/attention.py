"""Quiz: scaled dot-product and multi-head attention: the sqrt(d_k), the weights, the shapes, the mask."""

import math

from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Predict, Shape, Variant, distinct

RTOL = 1e-3


def _softmax_first(scores):
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    return exps[0] / sum(exps)


def first_weight(rng, ref):
    import numpy as np

    d = rng.choice([2, 4])
    q = [float(rng.choice([1, 2])) for _ in range(d)]
    keys = [[float(rng.randrange(-1, 3)) for _ in range(d)] for _ in range(2)]
    while sum(a * b for a, b in zip(q, keys[0])) == sum(a * b for a, b in zip(q, keys[1])):
        keys[1] = [float(rng.randrange(-1, 3)) for _ in range(d)]
    _, weights = ref.scaled_dot_product_attention(np.array([q]), np.array(keys), np.ones((2, 1)))
    answer = float(weights[0, 0])
    dots = [sum(a * b for a, b in zip(q, k)) for k in keys]
    misconceptions = [
        Misconception("forgot to divide by sqrt(d_k)", _softmax_first(dots),
                      f"The scores are q . k / sqrt(d_k) = q . k / sqrt({d}) before the softmax."),
        Misconception("divided by d_k instead of sqrt(d_k)", _softmax_first([s / d for s in dots]),
                      "The dot product of d_k unit-variance terms has variance d_k; dividing by its standard "
                      "deviation sqrt(d_k) brings it back to 1."),
    ]
    if all(s > 0 for s in dots):  # only then is "score / sum of scores" a plausible wrong weight
        misconceptions.append(Misconception("normalised the scores without exp", dots[0] / sum(dots),
                                            "The weights are a softmax of the scaled scores: exp, then normalise."))
    return Variant(
        prompt=f"One query q = {q} attends over two keys k1 = {keys[0]} and k2 = {keys[1]} (d_k = {d}). What "
               f"attention weight does scaled dot-product attention give to k1? Four significant digits, or an "
               f"expression.",
        answer=answer,
        parameters=dict(q=q, k=keys),
        misconceptions=distinct(answer, misconceptions, rtol=RTOL),
        explanation=f"Scores q.k = {dots[0]:g}, {dots[1]:g}; divided by sqrt({d}) and put through a softmax, "
                    f"k1 gets {answer:.4f}.",
    )


def head_weights_shape(rng, ref):
    import numpy as np

    batch, t, s, heads = rng.choice([1, 2, 4]), rng.choice([3, 5, 7]), rng.choice([4, 6, 9]), rng.choice([2, 4])
    d_model = heads * rng.choice([2, 4])
    eye = np.eye(d_model)
    _, weights = ref.multi_head_attention(np.zeros((batch, t, d_model)), np.zeros((batch, s, d_model)),
                                          np.zeros((batch, s, d_model)), eye, eye, eye, eye, heads)
    answer = tuple(weights.shape)
    return Variant(
        prompt=f"Multi-head attention with {heads} heads, D = {d_model}: queries (B, T, D) = ({batch}, {t}, "
               f"{d_model}), keys and values (B, S, D) = ({batch}, {s}, {d_model}). What is the shape of the "
               f"attention weights (one set per head)?",
        answer=answer,
        parameters=dict(batch=batch, t=t, s=s, heads=heads, d_model=d_model),
        misconceptions=distinct(answer, (
            Misconception("heads averaged away", (batch, t, s), "Each head has its own weights: (B, h, T, S)."),
            Misconception("keys and queries swapped", (batch, heads, s, t),
                          "One row per query (T of them), one column per key (S): (..., T, S)."),
            Misconception("head axis after the queries", (batch, t, heads, s),
                          "After splitting, the head axis moves next to the batch: (B, h, T, S)."),
        )),
        explanation=f"Per head the weights are (T, S) = ({t}, {s}); with the batch and {heads} heads: "
                    f"({batch}, {heads}, {t}, {s}).",
    )


def output_shape(rng, ref):
    import numpy as np

    batch, t, s, d, d_v = rng.choice([1, 2, 8]), rng.choice([3, 5]), rng.choice([4, 7]), rng.choice([8, 16]), \
        rng.choice([3, 32])
    out, _ = ref.scaled_dot_product_attention(np.zeros((batch, t, d)), np.zeros((batch, s, d)),
                                              np.zeros((batch, s, d_v)))
    answer = tuple(out.shape)
    return Variant(
        prompt=f"scaled_dot_product_attention(q, k, v) with q ({batch}, {t}, {d}), k ({batch}, {s}, {d}), "
               f"v ({batch}, {s}, {d_v}). What is the shape of the output?",
        answer=answer,
        parameters=dict(batch=batch, t=t, s=s, d=d, d_v=d_v),
        misconceptions=distinct(answer, (
            Misconception("one row per key", (batch, s, d_v), "The output has one row per QUERY: weights (T, S) @ v "
                                                              "(S, d_v) = (T, d_v)."),
            Misconception("the query width", (batch, t, d), "The output mixes the VALUES: its width is d_v."),
        )),
        explanation=f"weights ({batch}, {t}, {s}) @ v ({batch}, {s}, {d_v}) = ({batch}, {t}, {d_v}).",
    )


def identical_keys(rng, ref):
    import numpy as np

    values = rng.sample(range(1, 10), 3)
    q = [float(rng.randrange(-3, 4)), float(rng.randrange(-3, 4))]
    key = [float(rng.randrange(-2, 3)), 1.0]
    out, _ = ref.scaled_dot_product_attention(np.array([q]), np.array([key] * 3),
                                              np.array([[float(v)] for v in values]))
    answer = float(out[0, 0])
    return Variant(
        prompt="What does this print? (Four significant digits.)",
        code=(f"import numpy as np\nfrom attention import scaled_dot_product_attention\n"
              f"q = np.array([{q}])\nk = np.array([{key}, {key}, {key}])\n"
              f"v = np.array([[{values[0]}.0], [{values[1]}.0], [{values[2]}.0]])\n"
              f"out, weights = scaled_dot_product_attention(q, k, v)\nprint(out[0, 0])"),
        answer=answer,
        parameters=dict(q=q, key=key, values=values),
        misconceptions=distinct(answer, (
            Misconception("summed the values", float(sum(values)),
                          "The weights sum to 1: identical keys give each value 1/3, an average, not a sum."),
            Misconception("picked the first value", float(values[0]),
                          "With identical keys the scores tie, so the softmax spreads evenly."),
        ), rtol=RTOL),
        explanation=f"All three scores are equal, so every weight is 1/3 and the output is the mean "
                    f"({values[0]} + {values[1]} + {values[2]}) / 3 = {answer:.4g}, whatever q is.",
    )


QUESTIONS = [
    Choice("why_sqrt", "Why are the scores divided by sqrt(d_k)?", options=[
        Option("q . k sums d_k products, so its variance grows like d_k; large scores saturate the softmax and "
               "its gradients vanish", correct=True),
        Option("to make the attention weights sum to 1",
               feedback="The softmax makes them sum to 1 whatever the scale."),
        Option("to normalise q and k to unit length",
               feedback="Dividing by sqrt(d_k) does not normalise vectors; it rescales the dot products so their "
                        "spread does not depend on d_k."),
        Option("to save computation", feedback="It adds a division; it is there for the softmax's sake."),
    ], explanation="For q and k with independent unit-variance entries, q . k has variance d_k; dividing by "
                   "sqrt(d_k) keeps it at 1, so the softmax stays soft whatever the head width."),
    Numeric("first_weight", draw=first_weight, rtol=RTOL, points=2),
    Shape("head_weights_shape", draw=head_weights_shape),
    Shape("output_shape", draw=output_shape),
    Multi("attention_facts", "Which statements about softmax(q k^T / sqrt(d_k)) v are true?", options=[
        Option("each query's weights are non-negative and sum to 1", correct=True),
        Option("permuting the keys and the values together leaves the output unchanged", correct=True),
        Option("permuting the queries permutes the output rows the same way", correct=True),
        Option("the output can lie outside the range of the values",
               feedback="Each output is a convex combination of the value rows: it stays within their range."),
        Option("permuting the keys alone (not the values) leaves the output unchanged",
               feedback="Keys and values are paired: moving a key without its value attaches its weight to "
                        "another value."),
    ], explanation="The weights are a distribution over the key/value pairs, which is why attention alone "
                   "ignores order and needs positional information."),
    Choice("mask_convention", "In this course's API (and torch's scaled_dot_product_attention), a boolean mask "
                              "entry True means:", options=[
        Option("the query may attend to that key", correct=True),
        Option("that key is blocked",
               feedback="That is the convention of some other libraries (key_padding_mask); here True = allowed."),
        Option("the score is multiplied by 0 after the softmax",
               feedback="Masking happens BEFORE the softmax (score -> -inf), so the allowed weights still sum "
                        "to 1."),
    ], explanation="Blocked positions get a score of -inf before the softmax, so their weight is exactly 0 and "
                   "the rest renormalise."),
    Predict("identical_keys", draw=identical_keys, rtol=RTOL, atol=1e-6),
]
