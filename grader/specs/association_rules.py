"""Checks for rule_metrics, apriori and generate_rules (CATALOG E5, topic association_rules).

Itemsets are compared as sets (the order of items inside an itemset and of the list only counts in the
contract tier, which checks the stated sort order). Supports and confidences are ratios of small counts,
compared to 1e-12 relative. Thresholds are drawn away from every value a support or confidence can take
(k / N, p / q with q <= N), as the stub promises, so >= against > and rounding never decide.
"""

from itertools import combinations

import numpy as np
from hypothesis import strategies as st

from grader.judging import render
from grader.judging.checks import Failure, Spec
from grader.judging.expect import (as_float, expect_close, expect_unchanged, expect_value_error, float_contract,
                                   tuple_contract)

SPEC = Spec(
    "association_rules",
    functions=("rule_metrics", "apriori", "generate_rules"),
    # Libraries that mine frequent itemsets or association rules.
    forbidden=("mlxtend", "efficient_apriori", "apyori", "pyfpgrowth", "fim", "pyfim", "orangecontrib",
               "spmf", "pyspark.ml.fpm"),
)
ref = SPEC.reference

RTOL = 1e-12  # ratios of small counts: any route (counts, fractions of fractions) is this close
ITEMS = ("apple", "beer", "bread", "cola", "diaper", "eggs", "milk", "tea")
CLASSIC = [["bread", "milk"], ["bread", "diaper", "beer", "eggs"], ["milk", "diaper", "beer", "cola"],
           ["bread", "milk", "diaper", "beer"], ["bread", "milk", "diaper", "cola"]]


# ---------------------------------------------------------------- judge-side counting

def count(itemset, transactions) -> int:
    itemset = set(itemset)
    return sum(itemset <= set(t) for t in transactions)


def all_itemsets(transactions, min_support) -> dict:
    """Brute force: every non-empty subset of the items seen, kept when count / N >= min_support."""
    items = sorted(set().union(*map(set, transactions)))
    n = len(transactions)
    table = {}
    for size in range(1, len(items) + 1):
        for subset in combinations(items, size):
            c = count(subset, transactions)
            if c / n >= min_support:
                table[frozenset(subset)] = c / n
    return table


def support_values(n: int) -> list[float]:
    return [k / n for k in range(n + 1)]


def confidence_values(n: int) -> list[float]:
    return [p / q for q in range(1, n + 1) for p in range(q + 1)]


# ---------------------------------------------------------------- strategies

@st.composite
def transactions(draw, max_transactions=10, max_items=6, dense=False):
    """1 to max_transactions baskets over the first k items (k <= 8), items in random order; some empty."""
    k = draw(st.integers(2 if dense else 1, max_items))
    pool = list(ITEMS[:k])
    n = draw(st.integers(1, max_transactions))
    smallest = max(k - 2, 0) if dense else 0
    return [draw(st.lists(st.sampled_from(pool), unique=True, min_size=smallest, max_size=k)) for _ in range(n)]


def _far_from(value: float, values: list[float]) -> bool:
    return min(abs(value - v) for v in values) > 1e-9


@st.composite
def min_support_for(draw, n: int):
    """A threshold in (0, 1] at least 1e-9 away from every k / n."""
    grid = draw(st.integers(0, n - 1).map(lambda c: (c + 0.5) / n))
    drawn = draw(st.floats(0.01, 1.0))
    return drawn if _far_from(drawn, support_values(n)) and draw(st.booleans()) else grid


@st.composite
def min_confidence_for(draw, n: int):
    """A threshold in [0, 1] at least 1e-9 away from every p / q, q <= n (0 itself is safe: no rule has 0)."""
    drawn = draw(st.one_of(st.just(0.0), st.floats(0.0, 1.0)))
    return drawn if drawn == 0.0 or _far_from(drawn, confidence_values(n)) else 0.0


@st.composite
def mining_inputs(draw, rules=False, dense=False, max_items=None, low_support=False, empty_and_repeated=False):
    # Rules grow like 3**items: 5 items keep a generated case under a few hundred rules.
    baskets = draw(transactions(dense=dense, max_items=max_items or (5 if rules else 6)))
    if empty_and_repeated:  # an empty basket and a copy of one: both count in the total
        baskets = baskets + [[], list(draw(st.sampled_from(baskets)))]
    n = len(baskets)
    support = 0.5 / n if low_support else draw(min_support_for(n))
    kwargs = {"transactions": baskets, "min_support": support}
    if rules:
        kwargs["min_confidence"] = draw(min_confidence_for(n))
    return kwargs


