"""The ledger's rules: which state a payment may move to, cash change, refund limits."""

from __future__ import annotations

import pytest

from app.domain.errors import InvalidInput
from app.domain.payments import (
    ALLOWED,
    FINISHED,
    PaymentAttempt,
    PaymentMethod,
    PaymentState,
    ProviderStep,
    StepOutcome,
    cash_change,
    check_refund,
    check_transition,
    idempotency_key,
    refund_idempotency_key,
)

S = PaymentState


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (S.CREATED, S.AUTHORISED),
        (S.AUTHORISED, S.CAPTURED),
        (S.CREATED, S.CAPTURED),
        (S.CREATED, S.FAILED),
        (S.AUTHORISED, S.CANCELLED),
        (S.CAPTURED, S.PARTIALLY_REFUNDED),
        (S.PARTIALLY_REFUNDED, S.REFUNDED),
        (S.CAPTURED, S.VOIDED),
        (S.CREATED, S.INVOICED),
    ],
)
def test_a_payment_follows_its_allowed_path(current: PaymentState, new: PaymentState) -> None:
    check_transition(current, new)


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (S.CAPTURED, S.CANCELLED),
        (S.CAPTURED, S.CAPTURED),
        (S.REFUNDED, S.CAPTURED),
        (S.FAILED, S.CAPTURED),
        (S.CANCELLED, S.AUTHORISED),
        (S.CREATED, S.REFUNDED),
        (S.VOIDED, S.CAPTURED),
    ],
)
def test_a_payment_cannot_jump_or_go_back(current: PaymentState, new: PaymentState) -> None:
    with pytest.raises(InvalidInput, match="cannot go from"):
        check_transition(current, new)


def test_finished_payments_change_no_more() -> None:
    assert {S.REFUNDED, S.CANCELLED, S.FAILED, S.VOIDED, S.INVOICED} == FINISHED
    assert all(ALLOWED[s] == frozenset() for s in FINISHED)


def test_the_idempotency_key_comes_from_our_row_and_step() -> None:
    assert idempotency_key(17, ProviderStep.CREATE) == "chargedesk-pay-17-create"
    assert idempotency_key(17, ProviderStep.CAPTURE) == "chargedesk-pay-17-capture"
    assert refund_idempotency_key(3) == "chargedesk-refund-3"


def test_cash_change_is_what_was_tendered_beyond_the_price() -> None:
    assert cash_change(4640, 5000) == 360
    assert cash_change(4640, 4640) == 0
    with pytest.raises(InvalidInput, match="short"):
        cash_change(4640, 4000)


def test_refunds_never_exceed_what_was_captured() -> None:
    assert check_refund(4640, 0, 1000) is S.PARTIALLY_REFUNDED
    assert check_refund(4640, 1000, 3640) is S.REFUNDED
    with pytest.raises(InvalidInput, match="3640 of 4640 is left"):
        check_refund(4640, 1000, 3641)
    with pytest.raises(InvalidInput, match="more than nothing"):
        check_refund(4640, 0, 0)


def test_only_a_card_brand_and_last_four_digits_are_accepted() -> None:
    with pytest.raises(InvalidInput, match="last four"):
        StepOutcome(1, ProviderStep.CREATE, S.CAPTURED, card_last4="4242424242424242")
    StepOutcome(1, ProviderStep.CREATE, S.CAPTURED, card_brand="visa", card_last4="4242")


def test_a_failed_payment_says_why() -> None:
    with pytest.raises(InvalidInput, match="says why"):
        StepOutcome(1, ProviderStep.CREATE, S.FAILED)


def test_an_attempt_is_for_a_real_amount_and_an_account_names_its_fleet() -> None:
    with pytest.raises(InvalidInput, match="more than nothing"):
        PaymentAttempt(PaymentMethod.CARD, 0, "SEK")
    with pytest.raises(InvalidInput, match="three-letter"):
        PaymentAttempt(PaymentMethod.CARD, 100, "kronor")
    with pytest.raises(InvalidInput, match="fleet"):
        PaymentAttempt(PaymentMethod.ACCOUNT, 100, "SEK")
