"""The live overview of a site: one row per connector, folded from events.

Pure and Qt-free so it is tested without a screen; the status grid, the site
map and the status bar all show these rows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from app.domain import events as ev
from app.domain.metering import ENERGY_REGISTER
from app.domain.model import Admission, ConnectorStatus

POWER = "Power.Active.Import"


@dataclass(frozen=True, slots=True)
class ConnectorRow:
    station_id: str
    connector_id: int
    status: ConnectorStatus
    connected: bool = False
    admission: Admission = Admission.ACCEPTED
    since: datetime | None = None
    error_code: str = "NoError"
    power_w: float | None = None
    transaction_id: int | None = None
    id_tag: str | None = None
    session_started_at: datetime | None = None
    meter_start_wh: int | None = None
    meter_now_wh: float | None = None
    last_message_at: datetime | None = None
    firmware: str | None = None

    @property
    def key(self) -> tuple[str, int]:
        return (self.station_id, self.connector_id)

    @property
    def shown_status(self) -> ConnectorStatus:
        """What the operator sees: a disconnected station's connectors are Offline."""
        return self.status if self.connected else ConnectorStatus.OFFLINE

    @property
    def session_energy_wh(self) -> float | None:
        if self.transaction_id is None or self.meter_start_wh is None or self.meter_now_wh is None:
            return None
        return max(0.0, self.meter_now_wh - self.meter_start_wh)


class SiteOverview:
    """Rows keyed by (station, connector); apply() folds one event in.

    Connector 0 (the whole station) is kept for status but not shown as a bay.
    """

    def __init__(self, rows: list[ConnectorRow] | None = None) -> None:
        self.rows: dict[tuple[str, int], ConnectorRow] = {r.key: r for r in rows or []}

    def station_rows(self, station_id: str) -> list[ConnectorRow]:
        return sorted(
            (r for r in self.rows.values() if r.station_id == station_id),
            key=lambda r: r.connector_id,
        )

    def bays(self) -> list[ConnectorRow]:
        """Every connector an EV can use (connector 0 excluded), in a stable order."""
        return sorted((r for r in self.rows.values() if r.connector_id > 0), key=lambda r: r.key)

    def site_power_w(self) -> float:
        return sum(r.power_w or 0.0 for r in self.rows.values() if r.connected)

    def stations(self) -> set[str]:
        return {r.station_id for r in self.rows.values()}

    def _each_of(self, station_id: str, **changes: object) -> set[tuple[str, int]]:
        touched = set()
        for key, row in list(self.rows.items()):
            if row.station_id == station_id:
                self.rows[key] = replace(row, **changes)  # type: ignore[arg-type]
                touched.add(key)
        if not touched:
            row = ConnectorRow(station_id, 0, ConnectorStatus.UNKNOWN)
            self.rows[row.key] = replace(row, **changes)  # type: ignore[arg-type]
            touched.add(row.key)
        return touched

    def _row(self, station_id: str, connector_id: int) -> ConnectorRow:
        row = self.rows.get((station_id, connector_id))
        if row is None:
            template = next((r for r in self.rows.values() if r.station_id == station_id), None)
            row = ConnectorRow(
                station_id,
                connector_id,
                ConnectorStatus.UNKNOWN,
                connected=template.connected if template else True,
                admission=template.admission if template else Admission.ACCEPTED,
                firmware=template.firmware if template else None,
            )
        return row

    def apply(self, event: ev.DomainEvent) -> set[tuple[str, int]]:
        """Fold one event in; return the keys of the rows that changed."""
        sid = event.station_id
        if isinstance(event, ev.StationConnected):
            return self._each_of(sid, connected=True, last_message_at=event.at)
        if isinstance(event, ev.StationDisconnected | ev.StationWentOffline):
            return self._each_of(sid, connected=False, power_w=None)
        if isinstance(event, ev.StationBooted):
            return self._each_of(
                sid,
                firmware=event.boot.firmware_version,
                admission=event.admission,
                last_message_at=event.at,
                connected=True,
            )
        if isinstance(event, ev.StationAdmissionChanged):
            return self._each_of(sid, admission=event.admission)
        if isinstance(event, ev.StationAwaitingApproval):
            return self._each_of(sid, admission=Admission.PENDING, connected=True)
        if isinstance(event, ev.ConnectorStatusChanged):
            row = self._row(sid, event.connector_id)
            charging = event.status in (
                ConnectorStatus.CHARGING,
                ConnectorStatus.SUSPENDED_EV,
                ConnectorStatus.SUSPENDED_EVSE,
            )
            row = replace(
                row,
                status=event.status,
                since=event.at,
                error_code=event.error_code,
                last_message_at=event.at,
                connected=True,
                power_w=row.power_w if charging else None,
            )
            return self._put(row)
        if isinstance(event, ev.TransactionStarted):
            row = self._row(sid, event.connector_id)
            return self._put(
                replace(
                    row,
                    transaction_id=event.transaction_id,
                    id_tag=event.id_tag,
                    session_started_at=event.started_at,
                    meter_start_wh=event.meter_start,
                    meter_now_wh=float(event.meter_start),
                    last_message_at=event.at,
                )
            )
        if isinstance(event, ev.TransactionStopped):
            row = self._row(sid, event.connector_id)
            if row.transaction_id not in (None, event.transaction_id):
                return set()
            return self._put(
                replace(
                    row,
                    transaction_id=None,
                    id_tag=None,
                    session_started_at=None,
                    meter_start_wh=None,
                    meter_now_wh=None,
                    power_w=None,
                    last_message_at=event.at,
                )
            )
        if isinstance(event, ev.MeterValuesReceived):
            return self._apply_samples(event)
        return set()

    def _apply_samples(self, event: ev.MeterValuesReceived) -> set[tuple[str, int]]:
        row = self._row(event.station_id, event.connector_id)
        power: float | None = None
        energy: float | None = None
        phase_power = 0.0
        for sample in event.samples:
            if sample.location not in (None, "Outlet"):
                continue
            if sample.measurand == POWER:
                if sample.phase is None:
                    power = sample.value
                elif sample.phase in ("L1", "L2", "L3", "L1-N", "L2-N", "L3-N"):
                    phase_power += sample.value
            elif sample.measurand == ENERGY_REGISTER and sample.phase is None:
                energy = sample.value
        if power is None and phase_power:
            power = phase_power
        changes: dict[str, object] = {"last_message_at": event.at}
        if power is not None:
            changes["power_w"] = power
        if energy is not None and row.transaction_id is not None:
            changes["meter_now_wh"] = energy
        return self._put(replace(row, **changes))  # type: ignore[arg-type]

    def _put(self, row: ConnectorRow) -> set[tuple[str, int]]:
        self.rows[row.key] = row
        return {row.key}
