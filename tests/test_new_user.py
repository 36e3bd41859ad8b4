"""A new user's first hour, as issue-by-issue regressions: the command line, state and files."""

import json

import pytest
from click.testing import CliRunner

from grader import cli
from grader.course import catalog
from grader.progress import state
from helpers import EXERCISES, SOLUTIONS

REFERENCE = (SOLUTIONS / "softmax.py").read_text()
SYNTAX_ERROR = REFERENCE + "\n\ndef broken(z)\n    return z\n"


def run(*args, env=None):
    return CliRunner().invoke(cli.main, list(args), env=env)


# ---------------------------------------------------------------- options, exit status


@pytest.mark.parametrize("args", [["-v", "softmax"], ["--exercises", str(SOLUTIONS), "softmax"],
                                  ["--format", "json", "--exercises", str(SOLUTIONS), "softmax"],
                                  ["--exercises=" + str(SOLUTIONS), "--profile", "quick", "soft"]])
def test_options_before_the_topic_work_too(project, args):
    if "--exercises" not in " ".join(args):
        (project / "exercises" / "softmax.py").write_text(REFERENCE)
    result = run(*args, "--format", "json") if "--format" not in args else run(*args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["topic"] == "softmax"


def test_options_before_a_command_go_to_that_command(project):
    result = run("--exercises", str(SOLUTIONS), "check", "softmax", "--format", "json")
    assert result.exit_code == 0, result.output


# ---------------------------------------------------------------- what grading prints


def test_a_syntax_error_is_shown_once_with_its_line_and_a_caret_and_no_hint_advice(project):
    (project / "exercises" / "softmax.py").write_text(SYNTAX_ERROR)
    result = run("softmax", env={"COLUMNS": "80"})
    assert result.exit_code == 1
    text = result.output
    assert text.count("syntax error") == 1, text
    assert "    def broken(z)\n" in text
    caret = text.splitlines()[text.splitlines().index("    def broken(z)") + 1]
    assert caret.strip() == "^" and caret.index("^") == len("    def broken(z)")
    assert "grade hint" not in text and "raised" not in text
    data = json.loads(run("softmax", "--format", "json").output)
    assert {c["status"] for c in data["checks"]} == {"error"} and "line" in data["problem"]


@pytest.mark.parametrize("encoded", [
    b"\xef\xbb\xbf" + REFERENCE.encode(),  # a UTF-8 BOM, as Windows editors write
    b"# -*- coding: latin-1 -*-\n" + REFERENCE.encode() + "\nAUTHOR = 'Ren\u00e9e'\n".encode("latin-1"),
], ids=["utf8-bom", "latin1-cookie"])
def test_source_is_read_the_way_python_reads_it(project, encoded):
    (project / "exercises" / "softmax.py").write_bytes(encoded)
    result = run("softmax", "--format", "json")
    data = json.loads(result.output)
    assert data["problem"] is None and data["score"] == data["max_score"], data["problem"]


def test_a_symlinked_file_is_reported_under_its_own_name(project):
    # (a link that leaves the folder is refused: tests/test_hostile.py)
    elsewhere = project / "exercises" / "attempts" / "my_attempt.py"
    elsewhere.parent.mkdir()
    elsewhere.write_text(SYNTAX_ERROR)
    target = project / "exercises" / "softmax.py"
    target.unlink()
    target.symlink_to(elsewhere)
    data = json.loads(run("softmax", "--format", "json").output)
    assert data["problem"].startswith("softmax.py has a syntax error") and "my_attempt" not in data["problem"]


def test_piped_output_has_no_trailing_spaces(project):
    (project / "exercises" / "softmax.py").write_text(REFERENCE + "\n\ndef sigmoid(x):\n    return x\n")
    for args in (["softmax"], ["list"], []):
        lines = run(*args, env={"COLUMNS": "80"}).output.splitlines()
        assert lines and [line for line in lines if line != line.rstrip()] == [], args


def _words(text: str) -> set[str]:
    return set(text.split())


def test_at_40_columns_no_word_of_a_check_title_is_split(project):
    result = run("softmax", env={"COLUMNS": "40"})
    assert max(len(line) for line in result.output.splitlines()) <= 40
    words = _words(result.output)
    titles = [c["title"] for c in json.loads(run("softmax", "--format", "json").output)["checks"]]
    for title in titles:
        assert _words(title) <= words, f"a word of {title!r} is split at 40 columns"


def test_at_40_columns_grade_list_shows_every_topic_name_whole(project):
    output = run("list", env={"COLUMNS": "40"}).output
    assert max(len(line) for line in output.splitlines()) <= 40
    assert set(catalog.load().names) <= _words(output)


def test_no_spinner_in_piped_output(project):
    output = run("softmax", env={"COLUMNS": "80"}).output
    assert "grading softmax" not in output and "\x1b[" not in output


# ---------------------------------------------------------------- state and files


BAD_ENTRIES = [{"best_score": "lots"}, {"hints_revealed": True}, {"hints_revealed": -1}, {"hints_revealed": 1.5},
               {"passed_at": [1]}, {"max_score": float("nan")}, "not an object"]


@pytest.mark.parametrize("entry", BAD_ENTRIES, ids=[json.dumps(e) for e in BAD_ENTRIES])
def test_a_state_field_of_the_wrong_type_sets_the_file_aside(tmp_path, entry):
    folder = tmp_path / ".grade"
    folder.mkdir()
    text = json.dumps({"format_version": 1, "topics": {"softmax": entry}})
    (folder / "state.json").write_text(text)
    loaded = state.load(tmp_path)
    assert loaded.warning and "could not be read" in loaded.warning
    assert loaded.topics == {}
    aside = list(folder.glob("state.damaged-*.json"))
    assert len(aside) == 1 and aside[0].read_text() == text


def test_every_state_field_has_a_type_check():
    assert {f.type for f in state.TopicState.__dataclass_fields__.values()} <= set(state.FIELD_CHECKS)


def test_a_valid_state_file_loads_unchanged(tmp_path):
    (tmp_path / ".grade").mkdir()
    entry = {"best_score": 3, "last_score": 2.5, "max_score": 28.0, "hints_revealed": 2, "passed_at": None,
             "gave_up_at": 1.5e9, "last_graded_at": 1.7e9}
    (tmp_path / ".grade" / "state.json").write_text(json.dumps({"format_version": 1, "topics": {"softmax": entry}}))
    loaded = state.load(tmp_path)
    assert loaded.warning is None and vars(loaded.topics["softmax"]) == entry


@pytest.mark.parametrize("args", [[], ["list"], ["softmax"]])
def test_commands_survive_a_state_file_with_a_wrong_type(project, args):
    (project / ".grade").mkdir()
    (project / ".grade" / "state.json").write_text(
        json.dumps({"format_version": 1, "topics": {"softmax": {"best_score": "lots"}}}))
    result = run(*args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1) and "could not be read" in result.output + (result.stderr or "")


def _refuse_writes(monkeypatch):
    def refuse(path, text):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(state, "write_atomically", refuse)


def test_hint_on_a_read_only_state_folder_is_a_clear_error(project, monkeypatch):
    _refuse_writes(monkeypatch)
    result = run("hint", "softmax")
    assert result.exit_code == 1 and not isinstance(result.exception, PermissionError)
    assert "could not record" in result.output and "Permission denied" in result.output
    assert "Hint 1/3" not in result.output and not (project / ".grade" / "state.json").exists()


def test_giving_up_on_a_read_only_state_folder_is_a_clear_error(project, monkeypatch):
    _refuse_writes(monkeypatch)
    result = run("solution", "softmax", "--give-up", "--yes")
    assert result.exit_code == 1 and not isinstance(result.exception, PermissionError)
    assert "could not record" in result.output and "def softmax" not in result.output


def test_reset_with_an_unwritable_backups_folder_is_a_clear_error_and_keeps_the_file(project, monkeypatch):
    from grader.progress import workspace

    mine = "# my work\n"
    (project / "exercises" / "softmax.py").write_text(mine)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(project / ".grade" / "backups"))

    monkeypatch.setattr(workspace.shutil, "copy2", refuse)
    result = run("reset", "softmax", "--yes")
    assert result.exit_code == 1 and not isinstance(result.exception, PermissionError)
    assert "could not reset" in result.output and "unchanged" in result.output
    assert (project / "exercises" / "softmax.py").read_text() == mine


