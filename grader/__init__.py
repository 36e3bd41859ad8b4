"""mlkatas: auto-graded exercises in machine-learning fundamentals.

From a notebook or a script::

    import grader
    result = grader.check("softmax")            # grades exercises/softmax.py, shows the table
    result = grader.check("softmax", exercises="path/to/folder")
"""

__version__ = "0.1.0"


def check(topic, exercises=None, *, profile="quick", display=True):
    """Grade one topic and show the report; return the TopicResult (see grader.api.check)."""
    from grader.api import check as _check

    return _check(topic, exercises, profile=profile, display=display)
