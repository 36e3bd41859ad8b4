"""A correct association_rules module written differently from the reference.

No apriori levels: every subset of every transaction is counted once in a Counter (fine for small
baskets), the frequent ones kept; rules come from bit masks over each frequent itemset's items;
supports are fractions and confidences ratios of fractions (not of counts).
"""

from collections import Counter
from itertools import chain, combinations


def _validate(transactions):
    if len(transactions) == 0:
        raise ValueError("need at least one transaction")
    return [set(t) for t in transactions]


def _support(itemset, baskets):
    return len([b for b in baskets if all(item in b for item in itemset)]) / len(baskets)


def rule_metrics(transactions, antecedent, consequent):
    baskets = _validate(transactions)
    if len(antecedent) == 0 or len(consequent) == 0:
        raise ValueError("both sides of a rule need an item")
    if set(antecedent).intersection(consequent):
        raise ValueError("the two sides of a rule share an item")
    s_a, s_b = _support(antecedent, baskets), _support(consequent, baskets)
    if s_a == 0 or s_b == 0:
        raise ValueError("a side of the rule never occurs")
    s = _support(list(antecedent) + list(consequent), baskets)
    return s, s / s_a, s / (s_a * s_b)


def _counts(baskets):
    counter = Counter()
    for basket in baskets:
        items = sorted(basket)
        subsets = chain.from_iterable(combinations(items, r) for r in range(1, len(items) + 1))
        counter.update(subsets)
    return counter


def apriori(transactions, min_support):
    if not 0 < min_support <= 1:
        raise ValueError("min_support must be in (0, 1]")
    baskets = _validate(transactions)
    n = len(baskets)
    found = [(itemset, c / n) for itemset, c in _counts(baskets).items() if c / n >= min_support]
    found.sort(key=lambda pair: (len(pair[0]), pair[0]))
    return found


def generate_rules(transactions, min_support, min_confidence):
    if not 0 <= min_confidence <= 1:
        raise ValueError("min_confidence must be in [0, 1]")
    table = dict(apriori(transactions, min_support))
    rules = []
    for itemset, support in table.items():
        k = len(itemset)
        for mask in range(1, 2**k - 1):
            left = tuple(itemset[i] for i in range(k) if mask >> i & 1)
            right = tuple(itemset[i] for i in range(k) if not mask >> i & 1)
            confidence = support / table[left]
            if confidence >= min_confidence:
                rules.append((left, right, support, confidence, confidence / table[right]))
    rules.sort(key=lambda rule: rule[:2])
    return rules
