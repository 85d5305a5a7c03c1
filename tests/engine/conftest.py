"""The engine's own test pack (tests/rules/fixtures/testshire.yaml), loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from councils.rules.loader import load_pack_file

FIXTURES = Path(__file__).resolve().parent.parent / "rules" / "fixtures"


@pytest.fixture(scope="session")
def pack():
    return load_pack_file(FIXTURES / "testshire.yaml")
