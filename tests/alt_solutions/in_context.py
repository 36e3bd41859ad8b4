"""A correct in_context module written differently from the reference: the prompt by string
concatenation, calibration in log space, the GD step as a kernel sum, the attention by einsum,
and weights scaled asymmetrically (w_q = 2 I, w_k = I / 2) with lr in the query side."""

import numpy as np


def build_few_shot_prompt(demos, query, k, template="Input: {input}\nOutput: {output}", separator="\n\n"):
    if type(k) is not int or k < 0 or k > len(demos):
        raise ValueError("k must be an int in [0, len(demos)]")
    if template.find("{input}") < 0 or template.find("{output}") < 0:
        raise ValueError("template needs {input} and {output}")
    prompt = ""
    for text, label in demos[:k]:
        prompt += template.replace("{input}", text).replace("{output}", label) + separator
    return prompt + template.replace("{input}", query).replace("{output}", "")


def contextual_calibration(p, p_cf):
    p, p_cf = np.array(p, dtype=float), np.array(p_cf, dtype=float)
    if p.ndim != 2 or p_cf.ndim != 1 or len(p_cf) != p.shape[1] or np.any(p_cf <= 0):
        raise ValueError("p must be (N, C) and p_cf (C,) with positive entries")
    with np.errstate(divide="ignore"):
        logits = np.log(p) - np.log(p_cf)
    logits = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


def gd_step_predictions(x_demo, y_demo, x_query, lr):
    x, y, xq = (np.array(a, dtype=float) for a in (x_demo, y_demo, x_query))
    if x.ndim != 2 or len(x) == 0 or y.shape != (len(x),) or xq.ndim != 2 or xq.shape[1] != x.shape[1]:
        raise ValueError("x_demo (N >= 1, d), y_demo (N,), x_query (M, d) do not fit")
    kernel = xq @ x.T  # (M, N) similarities x_q . x_i
    return lr * (kernel * y).mean(axis=1)


def linear_self_attention(demo_tokens, query_tokens, w_q, w_k, w_v):
    d, q = np.array(demo_tokens, dtype=float), np.array(query_tokens, dtype=float)
    w_q, w_k, w_v = (np.array(w, dtype=float) for w in (w_q, w_k, w_v))
    e = q.shape[-1] if q.ndim == 2 else -1
    if d.ndim != 2 or q.ndim != 2 or len(d) == 0 or d.shape[1] != e or any(w.shape != (e, e) for w in (w_q, w_k, w_v)):
        raise ValueError("shapes do not fit")
    scores = np.einsum("me,ne->mn", q @ w_q, d @ w_k)
    return q + np.einsum("mn,ne->me", scores, d @ w_v) / len(d)


def gd_attention_weights(d, lr):
    if type(d) is not int or d < 1:
        raise ValueError("d must be a positive int")
    w_q = np.zeros((d + 1, d + 1))
    w_k = np.zeros((d + 1, d + 1))
    w_v = np.zeros((d + 1, d + 1))
    for i in range(d):
        w_q[i, i] = 2.0 * lr
        w_k[i, i] = 0.5
    w_v[d, d] = 1.0
    return w_q, w_k, w_v
