"""Session fixtures of the real-browser tests: one site snapshot, one server, one Chromium.

Registered for every test module by conftest.py (``pytest_plugins``), so test_browser.py and
test_accessibility.py share them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import (
    MISSING_CHROMIUM,
    chromium_available,
    launch_chromium,
    served_site,
    site_problem,
    snapshot_site,
)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of build/html, taken once per session."""
    problem = site_problem()
    if problem:
        pytest.fail(problem)
    return snapshot_site(tmp_path_factory.mktemp("site") / "html")


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator:
    """The snapshot served over HTTP on 127.0.0.1 (a thread, a free port)."""
    with served_site(site) as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One headless system Chromium for the whole session."""
    if not chromium_available():
        if os.environ.get("CI"):
            pytest.fail(f"{MISSING_CHROMIUM} (CI is set: the browser tests must not be skipped)")
        pytest.skip(MISSING_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()
