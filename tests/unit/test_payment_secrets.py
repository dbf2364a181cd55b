"""The Stripe key: checked, kept in the keyring, never shown."""

from __future__ import annotations

import logging
import pickle

import keyring.errors
import pytest
from keyring.backends.fail import Keyring as NoKeyring

from app.domain.payment_errors import (
    InvalidSecretKey,
    PaymentRefused,
    SecretStoreUnavailable,
    redact,
)
from app.payments.secrets import (
    ACCOUNT_NAME,
    SERVICE_NAME,
    SecretStore,
    StripeMode,
    StripeSecret,
    mode_of,
)
from tests.fakes.memory_keyring import MemoryKeyring

KEY = "sk_test_51AbCdEfGhIjKlMnOpQrStUv"


@pytest.mark.parametrize(
    ("key", "mode"),
    [
        ("sk_test_abc123", StripeMode.TEST),
        ("rk_test_abc123", StripeMode.TEST),
        ("sk_live_abc123", StripeMode.LIVE),
        ("  rk_live_abc123\n", StripeMode.LIVE),
    ],
)
def test_the_mode_comes_from_the_key(key: str, mode: StripeMode) -> None:
    assert mode_of(key) is mode


@pytest.mark.parametrize(
    "typed", ["pk_test_abc123", "sk_prod_abc123", "sk_test_", "whsec_abc123", "sk_test_abc 123"]
)
def test_what_is_not_a_secret_key_is_refused_without_being_echoed(typed: str) -> None:
    with pytest.raises(InvalidSecretKey) as refused:
        mode_of(typed)
    assert typed not in str(refused.value)
    assert "sk_test_" in str(refused.value) or "start with" in str(refused.value)


def test_a_secret_hides_in_repr_str_and_format() -> None:
    secret = StripeSecret(KEY)
    shown = [repr(secret), str(secret), f"{secret}", f"{[secret]}"]
    assert all(KEY not in text for text in shown)
    assert secret.reveal() == KEY
    with pytest.raises(TypeError):
        pickle.dumps(secret)


def test_the_key_goes_round_the_keyring(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    backend = MemoryKeyring()
    store = SecretStore(backend)
    assert store.read() is None
    stored = store.store(KEY)
    assert stored.mode is StripeMode.TEST
    assert backend.entries == {(SERVICE_NAME, ACCOUNT_NAME): KEY}
    assert store.read() == StripeSecret(KEY)
    store.delete()
    assert store.read() is None
    store.delete()  # deleting nothing is not an error
    assert all(KEY not in record.getMessage() for record in caplog.records)


def test_the_global_keyring_is_used_when_none_is_given() -> None:
    before = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        SecretStore().store(KEY)
        assert keyring.get_password(SERVICE_NAME, ACCOUNT_NAME) == KEY
    finally:
        keyring.set_keyring(before)


def test_without_a_keyring_the_key_is_refused_plainly() -> None:
    store = SecretStore(NoKeyring())  # type: ignore[no-untyped-call]
    with pytest.raises(SecretStoreUnavailable) as refused:
        store.store(KEY)
    assert "No keyring is available" in str(refused.value)
    assert KEY not in str(refused.value)
    assert refused.value.__cause__ is None
    with pytest.raises(SecretStoreUnavailable):
        store.read()


def test_a_bad_key_in_the_keyring_says_to_enter_it_again() -> None:
    backend = MemoryKeyring()
    backend.set_password(SERVICE_NAME, ACCOUNT_NAME, "not-a-key")
    with pytest.raises(InvalidSecretKey, match="enter it again"):
        SecretStore(backend).read()


def test_key_fragments_are_removed_from_any_message() -> None:
    echoed = "Invalid API Key provided: sk_test_****UvWx"
    assert redact(echoed) == "Invalid API Key provided: [key hidden]"
    assert KEY not in str(PaymentRefused(f"Stripe said {KEY} is wrong"))
