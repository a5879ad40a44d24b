"""Records: what the student's kernel observed, written as JSON lines for the grader.

A record holds plain data only: numbers, strings, lists, tuples, dicts with str keys and
numeric numpy arrays as {dtype, shape, data}. The grader parses it with `json` and rebuilds
arrays from a whitelist of dtypes, so nothing from a student's kernel is ever unpickled or
executed. Anything else (a student's object, a function) is recorded as its description and
rejected by the check.
"""

import json
import math
import os
from dataclasses import dataclass

import numpy as np

# An output bigger than this is recorded as too large instead of being serialised.
MAX_ARRAY_ELEMENTS = 4_000_000
MAX_STRING_LENGTH = 100_000
MAX_DEPTH = 32
_ARRAY_DTYPES = frozenset(
    {
        "bool",
        *("int8", "int16", "int32", "int64"),
        *("uint8", "uint16", "uint32", "uint64"),
        *("float16", "float32", "float64"),
    }
)
_TAGS = ("__tuple__", "__dict__", "__ndarray__", "__scalar__", "__unencodable__")


class RecordError(ValueError):
    """A record that does not follow the format (written by hand, or truncated)."""


@dataclass(frozen=True)
class Unencodable:
    """Stands for an answer that is not plain data, e.g. 'a function' or 'a MyNet object'."""

    description: str


def describe_type(value):
    if callable(value):
        return "a function" if hasattr(value, "__code__") else "a callable object"
    name = type(value).__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name} object"


def encode(value, depth=0):
    """Plain-JSON form of an answer or output (see the module docstring)."""
    if depth > MAX_DEPTH:
        return {"__unencodable__": "a structure nested too deeply"}
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, np.ndarray):
        return _encode_array(value)
    if isinstance(value, np.generic):
        if value.dtype.name not in _ARRAY_DTYPES:
            return {"__unencodable__": f"a numpy {value.dtype} scalar"}
        return {"__scalar__": value.dtype.name, "value": value.item()}
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        if len(value) > MAX_STRING_LENGTH:
            return {"__unencodable__": f"a str of {len(value)} characters"}
        return str(value)
    if isinstance(value, (tuple, list)):
        items = [encode(item, depth + 1) for item in value]
        return {"__tuple__": items} if isinstance(value, tuple) else items
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return {"__dict__": {str(key): encode(item, depth + 1) for key, item in value.items()}}
    return {"__unencodable__": describe_type(value)}


def _encode_array(array):
    if array.dtype.name not in _ARRAY_DTYPES:
        return {"__unencodable__": f"a numpy array of dtype {array.dtype}"}
    if array.size > MAX_ARRAY_ELEMENTS:
        return {"__unencodable__": f"an array of {array.size} elements (too large to check)"}
    return {
        "__ndarray__": array.dtype.name,
        "shape": [int(n) for n in array.shape],
        "data": np.asarray(array).ravel().tolist(),
    }


def decode(node, depth=0):
    """Rebuild a value from its plain-JSON form; RecordError if it is malformed."""
    if depth > MAX_DEPTH + 1:
        raise RecordError("record nested too deeply")
    if node is None or isinstance(node, (bool, int, float, str)):
        return node
    if isinstance(node, list):
        return [decode(item, depth + 1) for item in node]
    if not isinstance(node, dict):
        raise RecordError(f"unexpected {type(node).__name__} in record")
    tags = [tag for tag in _TAGS if tag in node]
    if len(tags) != 1:
        raise RecordError("record object without exactly one type tag")
    tag = tags[0]
    if tag == "__tuple__" and isinstance(node[tag], list):
        return tuple(decode(item, depth + 1) for item in node[tag])
    if tag == "__dict__" and isinstance(node[tag], dict):
        return {key: decode(item, depth + 1) for key, item in node[tag].items()}
    if tag == "__unencodable__" and isinstance(node[tag], str):
        return Unencodable(node[tag][:200])
    if tag == "__scalar__" and node[tag] in _ARRAY_DTYPES:
        return _decode_scalar(node[tag], node.get("value"))
    if tag == "__ndarray__" and node[tag] in _ARRAY_DTYPES:
        return _decode_array(node[tag], node.get("shape"), node.get("data"))
    raise RecordError(f"malformed {tag} entry")


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _decode_scalar(dtype, value):
    if not (_is_number(value) or isinstance(value, bool)):
        raise RecordError("numpy scalar without a numeric value")
    try:
        return np.array(value, dtype=dtype)[()]
    except (OverflowError, ValueError) as error:
        raise RecordError(f"numpy scalar does not fit {dtype}: {error}") from None


def _decode_array(dtype, shape, data):
    valid_shape = isinstance(shape, list) and all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape
    )
    if not valid_shape or not isinstance(data, list):
        raise RecordError("array entry needs a shape (list of sizes) and a data list")
    size = math.prod(shape)
    if size != len(data) or size > MAX_ARRAY_ELEMENTS:
        raise RecordError(f"array of shape {tuple(shape)} with {len(data)} data entries")
    if not all(_is_number(item) or isinstance(item, bool) for item in data):
        raise RecordError("array data must be numbers")
    try:
        return np.array(data, dtype=dtype).reshape(shape)
    except (OverflowError, ValueError) as error:
        raise RecordError(f"array data does not fit {dtype}: {error}") from None


def _exception_text(error, limit=500):
    try:
        text = f"{type(error).__name__}: {error}"
    except Exception:  # a student's exception whose __str__ itself fails
        text = type(error).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


def observe(check, answer):
    """The record of what `answer` does under `check` (run in the student's kernel).

    Function checks call the answer on each of the check's cases, catching each case's
    exception; value checks encode the answer itself. Nothing is decided here.
    """
    record = {"check": check.name, "kind": check.kind}
    if check.kind == "value":
        record["value"] = encode(answer)
        return record
    if not callable(answer):
        record["error"] = f"expected a function, got {describe_type(answer)}"
        return record
    outputs = []
    for case in check.make_cases():
        try:
            result = answer(*case.args, **case.kwargs)
        except Exception as error:
            outputs.append({"error": _exception_text(error)})
        else:
            outputs.append({"value": encode(result)})
    record["outputs"] = outputs
    return record


def dumps(record):
    return json.dumps(record, separators=(",", ":"), allow_nan=True)


def append(path, record):
    """Append one record as a JSON line with a single write (O_APPEND)."""
    line = (dumps(record) + "\n").encode("utf-8")
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line)
    finally:
        os.close(descriptor)


def parse(data):
    """[(byte offset where the line starts, record dict)] of a record file's bytes.

    Lines that are not JSON objects naming a check are skipped: they cannot be attributed
    to a check, and a missing record already fails the exercise.
    """
    parsed, offset = [], 0
    for line in data.split(b"\n"):
        start, offset = offset, offset + len(line) + 1
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if isinstance(record, dict) and isinstance(record.get("check"), str):
            parsed.append((start, record))
    return parsed
