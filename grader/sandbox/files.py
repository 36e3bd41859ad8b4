"""Reading a learner's file in the judge, which must never be tricked into reading something else.

A learner's ``softmax.py`` may be a symlink to the reference solution, a FIFO (a read that
never returns), a link to ``/dev/zero`` (a read that never ends) or a device. The judge reads
only a regular file that lives inside the submission folder, with a size cap, opened with
``O_NOFOLLOW | O_NONBLOCK`` after the path was resolved, and checked again on the open
descriptor (so a link swapped in between is caught too).
"""

from __future__ import annotations

import io
import os
import stat
import tokenize
from pathlib import Path

MAX_SOURCE_BYTES = 1 << 20  # 1 MiB: far beyond any exercise, far below what hurts the judge


class UnsafeFile(Exception):
    """The file is not something the judge will read; the message says which file and why."""


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"),
                       (stat.S_ISLNK, "a symbolic link")):
        if test(mode):
            return name
    return "not a regular file"


def read_submission(folder: Path, name: str, max_bytes: int = MAX_SOURCE_BYTES) -> str:
    """The text of folder/name, or UnsafeFile / FileNotFoundError / UnicodeDecodeError / SyntaxError
    (a coding cookie naming no known encoding)."""
    base = os.path.realpath(folder)
    link = os.path.join(folder, name)
    if not os.path.lexists(link):
        raise FileNotFoundError(f"{link} does not exist")
    real = os.path.realpath(link)
    if os.path.commonpath([base, real]) != base:
        raise UnsafeFile(f"{name} is a link to {real}, outside the folder {base}; the grader reads only "
                         f"files inside the folder it grades (copy the file there instead)")
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as err:
        raise UnsafeFile(f"{name} cannot be opened: {err.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(f"{name} is {_kind(info.st_mode)}, not a regular file; the grader reads only "
                             f"ordinary Python files")
        opened = os.readlink(f"/proc/self/fd/{fd}") if os.path.isdir("/proc/self/fd") else real
        if os.path.commonpath([base, opened]) != base:  # a link was swapped in after the check above
            raise UnsafeFile(f"{name} changed into a link to {opened} while it was read")
        if info.st_size > max_bytes:
            raise UnsafeFile(f"{name} is {info.st_size / 2**20:.1f} MiB; the grader reads files of at most "
                             f"{max_bytes // 2**20} MiB")
        chunks, total = [], 0
        while total <= max_bytes:
            chunk = os.read(fd, min(1 << 16, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:
            raise UnsafeFile(f"{name} grew past {max_bytes // 2**20} MiB while it was read")
    finally:
        os.close(fd)
    data = b"".join(chunks)
    # Decoded as Python decodes source: a UTF-8 BOM, or a coding cookie in the first two lines.
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding)
