"""Entry point of the installed ChargeDesk (the PyInstaller bundle's program).

The same command line as the `chargedesk` console script, with one difference:
started without arguments (from a menu, the Dock, a shortcut) it opens the
control room without the demo fleet that `chargedesk run` starts by default.
"""

from __future__ import annotations

import os
import sys

from app.cli.main import main

INSTALLED_DEFAULT = ["run", "--demo", "0"]


def arguments(argv: list[str]) -> list[str]:
    """The command to run for these arguments (argv without the program name)."""
    # Old macOS versions pass a process serial number to apps opened from Finder.
    given = [arg for arg in argv if not arg.startswith("-psn_")]
    return given or list(INSTALLED_DEFAULT)


def give_windowed_programs_streams() -> None:
    """A windowed program (chargedesk-gui.exe on Windows) has no stdout/stderr at all."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


if __name__ == "__main__":
    give_windowed_programs_streams()
    sys.exit(main(arguments(sys.argv[1:])))