@st.composite
def rule_inputs(draw):
    """Transactions and a rule A -> B: disjoint, non-empty sides that each occur in some transaction."""
    baskets = draw(transactions())
    pool = sorted(set().union(*map(set, baskets)) | {"apple", "beer"})
    a = draw(st.lists(st.sampled_from(pool), unique=True, min_size=1, max_size=min(3, len(pool) - 1)))
    rest = [item for item in pool if item not in a]
    b = draw(st.lists(st.sampled_from(rest), unique=True, min_size=1, max_size=3))
    for side in (a, b):
        if count(side, baskets) == 0:
            baskets = baskets + [list(side)]
    if draw(st.booleans()):  # a transaction holding the whole rule, somewhere
        baskets.insert(draw(st.integers(0, len(baskets))), [*b, *a])
    return {"transactions": baskets, "antecedent": a, "consequent": b}


# ---------------------------------------------------------------- reading the learner's results

def _sequence(value, what):
    if not isinstance(value, (list, tuple)):
        raise Failure(f"{what} is {render.kind(value)}; expected a list", expected=render.describe("a list"),
                      got=value)
    return value


def _itemset(value, what) -> tuple:
    items = _sequence(value, what)
    for item in items:
        if not isinstance(item, str):
            raise Failure(f"{what} holds {render.kind(item)}; itemsets hold the items (str) themselves", got=value)
    return tuple(items)


def itemset_table(value, what="apriori's result") -> dict:
    """The learner's [(itemset, support), ...] as {frozenset: support}; duplicates are a failure."""
    table = {}
    for number, entry in enumerate(_sequence(value, what)):
        itemset, support = tuple_contract(entry, 2, what=f"entry {number} of {what} (itemset, support)")
        key = frozenset(_itemset(itemset, f"the itemset of entry {number}"))
        if key in table:
            raise Failure(f"{what} lists the itemset {sorted(key)} twice", got=value)
        table[key] = as_float(support, what=f"the support of {sorted(key)}")
    return table


def rule_table(value, what="generate_rules' result") -> dict:
    """The learner's [(A, B, support, confidence, lift), ...] as {(A, B): (s, c, l)}."""
    table = {}
    for number, entry in enumerate(_sequence(value, what)):
        a, b, *metrics = tuple_contract(entry, 5, what=f"rule {number} of {what} (A, B, support, confidence, lift)")
        key = (frozenset(_itemset(a, f"the antecedent of rule {number}")),
               frozenset(_itemset(b, f"the consequent of rule {number}")))
        if key in table:
            raise Failure(f"{what} lists the rule {show_rule(key)} twice", got=value)
        table[key] = tuple(as_float(m, what=f"a metric of rule {show_rule(key)}") for m in metrics)
    return table


def show(itemset) -> str:
    return "{" + ", ".join(sorted(itemset)) + "}"


def show_rule(key) -> str:
    return f"{show(key[0])} -> {show(key[1])}"


def expect_same_itemsets(got: dict, want: dict, *, why_missing="", why_extra="") -> None:
    missing = sorted((k for k in want if k not in got), key=lambda k: (len(k), sorted(k)))
    if missing:
        k = missing[0]
        raise Failure(f"the itemset {show(k)} (support {want[k]!r}) is missing{why_missing}"
                      f"{f'; {len(missing)} are missing in all' if len(missing) > 1 else ''}",
                      expected=render.describe(f"{len(want)} itemsets"), got=render.describe(f"{len(got)} itemsets"))
    extra = sorted((k for k in got if k not in want), key=lambda k: (len(k), sorted(k)))
    if extra:
        k = extra[0]
        raise Failure(f"the itemset {show(k)} should not be there{why_extra}",
                      expected=render.describe(f"{len(want)} itemsets"), got=render.describe(f"{len(got)} itemsets"))
    keys = sorted(want, key=lambda k: (len(k), sorted(k)))
    _expect_all_close([got[k] for k in keys], [want[k] for k in keys], lambda i: f"the support of {show(keys[i])}")


