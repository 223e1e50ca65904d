"""Writing files so that nothing is ever half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_replace = os.replace  # one name, so a test can interrupt a write at the rename
_UMASK = os.umask(0)
os.umask(_UMASK)


def atomic_write(target: Path, content: str | bytes, private: bool = False) -> None:
    """Write through a temporary file in the same folder and a rename: the target is
    either the old file or the whole new one, whatever interrupts the write. Text is
    written as UTF-8; the file gets the usual permissions unless `private`."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                         suffix=".tmp")
    try:
        if not private:
            os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes it private; outputs are not
        if isinstance(content, bytes):
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
        else:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(content)
        _replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
