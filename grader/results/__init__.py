"""Results are data; drawing is separate. model.py holds the one result model
(CheckResult, TopicResult, RunResult) that the judge fills in; every output format is its
own module that turns that model into text: table (rich, for people), json (the
versioned machine-readable schema), junit (CI test reports), gradescope (results.json), csv
(a row per check, and the class gradebook).

May import: nothing else from grader (the judge imports the model; formats only read it).
"""