def expect_same_rules(got: dict, want: dict) -> None:
    missing = [k for k in want if k not in got]
    if missing:
        k = min(missing, key=lambda k: (sorted(k[0]), sorted(k[1])))
        raise Failure(f"the rule {show_rule(k)} (confidence {want[k][1]!r}) is missing"
                      f"{f'; {len(missing)} are missing in all' if len(missing) > 1 else ''}",
                      expected=render.describe(f"{len(want)} rules"), got=render.describe(f"{len(got)} rules"))
    extra = [k for k in got if k not in want]
    if extra:
        k = min(extra, key=lambda k: (sorted(k[0]), sorted(k[1])))
        raise Failure(f"the rule {show_rule(k)} should not be there",
                      expected=render.describe(f"{len(want)} rules"), got=render.describe(f"{len(got)} rules"))
    keys = sorted(want, key=lambda k: (sorted(k[0]), sorted(k[1])))
    _expect_all_close([got[k] for k in keys], [want[k] for k in keys],
                      lambda i: f"(support, confidence, lift) of {show_rule(keys[i])}")


def _expect_all_close(got: list, want: list, name) -> None:
    """One vectorised comparison for many itemsets or rules; the first bad one is reported on its own."""
    if not want:
        return
    g, w = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    with np.errstate(all="ignore"):
        bad = ~(np.abs(g - w) <= RTOL * np.abs(w))
    if bad.any():
        i = int(np.flatnonzero(bad.reshape(len(want), -1).any(axis=1))[0])
        expect_close(got[i], want[i], rtol=RTOL, atol=0, what=name(i))


def as_table(pairs) -> dict:
    return {frozenset(itemset): support for itemset, support in pairs}


def as_rules(rules) -> dict:
    return {(frozenset(a), frozenset(b)): tuple(metrics) for a, b, *metrics in rules}


# ---------------------------------------------------------------- contract: rule_metrics

RULE_EXAMPLE = dict(transactions=CLASSIC, antecedent=["diaper"], consequent=["beer"])


@SPEC.check("rule_metrics", tier="contract", points=1, title="rule_metrics returns a tuple of three floats",
            given=rule_inputs(), examples=[RULE_EXAMPLE])
def rule_metrics_returns_three_floats(learner, transactions, antecedent, consequent):
    value = learner.rule_metrics(transactions=transactions, antecedent=antecedent, consequent=consequent)
    for name, metric in zip(("support", "confidence", "lift"), tuple_contract(value, 3)):
        float_contract(metric, what=name)


@SPEC.check("rule_metrics", tier="contract", points=2,
            title="rule_metrics raises ValueError for no transactions, an empty or overlapping side, or a side "
                  "that never occurs",
            examples=[dict(transactions=[], antecedent=["a"], consequent=["b"], why="no transactions"),
                      dict(transactions=[["a", "b"]], antecedent=[], consequent=["b"], why="an empty antecedent"),
                      dict(transactions=[["a", "b"]], antecedent=["a"], consequent=[], why="an empty consequent"),
                      dict(transactions=[["a", "b"]], antecedent=["a", "b"], consequent=["b"],
                           why="b on both sides"),
                      dict(transactions=[["a", "b"], ["b"]], antecedent=["c"], consequent=["b"],
                           why="an antecedent that never occurs (support 0)"),
                      dict(transactions=[["a", "b"], ["b"]], antecedent=["a"], consequent=["z"],
                           why="a consequent that never occurs (support 0)")])
def rule_metrics_rejects_bad_input(learner, transactions, antecedent, consequent, why):
    outcome = learner.outcome("rule_metrics", transactions=transactions, antecedent=antecedent, consequent=consequent)
    expect_value_error(outcome, bad=why)


# ---------------------------------------------------------------- contract: apriori

APRIORI_EXAMPLE = dict(transactions=[["a", "b"], ["a"], ["b", "c"]], min_support=0.5)


