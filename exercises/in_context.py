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
    # TODO: ValueError unless 0 <= k <= len(demos) (k an int, not a bool) and the template
    #       contains both {input} and {output}.
    raise NotImplementedError


def contextual_calibration(p, p_cf) -> np.ndarray:
    """(N, C) calibrated probabilities: each row of p (N, C) divided by p_cf (C,), then rescaled to sum to 1.

    Example: contextual_calibration([[0.6, 0.4]], [0.75, 0.25]) -> array([[0.33333333, 0.66666667]])
    """
    # TODO: ValueError unless p is 2-D, p_cf has shape (C,), and every entry of p_cf is > 0.
    raise NotImplementedError


def gd_step_predictions(x_demo, y_demo, x_query, lr: float) -> np.ndarray:
    """(M,) predictions x_query @ w_1 after one gradient step w_1 = 0 - lr * grad L(0), L as above.

    x_demo (N, d) and y_demo (N,) are the demonstrations, x_query (M, d) the queries.

    Example: gd_step_predictions([[1.0, 0.0], [0.0, 2.0]], [3.0, 1.0], [[1.0, 1.0]], 0.5) -> array([1.25])
    """
    # TODO: ValueError if N == 0 or the shapes do not fit. The gradient of L at w = 0 is
    #       -(1/N) sum_i y_i x_i.
    raise NotImplementedError


def linear_self_attention(demo_tokens, query_tokens, w_q, w_k, w_v) -> np.ndarray:
    """(M, E) queries + (1/N) ((queries @ w_q) @ (demos @ w_k).T) @ (demos @ w_v): linear attention, no softmax.

    demo_tokens (N, E), query_tokens (M, E), each w_* (E, E) applied as tokens @ w.

    Example: linear_self_attention([[1.0, 2.0]], [[1.0, 0.0]], I, I, I) with I = np.eye(2) -> array([[2., 2.]])
    """
    # TODO: ValueError if N == 0 or the shapes do not fit. The residual (+ queries) is part of it.
    raise NotImplementedError


def gd_attention_weights(d: int, lr: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(w_q, w_k, w_v), each (d + 1, d + 1), that make linear_self_attention compute one GD step.

    With demo tokens [x_i, y_i] and query tokens [x_q, 0], linear_self_attention(demos, queries,
    w_q, w_k, w_v) must return [x_q, prediction] for every query: the x part unchanged, and in the
    last column gd_step_predictions(x_demo, y_demo, x_query, lr). Any weights that do this are right.

    Example: gd_attention_weights(1, 0.5)
    -> (array([[1., 0.], [0., 0.]]), array([[1., 0.], [0., 0.]]), array([[0. , 0. ], [0. , 0.5]]))
    """
    # TODO: ValueError unless d is a positive int. Make the query-key product x_q . x_i and let the
    #       values carry lr * y_i into the last coordinate only.
    raise NotImplementedError
