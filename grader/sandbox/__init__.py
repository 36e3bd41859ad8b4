"""The only code that touches learner code. The worker (worker.py) runs in its own
sandboxed process and imports the learner's module; the supervisor starts, times out and
kills workers; isolation detects and builds the namespace/cgroup sandbox; wire is the
plain-data format between worker and judge; probes are functions the judge passes into learner
code, sent as descriptions and rebuilt on each side; learner is the judge-side proxy that turns a
worker's replies into outcomes (returned, raised, printed).

May import: grader.course (which paths to hide). worker.py imports nothing from grader at
all (it runs with `python -I` and loads wire.py and probes.py by path).
"""
