"""API tokens: the credentials the local HTTP API asks for.

A token reads `cd_<id>_<secret>`. The id is public (listed, logged, used to
revoke); only the secret's hash is stored, and the plaintext is shown once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from app.domain.errors import InvalidInput
from app.domain.operators import Role

TOKEN_NAME_MAX = 64
TOKEN_PREFIX = "cd"
_ID_BYTES = 4  # 8 hex characters
_SECRET_BYTES = 32  # 256 random bits: 43 URL-safe base64 characters, unpadded
_ID_SHAPE = re.compile(r"[0-9a-f]{8}")
_TOKEN = re.compile(rf"{TOKEN_PREFIX}_([0-9a-f]{{8}})_([A-Za-z0-9_-]{{43}})")
_TOKEN_LENGTH = len(TOKEN_PREFIX) + 1 + 8 + 1 + 43


class TokenScope(StrEnum):
    READ = "read"
    CONTROL = "control"

    def covers(self, needed: TokenScope) -> bool:
        """Whether a token of this scope may do what needs `needed` (control implies read)."""
        return self is needed or self is TokenScope.CONTROL


@dataclass(frozen=True, slots=True)
class ApiToken:
    id: str
    name: str
    scope: TokenScope
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None
    # What its holder may do in the services, like an operator's role; the scope
    # further limits a read token to reading.
    role: Role = Role.OPERATOR

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def check_token_name(name: str) -> str:
    """The name as stored (outer blanks dropped), or InvalidInput saying what is wrong."""
    name = name.strip()
    if not name:
        raise InvalidInput(f"An API token needs a name (1 to {TOKEN_NAME_MAX} characters).")
    if len(name) > TOKEN_NAME_MAX:
        raise InvalidInput(
            f"An API token name can be at most {TOKEN_NAME_MAX} characters long, not {len(name)}."
        )
    if not name.isprintable():
        raise InvalidInput(
            "An API token name can hold only printable characters (no tabs or line breaks)."
        )
    if _ID_SHAPE.fullmatch(name):
        # `tokens revoke` takes an id or a name; a name shaped like an id would be ambiguous.
        raise InvalidInput(
            f"An API token name cannot be 8 hexadecimal digits like {name!r}: "
            "it would read as a token id."
        )
    return name


def new_token(
    name: str, scope: TokenScope, now: datetime, role: Role = Role.OPERATOR
) -> tuple[ApiToken, str, str]:
    """A fresh token: the entity, its plaintext (show once, never store) and the hash to store."""
    token = ApiToken(secrets.token_hex(_ID_BYTES), check_token_name(name), scope, now, role=role)
    secret = secrets.token_urlsafe(_SECRET_BYTES)
    return token, f"{TOKEN_PREFIX}_{token.id}_{secret}", hash_secret(secret)


def parse_token(text: str) -> tuple[str, str] | None:
    """(id, secret) of a well-formed token; None for anything else, whatever it is."""
    if not isinstance(text, str) or len(text) != _TOKEN_LENGTH:  # callers pass header values
        return None
    found = _TOKEN.fullmatch(text)
    if found is None:
        return None
    return found.group(1), found.group(2)


def hash_secret(secret: str) -> str:
    # A plain SHA-256, not a slow KDF like the station passwords' scrypt: the secret
    # is 256 random bits, so there is nothing to guess and a fast hash leaves no
    # shortcut; and it is checked on every API request, where a KDF's deliberate
    # cost would be paid each time (and would invite denial of service).
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret).encode(), stored_hash.encode())
