"""Where the compiled translations (.qm) live; sources (.ts) are in resources/translations."""

from __future__ import annotations

from pathlib import Path


def translations_dir() -> Path:
    return Path(__file__).resolve().parent / "translations"