def expect_sorted_pairs(value):
    """A list of (itemset, support): itemsets as tuples of str in ascending order, sorted by (size, items)."""
    entries = _sequence(value, "apriori's result")
    keys = []
    for number, entry in enumerate(entries):
        itemset, support = tuple_contract(entry, 2, what=f"entry {number} (itemset, support)")
        items = _itemset(itemset, f"the itemset of entry {number}")
        if list(items) != sorted(items):
            raise Failure(f"the itemset of entry {number} is not in ascending order", expected=tuple(sorted(items)),
                          got=itemset)
        float_contract(support, what=f"the support of entry {number}")
        keys.append((len(items), items))
    if keys != sorted(keys) or len(set(keys)) != len(keys):
        raise Failure("the list is not sorted by (len(itemset), itemset), each itemset once",
                      expected=sorted(set(keys)), got=keys)


@SPEC.check("apriori", tier="contract", points=2,
            title="apriori returns a list of (itemset, support): sorted tuples of items, a float, in the stated order",
            given=mining_inputs(), examples=[APRIORI_EXAMPLE, dict(transactions=CLASSIC, min_support=0.5)])
def apriori_returns_sorted_pairs(learner, transactions, min_support):
    expect_sorted_pairs(learner.apriori(transactions=transactions, min_support=min_support))


@SPEC.check("apriori", tier="contract", points=1,
            title="apriori raises ValueError for min_support outside (0, 1] or no transactions",
            examples=[dict(transactions=[["a"]], min_support=0.0, why="min_support = 0"),
                      dict(transactions=[["a"]], min_support=-0.2, why="min_support = -0.2"),
                      dict(transactions=[["a"]], min_support=1.5, why="min_support = 1.5"),
                      dict(transactions=[], min_support=0.5, why="no transactions")])
def apriori_rejects_bad_input(learner, transactions, min_support, why):
    expect_value_error(learner.outcome("apriori", transactions=transactions, min_support=min_support), bad=why)


@SPEC.check("apriori", tier="contract", points=1, title="apriori leaves the transactions unchanged",
            given=mining_inputs(), examples=[dict(transactions=[["b", "a"], ["c", "a", "b"]], min_support=0.4)])
def apriori_leaves_transactions_unchanged(learner, transactions, min_support):
    _, after = learner.value_and_arguments_after("apriori", transactions=transactions, min_support=min_support)
    expect_unchanged({"transactions": transactions}, after, function="apriori")


# ---------------------------------------------------------------- contract: generate_rules

def expect_sorted_rules(value):
    rules = _sequence(value, "generate_rules' result")
    keys = []
    for number, rule in enumerate(rules):
        a, b, *metrics = tuple_contract(rule, 5, what=f"rule {number} (A, B, support, confidence, lift)")
        sides = []
        for side, name in ((a, "antecedent"), (b, "consequent")):
            items = _itemset(side, f"the {name} of rule {number}")
            if list(items) != sorted(items):
                raise Failure(f"the {name} of rule {number} is not in ascending order", expected=tuple(sorted(items)),
                              got=side)
            sides.append(items)
        for metric, name in zip(metrics, ("support", "confidence", "lift")):
            float_contract(metric, what=f"the {name} of rule {number}")
        keys.append(tuple(sides))
    if keys != sorted(keys) or len(set(keys)) != len(keys):
        raise Failure("the rules are not sorted by (A, B), each rule once", expected=sorted(set(keys)), got=keys)


@SPEC.check("generate_rules", tier="contract", points=1,
            title="generate_rules returns a list of (A, B, support, confidence, lift), sorted by (A, B)",
            given=mining_inputs(rules=True),
            examples=[dict(transactions=[["a", "b"], ["a", "b"], ["a"]], min_support=0.5, min_confidence=0.9),
                      dict(transactions=CLASSIC, min_support=0.5, min_confidence=0.0)])
def generate_rules_returns_sorted_rules(learner, transactions, min_support, min_confidence):
    expect_sorted_rules(learner.generate_rules(transactions=transactions, min_support=min_support,
                                               min_confidence=min_confidence))


@SPEC.check("generate_rules", tier="contract", points=1,
            title="generate_rules raises ValueError for min_support outside (0, 1] or min_confidence outside [0, 1]",
            examples=[dict(transactions=[["a", "b"]], min_support=0.5, min_confidence=-0.1,
                           why="min_confidence = -0.1"),
                      dict(transactions=[["a", "b"]], min_support=0.5, min_confidence=1.5, why="min_confidence = 1.5"),
                      dict(transactions=[["a", "b"]], min_support=0.0, min_confidence=0.5, why="min_support = 0"),
                      dict(transactions=[], min_support=0.5, min_confidence=0.5, why="no transactions")])
