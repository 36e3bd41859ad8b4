"""ffn: the reference against torch's nn.Sequential(Linear, ReLU, Linear), forbidden layers, and the quiz answers."""

import numpy as np
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging import forbidden, judge
from grader.quiz import banks
from grader.quiz.variants import pose, quiz_variant
from helpers import SOLUTIONS, grade, submit

SPEC = judge.load_spec("ffn")
ref = SPEC.reference
VALUES = st.floats(-5, 5, allow_nan=False, allow_infinity=False)


def torch_block(d, f):
    return torch.nn.Sequential(torch.nn.Linear(d, f), torch.nn.ReLU(), torch.nn.Linear(f, d)).double()


@st.composite
def block(draw):
    b, t, d, f = (draw(st.integers(1, 5)) for _ in range(4))
    arrays = [draw(nps.arrays(np.float64, shape, elements=VALUES)) for shape in ((b, t, d), (d, f), (f,), (f, d), (d,))]
    return arrays


@given(block())
def test_ffn_matches_torch_sequential(arrays):
    x, w1, b1, w2, b2 = arrays
    layer = torch_block(*w1.shape)
    with torch.no_grad():  # nn.Linear stores its weight (out, in): the transpose of ours
        layer[0].weight.copy_(torch.from_numpy(w1.T.copy()))
        layer[0].bias.copy_(torch.from_numpy(b1))
        layer[2].weight.copy_(torch.from_numpy(w2.T.copy()))
        layer[2].bias.copy_(torch.from_numpy(b2))
        want = layer(torch.from_numpy(x)).numpy()
    got = ref.ffn(x, w1, b1, w2, b2)
    assert got.dtype == np.float64 and got.shape == x.shape
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10)


@given(st.integers(1, 300), st.integers(1, 300))
def test_param_count_matches_torch(d, f):
    assert ref.ffn_param_count(d, f) == sum(p.numel() for p in torch_block(d, f).parameters())


def test_reference_rejects_bad_sizes():
    for d, f in ((0, 3), (3, 0), (True, 3), (2.0, 3)):
        try:
            ref.ffn_param_count(d, f)
        except ValueError:
            continue
        raise AssertionError((d, f))


LINEAR_SOLUTION = '''
import numpy as np
import torch


def ffn(x, w1, b1, w2, b2):
    first = torch.nn.Linear(*np.shape(w1))
    return first
'''


def test_torch_linear_is_forbidden_only_where_used(tmp_path):
    result = grade("ffn", submit(tmp_path, "ffn", (SOLUTIONS / "ffn.py").read_text() + LINEAR_SOLUTION))
    statuses = {c.function: {r.status for r in result.checks if r.function == c.function} for c in result.checks}
    assert statuses["ffn"] == {"forbidden"}
    assert statuses["ffn_param_count"] == {"passed"}


def test_static_analysis_finds_functional_linear_and_sequential():
    for source in ("import torch.nn.functional as F\ndef ffn(x, w1, b1, w2, b2):\n    return F.linear(x, w1)\n",
                   "from torch import nn\nBLOCK = nn.Sequential()\n"):
        assert forbidden.find(source, SPEC.forbidden, SPEC.forbidden_methods, SPEC.functions), source
    allowed = "import torch\ndef ffn(x, w1, b1, w2, b2):\n    return torch.relu(torch.as_tensor(x))\n"
    assert forbidden.find(allowed, SPEC.forbidden, SPEC.forbidden_methods, SPEC.functions) == []


LOOP_SOLUTION = '''
import numpy as np


def ffn(x, w1, b1, w2, b2):
    x = np.asarray(x, dtype=float)
    out = np.zeros(x.shape)
    for b in range(x.shape[0]):
        for t in range(x.shape[1]):
            hidden = np.maximum(np.asarray(w1, dtype=float).T @ x[b, t] + b1, 0)
            out[b, t] = np.asarray(w2, dtype=float).T @ hidden + b2
    return out
'''


def test_a_per_token_loop_gets_full_marks(tmp_path):
    # numpy's own shape errors are ValueErrors, which is what the contract asks for.
    source = (SOLUTIONS / "ffn.py").read_text() + LOOP_SOLUTION
    result = grade("ffn", submit(tmp_path, "ffn", source))
    assert [(c.id, c.message) for c in result.checks if c.status != "passed"] == []


# ---------------------------------------------------------------- quiz answers against torch

VARIANTS = [quiz_variant("oracles", "learner@example.org", "any", attempt) for attempt in range(50)]


def test_quiz_answers_agree_with_torch():
    reference = banks.reference("ffn")
    checked = set()
    for question in banks.load("ffn"):
        if question.kind not in ("numeric", "shape", "predict"):
            continue
        for variant in VARIANTS:
            p = pose(question, "ffn", variant, reference).parameters
            answer = pose(question, "ffn", variant, reference).answer
            assert pose(question, "ffn", variant, reference).misconceptions, f"{question.id} {variant}"
            if question.id in ("param_count", "predict_count"):
                expected = sum(t.numel() for t in torch_block(p["d_model"], p["d_ff"]).parameters())
            elif question.id == "hidden_shape":
                layer = torch_block(p["d_model"], p["d_ff"])
                expected = tuple(layer[0](torch.zeros(p["batch"], p["t"], p["d_model"], dtype=torch.float64)).shape)
            elif question.id == "one_token":
                layer = torch_block(2, 2)
                with torch.no_grad():
                    layer[0].weight.copy_(torch.tensor(p["w1"], dtype=torch.float64).T)
                    layer[0].bias.copy_(torch.tensor(p["b1"], dtype=torch.float64))
                    layer[2].weight.copy_(torch.tensor(p["w2"], dtype=torch.float64).T)
                    layer[2].bias.copy_(torch.tensor(p["b2"], dtype=torch.float64))
                    expected = float(layer(torch.tensor([p["x"]], dtype=torch.float64))[0, 0])
            else:
                raise AssertionError(f"no oracle for ffn.{question.id}")
            np.testing.assert_allclose(np.asarray(answer, dtype=float), np.asarray(expected, dtype=float),
                                       rtol=1e-12, err_msg=f"{question.id} {variant}")
            checked.add(question.id)
    assert len(checked) >= 2
