"""results.jsonl: one JSON line per finished student, flushed and fsynced before it counts.

A line torn by kill -9 mid-write is ignored on reading; the student is graded again.
Every other file in the output folder is rebuilt from here and swapped in atomically.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def append(path: Path, record: dict) -> None:
    line = json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
    with open(path, "a+b") as handle:
        handle.seek(0, os.SEEK_END)
        if handle.tell():  # a line torn by a kill: start ours on a fresh line so both stay readable
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) != b"\n":
                handle.write(b"\n")
        handle.write(line.encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())


def read(path: Path) -> list[dict]:
    """Every complete record, oldest first."""
    if not path.exists():
        return []
    records = []
    with open(path, "rb") as handle:
        for raw in handle:
            try:
                record = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                continue
            if isinstance(record, dict) and isinstance(record.get("student"), str):
                records.append(record)
    return records


def latest(records: list[dict]) -> dict[str, dict]:
    """The newest record of each student."""
    found: dict[str, dict] = {}
    for record in records:
        found[record["student"]] = record
    return found


def write_atomically(path: Path, text: str) -> None:
    """Temp file in the same folder, fsync, os.replace: readers see the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
