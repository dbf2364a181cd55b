"""A card payment run in a process of its own, so a test can SIGKILL it mid-flow.

The worker composes the real services (app.composition.build_services) on a SQLite
file and the Stripe stand-in's address, as the engine does, and runs one flow:

    card     a walk-in session paid after charging: open, present on the reader, outcome
             (automatic capture at the customer's tap)
    hold     pay before charging: a hold (manual capture), the session joins it, the hold
             is raised, the session's price is captured
    release  a hold given back (nobody plugged in): open, present, outcome, release

Importing the app takes over a second, so the tests and the bench start one *zygote*
(`python -m tests.fakes.payment_worker serve`) that imports everything once and forks a
child per job; the child is the process that is killed. Protocol on the zygote's pipes:
a job is one JSON line on stdin; the zygote answers `ready` once, then `pid <pid>` per
job and `exit <pid> <code>` when that child ended (code -9 after SIGKILL).

    with Zygote() as zygote:
        child = zygote.start(Job(db_url, standin.url, "card", tx, reader_id, amount=4640))
        ...  # the stand-in holds a request at a gate (StripeStandin.gate)
        zygote.kill(child)
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import importlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from types import TracebackType
from typing import Literal, TypeVar

from app.composition import build_services
from app.config import Settings
from app.domain.payment_errors import PaymentProviderUnavailable
from app.domain.payments import PaymentAttempt, PaymentMethod, PaymentState
from app.ocpp.registry import ConnectionRegistry
from app.payments.secrets import SecretStore
from app.services.payment_desk import DeskParts, PaymentDesk
from app.services.payment_gateway import GatewayFactory
from app.store.database import Database
from tests.fakes.memory_keyring import MemoryKeyring

Flow = Literal["card", "hold", "release", "refund"]
FLOWS: tuple[Flow, ...] = ("card", "hold", "release", "refund")
T = TypeVar("T")
API_KEY = "sk_test_paymentworker"
BY = "worker"


@dataclass(frozen=True)
class Job:
    db_url: str
    stripe_url: str
    flow: Flow
    transaction_id: int
    reader_id: str
    amount_minor: int  # the session's price (card, hold); the hold's own amount is hold_minor
    hold_minor: int = 0
    raise_to_minor: int = 0  # hold: ask the card for this much before capturing (0: do not)

    def to_line(self) -> str:
        return json.dumps(dataclasses.asdict(self))

    @staticmethod
    def from_line(line: str) -> Job:
        return Job(**json.loads(line))


# ---- in the worker (the child) ------------------------------------------------------------


def act_as_engine() -> None:
    """Drive the services as the engine itself does (every role, nothing audited), as
    tests/conftest.py does for the test process: a forked worker or the bench has no
    conftest. Looked up by name, as operator roles (app.services.acting) may be absent
    from an older tree."""
    try:
        acting = importlib.import_module("app.services.acting")
        operators = importlib.import_module("app.domain.operators")
    except ModuleNotFoundError:
        return
    acting.act_as(operators.SYSTEM, None)


def worker_settings(db_url: str, stripe_url: str, reader_id: str = "") -> Settings:
    return Settings(
        host="127.0.0.1",
        port=0,
        db_url=db_url,
        stripe_api_base=stripe_url,
        desk_reader_id=reader_id,
        api_enabled=False,
        api_port=0,
    )


async def run_flow(job: Job, make_gateway: GatewayFactory | None = None) -> str:
    """Run one flow to its end on the real services; the ledger state it reached.

    A hold's capture or release that finds Stripe unreachable is asked again once, with
    the same ledger step (so the same idempotency key), as the pre-authorisation keeper
    does; any other PaymentProviderError ends the flow (the attendant sees it).
    """
    act_as_engine()
    settings = worker_settings(job.db_url, job.stripe_url, job.reader_id)
    db = Database(job.db_url)
    await db.start()
    try:
        desk = desk_on(db, settings, make_gateway)
        await desk.reload()
        if job.flow in ("card", "refund"):
            payment = await desk.start_card(job.transaction_id, BY, job.reader_id)
            result = await desk.finish_card(payment.id, job.reader_id, timeout=5.0)
            if job.flow == "refund":
                await desk.refund(payment.id, job.amount_minor, "charger fault", BY)
                return (await desk.ledger.get(payment.id)).state.value
            return result.payment.state.value
        attempt = PaymentAttempt(PaymentMethod.CARD, job.hold_minor, settings.currency, None, by=BY)
        card = desk.card
        payment = await card.open(attempt, hold=True, by=BY)
        await card.present(payment.id, job.reader_id, by=BY)
        held = await card.outcome(payment.id, job.reader_id, 5.0, by=BY)
        if job.flow == "release":
            release = partial(card.release, held.payment.id, "nobody plugged in", by=BY)
            return (await _twice(release)).state.value
        await desk.ledger.attach_session(payment.id, job.transaction_id, by=BY)
        if job.raise_to_minor:
            await card.increase_hold(payment.id, job.raise_to_minor, by=BY)
        capture = partial(card.capture, payment.id, job.amount_minor, by=BY)
        return (await _twice(capture)).payment.state.value
    finally:
        await db.close()


async def _twice(call: Callable[[], Awaitable[T]]) -> T:
    try:
        return await call()
    except PaymentProviderUnavailable:
        return await call()


def desk_on(
    db: Database, settings: Settings, make_gateway: GatewayFactory | None = None
) -> PaymentDesk:
    """The engine's payment desk on a started database, with the test key in a memory
    keyring; make_gateway replaces the settings' gateway (a test's timeouts and retries)."""
    secrets = SecretStore(MemoryKeyring())
    secrets.store(API_KEY)
    services = build_services(db, ConnectionRegistry(), settings, secrets=secrets)
    if make_gateway is None:
        return services.desk
    parts = DeskParts(
        services.transactions,
        services.session_pricing,
        services.tags,
        services.access,
        services.subscriptions,
    )
    return PaymentDesk(services.desk.ledger, parts, settings, make_gateway)


def _child(job: Job) -> int:
    try:
        asyncio.run(run_flow(job))
    except BaseException as problem:  # the exit code tells the parent; the text helps a human
        print(f"worker {os.getpid()} failed: {problem!r}", file=sys.stderr, flush=True)
        return 1
    return 0


def serve() -> None:
    """The zygote: imported once, it forks a child per job line (no threads before fork)."""
    print("ready", flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        job = Job.from_line(line)
        pid = os.fork()
        if pid == 0:
            code = _child(job)
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        print(f"pid {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"exit {pid} {os.waitstatus_to_exitcode(status)}", flush=True)


# ---- after the kill: a fresh process's services on the same database ------------------------


@dataclass
class Recovery:
    notes: list[str]
    captured_holds: int = 0
    released_holds: int = 0
    paid_again: bool = False


async def recover(job: Job) -> Recovery:
    """What a restarted ChargeDesk does with the job's payments, on fresh services.

    Start-up reconciliation as the engine runs it (PaymentDesk.reload, then reconcile;
    see Engine._payments_start); then each hold is finished as the pre-authorisation
    keeper finishes one (a hold paying the session is captured for its price, any other
    is released); then, if the session is still unpaid, the attendant takes a new card.
    """
    act_as_engine()
    settings = worker_settings(job.db_url, job.stripe_url, job.reader_id)
    db = Database(job.db_url)
    await db.start()
    try:
        desk = desk_on(db, settings)
        await desk.reload()
        now = datetime.now(UTC)
        report = await desk.reconcile(now)
        done = Recovery(list(report.notes))
        for payment in await desk.ledger.payments_between(now - timedelta(days=1), now):
            if payment.state is not PaymentState.AUTHORISED or payment.in_flight is not None:
                continue
            if payment.transaction_id == job.transaction_id and job.flow == "hold":
                await desk.card.capture(payment.id, job.amount_minor, by="restart")
                done.captured_holds += 1
            else:
                await desk.card.release(payment.id, "ChargeDesk restarted", by="restart")
                done.released_holds += 1
        awaiting = [s.transaction_id for s in await desk.ledger.awaiting_payment()]
        if job.flow != "release" and job.transaction_id in awaiting:
            payment = await desk.start_card(job.transaction_id, "restart", job.reader_id)
            await desk.finish_card(payment.id, job.reader_id, timeout=5.0)
            done.paid_again = True
        if job.flow == "refund":
            await _refund_what_is_owed(desk, job, now)
        return done
    finally:
        await db.close()


async def _refund_what_is_owed(desk: PaymentDesk, job: Job, now: datetime) -> None:
    """A refund reconciliation found not made at Stripe is made again by the manager."""
    for payment in await desk.ledger.payments_between(now - timedelta(days=1), now):
        if payment.state is PaymentState.CAPTURED and payment.transaction_id == job.transaction_id:
            await desk.refund(payment.id, payment.amount_minor, "charger fault", "manager")


# ---- in the test (the parent) -------------------------------------------------------------


@dataclass
class Child:
    pid: int
    exit_code: int | None = None

    @property
    def killed(self) -> bool:
        return self.exit_code == -signal.SIGKILL


class Zygote:
    """The worker's zygote process, driven from a test or the bench (blocking calls)."""

    def __init__(self, start_timeout: float = 30.0) -> None:
        self._start_timeout = start_timeout
        self._process: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str] = queue.Queue()
        self._reader: threading.Thread | None = None

    def __enter__(self) -> Zygote:
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.fakes.payment_worker", "serve"],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None,  # a failing worker says why on the test's stderr
            text=True,
        )
        self._reader = threading.Thread(target=self._read, name="zygote-reader", daemon=True)
        self._reader.start()
        self._expect("ready", self._start_timeout)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        process = self._process
        if process is None:
            return
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
        if self._reader is not None:
            self._reader.join(timeout=5)
        self._process = None

    def start(self, job: Job) -> Child:
        """Fork a worker for the job; it runs while this returns."""
        assert self._process is not None
        assert self._process.stdin is not None
        self._process.stdin.write(job.to_line() + "\n")
        self._process.stdin.flush()
        return Child(int(self._expect("pid", 10.0)))

    def wait(self, child: Child, timeout: float = 30.0) -> int:
        """The child's exit code (negative: the signal that ended it)."""
        if child.exit_code is None:
            pid, code = self._expect("exit", timeout).split()
            assert int(pid) == child.pid, f"zygote reported {pid}, expected {child.pid}"
            child.exit_code = int(code)
        return child.exit_code

    def kill(self, child: Child) -> int:
        """SIGKILL the child (only it, by its own pid) and reap it."""
        if child.exit_code is None:
            with contextlib.suppress(ProcessLookupError):  # it ended on its own just now
                os.kill(child.pid, signal.SIGKILL)
        return self.wait(child)

    def _expect(self, word: str, timeout: float) -> str:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError(f"the payment worker said no {word!r} in {timeout} s") from None
        head, _, rest = line.partition(" ")
        if head != word:
            raise RuntimeError(f"the payment worker said {line!r}, expected {word!r}")
        return rest

    def _read(self) -> None:
        assert self._process is not None
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self._lines.put(line.strip())


if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        serve()
    elif len(sys.argv) == 3 and sys.argv[1] == "run":
        sys.exit(_child(Job.from_line(sys.argv[2])))
    else:
        sys.exit("usage: python -m tests.fakes.payment_worker serve | run '<job json>'")
