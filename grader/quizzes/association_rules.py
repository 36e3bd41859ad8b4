"""Quiz: support, confidence and lift, the anti-monotone property, and apriori."""

from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Order, Variant

RTOL = 1e-3  # answers typed to four significant digits, or as fractions such as 3/5

ITEMS = ("beer", "bread", "diaper", "milk", "cola")


def _distinct(answer, misconceptions, rtol=RTOL):
    """The misconceptions whose value differs from the answer and from each other on this variant."""
    kept = []
    for m in misconceptions:
        values = [answer, *(k.value for k in kept)]
        if all(abs(m.value - v) > 2 * rtol * max(abs(v), abs(m.value), 1e-12) for v in values):
            kept.append(m)
    return tuple(kept)


def _baskets(rng):
    """5 to 8 baskets over five items; "diaper" and "beer" each occur, and together at least once."""
    n = rng.randint(5, 8)
    baskets = [sorted(rng.sample(ITEMS, rng.randint(1, 4))) for _ in range(n)]
    baskets[rng.randrange(n)] = sorted({"diaper", "beer", *rng.sample(ITEMS, 1)})
    return baskets


def _show(baskets) -> str:
    return "\n".join(f"  T{i + 1}: {', '.join(b)}" for i, b in enumerate(baskets))


def _counts(baskets, a, b):
    has = [set(t) for t in baskets]
    return (len(baskets), sum(a in t for t in has), sum(b in t for t in has), sum({a, b} <= t for t in has),
            sum(bool({a, b} & t) for t in has))


def rule_support(rng, ref):
    baskets = _baskets(rng)
    support, _, _ = ref.rule_metrics(baskets, ["diaper"], ["beer"])
    n, _, _, both, either = _counts(baskets, "diaper", "beer")
    return Variant(
        prompt=f"The transactions are\n{_show(baskets)}\nWhat is the support of {{diaper, beer}}?",
        answer=float(support),
        parameters=dict(transactions=baskets),
        misconceptions=_distinct(float(support), (
            Misconception("the count, not the fraction", float(both),
                          f"Support is a fraction of all transactions: {both} / {n}."),
            Misconception("transactions with either item", either / n,
                          "A transaction supports {diaper, beer} only when it holds BOTH items."),
        )),
        explanation=f"{both} of the {n} transactions hold both diaper and beer: support = {both}/{n} = {support:.4g}.",
    )


def rule_confidence(rng, ref):
    baskets = _baskets(rng)
    _, confidence, _ = ref.rule_metrics(baskets, ["diaper"], ["beer"])
    n, with_a, with_b, both, _ = _counts(baskets, "diaper", "beer")
    return Variant(
        prompt=f"The transactions are\n{_show(baskets)}\nWhat is the confidence of the rule {{diaper}} -> {{beer}}?",
        answer=float(confidence),
        parameters=dict(transactions=baskets),
        misconceptions=_distinct(float(confidence), (
            Misconception("divided by supp(beer)", both / with_b,
                          "That is the confidence of {beer} -> {diaper}. Divide by the antecedent's support."),
            Misconception("the support of the rule", both / n,
                          "Confidence conditions on the antecedent: supp(A u B) / supp(A), not supp(A u B)."),
        )),
        explanation=f"Of the {with_a} transactions with diaper, {both} also hold beer: {both}/{with_a} = "
                    f"{confidence:.4g}.",
    )


