"""The judge: everything that decides a score. It owns hypothesis, the reference
solutions and every comparison: checks and specs (checks), learner-worded assertions
(expect), named known mistakes (diagnosis), static analysis for forbidden calls
(forbidden), forked check groups (parallel), value rendering for messages (render),
recorded hypothesis runs replayed across a class (replay), and the grading loop itself (judge).

May import: grader.sandbox (to call learner code through a worker), grader.results (the
result model it fills in), grader.course. Never grader.progress, grader.cli or grader.api.
Topic specs (grader.specs) are loaded by name at run time and import from here.
"""
