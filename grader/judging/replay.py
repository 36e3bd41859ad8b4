"""Each check's hypothesis runs, recorded once and replayed for the next submissions.

With derandomize and a fixed seed, what hypothesis feeds a check next depends only on how
the property ended on each input so far: passed, rejected by ``assume``, or failed at a
given place (hypothesis's "interesting origin": the exception type and where it was
raised). Grading a class, the judge records every run as the sequence of inputs and those
endings, in a tree shared by all submissions; the next submission's property is run on the
tree's inputs directly, following the branch its own endings choose, with no strategy
draws and no shrinker. When a submission ends somewhere the tree has not been yet,
hypothesis runs the check from the start (and that run joins the tree). Either way the
inputs, the shrunk counterexample and the report are exactly what hypothesis alone gives.
Runs that stopped on the shrinking budget (which depends on speed) are never recorded.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

PASSED, REJECTED = "passed", "rejected"
END = "end"  # after the run's last call


@dataclass
class Node:
    kwargs: Any  # what hypothesis feeds the property at this point
    after: dict = field(default_factory=dict)  # ending -> the next Node, or END


@dataclass
class Recording:
    """One hypothesis run: (input, ending) per call; clean when it ended by passing or by a plain failure."""

    calls: list = field(default_factory=list)
    clean: bool = False


class Inputs:
    """The recorded runs of every check, by (check id, examples limit), for one judge process."""

    def __init__(self):
        self._roots: dict[tuple[str, int], Node] = {}

    def root(self, check_id: str, limit: int) -> Node | None:
        return self._roots.get((check_id, limit))

    def keep(self, check_id: str, limit: int, recording: Recording) -> None:
        if not recording.clean or not recording.calls:
            return
        key = (check_id, limit)
        first_kwargs = recording.calls[0][0]
        node = self._roots.setdefault(key, Node(first_kwargs))
        for index, (_kwargs, ending) in enumerate(recording.calls):
            last = index + 1 == len(recording.calls)
            following = END if last else node.after.get(ending) or Node(recording.calls[index + 1][0])
            node.after.setdefault(ending, following)
            if last:
                return
            node = node.after[ending]
            if node is END:  # cannot happen for a deterministic run; keep the tree as it was
                return

    def __len__(self) -> int:
        return len(self._roots)


def snapshot(kwargs) -> Any:
    return copy.deepcopy(kwargs)


def ending(err: BaseException) -> Any:
    """Where a failure comes from, as hypothesis tells failures apart."""
    try:
        from hypothesis.internal.escalation import InterestingOrigin

        return InterestingOrigin.from_exception(err)
    except Exception:  # noqa: BLE001 - an older or newer hypothesis: the type and the innermost frame
        tb = err.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        where = (tb.tb_frame.f_code.co_filename, tb.tb_lineno) if tb is not None else (None, None)
        return (type(err), *where)
