"""Who an offline CLI command acts as.

- A site without operator accounts: the local administrator (whoever can run
  commands on this machine's database), so a fresh install can be set up.
- With accounts: the operator named by CHARGEDESK_USER, signed in with the
  password in CHARGEDESK_PASSWORD or typed at a prompt. Without a name,
  commands that only read still work; the rest are refused by the services.
"""

from __future__ import annotations

import getpass
import os
import sys

from app.domain.operators import Actor, Source, local_administrator
from app.services.container import Services

USER_VARIABLE = "CHARGEDESK_USER"
PASSWORD_VARIABLE = "CHARGEDESK_PASSWORD"


class SignInNeeded(Exception):
    """A name was given without a way to read its password."""


async def cli_actor(services: Services) -> Actor | None:
    name = os.environ.get(USER_VARIABLE, "").strip()
    if not name:
        if await services.operators.accounts_exist():
            return None
        return local_administrator(Source.CLI)
    password = os.environ.get(PASSWORD_VARIABLE)
    if password is None:
        if not sys.stdin.isatty():
            raise SignInNeeded(
                f"{USER_VARIABLE} names {name!r}: give the password in {PASSWORD_VARIABLE} "
                "(no terminal to ask on)."
            )
        password = getpass.getpass(f"Password for {name}: ")
    operator = await services.operators.sign_in(name, password, Source.CLI)
    return operator.as_actor(Source.CLI)
