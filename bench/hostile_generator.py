"""A seeded generator of malformed and hostile OCPP-J 1.6 frames, each with its due answer.

What each kind of frame must get follows OCPP-J 1.6 §4 and what
tests/integration/test_bad_input.py pins down one case at a time; here the
values around each defect are random. Seeded: the same seed gives the same
frames, so a failure can be replayed.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

MAX_FRAME = 64 * 1024
# A CALL cut short after its unique id is still answered (FormationViolation).
_CALL_HEAD = re.compile(r'\s*\[\s*2\s*,\s*"([^"\\\x00-\x1f]{1,36})"\s*,')

STATUSES = [
    "Available", "Preparing", "Charging", "SuspendedEVSE", "SuspendedEV", "Finishing",
    "Reserved", "Unavailable", "Faulted",
]  # fmt: skip
ERROR_CODES = [
    "NoError", "ConnectorLockFailure", "GroundFailure", "HighTemperature", "InternalError",
    "OtherError", "OverCurrentFailure", "PowerMeterFailure",
]  # fmt: skip
BAD_TIMESTAMPS = ["yesterday", "soon", "", "2026-02-30T00:00:00Z", "2026-01-01T25:00:00Z"]
CSMS_ONLY = ["RemoteStartTransaction", "Reset", "GetConfiguration", "UnlockConnector"]


@dataclass(frozen=True, slots=True)
class Expect:
    # result: a CALLRESULT; error: a CALLERROR with `code` (any proper code if empty);
    # any: a CALLRESULT or a proper CALLERROR; none: no answer; close: the connection closes.
    kind: Literal["result", "error", "any", "none", "close"]
    code: str = ""


@dataclass(frozen=True, slots=True)
class GeneratedFrame:
    data: str | bytes
    label: str
    unique_id: str | None
    expect: Expect


RESULT = Expect("result")
NONE = Expect("none")


def error(code: str) -> Expect:
    return Expect("error", code)


class FrameGenerator:
    def __init__(self, rng: random.Random, prefix: str = "") -> None:
        self.rng = rng
        self.prefix = prefix
        self._ids = itertools.count(1)
        kinds: list[tuple[int, Callable[[], GeneratedFrame]]] = [
            (20, self.valid_call),
            (20, self.schema_violation),
            (12, self.formation_violation),
            (6, self.unknown_action),
            (12, self.noisy_payload),
            (16, self.unanswerable),
            (8, self.truncated_call),
            (3, self.binary_garbage),
        ]
        self._kinds = [k for weight, k in kinds for _ in range(weight)]

    def next(self) -> GeneratedFrame:
        if self.rng.random() < 1 / 2000:
            return self.oversize()
        return self.rng.choice(self._kinds)()

    # ---- building blocks ----------------------------------------------------------

    def uid(self) -> str:
        return f"{self.prefix}{next(self._ids)}"

    def word(self, lo: int = 1, hi: int = 12) -> str:
        return "".join(self.rng.choices(string.ascii_letters, k=self.rng.randint(lo, hi)))

    def any_text(self, hi: int = 30) -> str:
        pool = string.printable + "åäöÅÄÖ€\u200b\U0001f50c\x00\x7f"
        return "".join(self.rng.choices(pool, k=self.rng.randint(0, hi)))

    def json_value(self, depth: int = 0) -> Any:
        r = self.rng.random()
        if depth > 2 or r < 0.5:
            return self.rng.choice(
                [None, True, False, self.rng.randint(-(2**70), 2**70), self.rng.randint(-3, 5),
                 self.rng.uniform(-1e9, 1e9), self.any_text(), ""]
            )  # fmt: skip
        if r < 0.75:
            return [self.json_value(depth + 1) for _ in range(self.rng.randint(0, 3))]
        return {self.any_text(8): self.json_value(depth + 1) for _ in range(self.rng.randint(0, 3))}

    def call(self, action: Any, payload: Any, unique_id: str | None = None) -> tuple[str, str]:
        unique_id = unique_id or self.uid()
        return json.dumps([2, unique_id, action, payload]), unique_id

    def frame(self, label: str, action: Any, payload: Any, expect: Expect) -> GeneratedFrame:
        data, unique_id = self.call(action, payload)
        return GeneratedFrame(data, label, unique_id, expect)

    def status(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "connectorId": self.rng.randint(0, 4),
            "status": self.rng.choice(STATUSES),
            "errorCode": self.rng.choice(ERROR_CODES),
        }
        if self.rng.random() < 0.3:
            payload["info"] = self.word(0, 50)
        return payload

    def boot(self) -> dict[str, Any]:
        return {"chargePointVendor": self.word(1, 20), "chargePointModel": self.word(1, 20)}

    # ---- kinds of frames ---------------------------------------------------------------

    def valid_call(self) -> GeneratedFrame:
        choice = self.rng.randint(0, 6)
        if choice == 0:
            return self.frame("valid Heartbeat", "Heartbeat", {}, RESULT)
        if choice == 1:
            return self.frame("valid StatusNotification", "StatusNotification", self.status(),
                              RESULT)  # fmt: skip
        if choice == 2:
            return self.frame("valid Authorize", "Authorize", {"idTag": self.word(1, 20)}, RESULT)
        if choice == 3:
            payload = {"vendorId": self.word(1, 255), "data": self.any_text(200)}
            return self.frame("valid DataTransfer", "DataTransfer", payload, RESULT)
        if choice == 4:
            return self.frame("valid BootNotification", "BootNotification", self.boot(), RESULT)
        if choice == 5:
            status = self.rng.choice(["Idle", "Uploaded", "UploadFailed", "Uploading"])
            action = "DiagnosticsStatusNotification"
            return self.frame(f"valid {action}", action, {"status": status}, RESULT)
        # Meter values outside any transaction; odd numbers are dropped, still acknowledged.
        value = self.rng.choice(
            [str(self.rng.randint(0, 10**9)), "12.5", "NaN", "inf", "1e999", "x", ""]
        )
        meter: dict[str, Any] = {
            "connectorId": self.rng.randint(0, 2),
            "meterValue": [
                {"timestamp": "2026-01-01T10:00:00Z", "sampledValue": [{"value": value}]}
            ],
        }
        return self.frame("valid MeterValues", "MeterValues", meter, RESULT)

    def schema_violation(self) -> GeneratedFrame:
        boot, status = self.boot(), self.status()
        cases: list[tuple[str, str, dict[str, Any], str]] = [
            ("missing chargePointModel", "BootNotification",
             {"chargePointVendor": self.word()}, "OccurenceConstraintViolation"),
            ("StartTransaction without idTag", "StartTransaction",
             {"connectorId": 1, "meterStart": 0, "timestamp": "2026-01-01T10:00:00Z"},
             "OccurenceConstraintViolation"),
            ("connectorId as string", "StatusNotification",
             status | {"connectorId": str(self.rng.randint(0, 9))}, "TypeConstraintViolation"),
            ("model as integer", "BootNotification",
             boot | {"chargePointModel": self.rng.randint(-99, 99)}, "TypeConstraintViolation"),
            ("bad status enum", "StatusNotification", status | {"status": self.word(3, 12)},
             "PropertyConstraintViolation"),
            ("vendor too long", "BootNotification",
             boot | {"chargePointVendor": self.word(21, 60)}, "PropertyConstraintViolation"),
            ("connectorId beyond 64 bits", "StatusNotification",
             status | {"connectorId": self.rng.randint(2**64, 2**90)},
             "PropertyConstraintViolation"),
            ("negative connectorId", "StatusNotification",
             status | {"connectorId": -self.rng.randint(1, 10**6)},
             "PropertyConstraintViolation"),
            ("extra property", "Heartbeat", {self.word(): self.json_value(2)},
             "FormationViolation"),
            ("timestamp in words", "StatusNotification",
             status | {"timestamp": self.rng.choice(BAD_TIMESTAMPS)},
             "TypeConstraintViolation"),
        ]  # fmt: skip
        label, action, payload, code = self.rng.choice(cases)
        return self.frame(label, action, payload, error(code))

    def formation_violation(self) -> GeneratedFrame:
        uid = self.uid()
        choice = self.rng.randint(0, 5)
        if choice == 0:
            data, label = json.dumps([2, uid, "Heartbeat"]), "CALL of 3 elements"
        elif choice == 1:
            extra = [self.json_value() for _ in range(self.rng.randint(1, 3))]
            data, label = json.dumps([2, uid, "Heartbeat", {}, *extra]), "CALL of 5+ elements"
        elif choice == 2:
            action: Any = self.rng.choice([None, 42, 1.5, True, [], {}])
            data, label = json.dumps([2, uid, action, {}]), "non-string action"
        elif choice == 3:
            odd: Any = self.rng.choice([None, [], "{}", 7, [1, 2], True])
            data, label = json.dumps([2, uid, "Heartbeat", odd]), "non-object payload"
        elif choice == 4:
            uid = uid + "x" * (37 - len(uid)) + self.word(0, 20)
            data, label = json.dumps([2, uid, "Heartbeat", {}]), "unique id over 36"
        else:
            payload = {"chargePointVendor": "\ud800" + self.word(), "chargePointModel": "M"}
            data, label = json.dumps([2, uid, "BootNotification", payload]), "lone surrogate"
        return GeneratedFrame(data, label, uid, error("FormationViolation"))

    def unknown_action(self) -> GeneratedFrame:
        action = self.rng.choice(
            [self.word(3, 20) + "X", "heartbeat", "HEARTBEAT", "", " Heartbeat",
             self.rng.choice(CSMS_ONLY)]
        )  # fmt: skip
        return self.frame(f"unknown action {action!r}", action, {}, error("NotImplemented"))

    def noisy_payload(self) -> GeneratedFrame:
        action = self.rng.choice(
            ["BootNotification", "StatusNotification", "MeterValues", "StartTransaction",
             "StopTransaction", "Authorize", "DataTransfer", "Heartbeat"]
        )  # fmt: skip
        payload = {self.any_text(10): self.json_value() for _ in range(self.rng.randint(0, 4))}
        return self.frame(f"noise for {action}", action, payload, Expect("any"))

    def unanswerable(self) -> GeneratedFrame:
        uid = self.uid()
        options: list[tuple[str, str]] = [
            ("not JSON", self.any_text(80).replace("[", "(")),
            ("empty", ""),
            ("JSON scalar", json.dumps(self.rng.choice([42, "Heartbeat", None, True, 1.5]))),
            ("JSON object", json.dumps({"messageTypeId": 2, "uniqueId": uid})),
            ("empty array", "[]"),
            ("no unique id", "[2]"),
            ("numeric unique id", json.dumps([2, self.rng.randint(0, 99), "Heartbeat", {}])),
            ("empty unique id", json.dumps([2, "", "Heartbeat", {}])),
            ("unknown type id", json.dumps([self.rng.choice([0, 1, 5, 7, 99, -2]), uid, "X", {}])),
            ("type id as text", json.dumps(["2", uid, "Heartbeat", {}])),
            ("type id null", json.dumps([None, uid, "Heartbeat", {}])),
            ("answer to a call never made", json.dumps([3, "never-" + uid, {}])),
            ("error for a call never made",
             json.dumps([4, "never-" + uid, "GenericError", self.any_text(), {}])),
            ("short CALLRESULT", json.dumps([3, uid])),
            ("nested too deep", "[" * self.rng.randint(2_000, 30_000)),
        ]  # fmt: skip
        label, data = self.rng.choice(options)
        return GeneratedFrame(data, label, None, NONE)

    def truncated_call(self) -> GeneratedFrame:
        data, uid = self.call("StatusNotification", self.status())
        cut = data[: self.rng.randint(0, len(data) - 1)]
        if _CALL_HEAD.match(cut):
            return GeneratedFrame(cut, "CALL cut short after its id", uid,
                                  error("FormationViolation"))  # fmt: skip
        return GeneratedFrame(cut, "CALL cut short before its id", None, NONE)

    def binary_garbage(self) -> GeneratedFrame:
        data = bytes(self.rng.getrandbits(8) for _ in range(self.rng.randint(1, 300)))
        return GeneratedFrame(b"\xff" + data, "binary garbage", None, NONE)

    def oversize(self) -> GeneratedFrame:
        padding = "x" * (MAX_FRAME + self.rng.randint(1, 4096))
        data, uid = self.call("DataTransfer", {"vendorId": "V", "data": padding})
        return GeneratedFrame(data, "over the size limit", uid, Expect("close"))
