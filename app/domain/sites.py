"""Sites (a floor plan per site or level), where stations sit on them, and what a marker shows.

Pure and stdlib-only: the site map view paints these, the site service stores them.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.domain.model import Admission, ConnectorStatus
from app.domain.overview import ConnectorRow

SITE_NAME_MAX = 100
SITE_LEVEL_MAX = 50
FLOOR_PLAN_MAX_BYTES = 20 * 1024 * 1024

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class FloorPlanFormat(StrEnum):
    PNG = "png"
    SVG = "svg"


@dataclass(frozen=True, slots=True)
class Site:
    id: int
    name: str
    level: str = ""
    floor_plan_format: FloorPlanFormat | None = None
    sort_order: int = 0

    @property
    def has_floor_plan(self) -> bool:
        return self.floor_plan_format is not None

    @property
    def title(self) -> str:
        """How the site is named in a picker: "Depot" or "Garage — Level 2"."""
        return f"{self.name} — {self.level}" if self.level else self.name


@dataclass(frozen=True, slots=True)
class FloorPlan:
    site_id: int
    format: FloorPlanFormat
    data: bytes


@dataclass(frozen=True, slots=True)
class StationPosition:
    """Where a station's marker sits, in the coordinates of its site's floor plan."""

    station_id: str
    site_id: int
    x: float
    y: float


# ---- floor plan files ------------------------------------------------------------


def floor_plan_format(data: bytes) -> FloorPlanFormat | None:
    """PNG or SVG by content (never by file name); None for anything else."""
    if data.startswith(PNG_SIGNATURE) and data[12:16] == b"IHDR":
        return FloorPlanFormat.PNG
    if _is_svg(data):
        return FloorPlanFormat.SVG
    return None


def _is_svg(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head.startswith((b"<?xml", b"<svg", b"<!--")):
        return False
    if b"<!entity" in data.lower():
        return False  # entity expansion has no place in a floor plan (and can be a bomb)
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return False
    return root.tag == "svg" or root.tag.endswith("}svg")


_BAY_ID = re.compile(r"^bay[-_ ]?(.+)$", re.IGNORECASE)


def bay_ids(svg: bytes) -> list[str]:
    """Ids of the elements an SVG plan marks as bays (id="bay-A1", …), in natural order.

    New stations are put on free bays, so a demo site looks tidy without dragging.
    """
    try:
        root = ET.fromstring(svg)
    except ET.ParseError:
        return []
    found = [
        element.attrib["id"]
        for element in root.iter()
        if _BAY_ID.match(element.attrib.get("id", ""))
    ]
    return sorted(found, key=_natural_key)


def _natural_key(text: str) -> list[tuple[int, int | str]]:
    return [(0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text)]


# ---- what a marker shows -------------------------------------------------------------

# The marker takes the colour of its most relevant connector. Highest first:
# what needs a person (broken, unreachable, awaiting approval), then what is
# happening (energy flowing, paused, starting, ending, held), then what is idle.
MARKER_PRIORITY: tuple[ConnectorStatus, ...] = (
    ConnectorStatus.FAULTED,
    ConnectorStatus.OFFLINE,
    # Pending approval ranks here; it is an admission, not a connector status.
    ConnectorStatus.CHARGING,
    ConnectorStatus.SUSPENDED_EVSE,
    ConnectorStatus.SUSPENDED_EV,
    ConnectorStatus.PREPARING,
    ConnectorStatus.FINISHING,
    ConnectorStatus.RESERVED,
    ConnectorStatus.UNAVAILABLE,
    ConnectorStatus.AVAILABLE,
    ConnectorStatus.UNKNOWN,
)
_RANK = {status: rank for rank, status in enumerate(MARKER_PRIORITY)}
# Connector 0 stands for the whole station; only these of its statuses say something
# the bays do not (OCPP 1.6 reports a station-wide fault or shutdown on connector 0).
_NEEDS_A_PERSON = frozenset({ConnectorStatus.FAULTED, ConnectorStatus.OFFLINE})
_STATION_WIDE = frozenset({ConnectorStatus.FAULTED, ConnectorStatus.UNAVAILABLE})


@dataclass(frozen=True, slots=True)
class ConnectorSummary:
    connector_id: int
    status: ConnectorStatus
    power_w: float | None
    session_energy_wh: float | None
    id_tag: str | None
    error_code: str


@dataclass(frozen=True, slots=True)
class StationSummary:
    """Everything a station's marker shows; equal summaries need no repaint."""

    station_id: str
    status: ConnectorStatus
    admission: Admission
    connected: bool
    power_w: float
    connectors: tuple[ConnectorSummary, ...]

    @property
    def pending(self) -> bool:
        """Shown as Pending approval (a fault or a lost connection still shows first)."""
        return self.admission is Admission.PENDING and self.status not in _NEEDS_A_PERSON

    @property
    def connector_count(self) -> int:
        return len(self.connectors)


def summarize_station(station_id: str, rows: Sequence[ConnectorRow]) -> StationSummary:
    """Fold a station's connector rows into what its marker shows (see MARKER_PRIORITY).

    Pending approval outranks everything but Faulted and Offline: an unapproved
    station cannot charge, and the operator has a decision to make.
    """
    bays = [r for r in rows if r.connector_id > 0]
    considered: list[ConnectorStatus] = [r.shown_status for r in bays]
    considered += [
        r.shown_status for r in rows if r.connector_id == 0 and r.shown_status in _STATION_WIDE
    ]
    connected = any(r.connected for r in rows)
    if not connected:
        considered.append(ConnectorStatus.OFFLINE)
    status = _most_relevant(considered)
    admission = next((r.admission for r in rows), Admission.ACCEPTED)
    return StationSummary(
        station_id=station_id,
        status=status,
        admission=admission,
        connected=connected,
        power_w=sum(r.power_w or 0.0 for r in bays if r.connected),
        connectors=tuple(
            ConnectorSummary(
                r.connector_id,
                r.shown_status,
                r.power_w if r.connected else None,
                r.session_energy_wh,
                r.id_tag,
                r.error_code,
            )
            for r in bays
        ),
    )


def _most_relevant(statuses: Iterable[ConnectorStatus]) -> ConnectorStatus:
    return min(statuses, key=lambda s: _RANK[s], default=ConnectorStatus.UNKNOWN)


def marker_rank(summary: StationSummary) -> int:
    """Position in the colour rule, Pending approval slotted in after Offline."""
    if summary.status in _NEEDS_A_PERSON:
        return _RANK[summary.status]
    if summary.pending:
        return _RANK[ConnectorStatus.OFFLINE] + 1
    return _RANK[summary.status] + 1


# ---- tidy layouts --------------------------------------------------------------------


def grid_positions(
    count: int, origin: tuple[float, float], cell: tuple[float, float], columns: int | None = None
) -> list[tuple[float, float]]:
    """Centres of `count` cells in rows, left to right; columns default to a wide-ish square."""
    if count <= 0:
        return []
    cols = columns if columns and columns > 0 else max(1, math.ceil(math.sqrt(count * 1.8)))
    ox, oy = origin
    width, height = cell
    return [
        (ox + (i % cols) * width + width / 2, oy + (i // cols) * height + height / 2)
        for i in range(count)
    ]
