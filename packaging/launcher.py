"""Entry point of the installed ChargeDesk (the PyInstaller bundle's program).

The same command line as the `chargedesk` console script, with one difference:
started without arguments (from a menu, the Dock, a shortcut) it opens the
control room without the demo fleet that `chargedesk run` starts by default.

With CHARGEDESK_BUNDLE_SELFTEST set to a directory (only packaging/check.py does
that), the control room runs the bundle's self-test (packaging/bundle_selftest.py)
once its window is shown, writes the result there and closes.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

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
    if os.environ.get("CHARGEDESK_BUNDLE_SELFTEST"):
        from bundle_selftest import install

        install(Path(os.environ["CHARGEDESK_BUNDLE_SELFTEST"]))
    sys.exit(main(arguments(sys.argv[1:])))
