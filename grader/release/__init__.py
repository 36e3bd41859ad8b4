"""What an instructor hands out: `grade release OUT` writes a learner bundle (the stubs as
exercises/, the grader, the question banks, the references sealed as bytecode) and,
with --gradescope, an autograder zip (setup.sh, run_autograder) around that bundle.

bundle (the learner bundle), autograder (the Gradescope zip).

May import: grader.course (the catalog, the stubs, where the references are, sealing).
"""
