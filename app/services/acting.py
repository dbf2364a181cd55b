"""Who is acting: the role check and the audit entry every operator action goes through.

Each front end says once who is acting, at its single door into the engine:
the control room around every engine call (`EngineHost.submit`), the HTTP API
in its token check, the CLI when it builds its services, and the engine
itself (as `SYSTEM`) around everything it starts. The services then check the
role and write the audit entry themselves, with `requires` on a method or
`authorise`/`settle` where the role depends on the arguments, so no screen,
route or command can skip the check by forgetting to hide a button.

With nobody named, an operation that needs a role is refused (NotSignedIn).
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from app.domain.audit import Outcome
from app.domain.errors import ChargeDeskError, NotPermitted, NotSignedIn
from app.domain.operators import Actor, Role, Source

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S")


class Recorder(Protocol):
    """Where audit entries go (the AuditTrail service)."""

    async def record(
        self, actor: Actor, action: str, target: str, outcome: Outcome, detail: str = ""
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class Acting:
    actor: Actor
    # None only where nothing is kept (unit tests of a single service).
    trail: Recorder | None


_acting: ContextVar[Acting | None] = ContextVar("chargedesk_acting", default=None)


@contextmanager
def acting(actor: Actor | None, trail: Recorder | None) -> Iterator[Acting | None]:
    """Run the block (and every task it starts) as `actor`; None: as nobody, so only
    what needs no role is done."""
    now = None if actor is None else Acting(actor, trail)
    token = _acting.set(now)
    try:
        yield now
    finally:
        _acting.reset(token)


def act_as(actor: Actor, trail: Recorder | None) -> None:
    """Name the actor for the rest of this context (a whole task or thread)."""
    _acting.set(Acting(actor, trail))


def current() -> Acting | None:
    return _acting.get()


def current_actor() -> Actor | None:
    now = _acting.get()
    return None if now is None else now.actor


async def authorise(needed: Role, action: str, target: str = "") -> Acting:
    """The acting operator, if their role covers `needed`; else the refusal is audited
    and NotPermitted (or NotSignedIn) raised before anything is done."""
    now = _acting.get()
    if now is None:
        raise NotSignedIn(f"Sign in to do this ({action}).")
    actor = now.actor
    if not actor.role.covers(needed):
        await _write(now, action, target, Outcome.DENIED, f"needs the {needed.value} role")
        raise NotPermitted(actor.name, actor.role.value, needed.value, action)
    return now


async def settle(now: Acting, action: str, target: str, error: BaseException | None = None) -> None:
    """Write how an authorised action ended: ok, or failed with the reason.

    Not for the engine's own routine work (local-list syncs, configuration reads after
    a boot): the command log has those, and the audit log is for what people do."""
    if now.actor.source is Source.SYSTEM:
        return
    if error is None:
        await _write(now, action, target, Outcome.OK)
    else:
        await _write(now, action, target, Outcome.FAILED, _reason(error))


async def record(action: str, target: str, outcome: Outcome, detail: str = "") -> None:
    """An audit entry for the acting party without a role check (a security event the
    engine notices, such as a refused station)."""
    now = _acting.get()
    if now is not None:
        await _write(now, action, target, outcome, detail)


Targeter = Callable[[Any, dict[str, Any]], Awaitable[str]]


def requires(
    needed: Role, action: str | None = None, *, target: str | Targeter | None = None
) -> Callable[
    [Callable[Concatenate[S, P], Awaitable[R]]],
    Callable[Concatenate[S, P], Coroutine[Any, Any, R]],
]:
    """Decorate a service method: refuse it unless the actor's role covers `needed`.

    With `action`, the attempt and its outcome go to the audit log, naming what it
    acted on: the argument called `target`, or what `target(service, arguments)`
    says (a name to read first, say). Without `action` the method is a read that
    needs the role and leaves no entry.
    """

    def wrap(
        method: Callable[Concatenate[S, P], Awaitable[R]],
    ) -> Callable[Concatenate[S, P], Coroutine[Any, Any, R]]:
        name = action or method.__qualname__
        signature = inspect.signature(method)
        if isinstance(target, str) and target not in signature.parameters:
            raise TypeError(f"{method.__qualname__} has no argument {target!r}")

        @functools.wraps(method)
        async def checked(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
            what = ""
            if target is not None:
                bound = signature.bind(self, *args, **kwargs)
                bound.apply_defaults()
                if isinstance(target, str):
                    what = str(bound.arguments.get(target, ""))
                else:
                    what = await target(self, bound.arguments)
            now = await authorise(needed, name, what)
            if action is None:
                return await method(self, *args, **kwargs)
            try:
                result = await method(self, *args, **kwargs)
            except Exception as exc:
                await settle(now, name, what, exc)
                raise
            await settle(now, name, what)
            return result

        checked.required_role = needed  # type: ignore[attr-defined]
        return checked

    return wrap


def _reason(error: BaseException) -> str:
    if isinstance(error, ChargeDeskError):
        return str(error)
    return type(error).__name__


async def _write(now: Acting, action: str, target: str, outcome: Outcome, detail: str = "") -> None:
    if now.trail is None:
        return
    try:
        await now.trail.record(now.actor, action, target, outcome, detail)
    except Exception:
        # The action's own outcome stands; losing its audit line is logged loudly.
        log.exception("could not write the audit entry for %s %s (%s)", action, target, outcome)
