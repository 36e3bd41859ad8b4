"""In-context learning: few-shot prompts, contextual calibration, and ICL as one gradient step.

GPT-3 learns a task from k worked demonstrations placed in its prompt, followed by the query
whose answer it must write. Its predictions are biased towards some labels whatever the input;
contextual calibration (Zhao et al. 2021) measures that bias as the label probabilities p_cf
for a content-free input such as "N/A", and divides it out: q is proportional to p / p_cf.
Why can a transformer learn in context at all? One linear self-attention layer with the right
weights computes exactly the predictions of one gradient-descent step of linear regression
on the demonstrations (von Oswald et al. 2023). With tokens e_i = [x_i, y_i] for the N
demonstrations and [x_q, 0] for each query:
    one GD step from w = 0 on L(w) = 1/(2N) sum_i (x_i . w - y_i)**2:  w_1 = (lr / N) sum_i y_i x_i
    linear self-attention:  out = queries + (1/N) ((queries @ w_q) @ (demos @ w_k).T) @ (demos @ w_v)
Everything is numpy; no language model is needed.
Forbidden (they skip the gradient step or the layer): least squares and solvers (np.linalg
lstsq, solve, inv, pinv; scipy.linalg; scikit-learn), torch's scaled_dot_product_attention and
MultiheadAttention.

Run `grade in_context` to check your work; stuck? `grade hint in_context`.
"""

import numpy as np


def build_few_shot_prompt(demos, query: str, k: int, template: str = "Input: {input}\nOutput: {output}",
                          separator: str = "\n\n") -> str:
    """The first k demos filled into template, in their order, then the query with an empty output, joined by separator.

    demos is a list of (input, label) pairs of strings; a block is template.format(input=..., output=...)
    and the query's block is template.format(input=query, output=""), always last. Nothing else is
    added (no separator at the end). Inputs and labels contain no braces; the template has no braces
    besides {input} and {output}.

    Example: build_few_shot_prompt([("2+2", "4"), ("3+5", "8")], "1+6", 1)
    -> 'Input: 2+2\nOutput: 4\n\nInput: 1+6\nOutput: '
    """
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)):
        raise ValueError(f"k must be an int, got {k!r}")
    if not 0 <= k <= len(demos):
        raise ValueError(f"k must be between 0 and len(demos) = {len(demos)}, got {k}")
    if "{input}" not in template or "{output}" not in template:
        raise ValueError(f"template must contain {{input}} and {{output}}, got {template!r}")
    blocks = [template.format(input=text, output=label) for text, label in list(demos)[:k]]
    # The query's output is left empty: the model writes it. Its label never enters the prompt.
    blocks.append(template.format(input=query, output=""))
    return separator.join(blocks)


def contextual_calibration(p, p_cf) -> np.ndarray:
    """(N, C) calibrated probabilities: each row of p (N, C) divided by p_cf (C,), then rescaled to sum to 1.

    Example: contextual_calibration([[0.6, 0.4]], [0.75, 0.25]) -> array([[0.33333333, 0.66666667]])
    """
    p, p_cf = np.asarray(p, dtype=np.float64), np.asarray(p_cf, dtype=np.float64)
    if p.ndim != 2:
        raise ValueError(f"p must be 2-D (N, C), got shape {p.shape}")
    if p_cf.shape != (p.shape[1],):
        raise ValueError(f"p_cf must have shape ({p.shape[1]},), got {p_cf.shape}")
    if not (p_cf > 0).all():
        raise ValueError("every entry of p_cf must be > 0")
    # W = diag(p_cf)^-1: a label the model favours for ANY input is scaled down by that favour.
    q = p / p_cf
    return q / q.sum(axis=1, keepdims=True)