def rule_lift(rng, ref):
    baskets = _baskets(rng)
    _, confidence, lift = ref.rule_metrics(baskets, ["diaper"], ["beer"])
    n, with_a, with_b, both, _ = _counts(baskets, "diaper", "beer")
    return Variant(
        prompt=f"The transactions are\n{_show(baskets)}\nWhat is the lift of the rule {{diaper}} -> {{beer}}?",
        answer=float(lift),
        parameters=dict(transactions=baskets),
        misconceptions=_distinct(float(lift), (
            Misconception("divided the confidence by supp(diaper)", confidence / (with_a / n),
                          "lift = confidence / supp(B): compare how often beer comes with diaper with how often "
                          "beer comes at all."),
            Misconception("the confidence", float(confidence), "Lift divides the confidence by supp(beer)."),
            Misconception("supp(A u B) / (supp(A) + supp(B))", (both / n) / (with_a / n + with_b / n),
                          "The supports multiply below the line: supp(A u B) / (supp(A) supp(B))."),
        )),
        explanation=f"confidence / supp(beer) = ({both}/{with_a}) / ({with_b}/{n}) = {lift:.4g}.",
    )


def frequent_itemset_count(rng, ref):
    while True:
        baskets = _baskets(rng)
        n = len(baskets)
        min_support = (rng.randint(1, n - 2) + 0.5) / n  # never equal to a support value
        found = ref.apriori(baskets, min_support)
        if any(len(items) > 1 for items, _ in found):  # pairs too: the misconceptions differ
            break
    answer = len(found)
    singles = sum(1 for items, _ in found if len(items) == 1)
    largest = max(len(items) for items, _ in found) if found else 0
    return Variant(
        prompt=f"The transactions are\n{_show(baskets)}\nHow many itemsets (of any size, single items included) have "
               f"support >= {min_support:.4g}?",
        answer=answer,
        parameters=dict(transactions=baskets, min_support=min_support),
        misconceptions=_distinct(float(answer), (
            Misconception("only the single items", float(singles),
                          "Pairs, triples, ... count too: apriori returns the frequent itemsets of every size."),
            Misconception("only the largest ones", float(sum(1 for items, _ in found if len(items) == largest)),
                          "Every frequent itemset counts, not just the last level apriori builds."),
        ), rtol=0.0),
        explanation=f"Apriori finds {answer}: "
                    + ", ".join("{" + ", ".join(items) + "}" for items, _ in found) + ".",
    )


QUESTIONS = [
    Numeric("rule_support", draw=rule_support, rtol=RTOL),
    Numeric("rule_confidence", draw=rule_confidence, rtol=RTOL, points=2),
    Numeric("rule_lift", draw=rule_lift, rtol=RTOL, points=2),
    Numeric("frequent_itemset_count", draw=frequent_itemset_count, exact=True, points=2),
    Choice("lift_below_one", "A rule A -> B has lift 0.8. What does that say?", options=[
        Option("B is less likely in baskets with A than in baskets overall", correct=True),
        Option("the rule holds in 80% of the baskets with A",
               feedback="That is the confidence; lift compares the confidence with supp(B)."),
        Option("the rule is frequent", feedback="Frequency is about support and min_support; lift is a ratio."),
        Option("A and B never occur together", feedback="Then the lift would be 0."),
    ], explanation="lift = P(B | A) / P(B). Above 1, A makes B more likely; 1, independent; below 1, less likely."),
    Multi("pruning", "{bread} has support 0.1, below min_support = 0.3. Which candidates can apriori drop "
                     "without counting them?", options=[
        Option("{bread, milk}", correct=True),
        Option("{bread, beer, diaper}", correct=True),
        Option("{milk, diaper}", feedback="It does not contain bread; only its own subsets decide."),
        Option("{milk}", feedback="A subset of nothing infrequent: it must be counted."),
    ], explanation="Support is anti-monotone: a superset of {bread} is in at most the transactions {bread} is in, "
                   "so its support is at most 0.1."),
    Order("apriori_steps", "Put apriori's steps in order.", steps=[
        "count the single items; keep those with support >= min_support (level 1)",
        "join: unions of two level-k itemsets that have k + 1 items",
        "prune: drop a candidate if one of its k-item subsets is not in level k",
        "count the remaining candidates; the frequent ones form level k + 1",
        "repeat from the join until a level comes out empty; return all levels",
    ], explanation="Join, prune by the anti-monotone property, count: each level needs one pass over the data."),
]
