"""Stations and connectors: live state, configuration, approval, passwords."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import Controller, Reader, ServicesDep
from app.domain.model import Admission, ConfigurationKey, ConnectorState, Station

router = APIRouter(tags=["stations"])


@dataclass(frozen=True)
class StationView:
    """A station as stored, whether it is connected now, and its connectors' states."""

    station: Station
    connectors: list[ConnectorState] = field(default_factory=list)


# What StationService takes for a security profile 1 password, said in the document too.
PASSWORD_MIN, PASSWORD_MAX = 8, 40


class Approval(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt field must not pass unseen

    password: str | None = Field(
        default=None,
        description="Security profile 1 password to require from now on",
        min_length=PASSWORD_MIN,
        max_length=PASSWORD_MAX,
    )


class Password(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt field must not pass unseen

    password: str | None = Field(
        description="The new password, or null to require none",
        min_length=PASSWORD_MIN,
        max_length=PASSWORD_MAX,
    )


async def _view(services: ServicesDep, station_id: str) -> StationView:
    station = await services.stations.get(station_id)
    return StationView(station, await services.stations.connectors(station_id))


@router.get("/stations", response_model=list[StationView])
async def list_stations(services: ServicesDep, _token: Reader) -> list[StationView]:
    connectors = await services.stations.connectors()
    by_station: dict[str, list[ConnectorState]] = {}
    for connector in connectors:
        by_station.setdefault(connector.station_id, []).append(connector)
    return [StationView(s, by_station.get(s.id, [])) for s in await services.stations.all()]


@router.get("/stations/{station_id}", response_model=StationView)
async def get_station(station_id: str, services: ServicesDep, _token: Reader) -> StationView:
    return await _view(services, station_id)


@router.get("/stations/{station_id}/connectors", response_model=list[ConnectorState])
async def station_connectors(
    station_id: str, services: ServicesDep, _token: Reader
) -> list[ConnectorState]:
    await services.stations.get(station_id)  # 404 for an unknown station
    return await services.stations.connectors(station_id)


@router.get("/connectors", response_model=list[ConnectorState])
async def all_connectors(services: ServicesDep, _token: Reader) -> list[ConnectorState]:
    return await services.stations.connectors()


@router.get("/stations/{station_id}/configuration", response_model=list[ConfigurationKey])
async def station_configuration(
    station_id: str, services: ServicesDep, _token: Reader
) -> list[ConfigurationKey]:
    """The configuration last read from the station (GetConfiguration refreshes it)."""
    await services.stations.get(station_id)
    return await services.stations.configuration(station_id)


@router.post("/stations/{station_id}/accept", response_model=StationView)
async def accept_station(
    station_id: str, services: ServicesDep, _token: Controller, body: Approval | None = None
) -> StationView:
    """Accept a station waiting for approval (or a rejected one), optionally with a password."""
    await services.stations.get(station_id)
    if body is not None and body.password is not None:
        await services.stations.set_password(station_id, body.password)
    await services.stations.set_admission(station_id, Admission.ACCEPTED)
    return await _view(services, station_id)


@router.post("/stations/{station_id}/reject", response_model=StationView)
async def reject_station(station_id: str, services: ServicesDep, _token: Controller) -> StationView:
    await services.stations.get(station_id)
    await services.stations.set_admission(station_id, Admission.REJECTED)
    return await _view(services, station_id)


@router.put("/stations/{station_id}/password", status_code=204)
async def set_password(
    station_id: str, body: Password, services: ServicesDep, _token: Controller
) -> None:
    await services.stations.get(station_id)
    await services.stations.set_password(station_id, body.password)
