"""Same submission, same score and the same report, whatever the environment says."""

import json
import os
import subprocess
import sys

from helpers import ROOT, SOLUTIONS, submit

BUGGY_SIGMOID = "\n\ndef sigmoid(x):\n    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))\n"
UNSEEDED = ("\n\ndef softmax(z, axis=-1):\n    z = np.asarray(z, dtype=float)\n"
            "    noise = np.random.default_rng().normal(size=z.shape) * 1e-3\n"
            "    e = np.exp(z - z.max(axis=axis, keepdims=True))\n"
            "    return e / e.sum(axis=axis, keepdims=True) + noise * (np.random.rand() < 0.5)\n")


def grade_json(folder, topics=("softmax",), **env_changes):
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(env_changes)
    out = subprocess.run([sys.executable, "-m", "grader", *topics, "--exercises", str(folder), "--format", "json"],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    data = json.loads(out.stdout)
    topics_data = data["topics"] if "topics" in data else [data]
    for topic in topics_data:
        topic.pop("timing")
    return topics_data


def test_ci_environment_changes_nothing(tmp_path):
    folder = submit(tmp_path, "softmax", (SOLUTIONS / "softmax.py").read_text() + BUGGY_SIGMOID)
    plain = grade_json(folder)
    assert plain[0]["score"] < plain[0]["max_score"]
    assert grade_json(folder, CI="true") == plain
    assert grade_json(folder, CI="true", HYPOTHESIS_PROFILE="ci") == plain


def test_unseeded_randomness_still_scores_the_same_every_run(tmp_path):
    folder = submit(tmp_path, "softmax", (SOLUTIONS / "softmax.py").read_text() + UNSEEDED)
    first = grade_json(folder)
    assert first[0]["score"] < first[0]["max_score"]
    assert grade_json(folder) == first


def test_a_topic_grades_the_same_alone_and_with_others(tmp_path):
    folder = submit(tmp_path, "softmax", (SOLUTIONS / "softmax.py").read_text() + BUGGY_SIGMOID)
    (folder / "conv_params.py").write_text((SOLUTIONS / "conv_params.py").read_text())
    alone = grade_json(folder, ("softmax",))
    together = grade_json(folder, ("conv_params", "softmax"))
    assert together[1] == alone[0]
