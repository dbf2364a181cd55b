"""OCPP 1.6 request payloads from outside (the local API) ⇄ domain commands.

An integration posts `{"type": "Hard"}` for Reset, exactly as the 1.6
specification names it; this checks it against the official schema and turns
it into the domain command the services send, and turns the station's answer
back into its 1.6 form.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from datetime import datetime
from enum import Enum
from typing import Any

from app.domain import commands as c
from app.domain.errors import InvalidInput
from app.ocpp.rpc import CALL, CALLRESULT, RpcError, schema_of, validate
from app.ocpp.v16.mapping import parse_time, to_wire

# The operations a central system starts (OCPP 1.6 core, firmware, local list,
# reservation, remote trigger and smart charging profiles).
COMMANDS: dict[str, type[c.StationCommand]] = {
    cls.__name__: cls for cls in c.StationCommand.__subclasses__()
}


class V16CommandCodec:
    version = "1.6"

    def operations(self) -> list[str]:
        return sorted(COMMANDS)

    def request_schema(self, action: str) -> dict[str, Any]:
        """The official JSON schema of the request, without its draft-04 header."""
        schema = schema_of(CALL, action, self.version)
        return {k: v for k, v in schema.items() if k not in ("$schema", "id", "title")}

    def decode(self, action: str, payload: object) -> c.StationCommand:
        """A schema-valid payload as the domain command; InvalidInput says what is wrong."""
        cls = COMMANDS.get(action)
        if cls is None:
            raise InvalidInput(f"{action} is not an operation a central system sends")
        if not isinstance(payload, dict):
            raise InvalidInput(f"the body of {action} must be a JSON object")
        try:
            validate(CALL, action, payload, self.version)
            command = _build(cls, payload, "")
        except RpcError as exc:
            raise InvalidInput(exc.description) from exc
        assert isinstance(command, c.StationCommand)
        return command

    def encode_result(self, action: str, result: c.CommandResult) -> dict[str, Any]:
        """The answer in its 1.6 form: only the fields the 1.6 answer has.

        The domain gives every result a status so that answers can be judged
        alike; GetConfiguration, GetDiagnostics, GetLocalListVersion and
        UpdateFirmware answers have none in 1.6, and an empty optional list
        is one the station did not send.
        """
        encoded = to_wire(result)
        assert isinstance(encoded, dict)
        fields = _answer_fields(action, self.version)
        return {k: v for k, v in encoded.items() if k in fields and v != []}


@functools.cache
def _answer_fields(action: str, version: str) -> frozenset[str]:
    return frozenset(schema_of(CALLRESULT, action, version).get("properties", {}))


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _build(cls: type, data: dict[str, Any], where: str) -> object:
    if cls is c.AuthorizationEntry:
        info = data.get("idTagInfo") or {}
        expiry = info.get("expiryDate")
        return c.AuthorizationEntry(
            id_tag=data["idTag"],
            status=info.get("status"),
            expiry_date=parse_time(expiry, f"{where}idTagInfo/expiryDate") if expiry else None,
            parent_id_tag=info.get("parentIdTag"),
        )
    hints = _hints(cls)
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        name = _camel(field.name)
        if name in data and data[name] is not None:
            values[field.name] = _value(hints[field.name], data[name], f"{where}{name}")
    return cls(**values)


def _value(hint: Any, raw: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in typing.get_args(hint) if a is not type(None)]
        return _value(inner, raw, where)
    if origin is tuple:
        item = typing.get_args(hint)[0]
        return tuple(_value(item, v, f"{where}/{i}") for i, v in enumerate(raw))
    if isinstance(hint, type):
        if issubclass(hint, Enum):
            return hint(raw)
        if hint is datetime:
            return parse_time(raw, where)
        if hint is float:
            return float(raw)
        if dataclasses.is_dataclass(hint):
            return _build(hint, raw, f"{where}/")
    return raw
