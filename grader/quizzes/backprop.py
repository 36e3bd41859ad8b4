"""Quiz: backpropagation through a small MLP: the chain rule, gradient shapes, what the backward pass needs."""

import math

from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Order, Shape, Variant, distinct

RTOL = 1e-3


def _zeros(shape):
    import numpy as np

    return np.zeros(shape)


def weight_gradient_shape(rng, ref):
    n, d_in, d_hidden, d_out = rng.choice([8, 16, 32, 64]), rng.choice([2, 3, 5, 10]), rng.choice([4, 6, 12, 20]), \
        rng.choice([1, 2, 3])
    params = [(_zeros((d_in, d_hidden)), _zeros(d_hidden)), (_zeros((d_hidden, d_out)), _zeros(d_out))]
    grads = ref.mlp_backward(_zeros((n, d_in)), _zeros((n, d_out)), params)
    answer = tuple(grads[0][0].shape)
    return Variant(
        prompt=f"An MLP takes X of shape ({n}, {d_in}) through a hidden layer W1 of shape ({d_in}, {d_hidden}) "
               f"and then W2 of shape ({d_hidden}, {d_out}); Z = A_prev @ W + b. What is the shape of dL/dW1?",
        answer=answer,
        parameters=dict(n=n, d_in=d_in, d_hidden=d_hidden, d_out=d_out),
        misconceptions=distinct(answer, (
            Misconception("transposed (dZ.T @ A_prev)", (d_hidden, d_in),
                          "A gradient has the shape of its parameter: dW1 = X.T @ dZ1 is (d_in, d_hidden)."),
            Misconception("one gradient per example", (n, d_in, d_hidden),
                          "dW sums the per-example contributions over the batch: X.T @ dZ does that sum."),
            Misconception("the shape of dZ1", (n, d_hidden),
                          "dZ1 is (N, d_hidden); dW1 = X.T @ dZ1 contracts away the batch axis."),
        )),
        explanation=f"dW1 = X.T @ dZ1: ({d_in}, {n}) @ ({n}, {d_hidden}) = ({d_in}, {d_hidden}), the shape of W1.",
    )


def hidden_gradient_shape(rng, ref):
    n, d_in, d_hidden, d_out = rng.choice([8, 16, 32]), rng.choice([2, 3, 5]), rng.choice([4, 6, 12]), \
        rng.choice([1, 2, 3])
    # dL/dA1 has the shape of A1, the hidden layer's output: the reference computes that layer alone.
    hidden_only = [(_zeros((d_in, d_hidden)), _zeros(d_hidden))]
    answer = tuple(ref.mlp_forward(_zeros((n, d_in)), hidden_only).shape)
    return Variant(
        prompt=f"Same kind of MLP: X ({n}, {d_in}), W1 ({d_in}, {d_hidden}), W2 ({d_hidden}, {d_out}). "
               f"Backprop computes dL/dA1 = dZ2 @ W2.T for the hidden activations A1. What is its shape?",
        answer=answer,
        parameters=dict(n=n, d_in=d_in, d_hidden=d_hidden, d_out=d_out),
        misconceptions=distinct(answer, (
            Misconception("transposed", (d_hidden, n), "dZ2 is (N, d_out) and W2.T is (d_out, d_hidden): the "
                                                       "product is (N, d_hidden), like A1."),
            Misconception("the shape of W2", (d_hidden, d_out), "That is dW2's shape; the gradient with respect to "
                                                                "A1 has A1's shape."),
            Misconception("summed over the batch", (d_hidden,), "Only parameter gradients (dW, db) sum over the "
                                                               "batch; activations have one row per example."),
        )),
        explanation=f"({n}, {d_out}) @ ({d_out}, {d_hidden}) = ({n}, {d_hidden}): every gradient has the shape of "
                    f"what it is the gradient of.",
    )


def single_weight(rng, ref):
    import numpy as np

    x, w, b, y = rng.choice([1, 2, 3]), rng.choice([-1, 1, 2]), rng.choice([0, 1]), rng.choice([-2, 0, 5])
    while w * x + b == y:
        y += 1
    grads = ref.mlp_backward(np.array([[float(x)]]), np.array([[float(y)]]),
                             [(np.array([[float(w)]]), np.array([float(b)]))])
    answer = float(grads[0][0][0, 0])
    residual = w * x + b - y
    return Variant(
        prompt=f"A single linear unit y_hat = w x + b with w = {w}, b = {b}, one example x = {x}, target y = {y}, "
               f"and the loss L = (y_hat - y)**2. What is dL/dw?",
        answer=answer,
        parameters=dict(x=x, w=w, b=b, y=y),
        misconceptions=distinct(answer, (
            Misconception("forgot the factor 2", residual * x, "d/dy_hat (y_hat - y)**2 = 2 (y_hat - y)."),
            Misconception("forgot the chain rule's x", 2 * residual,
                          "dy_hat/dw = x: dL/dw = 2 (y_hat - y) * x. Without x that is dL/db."),
            Misconception("wrong sign (y - y_hat)", -2 * residual * x,
                          "Differentiate (y_hat - y)**2 with respect to y_hat: 2 (y_hat - y), positive when the "
                          "prediction is too high."),
        ), rtol=1e-9),
        explanation=f"y_hat = {w * x + b}; dL/dy_hat = 2 ({w * x + b} - {y}) = {2 * residual}; dy_hat/dw = x = {x}; "
                    f"dL/dw = {answer:g}.",
    )


