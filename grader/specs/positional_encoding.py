"""Checks for positional_encoding (DESIGN.md, topic positional_encoding; CATALOG.md D1)."""

import numpy as np
from hypothesis import strategies as st

from grader.judging.checks import Spec
from grader.judging.expect import array_contract, as_array, expect_close, expect_value_error

SPEC = Spec("positional_encoding", functions=("positional_encoding",))
ref = SPEC.reference

# Angles reach 1e4 rad (10_000 positions); correct ways to compute an angle (pos / base**e,
# pos * exp(-e * log(base)), a rotation recurrence) differ by ~1e-12 there. Wrong ones by far more.
ATOL = 1e-9
RAISE_ON_FP_ERRORS = dict(over="raise", divide="raise", invalid="raise", under="ignore")

POSITIONS = st.integers(1, 6)
WIDTHS = st.integers(1, 6).map(lambda half: 2 * half)  # d_model = 2 .. 12, even
BASES = st.one_of(st.just(10000.0), st.floats(1.0, 1e5, allow_nan=False, allow_infinity=False))


def _table(positions=POSITIONS, widths=WIDTHS, bases=BASES):
    return st.fixed_dictionaries({"n_positions": positions, "d_model": widths, "base": bases})


def _call(learner, n_positions, d_model, base):
    """The learner's table, as float64 of the right shape (the contract tier judges the type)."""
    kwargs = dict(n_positions=n_positions, d_model=d_model)
    if base is not None:  # None: leave base to its default
        kwargs["base"] = base
    return as_array(learner.positional_encoding(**kwargs), shape=(n_positions, d_model))


def _reference(n_positions, d_model, base):
    if base is None:
        return ref.positional_encoding(n_positions, d_model)
    return ref.positional_encoding(n_positions, d_model, base)


# ---------------------------------------------------------------- contract

@SPEC.check("positional_encoding", tier="contract", points=1,
            title="positional_encoding returns a float64 array of shape (n_positions, d_model), "
                  "also for n_positions = 0",
            given=_table(st.integers(0, 6)),
            examples=[dict(n_positions=0, d_model=4, base=10000.0), dict(n_positions=3, d_model=2, base=10000.0)])
def returns_float64_table(learner, n_positions, d_model, base):
    table = learner.positional_encoding(n_positions=n_positions, d_model=d_model, base=base)
    array_contract(table, shape=(n_positions, d_model))


BAD_SIZES = [
    dict(n_positions=4, d_model=3, why="an odd d_model (3)"),
    dict(n_positions=4, d_model=1, why="an odd d_model (1)"),
    dict(n_positions=4, d_model=0, why="d_model = 0"),
    dict(n_positions=4, d_model=-2, why="a negative d_model (-2)"),
    dict(n_positions=-1, d_model=4, why="a negative n_positions (-1)"),
    dict(n_positions=0, d_model=5, why="an odd d_model (5), even with no positions"),
]


@SPEC.check("positional_encoding", tier="contract", points=2,
            title="positional_encoding raises ValueError for a d_model that is not positive and even, "
                  "or a negative n_positions",
            examples=BAD_SIZES)
def rejects_bad_sizes(learner, n_positions, d_model, why):
    expect_value_error(learner.outcome("positional_encoding", n_positions=n_positions, d_model=d_model), bad=why)


# ---------------------------------------------------------------- properties

@SPEC.check("positional_encoding", tier="properties", points=1,
            title="every value lies in [-1, 1] and each row has squared length d_model / 2",
            given=_table())
def values_bounded_and_rows_have_fixed_length(learner, n_positions, d_model, base):
    pe = _call(learner, n_positions, d_model, base)
    outside = np.abs(pe) - 1.0
    expect_close(np.maximum(outside, 0.0), np.zeros_like(pe), rtol=0, atol=ATOL,
                 what="how far values go beyond [-1, 1]")
    expect_close((pe ** 2).sum(axis=1), np.full(n_positions, d_model / 2), rtol=0, atol=ATOL * d_model,
                 what="the squared length of each row")


@SPEC.check("positional_encoding", tier="properties", points=1,
            title="row 0 (position 0) is [0, 1, 0, 1, ...]: sin(0) in even columns, cos(0) in odd ones",
            given=_table(), examples=[dict(n_positions=1, d_model=4, base=10000.0)])
