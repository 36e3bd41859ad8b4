"""Association rules: support, confidence and lift, frequent itemsets by apriori, and rule generation.

A transaction is a basket of items. The support of an itemset S is the fraction of transactions that
contain all of S. A rule A -> B (A, B disjoint, non-empty) has support supp(A u B), confidence
supp(A u B) / supp(A) (how often B comes with A) and lift confidence / supp(B) (above 1: A makes B more
likely than it is on its own). Support can only shrink when items are added (anti-monotone), so apriori
grows itemsets one item at a time and keeps a candidate only if all its one-smaller subsets were frequent.

Libraries that mine itemsets or rules (mlxtend, efficient_apriori, apyori, pyfpgrowth, pyfim, Orange's
associate, spmf, pyspark.ml.fpm) are off limits here.

Run `grade association_rules` to check your work; stuck? `grade hint association_rules`.
"""

from itertools import combinations


def rule_metrics(transactions, antecedent, consequent) -> tuple[float, float, float]:
    """(support, confidence, lift) of the rule antecedent -> consequent over the transactions.

    transactions is a non-empty list of transactions, each a list of distinct items (str); a transaction
    may be empty (it still counts in the total). antecedent and consequent are non-empty, disjoint lists
    of items. Raises ValueError for no transactions, an empty or overlapping antecedent/consequent, or
    when the antecedent or the consequent never occurs (support 0: confidence or lift would divide by 0).

    Example: rule_metrics([["bread", "milk"], ["bread", "diaper", "beer", "eggs"],
                           ["milk", "diaper", "beer", "cola"], ["bread", "milk", "diaper", "beer"],
                           ["bread", "milk", "diaper", "cola"]], ["diaper"], ["beer"]) -> (0.6, 0.75, 1.25)
    """
    baskets = _baskets(transactions)
    a, b = frozenset(antecedent), frozenset(consequent)
    if not a or not b:
        raise ValueError("antecedent and consequent must not be empty")
    if a & b:
        raise ValueError(f"antecedent and consequent must be disjoint; both hold {sorted(a & b)}")
    n, count_a, count_b = len(baskets), _count(a, baskets), _count(b, baskets)
    if count_a == 0 or count_b == 0:
        raise ValueError("the antecedent and the consequent must each occur in some transaction")
    count = _count(a | b, baskets)
    # From the counts: 3 / 4 is exactly 0.75, where (3 / 5) / (4 / 5) rounds to 0.7499999999999999.
    return count / n, count / count_a, count * n / (count_a * count_b)


def apriori(transactions, min_support: float) -> list[tuple[tuple[str, ...], float]]:
    """Every itemset with support >= min_support, as (itemset, support) pairs; min_support in (0, 1].

    itemset is a tuple of its items in ascending order; the list is sorted by (len(itemset), itemset):
    the single items first, alphabetically, then the pairs, and so on. Each frequent itemset appears
    once. Transactions are as in rule_metrics; no transactions or min_support outside (0, 1] is a
    ValueError. (The grader keeps min_support away from every support value, so >= against >, or
    count >= min_support * len(transactions), never matters.)

    Example: apriori([["a", "b"], ["a"], ["b", "c"]], 0.5)
        -> [(("a",), 0.6666666666666666), (("b",), 0.6666666666666666)]
    """
    _check_fraction(min_support, "min_support", low_open=True)
    frequent = _frequent_itemsets(_baskets(transactions), min_support)
    return sorted(((tuple(sorted(s)), support) for s, support in frequent.items()), key=_itemset_order)


def generate_rules(transactions, min_support: float, min_confidence: float) -> list[tuple]:
    """Every rule A -> B with A u B frequent and confidence >= min_confidence, with its metrics.

    For every itemset S from apriori(transactions, min_support) with 2 or more items, and every split of
    S into non-empty A and B = S - A, a rule is the tuple (A, B, support, confidence, lift) with A and B
    as tuples in ascending order and the metrics of rule_metrics. The list is sorted by (A, B).
    No transactions, min_support outside (0, 1] or min_confidence outside [0, 1] is a ValueError; the
    grader keeps min_confidence away from every confidence value too.

    Example: generate_rules([["a", "b"], ["a", "b"], ["a"]], 0.5, 0.9)
        -> [(("b",), ("a",), 0.6666666666666666, 1.0, 1.0)]
    """
    _check_fraction(min_support, "min_support", low_open=True)
    _check_fraction(min_confidence, "min_confidence", low_open=False)
    frequent = _frequent_itemsets(_baskets(transactions), min_support)
    rules = []
    for itemset, support in frequent.items():
        for size in range(1, len(itemset)):
            for a in combinations(sorted(itemset), size):
                a = frozenset(a)
                b = itemset - a
                # Every subset of a frequent itemset is frequent (anti-monotone), so both are in `frequent`.
                confidence = support / frequent[a]
                if confidence >= min_confidence:
                    rules.append((tuple(sorted(a)), tuple(sorted(b)), support, confidence, confidence / frequent[b]))
    return sorted(rules, key=lambda rule: (rule[0], rule[1]))


def _frequent_itemsets(baskets: list[frozenset], min_support: float) -> dict[frozenset, float]:
    """Apriori: level k + 1 candidates are unions of two frequent k-itemsets, pruned by their subsets."""
    n = len(baskets)
    items = sorted(set().union(*baskets))
    level = {}
    for item in items:
        support = sum(item in basket for basket in baskets) / n
        if support >= min_support:
            level[frozenset([item])] = support
    frequent = dict(level)
    size = 1
    while level:
        size += 1
        candidates = set()
        for x, y in combinations(level, 2):
            union = x | y
            # Anti-monotone pruning: a candidate with an infrequent (size - 1)-subset cannot be frequent.
            if len(union) == size and all(frozenset(sub) in level for sub in combinations(union, size - 1)):
                candidates.add(union)
        level = {}
        for candidate in candidates:
            support = _support(candidate, baskets)
            if support >= min_support:
                level[candidate] = support
        frequent.update(level)
    return frequent


def _count(itemset: frozenset, baskets: list[frozenset]) -> int:
    return sum(itemset <= basket for basket in baskets)


def _support(itemset: frozenset, baskets: list[frozenset]) -> float:
    return _count(itemset, baskets) / len(baskets)


def _baskets(transactions) -> list[frozenset]:
    if isinstance(transactions, (str, bytes)) or len(transactions) == 0:
        raise ValueError("transactions must be a non-empty list of transactions")
    return [frozenset(t) for t in transactions]


def _check_fraction(value, name: str, *, low_open: bool) -> None:
    low_ok = value > 0 if low_open else value >= 0
    if not (low_ok and value <= 1):
        interval = "(0, 1]" if low_open else "[0, 1]"
        raise ValueError(f"{name} must be in {interval}, got {value!r}")


def _itemset_order(pair):
    itemset, _ = pair
    return len(itemset), itemset
