"""Local authorization: the versioned Local Authorization List and the authorization cache."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from app.sim.timeutil import parse_timestamp

ACCEPTED = "Accepted"


@dataclass(frozen=True)
class IdTagInfo:
    status: str
    expiry: datetime | None = None
    parent_id_tag: str | None = None

    def status_at(self, now: datetime) -> str:
        if self.status == ACCEPTED and self.expiry is not None and now >= self.expiry:
            return "Expired"
        return self.status


def parse_id_tag_info(data: object) -> IdTagInfo | None:
    """Read an idTagInfo in either snake_case (handler kwargs) or camelCase (responses)."""
    if not isinstance(data, Mapping):
        return None
    status = data.get("status")
    if not isinstance(status, str):
        return None
    expiry = data.get("expiry_date", data.get("expiryDate"))
    parent = data.get("parent_id_tag", data.get("parentIdTag"))
    return IdTagInfo(
        status=status,
        expiry=parse_timestamp(expiry) if isinstance(expiry, str) else None,
        parent_id_tag=parent if isinstance(parent, str) else None,
    )


@dataclass
class LocalAuthList:
    """The list the CSMS manages with SendLocalList; version 0 means no list yet."""

    max_length: int = 100
    version: int = 0
    entries: dict[str, IdTagInfo] = field(default_factory=dict)

    def apply(
        self, list_version: int, update_type: str, updates: Sequence[Mapping[str, object]]
    ) -> str:
        """Apply a SendLocalList update; returns the UpdateStatus for the reply."""
        if update_type == "Differential" and list_version <= self.version:
            return "VersionMismatch"
        if update_type not in ("Full", "Differential"):
            return "Failed"
        entries = {} if update_type == "Full" else dict(self.entries)
        for update in updates:
            tag = update.get("id_tag")
            if not isinstance(tag, str):
                return "Failed"
            info = parse_id_tag_info(update.get("id_tag_info"))
            if info is None:
                if update_type == "Full":
                    return "Failed"
                entries.pop(tag, None)
            else:
                entries[tag] = info
        if len(entries) > self.max_length:
            return "Failed"
        self.entries = entries
        self.version = list_version
        return "Accepted"

    def lookup(self, id_tag: str, now: datetime) -> str | None:
        info = self.entries.get(id_tag)
        return None if info is None else info.status_at(now)


@dataclass
class AuthorizationCache:
    """Tags the CSMS confirmed recently, used while offline."""

    entries: dict[str, IdTagInfo] = field(default_factory=dict)

    def remember(self, id_tag: str, info: IdTagInfo) -> None:
        self.entries[id_tag] = info

    def lookup(self, id_tag: str, now: datetime) -> str | None:
        info = self.entries.get(id_tag)
        return None if info is None else info.status_at(now)

    def clear(self) -> None:
        self.entries.clear()