def generate_rules_rejects_bad_input(learner, transactions, min_support, min_confidence, why):
    outcome = learner.outcome("generate_rules", transactions=transactions, min_support=min_support,
                              min_confidence=min_confidence)
    expect_value_error(outcome, bad=why)


# ---------------------------------------------------------------- properties

def metrics(value):
    support, confidence, lift = tuple_contract(value, 3, what="rule_metrics' result")
    return (as_float(support, what="support"), as_float(confidence, what="confidence"), as_float(lift, what="lift"))


@SPEC.check("rule_metrics", tier="properties", points=2,
            title="rule_metrics gives A -> B and B -> A the same support and the same lift",
            given=rule_inputs(), examples=[RULE_EXAMPLE, dict(transactions=CLASSIC, antecedent=["bread"],
                                                             consequent=["milk", "diaper"])])
def rule_metrics_lift_is_symmetric(learner, transactions, antecedent, consequent):
    forward = metrics(learner.rule_metrics(transactions=transactions, antecedent=antecedent, consequent=consequent))
    backward = metrics(learner.rule_metrics(transactions=transactions, antecedent=consequent, consequent=antecedent))
    expect_close(backward[0], forward[0], rtol=RTOL, atol=0, what="the support of B -> A (against A -> B)")
    expect_close(backward[2], forward[2], rtol=RTOL, atol=0, what="the lift of B -> A (against A -> B)")


@SPEC.check("rule_metrics", tier="properties", points=1,
            title="rule_metrics' confidence is the share of the transactions with A that also hold B",
            given=rule_inputs(), examples=[dict(transactions=CLASSIC, antecedent=["milk"], consequent=["cola"])])
def rule_metrics_confidence_is_a_share_of_a(learner, transactions, antecedent, consequent):
    _, confidence, _ = metrics(learner.rule_metrics(transactions=transactions, antecedent=antecedent,
                                                    consequent=consequent))
    with_a = [t for t in transactions if set(antecedent) <= set(t)]
    share = count(consequent, with_a) / len(with_a)
    expect_close(confidence, share, rtol=RTOL, atol=0,
                 what=f"the confidence (of the {len(with_a)} transactions holding A, the share that also hold B)")


@SPEC.check("apriori", tier="properties", points=2,
            title="apriori's itemsets are closed under subsets, whose support is never smaller (anti-monotone)",
            given=mining_inputs(), examples=[dict(transactions=CLASSIC, min_support=0.5)])
def apriori_itemsets_are_closed_under_subsets(learner, transactions, min_support):
    table = itemset_table(learner.apriori(transactions=transactions, min_support=min_support))
    for itemset, support in table.items():
        for size in range(1, len(itemset)):
            for subset in map(frozenset, combinations(sorted(itemset), size)):
                if subset not in table:
                    raise Failure(f"{show(itemset)} is there but its subset {show(subset)} is not; a subset is "
                                  f"in at least as many transactions", got=render.describe(f"{len(table)} itemsets"))
                if table[subset] < support * (1 - RTOL):
                    raise Failure(f"the support of {show(subset)} ({table[subset]!r}) is smaller than that of "
                                  f"{show(itemset)} ({support!r})", got=render.describe(f"{len(table)} itemsets"))


@SPEC.check("apriori", tier="properties", points=2,
            title="apriori's supports are the fractions of transactions holding each itemset, all >= min_support",
            given=mining_inputs(), examples=[dict(transactions=CLASSIC + [[]], min_support=0.3)])
def apriori_supports_are_fractions(learner, transactions, min_support):
    table = itemset_table(learner.apriori(transactions=transactions, min_support=min_support))
    n = len(transactions)
    for itemset, support in table.items():
        expect_close(support, count(itemset, transactions) / n, rtol=RTOL, atol=0,
                     what=f"the support of {show(itemset)} (in {count(itemset, transactions)} of {n} transactions)")
        if support < min_support:
            raise Failure(f"{show(itemset)} has support {support!r} < min_support = {min_support!r}")


