"""The positional_encoding reference against torch (an independent oracle), and what its spec catches."""

import math
import textwrap

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from helpers import failing, grade, submit
from grader.judging import judge
from grader.judging.checks import Reference

ref = Reference("positional_encoding")
TOPIC = "positional_encoding"
ATOL = 1e-9  # angles reach 1e4 rad: correct routes differ by ~1e-12 there (CATALOG.md D1)


def torch_positional_encoding(n_positions, d_model, base=10000.0):
    """The construction of the PyTorch tutorials and of Annotated Transformer, in float64."""
    position = torch.arange(n_positions, dtype=torch.float64).unsqueeze(1)
    div_term = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float64) * (-math.log(base) / d_model))
    pe = torch.zeros(n_positions, d_model, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(position * div_term)
    pe[:, 1::2] = torch.cos(position * div_term)
    return pe.numpy()


@given(st.integers(0, 300), st.integers(1, 64).map(lambda half: 2 * half),
       st.one_of(st.just(10000.0), st.floats(1.0, 1e6, allow_nan=False)))
def test_reference_matches_torch(n_positions, d_model, base):
    ours = ref.positional_encoding(n_positions, d_model, base)
    assert ours.dtype == np.float64 and ours.shape == (n_positions, d_model)
    np.testing.assert_allclose(ours, torch_positional_encoding(n_positions, d_model, base), rtol=0, atol=ATOL)


@pytest.mark.parametrize(("n_positions", "d_model", "base"), [(10_000, 64, 10000.0), (10_000, 512, 10000.0),
                                                              (10_000, 2, 1e6)])
def test_reference_matches_torch_for_many_positions(n_positions, d_model, base):
    np.testing.assert_allclose(ref.positional_encoding(n_positions, d_model, base),
                               torch_positional_encoding(n_positions, d_model, base), rtol=0, atol=ATOL)


def test_default_base_is_10000():
    np.testing.assert_array_equal(ref.positional_encoding(7, 6), ref.positional_encoding(7, 6, 10000.0))
    assert not np.allclose(ref.positional_encoding(7, 6), ref.positional_encoding(7, 6, 100.0))


@pytest.mark.parametrize(("n_positions", "d_model"), [(3, 3), (3, 1), (3, 0), (3, -2), (-1, 4), (0, 5)])
def test_reference_rejects_bad_sizes(n_positions, d_model):
    with pytest.raises(ValueError):
        ref.positional_encoding(n_positions, d_model)


def test_no_positions_gives_an_empty_table():
    pe = ref.positional_encoding(0, 6)
    assert pe.shape == (0, 6) and pe.dtype == np.float64


def test_dynamic_code_is_reported_as_forbidden(tmp_path):
    # Nothing in numpy/torch *is* this exercise (DESIGN.md forbids nothing here); eval still hides code.
    source = textwrap.dedent("""
        import numpy as np

        def positional_encoding(n_positions, d_model, base=10000.0):
            return eval("np.zeros((n_positions, d_model))")
    """)
    result = grade(TOPIC, submit(tmp_path, TOPIC, source))
    assert {c.status for c in result.checks} == {"forbidden"}
    assert "eval" in result.checks[0].message


def test_a_torch_solution_is_allowed_and_gets_full_marks(tmp_path):
    # The oracle's own route (exp(-log(base) * 2i/d), torch in float64): a correct solution written
    # differently, which also proves the atol is not brittle for the exp/log route.
    source = textwrap.dedent("""
        import math
        import torch

        def positional_encoding(n_positions, d_model, base=10000.0):
            if d_model <= 0 or d_model % 2 or n_positions < 0:
                raise ValueError("d_model must be positive and even, n_positions >= 0")
            position = torch.arange(n_positions, dtype=torch.float64).unsqueeze(1)
            div_term = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float64) * (-math.log(base) / d_model))
            pe = torch.zeros(n_positions, d_model, dtype=torch.float64)
            pe[:, 0::2] = torch.sin(position * div_term)
            pe[:, 1::2] = torch.cos(position * div_term)
            return pe.numpy()
    """)
    result = grade(TOPIC, submit(tmp_path, TOPIC, source))
    assert [(c.id, c.status, c.message) for c in failing(result)] == []


def test_a_solution_without_validation_loses_only_the_bad_size_check(tmp_path):
    # numpy rejects some bad sizes by accident (d_model = 3 fails to broadcast, n_positions = -1 is a
    # negative dimension) but not d_model = 1 (pe[:, 1::2] is empty and takes anything) nor 0.
    source = textwrap.dedent("""
        import numpy as np

        def positional_encoding(n_positions, d_model, base=10000.0):
            angle = np.arange(n_positions)[:, None] / base ** (np.arange(0, d_model, 2) / d_model)
            pe = np.empty((n_positions, d_model))
            pe[:, 0::2] = np.sin(angle)
            pe[:, 1::2] = np.cos(angle)
            return pe
    """)
    result = grade(TOPIC, submit(tmp_path, TOPIC, source))
    failed = failing(result)
    assert [(c.id, c.status) for c in failed] == [(f"{TOPIC}.rejects_bad_sizes", "failed")]
    assert failed[0].counterexample == "positional_encoding(n_positions=4, d_model=1)"
    assert failed[0].diagnosis.startswith("never checks d_model")


def test_angles_computed_in_float32_fail_the_stability_tier(tmp_path):
    # torch's default dtype: the table comes back float64, but angles near 1e4 rad carry errors
    # of ~1e-3 rad. Small tables pass the properties; only many positions expose it.
    source = textwrap.dedent("""
        import math
        import numpy as np
        import torch

        def positional_encoding(n_positions, d_model, base=10000.0):
            if d_model <= 0 or d_model % 2 or n_positions < 0:
                raise ValueError("d_model must be positive and even, n_positions >= 0")
            position = torch.arange(n_positions).float().unsqueeze(1)
            div_term = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(base) / d_model))
            angle = (position * div_term).double()
            pe = torch.zeros(n_positions, d_model, dtype=torch.float64)
            pe[:, 0::2] = torch.sin(angle)
            pe[:, 1::2] = torch.cos(angle)
            return pe.numpy()
    """)
    result = grade(TOPIC, submit(tmp_path, TOPIC, source))
    failed_ids = {c.id for c in failing(result)}
    assert f"{TOPIC}.accurate_for_many_positions" in failed_ids
    assert not {c.id for c in result.checks if c.tier == "contract"} & failed_ids


def test_concatenated_layout_is_invisible_for_d_model_2_but_caught_from_4():
    # [sin | cos] and the interleaved layout coincide for one pair: the spec must not rely on d_model = 2.
    spec = judge.load_spec(TOPIC)
    concatenated = spec.bound_mistake(next(m for m in spec.mistakes if m.name == "pe_concatenated"))
    np.testing.assert_array_equal(concatenated(5, 2), ref.positional_encoding(5, 2))
    assert not np.allclose(concatenated(5, 4), ref.positional_encoding(5, 4))
