"""The local HTTP API: what the control room can see and do, for integrations and the CLI."""
