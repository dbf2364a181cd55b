"""What a well-formed OCPP-J 1.6 CALLERROR looks like (§4.2.3)."""

from __future__ import annotations

from typing import Any

OCPP16_ERROR_CODES = frozenset(
    {
        "NotImplemented",
        "NotSupported",
        "InternalError",
        "ProtocolError",
        "SecurityError",
        "FormationViolation",
        "PropertyConstraintViolation",
        "OccurenceConstraintViolation",
        "TypeConstraintViolation",
        "GenericError",
    }
)


def assert_call_error(answer: list[Any] | None, unique_id: str, code: str) -> None:
    """Exactly 5 elements, a 1.6 error code, a text description and an object as details."""
    assert answer is not None
    assert len(answer) == 5, answer
    assert answer[0] == 4, answer
    assert answer[1] == unique_id, answer
    assert answer[2] == code, answer
    assert answer[2] in OCPP16_ERROR_CODES
    assert isinstance(answer[3], str)
    assert isinstance(answer[4], dict)
