"""Stations, their connectors, status history and configuration."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, Row, bindparam, delete, insert, select, update

from app.domain.model import (
    Admission,
    BootInfo,
    ConfigurationKey,
    ConnectorState,
    ConnectorStatus,
    Reservation,
    ReservationState,
    Station,
    StatusReport,
    TransactionState,
)
from app.store.database import Database
from app.store.schema import (
    connectors,
    data_transfers,
    reservations,
    station_configuration,
    stations,
    status_history,
    transactions,
)


def station_from_row(row: Row[tuple[object, ...]]) -> Station:
    m = row._mapping
    boot = None
    if m["vendor"] is not None:
        boot = BootInfo(
            vendor=m["vendor"],
            model=m["model"] or "",
            serial_number=m["serial_number"],
            charge_box_serial_number=m["charge_box_serial_number"],
            firmware_version=m["firmware_version"],
            iccid=m["iccid"],
            imsi=m["imsi"],
            meter_type=m["meter_type"],
            meter_serial_number=m["meter_serial_number"],
        )
    return Station(
        id=m["id"],
        admission=Admission(m["admission"]),
        has_password=m["password_hash"] is not None,
        boot=boot,
        protocol=m["protocol"],
        connected=bool(m["connected"]),
        last_seen_at=m["last_seen_at"],
        last_boot_at=m["last_boot_at"],
        created_at=m["created_at"],
        heartbeat_interval=m["heartbeat_interval"],
        auto_fetch_configuration=bool(m["auto_fetch_configuration"]),
        firmware_status=m["firmware_status"],
        diagnostics_status=m["diagnostics_status"],
        local_list_version=m["local_list_version"] or 0,
    )


def connector_from_row(row: Row[tuple[object, ...]]) -> ConnectorState:
    m = row._mapping
    try:
        status = ConnectorStatus(m["status"])
    except ValueError:
        status = ConnectorStatus.UNKNOWN
    return ConnectorState(
        station_id=m["station_id"],
        connector_id=m["connector_id"],
        status=status,
        error_code=m["error_code"],
        info=m["info"],
        vendor_id=m["vendor_id"],
        vendor_error_code=m["vendor_error_code"],
        since=m["since"],
        station_timestamp=m["station_timestamp"],
    )


def reservation_from_row(row: Row[tuple[object, ...]]) -> Reservation:
    m = row._mapping
    return Reservation(
        id=m["id"],
        station_id=m["station_id"],
        connector_id=m["connector_id"],
        id_tag=m["id_tag"],
        expiry_date=m["expiry_date"],
        state=ReservationState(m["state"]),
        parent_id_tag=m["parent_id_tag"],
        transaction_id=m["transaction_id"],
        created_at=m["created_at"],
        ended_at=m["ended_at"],
    )


# Built once: the hot path executes them with parameters, so SQLAlchemy neither
# rebuilds the statement nor recomputes its cache key on every report.
_CONNECTOR_KEY = (connectors.c.station_id == bindparam("station")) & (
    connectors.c.connector_id == bindparam("connector")
)
_CONNECTOR_BY_KEY = select(connectors).where(_CONNECTOR_KEY)
_UPDATE_CONNECTOR = update(connectors).where(_CONNECTOR_KEY)


class SqlStationRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, station_id: str) -> Station | None:
        def op(conn: Connection) -> Station | None:
            row = conn.execute(select(stations).where(stations.c.id == station_id)).first()
            return station_from_row(row) if row else None

        return await self._db.read(op)

    async def password_hash(self, station_id: str) -> str | None:
        def op(conn: Connection) -> str | None:
            value = conn.execute(
                select(stations.c.password_hash).where(stations.c.id == station_id)
            ).scalar()
            return value if isinstance(value, str) else None

        return await self._db.read(op)

    async def all(self) -> list[Station]:
        def op(conn: Connection) -> list[Station]:
            rows = conn.execute(select(stations).order_by(stations.c.id))
            return [station_from_row(r) for r in rows]

        return await self._db.read(op)

    async def create(
        self, station_id: str, admission: Admission, password_hash: str | None, now: datetime
    ) -> Station:
        def op(conn: Connection) -> Station:
            conn.execute(
                insert(stations).values(
                    id=station_id,
                    admission=admission.value,
                    password_hash=password_hash,
                    created_at=now,
                    connected=False,
                    auto_fetch_configuration=False,
                    local_list_version=0,
                )
            )
            row = conn.execute(select(stations).where(stations.c.id == station_id)).one()
            return station_from_row(row)

        return await self._db.write(op)

    async def _update(self, station_id: str, **values: object) -> bool:
        def op(conn: Connection) -> bool:
            result = conn.execute(
                update(stations).where(stations.c.id == station_id).values(**values)
            )
            return result.rowcount > 0

        return await self._db.write(op)

    async def set_admission(self, station_id: str, admission: Admission) -> bool:
        return await self._update(station_id, admission=admission.value)

    async def set_password_hash(self, station_id: str, password_hash: str | None) -> bool:
        return await self._update(station_id, password_hash=password_hash)

    async def set_auto_fetch_configuration(self, station_id: str, enabled: bool) -> bool:
        return await self._update(station_id, auto_fetch_configuration=enabled)

    async def record_connection(
        self, station_id: str, connected: bool, protocol: str | None, now: datetime
    ) -> None:
        values: dict[str, object] = {"connected": connected, "last_seen_at": now}
        if protocol is not None:
            values["protocol"] = protocol
        await self._update(station_id, **values)

    async def record_boot(
        self, station_id: str, boot: BootInfo, heartbeat_interval: int, now: datetime
    ) -> None:
        await self._update(
            station_id,
            vendor=boot.vendor,
            model=boot.model,
            serial_number=boot.serial_number,
            charge_box_serial_number=boot.charge_box_serial_number,
            firmware_version=boot.firmware_version,
            iccid=boot.iccid,
            imsi=boot.imsi,
            meter_type=boot.meter_type,
            meter_serial_number=boot.meter_serial_number,
            heartbeat_interval=heartbeat_interval,
            last_boot_at=now,
            last_seen_at=now,
        )

    async def mark_all_disconnected(self) -> None:
        def op(conn: Connection) -> None:
            conn.execute(update(stations).values(connected=False))

        await self._db.write(op)

    async def touch(self, seen: dict[str, datetime]) -> None:
        if not seen:
            return

        def op(conn: Connection) -> None:
            # One statement, executed for many rows: a thousand stations take a
            # few milliseconds instead of a quarter second of the writer's time.
            conn.execute(
                update(stations)
                .where(stations.c.id == bindparam("station"))
                .values(last_seen_at=bindparam("seen")),
                [{"station": station_id, "seen": at} for station_id, at in seen.items()],
            )

        await self._db.write(op)

    async def record_status(
        self, station_id: str, report: StatusReport, now: datetime
    ) -> ConnectorState | None:
        def op(conn: Connection) -> ConnectorState | None:
            key = {"station": station_id, "connector": report.connector_id}
            previous_row = conn.execute(_CONNECTOR_BY_KEY, key).first()
            previous = connector_from_row(previous_row) if previous_row else None
            reported = {
                "status": report.status.value,
                "error_code": report.error_code,
                "info": report.info,
                "vendor_id": report.vendor_id,
                "vendor_error_code": report.vendor_error_code,
                "station_timestamp": report.station_timestamp,
            }
            conn.execute(
                insert(status_history),
                {
                    "station_id": station_id,
                    "connector_id": report.connector_id,
                    "received_at": now,
                    **reported,
                },
            )
            # A queued, older report must not overwrite a newer current state.
            if previous is not None and previous.is_newer_than(report):
                return previous
            values = {**reported, "since": report.station_timestamp or now, "updated_at": now}
            if previous is None:
                conn.execute(
                    insert(connectors),
                    {"station_id": station_id, "connector_id": report.connector_id, **values},
                )
            else:
                conn.execute(_UPDATE_CONNECTOR, {**key, **values})
            return previous

        return await self._db.write(op)

    async def connectors(self, station_id: str | None = None) -> list[ConnectorState]:
        def op(conn: Connection) -> list[ConnectorState]:
            query = select(connectors).order_by(connectors.c.station_id, connectors.c.connector_id)
            if station_id is not None:
                query = query.where(connectors.c.station_id == station_id)
            return [connector_from_row(r) for r in conn.execute(query)]

        return await self._db.read(op)

    async def set_firmware_status(self, station_id: str, status: str, now: datetime) -> None:
        await self._update(station_id, firmware_status=status, last_seen_at=now)

    async def set_diagnostics_status(self, station_id: str, status: str, now: datetime) -> None:
        await self._update(station_id, diagnostics_status=status, last_seen_at=now)

    async def store_configuration(
        self, station_id: str, keys: Sequence[ConfigurationKey], now: datetime
    ) -> None:
        def op(conn: Connection) -> None:
            names = [k.key for k in keys]
            conn.execute(
                delete(station_configuration).where(
                    (station_configuration.c.station_id == station_id)
                    & station_configuration.c.key.in_(names)
                )
            )
            if keys:
                conn.execute(
                    insert(station_configuration),
                    [
                        {
                            "station_id": station_id,
                            "key": k.key,
                            "value": k.value,
                            "readonly": k.readonly,
                            "fetched_at": now,
                        }
                        for k in keys
                    ],
                )

        await self._db.write(op)

    async def configuration(self, station_id: str) -> list[ConfigurationKey]:
        def op(conn: Connection) -> list[ConfigurationKey]:
            rows = conn.execute(
                select(station_configuration)
                .where(station_configuration.c.station_id == station_id)
                .order_by(station_configuration.c.key)
            )
            return [ConfigurationKey(r.key, r.value, bool(r.readonly)) for r in rows]

        return await self._db.read(op)

    async def set_local_list_version(self, station_id: str, version: int) -> None:
        await self._update(station_id, local_list_version=version)

    async def store_data_transfer(
        self,
        station_id: str,
        vendor_id: str,
        message_id: str | None,
        data: str | None,
        status: str,
        now: datetime,
    ) -> None:
        def op(conn: Connection) -> None:
            conn.execute(
                insert(data_transfers).values(
                    station_id=station_id,
                    received_at=now,
                    vendor_id=vendor_id,
                    message_id=message_id,
                    data=data,
                    status=status,
                )
            )

        await self._db.write(op)

    async def running_transactions(self, station_id: str) -> dict[int, int]:
        """Connector id → id of the transaction open on it (the station's live picture)."""

        def op(conn: Connection) -> dict[int, int]:
            c = transactions.c
            rows = conn.execute(
                select(c.connector_id, c.id)
                .where(
                    (c.station_id == station_id)
                    & c.state.in_((TransactionState.OPEN.value, TransactionState.SUSPECT.value))
                )
                .order_by(c.started_at)
            )
            return {int(r.connector_id): int(r.id) for r in rows}

        return await self._db.read(op)

    async def reservation(self, reservation_id: int) -> Reservation | None:
        def op(conn: Connection) -> Reservation | None:
            row = conn.execute(
                select(reservations).where(reservations.c.id == reservation_id)
            ).first()
            return reservation_from_row(row) if row else None

        return await self._db.read(op)

    async def reservations(self, station_id: str) -> list[Reservation]:
        def op(conn: Connection) -> list[Reservation]:
            rows = conn.execute(
                select(reservations)
                .where(reservations.c.station_id == station_id)
                .order_by(reservations.c.id)
            )
            return [reservation_from_row(r) for r in rows]

        return await self._db.read(op)

    async def save_reservation(self, reservation: Reservation) -> None:
        """Insert, or replace the reservation with the same id (ReserveNow again updates it)."""

        def op(conn: Connection) -> None:
            values = {
                "station_id": reservation.station_id,
                "connector_id": reservation.connector_id,
                "id_tag": reservation.id_tag,
                "parent_id_tag": reservation.parent_id_tag,
                "expiry_date": reservation.expiry_date,
                "state": reservation.state.value,
                "transaction_id": reservation.transaction_id,
                "created_at": reservation.created_at,
                "ended_at": reservation.ended_at,
            }
            key = reservations.c.id == reservation.id
            if conn.execute(update(reservations).where(key).values(**values)).rowcount == 0:
                conn.execute(insert(reservations).values(id=reservation.id, **values))

        await self._db.write(op)

    async def end_reservations(
        self,
        station_id: str,
        state: ReservationState,
        now: datetime,
        *,
        reservation_id: int | None = None,
        connector_id: int | None = None,
        expired_by: datetime | None = None,
    ) -> list[Reservation]:
        """Move active reservations to `state`; return the ones that changed."""

        c = reservations.c
        where = (c.station_id == station_id) & (c.state == ReservationState.ACTIVE.value)
        if reservation_id is not None:
            where &= c.id == reservation_id
        if connector_id is not None:
            where &= c.connector_id == connector_id
        if expired_by is not None:
            where &= c.expiry_date <= expired_by

        # Called on every status report: look first, so that the common case
        # (nothing reserved) costs a read, not a turn of the single writer.
        def exists(conn: Connection) -> bool:
            return conn.execute(select(c.id).where(where).limit(1)).first() is not None

        if not await self._db.read(exists):
            return []

        def op(conn: Connection) -> list[Reservation]:
            rows = conn.execute(select(reservations).where(where)).all()
            if rows:
                conn.execute(
                    update(reservations)
                    .where(c.id.in_([r.id for r in rows]))
                    .values(state=state.value, ended_at=now)
                )
            return [reservation_from_row(r) for r in rows]

        return await self._db.write(op)
