#!/usr/bin/env bash
# Install everything (first run) and run every check CI runs.
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh" dev
export PATH="$PWD/.venv/bin:$PATH"
echo "== ruff"
ruff check .
ruff format --check .
echo "== mypy --strict"
mypy
echo "== import contracts"
lint-imports
echo "== pytest (asyncio debug mode)"
PYTHONASYNCIODEBUG=1 pytest -q "$@"
