"""Quiz: what an MLP computes, how many parameters it has, and why XOR needs a hidden nonlinearity."""

import numpy as np

from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Predict, Shape, Variant, distinct


def forward_value(rng, ref):
    """A 1-2-1 relu network on one input, with integer weights; the answer is negative so 'relu on the output' shows."""
    x = rng.choice([1, 2, 3])
    w1 = [rng.choice([1, 2, 3]), rng.choice([-3, -2, -1])]  # one unit on, one off for x > 0
    b1 = [rng.choice([-1, 0, 1]), rng.choice([0, 1])]
    w2 = [rng.choice([-3, -2]), rng.choice([1, 2])]
    b2 = rng.choice([-1, 0, 1])
    params = [(np.array([w1], dtype=float), np.array(b1, dtype=float)),
              (np.array([[w2[0]], [w2[1]]], dtype=float), np.array([b2], dtype=float))]
    answer = float(ref.mlp_forward([[x]], params, "relu")[0, 0])
    z = [w1[0] * x + b1[0], w1[1] * x + b1[1]]
    linear = float(w2[0] * z[0] + w2[1] * z[1] + b2)
    return Variant(
        prompt=f"A network with one input, two relu hidden units and a linear output has W1 = [[{w1[0]}, {w1[1]}]], "
               f"b1 = [{b1[0]}, {b1[1]}], W2 = [[{w2[0]}], [{w2[1]}]], b2 = [{b2}] (Z = A_prev @ W + b). What does "
               f"it output for x = {x}?",
        answer=answer,
        parameters=dict(x=x, W1=[w1], b1=b1, W2=[[w2[0]], [w2[1]]], b2=[b2]),
        misconceptions=distinct(answer, [
            Misconception("no relu in the hidden layer", linear,
                          f"The hidden pre-activations are {z}; relu sets the negative ones to 0 before W2."),
            Misconception("relu on the output too", max(answer, 0.0),
                          "The last layer is linear: its output may be negative."),
            Misconception("forgot the output bias", answer - b2, f"Add b2 = {b2} at the end."),
        ]),
        explanation=f"h = relu([{z[0]}, {z[1]}]) = [{max(z[0], 0)}, {max(z[1], 0)}]; "
                    f"y = {w2[0]} * {max(z[0], 0)} + {w2[1]} * {max(z[1], 0)} + {b2} = {answer:g}.",
    )


def param_count(rng, ref):
    widths = [rng.choice([2, 3, 4, 8, 10]), rng.choice([16, 32, 64]), rng.choice([5, 8, 16, 32]),
              rng.choice([1, 3, 10])]
    params = [(np.zeros((a, b)), np.zeros(b)) for a, b in zip(widths, widths[1:])]
    answer = int(sum(W.size + b.size for W, b in params))
    weights = sum(a * b for a, b in zip(widths, widths[1:]))
    return Variant(
        prompt=f"An MLP has layer widths {widths[0]} -> {widths[1]} -> {widths[2]} -> {widths[3]} (input, two hidden "
               f"layers, output), every layer with a bias. How many learnable parameters does it have?",
        answer=answer,
        parameters=dict(widths=widths),
        misconceptions=distinct(answer, [
            Misconception("forgot the biases", weights, f"Each layer also has one bias per output unit: "
                                                        f"{sum(widths[1:])} in all."),
            Misconception("a bias for the input too", answer + widths[0], "The input layer has no parameters; "
                                                                          "biases belong to the layers after it."),
            Misconception("added the widths", sum(widths), "A layer from a to b units has a * b weights: every "
                                                           "input connects to every output."),
        ]),
        explanation=" + ".join(f"{a}*{b} + {b}" for a, b in zip(widths, widths[1:])) + f" = {answer}.",
    )


def output_shape(rng, ref):
    n, d_in, hidden, d_out = rng.choice([8, 16, 32]), rng.choice([3, 5, 784]), rng.choice([64, 128]), \
        rng.choice([1, 2, 10])
    params = [(np.zeros((d_in, hidden)), np.zeros(hidden)), (np.zeros((hidden, d_out)), np.zeros(d_out))]
    answer = tuple(int(s) for s in ref.mlp_forward(np.zeros((n, d_in)), params).shape)
    return Variant(
        prompt=f"X has shape ({n}, {d_in}); W1 is ({d_in}, {hidden}), W2 is ({hidden}, {d_out}). What is the shape "
               f"of mlp_forward(X, [(W1, b1), (W2, b2)])?",
        answer=answer,
        parameters=dict(n=n, d_in=d_in, hidden=hidden, d_out=d_out),
        misconceptions=distinct(answer, [
            Misconception("the hidden layer's shape", (n, hidden), "That is A1; the second layer maps it to "
                                                                   f"{d_out} outputs."),
            Misconception("transposed", (d_out, n), "Rows stay examples: X @ W keeps the N rows."),
        ]),
        explanation=f"({n}, {d_in}) @ ({d_in}, {hidden}) -> ({n}, {hidden}) @ ({hidden}, {d_out}) -> {answer}.",
    )


