"""The one way the GUI asks the engine to do something.

`EngineOp(host, call).success(cb).failure(cb).run()` runs call(services) on
the engine thread and delivers the outcome on the GUI thread, so no click
ever blocks the window and every error is shown in one consistent way.
"""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal
from shiboken6 import isValid

from app.domain.errors import (
    CallErrorReceived,
    ChargeDeskError,
    CommandRejected,
    CommandTimeout,
    InvalidInput,
    NotSupportedByStation,
    StationNotAccepted,
    StationOffline,
)
from app.domain.payment_errors import PaymentProviderError
from app.ui.engine_host import EngineCall, EngineHost

log = logging.getLogger(__name__)

T = TypeVar("T")


def tr(text: str) -> str:
    return QCoreApplication.translate("Operations", text)


def describe_error(exc: BaseException) -> str:
    """Plain words for the operator; the details go to the log."""
    if isinstance(exc, StationOffline):
        return tr("The station is offline, so nothing was sent.")
    if isinstance(exc, StationNotAccepted):
        return tr("The station is not accepted yet; accept it first.")
    if isinstance(exc, CommandTimeout):
        return tr("The station did not answer in time.")
    if isinstance(exc, NotSupportedByStation):
        return tr("The station does not support this.")
    if isinstance(exc, CommandRejected):
        return tr("The station refused: {status}.").format(status=exc.status)
    if isinstance(exc, CallErrorReceived):
        return tr("The station reported an error: {code}.").format(code=exc.code)
    if isinstance(exc, InvalidInput | ChargeDeskError | PaymentProviderError):
        return str(exc)  # written for the operator (payment errors hide any key)
    return tr("Something went wrong; the details are in the log.")


class _Delivery(QObject):
    """Lives on the GUI thread; a signal emitted from any thread runs there."""

    deliver = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.deliver.connect(self._run)

    @staticmethod
    def _run(callback: object) -> None:
        assert callable(callback)
        callback()


_delivery: _Delivery | None = None


def _on_gui_thread(callback: Callable[[], None]) -> None:
    global _delivery
    if _delivery is None:
        _delivery = _Delivery()
    _delivery.deliver.emit(callback)


def ensure_delivery() -> None:
    """Create the GUI-thread receiver; call once on the GUI thread at start."""
    global _delivery
    if _delivery is None:
        _delivery = _Delivery()


class EngineOp(Generic[T]):
    def __init__(self, host: EngineHost, call: EngineCall[T]) -> None:
        self._host = host
        self._call = call
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[str, BaseException], None] | None = None

    def success(self, callback: Callable[[T], None]) -> EngineOp[T]:
        self._success = callback
        return self

    def failure(self, callback: Callable[[str, BaseException], None]) -> EngineOp[T]:
        self._failure = callback
        return self

    def run(self) -> concurrent.futures.Future[T]:
        future = self._host.submit(self._call)
        future.add_done_callback(lambda f: _on_gui_thread(lambda: self._finish(f)))
        return future

    def _finish(self, future: concurrent.futures.Future[T]) -> None:
        if future.cancelled():
            return  # the engine stopped first (window closing): nobody is waiting
        exc = future.exception()
        if exc is None:
            if self._success is not None and _alive(self._success):
                self._success(future.result())
            return
        if not isinstance(exc, ChargeDeskError):
            log.error("engine call failed", exc_info=exc)
        if self._failure is not None and _alive(self._failure):
            self._failure(describe_error(exc), exc)


def _alive(callback: Callable[..., None]) -> bool:
    """False for a method of a widget closed while the call ran (nobody to tell)."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or isValid(owner)


class Reloader(Generic[T]):
    """A view's data read: one read in flight at a time, and any number of asks
    made meanwhile fold into a single read after it.

    `loaded` and `failed` run on the GUI thread, only while `owner` still
    exists; `again` (the view's own refresh) is called for the folded read, so
    it builds its query from what the widgets say by then.
    """

    def __init__(
        self,
        owner: QObject,
        host: EngineHost,
        loaded: Callable[[T], None],
        failed: Callable[[str], None],
        again: Callable[[], None],
    ) -> None:
        self._owner = owner
        self._host = host
        self._loaded = loaded
        self._failed = failed
        self._again = again
        self.busy = False
        self._stale = False

    def start(self, call: EngineCall[T]) -> bool:
        """Read now; or, with a read in flight, once more after it. True if it started."""
        if self.busy:
            self._stale = True
            return False
        if not self._host.running:
            return False
        self.busy = True
        EngineOp(self._host, call).success(self._done).failure(self._refused).run()
        return True

    def stale(self) -> None:
        """What was just read is already out of date: read again when this one is in."""
        self._stale = True

    def _done(self, value: T) -> None:
        if not isValid(self._owner):
            return
        self.busy = False
        self._loaded(value)
        if self._stale:
            self._stale = False
            self._again()

    def _refused(self, message: str, _exc: BaseException) -> None:
        if isValid(self._owner):
            self.busy = self._stale = False
            self._failed(message)
