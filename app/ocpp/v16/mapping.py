"""OCPP 1.6 wire format ⇄ version-neutral domain types. camelCase stops here."""

from __future__ import annotations

import dataclasses
import logging
import math
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from app.domain import commands as c
from app.domain.metering import DEFAULT_MEASURAND, normalise
from app.domain.model import BootInfo, ConnectorStatus, MeterSample, StatusReport
from app.ocpp.rpc import RpcError

log = logging.getLogger(__name__)

# ---- values -------------------------------------------------------------------


def parse_time(value: Any, field: str) -> datetime:
    """ISO 8601 with any fraction and offset (X16-22); naive times are taken as UTC."""
    if not isinstance(value, str):
        raise RpcError("TypeConstraintViolation", f"{field}: expected a date-time string")
    text = value.strip()
    if text.endswith(("z", "Z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise RpcError(
            "TypeConstraintViolation", f"{field}: {value!r} is not an ISO 8601 date-time"
        ) from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError as exc:  # e.g. 0001-01-01T00:00:00+01:00 is before year 1 in UTC
        raise RpcError(
            "TypeConstraintViolation", f"{field}: {value!r} is out of the representable range"
        ) from exc


def format_time(value: datetime) -> str:
    """UTC with millisecond precision and a Z, the form every charger parses."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    text = value.astimezone(UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, c.AuthorizationEntry):
        entry: dict[str, Any] = {"idTag": value.id_tag}
        if value.status is not None:
            info: dict[str, Any] = {"status": value.status}
            if value.expiry_date is not None:
                info["expiryDate"] = format_time(value.expiry_date)
            if value.parent_id_tag is not None:
                info["parentIdTag"] = value.parent_id_tag
            entry["idTagInfo"] = info
        return entry
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if item is None or (isinstance(item, tuple) and not item and f.name == "key"):
                continue
            out[_camel(f.name)] = _encode(item)
        return out
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    return value


def to_wire(value: Any) -> Any:
    """Any domain value (a command, a result) in its camelCase 1.6 form."""
    return _encode(value)


def command_payload(command: c.StationCommand) -> tuple[str, dict[str, Any]]:
    """The action name and camelCase payload for a domain command."""
    payload = _encode(command)
    assert isinstance(payload, dict)
    return c.command_name(command), payload


# ---- answers to our calls -------------------------------------------------------


def _schedule(data: dict[str, Any]) -> c.ChargingSchedule:
    periods = tuple(
        c.SchedulePeriod(int(p["startPeriod"]), float(p["limit"]), p.get("numberPhases"))
        for p in data.get("chargingSchedulePeriod", [])
    )
    start = data.get("startSchedule")
    return c.ChargingSchedule(
        charging_rate_unit=c.ChargingRateUnit(data["chargingRateUnit"]),
        charging_schedule_period=periods,
        duration=data.get("duration"),
        start_schedule=parse_time(start, "startSchedule") if start else None,
        min_charging_rate=(
            float(data["minChargingRate"]) if data.get("minChargingRate") is not None else None
        ),
    )


def command_result(command: c.StationCommand, payload: dict[str, Any]) -> c.CommandResult:
    """Map a schema-valid response payload to the operation's result type."""
    if isinstance(command, c.GetConfiguration):
        return c.ConfigurationResult(
            configuration_key=tuple(
                c.ConfigurationEntry(k["key"], bool(k.get("readonly", False)), k.get("value"))
                for k in payload.get("configurationKey", [])
            ),
            unknown_key=tuple(payload.get("unknownKey", [])),
        )
    if isinstance(command, c.DataTransfer):
        return c.DataTransferResult(payload["status"], payload.get("data"))
    if isinstance(command, c.GetDiagnostics):
        return c.DiagnosticsResult(payload.get("fileName"))
    if isinstance(command, c.UpdateFirmware):
        return c.FirmwareResult()
    if isinstance(command, c.GetLocalListVersion):
        return c.LocalListVersionResult(int(payload["listVersion"]))
    if isinstance(command, c.GetCompositeSchedule):
        schedule = payload.get("chargingSchedule")
        start = payload.get("scheduleStart")
        return c.CompositeScheduleResult(
            status=payload["status"],
            connector_id=payload.get("connectorId"),
            schedule_start=parse_time(start, "scheduleStart") if start else None,
            charging_schedule=_schedule(schedule) if schedule else None,
        )
    return c.StatusResult(payload["status"])


# ---- what chargers send -----------------------------------------------------------


def boot_info(p: dict[str, Any]) -> BootInfo:
    return BootInfo(
        vendor=p["chargePointVendor"],
        model=p["chargePointModel"],
        serial_number=p.get("chargePointSerialNumber"),
        charge_box_serial_number=p.get("chargeBoxSerialNumber"),
        firmware_version=p.get("firmwareVersion"),
        iccid=p.get("iccid"),
        imsi=p.get("imsi"),
        meter_type=p.get("meterType"),
        meter_serial_number=p.get("meterSerialNumber"),
    )


def status_report(p: dict[str, Any]) -> StatusReport:
    ts = p.get("timestamp")
    if p["connectorId"] < 0:
        raise RpcError("PropertyConstraintViolation", "connectorId: must be 0 or above")
    return StatusReport(
        connector_id=p["connectorId"],
        status=ConnectorStatus(p["status"]),
        error_code=p["errorCode"],
        station_timestamp=parse_time(ts, "timestamp") if ts is not None else None,
        info=p.get("info"),
        vendor_id=p.get("vendorId"),
        vendor_error_code=p.get("vendorErrorCode"),
    )


def meter_samples(meter_value: list[dict[str, Any]]) -> list[MeterSample]:
    """Flatten meterValue[] into normalised samples (kWh→Wh, kW→W, …)."""
    samples: list[MeterSample] = []
    for entry in meter_value:
        at = parse_time(entry["timestamp"], "meterValue/timestamp")
        for sv in entry["sampledValue"]:
            measurand = sv.get("measurand") or DEFAULT_MEASURAND
            raw = sv["value"]
            fmt = sv.get("format")
            if fmt == "SignedData":
                # Signed meter data is opaque here; keep the fact that it came.
                continue
            try:
                number = float(raw)
            except ValueError:
                # §4.7: a failed sanity check must never cost the charger its answer
                # (it would retry the whole message); keep the rest, say what was dropped.
                log.warning("dropped sampled value %r of %s: not a number", raw, measurand)
                continue
            if not math.isfinite(number):  # float() takes "NaN", "inf", "1e999"
                log.warning("dropped sampled value %r of %s: not a finite number", raw, measurand)
                continue
            value, unit = normalise(number, sv.get("unit"), measurand)
            samples.append(
                MeterSample(
                    timestamp=at,
                    value=value,
                    measurand=measurand,
                    unit=unit,
                    phase=sv.get("phase"),
                    location=sv.get("location"),
                    context=sv.get("context"),
                    format=fmt,
                )
            )
    return samples


def id_tag_info(status: str, expiry: datetime | None, parent: str | None) -> dict[str, Any]:
    info: dict[str, Any] = {"status": status}
    if expiry is not None:
        info["expiryDate"] = format_time(expiry)
    if parent is not None:
        info["parentIdTag"] = parent
    return info
