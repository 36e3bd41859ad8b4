"""The association_rules reference against brute-force enumeration and mlxtend (independent oracles),
the spec's strategies, forbidden libraries, and what the checks accept or catch."""

from fractions import Fraction
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bank_checks import check_bank, check_variant, variants
from grader.judging import forbidden
from grader.judging.checks import Reference
from grader.quizzes import association_rules as bank
from grader.specs import association_rules as spec
from helpers import SOLUTIONS, failing, grade, submit

ref = Reference("association_rules")
SPEC = spec.SPEC
ITEMS = list("abcdefgh")  # 8 items: brute force over 255 itemsets


@st.composite
def baskets(draw, max_items=8):
    pool = ITEMS[:draw(st.integers(1, max_items))]
    return draw(st.lists(st.lists(st.sampled_from(pool), unique=True), min_size=1, max_size=12))


def exact_supports(transactions):
    """Every itemset that occurs, with its support as an exact fraction (brute force over all subsets)."""
    items = sorted(set().union(*map(set, transactions)))
    n = len(transactions)
    table = {}
    for size in range(1, len(items) + 1):
        for subset in combinations(items, size):
            c = sum(set(subset) <= set(t) for t in transactions)
            if c:
                table[frozenset(subset)] = Fraction(c, n)
    return table


def threshold(transactions, data, values):
    """A threshold strictly between two possible values (never a tie, as the spec promises)."""
    n = len(transactions)
    grid = sorted({Fraction(p, q) for q in range(1, n + 1) for p in range(q + 1)} if values == "ratio"
                  else {Fraction(k, n) for k in range(n + 1)})
    i = data.draw(st.integers(0, len(grid) - 2))
    return float((grid[i] + grid[i + 1]) / 2)


@given(baskets(), st.data())
def test_apriori_equals_brute_force_enumeration(transactions, data):
    min_support = threshold(transactions, data, "support")
    want = {s: v for s, v in exact_supports(transactions).items() if v >= min_support}
    got = ref.apriori(transactions, min_support)
    assert {frozenset(s) for s, _ in got} == want.keys()
    assert all(abs(v - float(want[frozenset(s)])) <= 1e-15 for s, v in got)
    assert [(len(s), s) for s, _ in got] == sorted((len(s), s) for s, _ in got)
    assert all(list(s) == sorted(s) for s, _ in got)


@given(baskets(max_items=6), st.data())
def test_generate_rules_equals_brute_force(transactions, data):
    min_support = threshold(transactions, data, "support")
    min_confidence = threshold(transactions, data, "ratio")
    supports = exact_supports(transactions)
    want = {}
    for itemset, support in supports.items():
        if support < min_support or len(itemset) < 2:
            continue
        for size in range(1, len(itemset)):
            for a in map(frozenset, combinations(sorted(itemset), size)):
                b = itemset - a
                confidence = support / supports[a]
                if confidence >= min_confidence:
                    want[(a, b)] = (support, confidence, confidence / supports[b])
    got = ref.generate_rules(transactions, min_support, min_confidence)
    assert {(frozenset(a), frozenset(b)) for a, b, *_ in got} == want.keys()
    for a, b, *metrics in got:
        exact = want[(frozenset(a), frozenset(b))]
        assert all(abs(m - float(e)) <= 1e-15 * max(1, float(e)) for m, e in zip(metrics, exact))
    assert [r[:2] for r in got] == sorted(r[:2] for r in got)


@given(spec.rule_inputs())
def test_rule_metrics_are_the_exact_ratios(kwargs):
    transactions, a, b = kwargs["transactions"], kwargs["antecedent"], kwargs["consequent"]
    n = len(transactions)

    def c(items):
        return sum(set(items) <= set(t) for t in transactions)

    exact = (Fraction(c(a + b), n), Fraction(c(a + b), c(a)), Fraction(c(a + b) * n, c(a) * c(b)))
    got = ref.rule_metrics(**kwargs)
    assert all(abs(g - float(e)) <= 1e-15 * max(1, float(e)) for g, e in zip(got, exact))


def test_the_classic_example():
    assert ref.rule_metrics(spec.CLASSIC, ["diaper"], ["beer"]) == (0.6, 0.75, 1.25)
    assert ref.rule_metrics(spec.CLASSIC, ["beer"], ["diaper"]) == (0.6, 1.0, 1.25)


# ---------------------------------------------------------------- mlxtend

def mlxtend_tables(transactions, min_support, min_confidence):
    pd = pytest.importorskip("pandas")
    frequent_patterns = pytest.importorskip("mlxtend.frequent_patterns")
    items = sorted(set().union(*map(set, transactions)))
    frame = pd.DataFrame([[item in t for item in items] for t in transactions], columns=items, dtype=bool)
    found = frequent_patterns.apriori(frame, min_support=min_support, use_colnames=True)
    itemsets = {frozenset(s): float(v) for s, v in zip(found["itemsets"], found["support"])}
    rules = {}
    if len(found) and any(len(s) > 1 for s in itemsets):
        table = frequent_patterns.association_rules(found, num_itemsets=len(transactions), metric="confidence",
                                                    min_threshold=min_confidence)
        for _, row in table.iterrows():
            rules[(frozenset(row["antecedents"]), frozenset(row["consequents"]))] = (
                row["support"], row["confidence"], row["lift"])
    return itemsets, rules


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # mlxtend's extra metrics divide by zero; unused here
@given(baskets(max_items=6).filter(lambda ts: any(ts)), st.data())
def test_apriori_and_rules_match_mlxtend(transactions, data):
    pytest.importorskip("mlxtend")
    min_support = threshold(transactions, data, "support")
    min_confidence = threshold(transactions, data, "ratio")
    itemsets, rules = mlxtend_tables(transactions, min_support, min_confidence)
    got = {frozenset(s): v for s, v in ref.apriori(transactions, min_support)}
    assert got.keys() == itemsets.keys()
    assert all(abs(got[k] - itemsets[k]) <= 1e-12 for k in got)
    got_rules = {(frozenset(a), frozenset(b)): m for a, b, *m in ref.generate_rules(transactions, min_support,
                                                                                     min_confidence)}
    assert got_rules.keys() == rules.keys()
    for key, metrics in got_rules.items():
        assert metrics == pytest.approx(rules[key], rel=1e-12)


