"""The `grade` command line: parse, call the library, print. Grouped by who types what:
app.py holds the click group and what commands share, grading.py the grading commands,
learner.py the learner's day (list, hint, watch, reset, solution), watch.py the watch loop,
classroom.py `grade class`, doctor.py `grade doctor` (the sandbox layers on this machine), quiz.py the
quizzes (quiz, review).

May import anything below it (grader.api, progress, results, judging, sandbox, course);
nothing imports this package except the console script and `python -m grader`.
"""

from grader.cli import classroom, doctor, grading, learner, quiz  # noqa: F401 - importing registers commands
from grader.cli.app import main

__all__ = ["main"]
