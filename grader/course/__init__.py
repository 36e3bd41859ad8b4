"""What the course is: the catalog of topics (catalog.toml and its loader), the pristine
stubs that `grade reset` and release bundles hand out, the small data sets some checks
train on (data/, read by datasets.py), and where the references live.

Pure data and paths: this package imports nothing else from grader, so every other
package may import it.
"""

from pathlib import Path

COURSE_DIR = Path(__file__).resolve().parent
STUBS_DIR = COURSE_DIR / "stubs"  # pristine copies of exercises/, shipped with the grader
SOLUTIONS_DIR = COURSE_DIR.parent.parent / "solutions"  # the references, never shown to learner code
