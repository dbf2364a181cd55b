"""OCPP 1.6J: the version adapter (charger-initiated handlers and CSMS operations)."""

PROTOCOL = "ocpp1.6"
VERSION = "1.6"