def collapsed_bias(rng, ref):
    w1, b1, w2, b2 = rng.choice([2, 3, -2]), rng.choice([1, -1, 2]), rng.choice([3, 4, -3]), rng.choice([1, 5, -2])
    code = ("import numpy as np\nfrom mlp import collapse_linear\n"
            f"W, b = collapse_linear([(np.array([[{w1}.0]]), np.array([{b1}.0])),\n"
            f"                        (np.array([[{w2}.0]]), np.array([{b2}.0]))])\n"
            "print(float(W[0, 0]), float(b[0]))")
    W, b = ref.collapse_linear([(np.array([[float(w1)]]), np.array([float(b1)])),
                                (np.array([[float(w2)]]), np.array([float(b2)]))])
    answer = f"{float(W[0, 0])} {float(b[0])}"
    return Variant(
        prompt="What does this print (with a correct collapse_linear)?",
        code=code,
        answer=answer,
        parameters=dict(w1=w1, b1=b1, w2=w2, b2=b2),
        misconceptions=distinct(answer, [
            Misconception("added the biases", f"{float(w1 * w2)} {float(b1 + b2)}",
                          f"b1 goes through W2 too: (x * {w1} + {b1}) * {w2} + {b2}."),
        ]),
        explanation=f"(x * {w1} + {b1}) * {w2} + {b2} = {w1 * w2} x + {b1 * w2 + b2}.",
    )


QUESTIONS = [
    Numeric("forward_value", draw=forward_value, rtol=1e-9),
    Choice("why_xor_needs_hidden", "Why can no network without a hidden nonlinearity compute XOR?", options=[
        Option("without it the network is one affine map, whose decision boundary is a single straight line, and "
               "XOR's two classes are not linearly separable", correct=True),
        Option("XOR needs more than two inputs", feedback="XOR has exactly two inputs; the problem is the shape of "
                                                          "the classes, not their number."),
        Option("a linear network cannot output 0", feedback="It can: the problem is that it cannot output 0 at "
                                                            "(0, 0) and (1, 1) and 1 at the other two corners."),
        Option("the weights would have to be larger than 1", feedback="Any scale is allowed; no affine map fits "
                                                                      "XOR whatever its weights."),
    ], explanation="Stacked affine maps compose to one affine map. No straight line puts (0, 0) and (1, 1) on one "
                   "side and (0, 1) and (1, 0) on the other, so the network needs a bend: a hidden relu."),
    Numeric("param_count", draw=param_count, exact=True, points=2),
    Shape("output_shape", draw=output_shape),
    Choice("linear_layout", "torch's nn.Linear(d_in, d_out) stores its weight with shape:", options=[
        Option("(d_out, d_in), and computes x @ weight.T + bias", correct=True),
        Option("(d_in, d_out), and computes x @ weight + bias",
               feedback="That is this course's convention for W; nn.Linear stores the transpose."),
        Option("(d_out,)", feedback="That is the bias's shape."),
        Option("(d_in * d_out,), flattened", feedback="The weight is a matrix, one row per output unit."),
    ], explanation="nn.Linear's weight has one row per output unit: (d_out, d_in). To load a W of shape "
                   "(d_in, d_out) into it, copy W.T."),
    Predict("collapsed_bias", draw=collapsed_bias),
    Multi("what_collapses", "With which hidden activations is a deep MLP equivalent to a single affine layer?",
          options=[
              Option("the identity", correct=True),
              Option("relu", feedback="relu bends at 0: a relu network is piecewise linear, not affine."),
              Option("tanh", feedback="tanh is nonlinear everywhere."),
              Option("sigmoid", feedback="sigmoid is nonlinear; its output is squashed into (0, 1)."),
          ], explanation="Only a linear activation composes with the affine layers into one affine map: "
                         "X @ (W1 @ W2 ...) + (b1 @ W2 + b2 ...)."),
]
