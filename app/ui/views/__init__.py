"""The control room's views."""
