"""Who is in the class and what each student submitted (a folder per student)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

EXERCISES = "exercises"  # a student's modules may sit in this subfolder instead of directly inside


@dataclass(frozen=True)
class Student:
    name: str
    folder: Path  # where the topic modules are (the student folder, or its exercises/)
    digest: str  # of every .py file submitted: a changed submission is graded again
    files: int

    @property
    def empty(self) -> bool:
        return self.files == 0


def discover(submissions: Path, exclude: Path | None = None) -> list[Student]:
    """Every immediate subfolder of SUBMISSIONS is one student (not hidden ones, not the output folder)."""
    if not submissions.is_dir():
        raise FileNotFoundError(f"there is no folder {submissions} of student submissions")
    skip = exclude.resolve() if exclude is not None else None
    students = []
    for folder in sorted(p for p in submissions.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        if folder.resolve() == skip:
            continue
        modules = folder / EXERCISES if (folder / EXERCISES).is_dir() else folder
        digest, files = digest_of(modules)
        students.append(Student(folder.name, modules.resolve(), digest, files))
    return students


def digest_of(folder: Path) -> tuple[str, int]:
    """sha256 over (relative path, content) of each .py file, in a fixed order; and how many there are."""
    hasher = hashlib.sha256()
    files = 0
    for path in sorted(folder.rglob("*.py")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        relative = path.relative_to(folder).as_posix()
        try:
            content = path.read_bytes()
        except OSError as err:
            content = f"<unreadable: {err.strerror}>".encode()
        hasher.update(len(relative).to_bytes(4, "big") + relative.encode() + len(content).to_bytes(8, "big") + content)
        files += 1
    return hasher.hexdigest(), files