@SPEC.check("generate_rules", tier="properties", points=2,
            title="generate_rules' rules split a frequent itemset in two, with confidence >= min_confidence and "
                  "the metrics of rule_metrics",
            given=mining_inputs(rules=True), examples=[dict(transactions=CLASSIC, min_support=0.3, min_confidence=0.6)])
def generate_rules_rules_are_valid(learner, transactions, min_support, min_confidence):
    rules = rule_table(learner.generate_rules(transactions=transactions, min_support=min_support,
                                              min_confidence=min_confidence))
    n = len(transactions)
    for (a, b), (support, confidence, lift) in rules.items():
        if not a or not b or a & b:
            raise Failure(f"the rule {show_rule((a, b))} needs two non-empty, disjoint sides")
        both, alone_a, alone_b = count(a | b, transactions), count(a, transactions), count(b, transactions)
        if both / n < min_support:
            raise Failure(f"{show(a | b)} of the rule {show_rule((a, b))} is not frequent (support {both / n!r})")
        want = (both / n, both / alone_a, both * n / (alone_a * alone_b))
        expect_close((support, confidence, lift), want, rtol=RTOL, atol=0,
                     what=f"(support, confidence, lift) of {show_rule((a, b))}")
        if confidence < min_confidence:
            raise Failure(f"the rule {show_rule((a, b))} has confidence {confidence!r} < min_confidence = "
                          f"{min_confidence!r}")


# ---------------------------------------------------------------- reference

@SPEC.check("rule_metrics", tier="reference", points=2,
            title="rule_metrics matches the reference ({diaper} -> {beer}: 0.6, 0.75, 1.25)",
            given=rule_inputs(), examples=[RULE_EXAMPLE, dict(transactions=CLASSIC, antecedent=["milk", "bread"],
                                                             consequent=["diaper"])])
def rule_metrics_matches_reference(learner, transactions, antecedent, consequent):
    got = metrics(learner.rule_metrics(transactions=transactions, antecedent=antecedent, consequent=consequent))
    expect_close(got, ref.rule_metrics(transactions, antecedent, consequent), rtol=RTOL, atol=0,
                 what="(support, confidence, lift)")


@SPEC.check("apriori", tier="reference", points=3,
            title="apriori finds the same itemsets and supports as the reference",
            given=mining_inputs(), examples=[APRIORI_EXAMPLE, dict(transactions=CLASSIC, min_support=0.5)])
def apriori_matches_reference(learner, transactions, min_support):
    got = itemset_table(learner.apriori(transactions=transactions, min_support=min_support))
    expect_same_itemsets(got, as_table(ref.apriori(transactions, min_support)))


@SPEC.check("generate_rules", tier="reference", points=3, title="generate_rules finds the same rules as the reference",
            given=mining_inputs(rules=True),
            examples=[dict(transactions=CLASSIC, min_support=0.5, min_confidence=0.7),
                      dict(transactions=CLASSIC, min_support=0.3, min_confidence=0.5)])
def generate_rules_matches_reference(learner, transactions, min_support, min_confidence):
    got = rule_table(learner.generate_rules(transactions=transactions, min_support=min_support,
                                            min_confidence=min_confidence))
    expect_same_rules(got, as_rules(ref.generate_rules(transactions, min_support, min_confidence)))


# ---------------------------------------------------------------- stability

@SPEC.check("apriori", tier="stability", points=3,
            title="apriori finds every itemset down to a single occurrence, in dense baskets of up to 8 items",
            given=mining_inputs(dense=True, max_items=8, low_support=True), max_examples=3,
            examples=[dict(transactions=[list(ITEMS)], min_support=0.5),
                      dict(transactions=[list(ITEMS[:5]), list(ITEMS[3:]), ["tea", "apple"]], min_support=0.2)])
def apriori_finds_long_itemsets(learner, transactions, min_support):
    got = itemset_table(learner.apriori(transactions=transactions, min_support=min_support))
    expect_same_itemsets(got, all_itemsets(transactions, min_support),
                         why_missing=" (every subset of a basket occurs at least once here)")


