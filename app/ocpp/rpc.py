"""OCPP-J framing (sans-I/O): parse frames, validate payloads, build replies.

We use the `ocpp` package's JSON schemas and cached validators, but validate
on the event loop (no per-message thread hop) and exactly once per message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError
from ocpp.messages import get_validator

CALL, CALLRESULT, CALLERROR = 2, 3, 4
MAX_UNIQUE_ID = 36

# OCPP 1.6 schemas carry decimals with multipleOf 0.1; parsing those as float
# makes valid values fail (21.4 → 21.399999…), so these are checked as Decimal.
_DECIMAL_CALLS = {"SetChargingProfile", "RemoteStartTransaction"}
_DECIMAL_RESULTS = {"GetCompositeSchedule"}


class RpcError(Exception):
    """An error to answer with a CALLERROR (OCPP-J 1.6 §4.2.3 codes)."""

    def __init__(
        self,
        code: str,
        description: str,
        details: dict[str, Any] | None = None,
        unique_id: str | None = None,
    ) -> None:
        super().__init__(f"{code}: {description}")
        self.code = code
        self.description = description
        self.details = details or {}
        self.unique_id = unique_id


class FrameError(Exception):
    """A frame we cannot answer at all (no usable unique id): log and drop."""


@dataclass(frozen=True, slots=True)
class Call:
    unique_id: str
    action: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class CallResult:
    unique_id: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class CallError:
    unique_id: str
    code: str
    description: str
    details: dict[str, Any]


Message = Call | CallResult | CallError


def parse(frame: str | bytes) -> Message:
    """Turn a frame into a message, or raise RpcError (answerable) / FrameError."""
    try:
        data = json.loads(frame)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FrameError(f"not valid JSON: {exc}") from exc
    if not isinstance(data, list) or not data:
        raise FrameError("an OCPP-J message is a non-empty JSON array")
    type_id = data[0]
    unique_id = data[1] if len(data) > 1 else None
    if not isinstance(unique_id, str) or not unique_id:
        raise FrameError("missing or non-string unique id")
    if type_id == CALL:
        if len(data) != 4:
            raise _formation(unique_id, "a CALL has exactly 4 elements")
        action, payload = data[2], data[3]
        if not isinstance(action, str):
            raise _formation(unique_id, "the action must be a string")
        if not isinstance(payload, dict):
            raise _formation(unique_id, "the payload must be a JSON object")
        if len(unique_id) > MAX_UNIQUE_ID:
            raise _formation(unique_id, "unique id longer than 36 characters")
        return Call(unique_id, action, payload)
    if type_id == CALLRESULT:
        if len(data) != 3 or not isinstance(data[2], dict):
            raise FrameError("a CALLRESULT has 3 elements and an object payload")
        return CallResult(unique_id, data[2])
    if type_id == CALLERROR:
        if len(data) < 4:
            raise FrameError("a CALLERROR has 5 elements")
        details = data[4] if len(data) > 4 and isinstance(data[4], dict) else {}
        return CallError(unique_id, str(data[2]), str(data[3]), details)
    raise FrameError(f"unknown message type id {type_id!r}")


def _formation(unique_id: str, description: str) -> RpcError:
    return RpcError("FormationViolation", description, unique_id=unique_id)


def _validator(kind: int, action: str, version: str) -> Draft4Validator:
    decimal = (kind == CALL and action in _DECIMAL_CALLS) or (
        kind == CALLRESULT and action in _DECIMAL_RESULTS
    )
    validator: Draft4Validator = get_validator(
        kind, action, version, parse_float=Decimal if decimal else float
    )
    return validator


def _as_decimal(payload: dict[str, Any]) -> Any:
    return json.loads(json.dumps(payload), parse_float=Decimal)


_SCHEMA_CODES = {
    "type": "TypeConstraintViolation",
    "required": "OccurenceConstraintViolation",
    "minItems": "OccurenceConstraintViolation",
    "maxItems": "OccurenceConstraintViolation",
    "additionalProperties": "FormationViolation",
    "enum": "PropertyConstraintViolation",
    "maxLength": "PropertyConstraintViolation",
    "minLength": "PropertyConstraintViolation",
    "minimum": "PropertyConstraintViolation",
    "maximum": "PropertyConstraintViolation",
    "multipleOf": "PropertyConstraintViolation",
    "format": "PropertyConstraintViolation",
    "pattern": "PropertyConstraintViolation",
}


def validate(kind: int, action: str, payload: dict[str, Any], version: str = "1.6") -> None:
    """Check a payload against the official schema; raise RpcError with the 1.6 code."""
    try:
        validator = _validator(kind, action, version)
    except OSError as exc:
        raise RpcError("NotImplemented", f"no schema for {action}") from exc
    decimal = (kind == CALL and action in _DECIMAL_CALLS) or (
        kind == CALLRESULT and action in _DECIMAL_RESULTS
    )
    try:
        validator.validate(_as_decimal(payload) if decimal else payload)
    except ValidationError as exc:
        code = _SCHEMA_CODES.get(str(exc.validator), "FormationViolation")
        where = "/".join(str(p) for p in exc.absolute_path) or "payload"
        raise RpcError(code, f"{where}: {exc.message}"[:255]) from exc


def call_frame(unique_id: str, action: str, payload: dict[str, Any]) -> str:
    return _dumps([CALL, unique_id, action, payload])


def result_frame(unique_id: str, payload: dict[str, Any]) -> str:
    return _dumps([CALLRESULT, unique_id, payload])


def error_frame(
    unique_id: str, code: str, description: str, details: dict[str, Any] | None = None
) -> str:
    return _dumps([CALLERROR, unique_id, code, description, details or {}])


def _default(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


def _dumps(data: list[Any]) -> str:
    return json.dumps(data, separators=(",", ":"), default=_default, ensure_ascii=False)
