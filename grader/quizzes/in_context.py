"""Quiz: few-shot prompts, contextual calibration, and in-context learning as one gradient step."""

from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Predict, Shape, Variant, distinct

RTOL = 1e-3


def gd_prediction(rng, ref):
    xs, ys = [1.0, -1.0], [1.0, 1.0]
    while sum(x * y for x, y in zip(xs, ys)) == 0:  # a zero step would make every wrong formula right
        xs = rng.sample([-2.0, -1.0, 1.0, 2.0, 3.0], 2)
        ys = [float(rng.choice([-2, -1, 1, 2, 3, 4])) for _ in range(2)]
    lr, x_q = rng.choice([0.1, 0.25, 0.5, 1.0]), float(rng.choice([1, 2, 3, -1]))
    answer = float(ref.gd_step_predictions([[x] for x in xs], ys, [[x_q]], lr)[0])
    raw = sum(x * y for x, y in zip(xs, ys))
    return Variant(
        prompt=f"In-context regression with two demonstrations (x, y) = ({xs[0]:g}, {ys[0]:g}) and ({xs[1]:g}, "
               f"{ys[1]:g}). One gradient step from w = 0 on L(w) = 1/(2N) sum (w x_i - y_i)^2 with lr = {lr}. "
               f"What does the updated model predict for x_q = {x_q:g}?",
        answer=answer,
        parameters=dict(x=xs, y=ys, lr=lr, x_query=x_q),
        misconceptions=distinct(answer, (
            Misconception("summed instead of averaged", lr * raw * x_q,
                          "The 1/(2N) makes the gradient an AVERAGE over the N demonstrations."),
            Misconception("a factor 2 in the gradient", 2 * answer, "The 1/2 in the loss cancels the 2 of the square."),
            Misconception("stepped up the gradient", -answer, "Gradient DEScent: w_1 = w_0 - lr * grad L(w_0)."),
        ), rtol=RTOL),
        explanation=f"grad L(0) = -(1/2) sum x_i y_i = {-raw / 2:g}; w_1 = {lr} * {raw / 2:g} = {lr * raw / 2:g}; "
                    f"prediction {lr * raw / 2:g} * {x_q:g} = {answer:g}.",
    )


def calibrated(rng, ref):
    p0, c0 = rng.choice([0.3, 0.4, 0.6, 0.7, 0.8]), rng.choice([0.2, 0.3, 0.6, 0.75, 0.9])
    answer = float(ref.contextual_calibration([[p0, 1 - p0]], [c0, 1 - c0])[0, 0])
    return Variant(
        prompt=f"A model gives P(positive) = {p0} for a review, but P(positive) = {c0} for the content-free input "
               f"'N/A' (two labels). After contextual calibration, what is P(positive)? Four significant digits.",
        answer=answer,
        parameters=dict(p=p0, p_cf=c0),
        misconceptions=distinct(answer, (
            Misconception("multiplied by p_cf", p0 * c0 / (p0 * c0 + (1 - p0) * (1 - c0)),
                          "Divide by p_cf: a label the model favours anyway is scaled DOWN."),
            Misconception("not renormalised", p0 / c0, "p / p_cf is only proportional to q: divide by the row sum."),
            Misconception("left uncalibrated", p0, "Divide by p_cf, then renormalise the two probabilities."),
        ), rtol=RTOL),
        explanation=f"p / p_cf = [{p0 / c0:.4f}, {(1 - p0) / (1 - c0):.4f}], normalised: {answer:.4f}.",
    )


