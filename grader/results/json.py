"""Results as JSON: the public, versioned schema (see RunResult.to_dict / TopicResult.to_dict)."""

from __future__ import annotations

import json

from grader.results.model import RunResult, TopicResult


def to_json(run: RunResult | TopicResult) -> str:
    return json.dumps(run.to_dict(), indent=2, ensure_ascii=False)
