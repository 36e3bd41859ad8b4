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

from itertools import combinations  # noqa: F401  (useful for apriori and generate_rules)


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
    # TODO: count the transactions that contain ALL of an itemset (set(items) <= set(transaction));
    # raise ValueError for the bad inputs above, then support, confidence, lift from the counts.
    raise NotImplementedError


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
    # TODO: level 1 = the frequent single items; level k + 1 = unions of two level-k itemsets with k + 1
    # items whose every k-subset is in level k (pruning), kept if frequent; stop at an empty level.
    raise NotImplementedError


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
    # TODO: for each frequent itemset S with 2+ items and each non-empty proper subset A (itertools.combinations),
    # B = S - A and confidence = supp(S) / supp(A); keep the rule if confidence >= min_confidence.
    raise NotImplementedError
