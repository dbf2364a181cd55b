"""API tokens in the domain: what a token looks like, how it is checked, what a name may be."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from app.domain.api_tokens import (
    ApiToken,
    TokenScope,
    check_token_name,
    hash_secret,
    new_token,
    parse_token,
    secret_matches,
)
from app.domain.errors import InvalidInput

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
GOOD_ID = "0a1b2c3d"
GOOD_SECRET = "A" * 20 + "-_" + "z9" * 10 + "x"  # 43 URL-safe characters
GOOD = f"cd_{GOOD_ID}_{GOOD_SECRET}"


def test_a_new_token_reads_back_to_its_id_and_a_secret_only_its_hash_matches() -> None:
    token, plaintext, secret_hash = new_token("Home Assistant", TokenScope.CONTROL, NOW)
    assert re.fullmatch(r"[0-9a-f]{8}", token.id)
    assert (token.name, token.scope, token.created_at) == ("Home Assistant", "control", NOW)
    assert token.active
    assert token.last_used_at is None
    parsed = parse_token(plaintext)
    assert parsed is not None
    token_id, secret = parsed
    assert token_id == token.id
    assert plaintext == f"cd_{token.id}_{secret}"
    assert secret_matches(secret, secret_hash)
    assert secret not in secret_hash
    assert not secret_matches(secret[:-1] + ("A" if secret[-1] != "A" else "B"), secret_hash)


def test_every_new_token_is_different() -> None:
    drawn = [new_token("same name", TokenScope.READ, NOW) for _ in range(20)]
    assert len({t.id for t, _, _ in drawn}) == 20
    assert len({p for _, p, _ in drawn}) == 20
    assert len({h for _, _, h in drawn}) == 20


def test_the_stored_hash_is_sha256_hex_of_the_secret() -> None:
    assert hash_secret("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert hash_secret(GOOD_SECRET) == hash_secret(GOOD_SECRET)


def test_a_well_formed_token_parses_into_id_and_secret() -> None:
    assert parse_token(GOOD) == (GOOD_ID, GOOD_SECRET)
    # The secret's alphabet includes "_", the separator: it is not split again.
    underscored = "_" * 43
    assert parse_token(f"cd_{GOOD_ID}_{underscored}") == (GOOD_ID, underscored)


MALFORMED = [
    pytest.param("", id="empty"),
    pytest.param("cd_", id="prefix only"),
    pytest.param(f"cd_{GOOD_ID}_", id="no secret"),
    pytest.param(f"cd_{GOOD_ID}", id="id only"),
    pytest.param(GOOD_SECRET, id="secret only"),
    pytest.param(f"CD_{GOOD_ID}_{GOOD_SECRET}", id="prefix in capitals"),
    pytest.param(f"xx_{GOOD_ID}_{GOOD_SECRET}", id="other prefix"),
    pytest.param(f"cd-{GOOD_ID}-{GOOD_SECRET}", id="dashes as separators"),
    pytest.param(f"cd_{GOOD_ID}{GOOD_SECRET}_", id="separator moved"),
    pytest.param(f"cd_0A1B2C3D_{GOOD_SECRET}", id="id in capitals"),
    pytest.param(f"cd_0a1b2c3g_{GOOD_SECRET}", id="id not hex"),
    pytest.param(f"cd_0a1b2c3_{GOOD_SECRET}x", id="id too short"),
    pytest.param(f"cd_0a1b2c3d4_{GOOD_SECRET[1:]}", id="id too long"),
    pytest.param(f"cd_{GOOD_ID}_{GOOD_SECRET[:-1]}", id="secret too short"),
    pytest.param(f"{GOOD}x", id="secret too long"),
    pytest.param(f"cd_{GOOD_ID}_{GOOD_SECRET[:-1]}=", id="base64 padding"),
    pytest.param(f"cd_{GOOD_ID}_{GOOD_SECRET[:-1]}+", id="standard base64 plus"),
    pytest.param(f"cd_{GOOD_ID}_{GOOD_SECRET[:-1]}/", id="standard base64 slash"),
    pytest.param(f"cd_{GOOD_ID}_{GOOD_SECRET[:-1]}é", id="non-ASCII letter"),
    pytest.param(f"cd_{GOOD_ID[:-1]}٣_{GOOD_SECRET}", id="non-ASCII digit in id"),
    pytest.param(f"cd_{GOOD_ID}_{GOOD_SECRET[:-1]} ", id="trailing space"),
    pytest.param(f" {GOOD[:-1]}", id="leading space"),
    pytest.param(f"{GOOD[:-1]}\n", id="trailing newline"),
    pytest.param(f"{GOOD[:-1]}\x00", id="NUL byte"),
    pytest.param(f"Bearer {GOOD}", id="whole header value"),
    pytest.param(GOOD * 1000, id="very long"),
    pytest.param("0a1b2c3d", id="a station password"),
]


@pytest.mark.parametrize("text", MALFORMED)
def test_anything_else_is_malformed(text: str) -> None:
    assert parse_token(text) is None


def test_a_value_that_is_not_text_is_malformed_too() -> None:
    # Header values reach this from outside; a careless caller must not get a crash.
    assert parse_token(None) is None  # type: ignore[arg-type]
    assert parse_token(GOOD.encode()) is None  # type: ignore[arg-type]


@hypothesis_settings(database=None, derandomize=True)
@given(text=st.text())
def test_parsing_never_raises(text: str) -> None:
    parsed = parse_token(text)
    assert parsed is None or f"cd_{parsed[0]}_{parsed[1]}" == text


def test_a_garbage_stored_hash_never_matches_and_never_raises() -> None:
    assert not secret_matches(GOOD_SECRET, "")
    assert not secret_matches(GOOD_SECRET, "not a hash")
    assert not secret_matches(GOOD_SECRET, "é" * 64)


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("x", "x"),
        ("x" * 64, "x" * 64),
        ("  Home Assistant  ", "Home Assistant"),
        ("Grafana (depot 2)", "Grafana (depot 2)"),
        ("Laddning Åre ⚡", "Laddning Åre ⚡"),
        ("0a1b2c3dx", "0a1b2c3dx"),
    ],
)
def test_names_of_one_to_64_printable_characters_are_taken_trimmed(name: str, stored: str) -> None:
    assert check_token_name(name) == stored
    assert new_token(name, TokenScope.READ, NOW)[0].name == stored


@pytest.mark.parametrize(
    ("name", "message"),
    [
        pytest.param("", "needs a name", id="empty"),
        pytest.param("   ", "needs a name", id="blank"),
        pytest.param("x" * 65, "at most 64 characters", id="too long"),
        pytest.param("two\tparts", "printable", id="tab"),
        pytest.param("two\nlines", "printable", id="line break"),
        pytest.param("nul\x00", "printable", id="control character"),
        pytest.param("0a1b2c3d", "read as a token id", id="shaped like an id"),
    ],
)
def test_bad_names_are_refused_with_a_clear_reason(name: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        check_token_name(name)
    with pytest.raises(InvalidInput, match=message):
        new_token(name, TokenScope.READ, NOW)


def test_control_implies_read_but_read_does_not_imply_control() -> None:
    assert TokenScope.CONTROL.covers(TokenScope.READ)
    assert TokenScope.CONTROL.covers(TokenScope.CONTROL)
    assert TokenScope.READ.covers(TokenScope.READ)
    assert not TokenScope.READ.covers(TokenScope.CONTROL)


def test_a_revoked_token_is_not_active() -> None:
    token = ApiToken(GOOD_ID, "ci", TokenScope.READ, NOW)
    assert token.active
    assert not ApiToken(GOOD_ID, "ci", TokenScope.READ, NOW, revoked_at=NOW).active
