"""API tokens through the service into a fresh SQLite database (no server)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Connection, text

from app.domain.api_tokens import ApiToken, TokenScope, parse_token
from app.domain.errors import (
    ApiTokenNotFound,
    ChargeDeskError,
    InsufficientScope,
    InvalidApiToken,
    InvalidInput,
)
from app.services.api_tokens import RECORD_USE_EVERY, ApiTokenService
from app.store import migrate
from app.store.database import Database
from app.store.repositories.api_tokens import SqlApiTokenRepository

T0 = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


class Fixture:
    def __init__(self, url: str, db: Database) -> None:
        self.url = url
        self.db = db
        self.clock = Clock()
        self.service = ApiTokenService(SqlApiTokenRepository(db), self.clock)

    @asynccontextmanager
    async def other_process(self) -> AsyncIterator[ApiTokenService]:
        """The same database opened a second time, as the CLI does next to a running server."""
        db = Database(self.url)
        await db.start()
        try:
            yield ApiTokenService(SqlApiTokenRepository(db), self.clock)
        finally:
            await db.close()


@pytest.fixture
async def fx(db_url: str) -> AsyncIterator[Fixture]:
    migrate.upgrade(db_url)
    db = Database(db_url)
    await db.start()
    yield Fixture(db_url, db)
    await db.close()


async def test_a_created_token_works_and_only_its_public_part_is_listed(fx: Fixture) -> None:
    token, plaintext = await fx.service.create("grafana", TokenScope.READ)
    assert await fx.service.verify(plaintext, TokenScope.READ) == ApiToken(
        token.id, "grafana", TokenScope.READ, T0, last_used_at=T0
    )
    assert [(t.id, t.name, t.scope) for t in await fx.service.list()] == [
        (token.id, "grafana", TokenScope.READ)
    ]
    assert plaintext not in repr(await fx.service.list())


async def test_the_plaintext_is_never_stored(fx: Fixture) -> None:
    _, plaintext = await fx.service.create("grafana", TokenScope.CONTROL)
    parsed = parse_token(plaintext)
    assert parsed is not None

    def every_stored_value(conn: Connection) -> list[str]:
        return [str(v) for row in conn.execute(text("SELECT * FROM api_tokens")) for v in row]

    stored = await fx.db.read(every_stored_value)
    assert stored
    assert not [v for v in stored if parsed[1] in v], "the secret (and so the token) is stored"


async def test_a_duplicate_name_is_refused_and_nothing_is_stored(fx: Fixture) -> None:
    await fx.service.create("grafana", TokenScope.READ)
    with pytest.raises(InvalidInput, match="already an API token named 'grafana'"):
        await fx.service.create("  grafana ", TokenScope.CONTROL)
    with pytest.raises(InvalidInput, match="at most 64"):
        await fx.service.create("x" * 65, TokenScope.READ)
    assert [t.scope for t in await fx.service.list()] == [TokenScope.READ]


async def test_tokens_are_listed_oldest_first_revoked_ones_too(fx: Fixture) -> None:
    first, _ = await fx.service.create("first", TokenScope.READ)
    fx.clock.now += timedelta(minutes=1)
    second, _ = await fx.service.create("second", TokenScope.CONTROL)
    await fx.service.revoke("first")
    listed = await fx.service.list()
    assert [t.id for t in listed] == [first.id, second.id]
    assert [t.active for t in listed] == [False, True]


@pytest.mark.parametrize("by", ["id", "name"])
async def test_a_revoked_token_stops_working_at_once(fx: Fixture, by: str) -> None:
    token, plaintext = await fx.service.create("home assistant", TokenScope.CONTROL)
    await fx.service.verify(plaintext, TokenScope.CONTROL)
    fx.clock.now += timedelta(hours=1)
    revoked = await fx.service.revoke(token.id if by == "id" else "home assistant")
    assert (revoked.id, revoked.revoked_at, revoked.active) == (token.id, fx.clock.now, False)
    with pytest.raises(InvalidApiToken, match="revoked"):
        await fx.service.verify(plaintext, TokenScope.READ)


async def test_revoking_twice_is_harmless_and_the_first_time_stands(fx: Fixture) -> None:
    token, _ = await fx.service.create("ci", TokenScope.READ)
    first = await fx.service.revoke(token.id)
    fx.clock.now += timedelta(days=1)
    again = await fx.service.revoke(f" {token.id} ")
    assert again == first
    assert again.revoked_at == T0


async def test_revoking_an_unknown_token_names_what_was_asked_for(fx: Fixture) -> None:
    await fx.service.create("ci", TokenScope.READ)
    with pytest.raises(ApiTokenNotFound, match="'nope'") as refused:
        await fx.service.revoke("nope")
    assert refused.value.id_or_name == "nope"
    with pytest.raises(ApiTokenNotFound):
        await fx.service.revoke("CI")  # names are matched exactly
    assert all(t.active for t in await fx.service.list())


async def test_a_token_revoked_by_another_process_stops_working_at_once(fx: Fixture) -> None:
    token, plaintext = await fx.service.create("integration", TokenScope.READ)
    await fx.service.verify(plaintext, TokenScope.READ)
    async with fx.other_process() as cli:
        await cli.revoke(token.id)
    with pytest.raises(InvalidApiToken, match="revoked"):
        await fx.service.verify(plaintext, TokenScope.READ)


async def test_a_read_token_may_read_but_not_control(fx: Fixture) -> None:
    reader, read_text = await fx.service.create("dashboard", TokenScope.READ)
    _, control_text = await fx.service.create("operator", TokenScope.CONTROL)
    assert (await fx.service.verify(read_text, TokenScope.READ)).id == reader.id
    with pytest.raises(InsufficientScope, match="control") as refused:
        await fx.service.verify(read_text, TokenScope.CONTROL)
    assert (refused.value.token_id, refused.value.needed) == (reader.id, "control")
    assert (await fx.service.verify(control_text, TokenScope.CONTROL)).scope is TokenScope.CONTROL
    assert (await fx.service.verify(control_text, TokenScope.READ)).scope is TokenScope.CONTROL


async def test_missing_malformed_and_unknown_tokens_are_refused_alike(fx: Fixture) -> None:
    token, plaintext = await fx.service.create("ci", TokenScope.CONTROL)
    parsed = parse_token(plaintext)
    assert parsed is not None
    other_secret = ("B" if parsed[1][0] == "A" else "A") + parsed[1][1:]
    other_id = "0" * 8 if token.id != "0" * 8 else "1" * 8
    refusals = {
        None: "No API token",
        "": "No API token",
        "Bearer " + plaintext: "malformed",
        plaintext[:-1]: "malformed",
        f"cd_{token.id}_{other_secret}": "not known",
        f"cd_{other_id}_{parsed[1]}": "not known",
    }
    for given, message in refusals.items():
        with pytest.raises(InvalidApiToken, match=message):
            await fx.service.verify(given, TokenScope.READ)
    assert (await fx.service.list())[0].last_used_at is None, "refusals are not uses"


def test_the_api_can_tell_401_from_403_by_class() -> None:
    assert not issubclass(InvalidApiToken, InsufficientScope)
    assert not issubclass(InsufficientScope, InvalidApiToken)
    for error in (InvalidApiToken, InsufficientScope, ApiTokenNotFound):
        assert issubclass(error, ChargeDeskError)


async def test_use_is_recorded_at_most_once_a_minute(fx: Fixture) -> None:
    token, plaintext = await fx.service.create("poller", TokenScope.READ)
    assert token.last_used_at is None

    async def stored_last_use() -> datetime | None:
        return (await fx.service.list())[0].last_used_at

    await fx.service.verify(plaintext, TokenScope.READ)
    assert await stored_last_use() == T0
    for _ in range(5):
        fx.clock.now += timedelta(seconds=10)
        await fx.service.verify(plaintext, TokenScope.READ)
        assert await stored_last_use() == T0, "a request within the minute writes nothing"
    fx.clock.now = T0 + RECORD_USE_EVERY
    await fx.service.verify(plaintext, TokenScope.READ)
    assert await stored_last_use() == T0 + RECORD_USE_EVERY


async def test_a_use_already_recorded_by_another_process_is_not_written_again(
    fx: Fixture,
) -> None:
    _, plaintext = await fx.service.create("shared", TokenScope.READ)
    async with fx.other_process() as other:
        await other.verify(plaintext, TokenScope.READ)
    fx.clock.now += timedelta(seconds=30)
    verified = await fx.service.verify(plaintext, TokenScope.READ)
    assert verified.last_used_at == T0
    assert (await fx.service.list())[0].last_used_at == T0


async def test_a_clock_set_back_does_not_freeze_the_last_use(fx: Fixture) -> None:
    _, plaintext = await fx.service.create("poller", TokenScope.READ)
    await fx.service.verify(plaintext, TokenScope.READ)
    fx.clock.now = T0 - timedelta(hours=1)
    await fx.service.verify(plaintext, TokenScope.READ)
    assert (await fx.service.list())[0].last_used_at == T0 - timedelta(hours=1)
