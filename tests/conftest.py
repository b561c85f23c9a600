"""Shared pytest setup: the tests import helpers that live beside them."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# site, server and browser: one each per session for all browser tests
pytest_plugins = ["browser_fixtures"]


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001 - pytest's hook signature
    """Report how much of the library the bad-input harness (tests/test_bad_input.py) covered."""
    harness = sys.modules.get("test_bad_input")
    if harness is None or not harness.STATS["cases"]:
        return
    stats = harness.STATS
    terminalreporter.write_sep("-", "bad-input harness")
    terminalreporter.write_line(
        f"{stats['callables']} public callables ({len(harness.PUBLIC)} discovered, "
        f"{len(harness.EXEMPT)} exempt), {stats['cases']} bad-input cases: "
        f"{stats['rejected']} rejected naming the argument, {stats['accepted']} accepted as "
        "documented (ALLOWED)"
    )
