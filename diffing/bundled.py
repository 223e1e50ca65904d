"""Find the Kent inspection texts shipped inside the package: the default inputs."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from diffing.errors import InputError

OLD = "kent-2017-sif-inspection.txt"
"""The older report of the default pair."""
NEW = "kent-2022-ilacs-inspection.txt"
"""The newer report of the default pair (and what `parse` reads by default)."""
FOCUSED = "kent-2019-focused-visit.txt"
"""The focused visit between the two."""

SHORT_NAMES = {"kent-2017": OLD, "kent-2019": FOCUSED, "kent-2022": NEW}
"""Short names for the three reports ("kent-2017" would otherwise also match the council paper)."""

PREFIX = "bundled:"
"""How a command-line argument or a Report.path names a bundled text."""


def bundled_dir() -> Path:
    """The folder holding the bundled texts (inside the installed package)."""
    return Path(str(resources.files("inspections")))


def bundled_names() -> tuple[str, ...]:
    """File names of the bundled texts, sorted."""
    return tuple(sorted(p.name for p in bundled_dir().glob("*.txt")))


def bundled_path(name: str) -> Path:
    """The bundled text called `name`: its file name, with or without ``.txt``, or one of
    SHORT_NAMES. A leading ``bundled:`` is ignored."""
    key = name.removeprefix(PREFIX)
    names = bundled_names()
    for candidate in (key, f"{key}.txt", SHORT_NAMES.get(key)):
        if candidate in names:
            return bundled_dir() / candidate
    choices = ", ".join([*SHORT_NAMES, *(n for n in names if n not in SHORT_NAMES.values())])
    raise InputError(PREFIX + key, f"no such bundled report (there are: {choices})")
