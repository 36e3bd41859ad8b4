"""Each check's generated inputs, drawn by hypothesis once and replayed for the next submission.

With derandomize and a fixed seed, hypothesis feeds a check the same sequence of inputs for
every submission on which that check passes (generation depends only on the seed and on
whether each input was accepted or rejected by ``assume``). Grading a class, the judge
records that sequence on the first submission that passes the check, then runs the next
submissions' property on the recorded inputs directly: no strategy draws, no engine. On
the first failure, or an input whose accept/reject differs from the recording, the check
is run again by hypothesis from the start, which finds the same input and shrinks it: the
result is exactly what hypothesis alone gives.
"""

from __future__ import annotations

import copy
from typing import Any

Recording = list[tuple[Any, bool]]  # (the drawn keyword arguments, accepted) in the order hypothesis ran them


class Inputs:
    """Recordings by (check id, examples limit), for the life of one judge process."""

    def __init__(self):
        self._recorded: dict[tuple[str, int], Recording] = {}

    def get(self, check_id: str, limit: int) -> Recording | None:
        return self._recorded.get((check_id, limit))

    def keep(self, check_id: str, limit: int, recording: Recording) -> None:
        self._recorded.setdefault((check_id, limit), recording)

    def __len__(self) -> int:
        return len(self._recorded)


def snapshot(kwargs) -> Any:
    return copy.deepcopy(kwargs)