def gd_step_predictions(x_demo, y_demo, x_query, lr: float) -> np.ndarray:
    """(M,) predictions x_query @ w_1 after one gradient step w_1 = 0 - lr * grad L(0), L as above.

    x_demo (N, d) and y_demo (N,) are the demonstrations, x_query (M, d) the queries.

    Example: gd_step_predictions([[1.0, 0.0], [0.0, 2.0]], [3.0, 1.0], [[1.0, 1.0]], 0.5) -> array([1.25])
    """
    x_demo, y_demo, x_query = _checked_regression(x_demo, y_demo, x_query)
    # grad L(w) = (1/N) X^T (X w - y); at w = 0 it is -(1/N) X^T y.
    w_1 = lr * x_demo.T @ y_demo / len(y_demo)  # (d,)
    return x_query @ w_1


def linear_self_attention(demo_tokens, query_tokens, w_q, w_k, w_v) -> np.ndarray:
    """(M, E) queries + (1/N) ((queries @ w_q) @ (demos @ w_k).T) @ (demos @ w_v): linear attention, no softmax.

    demo_tokens (N, E), query_tokens (M, E), each w_* (E, E) applied as tokens @ w.

    Example: linear_self_attention([[1.0, 2.0]], [[1.0, 0.0]], I, I, I) with I = np.eye(2) -> array([[2., 2.]])
    """
    demos, queries = np.asarray(demo_tokens, dtype=np.float64), np.asarray(query_tokens, dtype=np.float64)
    if demos.ndim != 2 or queries.ndim != 2 or demos.shape[0] == 0 or demos.shape[1] != queries.shape[1]:
        raise ValueError(f"demo_tokens (N >= 1, E) and query_tokens (M, E) do not fit: {demos.shape}, "
                         f"{queries.shape}")
    e = demos.shape[1]
    weights = [np.asarray(w, dtype=np.float64) for w in (w_q, w_k, w_v)]
    if any(w.shape != (e, e) for w in weights):
        raise ValueError(f"w_q, w_k and w_v must be ({e}, {e}), got {[w.shape for w in weights]}")
    w_q, w_k, w_v = weights
    scores = (queries @ w_q) @ (demos @ w_k).T  # (M, N), no softmax: linear attention
    return queries + scores @ (demos @ w_v) / len(demos)


def gd_attention_weights(d: int, lr: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(w_q, w_k, w_v), each (d + 1, d + 1), that make linear_self_attention compute one GD step.

    With demo tokens [x_i, y_i] and query tokens [x_q, 0], linear_self_attention(demos, queries,
    w_q, w_k, w_v) must return [x_q, prediction] for every query: the x part unchanged, and in the
    last column gd_step_predictions(x_demo, y_demo, x_query, lr). Any weights that do this are right.

    Example: gd_attention_weights(1, 0.5)
    -> (array([[1., 0.], [0., 0.]]), array([[1., 0.], [0., 0.]]), array([[0. , 0. ], [0. , 0.5]]))
    """
    if isinstance(d, (bool, np.bool_)) or not isinstance(d, (int, np.integer)) or d < 1:
        raise ValueError(f"d must be a positive int, got {d!r}")
    # Queries and keys keep the x part only, so a score is x_q . x_i; the values keep lr * y_i
    # in the last coordinate, so the query's last entry becomes (lr/N) sum_i (x_q . x_i) y_i = x_q . w_1.
    w_q = np.zeros((d + 1, d + 1))
    w_q[:d, :d] = np.eye(d)
    w_v = np.zeros((d + 1, d + 1))
    w_v[d, d] = lr
    return w_q, w_q.copy(), w_v


def _checked_regression(x_demo, y_demo, x_query):
    x_demo, y_demo, x_query = (np.asarray(a, dtype=np.float64) for a in (x_demo, y_demo, x_query))
    if x_demo.ndim != 2 or x_demo.shape[0] == 0:
        raise ValueError(f"x_demo must be (N, d) with N >= 1, got shape {x_demo.shape}")
    if y_demo.shape != (x_demo.shape[0],):
        raise ValueError(f"y_demo must have shape ({x_demo.shape[0]},), got {y_demo.shape}")
    if x_query.ndim != 2 or x_query.shape[1] != x_demo.shape[1]:
        raise ValueError(f"x_query must be (M, {x_demo.shape[1]}), got {x_query.shape}")
    return x_demo, y_demo, x_query