def prompt_blocks(rng, ref):
    n = rng.choice([3, 4, 5, 6])
    k = rng.choice(range(0, n + 1))
    demos = [(f"w{i}", "yes" if i % 2 else "no") for i in range(n)]
    answer = ref.build_few_shot_prompt(demos, "w9", k).count("Output:")
    return Variant(
        prompt="What does this print?",
        code=(f"from in_context import build_few_shot_prompt\n"
              f"demos = [(f'w{{i}}', 'yes' if i % 2 else 'no') for i in range({n})]\n"
              f"print(build_few_shot_prompt(demos, 'w9', k={k}).count('Output:'))"),
        answer=answer,
        parameters=dict(n=n, k=k),
        misconceptions=distinct(answer, (
            Misconception("every demonstration shown", n + 1, f"Only the first k = {k} demonstrations go in."),
            Misconception("forgot the query block", k, "The query is a block too, with an empty output: k + 1."),
        )),
        explanation=f"{k} demonstration blocks and the query's block each have one 'Output:': {k} + 1 = {answer}.",
    )


def lsa_shape(rng, ref):
    import numpy as np

    n, m, d = rng.choice([4, 8, 16, 32]), rng.choice([1, 2, 5]), rng.choice([1, 2, 3, 5])
    weights = ref.gd_attention_weights(d, 0.1)
    answer = tuple(ref.linear_self_attention(np.zeros((n, d + 1)), np.zeros((m, d + 1)), *weights).shape)
    return Variant(
        prompt=f"{n} demonstrations (x_i in R^{d}, y_i a number) become tokens [x_i, y_i]; {m} queries become "
               f"[x_q, 0]. What is the shape of linear_self_attention(demo_tokens, query_tokens, w_q, w_k, w_v)?",
        answer=answer,
        parameters=dict(n=n, m=m, d=d),
        misconceptions=distinct(answer, (
            Misconception("one row per demonstration", (n, d + 1), "Only the queries are updated: one row each."),
            Misconception("forgot the y coordinate", (m, d), f"Tokens carry x and y: d + 1 = {d + 1} columns."),
            Misconception("the attention scores", (m, n), "The scores are (M, N); the output is the updated "
                                                          "queries."),
        )),
        explanation=f"The queries ({m}, {d + 1}) plus an update of the same shape: ({m}, {d + 1}).",
    )


QUESTIONS = [
    Choice("content_free", "In contextual calibration, what does the prediction p_cf on a content-free input such "
                           "as 'N/A' measure?", options=[
        Option("the model's bias towards labels that the prompt (format, demonstration order, recent labels) "
               "induces, whatever the input", correct=True),
        Option("the true label frequencies in the data", feedback="'N/A' carries no data at all: any preference "
                                                                  "it shows comes from the prompt and the model."),
        Option("the model's accuracy on the task", feedback="p_cf is a distribution over labels, not a score."),
        Option("the probability that the query is content-free", feedback="It is the label distribution the model "
                                                                          "gives to a content-free input."),
    ], explanation="Zhao et al. (2021): an unbiased model would say uniform for 'N/A'. Dividing by p_cf maps that "
                   "input to uniform and removes the same bias from every real input."),
    Numeric("gd_prediction", draw=gd_prediction, rtol=RTOL, points=2),
    Numeric("calibrated", draw=calibrated, rtol=RTOL),
    Predict("prompt_blocks", draw=prompt_blocks),
    Shape("lsa_shape", draw=lsa_shape),
    Multi("icl_facts", "Which statements about in-context learning as one gradient step are true?", options=[
        Option("one step from w = 0 predicts (lr / N) sum_i (x_q . x_i) y_i: similarity to each demonstration "
               "times its label", correct=True),
        Option("a linear self-attention layer computes it with query-key products x_q . x_i and values lr * y_i",
               correct=True),
        Option("the model's weights change while it reads the prompt",
               feedback="Nothing is trained: the attention layer's forward pass computes what a GD step would."),
        Option("it needs a softmax over the demonstrations",
               feedback="The construction uses LINEAR attention; a softmax would reweight the demonstrations."),
    ], explanation="von Oswald et al. (2023): with tokens [x, y], W_q = W_k projecting onto x and W_v carrying "
                   "lr * y, the attention update on the query token is the GD prediction."),
]
