"""OCPP-J framing (sans-I/O): parse frames, validate payloads, build replies.

We use the `ocpp` package's JSON schemas and cached validators, but validate
on the event loop (no per-message thread hop) and exactly once per message.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext
from typing import Any

import fastjsonschema
from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError
from ocpp.messages import get_validator

CALL, CALLRESULT, CALLERROR = 2, 3, 4
MAX_UNIQUE_ID = 36
_CALL_HEAD = re.compile(r'\s*\[\s*2\s*,\s*"([^"\\\x00-\x1f]{1,36})"\s*,')
# Error descriptions may quote what the peer sent; never echo a whole frame back.
MAX_DESCRIPTION = 255
# The 1.6 schemas leave integers unbounded; the store (and any SQL database)
# holds 64 bits, so a larger one is refused here rather than failing a commit.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1

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
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        problem = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        # A CALL cut short (or otherwise broken) after its unique id can still
        # be answered, so the charger learns why instead of waiting for a timeout.
        head = _CALL_HEAD.match(frame) if isinstance(frame, str) else None
        if head is not None:
            raise _formation(head.group(1), f"not valid JSON: {problem}") from exc
        raise FrameError(f"not valid JSON: {problem}") from exc
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
        if _has_lone_surrogate(frame, data):
            raise _formation(unique_id, "a string holds an unpaired \\u surrogate escape")
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


def _has_lone_surrogate(frame: str | bytes, data: list[Any]) -> bool:
    """Whether a string decoded to text that is not Unicode (an unpaired "\\ud800").

    Such text can be neither stored nor sent back as UTF-8. It only comes from
    a \\u escape, so frames without one skip the walk.
    """
    escaped = "\\u" in frame if isinstance(frame, str) else b"\\u" in frame
    if not escaped:
        return False
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _formation(unique_id: str, description: str) -> RpcError:
    return RpcError("FormationViolation", description, unique_id=unique_id)


@functools.cache
def _validator(kind: int, action: str, version: str) -> Draft4Validator:
    """Our own validator per schema, with the float type this schema needs.

    The `ocpp` package caches one validator per schema whatever parse_float it
    was first built with, so whoever asks first (its own client code, a test)
    would decide for us; rebuild the schema with the number type we need.
    """
    decimal = (kind == CALL and action in _DECIMAL_CALLS) or (
        kind == CALLRESULT and action in _DECIMAL_RESULTS
    )
    number = Decimal if decimal else float
    # Ask with the same number type the package's own messaging code uses, so
    # that if we are first we leave its cache as it expects it.
    shared: Draft4Validator = get_validator(kind, action, version, parse_float=number)
    schema = json.loads(json.dumps(shared.schema, default=float), parse_float=number)
    return Draft4Validator(schema)


@functools.cache
def _fast_validator(kind: int, action: str, version: str) -> Callable[[Any], Any]:
    """The same schema compiled to Python code: about twenty times faster.

    It only says yes or no quickly; on "no" the Draft4 validator runs to name
    the exact OCPP error, so the codes never depend on the fast path.
    """
    schema = _validator(kind, action, version).schema
    assert isinstance(schema, dict)
    compiled: Callable[[Any], Any] = fastjsonschema.compile(
        schema, formats={"date-time": _accept_any, "uri": _accept_any}
    )
    return compiled


def _accept_any(_value: str) -> bool:
    return True


# A double's largest value has 309 integer digits; its smallest step needs
# a few more after the point.
_DECIMAL_DIGITS = 400


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
    validator: Draft4Validator | None
    try:
        validator = _validator(kind, action, version)
    except OSError as exc:
        raise RpcError("NotImplemented", f"no schema for {action}") from exc
    decimal = (kind == CALL and action in _DECIMAL_CALLS) or (
        kind == CALLRESULT and action in _DECIMAL_RESULTS
    )
    if not decimal:
        try:
            _fast_validator(kind, action, version)(payload)
        except fastjsonschema.JsonSchemaException:
            pass  # find out exactly what is wrong below
        else:
            validator = None
    try:
        if validator is not None:
            # multipleOf on a Decimal divides; enough digits for any double.
            with localcontext() as context:
                context.prec = _DECIMAL_DIGITS
                validator.validate(_as_decimal(payload) if decimal else payload)
    except ValidationError as exc:
        code = _SCHEMA_CODES.get(str(exc.validator), "FormationViolation")
        where = "/".join(str(p) for p in exc.absolute_path) or "payload"
        raise RpcError(code, f"{where}: {exc.message}"[:255]) from exc
    except InvalidOperation as exc:  # a number no double can hold
        raise RpcError("PropertyConstraintViolation", "payload: number out of range") from exc
    too_big = _integer_out_of_range(payload, "")
    if too_big is not None:
        raise RpcError(
            "PropertyConstraintViolation", f"{too_big or 'payload'}: integer out of range"
        )


def _integer_out_of_range(value: Any, where: str) -> str | None:
    """The path of the first integer beyond 64 bits, if any."""
    if isinstance(value, int):
        return where if not INT_MIN <= value <= INT_MAX else None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _integer_out_of_range(item, f"{where}/{key}" if where else str(key))
        if found is not None:
            return found
    return None


def call_frame(unique_id: str, action: str, payload: dict[str, Any]) -> str:
    return _dumps([CALL, unique_id, action, payload])


def result_frame(unique_id: str, payload: dict[str, Any]) -> str:
    return _dumps([CALLRESULT, unique_id, payload])


def error_frame(
    unique_id: str, code: str, description: str, details: dict[str, Any] | None = None
) -> str:
    return _dumps([CALLERROR, unique_id, code, description[:MAX_DESCRIPTION], details or {}])


def _default(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


def _dumps(data: list[Any]) -> str:
    text = json.dumps(data, separators=(",", ":"), default=_default, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # An unpaired surrogate (echoed from a peer's unique id) cannot go out
        # as UTF-8 text; escaped, it is still the same JSON string.
        text = json.dumps(data, separators=(",", ":"), default=_default)
    return text


def schema_of(kind: int, action: str, version: str = "1.6") -> dict[str, Any]:
    """The official JSON schema for one message (raises OSError for an unknown one)."""
    schema = _validator(kind, action, version).schema
    assert isinstance(schema, dict)
    return schema
