"""Change a few keys of the settings file and keep everything else in it.

The file holds top-level scalars only (load_settings refuses anything else),
so writing TOML ourselves is small: strings, booleans, integers and floats.
A line `key = value` that is changed keeps its place and the comments around
it; when the result would not read back as intended (a multi-line string, an
odd layout) the whole file is written afresh from what tomllib read. Writes go
to a temporary file that replaces the old one, so a crash never leaves half.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import tomllib
from collections.abc import Mapping
from pathlib import Path

Scalar = str | bool | int | float

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else toml_value(key)


def toml_value(value: object) -> str:
    """One TOML scalar; anything else is refused rather than written wrongly."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return '"' + "".join(_escape(ch) for ch in value) + '"'
    raise TypeError(f"cannot write {type(value).__name__} to the settings file")


def _escape(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if ord(ch) < 0x20 or ord(ch) == 0x7F:
        return f"\\u{ord(ch):04x}"
    return ch


def update_settings_file(path: Path, changes: Mapping[str, Scalar]) -> None:
    """Set `changes` in the TOML file at `path` (created when missing); keep the rest."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    wanted = {**tomllib.loads(text), **changes}
    new_text = _edit_lines(text, changes)
    if _reads_as(new_text) != wanted:
        new_text = "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in wanted.items())
    _write_atomically(path, new_text)


def _edit_lines(text: str, changes: Mapping[str, Scalar]) -> str:
    lines = text.splitlines(keepends=True)
    remaining = dict(changes)
    for index, line in enumerate(lines):
        if line.lstrip().startswith("["):
            break  # a table starts; what follows is not top-level
        key = line.split("=", 1)[0].strip().strip('"')
        if "=" in line and key in remaining:
            lines[index] = f"{toml_key(key)} = {toml_value(remaining.pop(key))}\n"
    added = [f"{toml_key(k)} = {toml_value(v)}\n" for k, v in remaining.items()]
    if added and lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return "".join(lines + added)


def _reads_as(text: str) -> dict[str, object] | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
