"""Dialogs of the control room; views reach them through `StationPrompts`."""

from app.ui.dialogs.confirm import confirm
from app.ui.dialogs.prompts import DialogPrompts, StationPrompts

__all__ = ["DialogPrompts", "StationPrompts", "confirm"]