def through_tanh(rng, ref):
    import numpy as np

    x, w1, w2, y = rng.choice([1.0, 0.5, 2.0]), rng.choice([0.5, 1.0, -0.5]), rng.choice([2.0, -1.0, 3.0]), 0.0
    params = [(np.array([[w1]]), np.array([0.0])), (np.array([[w2]]), np.array([0.0]))]
    answer = float(ref.mlp_backward(np.array([[x]]), np.array([[y]]), params)[0][0][0, 0])
    z = w1 * x
    y_hat = w2 * math.tanh(z)
    common = 2 * (y_hat - y) * w2 * x
    return Variant(
        prompt=f"y_hat = w2 * tanh(w1 * x) (no biases), x = {x}, w1 = {w1}, w2 = {w2}, target y = {y:g}, "
               f"L = (y_hat - y)**2. What is dL/dw1? Four significant digits.",
        answer=answer,
        parameters=dict(x=x, w1=w1, w2=w2, y=y),
        misconceptions=distinct(answer, (
            Misconception("tanh' taken as 1 - z**2", common * (1 - z * z),
                          "tanh'(z) = 1 - tanh(z)**2: square the activation's output, not its input."),
            Misconception("skipped the activation's derivative", common,
                          "Going back through A = tanh(Z) multiplies by tanh'(Z)."),
            Misconception("forgot w2 on the way back", 2 * (y_hat - y) * (1 - math.tanh(z) ** 2) * x,
                          "dy_hat/dA1 = w2: the gradient flows back through the second layer's weight."),
        ), rtol=RTOL),
        explanation=f"dL/dy_hat = 2 y_hat = {2 * y_hat:.4g}; times w2 = {w2}; times tanh'(w1 x) = 1 - tanh({z:g})**2 "
                    f"= {1 - math.tanh(z) ** 2:.4g}; times x = {x}: {answer:.4g}.",
    )


QUESTIONS = [
    Shape("weight_gradient_shape", draw=weight_gradient_shape),
    Numeric("single_weight", draw=single_weight, rtol=1e-9, atol=1e-12, points=2),
    Numeric("through_tanh", draw=through_tanh, rtol=RTOL, points=2),
    Shape("hidden_gradient_shape", draw=hidden_gradient_shape),
    Choice("bias_gradient", "Z = A_prev @ W + b adds the same b to each of the N rows. What is dL/db?", options=[
        Option("the sum of dZ over the rows (dZ.sum(axis=0))", correct=True),
        Option("the mean of dZ over the rows",
               feedback="The 1/N of a mean loss is already inside dZ; b is used N times, so its "
                        "contributions add up."),
        Option("dZ itself, one bias gradient per example",
               feedback="There is one b for all examples: its gradient has b's shape (d_out,)."),
        Option("A_prev.T @ dZ", feedback="That is dW: W multiplies A_prev, b multiplies a column of ones."),
    ], explanation="b enters every row, so by the chain rule its gradient is the sum of each row's dZ."),
    Order("backward_steps", "Put one backward pass of an MLP (Z = A_prev @ W + b, A = g(Z)) in order.", steps=[
        "run the forward pass, keeping every layer's input A_prev and pre-activation Z",
        "compute dL/dY_hat from the loss (for the mean squared error, 2 (Y_hat - Y) / Y.size)",
        "for the current layer: dW = A_prev.T @ dZ, db = dZ.sum(axis=0), and dA_prev = dZ @ W.T",
        "through the previous activation: dZ_prev = dA_prev * g'(Z_prev), then repeat one layer down",
    ], explanation="Forward with a cache, seed with the loss's derivative, then per layer: the parameter "
                   "gradients and the gradient for the layer below (in any order: all three need only dZ), "
                   "then back through g."),
    Multi("needed_from_forward", "Which values from the forward pass does the backward pass need?", options=[
        Option("each layer's input A_prev (for dW)", correct=True),
        Option("each hidden layer's pre-activation Z or activation A (for g')", correct=True),
        Option("the weights W (for dA_prev = dZ @ W.T)", correct=True),
        Option("the loss value itself",
               feedback="Only its derivative with respect to Y_hat is needed; the number L never enters."),
        Option("the gradients of the previous training step",
               feedback="Each step's gradient depends only on this step's forward pass (momentum is the "
                        "optimiser's business, not backprop's)."),
    ], explanation="dW needs A_prev, g' needs Z (or A), dA_prev needs W: that is why frameworks keep a cache."),
]
