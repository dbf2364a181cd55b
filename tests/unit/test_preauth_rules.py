"""The rules of paying before charging: the one-off tag, the price watch, what is taken."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from app.domain.authorization import normalise_id_tag
from app.domain.errors import InvalidInput
from app.domain.model import IdTagStatus
from app.domain.preauth import (
    ID_TAG_MAX,
    PreAuth,
    PreAuthPhase,
    PriceCheck,
    check_price,
    is_prepaid_tag,
    prepaid_tag,
    safety_margin,
    settle,
    tag_answer,
)

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def hold(phase: PreAuthPhase = PreAuthPhase.STARTING, **changes: object) -> PreAuth:
    pre = PreAuth(
        payment_id=7,
        station_id="CP-1",
        connector_id=2,
        id_tag="PA-7-0A1B2C3D",
        hold_minor=30000,
        phase=phase,
        transaction_id=None,
        live_price_minor=None,
        captured_minor=None,
        receipt_number=None,
        message="",
        initial_hold_minor=30000,
    )
    return dataclasses.replace(pre, **changes)  # type: ignore[arg-type]


def test_the_tag_names_its_payment_fits_ocpp_and_survives_normalising() -> None:
    tag = prepaid_tag(12345678, "a1b2c3d4")
    assert tag == "PA-12345678-A1B2C3D4"
    assert len(tag) == ID_TAG_MAX
    assert normalise_id_tag(tag) == tag
    assert is_prepaid_tag(tag)
    assert not is_prepaid_tag("PA-1-XYZ")
    assert not is_prepaid_tag("VAN-1")
    with pytest.raises(InvalidInput):
        prepaid_tag(123456789, "a1b2c3d4")  # would pass 20 characters


def test_the_tag_is_accepted_on_its_connector_only_while_the_hold_is_live() -> None:
    pre = hold()
    for connector in (2, None):  # StartTransaction names the connector, Authorize does not
        answer = tag_answer(pre.id_tag, pre, "CP-1", connector)
        assert answer is not None
        assert answer.status is IdTagStatus.ACCEPTED
    for station, connector in (("CP-1", 1), ("CP-2", 2)):
        answer = tag_answer(pre.id_tag, pre, station, connector)
        assert answer is not None
        assert answer.status is IdTagStatus.INVALID
    for gone in (
        hold(PreAuthPhase.WAITING_CARD),
        hold(PreAuthPhase.RELEASED),
        hold(PreAuthPhase.CAPTURED),
        hold(PreAuthPhase.CHARGING, session_ended_at=NOW),
        None,
    ):
        answer = tag_answer(pre.id_tag, gone, "CP-1", 2)
        assert answer is not None
        assert answer.status is IdTagStatus.INVALID


def test_other_tags_are_left_to_the_usual_rules() -> None:
    assert tag_answer("VAN-1", hold(), "CP-1", 2) is None


def test_far_from_the_hold_the_session_goes_on() -> None:
    assert check_price(10000, 30000, 30000, 500, may_raise=True) == PriceCheck("continue")


def test_near_the_hold_a_larger_one_is_asked_for_covering_the_next_interval() -> None:
    # The last reading added 20 SEK: the next may add 30 with the safety factor.
    assert check_price(27500, 30000, 30000, 2000, may_raise=True) == PriceCheck("raise", 60000)
    # A huge step asks for as many first holds more as it takes.
    assert check_price(27500, 30000, 30000, 40000, may_raise=True) == PriceCheck("raise", 90000)


def test_when_the_card_cannot_be_asked_the_session_stops_before_the_hold() -> None:
    assert check_price(27500, 30000, 30000, 2000, may_raise=False) == PriceCheck("stop")
    # Even without a step, the safety margin (2 % of the first hold) is kept.
    margin = safety_margin(30000)
    assert margin == 600
    assert check_price(30000 - margin, 30000, 30000, 0, may_raise=False) == PriceCheck("stop")
    assert check_price(30000 - margin - 1, 30000, 30000, 0, may_raise=False).action == "continue"
    assert safety_margin(2000) == 100


def test_a_hold_is_never_below_the_first_one() -> None:
    with pytest.raises(InvalidInput):
        check_price(100, 1000, 2000, 0, may_raise=True)


def test_the_price_is_taken_up_to_the_hold_and_nothing_for_an_empty_session() -> None:
    assert settle(8090, 22000, 30000, "SEK").action == "capture"
    assert settle(8090, 22000, 30000, "SEK").amount_minor == 8090
    assert settle(8090, 22000, 30000, "SEK").message == "Charged 80.90 SEK."
    over = settle(31000, 90000, 30000, "SEK")
    assert (over.action, over.amount_minor, over.shortfall_minor) == ("capture", 30000, 1000)
    assert "10.00 SEK more than was held" in over.message
    for total, energy in ((500, 0), (0, 1200)):
        empty = settle(total, energy, 30000, "SEK")
        assert (empty.action, empty.amount_minor) == ("release", 0)
    assert settle(None, 1200, 30000, "SEK").action == "release"
