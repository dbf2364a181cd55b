"""Pure domain rules: authorization, passwords, unit normalisation, command checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain import commands as c
from app.domain.authorization import decide, normalise_id_tag
from app.domain.credentials import generate_password, hash_password, verify_password
from app.domain.errors import InvalidInput
from app.domain.metering import normalise
from app.domain.model import IdTag, IdTagStatus, Transaction, TransactionState
from app.domain.validation import check_command

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


class TestAuthorization:
    def test_unknown_tag_is_invalid_unless_unknown_tags_are_accepted(self) -> None:
        assert decide(None, NOW, accept_unknown=False).status is IdTagStatus.INVALID
        assert decide(None, NOW, accept_unknown=True).status is IdTagStatus.ACCEPTED

    @pytest.mark.parametrize(
        "status", [IdTagStatus.BLOCKED, IdTagStatus.EXPIRED, IdTagStatus.INVALID]
    )
    def test_stored_status_is_answered(self, status: IdTagStatus) -> None:
        assert decide(IdTag("A", status), NOW, accept_unknown=True).status is status

    def test_accepted_tag_past_its_expiry_is_expired(self) -> None:
        tag = IdTag("A", IdTagStatus.ACCEPTED, expiry_date=NOW - timedelta(seconds=1))
        info = decide(tag, NOW, accept_unknown=False)
        assert info.status is IdTagStatus.EXPIRED
        assert info.expiry_date == tag.expiry_date

    def test_parent_is_passed_on_and_a_blocked_group_blocks_members(self) -> None:
        tag = IdTag("A", IdTagStatus.ACCEPTED, parent_id_tag="FLEET")
        ok = decide(tag, NOW, accept_unknown=False, parent=IdTag("FLEET", IdTagStatus.ACCEPTED))
        assert (ok.status, ok.parent_id_tag) == (IdTagStatus.ACCEPTED, "FLEET")
        blocked = decide(tag, NOW, accept_unknown=False, parent=IdTag("FLEET", IdTagStatus.BLOCKED))
        assert blocked.status is IdTagStatus.BLOCKED

    def test_tags_are_compared_in_one_spelling(self) -> None:
        assert normalise_id_tag("  04a1b2c3 ") == "04A1B2C3"


class TestPasswords:
    def test_hash_verifies_only_the_right_password_and_hides_it(self) -> None:
        stored = hash_password("correct horse")
        assert "correct horse" not in stored
        assert verify_password("correct horse", stored)
        assert not verify_password("wrong horse", stored)

    def test_same_password_hashes_differently_each_time(self) -> None:
        assert hash_password("abcdefgh") != hash_password("abcdefgh")

    def test_garbage_hash_never_verifies(self) -> None:
        assert not verify_password("x", "not-a-hash")
        assert not verify_password("x", "scrypt$1$2$3$@@$@@")

    def test_generated_password_fits_authorization_key(self) -> None:
        password = generate_password()
        assert len(password) == 40
        int(password, 16)


class TestMetering:
    @pytest.mark.parametrize(
        ("value", "unit", "measurand", "expected"),
        [
            (1.5, "kWh", "Energy.Active.Import.Register", (1500.0, "Wh")),
            (7.2, "kW", "Power.Active.Import", (7200.0, "W")),
            (2.0, "kvarh", "Energy.Reactive.Import.Register", (2000.0, "varh")),
            (300.15, "K", "Temperature", (pytest.approx(27.0), "Celsius")),
            (16.0, None, "Current.Import", (16.0, "A")),
            (1234.0, None, "Energy.Active.Import.Register", (1234.0, "Wh")),
            (55.0, "Percent", "SoC", (55.0, "Percent")),
        ],
    )
    def test_values_are_stored_in_base_units(
        self, value: float, unit: str | None, measurand: str, expected: tuple[object, str]
    ) -> None:
        assert normalise(value, unit, measurand) == expected

    def test_energy_of_a_transaction_uses_stop_or_last_reading(self) -> None:
        tx = Transaction(
            1,
            "S",
            1,
            "T",
            IdTagStatus.ACCEPTED,
            1000,
            NOW,
            TransactionState.OPEN,
            last_meter_wh=1500.4,
        )
        assert tx.energy_wh == 500
        closed = Transaction(
            1, "S", 1, "T", IdTagStatus.ACCEPTED, 1000, NOW, TransactionState.CLOSED, meter_stop=900
        )
        assert closed.energy_wh == 0  # a meter reset never gives negative energy


def _profile(**overrides: object) -> c.ChargingProfile:
    values: dict[str, object] = {
        "charging_profile_id": 1,
        "stack_level": 0,
        "charging_profile_purpose": c.ProfilePurpose.TX,
        "charging_profile_kind": c.ProfileKind.RELATIVE,
        "charging_schedule": c.ChargingSchedule(
            c.ChargingRateUnit.AMPERE, (c.SchedulePeriod(0, 16.0), c.SchedulePeriod(600, 8.0))
        ),
    }
    values.update(overrides)
    return c.ChargingProfile(**values)  # type: ignore[arg-type]


class TestCommandChecks:
    def test_a_valid_remote_start_with_tx_profile_passes(self) -> None:
        check_command(c.RemoteStartTransaction("TAG", 1, _profile()))

    @pytest.mark.parametrize(
        ("command", "message"),
        [
            (c.RemoteStartTransaction("TAG", 0), "connector above 0"),
            (
                c.RemoteStartTransaction(
                    "TAG", 1, _profile(charging_profile_purpose=c.ProfilePurpose.TX_DEFAULT)
                ),
                "only carry a TxProfile",
            ),
            (
                c.RemoteStartTransaction("TAG", 1, _profile(transaction_id=5)),
                "must not name a transaction",
            ),
            (
                c.SetChargingProfile(
                    1,
                    _profile(
                        charging_schedule=c.ChargingSchedule(
                            c.ChargingRateUnit.WATT, (c.SchedulePeriod(60, 1000.0),)
                        )
                    ),
                ),
                "start at 0",
            ),
            (
                c.SetChargingProfile(1, _profile(recurrency_kind=c.RecurrencyKind.DAILY)),
                "only allowed for Recurring",
            ),
            (c.SetChargingProfile(0, _profile()), "not to connector 0"),
            (c.SendLocalList(0, c.UpdateType.FULL), "never 0"),
            (c.SendLocalList(2, c.UpdateType.FULL, (c.AuthorizationEntry("A"),)), "needs a status"),
            (
                c.SendLocalList(
                    2,
                    c.UpdateType.DIFFERENTIAL,
                    (c.AuthorizationEntry("A", "Accepted"), c.AuthorizationEntry("A", "Blocked")),
                ),
                "appears twice",
            ),
            (c.UnlockConnector(0), "above 0"),
        ],
    )
    def test_invalid_commands_are_refused_before_sending(
        self, command: c.StationCommand, message: str
    ) -> None:
        with pytest.raises(InvalidInput, match=message):
            check_command(command)

    def test_a_differential_list_may_remove_tags(self) -> None:
        check_command(c.SendLocalList(3, c.UpdateType.DIFFERENTIAL, (c.AuthorizationEntry("A"),)))
