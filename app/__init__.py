"""ChargeDesk: control room and embedded OCPP central system for small EV charging sites."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("chargedesk")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
