"""Fixtures of the explain room's tests: the sample catalog (the audit store, `audits`, is tests/unit/conftest.py's)."""

from __future__ import annotations

import pytest

from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(SAMPLE_CATALOG_PATH)
