"""The learner's day: progress in .grade/state.json (state), their files, backups, reset
and the reference once earned (workspace), and the course overview with hints and the
next step (overview).

May import: grader.results, grader.course. Never grader.cli or grader.api; grading
itself is called by the layers above.
"""
