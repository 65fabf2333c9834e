"""Where the public data sets (BOLD, CrowS-Pairs) are read from."""

from __future__ import annotations

import os
from pathlib import Path

from raikit.errors import InputError

DATA_ENV = "RAIKIT_DATA"
BOLD_SUBDIR = Path("bias") / "bold_prompts"
CROWS_PAIRS_FILE = Path("bias") / "crows_pairs_anonymized.csv"
BOLD_LICENSE = "CC BY-SA 4.0 (amazon-science/bold)"
CROWS_PAIRS_LICENSE = "CC BY-SA 4.0 (nyu-mll/crows-pairs)"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The shared data folder: ``explicit``, else ``$RAIKIT_DATA``, else ``../shared/data``.

    Args:
        explicit: A folder given by the caller; it wins when set.

    Raises:
        InputError: No candidate folder exists (the message lists where it looked).

    Example:
        >>> data_dir("/tmp").name
        'tmp'
    """
    candidates: list[Path] = []
    if explicit is not None:
        candidates.append(Path(explicit))
    elif os.environ.get(DATA_ENV):
        candidates.append(Path(os.environ[DATA_ENV]))
    else:
        candidates.append(Path.cwd().parent / "shared" / "data")
    for path in candidates:
        if path.is_dir():
            return path
    looked = ", ".join(str(p) for p in candidates)
    raise InputError(
        f"data folder not found (looked in: {looked}); pass data_path=... or set ${DATA_ENV}"
    )


def resolve_data_file(path: str | os.PathLike[str] | None, default: Path) -> Path:
    """``path`` when given, else ``default`` under :func:`data_dir`; must exist."""
    target = Path(path) if path is not None else data_dir() / default
    if not target.exists():
        raise InputError(f"data not found at {target}; pass its path or set ${DATA_ENV} to the data folder")
    return target
