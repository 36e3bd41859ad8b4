"""The fm reference against the pair-by-pair definition and a torch DeepFM (independent oracles), the
spec's strategies, forbidden libraries, and what the checks accept or catch."""

import itertools

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from bank_checks import check_bank, check_variant, variants
from grader.judging import forbidden
from grader.judging.checks import Reference
from grader.quizzes import fm as bank
from grader.specs import fm as spec
from helpers import SOLUTIONS, failing, grade, submit

ref = Reference("fm")
SPEC = spec.SPEC
VALUES = st.floats(-10, 10, allow_nan=False, allow_subnormal=False)


def pairwise_loop(X, w0, w, V):
    """The definition, in Python loops: w0 + sum_i w_i x_i + sum_{i<j} <v_i, v_j> x_i x_j."""
    out = []
    for x in np.asarray(X, dtype=float):
        total = w0 + sum(wi * xi for wi, xi in zip(w, x))
        for i, j in itertools.combinations(range(len(x)), 2):
            total += float(np.dot(V[i], V[j])) * x[i] * x[j]
        out.append(total)
    return np.array(out)


def size(X, w0, w, V):
    return spec.row_scale(X, w0, w, V)


@st.composite
def fm_problem(draw):
    N, n, k = draw(st.integers(1, 6)), draw(st.integers(1, 9)), draw(st.integers(1, 5))
    return (draw(nps.arrays(np.float64, (N, n), elements=VALUES)), draw(VALUES),
            draw(nps.arrays(np.float64, (n,), elements=VALUES)), draw(nps.arrays(np.float64, (n, k), elements=VALUES)))


@given(fm_problem())
def test_fm_predict_equals_the_pairwise_sum(problem):
    X, w0, w, V = problem
    got = ref.fm_predict(X, w0, w, V)
    assert got.shape == (X.shape[0],) and got.dtype == np.float64
    assert np.all(np.abs(got - pairwise_loop(X, w0, w, V)) <= 1e-13 * size(X, w0, w, V))


