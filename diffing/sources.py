"""What a command-line argument names: a report's name and its bytes."""

from __future__ import annotations

import sys
from pathlib import Path

from diffing.errors import InputError
from diffing.extract import MAX_BYTES


def source_bytes(source: str) -> tuple[str, bytes]:
    """The name and the bytes of the report a command-line argument names: a path, '-' for
    stdin, or bundled:NAME for a bundled text (named as such in the report's path)."""
    from diffing.bundled import PREFIX, bundled_path

    if source == "-":
        return "-", sys.stdin.buffer.read(MAX_BYTES + 1)  # the limit, and no more
    if source.startswith(PREFIX):
        path = bundled_path(source)
        return PREFIX + path.name, path.read_bytes()
    return source, file_bytes(Path(source), source)


def file_bytes(file: Path, name: str) -> bytes:
    """A file's bytes, no further than the size limit (/dev/zero, a FIFO); `name` is how
    errors name it."""
    if file.is_dir():
        raise InputError(name, "is a directory, not a report")
    try:
        with file.open("rb") as stream:
            return stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except OSError as error:
        raise InputError(name, f"cannot read ({error.strerror})") from None