def first_row_alternates_zero_one(learner, n_positions, d_model, base):
    pe = _call(learner, n_positions, d_model, base)
    expect_close(pe[0], np.tile([0.0, 1.0], d_model // 2), rtol=0, atol=ATOL, what="row 0")


@SPEC.check("positional_encoding", tier="properties", points=1,
            title="columns 0 and 1 are sin(pos) and cos(pos) for every base (pair 0 turns 1 rad per position)",
            given=_table(), examples=[dict(n_positions=2, d_model=2, base=10000.0)])
def first_pair_is_sin_and_cos_of_position(learner, n_positions, d_model, base):
    pe = _call(learner, n_positions, d_model, base)
    pos = np.arange(n_positions, dtype=np.float64)
    expect_close(pe[:, 0], np.sin(pos), rtol=0, atol=ATOL, what="column 0 (should be sin(pos))")
    expect_close(pe[:, 1], np.cos(pos), rtol=0, atol=ATOL, what="column 1 (should be cos(pos))")


@st.composite
def _shifted_table(draw):
    return {**draw(_table()), "k": draw(st.integers(1, 40))}


@SPEC.check("positional_encoding", tier="properties", points=2,
            title="moving k positions rotates each (sin, cos) pair i by the angle k * base**(-2i/d_model)",
            given=_shifted_table(), examples=[dict(n_positions=1, d_model=4, base=10000.0, k=1)])
def shifting_rotates_each_pair(learner, n_positions, d_model, base, k):
    pe = _call(learner, n_positions + k, d_model, base)
    step = k * base ** (-np.arange(0, d_model, 2) / d_model)  # (d/2,) the angle each pair turns by
    c, s = np.cos(step), np.sin(step)
    sin_part, cos_part = pe[:n_positions, 0::2], pe[:n_positions, 1::2]
    rotated = np.empty((n_positions, d_model))
    rotated[:, 0::2] = c * sin_part + s * cos_part  # sin(a + kw) = sin a cos kw + cos a sin kw
    rotated[:, 1::2] = c * cos_part - s * sin_part  # cos(a + kw) = cos a cos kw - sin a sin kw
    expect_close(pe[k:], rotated, rtol=0, atol=ATOL,
                 what=f"rows {k}..{n_positions + k - 1} (they should be rows 0..{n_positions - 1} with each pair i "
                      f"rotated by {k} * base**(-2i/d_model))")


@SPEC.check("positional_encoding", tier="properties", points=1,
            title="the dot product PE(p) . PE(q) of two rows depends only on the offset p - q",
            given=_table(st.integers(2, 8)))
def dot_product_depends_only_on_offset(learner, n_positions, d_model, base):
    pe = _call(learner, n_positions, d_model, base)
    gram = pe @ pe.T  # (n, n)
    expect_close(gram[1:, 1:], gram[:-1, :-1], rtol=0, atol=ATOL * d_model,
                 what="PE(p + 1) . PE(q + 1) (should equal PE(p) . PE(q))")


@st.composite
def _two_lengths(draw):
    table = draw(_table(st.integers(1, 8)))
    return {**table, "m": draw(st.integers(0, table["n_positions"]))}


@SPEC.check("positional_encoding", tier="properties", points=1,
            title="the first m rows of the table for n positions are the table for m positions",
            given=_two_lengths())
def longer_table_extends_shorter_one(learner, n_positions, d_model, base, m):
    long = _call(learner, n_positions, d_model, base)
    short = _call(learner, m, d_model, base)
    expect_close(short, long[:m], rtol=0, atol=ATOL,
                 what=f"positional_encoding({m}, {d_model}) (compared with the first {m} rows for {n_positions})")


# ---------------------------------------------------------------- reference

@SPEC.check("positional_encoding", tier="reference", points=3,
            title="positional_encoding matches the reference (base defaults to 10000)",
            given=_table(st.integers(0, 64), st.integers(1, 16).map(lambda half: 2 * half),
                         st.one_of(st.none(), BASES)),
            examples=[dict(n_positions=3, d_model=4, base=None), dict(n_positions=4, d_model=6, base=100.0),
                      dict(n_positions=2, d_model=8, base=None)])
def matches_reference(learner, n_positions, d_model, base):
    expect_close(_call(learner, n_positions, d_model, base), _reference(n_positions, d_model, base),
                 rtol=0, atol=ATOL)


# ---------------------------------------------------------------- stability

@SPEC.check("positional_encoding", tier="stability", points=2,
            title="positional_encoding stays accurate for up to 10,000 positions (angles up to 1e4 rad)",
            given=_table(st.sampled_from([1000, 4096, 10_000]), st.sampled_from([2, 64, 128]),
                         st.sampled_from([10000.0, 500.0, 1e5])),
            examples=[dict(n_positions=10_000, d_model=64, base=10000.0)], max_examples=6)
def accurate_for_many_positions(learner, n_positions, d_model, base):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        pe = _call(learner, n_positions, d_model, base)
    expect_close(pe, ref.positional_encoding(n_positions, d_model, base), rtol=0, atol=ATOL)


@SPEC.check("positional_encoding", tier="stability", points=1,
            title="positional_encoding stays accurate for bases from 1 to 1e6 and d_model up to 1024",
            given=_table(st.integers(1, 50), st.sampled_from([2, 6, 256, 1024]),
                         st.one_of(st.floats(1.0, 10.0), st.floats(1e5, 1e6))),
            examples=[dict(n_positions=50, d_model=1024, base=1e6), dict(n_positions=20, d_model=6, base=1.0),
                      dict(n_positions=20, d_model=8, base=2.0)], max_examples=10)
def accurate_for_extreme_bases_and_widths(learner, n_positions, d_model, base):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        pe = _call(learner, n_positions, d_model, base)
    expect_close(pe, ref.positional_encoding(n_positions, d_model, base), rtol=0, atol=ATOL)


# ---------------------------------------------------------------- known mistakes
# Each is written as if it lived in solutions/positional_encoding.py (it may use _size and np); they share
# _table_with, the table with a switch per mistake.

@SPEC.mistake_helper
def _table_with(n_positions, d_model, base, *, validate="positive", first_position=0, exponent="2i",
                multiply=False, cos_first=False, concatenate=False, dtype=np.float64):
    """The table with a switch per known mistake (the defaults give the right values, without type checks).

    validate: "positive" raises unless d_model is positive and even, "even" only unless it is even, None never.
    first_position: the position of row 0.
    exponent: the index over d_model in base**(index/d_model): "2i" (right), "i" (the pair index, no factor 2)
        or "j" (each column's own index, so sin and cos of a pair get different angles).
    multiply: the angle is pos * base**(...) instead of pos / base**(...).
    cos_first: cos in the even columns, sin in the odd ones.
    concatenate: [sin | cos] instead of interleaved.
    dtype: the table's dtype.
    """
    if validate == "positive" and (d_model <= 0 or d_model % 2 or n_positions < 0):
        raise ValueError("d_model must be positive and even, n_positions non-negative")
    if validate == "even" and (d_model % 2 or n_positions < 0):
        raise ValueError("d_model must be even, n_positions non-negative")
    positions = np.arange(first_position, n_positions + first_position)[:, None]
    if exponent == "j":  # (n, d) angles, one per column: sin kept in the even columns, cos in the odd ones
        column = np.arange(d_model)
        angles = positions / base ** (column / d_model)
        return np.where(column % 2 == 0, np.sin(angles), np.cos(angles))
    index = np.arange(d_model // 2) if exponent == "i" else np.arange(0, d_model, 2)
    angles = positions * base ** (index / d_model) if multiply else positions / base ** (index / d_model)
    if concatenate:
        return np.concatenate([np.sin(angles), np.cos(angles)], axis=1)
    pe = np.empty((n_positions, d_model), dtype=dtype)
    pe[:, 0::2] = np.cos(angles) if cos_first else np.sin(angles)
    pe[:, 1::2] = np.sin(angles) if cos_first else np.cos(angles)
    return pe


@SPEC.mistake("positional_encoding", "sin and cos are swapped: cos in the even columns, sin in the odd ones",
              hint="Column 2i holds sin(angle) and column 2i + 1 holds cos(angle): row 0 must be [0, 1, 0, 1, ...].")
def pe_sin_cos_swapped(n_positions, d_model, base=10000.0):
    """Puts cos in columns 0, 2, 4, ... and sin in columns 1, 3, 5, ..."""
    return _table_with(n_positions, d_model, base, cos_first=True)


@SPEC.mistake("positional_encoding", "all sines first, then all cosines ([sin | cos]) instead of interleaving",
              hint="Interleave: sin goes in columns 0, 2, 4, ... and the matching cos right after it, in "
                   "columns 1, 3, 5, ... (pe[:, 0::2] and pe[:, 1::2]), not in the second half of the row.")
def pe_concatenated(n_positions, d_model, base=10000.0):
    """Concatenates the sines and the cosines: [sin | cos]."""
    return _table_with(n_positions, d_model, base, concatenate=True)


@SPEC.mistake("positional_encoding", "the exponent uses each column's own index j (base**(j/d_model)), "
                                     "so a cos column turns at a different speed from its sin",
              hint="sin and cos of a pair share ONE angle: both columns 2i and 2i + 1 use base**(2i/d_model), "
                   "i.e. the even index of the pair (np.arange(0, d_model, 2)).")
def pe_column_index_exponent(n_positions, d_model, base=10000.0):
    """Gives column j the angle pos / base**(j/d_model), sin in even columns, cos in odd ones."""
    return _table_with(n_positions, d_model, base, exponent="j")


@SPEC.mistake("positional_encoding", "the exponent uses the pair index i without the factor 2 (base**(i/d_model))",
              hint="Pair i uses base**(2i/d_model): the exponent runs from 0 up to almost 1, not to 1/2. "
                   "np.arange(0, d_model, 2) / d_model gives 2i/d_model directly.")
def pe_exponent_without_factor_two(n_positions, d_model, base=10000.0):
    """Uses pos / base**(i/d_model) for pair i."""
    return _table_with(n_positions, d_model, base, exponent="i")


@SPEC.mistake("positional_encoding", "multiplies the position by base**(2i/d_model) instead of dividing",
              hint="The angle is pos / base**(2i/d_model): later pairs turn SLOWER (wavelengths grow up to "
                   "2*pi*base), not faster.")
def pe_multiplies_by_base_power(n_positions, d_model, base=10000.0):
    """Uses the angle pos * base**(2i/d_model)."""
    return _table_with(n_positions, d_model, base, multiply=True)


@SPEC.mistake("positional_encoding", "positions start at 1 instead of 0",
              hint="Row r encodes position r, starting from 0: use np.arange(n_positions), so row 0 is "
                   "sin(0), cos(0), ... = [0, 1, 0, 1, ...].")
def pe_positions_from_one(n_positions, d_model, base=10000.0):
    """Encodes positions 1 .. n_positions."""
    return _table_with(n_positions, d_model, base, first_position=1)


@SPEC.mistake("positional_encoding", "returns a float32 table",
              hint="Build the table as float64 (np.empty((n, d)) is float64 by default; torch.zeros is "
                   "float32): float32 keeps only ~7 digits, and the contract asks for float64.")
def pe_float32(n_positions, d_model, base=10000.0):
    """Fills a float32 table."""
    return _table_with(n_positions, d_model, base, dtype=np.float32)


@SPEC.mistake("positional_encoding", "checks only that d_model is even, so d_model = 0 gives an empty table",
              hint="0 is even but not a valid width: raise ValueError unless d_model > 0 and d_model % 2 == 0.")
def pe_accepts_zero_width(n_positions, d_model, base=10000.0):
    """Raises for an odd d_model but not for d_model = 0."""
    return _table_with(n_positions, d_model, base, validate="even")


@SPEC.mistake("positional_encoding", "never checks d_model: an odd width such as 1 returns a table instead of raising",
              hint="numpy does not always complain: with d_model = 1, pe[:, 1::2] is empty and the assignment "
                   "silently broadcasts. Raise ValueError yourself unless d_model > 0 and d_model % 2 == 0.")
def pe_without_validation(n_positions, d_model, base=10000.0):
    """Validates nothing."""
    return _table_with(n_positions, d_model, base, validate=None)
