"""docs/api.md is what scripts/api_docs.py renders from the code now, and its examples hold."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from app.api.app import openapi_document
from app.api.problems import PROBLEM_TYPES
from app.domain.validation import check_command
from app.ocpp.v16.codec import V16CommandCodec

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def api_docs() -> ModuleType:
    """scripts/api_docs.py, loaded from its file (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("api_docs", ROOT / "scripts" / "api_docs.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_api_md_is_what_the_script_renders_from_the_code_now(api_docs: ModuleType) -> None:
    written = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert written == api_docs.render(), (
        "docs/api.md is out of date: run .venv/bin/python scripts/api_docs.py"
    )


def test_every_command_has_an_example_chargedesk_would_send(api_docs: ModuleType) -> None:
    codec = V16CommandCodec()
    assert sorted(api_docs.EXAMPLES) == codec.operations()
    for action, example in api_docs.EXAMPLES.items():
        check_command(codec.decode(action, example))  # raises InvalidInput if not


def test_the_reference_names_every_endpoint_and_problem_type(api_docs: ModuleType) -> None:
    text = api_docs.render()
    document = openapi_document(V16CommandCodec())
    for path, operations in document["paths"].items():
        for method in operations:
            assert f"#### `{method.upper()} {path}`" in text
    for kind in PROBLEM_TYPES:
        assert f"`{kind.kind}`" in text
