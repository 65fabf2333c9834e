"""The measured error rates that ship beside a bundled model, for reports and cards."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_FILES = {
    "harm": Path(__file__).resolve().parent.parent / "harm" / "model" / "error_rates.json",
    "pii": Path(__file__).resolve().parent.parent / "pii" / "model" / "error_rates.json",
}


def bundled_error_rates(check: str) -> dict[str, Any] | None:
    """The figures ``benchmarks/<check>.py`` measured for the bundled model, or None."""
    path = _FILES.get(check)
    if path is None or not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