@SPEC.check("apriori", tier="stability", points=1,
            title="apriori counts empty and repeated transactions in the total",
            given=mining_inputs(empty_and_repeated=True),
            examples=[dict(transactions=[["a"], [], [], ["a", "b"]], min_support=0.3),
                      dict(transactions=[["a", "b"], ["a", "b"], []], min_support=0.5)])
def apriori_counts_every_transaction(learner, transactions, min_support):
    got = itemset_table(learner.apriori(transactions=transactions, min_support=min_support))
    expect_same_itemsets(got, all_itemsets(transactions, min_support),
                         why_missing=f" (the support divides by all {len(transactions)} transactions)",
                         why_extra=f" (the support divides by all {len(transactions)} transactions, empty ones too)")


@SPEC.check("generate_rules", tier="stability", points=2,
            title="generate_rules finds rules with several items on either side, in dense baskets of up to 7 items",
            given=mining_inputs(rules=True, dense=True, max_items=7), max_examples=3,
            examples=[dict(transactions=[["a", "b", "c"], ["a", "b", "c"], ["a", "b"], ["c"]], min_support=0.4,
                           min_confidence=0.6)])
def generate_rules_handles_multi_item_sides(learner, transactions, min_support, min_confidence):
    got = rule_table(learner.generate_rules(transactions=transactions, min_support=min_support,
                                            min_confidence=min_confidence))
    expect_same_rules(got, as_rules(ref.generate_rules(transactions, min_support, min_confidence)))


# ---------------------------------------------------------------- known mistakes
# Written as if they lived in solutions/association_rules.py: they use its helpers (_baskets, _count,
# _frequent_itemsets, _check_fraction, _itemset_order) and never the public functions, which the tests
# replace by the mistake itself.

@SPEC.mistake_helper
def _rule_counts(transactions, antecedent, consequent):
    baskets = _baskets(transactions)
    a, b = frozenset(antecedent), frozenset(consequent)
    if not a or not b or a & b:
        raise ValueError("antecedent and consequent must be non-empty and disjoint")
    n, count_a, count_b = len(baskets), _count(a, baskets), _count(b, baskets)
    if count_a == 0 or count_b == 0:
        raise ValueError("the antecedent and the consequent must each occur in some transaction")
    return n, count_a, count_b, _count(a | b, baskets)


@SPEC.mistake("rule_metrics", "divides by supp(B) for the confidence: that is the confidence of B -> A",
              hint="confidence(A -> B) = supp(A u B) / supp(A): of the transactions with the antecedent A, the "
                   "share that also hold B. Dividing by supp(B) answers the reverse rule.")
def rule_metrics_confidence_over_consequent(transactions, antecedent, consequent):
    n, count_a, count_b, count = _rule_counts(transactions, antecedent, consequent)
    return count / n, count / count_b, count * n / (count_a * count_b)


@SPEC.mistake("rule_metrics", "divides the confidence by supp(A) for the lift",
              hint="lift = confidence / supp(B) = supp(A u B) / (supp(A) supp(B)): how much more often B comes "
                   "with A than B comes at all.")
def rule_metrics_lift_over_antecedent(transactions, antecedent, consequent):
    n, count_a, count_b, count = _rule_counts(transactions, antecedent, consequent)
    return count / n, count / count_a, count * n / (count_a * count_a)


@SPEC.mistake("rule_metrics", "counts a transaction when it holds ANY item of the itemset, not all of them",
              hint="A transaction supports an itemset when it contains every one of its items: "
                   "set(itemset) <= set(transaction), or all(item in t for item in itemset).")
def rule_metrics_with_any_item(transactions, antecedent, consequent):
    baskets = _baskets(transactions)
    a, b = frozenset(antecedent), frozenset(consequent)
    if not a or not b or a & b:
        raise ValueError("antecedent and consequent must be non-empty and disjoint")
    n = len(baskets)
    count_a = sum(bool(a & t) for t in baskets)
    count_b = sum(bool(b & t) for t in baskets)
    if count_a == 0 or count_b == 0:
        raise ValueError("the antecedent and the consequent must each occur in some transaction")
    count = sum(bool((a | b) & t) for t in baskets)
    return count / n, count / count_a, count * n / (count_a * count_b)


@SPEC.mistake("rule_metrics", "returns the number of transactions as the support, not the fraction",
              hint="Support is a fraction of all transactions: divide the count by len(transactions).")
