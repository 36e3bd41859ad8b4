"""The self-learner's loop: state, reset with backups, solutions after passing, watch, the API."""

import json
import threading
import time

from click.testing import CliRunner

import grader
from grader import cli
from grader.judging import judge
from grader.progress import state, workspace
from helpers import EXERCISES, SOLUTIONS

PASSING_SOFTMAX = (SOLUTIONS / "softmax.py").read_text()


def run(*args, input=None):
    return CliRunner().invoke(cli.main, list(args), input=input, catch_exceptions=False)


def saved_state(project):
    return json.loads((project / ".grade" / "state.json").read_text())


def test_grading_records_last_and_best_scores_and_when_passed(project):
    exercise = project / "exercises" / "softmax.py"
    run("softmax")
    entry = saved_state(project)["topics"]["softmax"]
    assert entry["last_score"] == 0 and entry["passed_at"] is None
    exercise.write_text(PASSING_SOFTMAX)
    run("softmax")
    entry = saved_state(project)["topics"]["softmax"]
    assert entry["best_score"] == entry["max_score"] and entry["passed_at"] is not None
    exercise.write_text((EXERCISES / "softmax.py").read_text())
    run("softmax")
    entry = saved_state(project)["topics"]["softmax"]
    assert entry["last_score"] == 0 and entry["best_score"] == entry["max_score"]


def test_grading_another_folder_does_not_touch_the_learners_state(project):
    run("softmax", "--exercises", str(SOLUTIONS))
    assert not (project / ".grade" / "state.json").exists()


def test_a_corrupted_state_file_is_set_aside_with_a_warning(project):
    (project / ".grade").mkdir()
    (project / ".grade" / "state.json").write_text("{ not json")
    result = CliRunner().invoke(cli.main, ["list"])
    assert result.exit_code == 0
    assert "could not be read" in result.output
    damaged = list((project / ".grade").glob("state.damaged-*.json"))
    assert len(damaged) == 1 and damaged[0].read_text() == "{ not json"
    run("hint", "softmax")
    assert saved_state(project)["topics"]["softmax"]["hints_revealed"] == 1


def test_reset_keeps_a_byte_identical_backup_and_restores_the_stub(project):
    exercise = project / "exercises" / "softmax.py"
    mine = "# my work\r\nimport numpy as np\n\u00e9\n".encode() + bytes([0xFF, 0x00])
    exercise.write_bytes(mine)
    result = run("reset", "softmax", input="y\n")
    assert result.exit_code == 0
    backups = list((project / ".grade" / "backups").glob("softmax-*.py"))
    assert len(backups) == 1 and backups[0].read_bytes() == mine
    assert exercise.read_text() == (EXERCISES / "softmax.py").read_text()


def test_reset_asks_first_and_does_nothing_when_refused(project):
    exercise = project / "exercises" / "softmax.py"
    exercise.write_text("# my work\n")
    result = run("reset", "softmax", input="n\n")
    assert result.exit_code == 1
    assert exercise.read_text() == "# my work\n"


def test_reset_works_when_the_file_was_deleted(project):
    (project / "exercises" / "softmax.py").unlink()
    assert run("reset", "softmax", "--yes").exit_code == 0
    assert (project / "exercises" / "softmax.py").read_text() == workspace.stub_source("softmax")


def test_two_resets_keep_two_backups(project):
    exercise = project / "exercises" / "softmax.py"
    for text in ("first", "second"):
        exercise.write_text(text)
        run("reset", "softmax", "--yes")
    backups = sorted(p.read_text() for p in (project / ".grade" / "backups").glob("softmax-*.py"))
    assert backups == ["first", "second"]


def test_solution_is_refused_before_passing_and_shown_after(project):
    refused = CliRunner().invoke(cli.main, ["solution", "softmax"])
    assert refused.exit_code != 0 and "unlocks when softmax passes" in refused.output
    assert "np.max(z, axis=axis, keepdims=True)" not in refused.output
    (project / "exercises" / "softmax.py").write_text(PASSING_SOFTMAX)
    run("softmax")
    shown = run("solution", "softmax")
    assert shown.exit_code == 0 and "keepdims=True" in shown.output


