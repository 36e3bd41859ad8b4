"""Checks for few-shot prompts, contextual calibration, and in-context learning as one GD step (CATALOG D4)."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging.checks import Failure, Spec
from grader.judging.expect import (array_contract, as_array, expect_close, expect_unchanged, expect_value_error,
                                   tuple_contract)

PROMPT, CALIBRATE, GD, LSA, WEIGHTS = ("build_few_shot_prompt", "contextual_calibration", "gd_step_predictions",
                                       "linear_self_attention", "gd_attention_weights")

SPEC = Spec(
    "in_context",
    functions=(PROMPT, CALIBRATE, GD, LSA, WEIGHTS),
    # Least squares or a library regression would skip the gradient step; attention layers the LSA.
    forbidden=("numpy.linalg.lstsq", "numpy.linalg.solve", "numpy.linalg.inv", "numpy.linalg.pinv",
               "scipy.linalg", "sklearn", "torch.nn.functional.scaled_dot_product_attention",
               "torch.nn.MultiheadAttention"),
    forbidden_methods=("lstsq", "scaled_dot_product_attention"),
)
ref = SPEC.reference

TEMPLATES = ["Input: {input}\nOutput: {output}", "Q: {input}\nA: {output}", "{input} => {output}",
             "Review: {input}\nSentiment: {output}"]
SEPARATORS = ["\n\n", "\n", " | ", "###"]
WORDS = st.text(alphabet="abcdefgh xyz0123456789+-", min_size=0, max_size=8)
VALUES = st.floats(-3, 3, allow_nan=False, allow_infinity=False)
RATES = st.one_of(st.just(0.1), st.floats(0.0, 2.0))
PROBABILITY_ROWS = st.floats(1e-3, 1.0)


@st.composite
def prompt_inputs(draw, max_demos=6):
    """Demos with unique, numbered inputs and labels (so a block can be found in the prompt)."""
    n = draw(st.integers(0, max_demos))
    demos = [(f"in{i} {draw(WORDS)}", f"out{i}{draw(WORDS)}") for i in range(n)]
    return {"demos": demos, "query": f"query {draw(WORDS)}", "k": draw(st.integers(0, n)),
            "template": draw(st.sampled_from(TEMPLATES)), "separator": draw(st.sampled_from(SEPARATORS))}


@st.composite
def calibration_inputs(draw, cf_elements=st.floats(0.01, 1.0)):
    n, c = draw(st.integers(1, 4)), draw(st.integers(2, 5))
    p = draw(nps.arrays(np.float64, (n, c), elements=PROBABILITY_ROWS))
    p_cf = draw(nps.arrays(np.float64, c, elements=cf_elements))
    return {"p": p / p.sum(axis=1, keepdims=True), "p_cf": p_cf / p_cf.sum()}


@st.composite
def regression_inputs(draw, max_n=6):
    n, m, d = draw(st.integers(1, max_n)), draw(st.integers(1, 4)), draw(st.integers(1, 4))
    return {"x_demo": draw(nps.arrays(np.float64, (n, d), elements=VALUES)),
            "y_demo": draw(nps.arrays(np.float64, n, elements=VALUES)),
            "x_query": draw(nps.arrays(np.float64, (m, d), elements=VALUES)), "lr": draw(RATES)}


@st.composite
def lsa_inputs(draw):
    n, m, e = draw(st.integers(1, 5)), draw(st.integers(1, 4)), draw(st.integers(1, 4))
    args = {"demo_tokens": draw(nps.arrays(np.float64, (n, e), elements=VALUES)),
            "query_tokens": draw(nps.arrays(np.float64, (m, e), elements=VALUES))}
    for name in ("w_q", "w_k", "w_v"):
        args[name] = draw(nps.arrays(np.float64, (e, e), elements=st.floats(-1, 1)))
    return args


PROMPTS = prompt_inputs()
CALIBRATIONS = calibration_inputs()
REGRESSIONS = regression_inputs()
LSAS = lsa_inputs()
WEIGHT_ARGS = st.fixed_dictionaries({"d": st.integers(1, 4), "lr": RATES})

DEMOS = [("great film", "positive"), ("dull plot", "negative"), ("loved it", "positive"), ("too long", "negative")]
PROMPT_EXAMPLES = [dict(demos=[("2+2", "4"), ("3+5", "8")], query="1+6", k=1,
                        template="Input: {input}\nOutput: {output}", separator="\n\n"),
                   dict(demos=DEMOS, query="fine acting", k=3, template="Review: {input}\nSentiment: {output}",
                        separator="\n\n"),
                   dict(demos=DEMOS, query="meh", k=4, template="{input} => {output}", separator="\n")]
CALIBRATION_EXAMPLES = [dict(p=np.array([[0.6, 0.4]]), p_cf=np.array([0.75, 0.25])),
                        dict(p=np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]]), p_cf=np.array([0.2, 0.5, 0.3]))]
REGRESSION_EXAMPLES = [dict(x_demo=np.array([[1.0, 0.0], [0.0, 2.0]]), y_demo=np.array([3.0, 1.0]),
                            x_query=np.array([[1.0, 1.0]]), lr=0.5),
                       dict(x_demo=np.array([[1.0, -1.0, 0.5], [2.0, 0.0, 1.0], [0.5, 1.5, -1.0]]),
                            y_demo=np.array([1.0, -2.0, 0.5]), x_query=np.array([[1.0, 2.0, 3.0], [0.0, 1.0, -1.0]]),
                            lr=0.3)]
LSA_EXAMPLES = [dict(demo_tokens=np.array([[1.0, 2.0], [0.5, -1.0]]), query_tokens=np.array([[1.0, 0.0]]),
                     w_q=np.array([[1.0, 0.5], [0.0, 1.0]]), w_k=np.array([[0.5, 0.0], [1.0, -1.0]]),
                     w_v=np.array([[0.0, 1.0], [2.0, 0.5]]))]
WEIGHT_EXAMPLES = [dict(d=1, lr=0.5), dict(d=3, lr=0.1)]


# ---------------------------------------------------------------- helpers

def expect_text(got, want, what):
    if not isinstance(got, str):
        raise Failure(f"{what} is {type(got).__name__}; expected a str", expected=want, got=got)
    if got != want:
        at = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
        raise Failure(f"{what} differs from the expected prompt at character {at}: got {got[at:at + 20]!r}..., "
                      f"expected {want[at:at + 20]!r}...", expected=want, got=got)


def regression_tolerance(x_demo, y_demo, x_query, lr, **_):
    d = np.shape(x_demo)[1]
    scale = abs(lr) * d * np.abs(x_demo).max() * np.abs(x_query).max() * np.abs(y_demo).max()
    return 1e-12 * (1.0 + scale)


def lsa_tolerance(demo_tokens, query_tokens, w_q, w_k, w_v, **_):
    e = np.shape(demo_tokens)[1]

    def bound(x, w):
        return e * np.abs(x).max() * np.abs(w).max()

    return 1e-12 * (1.0 + e * bound(query_tokens, w_q) * bound(demo_tokens, w_k) * bound(demo_tokens, w_v)
                    + np.abs(query_tokens).max())


def predictions(learner, args, what="the predictions"):
    return as_array(learner.gd_step_predictions(**args), shape=(np.shape(args["x_query"])[0],), what=what)


def attended(learner, args, what="the output"):
    return as_array(learner.linear_self_attention(**args), shape=np.shape(args["query_tokens"]), what=what)


def learner_weights(learner, d, lr):
    items = tuple_contract(learner.gd_attention_weights(d=d, lr=lr), 3)
    return [as_array(w, shape=(d + 1, d + 1), what=f"{name} ({i} item)")
            for i, (w, name) in enumerate(zip(items, ("w_q", "w_k", "w_v")))]


@st.composite
def weights_and_data(draw):
    data = draw(REGRESSIONS)
    return {"d": data["x_demo"].shape[1], **data}


def tokens(x_demo, y_demo, x_query):
    return np.column_stack([x_demo, y_demo]), np.column_stack([x_query, np.zeros(len(x_query))])


# ---------------------------------------------------------------- contract

@SPEC.check(PROMPT, tier="contract", points=1, title="build_few_shot_prompt returns a str", given=PROMPTS,
            examples=PROMPT_EXAMPLES[:1])
def prompt_returns_str(learner, **args):
    value = learner.build_few_shot_prompt(**args)
    if not isinstance(value, str):
        raise Failure(f"the prompt is {type(value).__name__}; expected a str", got=value)


@SPEC.check(PROMPT, tier="contract", points=1,
            title="build_few_shot_prompt raises ValueError for k outside [0, len(demos)], a bool k, or a template "
                  "without {input} or {output}",
            examples=[{**PROMPT_EXAMPLES[0], "k": 3, "why": "k = 3 with 2 demos"},
                      {**PROMPT_EXAMPLES[0], "k": -1, "why": "k = -1"},
                      {**PROMPT_EXAMPLES[0], "k": True, "why": "k = True (a bool is not an int)"},
                      {**PROMPT_EXAMPLES[0], "template": "Input: {input}", "why": "a template without {output}"},
                      {**PROMPT_EXAMPLES[0], "template": "Output: {output}", "why": "a template without {input}"}])
def prompt_rejects_bad_arguments(learner, why, **args):
    expect_value_error(learner.outcome(PROMPT, **args), bad=why)


@SPEC.check(CALIBRATE, tier="contract", points=1,
            title="contextual_calibration returns a float64 (N, C) array and leaves p unchanged; ValueError for a "
                  "p_cf entry <= 0 or of the wrong shape",
            given=CALIBRATIONS, examples=CALIBRATION_EXAMPLES)
def calibration_contract(learner, p, p_cf):
    value, after = learner.value_and_arguments_after(CALIBRATE, p=p, p_cf=p_cf)
    array_contract(value, shape=p.shape)
    expect_unchanged({"p": p, "p_cf": p_cf}, after, function=CALIBRATE)
    for bad, why in ((np.where(np.arange(len(p_cf)) == 0, 0.0, p_cf), "p_cf with a 0 entry"),
                     (-p_cf, "a negative p_cf"), (np.append(p_cf, 0.5), f"p_cf of length {len(p_cf) + 1}")):
        expect_value_error(learner.outcome(CALIBRATE, p=p, p_cf=bad), bad=why)


@SPEC.check(GD, tier="contract", points=1,
            title="gd_step_predictions returns a float64 (M,) array; ValueError for no demonstrations or "
                  "mismatched shapes",
            given=REGRESSIONS, examples=REGRESSION_EXAMPLES)
def gd_contract(learner, **args):
    array_contract(learner.gd_step_predictions(**args), shape=(args["x_query"].shape[0],))
    d = args["x_demo"].shape[1]
    for bad, why in (({"x_demo": np.zeros((0, d)), "y_demo": np.zeros(0)}, "no demonstrations (N = 0)"),
                     ({"y_demo": np.append(args["y_demo"], 1.0)}, "one more y than x"),
                     ({"x_query": np.ones((1, d + 1))}, f"queries with {d + 1} features for d = {d}")):
        expect_value_error(learner.outcome(GD, **{**args, **bad}), bad=why)


@SPEC.check(LSA, tier="contract", points=1,
            title="linear_self_attention returns a float64 (M, E) array and leaves its inputs unchanged",
            given=LSAS, examples=LSA_EXAMPLES)
def lsa_contract(learner, **args):
    value, after = learner.value_and_arguments_after(LSA, **args)
    array_contract(value, shape=args["query_tokens"].shape)
    expect_unchanged(args, after, function=LSA)
    expect_value_error(learner.outcome(LSA, **{**args, "w_v": np.ones((args["w_v"].shape[0] + 1,) * 2)}),
                       bad="w_v one row and column too large")


@SPEC.check(WEIGHTS, tier="contract", points=1,
            title="gd_attention_weights returns three float64 (d + 1, d + 1) arrays; ValueError for d < 1",
            given=WEIGHT_ARGS, examples=WEIGHT_EXAMPLES)
def weights_contract(learner, d, lr):
    for i, w in enumerate(tuple_contract(learner.gd_attention_weights(d=d, lr=lr), 3)):
        array_contract(w, shape=(d + 1, d + 1), what=f"{('w_q', 'w_k', 'w_v')[i]} (item {i})")
    for bad in (0, -2, True):
        expect_value_error(learner.outcome(WEIGHTS, d=bad, lr=lr), bad=f"d = {bad!r}")


# ---------------------------------------------------------------- properties

@SPEC.check(PROMPT, tier="properties", points=2,
            title="the prompt holds the first k demonstrations in order, none after them, and ends with the query",
            given=PROMPTS, examples=PROMPT_EXAMPLES[1:])
def prompt_lists_first_k_then_query(learner, demos, query, k, template, separator):
    prompt = learner.build_few_shot_prompt(demos=demos, query=query, k=k, template=template, separator=separator)
    if not isinstance(prompt, str):
        raise Failure("the prompt is not a str", got=prompt)
    query_block = template.format(input=query, output="")
    if not prompt.endswith(query_block):
        raise Failure(f"the prompt does not end with the query block {query_block!r} (the query comes last, with "
                      f"an empty output)", expected=query_block, got=prompt)
    position = -1
    for i, (text, label) in enumerate(demos):
        block = template.format(input=text, output=label)
        found = prompt.find(block, position + 1)
        if i < k and found < 0:
            raise Failure(f"demonstration {i} ({block!r}) is missing or out of order", expected=block, got=prompt)
        if i >= k and block in prompt:
            raise Failure(f"demonstration {i} appears although k = {k}: only the first k may be shown",
                          expected=f"no {block!r}", got=prompt)
        position = found if i < k else position
    if k == 0 and prompt != query_block:
        raise Failure("with k = 0 the prompt is the query block alone", expected=query_block, got=prompt)


@SPEC.check(CALIBRATE, tier="properties", points=2,
            title="each calibrated row is a distribution, and calibrating p_cf itself gives the uniform distribution",
            given=CALIBRATIONS, examples=CALIBRATION_EXAMPLES)
def calibration_of_p_cf_is_uniform(learner, p, p_cf):
    q = as_array(learner.contextual_calibration(p=p, p_cf=p_cf), shape=p.shape)
    expect_close(np.minimum(q, 0), np.zeros_like(q), rtol=0, atol=1e-15, what="a negative calibrated probability")
    expect_close(q.sum(axis=1), np.ones(len(q)), rtol=0, atol=1e-12, what="a row sum of the calibrated probabilities")
    uniform = as_array(learner.contextual_calibration(p=p_cf[None, :], p_cf=p_cf), shape=(1, len(p_cf)),
                       what="contextual_calibration(p_cf[None, :], p_cf)")
    expect_close(uniform, np.full((1, len(p_cf)), 1 / len(p_cf)), rtol=1e-9, atol=1e-12,
                 what="the calibrated content-free prediction")


@SPEC.check(CALIBRATE, tier="properties", points=1, title="scaling p_cf by a positive constant changes nothing",
            given=st.tuples(CALIBRATIONS, st.floats(0.1, 10.0)).map(lambda t: {**t[0], "c": t[1]}),
            examples=[{**CALIBRATION_EXAMPLES[1], "c": 4.0}])
def calibration_ignores_scale_of_p_cf(learner, p, p_cf, c):
    q = as_array(learner.contextual_calibration(p=p, p_cf=p_cf), shape=p.shape)
    scaled = as_array(learner.contextual_calibration(p=p, p_cf=c * p_cf), shape=p.shape)
    expect_close(scaled, q, rtol=1e-9, atol=1e-12, what=f"the calibration with p_cf * {c!r}")


@SPEC.check(GD, tier="properties", points=2,
            title="the predictions are linear in lr and in y (lr = 0 predicts 0)",
            given=st.tuples(REGRESSIONS, st.floats(-3, 3)).map(lambda t: {**t[0], "a": t[1]}),
            examples=[{**REGRESSION_EXAMPLES[1], "a": 2.0}])
def gd_is_linear(learner, a, **args):
    base = predictions(learner, args)
    atol = regression_tolerance(**args) * (1 + abs(a))
    expect_close(predictions(learner, {**args, "lr": 0.0}), np.zeros_like(base), rtol=0, atol=1e-15,
                 what="the predictions for lr = 0")
    expect_close(predictions(learner, {**args, "y_demo": a * args["y_demo"]}), a * base, rtol=1e-9, atol=atol,
                 what=f"the predictions for y * {a!r}")
    expect_close(predictions(learner, {**args, "lr": a * args["lr"]}), a * base, rtol=1e-9, atol=atol,
                 what=f"the predictions for lr * {a!r}")


@SPEC.check(LSA, tier="properties", points=2,
            title="listing every demonstration twice changes nothing (the update averages over demonstrations)",
            given=LSAS, examples=LSA_EXAMPLES)
def lsa_averages_over_demos(learner, **args):
    out = attended(learner, args)
    twice = attended(learner, {**args, "demo_tokens": np.vstack([args["demo_tokens"], args["demo_tokens"]])},
                     "the output with every demonstration twice")
    expect_close(twice, out, rtol=1e-9, atol=lsa_tolerance(**args), what="the output with every demonstration twice")


@SPEC.check(LSA, tier="properties", points=1, title="with w_v = 0 the queries come back unchanged (the residual)",
            given=LSAS, examples=LSA_EXAMPLES)
def lsa_zero_values_is_identity(learner, **args):
    out = attended(learner, {**args, "w_v": np.zeros_like(args["w_v"])})
    expect_close(out, args["query_tokens"], rtol=0, atol=1e-15, what="the output with w_v = 0")


@SPEC.check(WEIGHTS, tier="properties", points=3,
            title="your linear_self_attention with your gd_attention_weights reproduces your gd_step_predictions",
            given=weights_and_data(), examples=[{**REGRESSION_EXAMPLES[0], "d": 2}, {**REGRESSION_EXAMPLES[1], "d": 3}])
def weights_make_attention_agree_with_gd(learner, d, x_demo, y_demo, x_query, lr):
    w_q, w_k, w_v = learner_weights(learner, d, lr)
    gd = predictions(learner, dict(x_demo=x_demo, y_demo=y_demo, x_query=x_query, lr=lr))
    demos, queries = tokens(x_demo, y_demo, x_query)
    out = attended(learner, dict(demo_tokens=demos, query_tokens=queries, w_q=w_q, w_k=w_k, w_v=w_v))
    atol = lsa_tolerance(demos, queries, w_q, w_k, w_v) + regression_tolerance(x_demo, y_demo, x_query, lr)
    expect_close(out[:, -1], gd, rtol=1e-9, atol=atol,
                 what="the last column of the attention output (compared with your gd_step_predictions)")
    expect_close(out[:, :-1], x_query, rtol=1e-9, atol=atol, what="the x part of the attention output")


# ---------------------------------------------------------------- reference

@SPEC.check(PROMPT, tier="reference", points=2, title="build_few_shot_prompt matches the reference exactly",
            given=PROMPTS, examples=PROMPT_EXAMPLES)
def prompt_matches_reference(learner, **args):
    expect_text(learner.build_few_shot_prompt(**args), ref.build_few_shot_prompt(**args), "the prompt")


@SPEC.check(CALIBRATE, tier="reference", points=2, title="contextual_calibration matches the reference",
            given=CALIBRATIONS, examples=CALIBRATION_EXAMPLES)
def calibration_matches_reference(learner, p, p_cf):
    got = as_array(learner.contextual_calibration(p=p, p_cf=p_cf), shape=p.shape)
    expect_close(got, ref.contextual_calibration(p, p_cf), rtol=1e-9, atol=1e-14)


@SPEC.check(GD, tier="reference", points=2, title="gd_step_predictions matches the reference", given=REGRESSIONS,
            examples=REGRESSION_EXAMPLES)
def gd_matches_reference(learner, **args):
    expect_close(predictions(learner, args), ref.gd_step_predictions(**args), rtol=1e-9,
                 atol=regression_tolerance(**args))


@SPEC.check(LSA, tier="reference", points=2, title="linear_self_attention matches the reference", given=LSAS,
            examples=LSA_EXAMPLES)
def lsa_matches_reference(learner, **args):
    expect_close(attended(learner, args), ref.linear_self_attention(**args), rtol=1e-9, atol=lsa_tolerance(**args))


@SPEC.check(WEIGHTS, tier="reference", points=2,
            title="with your gd_attention_weights, the reference attention layer computes the reference GD step",
            given=weights_and_data(), examples=[{**REGRESSION_EXAMPLES[0], "d": 2}, {**REGRESSION_EXAMPLES[1], "d": 3}])
def weights_match_reference_gd(learner, d, x_demo, y_demo, x_query, lr):
    w_q, w_k, w_v = learner_weights(learner, d, lr)
    demos, queries = tokens(x_demo, y_demo, x_query)
    out = ref.linear_self_attention(demos, queries, w_q, w_k, w_v)
    want = np.column_stack([x_query, ref.gd_step_predictions(x_demo, y_demo, x_query, lr)])
    atol = lsa_tolerance(demos, queries, w_q, w_k, w_v) + regression_tolerance(x_demo, y_demo, x_query, lr)
    expect_close(out, want, rtol=1e-9, atol=atol, what="the reference attention output [x_query, prediction]")


# ---------------------------------------------------------------- stability

@SPEC.check(GD, tier="stability", points=1, title="gd_step_predictions matches the reference for 2000 demonstrations",
            given=regression_inputs(max_n=1).map(
                lambda a: {**a, "x_demo": np.tile(a["x_demo"], (2000, 1)) * np.linspace(-1, 1, 2000)[:, None],
                           "y_demo": np.tile(a["y_demo"], 2000) * np.linspace(1, 2, 2000)}),
            max_examples=3)
def gd_handles_many_demos(learner, **args):
    expect_close(predictions(learner, args), ref.gd_step_predictions(**args), rtol=1e-9,
                 atol=regression_tolerance(**args))


@SPEC.check(CALIBRATE, tier="stability", points=1,
            title="contextual_calibration stays exact for p_cf entries down to 1e-300",
            given=calibration_inputs(cf_elements=st.sampled_from([1e-300, 1e-150, 1e-20, 0.5])),
            examples=[dict(p=np.array([[0.5, 0.5], [1e-300, 1.0]]), p_cf=np.array([1e-300, 1.0]))])
def calibration_handles_tiny_p_cf(learner, p, p_cf):
    with learner.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
        got = as_array(learner.contextual_calibration(p=p, p_cf=p_cf), shape=p.shape)
    expect_close(got, ref.contextual_calibration(p, p_cf), rtol=1e-9, atol=1e-14)


@SPEC.check(PROMPT, tier="stability", points=1, title="build_few_shot_prompt handles 300 demonstrations",
            examples=[dict(demos=[(f"item {i}", f"label {i % 7}") for i in range(300)], query="item 300", k=k,
                           template="Input: {input}\nOutput: {output}", separator="\n\n") for k in (300, 150)])
def prompt_handles_many_demos(learner, **args):
    expect_text(learner.build_few_shot_prompt(**args), ref.build_few_shot_prompt(**args), "the prompt")


# ---------------------------------------------------------------- known mistakes
# Written as if they lived in solutions/in_context.py (its helpers and numpy are in scope).

@SPEC.mistake_helper
def _prompt_with(demos, query, k, template, separator, *, last=False, reverse=False, trailing=False, strip=False):
    """build_few_shot_prompt with one switch per known mistake (defaults: the right prompt)."""
    if isinstance(k, bool) or not 0 <= k <= len(demos) or "{input}" not in template or "{output}" not in template:
        raise ValueError("bad arguments")
    chosen = list(demos)[len(demos) - k:] if last else list(demos)[:k]
    if reverse:
        chosen = chosen[::-1]
    query_block = template.format(input=query, output="")
    blocks = [template.format(input=x, output=y) for x, y in chosen] + [query_block.rstrip() if strip else query_block]
    return separator.join(blocks) + (separator if trailing else "")


@SPEC.mistake(PROMPT, "takes the last k demonstrations instead of the first k",
              hint="Use demos[:k], the first k, in their order.")
def prompt_last_k(demos, query, k, template="Input: {input}\nOutput: {output}", separator="\n\n"):
    return _prompt_with(demos, query, k, template, separator, last=True)


@SPEC.mistake(PROMPT, "lists the demonstrations in reverse order",
              hint="Keep the demonstrations in the order given; order matters to a language model.")
def prompt_reversed(demos, query, k, template="Input: {input}\nOutput: {output}", separator="\n\n"):
    return _prompt_with(demos, query, k, template, separator, reverse=True)


@SPEC.mistake(PROMPT, "adds a separator after the query",
              hint="separator goes BETWEEN blocks: separator.join(blocks), nothing after the query block.")
def prompt_trailing_separator(demos, query, k, template="Input: {input}\nOutput: {output}", separator="\n\n"):
    return _prompt_with(demos, query, k, template, separator, trailing=True)


@SPEC.mistake(PROMPT, "strips the query block, losing the text after its empty output",
              hint="The query block is exactly template.format(input=query, output=\"\"), trailing space included: "
                   "the model continues right after it.")
def prompt_query_stripped(demos, query, k, template="Input: {input}\nOutput: {output}", separator="\n\n"):
    return _prompt_with(demos, query, k, template, separator, strip=True)


@SPEC.mistake_helper
def _calibrate_with(p, p_cf, *, multiply=False, renormalise=True, axis=1):
    p, p_cf = np.asarray(p, dtype=np.float64), np.asarray(p_cf, dtype=np.float64)
    if p.ndim != 2 or p_cf.shape != (p.shape[1],) or not (p_cf > 0).all():
        raise ValueError("bad input")
    q = p * p_cf if multiply else p / p_cf
    return q / q.sum(axis=axis, keepdims=True) if renormalise else q


@SPEC.mistake(CALIBRATE, "multiplies by p_cf instead of dividing",
              hint="A label the model favours on a content-free input must be scaled DOWN: q is proportional "
                   "to p / p_cf.")
def calibration_multiplied(p, p_cf):
    return _calibrate_with(p, p_cf, multiply=True)


@SPEC.mistake(CALIBRATE, "divides by p_cf but does not renormalise the rows",
              hint="p / p_cf is only proportional to q: divide each row by its sum.")
def calibration_not_renormalised(p, p_cf):
    return _calibrate_with(p, p_cf, renormalise=False)


@SPEC.mistake(CALIBRATE, "renormalises the columns instead of the rows",
              hint="Each row (one input) is a distribution over the C labels: sum over axis 1.")
def calibration_columns(p, p_cf):
    return _calibrate_with(p, p_cf, axis=0)


@SPEC.mistake_helper
def _gd_with(x_demo, y_demo, x_query, lr, *, mean=True, factor=1.0):
    x_demo, y_demo, x_query = _checked_regression(x_demo, y_demo, x_query)
    w_1 = factor * lr * x_demo.T @ y_demo / (len(y_demo) if mean else 1)
    return x_query @ w_1


@SPEC.mistake(GD, "sums the gradient over the demonstrations instead of averaging it",
              hint="L has a 1/(2N) in front, so its gradient is -(1/N) sum_i y_i x_i at w = 0.")
def gd_summed(x_demo, y_demo, x_query, lr):
    return _gd_with(x_demo, y_demo, x_query, lr, mean=False)


@SPEC.mistake(GD, "a factor 2 in the gradient (the loss without its 1/2)",
              hint="L(w) = 1/(2N) sum (x_i . w - y_i)^2: the 1/2 cancels the 2 of the square, so grad L(0) = "
                   "-(1/N) sum_i y_i x_i.")
def gd_factor_two(x_demo, y_demo, x_query, lr):
    return _gd_with(x_demo, y_demo, x_query, lr, factor=2.0)


@SPEC.mistake(GD, "steps up the gradient instead of down",
              hint="w_1 = w_0 - lr * grad L(w_0); with grad L(0) = -(1/N) sum y_i x_i, w_1 = +(lr/N) sum y_i x_i.")
def gd_wrong_sign(x_demo, y_demo, x_query, lr):
    return _gd_with(x_demo, y_demo, x_query, lr, factor=-1.0)


@SPEC.mistake_helper
def _lsa_with(demo_tokens, query_tokens, w_q, w_k, w_v, *, mean=True, residual=True, swap=False):
    demos, queries = np.asarray(demo_tokens, dtype=np.float64), np.asarray(query_tokens, dtype=np.float64)
    w_q, w_k, w_v = (np.asarray(w, dtype=np.float64) for w in (w_q, w_k, w_v))
    if demos.ndim != 2 or queries.ndim != 2 or len(demos) == 0 or demos.shape[1] != queries.shape[1] \
            or any(w.shape != (demos.shape[1],) * 2 for w in (w_q, w_k, w_v)):
        raise ValueError("bad shapes")
    if swap:
        w_q, w_k = w_k, w_q
    update = ((queries @ w_q) @ (demos @ w_k).T) @ (demos @ w_v) / (len(demos) if mean else 1)
    return queries + update if residual else update


@SPEC.mistake(LSA, "sums over the demonstrations without the 1/N",
              hint="The update is an average over the N demonstrations: divide by N = len(demo_tokens).")
def lsa_summed(demo_tokens, query_tokens, w_q, w_k, w_v):
    return _lsa_with(demo_tokens, query_tokens, w_q, w_k, w_v, mean=False)


@SPEC.mistake(LSA, "returns the update without the residual (+ queries)",
              hint="The layer adds its update to its input: out = queries + update.")
def lsa_without_residual(demo_tokens, query_tokens, w_q, w_k, w_v):
    return _lsa_with(demo_tokens, query_tokens, w_q, w_k, w_v, residual=False)


@SPEC.mistake(LSA, "swaps w_q and w_k",
              hint="The queries go through w_q and the demonstrations (keys) through w_k: "
                   "(queries @ w_q) @ (demos @ w_k).T.")
def lsa_swapped_projections(demo_tokens, query_tokens, w_q, w_k, w_v):
    return _lsa_with(demo_tokens, query_tokens, w_q, w_k, w_v, swap=True)


@SPEC.mistake(WEIGHTS, "w_v carries y without the learning rate",
              hint="The values must carry lr * y_i: put lr (not 1) in w_v[d, d].")
def weights_without_lr(d, lr):
    if isinstance(d, bool) or not isinstance(d, int) or d < 1:
        raise ValueError("d must be a positive int")
    w_q = np.zeros((d + 1, d + 1))
    w_q[:d, :d] = np.eye(d)
    w_v = np.zeros((d + 1, d + 1))
    w_v[d, d] = 1.0
    return w_q, w_q.copy(), w_v