@pytest.mark.parametrize("args", [["hint", "softmax"], ["solution", "softmax", "--give-up", "--yes"],
                                  ["reset", "softmax", "--yes"], ["watch", "softmax", "--max-runs", "1"]])
def test_outside_a_project_commands_that_need_one_say_so_and_write_nothing(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert "not inside an mlkatas project" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [[], ["list"]])
def test_outside_a_project_the_overview_shows_the_course_and_writes_nothing(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 0 and "not inside an mlkatas project" in " ".join(result.output.split())
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- JSON: the same report anywhere


def _copy_submission(parent):
    folder = parent / "alice"
    folder.mkdir(parents=True)
    # overflows (numpy warns, naming the file) and raises (a traceback names it too)
    (folder / "softmax.py").write_text(REFERENCE + "\n\ndef softmax(z, axis=-1):\n"
                                       "    e = np.exp(np.asarray(z, float))\n"
                                       "    return e / e.sum(axis=axis, keepdims=True)\n"
                                       "\n\ndef cross_entropy(logits, targets):\n    raise ValueError('no')\n")
    (folder / "conv_params.py").write_text(SYNTAX_ERROR)  # a problem message names files, too
    return folder


def test_json_is_identical_for_the_same_files_in_two_folders_once_timing_is_removed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    documents = []
    for parent in ("first", "second/deeper"):
        folder = _copy_submission(tmp_path / parent)
        output = run("softmax", "conv_params", "mle", "--exercises", str(folder), "--format", "json").output
        assert str(tmp_path) not in output  # no absolute path anywhere
        data = json.loads(output)
        assert set(data["timing"]) == {"elapsed_s"} and "elapsed_s" not in data
        data.pop("timing")
        for topic in data["topics"]:
            assert set(topic["timing"]) == {"elapsed_s"} and "elapsed_s" not in topic
            topic.pop("timing")
        documents.append(data)
    assert documents[0] == documents[1]
    data = documents[0]
    assert data["profile"] == "quick" and data["folder"] == "alice"
    softmax = data["topics"][0]
    assert any("softmax.py:" in (c["printed"] or "") for c in softmax["checks"])  # a warning, by file name
    assert any("line " in c["message"] and "in cross_entropy" in c["message"] for c in softmax["checks"])
    mle = data["topics"][2]
    assert mle["problem"] == "mle.py in alice/ does not exist"
    assert mle["profile"] == "quick" and mle["folder"] == "alice"


def test_a_fresh_project_copy_of_the_stubs_matches_the_exercises():
    # the project fixture copies exercises/: keep it honest about what a new user starts with
    assert sorted(p.name for p in EXERCISES.glob("*.py")) == sorted(f"{n}.py" for n in catalog.load().names)