# ---------------------------------------------------------------- the spec's strategies keep their promises

@given(spec.mining_inputs(rules=True))
def test_thresholds_stay_away_from_every_possible_value(kwargs):
    n = len(kwargs["transactions"])
    assert 0 < kwargs["min_support"] <= 1 and 0 <= kwargs["min_confidence"] <= 1
    assert min(abs(kwargs["min_support"] - k / n) for k in range(n + 1)) > 1e-9
    if kwargs["min_confidence"]:
        assert min(abs(kwargs["min_confidence"] - p / q) for q in range(1, n + 1) for p in range(q + 1)) > 1e-9


@given(spec.rule_inputs())
def test_generated_rules_have_sides_that_occur(kwargs):
    a, b, transactions = set(kwargs["antecedent"]), set(kwargs["consequent"]), kwargs["transactions"]
    assert a and b and not a & b
    assert any(a <= set(t) for t in transactions) and any(b <= set(t) for t in transactions)


# ---------------------------------------------------------------- forbidden calls

@pytest.mark.parametrize("body", [
    "from mlxtend.frequent_patterns import apriori as mine\n    return mine(transactions, min_support)",
    "import mlxtend.frequent_patterns as fp\n    return fp.fpgrowth(transactions)",
    "from efficient_apriori import apriori as mine\n    return mine(transactions)",
    "import apyori\n    return list(apyori.apriori(transactions))",
])
def test_mining_libraries_are_forbidden(body):
    source = f"def apriori(transactions, min_support):\n    {body}\n"
    findings = forbidden.find(source, SPEC.forbidden, SPEC.forbidden_methods, SPEC.functions)
    assert findings and {f.scope for f in findings} == {"apriori"}, findings


def test_itertools_and_collections_stay_allowed():
    assert forbidden.find((SOLUTIONS / "association_rules.py").read_text(), SPEC.forbidden, SPEC.forbidden_methods,
                          SPEC.functions) == []


# ---------------------------------------------------------------- what the checks accept and catch

COUNT_THRESHOLD_AND_LISTS = '''

_reference_apriori = apriori


def apriori(transactions, min_support):
    """count >= min_support * N (not count / N >= min_support), and lists where tuples are expected."""
    _check_fraction(min_support, "min_support", low_open=True)
    n = len(transactions)
    if n == 0:
        raise ValueError("no transactions")
    pairs = _reference_apriori(transactions, 0.5 / n)
    return [[list(items), support] for items, support in pairs if support * n >= min_support * n]
'''


def test_another_threshold_test_and_lists_get_full_marks(tmp_path):
    source = (SOLUTIONS / "association_rules.py").read_text() + COUNT_THRESHOLD_AND_LISTS
    result = grade("association_rules", submit(tmp_path, "association_rules", source))
    assert [(c.id, c.message) for c in failing(result)] == []


UNSORTED = '''

_reference_apriori = apriori


def apriori(transactions, min_support):
    """Right itemsets and supports, but the list is not in the stated order."""
    return _reference_apriori(transactions, min_support)[::-1]
'''


def test_the_wrong_order_costs_only_the_contract_check(tmp_path):
    source = (SOLUTIONS / "association_rules.py").read_text() + UNSORTED
    result = grade("association_rules", submit(tmp_path, "association_rules", source))
    assert {c.id for c in failing(result)} == {"association_rules.apriori_returns_sorted_pairs"}


# ---------------------------------------------------------------- the quiz bank

QUESTIONS = {q.id: q for q in bank.QUESTIONS}


def test_the_bank_is_complete():
    check_bank(bank.QUESTIONS)


def quiz_ratios(p):
    """(support, confidence, lift) of {diaper} -> {beer} as exact fractions."""
    ts = [set(t) for t in p["transactions"]]
    n, a, b = len(ts), sum("diaper" in t for t in ts), sum("beer" in t for t in ts)
    both = sum({"diaper", "beer"} <= t for t in ts)
    return Fraction(both, n), Fraction(both, a), Fraction(both * n, a * b)


@pytest.mark.parametrize("qid, expected", [
    ("rule_support", lambda p: float(quiz_ratios(p)[0])),
    ("rule_confidence", lambda p: float(quiz_ratios(p)[1])),
    ("rule_lift", lambda p: float(quiz_ratios(p)[2])),
    ("frequent_itemset_count",
     lambda p: sum(1 for v in exact_supports(p["transactions"]).values() if v >= p["min_support"])),
])
def test_parameterized_answers_match_exact_counts(qid, expected):
    question = QUESTIONS[qid]
    for _, variant in variants(question, "association_rules"):
        check_variant(question, variant, expected(variant.parameters))


def test_diagnosis_compares_item_names_as_text():
    from grader.judging.diagnosis import _same_value

    assert _same_value([(("beer", "diaper"), 0.6)], [(("beer", "diaper"), 0.6)])
    assert not _same_value([(("beer",), 0.6)], [(("milk",), 0.6)])
    assert not _same_value(("1",), (1,)) and not _same_value((1,), ("1",))
