"""Every topic end to end: references pass, stubs are todo, mistakes fail and are named."""

import ast

import pytest

from grader.judging import judge
from grader.judging.checks import TIERS
from helpers import ALT_SOLUTIONS, EXERCISES, SOLUTIONS, TOPICS, failing, grade, mistake_source, submit



def _all_mistakes():
    found = []
    for topic in TOPICS:
        try:
            spec = judge.load_spec(topic)
        except Exception:  # test_reference_gets_full_marks reports a spec that does not import
            continue
        found += [(topic, m) for m in spec.mistakes]
    return found


MISTAKES = _all_mistakes()


@pytest.mark.parametrize("topic", TOPICS)
def test_reference_gets_full_marks(topic):
    result = grade(topic, SOLUTIONS)
    assert [(c.id, c.status, c.message) for c in failing(result)] == []
    assert result.score == result.max_score > 0


@pytest.mark.parametrize("topic", TOPICS)
def test_stub_scores_zero_with_every_check_todo(topic):
    result = grade(topic, EXERCISES)
    assert result.score == 0
    assert {c.status for c in result.checks} == {"todo"}, [(c.id, c.status, c.message) for c in result.checks]


@pytest.mark.parametrize("topic", TOPICS)
def test_a_differently_written_correct_solution_gets_full_marks(topic):
    assert (ALT_SOLUTIONS / f"{topic}.py").exists(), "every topic needs a second, differently written solution"
    result = grade(topic, ALT_SOLUTIONS)
    assert [(c.id, c.status, c.message, c.counterexample) for c in failing(result)] == []


@pytest.mark.parametrize(("topic", "mistake"), MISTAKES, ids=[f"{t}-{m.name}" for t, m in MISTAKES])
def test_known_mistake_fails_and_is_diagnosed(tmp_path, topic, mistake):
    result = grade(topic, submit(tmp_path, topic, mistake_source(topic, mistake)))
    assert result.score < result.max_score, f"{mistake.name} gets full marks"
    diagnoses = {c.diagnosis for c in failing(result)}
    assert mistake.title in diagnoses, f"{mistake.name} is not named; failures: " + repr(
        [(c.id, c.status, c.diagnosis, c.message) for c in failing(result)])


@pytest.mark.parametrize("topic", TOPICS)
def test_spec_covers_every_tier_and_function(topic):
    spec = judge.load_spec(topic)
    assert {c.tier for c in spec.checks} == set(TIERS)
    assert {c.function for c in spec.checks} == set(spec.functions)
    assert len(spec.checks) >= 8 and len(spec.mistakes) >= 5
    assert {m.function for m in spec.mistakes} <= set(spec.functions)


@pytest.mark.parametrize("topic", TOPICS)
def test_stub_and_solution_share_signatures_and_docstrings(topic):
    def public_api(path):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = {node.name: (ast.unparse(node.args), ast.get_docstring(node))
                     for node in tree.body if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")}
        return ast.get_docstring(tree), functions

    assert public_api(EXERCISES / f"{topic}.py") == public_api(SOLUTIONS / f"{topic}.py")


def test_every_topic_has_all_four_parts_and_nothing_is_orphaned():
    from pathlib import Path

    import grader.specs

    specs = {p.stem for p in Path(grader.specs.__file__).parent.glob("*.py") if p.stem != "__init__"}
    exercises = {p.stem for p in EXERCISES.glob("*.py")}
    solutions = {p.stem for p in SOLUTIONS.glob("*.py")}
    assert set(TOPICS) == specs == exercises == solutions
