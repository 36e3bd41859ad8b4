"""Sealed references: a reference solution as compiled bytecode instead of readable source.

A release bundle (`grade release`) ships the references this way, inside the grader
package, where only the judge loads them (the worker's sandbox covers the folder). This
keeps the answers out of plain sight; it does not stop a determined learner, who can
decompile bytecode (SECURITY.md). Bytecode is tied to one Python minor version, which the
header records so that a mismatch is a clear error, not a crash.
"""

from __future__ import annotations

import importlib.util
import marshal
import sys
import types

from grader.course import COURSE_DIR

SEALED_DIR = COURSE_DIR / "sealed"  # present only in release bundles
SUFFIX = ".sealed"


def seal(source: str, topic: str) -> bytes:
    """The reference's bytecode, behind a header with the interpreter's magic number.

    Compiled with optimize=2: no docstrings, no asserts (the references validate with
    ValueError); the file name inside the code object says what it is, not where it was.
    """
    code = compile(source, f"<sealed reference {topic}>", "exec", dont_inherit=True, optimize=2)
    return importlib.util.MAGIC_NUMBER + marshal.dumps(code)


def unseal(data: bytes, topic: str) -> types.CodeType:
    magic = importlib.util.MAGIC_NUMBER
    if data[: len(magic)] != magic:
        version = f"{sys.version_info.major}.{sys.version_info.minor}"
        raise RuntimeError(f"the sealed reference of {topic} was built for another Python version than this "
                           f"one ({version}): install the bundle with the Python it was released for")
    return marshal.loads(data[len(magic):])


def sealed_path(topic: str):
    return SEALED_DIR / f"{topic}{SUFFIX}"