def test_giving_up_is_confirmed_and_recorded(project):
    declined = CliRunner().invoke(cli.main, ["solution", "softmax", "--give-up"], input="n\n")
    assert declined.exit_code != 0 and "keepdims" not in declined.output
    shown = run("solution", "softmax", "--give-up", input="y\n")
    assert "keepdims=True" in shown.output
    assert saved_state(project)["topics"]["softmax"]["gave_up_at"] is not None


def test_watch_grades_once_and_stops_after_max_runs(project):
    result = run("watch", "softmax", "--max-runs", "1")
    assert result.exit_code == 0
    max_score = judge.load_spec("softmax").max_score  # the spec's own total: adding a check changes it
    assert "Softmax, sigmoid and cross-entropy" in result.output and f"0/{max_score:g} points" in result.output


def test_watch_regrades_after_a_save(project):
    exercise = project / "exercises" / "softmax.py"
    done = threading.Event()

    def keep_saving():
        # Save only after the first grading has been recorded, then until the watcher has re-graded:
        # on a slow machine a single save could come before the watching starts.
        deadline = time.monotonic() + 120
        while not (project / ".grade" / "state.json").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        while not done.wait(0.5) and time.monotonic() < deadline:
            exercise.write_text(PASSING_SOFTMAX)

    writer = threading.Thread(target=keep_saving, daemon=True)
    writer.start()
    try:
        result = run("watch", "softmax", "--max-runs", "2")
    finally:
        done.set()
        writer.join()
    assert result.output.count("Softmax, sigmoid and cross-entropy") == 2
    assert "softmax passed" in result.output


def test_python_api_grades_and_returns_the_result(project, capsys):
    result = grader.check("softmax", exercises=SOLUTIONS)
    assert result.score == result.max_score
    assert "softmax passed" in capsys.readouterr().out
    quiet = grader.check("soft", display=False)
    assert quiet.topic == "softmax" and quiet.score == 0


def test_state_writes_are_atomic_and_leave_no_temp_files(project):
    learner_state = state.load(project)
    learner_state.topic("softmax").hints_revealed = 2
    learner_state.save()
    assert [p.name for p in (project / ".grade").iterdir()] == ["state.json"]
    assert state.load(project).topic("softmax").hints_revealed == 2


def test_pristine_stubs_match_the_exercises_folder():
    for stub in workspace.STUBS_DIR.glob("*.py"):
        assert stub.read_text() == (EXERCISES / stub.name).read_text(), (
            f"{stub.name}: exercises/ and grader/course/stubs/ differ; if the stub changed on purpose, "
            "run `make stubs`")
    assert {p.name for p in workspace.STUBS_DIR.glob("*.py")} == {p.name for p in EXERCISES.glob("*.py")}


def test_reset_restores_the_stubs_mode_not_the_temp_files(project):
    import stat as stat_module

    from grader.course import STUBS_DIR

    exercise = project / "exercises" / "softmax.py"
    exercise.write_text("# my work\n")
    assert run("reset", "softmax", "--yes").exit_code == 0
    wanted = stat_module.S_IMODE((STUBS_DIR / "softmax.py").stat().st_mode) | 0o600
    assert stat_module.S_IMODE(exercise.stat().st_mode) == wanted and wanted & 0o044


def test_reset_never_copies_what_a_link_points_at(project):
    exercise = project / "exercises" / "softmax.py"
    exercise.unlink()
    exercise.symlink_to(SOLUTIONS / "softmax.py")
    result = CliRunner().invoke(cli.main, ["reset", "softmax", "--yes"])
    assert result.exit_code == 1 and "is a link" in result.output
    assert not list((project / ".grade" / "backups").glob("softmax-*")) if (project / ".grade").exists() else True
    assert exercise.is_symlink()
