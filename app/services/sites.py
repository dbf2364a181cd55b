"""Sites (floor plans per site or level) and where each station sits on them."""

from __future__ import annotations

from typing import Protocol


class SiteRepository(Protocol):
    """Implemented by app/store/repositories/sites.py."""


class SiteService:
    def __init__(self, repository: SiteRepository) -> None:
        self._repo = repository
