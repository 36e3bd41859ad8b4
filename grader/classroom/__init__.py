"""Grading a whole class: every student folder graded in isolation, in parallel, streamed to
an fsynced journal that is the single source of truth, then the gradebook, JUnit,
Gradescope files, insights and the HTML report rebuilt from it and swapped in atomically.

roster (who the students are, what they submitted), journal (append-only results.jsonl),
student (the per-student grading function, the same locally and on dask), runner (a warm
judge process that grades students one after another), pool (the local process pool with
per-student timeouts), outputs (files rebuilt from the journal), insights (what the class
got wrong), session (one `grade class` run: resume, schedule, write).

May import: grader.judging, grader.sandbox, grader.results, grader.progress, grader.course.
Never grader.cli or grader.api.
"""