def torch_deepfm(field_idx, w0, w, V, mlp_params):
    """DeepFM with torch modules: nn.Embedding tables, nn.Linear layers, torch's FM identity."""
    idx = torch.as_tensor(np.asarray(field_idx), dtype=torch.long)
    emb = torch.nn.Embedding.from_pretrained(torch.as_tensor(np.asarray(V, dtype=np.float64)))
    first = torch.nn.Embedding.from_pretrained(torch.as_tensor(np.asarray(w, dtype=np.float64)).unsqueeze(1))
    e = emb(idx)  # (N, F, k)
    fm = w0 + first(idx).sum(dim=(1, 2)) + 0.5 * (e.sum(1).pow(2) - e.pow(2).sum(1)).sum(1)
    layers = []
    for number, (W, b) in enumerate(mlp_params):
        W = torch.as_tensor(np.asarray(W, dtype=np.float64))
        linear = torch.nn.Linear(W.shape[0], W.shape[1], dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(W.T)
            linear.bias.copy_(torch.as_tensor(np.asarray(b, dtype=np.float64)))
        layers.append(linear)
        if number < len(mlp_params) - 1:
            layers.append(torch.nn.ReLU())
    with torch.no_grad():
        deep = torch.nn.Sequential(*layers)(e.flatten(1))[:, 0]
    return (fm + deep).detach().numpy()


@given(spec.deepfm_inputs(max_rows=6, max_fields=6, max_k=4, max_hidden=3))
def test_deepfm_forward_matches_torch(kwargs):
    got = ref.deepfm_forward(**kwargs)
    want = torch_deepfm(**kwargs)
    assert got.shape == want.shape == (len(kwargs["field_idx"]),)
    assert np.all(np.abs(got - want) <= spec.deepfm_tolerance(**kwargs))


@given(spec.deepfm_inputs(zero_mlp=True))
def test_deepfm_with_a_zero_mlp_is_fm_on_the_one_hot_rows(kwargs):
    X = spec.one_hot(kwargs["field_idx"], kwargs["V"].shape[0])
    want = pairwise_loop(X, kwargs["w0"], kwargs["w"], kwargs["V"])
    assert np.all(np.abs(ref.deepfm_forward(**kwargs) - want) <= 1e-13 * size(X, kwargs["w0"], kwargs["w"],
                                                                                kwargs["V"]))


@given(spec.FM_INPUTS)
def test_the_judges_brute_force_is_the_pairwise_loop(kwargs):
    got = spec.brute_force(**kwargs)
    assert np.all(np.abs(got - pairwise_loop(**kwargs)) <= 1e-13 * size(**kwargs))


@given(spec.deepfm_inputs())
def test_generated_rows_have_distinct_indices_in_range(kwargs):
    idx = kwargs["field_idx"]
    assert idx.dtype == np.int64 and idx.min() >= 0 and idx.max() < len(kwargs["w"])
    assert all(len(set(row)) == len(row) for row in idx.tolist())
    assert kwargs["mlp_params"][0][0].shape[0] == idx.shape[1] * kwargs["V"].shape[1]
    assert kwargs["mlp_params"][-1][0].shape[1] == 1


def test_reference_examples_and_errors():
    np.testing.assert_allclose(ref.fm_predict([[1.0, 2.0]], 0.5, [1.0, -1.0], [[1.0], [3.0]]), [5.5])
    np.testing.assert_allclose(ref.deepfm_forward([[0, 2]], 0.0, [1.0, 2.0, 3.0], [[1.0], [0.0], [2.0]],
                                                  [(np.ones((2, 1)), np.zeros(1))]), [9.0])
    examples = {c.id: c.examples for c in SPEC.checks}
    for kwargs in examples["fm.deepfm_forward_rejects_bad_input"]:
        with pytest.raises(ValueError):
            ref.deepfm_forward(**{k: v for k, v in kwargs.items() if k != "why"})
    for kwargs in examples["fm.fm_predict_rejects_mismatched_shapes"]:
        with pytest.raises(ValueError):
            ref.fm_predict(**{k: v for k, v in kwargs.items() if k != "why"})


# ---------------------------------------------------------------- forbidden calls

@pytest.mark.parametrize("body", [
    "from fastFM import als\n    return als.FMRegression().fit(X, w).predict(X)",
    "import pyfm\n    return pyfm",
    "from deepctr_torch.models import DeepFM\n    return DeepFM",
    "import torchfm.model.dfm as dfm\n    return dfm",
])
def test_fm_libraries_are_forbidden(body):
    source = f"import numpy as np\n\n\ndef fm_predict(X, w0, w, V):\n    {body}\n"
    findings = forbidden.find(source, SPEC.forbidden, SPEC.forbidden_methods, SPEC.functions)
    assert findings and {f.scope for f in findings} == {"fm_predict"}, findings


def test_numpy_and_torch_tensors_stay_allowed():
    source = (SOLUTIONS / "fm.py").read_text() + (
        "\n\ndef helper(x):\n    import torch\n    return torch.relu(torch.as_tensor(x)) @ torch.ones(3)\n")
    assert forbidden.find(source, SPEC.forbidden, SPEC.forbidden_methods, SPEC.functions) == []


# ---------------------------------------------------------------- what the checks accept and catch

LOOPED = '''

def fm_predict(X, w0, w, V):
    """The O(k n^2) pair loop (the definition) is slow but right: the grader judges values only."""
    X, w, V = _checked_fm(X, w, V)
    out = np.full(X.shape[0], float(w0)) + X @ w
    for i in range(X.shape[1]):
        for j in range(i + 1, X.shape[1]):
            out += (V[i] @ V[j]) * X[:, i] * X[:, j]
    return out
'''


def test_the_pair_loop_gets_full_marks(tmp_path):
    result = grade("fm", submit(tmp_path, "fm", (SOLUTIONS / "fm.py").read_text() + LOOPED))
    assert [(c.id, c.message) for c in failing(result)] == []


WITHOUT_INDEX_CHECK = '''

def deepfm_forward(field_idx, w0, w, V, mlp_params):
    """No range check: V[-1] silently takes the last row."""
    w, V = _checked_weights(w, V)
    idx = np.asarray(field_idx).astype(np.int64)
    layers = _checked_layers(mlp_params, idx.shape[1] * V.shape[1])
    return _fm_part(idx, float(w0), w, V) + _mlp(_concatenated(idx, V), layers)
'''


def test_a_missing_index_check_fails_only_the_bad_input_check(tmp_path):
    result = grade("fm", submit(tmp_path, "fm", (SOLUTIONS / "fm.py").read_text() + WITHOUT_INDEX_CHECK))
    assert {c.id for c in failing(result)} == {"fm.deepfm_forward_rejects_bad_input"}


# ---------------------------------------------------------------- the quiz bank

QUESTIONS = {q.id: q for q in bank.QUESTIONS}


def test_the_bank_is_complete():
    check_bank(bank.QUESTIONS)


def quiz_deepfm(p):
    return float(torch_deepfm(np.array(p["field_idx"]), 0.0, np.array(p["w"]), np.array(p["V"]),
                              [(np.array(p["W"]), np.array(p["b"]))])[0])


@pytest.mark.parametrize("qid, expected", [
    ("fm_prediction", lambda p: float(pairwise_loop([p["x"]], p["w0"], p["w"], np.array(p["V"], dtype=float))[0])),
    ("deepfm_logit", quiz_deepfm),
    ("mlp_input_shape", lambda p: (p["N"], p["F"] * p["k"])),
])
def test_parameterized_answers_match_the_oracles(qid, expected):
    question = QUESTIONS[qid]
    for _, variant in variants(question, "fm"):
        check_variant(question, variant, expected(variant.parameters))
