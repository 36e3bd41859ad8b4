"""The plain-data format spoken between the judge and the worker.

Only None, bool, int, float, str, list, tuple, dict with str keys, numpy scalars and
numeric/bool numpy arrays cross the boundary. An array travels as a dtype code from a
whitelist, its shape and its raw bytes, rebuilt with ``np.frombuffer``: no pickle, no
``eval`` of a header, nothing the worker sends can make the judge run code. (The ``.npy``
format with ``allow_pickle=False`` is as safe but parses its header with ``ast``, which
cost ~70 us a message.) The decoder is strict and bounded, because the worker runs learner
code and may send anything.

This module is loaded by the worker by file path, so it imports only stdlib and numpy.
"""

import io
import struct
import time

import numpy as np

MAX_FRAME_BYTES = 64 * 1024 * 1024  # one message, either direction
MAX_DEPTH = 32  # nesting of lists/tuples/dicts
MAX_ITEMS = 100_000  # entries in one list, tuple or dict
MAX_INT_DIGITS = 4000  # below Python's own int/str conversion limit
MAX_DIMS = 32  # numpy's own limit is 64
MAX_VALUES = 2_000_000  # values in one message: 64 MiB of one-byte Nones would be 64 million objects
# Arrays of numbers only (bool, ints, floats), little-endian: never objects, strings or records.
DTYPES = frozenset(np.dtype(t).newbyteorder("<").str if np.dtype(t).itemsize > 1 else np.dtype(t).str
                   for t in ("?", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8"))

_LEN = struct.Struct(">I")
_F64 = struct.Struct(">d")
_I64 = struct.Struct(">q")


class WireError(ValueError):
    """The bytes are not a well-formed message in this format."""


class Unencodable(TypeError):
    """A value of a type the format does not carry (the message says which)."""


def encode(value) -> bytes:
    out = io.BytesIO()
    _encode(value, out, 0)
    data = out.getvalue()
    if len(data) > MAX_FRAME_BYTES:
        raise Unencodable(f"the value is {len(data) / 2**20:.0f} MiB, over the {MAX_FRAME_BYTES // 2**20} MiB limit")
    return data


def _encode(value, out, depth):
    if depth > MAX_DEPTH:
        raise Unencodable(f"the value is nested more than {MAX_DEPTH} levels deep")
    kind = type(value)
    if value is None:
        out.write(b"N")
    elif kind is bool:
        out.write(b"T" if value else b"F")
    elif kind is int:
        if -(2**63) <= value < 2**63:
            out.write(b"i" + _I64.pack(value))
        else:
            _write_bytes(out, b"I", str(value).encode())
    elif kind is float:
        out.write(b"f" + _F64.pack(value))
    elif kind is str:
        _write_bytes(out, b"s", value.encode("utf-8", "surrogatepass"))
    elif kind in (list, tuple):
        if len(value) > MAX_ITEMS:
            raise Unencodable(f"a {kind.__name__} of {len(value)} items is over the {MAX_ITEMS} limit")
        out.write((b"l" if kind is list else b"t") + _LEN.pack(len(value)))
        for item in value:
            _encode(item, out, depth + 1)
    elif kind is dict:
        if len(value) > MAX_ITEMS:
            raise Unencodable(f"a dict of {len(value)} items is over the {MAX_ITEMS} limit")
        out.write(b"d" + _LEN.pack(len(value)))
        for key, item in value.items():
            if type(key) is not str:
                raise Unencodable(f"a dict key of type {type(key).__name__} (only str keys are allowed)")
            _write_bytes(out, b"s", key.encode("utf-8", "surrogatepass"))
            _encode(item, out, depth + 1)
    elif kind is np.ndarray:
        _write_bytes(out, b"a", _array_bytes(value))
    elif isinstance(value, np.generic) and kind.__module__ == "numpy":
        _write_bytes(out, b"S", _array_bytes(np.asarray(value)))
    else:
        raise Unencodable(f"a value of type {_type_name(value)}")


def _array_bytes(array: np.ndarray) -> bytes:
    # Header: dtype code, number of dimensions, each side; then the raw C-order bytes.
    code = array.dtype.newbyteorder("<").str if array.dtype.byteorder == ">" else array.dtype.str
    if code not in DTYPES:
        raise Unencodable(f"an array of dtype {array.dtype} (only numeric and bool arrays are allowed)")
    if array.nbytes > MAX_FRAME_BYTES:
        raise Unencodable(f"an array of {array.nbytes / 2**20:.0f} MiB, over the {MAX_FRAME_BYTES // 2**20} MiB limit")
    data = np.ascontiguousarray(array, dtype=np.dtype(code)).tobytes()
    return code.encode().ljust(4) + struct.pack(f">B{array.ndim}Q", array.ndim, *array.shape) + data


def _write_bytes(out, tag: bytes, payload: bytes):
    out.write(tag + _LEN.pack(len(payload)))
    out.write(payload)


def _type_name(value) -> str:
    kind = type(value)
    module = getattr(kind, "__module__", "")
    return kind.__qualname__ if module in ("builtins", "") else f"{module}.{kind.__qualname__}"


def decode(data: bytes, deadline: float | None = None):
    """Decode one message; raise WireError on anything malformed, oversized, unknown or (past the
    ``time.monotonic()`` deadline, when given) too slow to read."""
    if len(data) > MAX_FRAME_BYTES:
        raise WireError("message too large")
    reader = _Reader(memoryview(data), deadline)
    value = reader.value(0)
    if reader.pos != len(data):
        raise WireError(f"{len(data) - reader.pos} trailing bytes after the value")
    return value


class _Reader:
    def __init__(self, view, deadline=None):
        self.view = view
        self.pos = 0
        self.values = 0
        self.deadline = deadline

    def take(self, n: int) -> memoryview:
        end = self.pos + n
        if n < 0 or end > len(self.view):
            raise WireError("message ends early")
        chunk = self.view[self.pos:end]
        self.pos = end
        return chunk

    def length(self) -> int:
        return _LEN.unpack(self.take(4))[0]

    def value(self, depth: int):
        if depth > MAX_DEPTH:
            raise WireError("nested too deeply")
        self.values += 1
        if self.values & 0xFFFF == 0:
            if self.values > MAX_VALUES:
                raise WireError(f"more than {MAX_VALUES} values in one message")
            if self.deadline is not None and time.monotonic() > self.deadline:
                raise WireError("the message took too long to read")
        tag = bytes(self.take(1))
        if tag == b"N":
            return None
        if tag == b"T":
            return True
        if tag == b"F":
            return False
        if tag == b"i":
            return _I64.unpack(self.take(8))[0]
        if tag == b"I":
            return self.big_int()
        if tag == b"f":
            return _F64.unpack(self.take(8))[0]
        if tag == b"s":
            return self.text()
        if tag in (b"l", b"t"):
            count = self.count()
            items = [self.value(depth + 1) for _ in range(count)]
            return items if tag == b"l" else tuple(items)
        if tag == b"d":
            result = {}
            for _ in range(self.count()):
                if bytes(self.take(1)) != b"s":
                    raise WireError("dict key is not a string")
                key = self.text()
                result[key] = self.value(depth + 1)
            return result
        if tag == b"a":
            return self.array()
        if tag == b"S":
            array = self.array()
            if array.ndim != 0:
                raise WireError("numpy scalar with a shape")
            return array[()]
        raise WireError(f"unknown tag {tag!r}")

    def count(self) -> int:
        count = self.length()
        if count > MAX_ITEMS:
            raise WireError(f"{count} items, over the limit")
        return count

    def text(self) -> str:
        try:
            return str(self.take(self.length()), "utf-8", "surrogatepass")
        except UnicodeDecodeError as err:
            raise WireError("string is not valid UTF-8") from err

    def big_int(self) -> int:
        digits = bytes(self.take(self.length()))
        if not 0 < len(digits) <= MAX_INT_DIGITS or not digits.lstrip(b"-").isdigit():
            raise WireError("malformed integer")
        return int(digits)

    def array(self) -> np.ndarray:
        payload = self.take(self.length())
        if len(payload) < 5:
            raise WireError("array header ends early")
        code = bytes(payload[:4]).rstrip().decode("ascii", "replace")
        if code not in DTYPES:
            raise WireError(f"array dtype {code!r} is not numeric")
        ndim = payload[4]
        if ndim > MAX_DIMS or len(payload) < 5 + 8 * ndim:
            raise WireError("malformed array header")
        shape = struct.unpack(f">{ndim}Q", payload[5:5 + 8 * ndim])
        dtype = np.dtype(code)
        count = 1
        for side in shape:
            if side > MAX_FRAME_BYTES:
                raise WireError("array side too large")
            count *= side
        data = payload[5 + 8 * ndim:]
        if count * dtype.itemsize != len(data):
            raise WireError("array data does not match its header")
        if dtype.kind == "b":  # any byte other than 0/1 would be a bool numpy never makes
            return np.frombuffer(data, dtype=np.uint8, count=count).reshape(shape).astype(bool)
        # A copy: a writable array that owns its memory, not a view into the message.
        return np.frombuffer(data, dtype=dtype, count=count).reshape(shape).copy()


def write_frame(fd: int, payload: bytes) -> None:
    """Write one length-prefixed message to a file descriptor."""
    import os

    data = _LEN.pack(len(payload)) + payload
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def read_frame(fd: int) -> bytes:
    """Read one length-prefixed message (blocking); EOFError when the other side is gone."""
    import os

    def read_exactly(n):
        chunks, left = [], n
        while left:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                raise EOFError("the other side closed the channel")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    (size,) = _LEN.unpack(read_exactly(4))
    if size > MAX_FRAME_BYTES:
        raise WireError("message too large")
    return read_exactly(size)
