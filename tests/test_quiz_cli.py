"""`grade quiz` and `grade review` as a learner types them (CliRunner, in a temporary project)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from grader import cli
from grader.cli import quiz as quiz_cli
from grader.course import catalog
from grader.progress import state
from grader.quiz import flow, session
from grader.quiz.marking import correct_text, format_value
from grader.results.model import SCHEMA
from grader.quiz.parsers import label
from grader.quiz.variants import quiz_variant

LEARNER = "ada@example.org"


def run(*args, input=None):
    return CliRunner().invoke(cli.main, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def terminal(monkeypatch):
    """Pretend stdin is a terminal, as it is when a learner runs grade quiz."""
    monkeypatch.setattr(quiz_cli, "stdin_is_terminal", lambda: True)


def next_quiz(topic, attempt=1):
    variant = quiz_variant(catalog.load().course_seed, LEARNER, topic, attempt)
    return session.prepare(topic, variant)


def key(posed):
    """The right answer as a learner types it (a choice by its letter)."""
    return correct_text(posed).split(")")[0] if posed.kind == "choice" else correct_text(posed)


def wrong_letter(posed):
    return next(label(i) for i, o in enumerate(posed.options) if not o.correct)


def test_interactive_quiz_right_wrong_format_error_and_summary(project, terminal):
    quiz = next_quiz("conv_params")
    lines = []
    for posed in quiz.posed:
        if posed.kind == "choice" and posed.id == "bias_count":
            lines += ["zz", "", wrong_letter(posed)]  # a format error and an empty line cost nothing
        elif posed.id == "param_count":
            lines.append(str(posed.misconceptions[0].value))  # forgot the bias
        else:
            lines.append(key(posed))
    result = run("quiz", "conv_params", "--learner", LEARNER, input="\n".join(lines) + "\n")
    text = " ".join(result.output.split())  # rich wraps at 80 columns
    assert result.exit_code == 1, text  # below full marks
    assert f"variant {quiz.variant}" in text and "Question 1 of 8" in text
    assert "Cannot read that" in text and "costs nothing" in text
    assert "Misconception: forgot the bias" in text
    assert "✓ right" in text and "✗ wrong" in text
    assert "8/11 points (73%)" in text  # 2 + 1 (bias_count) lost of 11
    saved = state.load(project).quizzes["conv_params"]
    assert saved.attempts == 1 and saved.best_score == 8.0 and saved.max_score == 11.0
    assert set(saved.missed) == {"param_count", "bias_count"}
    assert saved.cards["param_count"].box == 1 and saved.cards["output_shape"].due > saved.cards["param_count"].due


def test_ctrl_c_midway_keeps_the_answers_and_exits_130(project, terminal, monkeypatch):
    quiz = next_quiz("softmax")
    answers = iter([key(quiz.posed[0]), correct_text(quiz.posed[1])])

    def read(console, prompt):
        try:
            return next(answers)
        except StopIteration:
            raise KeyboardInterrupt from None

    monkeypatch.setattr(flow, "read_line", read)
    result = run("quiz", "softmax", "--learner", LEARNER)
    assert result.exit_code == 130, result.output
    assert "Stopped at question 3: your 2 answers so far are kept." in " ".join(result.output.split())
    saved = state.load(project).quizzes["softmax"]
    assert saved.attempts == 1 and saved.best_score == quiz.posed[0].points + quiz.posed[1].points
    assert set(saved.cards) == {quiz.posed[0].id, quiz.posed[1].id}  # unanswered questions are not scheduled


def test_end_of_input_midway_is_a_clean_stop(project, terminal):
    quiz = next_quiz("mle")
    result = run("quiz", "mle", "--learner", LEARNER, input=key(quiz.posed[0]) + "\n")
    assert result.exit_code == 130
    assert "your 1 answer so far is kept" in " ".join(result.output.split())
    assert "not answered" in result.output
    assert state.load(project).quizzes["mle"].attempts == 1


def test_without_a_terminal_it_says_how_to_run_and_exits_2(project):
    result = CliRunner().invoke(cli.main, ["quiz", "softmax", "--learner", LEARNER])
    assert result.exit_code == 2
    assert "--print" in result.output and "--answers" in result.output
    assert not (project / ".grade" / "state.json").exists()


def answers_for(quiz, wrong=()):
    answers = {}
    for posed in quiz.posed:
        if posed.id in wrong:
            if posed.misconceptions:
                answers[posed.id] = format_value(posed.misconceptions[0].value)
            elif posed.kind == "order":
                answers[posed.id] = " ".join(str(n) for n in reversed(posed.correct_steps))
            elif posed.options:
                answers[posed.id] = wrong_letter(posed)
            else:
                answers[posed.id] = "0"
        else:
            answers[posed.id] = key(posed)
    return answers


def test_answers_file_and_json_are_identical_on_every_run(project, tmp_path):
    quiz = session.prepare("conv_params", "3f9a")
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers_for(quiz, wrong=("grouped_count",))))
    outputs = [run("quiz", "conv_params", "--variant", "3f9a", "--answers", str(path), "--format", "json")
               for _ in range(3)]
    assert {o.exit_code for o in outputs} == {1}
    assert outputs[0].output == outputs[1].output == outputs[2].output
    data = json.loads(outputs[0].output)
    assert data["schema"] == SCHEMA and data["kind"] == "quiz" and data["topic"] == "conv_params"
    assert data["variant"] == "3f9a" and data["score"] == 9.0 and data["max_score"] == 11.0
    keys = {"id", "kind", "variant", "prompt", "given", "correct", "points", "max_points", "status",
            "misconception", "explanation"}
    assert all(keys <= set(q) for q in data["questions"])
    grouped = next(q for q in data["questions"] if q["id"] == "grouped_count")
    assert grouped["status"] == "wrong" and grouped["misconception"] == "ignored the groups"
    table = run("quiz", "conv_params", "--variant", "3f9a", "--answers", str(path))
    assert "9/11 points (82%)" in table.output and "ignored the groups" in table.output
    assert not (project / ".grade" / "state.json").exists()  # a chosen variant is a reproduction: not recorded


def test_answers_file_full_marks_exit_0_and_recorded(project, tmp_path):
    quiz = next_quiz("ewma")
    path = tmp_path / "answers.toml"
    path.write_text("\n".join(f"{k} = {json.dumps(v)}" for k, v in answers_for(quiz).items()))
    result = run("quiz", "ewma", "--learner", LEARNER, "--answers", str(path))
    assert result.exit_code == 0, result.output
    assert "every answer right" in result.output
    assert state.load(project).quizzes["ewma"].best_score == quiz.max_score


def test_paper_quiz_shows_parameters_and_no_answers(project):
    result = run("quiz", "conv_params", "--variant", "3f9a", "--print", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["kind"] == "quiz-paper" and data["variant"] == "3f9a"
    by_id = {q["id"]: q for q in data["questions"]}
    assert by_id["param_count"]["parameters"] == {"c_in": 64, "c_out": 8, "kernel_size": 5}
    assert by_id["bias_count"]["parameters"] == {} and len(by_id["bias_count"]["options"]) == 4
    for secret in ('"answer"', '"correct"', '"explanation"', '"misconceptions"', "12808"):
        assert secret not in result.output
    text = run("quiz", "conv_params", "--variant", "3f9a", "--print")
    assert "Question 8 of 8" in text.output and "--answers FILE" in text.output


@pytest.mark.parametrize("args, words", [
    (["quiz", "conv_params", "--variant", "zz"], "4 hex digits"),
    (["quiz", "conv_params", "--format", "json"], "--answers FILE or --print"),
    (["quiz", "nosuchtopic"], "there is no topic"),
])
def test_usage_errors_exit_2(project, args, words):
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 2 and words in result.output


def test_unknown_question_in_answers_is_a_usage_error(project, tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"param_cuont": "1"}))
    result = CliRunner().invoke(cli.main, ["quiz", "conv_params", "--answers", str(path)])
    assert result.exit_code == 2 and "param_cuont" in result.output


def test_list_shows_the_quiz_column(project, tmp_path):
    quiz = next_quiz("softmax")
    path = tmp_path / "a.json"
    path.write_text(json.dumps(answers_for(quiz, wrong=("probability",))))
    run("quiz", "softmax", "--learner", LEARNER, "--answers", str(path))
    listing = run("list").output
    assert "quiz" in listing
    row = next(line for line in listing.splitlines() if line.startswith("softmax"))
    assert row.rstrip().endswith(f"{quiz.max_score - 2:g}/{quiz.max_score:g}")
    mle_row = next(line for line in listing.splitlines() if line.startswith("mle "))
    assert mle_row.rstrip().endswith("-")


def test_review_asks_what_is_due_with_a_fresh_variant(project, tmp_path, terminal):
    assert "take a quiz first" in run("review").output
    quiz = next_quiz("softmax")
    path = tmp_path / "a.json"
    path.write_text(json.dumps(answers_for(quiz, wrong=("probability",))))
    run("quiz", "softmax", "--learner", LEARNER, "--answers", str(path))
    card = state.load(project).quizzes["softmax"].cards["probability"]
    from grader.quiz.review import review_variant

    variant = review_variant(catalog.load().course_seed, LEARNER, "softmax", "probability", card)
    assert variant != quiz.variant
    posed = session.prepare_one("softmax", "probability", variant)
    result = run("review", "--learner", LEARNER, input=correct_text(posed) + "\n")
    assert result.exit_code == 0, result.output
    assert "1 question due" in result.output and f"variant {variant}" in result.output
    assert "✓ right" in result.output and "Reviewed 1: 1 right." in result.output
    moved = state.load(project).quizzes["softmax"].cards["probability"]
    assert moved.box == 2 and moved.reviews == 1
    assert "Nothing is due for review" in run("review").output


def test_review_without_a_terminal_exits_2(project, tmp_path):
    quiz = next_quiz("softmax")
    path = tmp_path / "a.json"
    path.write_text(json.dumps(answers_for(quiz, wrong=("probability",))))
    run("quiz", "softmax", "--learner", LEARNER, "--answers", str(path))
    result = CliRunner().invoke(cli.main, ["review"])
    assert result.exit_code == 2 and "terminal" in result.output


def test_acceptance_conv_params_answers_computed_independently(project, tmp_path):
    """The paper quiz's drawn parameters, answered with torch's own layers, get full marks on the
    value questions; a known wrong formula's value is named."""
    import torch

    paper = json.loads(run("quiz", "conv_params", "--variant", "0a1b", "--print", "--format", "json").output)
    params = {q["id"]: q["parameters"] for q in paper["questions"]}

    def count(c_in, c_out, kernel_size, groups=1, bias=True):
        layer = torch.nn.Conv2d(c_in, c_out, kernel_size, groups=groups, bias=bias, device="meta")
        return sum(p.numel() for p in layer.parameters())

    shape = params["output_shape"]
    out = torch.nn.functional.conv2d(
        torch.zeros(shape["batch"], shape["c_in"], shape["side"], shape["side"], device="meta"),
        torch.zeros(shape["c_out"], shape["c_in"], shape["kernel_size"], shape["kernel_size"], device="meta"),
        stride=shape["stride"], padding=shape["padding"])
    first = params["param_count"]
    answers = {
        "param_count": count(first["c_in"], first["c_out"], first["kernel_size"]),
        "grouped_count": count(**{k: params["grouped_count"][k] for k in ("c_in", "c_out", "kernel_size", "groups")},
                               bias=False),
        "output_shape": list(out.shape),
        "rectangular_kernel": count(params["rectangular_kernel"]["c_in"], params["rectangular_kernel"]["c_out"],
                                    tuple(params["rectangular_kernel"]["kernel_size"]), bias=False),
        "single_channel": count(1, params["single_channel"]["c_out"], params["single_channel"]["kernel_size"],
                                bias=params["single_channel"]["bias"]),
    }
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    data = json.loads(run("quiz", "conv_params", "--answers", str(path), "--variant", "0a1b",
                          "--format", "json").output)
    graded = {q["id"]: q for q in data["questions"]}
    assert all(graded[name]["status"] == "correct" for name in answers), graded
    assert data["score"] == 8.0  # the three fixed questions were left unanswered
    answers["param_count"] = count(first["c_in"], first["c_out"], first["kernel_size"], bias=False)
    path.write_text(json.dumps(answers))
    data = json.loads(run("quiz", "conv_params", "--answers", str(path), "--variant", "0a1b",
                          "--format", "json").output)
    named = next(q for q in data["questions"] if q["id"] == "param_count")
    assert named["status"] == "wrong" and named["misconception"] == "forgot the bias"


