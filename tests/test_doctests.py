"""Every example in gdguide's docstrings runs and prints what it says.

The API reference shows these examples to readers, so a wrong one is a wrong page. Each module
(packages included) is imported and its examples run with :mod:`doctest`; the test fails with
doctest's own report of the example that printed something else.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import matplotlib
import pytest

import gdguide

matplotlib.use("Agg")

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(gdguide.__path__, prefix="gdguide.")
)
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    report: list[str] = []
    for test in doctest.DocTestFinder().find(module, name):
        runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)


def test_the_library_has_examples() -> None:
    """Guard against a finder that silently finds nothing (the test above would then pass)."""
    examples = sum(
        len(test.examples)
        for name in MODULES
        for test in doctest.DocTestFinder().find(importlib.import_module(name), name)
    )
    assert examples >= 100, f"only {examples} docstring examples found in gdguide"
