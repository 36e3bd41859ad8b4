"""One module per topic, named after it: the topic's checks, known mistakes and forbidden
calls, built on grader.judging (checks, expect). Adding a topic adds a file here and never
edits the engine; the judge loads a spec by name (judge.load_spec).

May import: grader.judging, grader.sandbox (outcome types), grader.course.
"""
