"""Comparisons kept on disk by content, so asking again about the same two reports (another
--format, --only or --area) skips reading and matching.

An entry's key is a SHA-256 of both reports' bytes and names, whether curated pins were
used, and the engine fingerprint (the code and mappings that make a comparison): a new
version of either, or a changed report, misses and computes afresh. Entries live under
``$KENT_DIFF_CACHE``, else ``$XDG_CACHE_HOME/kent-diff``, else ``~/.cache/kent-diff``;
``KENT_DIFF_CACHE=off`` turns the cache off. A cache that cannot be read or written only
costs time: the comparison is computed as if there were none.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path

from diffing.files import atomic_write
from diffing.model import Comparison

_VERSION = "compare-1"
_OFF = {"off", "0", "no", "false", "none"}


def cache_root() -> Path | None:
    """The cache folder, or None where the cache is turned off."""
    chosen = os.environ.get("KENT_DIFF_CACHE")
    if chosen is not None:
        return None if chosen.strip().lower() in _OFF or not chosen.strip() else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory to be found: no cache
            return None
    return Path(base) / "kent-diff"


def engine_fingerprint() -> str:
    """A hash of the code and mappings that make a comparison: outputs made by another
    version are made again."""
    import hashlib

    import diffing
    import mappings
    import reports

    digest = hashlib.sha256()
    for package, pattern in ((diffing, "*.py"), (reports, "*.py"), (mappings, "*.yaml")):
        folder = Path(package.__file__).parent
        for file in sorted(folder.glob(pattern)):
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def comparison_key(old: tuple[str, bytes], new: tuple[str, bytes], curated: bool) -> str:
    """The cache key of comparing `old` with `new` ((name, bytes) each)."""
    import hashlib  # here: with the cache off, OpenSSL's library is never loaded

    # the libraries' versions are not read (that costs more than a cached run should);
    # after upgrading one, KENT_DIFF_CACHE=off or an empty folder recomputes
    digest = hashlib.sha256(
        f"{_VERSION}\0{engine_fingerprint()}\0{sys.version}\0{curated}".encode())
    for name, data in (old, new):
        digest.update(b"\0" + name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def cached_comparison(key: str, compute: Callable[[], Comparison], root: Path) -> Comparison:
    """The comparison stored under `key` in the cache folder `root`, or compute() stored
    there for next time."""
    entry = root / "compare" / key[:2] / f"{key}.pickle"
    try:
        # written only by this function, in the user's own cache folder
        found = pickle.loads(entry.read_bytes())
        if isinstance(found, Comparison):
            return found
    except Exception:  # noqa: BLE001 - missing, partial or from an older Python: recompute
        pass
    comparison = compute()
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(entry, pickle.dumps(comparison, protocol=pickle.HIGHEST_PROTOCOL),
                     private=True)
        _prune(root / "compare", KEEP)
    except (OSError, pickle.PicklingError):
        pass  # a cache that cannot be written only costs time
    return comparison


KEEP = 200
"""Most comparisons the cache keeps (a few hundred kilobytes each): the oldest go first."""


def _prune(folder: Path, keep: int) -> None:
    """Remove all but the `keep` most recently written entries."""
    entries = sorted(folder.glob("*/*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in entries[keep:]:
        stale.unlink(missing_ok=True)


def compare_sources(old: str, new: str, curated: bool = True,
                    meanwhile: Callable[[], object] | None = None) -> Comparison:
    """Compare the reports two command-line arguments name (see read.source_bytes), with
    the pins of a bundled curated mapping about them unless `curated` is False; from the
    cache where the same comparison was made before.

    Where it compares, both reports are read in a second process (diffing.background)
    while this one loads the matcher and calls `meanwhile` (the command line imports its
    renderer there)."""
    from diffing.sources import source_bytes

    old_source, new_source = source_bytes(old), source_bytes(new)

    def read_both():
        from diffing.read import read_report

        return read_report(*old_source), read_report(*new_source)

    def compute() -> Comparison:
        from diffing.background import Background

        with Background(read_both) as reading:
            from diffing.compare import compare, prepare
            from diffing.mapping import bundled_mappings, pins_for

            knowledge = prepare()
            mappings = bundled_mappings() if curated else ()
            if meanwhile is not None:
                meanwhile()
            older, newer = reading.result()
        pins = pins_for(older, newer, mappings)  # none without mappings
        return compare(older, newer, knowledge, pins=pins)

    root = cache_root()
    if root is None:  # no cache: no key to make (it reads and hashes the code)
        return compute()
    return cached_comparison(comparison_key(old_source, new_source, curated), compute, root)
