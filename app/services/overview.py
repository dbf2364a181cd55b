"""Builds the site overview from stored facts; events keep it current afterwards."""

from __future__ import annotations

from dataclasses import replace

from app.domain.model import ConnectorStatus
from app.domain.overview import POWER, ConnectorRow, SiteOverview
from app.services.stations import StationService
from app.services.transactions import TransactionService


async def load_overview(stations: StationService, transactions: TransactionService) -> SiteOverview:
    rows: dict[tuple[str, int], ConnectorRow] = {}
    known = await stations.all()
    by_id = {s.id: s for s in known}
    for station in known:
        rows[(station.id, 0)] = ConnectorRow(
            station.id,
            0,
            ConnectorStatus.UNKNOWN,
            connected=station.connected,
            admission=station.admission,
            last_message_at=station.last_seen_at,
            firmware=station.boot.firmware_version if station.boot else None,
        )
    for c in await stations.connectors():
        owner = by_id.get(c.station_id)
        if owner is None:
            continue
        rows[(c.station_id, c.connector_id)] = ConnectorRow(
            c.station_id,
            c.connector_id,
            c.status,
            connected=owner.connected,
            admission=owner.admission,
            since=c.since,
            error_code=c.error_code,
            last_message_at=owner.last_seen_at,
            firmware=owner.boot.firmware_version if owner.boot else None,
        )
    for tx in await transactions.find(open_only=True, limit=10_000):
        key = (tx.station_id, tx.connector_id)
        row = rows.get(key) or ConnectorRow(tx.station_id, tx.connector_id, ConnectorStatus.UNKNOWN)
        power = None
        for sample in reversed(await transactions.samples(tx.id)):
            if sample.measurand == POWER and sample.phase is None:
                power = sample.value
                break
        rows[key] = replace(
            row,
            transaction_id=tx.id,
            id_tag=tx.id_tag,
            session_started_at=tx.started_at,
            meter_start_wh=tx.meter_start,
            meter_now_wh=tx.last_meter_wh,
            power_w=power if row.connected else None,
        )
    return SiteOverview(list(rows.values()))
