"""Quizzes, the other half of a topic: question kinds and their parsers and graders, the
safe arithmetic evaluator, variant seeds, the interactive flow, quiz results and the
spaced-review schedule. bank.py is the data model that question banks (grader/quizzes/)
are written in.

May import: grader.progress (to record results), grader.judging (the reference loader),
grader.results, grader.course. Never grader.cli or grader.api.
"""
