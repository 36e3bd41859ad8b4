"""in_context: the reference against torch autograd (the GD step), a torch linear attention, the
paper's two routes agreeing, string-built prompts, forbidden shortcuts, and the quiz answers."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging import forbidden, judge
from grader.quiz import banks
from grader.quiz.variants import pose, quiz_variant
from helpers import SOLUTIONS, grade, submit

SPEC = judge.load_spec("in_context")
ref = SPEC.reference
VALUES = st.floats(-3, 3, allow_nan=False)


@st.composite
def regression(draw):
    n, m, d = draw(st.integers(1, 8)), draw(st.integers(1, 4)), draw(st.integers(1, 5))
    return (draw(nps.arrays(np.float64, (n, d), elements=VALUES)), draw(nps.arrays(np.float64, n, elements=VALUES)),
            draw(nps.arrays(np.float64, (m, d), elements=VALUES)), draw(st.floats(0, 2)))


def torch_gd_predictions(x, y, xq, lr):
    """One gradient step on L(w) = 1/(2N) sum (x_i . w - y_i)^2 from w = 0, by autograd."""
    w = torch.zeros(x.shape[1], dtype=torch.float64, requires_grad=True)
    loss = ((torch.from_numpy(x) @ w - torch.from_numpy(y)) ** 2).sum() / (2 * len(y))
    loss.backward()
    with torch.no_grad():
        return (torch.from_numpy(xq) @ (w - lr * w.grad)).numpy()


@given(regression())
def test_gd_step_matches_torch_autograd(case):
    x, y, xq, lr = case
    np.testing.assert_allclose(ref.gd_step_predictions(x, y, xq, lr), torch_gd_predictions(x, y, xq, lr),
                               rtol=1e-10, atol=1e-10)


@given(regression())
def test_attention_with_constructed_weights_equals_the_gd_step(case):
    x, y, xq, lr = case
    demos, queries = np.column_stack([x, y]), np.column_stack([xq, np.zeros(len(xq))])
    out = ref.linear_self_attention(demos, queries, *ref.gd_attention_weights(x.shape[1], lr))
    np.testing.assert_allclose(out[:, :-1], xq, rtol=0, atol=0)
    np.testing.assert_allclose(out[:, -1], torch_gd_predictions(x, y, xq, lr), rtol=1e-10, atol=1e-10)


@given(st.integers(1, 5), st.integers(1, 4), st.integers(1, 4), st.data())
def test_linear_self_attention_matches_torch(n, m, e, data):
    demos, queries = (data.draw(nps.arrays(np.float64, shape, elements=VALUES)) for shape in ((n, e), (m, e)))
    ws = [data.draw(nps.arrays(np.float64, (e, e), elements=st.floats(-1, 1))) for _ in range(3)]
    tq, td = torch.from_numpy(queries), torch.from_numpy(demos)
    wq, wk, wv = (torch.from_numpy(w) for w in ws)
    want = tq + torch.einsum("mn,ne->me", torch.einsum("me,ne->mn", tq @ wq, td @ wk), td @ wv) / n
    np.testing.assert_allclose(ref.linear_self_attention(demos, queries, *ws), want.numpy(), rtol=1e-10, atol=1e-10)


@given(nps.arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(2, 5)), elements=st.floats(1e-3, 1)),
       st.data())
def test_calibration_matches_softmax_of_log_ratio(p, data):
    p_cf = data.draw(nps.arrays(np.float64, p.shape[1], elements=st.floats(1e-3, 1)))
    want = torch.softmax(torch.log(torch.from_numpy(p)) - torch.log(torch.from_numpy(p_cf)), dim=1).numpy()
    np.testing.assert_allclose(ref.contextual_calibration(p, p_cf), want, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(ref.contextual_calibration(p_cf[None], p_cf), 1 / len(p_cf), rtol=1e-12)


@given(st.lists(st.tuples(st.text(max_size=5), st.text(max_size=5)), max_size=6), st.text(max_size=5), st.data())
def test_prompt_equals_a_block_by_block_construction(demos, query, data):
    demos = [(a.replace("{", "(").replace("}", ")"), b.replace("{", "(").replace("}", ")")) for a, b in demos]
    query = query.replace("{", "(").replace("}", ")")
    k = data.draw(st.integers(0, len(demos)))
    expected = ""
    for text, label in demos[:k]:
        expected += "Input: " + text + "\nOutput: " + label + "\n\n"
    expected += "Input: " + query + "\nOutput: "
    assert ref.build_few_shot_prompt(demos, query, k) == expected


@pytest.mark.parametrize("k", [-1, 3, True, 1.0])
def test_prompt_rejects_bad_k(k):
    with pytest.raises(ValueError):
        ref.build_few_shot_prompt([("a", "b"), ("c", "d")], "q", k)


LSTSQ = '''

def gd_step_predictions(x_demo, y_demo, x_query, lr):
    w = np.linalg.lstsq(np.asarray(x_demo), np.asarray(y_demo), rcond=None)[0]
    return np.asarray(x_query) @ w
'''


def test_least_squares_is_forbidden_where_used(tmp_path):
    result = grade("in_context", submit(tmp_path, "in_context", (SOLUTIONS / "in_context.py").read_text() + LSTSQ))
    assert {c.status for c in result.checks if c.function == "gd_step_predictions"} == {"forbidden"}
    assert {c.status for c in result.checks if c.function == "build_few_shot_prompt"} == {"passed"}


def test_static_analysis_finds_solve_and_sklearn():
    for source in ("from sklearn.linear_model import LinearRegression\n",
                   "import numpy as np\ndef gd_step_predictions(x_demo, y_demo, x_query, lr):\n"
                   "    return np.linalg.solve(x_demo, y_demo)\n"):
        assert forbidden.find(source, SPEC.forbidden, SPEC.forbidden_methods, SPEC.functions), source


# ---------------------------------------------------------------- quiz answers against independent oracles

VARIANTS = [quiz_variant("oracles", "learner@example.org", "any", attempt) for attempt in range(50)]


def quiz_oracle(question_id, p):
    if question_id == "gd_prediction":
        return float(torch_gd_predictions(np.array([[x] for x in p["x"]]), np.array(p["y"], dtype=float),
                                          np.array([[p["x_query"]]]), p["lr"])[0])
    if question_id == "calibrated":
        logits = torch.log(torch.tensor([p["p"], 1 - p["p"]], dtype=torch.float64)) - torch.log(
            torch.tensor([p["p_cf"], 1 - p["p_cf"]], dtype=torch.float64))
        return float(torch.softmax(logits, 0)[0])
    if question_id == "prompt_blocks":
        return p["k"] + 1
    if question_id == "lsa_shape":
        queries = torch.zeros(p["m"], p["d"] + 1)
        scores = queries @ torch.zeros(p["n"], p["d"] + 1).T
        return tuple((queries + scores @ torch.zeros(p["n"], p["d"] + 1)).shape)
    raise AssertionError(f"no oracle for in_context.{question_id}")


def test_quiz_answers_agree_with_independent_oracles():
    reference = banks.reference("in_context")
    parameterized = [q for q in banks.load("in_context") if q.kind in ("numeric", "shape", "predict")]
    assert len(parameterized) >= 2
    for question in parameterized:
        for variant in VARIANTS:
            posed = pose(question, "in_context", variant, reference)
            assert posed.misconceptions, f"{question.id} {variant}: no wrong formula can be named"
            np.testing.assert_allclose(np.asarray(posed.answer, dtype=float),
                                       np.asarray(quiz_oracle(question.id, posed.parameters), dtype=float),
                                       rtol=1e-9, atol=1e-12, err_msg=f"{question.id} {variant}")
