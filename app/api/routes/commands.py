"""POST /stations/{id}/commands/{operation}: every OCPP operation a central system sends.

The body is the OCPP request payload exactly as the specification names its
fields ({"type": "Hard"} for reset), checked against the official schema
before anything is sent. The answer carries the station's reply; an offline
station, a timeout and a CallError each get a status of their own
(problem+json, app/api/problems.py).
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from app.api.deps import Controller, ServicesDep
from app.domain import commands as c
from app.domain.errors import CommandRejected, InvalidInput


class CommandCodec(Protocol):
    """OCPP payloads ⇄ domain commands; app/ocpp/v16/codec.py in the engine."""

    version: str

    def operations(self) -> list[str]: ...
    def request_schema(self, action: str) -> dict[str, Any]: ...
    def decode(self, action: str, payload: object) -> c.StationCommand: ...
    def encode_result(self, action: str, result: c.CommandResult) -> dict[str, Any]: ...


class StationAnswer(BaseModel):
    station_id: str
    operation: str = Field(description="The OCPP action, e.g. Reset")
    accepted: bool = Field(description="Whether the station said it complies")
    response: dict[str, Any] = Field(description="The station's answer, as OCPP names it")


def kebab(action: str) -> str:
    """RemoteStartTransaction → remote-start-transaction"""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", action).lower()


def router_for(codec: CommandCodec) -> APIRouter:
    router = APIRouter(tags=["commands"])
    for action in codec.operations():
        _add(router, codec, action)
    return router


def _add(router: APIRouter, codec: CommandCodec, action: str) -> None:
    async def send(
        station_id: str, request: Request, services: ServicesDep, token: Controller
    ) -> JSONResponse:
        try:
            payload = await request.json()
        except ValueError as exc:
            raise InvalidInput("the body must be a JSON object (the OCPP payload)") from exc
        command = codec.decode(action, payload)
        await services.stations.get(station_id)  # 404 before anything is sent
        try:
            result = await services.commands.send(
                station_id, command, requested_by=f"api:{token.name}"
            )
        except CommandRejected as refused:  # an answer all the same: 200 with it
            answer = StationAnswer(
                station_id=station_id,
                operation=action,
                accepted=False,
                response=(
                    codec.encode_result(action, refused.result)
                    if isinstance(refused.result, c.CommandResult)
                    else {"status": refused.status}
                ),
            )
        else:
            answer = StationAnswer(
                station_id=station_id,
                operation=action,
                accepted=True,
                response=codec.encode_result(action, result),
            )
        return JSONResponse(answer.model_dump())

    send.__name__ = f"command_{kebab(action).replace('-', '_')}"
    router.add_api_route(
        f"/stations/{{station_id}}/commands/{kebab(action)}",
        send,
        methods=["POST"],
        response_model=StationAnswer,
        summary=f"Send {action} (OCPP {codec.version})",
        description=f"The body is the OCPP {codec.version} {action}.req payload.",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": codec.request_schema(action)}},
            }
        },
    )
