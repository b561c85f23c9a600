"""Shared pytest setup: the tests import helpers that live beside them."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