@pytest.mark.parametrize("topic", __import__("grader.quiz.banks", fromlist=["x"]).topics_with_banks())
def test_piped_paper_and_report_fit_80_columns_without_control_codes(project, tmp_path, topic, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    paper = run("quiz", topic, "--variant", "3f9a", "--print")
    quiz = session.prepare(topic, "3f9a")
    path = tmp_path / "a.json"
    path.write_text(json.dumps(answers_for(quiz, wrong=[p.id for p in quiz.posed[::2]])))
    report = run("quiz", topic, "--variant", "3f9a", "--answers", str(path))
    for output in (paper.output, report.output):
        assert "\x1b" not in output
        assert max(len(line) for line in output.splitlines()) <= 80


def test_paper_then_answers_with_the_learners_own_variant_is_recorded(project, tmp_path):
    """The no-terminal route it suggests (--print, then --answers, both with --variant) counts as an attempt."""
    advice = CliRunner().invoke(cli.main, ["quiz", "svd", "--learner", LEARNER]).output
    variant = next_quiz("svd").variant
    assert f"grade quiz svd --variant {variant} --print" in advice
    path = tmp_path / "a.json"
    path.write_text(json.dumps(answers_for(next_quiz("svd"))))
    result = run("quiz", "svd", "--learner", LEARNER, "--variant", variant, "--answers", str(path))
    assert result.exit_code == 0
    assert state.load(project).quizzes["svd"].attempts == 1
    assert next_quiz("svd", attempt=2).variant != variant  # the next attempt draws new numbers


def test_damaged_state_is_a_warning_on_stderr_and_the_json_stays_clean(project, tmp_path):
    (project / ".grade").mkdir()
    (project / ".grade" / "state.json").write_text("{broken")
    quiz = next_quiz("attention")
    path = tmp_path / "a.json"
    path.write_text(json.dumps(answers_for(quiz)))
    result = run("quiz", "attention", "--learner", LEARNER, "--answers", str(path), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["score"] == quiz.max_score
    assert "could not be read" in result.stderr
    assert state.load(project).quizzes["attention"].attempts == 1


def test_review_ctrl_c_keeps_what_was_reviewed(project, tmp_path, terminal, monkeypatch):
    quiz = next_quiz("mle")
    path = tmp_path / "a.json"
    wrong = [p.id for p in quiz.posed[:2]]
    path.write_text(json.dumps(answers_for(quiz, wrong=wrong)))
    run("quiz", "mle", "--learner", LEARNER, "--answers", str(path))
    cards = state.load(project).quizzes["mle"].cards
    first = min(wrong, key=lambda qid: (cards[qid].due, qid))
    variant = __import__("grader.quiz.review", fromlist=["x"]).review_variant(
        catalog.load().course_seed, LEARNER, "mle", first, cards[first])
    replies = iter([key(session.prepare_one("mle", first, variant))])

    def read(console, prompt):
        try:
            return next(replies)
        except StopIteration:
            raise KeyboardInterrupt from None

    monkeypatch.setattr(flow, "read_line", read)
    result = run("review", "--learner", LEARNER)
    assert result.exit_code == 130
    assert "your 1 answer so far is kept" in " ".join(result.output.split())
    after = state.load(project).quizzes["mle"].cards
    assert after[first].box == 2 and after[first].reviews == 1  # the answered one moved up
    other = next(q for q in wrong if q != first)
    assert after[other] == cards[other]  # the interrupted one is untouched, still due