def rule_metrics_support_as_count(transactions, antecedent, consequent):
    n, count_a, count_b, count = _rule_counts(transactions, antecedent, consequent)
    return count, count / count_a, count * n / (count_a * count_b)


@SPEC.mistake("apriori", "returns counts as supports, not fractions of the transactions",
              hint="Support is count / len(transactions), a number in [0, 1], also in apriori's result.")
def apriori_support_as_count(transactions, min_support):
    _check_fraction(min_support, "min_support", low_open=True)
    baskets = _baskets(transactions)
    frequent = _frequent_itemsets(baskets, min_support)
    return sorted(((tuple(sorted(s)), _count(s, baskets)) for s in frequent), key=_itemset_order)


@SPEC.mistake("apriori", "stops after pairs: misses the frequent itemsets of three or more items",
              hint="Keep growing: build level k + 1 from level k until a level comes out empty, not just twice.")
def apriori_stopping_at_pairs(transactions, min_support):
    _check_fraction(min_support, "min_support", low_open=True)
    frequent = _frequent_itemsets(_baskets(transactions), min_support)
    return sorted(((tuple(sorted(s)), v) for s, v in frequent.items() if len(s) <= 2), key=_itemset_order)


@SPEC.mistake("apriori", "leaves the empty transactions out of the total",
              hint="An empty basket is still a transaction: support divides by len(transactions), all of them.")
def apriori_skipping_empty_transactions(transactions, min_support):
    _check_fraction(min_support, "min_support", low_open=True)
    baskets = [b for b in _baskets(transactions) if b]
    frequent = _frequent_itemsets(baskets, min_support) if baskets else {}
    return sorted(((tuple(sorted(s)), v) for s, v in frequent.items()), key=_itemset_order)


@SPEC.mistake("apriori", "returns only the last (largest) level instead of the frequent itemsets of every size",
              hint="Collect each level as you go (frequent.update(level)) and return them all: single items, "
                   "pairs, triples, ...")
def apriori_last_level_only(transactions, min_support):
    _check_fraction(min_support, "min_support", low_open=True)
    frequent = _frequent_itemsets(_baskets(transactions), min_support)
    largest = max(map(len, frequent), default=0)
    return sorted(((tuple(sorted(s)), v) for s, v in frequent.items() if len(s) == largest), key=_itemset_order)


@SPEC.mistake("generate_rules", "only puts a single item on the right-hand side (B)",
              hint="Every split of a frequent itemset S counts: for each size 1 .. len(S) - 1, every "
                   "combination A gives the rule A -> S - A, so B can hold several items too.")
def generate_rules_single_item_consequents(transactions, min_support, min_confidence):
    _check_fraction(min_support, "min_support", low_open=True)
    _check_fraction(min_confidence, "min_confidence", low_open=False)
    frequent = _frequent_itemsets(_baskets(transactions), min_support)
    rules = []
    for itemset, support in frequent.items():
        for item in itemset if len(itemset) > 1 else ():
            a, b = itemset - {item}, frozenset([item])
            confidence = support / frequent[a]
            if confidence >= min_confidence:
                rules.append((tuple(sorted(a)), tuple(sorted(b)), support, confidence, confidence / frequent[b]))
    return sorted(rules, key=lambda rule: (rule[0], rule[1]))


@SPEC.mistake("generate_rules", "divides by supp(B) for the confidence (the confidence of B -> A)",
              hint="confidence(A -> B) = supp(A u B) / supp(A), the antecedent's support below the line.")
def generate_rules_confidence_over_consequent(transactions, min_support, min_confidence):
    _check_fraction(min_support, "min_support", low_open=True)
    _check_fraction(min_confidence, "min_confidence", low_open=False)
    frequent = _frequent_itemsets(_baskets(transactions), min_support)
    rules = []
    for itemset, support in frequent.items():
        for size in range(1, len(itemset)):
            for a in map(frozenset, combinations(sorted(itemset), size)):
                b = itemset - a
                confidence = support / frequent[b]
                if confidence >= min_confidence:
                    rules.append((tuple(sorted(a)), tuple(sorted(b)), support, confidence,
                                  support / (frequent[a] * frequent[b])))
    return sorted(rules, key=lambda rule: (rule[0], rule[1]))
